"""Synthetic case management for the demo: the people the demo selection nominated, managed for months.

`seed_demo_cases()` opens a case for each of the first nominations of the demo selection run (or,
with no run, the first people there are), then gives each one what months of partnership work
leave behind: agencies and key workers, a needs assessment and usually a reassessment, a plan
with some actions overdue, referrals to the demo service directory, contacts with a realistic mix
of kept and missed appointments, a warning and a breach on a statutory case, earlier moves in the
pyramid, and the review prompts and tasks the daily reminders raise. Everything goes through the
service functions the pages use; only the timestamps of history are set back to when it happened.

Deterministic: the same seed and day give the same data. It runs once: with cases already in the
database it changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from openiom.accounts.models import Agency, Role, User
from openiom.demo import DEMO_DOMAIN, DEMO_SEED, DEMO_USERS
from openiom.people.models import Person

from . import contacts, plans, reminders, services
from .constants import (
    ActionStatus,
    Cohort,
    ContactKind,
    ContactOutcome,
    EnforcementKind,
    InterventionStatus,
    NeedLevel,
    Pathway,
    PromptKind,
    RoshLevel,
)
from .models import Case, Contact, PlanAction, ReviewPrompt, Task, Tier, TierChange

# Colleagues of the demo users, so that caseloads look like a team's. They cannot sign in.
COLLEAGUES = (
    (f"tomasz.nowak@{DEMO_DOMAIN}", "Tomasz Nowak", "Probation offender manager", "probation", "offender_manager"),
    (f"grace.lee@{DEMO_DOMAIN}", "DC Grace Lee", "IOM police officer", "police", "police_officer"),
    (
        f"sian.roberts@{DEMO_DOMAIN}",
        "Sian Roberts",
        "Criminal justice drug worker",
        "substance",
        "partner_practitioner",
    ),
    (
        f"marcus.reid@{DEMO_DOMAIN}",
        "Marcus Reid",
        "Liaison and diversion nurse",
        "mental-health",
        "partner_practitioner",
    ),
)
MAX_IOM = 30
MAX_DYO = 8

# How likely each level of need is on each pathway at the first assessment (none, low, medium, high).
NEED_WEIGHTS: dict[str, tuple[int, int, int, int]] = {
    Pathway.ACCOMMODATION: (30, 20, 25, 25),
    Pathway.ETE: (15, 25, 35, 25),
    Pathway.HEALTH: (35, 30, 25, 10),
    Pathway.DRUGS_ALCOHOL: (20, 15, 30, 35),
    Pathway.FINANCE: (25, 30, 30, 15),
    Pathway.CHILDREN_FAMILIES: (45, 25, 20, 10),
    Pathway.ATTITUDES: (10, 30, 40, 20),
}
LEVELS: tuple[str, ...] = (NeedLevel.NONE, NeedLevel.LOW, NeedLevel.MEDIUM, NeedLevel.HIGH)
ROSH: tuple[str, ...] = (RoshLevel.LOW, RoshLevel.MEDIUM, RoshLevel.MEDIUM, RoshLevel.HIGH)
ACTIONS: dict[str, tuple[str, ...]] = {
    Pathway.ACCOMMODATION: ("Complete the housing register application", "Find a supported housing place"),
    Pathway.ETE: ("Book a CV and interview skills session", "Enrol on a construction skills course"),
    Pathway.HEALTH: ("Register with a GP", "Attend the mental health assessment"),
    Pathway.DRUGS_ALCOHOL: ("Start a treatment programme with the drug team", "Attend the alcohol group weekly"),
    Pathway.FINANCE: ("Apply for Universal Credit and an advance payment", "See the debt adviser about arrears"),
    Pathway.CHILDREN_FAMILIES: ("Agree supervised contact with the children", "Attend the parenting course"),
    Pathway.ATTITUDES: ("Complete the Thinking Skills Programme", "Work through the victim awareness pack"),
}
CONTACT_NOTES = {
    ContactOutcome.ATTENDED: (
        "Engaged well; went through the plan.",
        "Reported a stable week; no concerns raised.",
        "Discussed the housing application and next steps.",
        "Talked about triggers and what helps; positive session.",
        "Drug test negative.",
    ),
    ContactOutcome.LATE: ("Arrived 25 minutes late; said the bus was cancelled.", "Late again; reminded of times."),
    ContactOutcome.MISSED: ("Did not attend; no contact made.", "No answer at the address; card left."),
    ContactOutcome.EXCUSED: ("Rang ahead: hospital appointment (letter seen).", "Excused: attending a job interview."),
}
FATES = ("ongoing", "completed", "dropped_out", "declined", "referred")
SUMMARIES = (
    "Motivated to change but unsettled housing keeps undermining progress.",
    "Long-standing drug use drives acquisitive offending; wants treatment.",
    "Few protective factors; family support is the main strength.",
    "Reassessment: steady progress since the last review.",
)


@dataclass
class DemoCaseSummary:
    created: int = 0
    kept: int = 0
    assessments: int = 0
    actions: int = 0
    overdue_actions: int = 0
    interventions: int = 0
    contacts: int = 0
    enforcements: int = 0
    prompts: int = 0
    tasks: int = 0
    by_lead: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        if not self.created:
            return f"{self.kept} cases already there, kept as they are"
        return (
            f"{self.created} cases, {self.assessments} needs assessments, {self.actions} plan actions "
            f"({self.overdue_actions} overdue), {self.interventions} referrals to services, {self.contacts} contacts, "
            f"{self.enforcements} enforcement actions, {self.prompts} open review prompts, {self.tasks} open tasks"
        )


def _at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _users() -> dict[str, User]:
    """The demo users by role code, and their colleagues by e-mail."""
    users = {u.role_code: User.objects.get(email=u.email) for u in DEMO_USERS}
    roles = {r.code: r for r in Role.objects.all()}
    for email, name, title, agency_code, role_code in COLLEAGUES:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, None, full_name=name, job_title=title, agency=Agency.objects.get(code=agency_code)
            )  # no password: a colleague in the data, not a demo sign-in
        user.roles.set([roles[role_code]])
        users[email] = user
    return users


def _people(today: date) -> list[tuple[Person, str, str]]:
    """(person, cohort, framework): the demo selection's nominations first, then anyone else there is."""
    from openiom.cohort.models import SelectionRun

    chosen: list[tuple[Person, str, str]] = []
    run = SelectionRun.objects.succeeded().order_by("-created_at", "-pk").first()
    if run is not None:
        nominations = list(run.scores.nominations().filter(person__isnull=False).select_related("person"))
        dyo = [s for s in nominations if s.cohort == Cohort.DYO][:MAX_DYO]
        iom = [s for s in nominations if s.cohort != Cohort.DYO][:MAX_IOM]
        chosen = [(s.person, s.cohort or Cohort.HCC, s.framework) for s in (*iom, *dyo) if s.person is not None]
    seen = {p.pk for p, _c, _f in chosen}
    if len(chosen) < MAX_IOM + MAX_DYO:
        for person in Person.objects.exclude(pk__in=seen).order_by("pk")[: MAX_IOM + MAX_DYO - len(chosen)]:
            young = person.age_on(today) < 18
            chosen.append((person, Cohort.DYO if young else (Cohort.PPO if person.pk % 3 == 0 else Cohort.HCC), "Flex"))
    return chosen


