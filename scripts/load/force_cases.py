"""A force-sized caseload built with the demo's case builders, spread over a force's team.

`seed_open_cases` opens a case for each of the top nominations of the latest selection run (as
`openiom.cases.demo.seed_demo_cases` does for the demo's 38), led round-robin by the force's
offender managers, police officers and YOT workers, and gives each the months of work the demo
builder gives: needs assessments, a plan, referrals to services, contacts, tier moves. Some cases
get linked repeat or vulnerable victims. `seed_history` adds the closed cases of earlier years the
reports need, selected by the real scoring each quarter as `seed_demo_history` does, at the
force's intake instead of the demo's four adults a quarter.

Everything goes through the service functions the pages use (audited, guarded); only the
timestamps of history are set back, as in the demo. Deterministic for a given seed and day.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from force_staff import Staff

from openiom.cases import reminders, services, victims
from openiom.cases.constants import CaseStatus, Cohort, NeedLevel, Pathway
from openiom.cases.demo import ROSH, DemoCaseSummary, _at, _Builder, _review_old_prompts, _users
from openiom.cases.demo_history import (
    HISTORY_REASONS,
    SHIFT,
    DemoHistorySummary,
    _closed_cases_by_person,
    _Historian,
    _Nominee,
    entry_dates,
)
from openiom.cases.locking import CaseError
from openiom.cases.models import Case, CohortMembership, PlanAction, ReviewPrompt, Task, Tier, TierChange
from openiom.offending.models import Offence
from openiom.people.models import Person

SEED = 9

# ---- open cases ------------------------------------------------------------------------------------------


@dataclass
class ForceBuilder(_Builder):
    """The demo's builder with the force's team as lead professionals, police and partner key workers."""

    staff: Staff = field(default_factory=Staff)
    turns: dict[str, int] = field(default_factory=dict)

    def next_of(self, team: str) -> Any:
        members = self.staff.team(team)
        turn = self.turns.get(team, 0)
        self.turns[team] = turn + 1
        return members[turn % len(members)]

    def lead_for(self, index: int, cohort: str) -> Any:
        if cohort == Cohort.DYO:
            return self.next_of("yot")
        # Most adult cases are statutory and led by probation; about one in four by the police.
        return self.next_of("po") if index % 4 == 3 else self.next_of("om")

    def build(self, index: int, person: Person, cohort: str, framework: str) -> None:
        """As `_Builder.build`, with the police key worker and partners taken in turn from the team."""
        rng, coordinator = self.rng, self.users["iom_coordinator"]
        lead = self.lead_for(index, cohort)
        statutory = lead.agency.agency_type in ("probation", "youth_offending")
        opened = self.today - timedelta(days=rng.randint(75, 400))
        level = rng.choices([1, 2, 3], weights=[25, 45, 30])[0]
        tier = self.tiers.get(level) or next(iter(self.tiers.values()))
        case = services.open_case(
            person=person, cohort=cohort, tier=tier, lead_professional=lead, framework=framework,
            statutory=statutory, opened_on=opened, by=coordinator, rosh_level=rng.choice(ROSH) if statutory else "",
        )  # fmt: skip
        TierChange.objects.filter(case=case).update(at=_at(opened, 14))
        self.cases.append(case)
        self.summary.created += 1
        self.summary.by_lead[lead.full_name] = self.summary.by_lead.get(lead.full_name, 0) + 1
        police = self.next_of("po") if lead.agency.code != "police" else lead
        if lead.agency.code != "police":
            services.add_involvement(
                case=case, agency=police.agency, key_worker=police, role="IOM police officer", by=coordinator
            )
        if cohort == Cohort.PPO and rng.random() < 0.4:
            joined = opened + timedelta(days=20)
            services.add_membership(case=case, cohort=Cohort.DIP, by=coordinator, started_on=joined)
        first, latest = self.assess(case, lead)
        self.involve_partners(case, latest, index)
        self.plan(case, lead, latest, first)
        self.refer(case, lead, latest, first)
        self.meet(case, lead, police)
        self.history(case, lead)

    def involve_partners(self, case: Case, needs: dict[str, str], index: int) -> None:
        coordinator = self.users["iom_coordinator"]
        if case.cohort == Cohort.DYO:
            return
        wanted = (
            ("housing", Pathway.ACCOMMODATION, "Housing resettlement", index % 2 == 1),
            ("drugs", Pathway.DRUGS_ALCOHOL, "Drug and alcohol worker", False),
            ("mh", Pathway.HEALTH, "Mental health", False),
        )
        for team, pathway, role, also_medium in wanted:
            level = needs.get(pathway)
            if level == NeedLevel.HIGH or (also_medium and level == NeedLevel.MEDIUM):
                worker = self.next_of(team)
                services.add_involvement(case=case, agency=worker.agency, key_worker=worker, role=role, by=coordinator)


VICTIM_LABELS = ("Victim A", "Victim B")
RELATIONSHIPS = ("Former partner", "Neighbour", "Shop staff at a local store", "Family member")


def _victims(rng: random.Random, cases: list[Case], today: date) -> int:
    """About one case in six has a linked repeat or vulnerable victim, added by its lead professional."""
    added = 0
    for case in cases:
        if rng.random() > 1 / 6:
            continue
        for label in VICTIM_LABELS[: rng.choice((1, 1, 2))]:
            try:
                victim = victims.add_victim(
                    case=case, by=case.lead_professional, label=label, relationship=rng.choice(RELATIONSHIPS),
                    repeat=True, vulnerable=rng.random() < 0.4, safety_notes="Keep the address out of shared papers.",
                )  # fmt: skip
            except CaseError:
                break  # the lead's agency may not record victims on this case
            added += 1
            if rng.random() < 0.5:
                victims.refer_to_victim_support(
                    victim=victim, by=case.lead_professional, version=victim.version,
                    referred_on=min(today, case.opened_on + timedelta(days=rng.randint(3, 40))),
                )  # fmt: skip
    return added


def _people(adults: int, young: int, today: date) -> list[tuple[Person, str, str]]:
    """(person, cohort, framework): the latest selection run's top nominations, adults and young people."""
    from openiom.cohort.models import SelectionRun

    run = SelectionRun.objects.succeeded().order_by("-created_at", "-pk").first()
    if run is None:
        raise SystemExit("run the selection step first: the caseload comes from its nominations")
    nominations = run.scores.nominations().filter(person__isnull=False).select_related("person").order_by("rank", "pk")
    iom: list[tuple[Person, str, str]] = []
    dyo: list[tuple[Person, str, str]] = []
    for s in nominations.iterator():
        if s.person is None:
            continue
        chosen = dyo if s.cohort == Cohort.DYO else iom
        limit = young if s.cohort == Cohort.DYO else adults
        if len(chosen) < limit:
            chosen.append((s.person, s.cohort or Cohort.HCC, s.framework))
        if len(iom) >= adults and len(dyo) >= young:
            break
    return [*iom, *dyo]