@transaction.atomic
def seed_demo_cases(*, seed: int = DEMO_SEED, today: date | None = None) -> DemoCaseSummary:
    today = today or timezone.localdate()
    services.default_tiers()
    summary = DemoCaseSummary()
    if Case.objects.exists():
        summary.kept = Case.objects.count()
        return summary
    rng = random.Random(seed)  # noqa: S311 (synthetic demo data, not security)
    users = _users()
    from openiom.directory.seed import seed_demo_services

    directory = [s for s in seed_demo_services() if s.is_active]
    tiers = {t.level: t for t in Tier.objects.filter(is_active=True)}
    builder = _Builder(rng=rng, today=today, users=users, directory=directory, tiers=tiers, summary=summary)
    for index, (person, cohort, framework) in enumerate(_people(today)):
        builder.build(index, person, cohort, framework)
    builder.enforcement()
    reminders.run_reminders(today)
    _review_old_prompts(today)
    if not ReviewPrompt.objects.filter(kind=PromptKind.ESCALATION, status="open").exists() and builder.cases:
        case = builder.cases[0]
        ReviewPrompt.objects.create(
            case=case,
            kind=PromptKind.ESCALATION,
            key="demo:arrest",
            raised_on=today - timedelta(days=2),
            reason="Arrested on suspicion of burglary (police intelligence report): review whether the case "
            "should move up the pyramid.",
        )
    summary.prompts = ReviewPrompt.objects.filter(status="open").count()
    summary.tasks = Task.objects.open().count()
    summary.overdue_actions = PlanAction.objects.overdue(today).count()
    return summary


REVIEWED_AFTER_DAYS = 45


def _review_old_prompts(today: date) -> None:
    """The reminders raise a prompt for every offence since a case opened, dated today. In a partnership
    that has been working for months the older ones were reviewed at a panel: date each prompt from its
    offence, and record a review for all but each case's latest one from the last few weeks."""
    latest_open: set[int] = set()
    prompts = (
        ReviewPrompt.objects.filter(kind=PromptKind.ESCALATION, status="open", offence__isnull=False)
        .select_related("offence", "case__lead_professional")
        .order_by("case_id", "-offence__outcome_date", "-pk")
    )
    for prompt in prompts:
        event = prompt.offence.outcome_date  # type: ignore[union-attr]
        raised = min(today, event + timedelta(days=3))
        ReviewPrompt.objects.filter(pk=prompt.pk).update(raised_on=raised)
        if (today - event).days <= REVIEWED_AFTER_DAYS and prompt.case_id not in latest_open:
            latest_open.add(prompt.case_id)
            continue
        services.resolve_prompt(
            prompt=prompt,
            by=prompt.case.lead_professional,
            resolution="Reviewed at the IOM panel: the case stays at its tier and the plan was updated.",
        )
        ReviewPrompt.objects.filter(pk=prompt.pk).update(resolved_at=_at(min(today, raised + timedelta(days=10)), 16))