def seed_open_cases(staff: Staff, *, adults: int, young: int, today: date | None = None) -> str:
    today = today or timezone.localdate()
    if Case.objects.open().exists():
        return f"{Case.objects.open().count()} open cases already there, kept as they are"
    started = time.perf_counter()
    services.default_tiers()
    from openiom.directory.seed import seed_demo_services

    summary = DemoCaseSummary()
    builder = ForceBuilder(
        rng=random.Random(SEED),  # noqa: S311 (synthetic data, not security)
        today=today, users=_users(), directory=[s for s in seed_demo_services() if s.is_active],
        tiers={t.level: t for t in Tier.objects.filter(is_active=True)}, summary=summary, staff=staff,
    )  # fmt: skip
    people = _people(adults, young, today)
    for index, (person, cohort, framework) in enumerate(people):
        with transaction.atomic():
            builder.build(index, person, cohort, framework)
        if (index + 1) % 50 == 0:
            print(f"  {index + 1:,} of {len(people):,} cases ({time.perf_counter() - started:.0f} s)", flush=True)
    try:
        with transaction.atomic():
            builder.enforcement()
    except CaseError as exc:  # the demo dates a warning the day after a missed appointment: maybe tomorrow
        print(f"  no enforcement example: {exc}")
    with transaction.atomic():
        reminders.run_reminders(today)
        _review_old_prompts(today)
        added = _victims(builder.rng, builder.cases, today)
    summary.prompts = ReviewPrompt.objects.filter(status="open").count()
    summary.tasks = Task.objects.open().count()
    summary.overdue_actions = PlanAction.objects.overdue(today).count()
    return f"{summary}, {added} linked victims, in {time.perf_counter() - started:.0f} s"