@dataclass
class _Builder:
    rng: random.Random
    today: date
    users: dict[str, User]
    directory: list[Any]
    tiers: dict[int, Tier]
    summary: DemoCaseSummary
    cases: list[Case] = field(default_factory=list)
    housing_cases: int = 0

    # ---- the case and who works on it ------------------------------------------------------------------
    def lead_for(self, index: int, cohort: str) -> User:
        u = self.users
        if cohort == Cohort.DYO:
            return u["yot_worker"]
        # Most adult cases are statutory and led by probation; a few are led by the police.
        pattern = ("offender_manager", "offender_manager", f"tomasz.nowak@{DEMO_DOMAIN}", "police_officer",
                   "offender_manager", f"tomasz.nowak@{DEMO_DOMAIN}", f"grace.lee@{DEMO_DOMAIN}")  # fmt: skip
        return u[pattern[index % len(pattern)]]

    def build(self, index: int, person: Person, cohort: str, framework: str) -> None:
        rng, u = self.rng, self.users
        lead = self.lead_for(index, cohort)
        statutory = lead.agency.agency_type in ("probation", "youth_offending")
        opened = self.today - timedelta(days=rng.randint(75, 400))
        level = rng.choices([1, 2, 3], weights=[25, 45, 30])[0]
        tier = self.tiers.get(level) or next(iter(self.tiers.values()))
        coordinator = u["iom_coordinator"]
        case = services.open_case(
            person=person, cohort=cohort, tier=tier, lead_professional=lead, framework=framework,
            statutory=statutory, opened_on=opened, by=coordinator,
            rosh_level=rng.choice(ROSH) if statutory else "",
        )  # fmt: skip
        TierChange.objects.filter(case=case).update(at=_at(opened, 14))
        self.cases.append(case)
        self.summary.created += 1
        self.summary.by_lead[lead.full_name] = self.summary.by_lead.get(lead.full_name, 0) + 1
        police = u["police_officer"] if index % 2 == 0 else u[f"grace.lee@{DEMO_DOMAIN}"]
        if lead.agency.code != "police":
            services.add_involvement(
                case=case, agency=police.agency, key_worker=police, role="IOM police officer", by=coordinator
            )
        elif statutory is False and index % 3 == 0:
            om = u["offender_manager"]
            services.add_involvement(case=case, agency=om.agency, role="Previous licence", by=coordinator)
        if cohort == Cohort.PPO and rng.random() < 0.4:
            services.add_membership(
                case=case, cohort=Cohort.DIP, by=coordinator, started_on=opened + timedelta(days=20)
            )
        first, latest = self.assess(case, lead)
        self.involve_partners(case, latest, index)
        self.plan(case, lead, latest, first)
        self.refer(case, lead, latest, first)
        self.meet(case, lead, police)
        self.history(case, lead)

    def involve_partners(self, case: Case, needs: dict[str, str], index: int) -> None:
        u, coordinator = self.users, self.users["iom_coordinator"]
        if case.cohort == Cohort.DYO:
            return  # the YOT brings in children's services itself
        housing = needs.get(Pathway.ACCOMMODATION)
        # The demo's housing officer is key worker on the first adult case, so she has one at least.
        if housing == NeedLevel.HIGH or (housing == NeedLevel.MEDIUM and index % 2 == 1) or not self.housing_cases:
            self.housing_cases += 1
            worker = u["partner_practitioner"]
            services.add_involvement(
                case=case, agency=worker.agency, key_worker=worker, role="Housing resettlement", by=coordinator
            )
        if needs.get(Pathway.DRUGS_ALCOHOL) == NeedLevel.HIGH:
            worker = u[f"sian.roberts@{DEMO_DOMAIN}"]
            services.add_involvement(
                case=case, agency=worker.agency, key_worker=worker, role="Drug and alcohol worker", by=coordinator
            )
        if needs.get(Pathway.HEALTH) == NeedLevel.HIGH:
            worker = u[f"marcus.reid@{DEMO_DOMAIN}"]
            services.add_involvement(
                case=case, agency=worker.agency, key_worker=worker, role="Mental health", by=coordinator
            )

    # ---- needs -------------------------------------------------------------------------------------------
    def assess(self, case: Case, lead: User) -> tuple[date, dict[str, str]]:
        rng = self.rng
        first_day = case.opened_on + timedelta(days=rng.randint(5, 20))
        levels = {p: rng.choices(LEVELS, weights=NEED_WEIGHTS[p])[0] for p in Pathway.values}
        self._record(case, lead, first_day, levels, rng.choice(SUMMARIES[:3]))
        second_day = case.opened_on + timedelta(days=rng.randint(95, 140))
        if second_day <= self.today - timedelta(days=3) and rng.random() < 0.85:
            # Most needs ease a level with work on them; a few get worse.
            changed = {}
            for p, level in levels.items():
                i = LEVELS.index(level)
                step = rng.choices([-1, 0, 1], weights=[45, 45, 10])[0]
                changed[p] = LEVELS[min(3, max(0, i + step))]
            self._record(case, lead, second_day, changed, SUMMARIES[3])
            return first_day, changed
        return first_day, levels

    def _record(self, case: Case, by: User, day: date, levels: dict[str, str], summary: str) -> None:
        needs = {
            p: plans.NeedInput(
                level=level,
                linked_to_offending=level in (NeedLevel.MEDIUM, NeedLevel.HIGH) and self.rng.random() < 0.7,
                notes="" if level == NeedLevel.NONE else f"{Pathway(p).label}: {level} need at assessment.",
            )
            for p, level in levels.items()
        }
        plans.record_assessment(case=case, by=by, needs=needs, assessed_on=day, summary=summary)
        self.summary.assessments += 1

    # ---- the plan and interventions ----------------------------------------------------------------------
    def owner_for(self, case: Case, pathway: str, lead: User) -> User:
        current = case.involvements.filter(ended_on__isnull=True, key_worker__isnull=False)
        keyed = {i.agency.code: i.key_worker for i in current.select_related("agency", "key_worker")}
        if pathway == Pathway.ACCOMMODATION and "housing" in keyed:
            return keyed["housing"]  # type: ignore[return-value]
        if pathway == Pathway.DRUGS_ALCOHOL and "substance" in keyed:
            return keyed["substance"]  # type: ignore[return-value]
        if pathway == Pathway.HEALTH and "mental-health" in keyed:
            return keyed["mental-health"]  # type: ignore[return-value]
        return lead

    def plan(self, case: Case, lead: User, needs: dict[str, str], assessed: date) -> None:
        rng = self.rng
        pathways = [p for p in Pathway.values if needs[p] in (NeedLevel.MEDIUM, NeedLevel.HIGH)][:4]
        for n, pathway in enumerate(pathways):
            owner = self.owner_for(case, pathway, lead)
            action = plans.add_action(
                case=case, pathway=pathway, description=ACTIONS[pathway][n % 2], owner=owner,
                due_on=self.today + timedelta(days=1), by=lead,
            )  # fmt: skip
            created = assessed + timedelta(days=rng.randint(0, 5))
            fate = rng.choices(["overdue", "done", "open", "in_progress"], weights=[25, 35, 25, 15])[0]
            if fate == "done":
                plans.set_action_status(action=action, status=ActionStatus.DONE, by=owner, version=action.version)
                finished = min(self.today - timedelta(days=1), created + timedelta(days=rng.randint(10, 40)))
                PlanAction.objects.filter(pk=action.pk).update(
                    due_on=finished + timedelta(days=rng.randint(0, 10)), completed_on=finished
                )
            elif fate == "overdue":
                PlanAction.objects.filter(pk=action.pk).update(due_on=self.today - timedelta(days=rng.randint(2, 30)))
            else:
                if fate == "in_progress":
                    plans.set_action_status(action=action, status=ActionStatus.IN_PROGRESS, by=owner, version=1)
                PlanAction.objects.filter(pk=action.pk).update(due_on=self.today + timedelta(days=rng.randint(3, 45)))
            PlanAction.objects.filter(pk=action.pk).update(created_at=_at(created, 11))
            self.summary.actions += 1

    def refer(self, case: Case, lead: User, needs: dict[str, str], assessed: date) -> None:
        rng = self.rng
        wanted = [p for p in Pathway.values if needs[p] in (NeedLevel.MEDIUM, NeedLevel.HIGH)]
        used: set[int] = set()
        for pathway in wanted[:3]:
            referred_on = min(self.today, assessed + timedelta(days=rng.randint(3, 14)))
            options = [
                s for s in self.directory
                if pathway in s.pathways and s.pk not in used and not plans.eligibility_problems(s, case, referred_on)
            ]  # fmt: skip
            if not options:
                continue
            service = rng.choice(options)
            used.add(service.pk)
            intervention = plans.refer_to_service(
                case=case, service=service, pathway=pathway, by=lead, referred_on=referred_on,
                notes="Referred after the needs assessment.",
            )  # fmt: skip
            self.summary.interventions += 1
            fate = rng.choices(FATES, weights=[35, 25, 15, 10, 15])[0]
            if fate == "referred":
                continue
            start = referred_on + timedelta(days=rng.randint(5, 20))
            if fate == "declined" or start > self.today:
                if fate == "declined":
                    plans.move_intervention(
                        intervention=intervention, status=InterventionStatus.DECLINED, by=lead, version=1,
                        on=min(start, self.today), notes="Did not want to take it up.",
                    )  # fmt: skip
                continue
            intervention = plans.move_intervention(
                intervention=intervention, status=InterventionStatus.ONGOING, by=lead, version=1, on=start
            )
            offered = rng.randint(3, 12)
            attended = offered if fate == "completed" else rng.randint(1, offered)
            intervention = plans.record_sessions(
                intervention=intervention, offered=offered, attended=attended, by=lead, version=intervention.version
            )
            end = start + timedelta(days=rng.randint(30, 90))
            if fate in ("completed", "dropped_out") and end <= self.today:
                plans.move_intervention(
                    intervention=intervention, status=fate, by=lead, version=intervention.version, on=end
                )

    # ---- contacts and compliance -------------------------------------------------------------------------
    def meet(self, case: Case, lead: User, police: User) -> None:
        rng = self.rng
        every = {1: 7, 2: 14, 3: 28}.get(case.tier.level, 14)
        profile = rng.choices(["good", "mixed", "poor"], weights=[55, 30, 15])[0]
        weights = {"good": (86, 6, 4, 4), "mixed": (66, 12, 16, 6), "poor": (48, 10, 36, 6)}[profile]
        outcomes = (ContactOutcome.ATTENDED, ContactOutcome.LATE, ContactOutcome.MISSED, ContactOutcome.EXCUSED)
        day = case.opened_on + timedelta(days=2)
        while day < self.today:
            if day.weekday() < 5:
                by = lead if rng.random() < 0.7 else police
                kind = rng.choice([ContactKind.OFFICE, ContactKind.OFFICE, ContactKind.HOME_VISIT, ContactKind.PHONE])
                if by.agency.code == "police":
                    kind = rng.choice([ContactKind.HOME_VISIT, ContactKind.PHONE])
                outcome = rng.choices(outcomes, weights=weights)[0]
                at = _at(day, rng.choice([9, 10, 11, 14, 15]), rng.choice([0, 30]))
                contact = contacts.add_contact(
                    case=case, kind=kind, scheduled_at=at, by=by, outcome=outcome,
                    notes=rng.choice(CONTACT_NOTES[outcome]),
                )  # fmt: skip
                Contact.objects.filter(pk=contact.pk).update(outcome_recorded_at=at + timedelta(hours=2))
                self.summary.contacts += 1
            day += timedelta(days=every + rng.randint(-2, 2))
        next_day = self.today + timedelta(days=rng.randint(1, every))
        contacts.add_contact(case=case, kind=ContactKind.OFFICE, scheduled_at=_at(next_day, 10), by=lead)
        self.summary.contacts += 1

    # ---- moves in the pyramid ----------------------------------------------------------------------------
    def history(self, case: Case, lead: User) -> None:
        """About one case in four was placed at another tier first and moved after a review."""
        if self.rng.random() > 0.25 or len(self.tiers) < 2:
            return
        current = case.tier.level
        earlier = current + 1 if current + 1 in self.tiers else current - 1
        if earlier not in self.tiers:
            return
        reason = (
            "Further arrests and missed appointments: more intensive management agreed at the panel."
            if earlier > current
            else "Stable accommodation and good compliance for three months: stepped down at the panel."
        )
        # Placed at the earlier tier when the case opened, then moved by the service as any move is.
        TierChange.objects.filter(case=case).update(to_tier=self.tiers[earlier])
        Case.objects.filter(pk=case.pk).update(tier=self.tiers[earlier])
        case.refresh_from_db()
        moved = services.change_tier(case=case, tier=self.tiers[current], by=lead, reason=reason, version=None)
        TierChange.objects.filter(pk=moved.pk).update(at=_at(case.opened_on + timedelta(days=60), 15))

    # ---- enforcement -------------------------------------------------------------------------------------
    def enforcement(self) -> None:
        """A warning after a missed appointment and then breach action, on the statutory case with the
        most missed appointments; a police enforcement action on another case."""
        statutory = [c for c in self.cases if c.statutory and c.lead_agency.code == "probation"]
        if not statutory:
            return
        worst = max(statutory, key=lambda c: (c.contacts.filter(outcome=ContactOutcome.MISSED).count(), -c.pk))
        missed = list(worst.contacts.filter(outcome=ContactOutcome.MISSED).order_by("scheduled_at"))
        lead = worst.lead_professional
        if missed:
            first = missed[0]
            contacts.record_enforcement(
                case=worst, kind=EnforcementKind.WARNING, by=lead, contact=first,
                taken_on=timezone.localdate(first.scheduled_at) + timedelta(days=1),
                details="Formal warning letter: the next unacceptable absence will lead to breach action.",
            )  # fmt: skip
            self.summary.enforcements += 1
        if len(missed) > 1:
            last = missed[-1]
            contacts.record_enforcement(
                case=worst, kind=EnforcementKind.BREACH, by=lead, contact=last,
                taken_on=timezone.localdate(last.scheduled_at) + timedelta(days=2),
                details="Breach action started: second unacceptable absence within twelve months after a warning.",
            )  # fmt: skip
            self.summary.enforcements += 1
        police = self.users["police_officer"]
        others = [c for c in self.cases if c != worst and c.involvements.filter(agency=police.agency).exists()]
        if others:
            contacts.record_enforcement(
                case=others[0], kind=EnforcementKind.POLICE_ACTION, by=police,
                taken_on=self.today - timedelta(days=9),
                details="Stop and search on the estate after a report of a burglary; nothing found, words of advice.",
            )  # fmt: skip
            self.summary.enforcements += 1