# ---- closed cases of earlier years -----------------------------------------------------------------------


@dataclass
class ForceHistorian(_Historian):
    staff: Staff = field(default_factory=Staff)

    def lead_for(self, cohort: str) -> Any:
        if cohort == Cohort.DYO:
            return self.rng.choice(self.staff.team("yot"))
        team = self.rng.choices(("om", "po"), weights=(70, 30))[0]
        return self.rng.choice(self.staff.team(team))


def _nominations(days: list[date], candidates: int) -> dict[date, tuple[list[_Nominee], list[_Nominee]]]:
    """As `demo_history._nominations`, keeping `candidates` nominations per route and date."""
    from openiom.analytics import SelectionConfig, run_scores
    from openiom.cohort.adapter import scoring_inputs

    found: dict[date, tuple[list[_Nominee], list[_Nominee]]] = {}
    with scoring_inputs() as scoring:
        for day in days:
            frame = run_scores(scoring.con, scoring.inputs, day - timedelta(days=1), SelectionConfig())
            rows = frame.filter(frame["nominated"] & ~frame["in_custody"].fill_null(False)).to_dicts()
            routes: dict[str, list[_Nominee]] = {"IOM": [], "DYO": []}
            for row in rows:
                chosen = routes.get(row["route"])
                if chosen is not None and len(chosen) < candidates and row["cohort"] in Cohort.values:
                    chosen.append(_Nominee(int(row["person_key"]), row["cohort"], row["framework"] or ""))
            found[day] = (routes["IOM"], routes["DYO"])
    return found


def seed_history(staff: Staff, *, adults: int, young_january: int, young_july: int) -> str:
    """As `seed_demo_history`, with `adults` entering each quarter and young people each January and July."""
    started = time.perf_counter()
    today = timezone.localdate()
    summary = DemoHistorySummary()
    if Case.objects.filter(status=CaseStatus.CLOSED, close_reason__in=HISTORY_REASONS).exists():
        return "closed cases of earlier years already there, kept as they are"
    latest = Offence.objects.aggregate(latest=Max("outcome_date"))["latest"]
    if latest is None:
        return "no offending data to select from"
    days = entry_dates(min(latest, today))
    from openiom.directory.seed import seed_demo_services

    directory = {s.name: s for s in seed_demo_services() if s.is_active}
    from openiom.cases.demo_history import ADULTS_PER_ENTRY, OTHER_SERVICES, PPO_PLACES

    historian = ForceHistorian(
        rng=random.Random(SEED),  # noqa: S311 (synthetic data, not security)
        users=_users(), tiers={t.level: t for t in Tier.objects.filter(is_active=True)}, shift=directory.get(SHIFT),
        others=[directory[n] for n in OTHER_SERVICES if n in directory], last_day=min(latest, today),
        summary=summary, staff=staff,
    )  # fmt: skip
    historian.periods.update(_closed_cases_by_person())
    historian.never.update(Case.objects.open().values_list("person_id", flat=True))
    nominations = _nominations(days, candidates=adults * 3)
    print(f"  scored {len(days)} quarters ({time.perf_counter() - started:.0f} s)", flush=True)
    for day in days:
        iom, dyo = nominations[day]
        with transaction.atomic():
            # The demo gives PPO_PLACES of its ADULTS_PER_ENTRY to the PPO strand first; the same share here.
            historian.enter(day, iom, adults, ppo_places=adults * PPO_PLACES // ADULTS_PER_ENTRY)
            historian.enter(day, dyo, {1: young_january, 7: young_july}.get(day.month, 0))
    cases = Case.objects.filter(close_reason__in=HISTORY_REASONS)
    cohorts: dict[str, int] = {}
    for cohort in CohortMembership.objects.filter(case__in=cases).values_list("cohort", flat=True):
        cohorts[cohort] = cohorts.get(cohort, 0) + 1
    summary.memberships_by_cohort = cohorts
    summary.people = cases.values("person_id").distinct().count()
    summary.selection_runs, summary.first_entry, summary.last_entry = len(days), days[0], days[-1]
    summary.seconds = time.perf_counter() - started
    return str(summary)
