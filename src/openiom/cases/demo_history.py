"""Synthetic case history for the demo: a partnership that has run IOM since 2019.

The current demo cases (`demo.seed_demo_cases`) opened in the last year or so, too recently to
measure anything. `seed_demo_history()` adds the closed cases of earlier years that evaluation
needs: every quarter from January 2019 until 18 months before the latest outcome in the data (so
that everyone's follow-up for proven reoffending is complete), it runs the real cohort selection
scoring as of the day before the entry date and opens a case for the top few nominations, adults
on the IOM route and, each January, young people for Deter Young Offenders. Each case has a needs
assessment at entry, often a referral to a service (the SHIFT care farm for about two in five
PPO cases, whom the directory lets it take), and closes 9 to 24 months after entry.

Everything goes through the service functions the pages use, dated in the past, so every change
is audited and guarded. Nothing is left open on a closed case: no prompts, tasks, plan actions or
involvements. Deterministic: the same seed and data give the same history. It runs once: when
its cases are there (recognised by their close reasons) it changes nothing.

Choices a reader may question:
- A person with an open case (one of the current demo cases) gets no history: `open_case`
  refuses anyone with an open case, whatever the dates.
- Nominations in custody on the scoring date are passed over: they would enter the cohort for
  pre-release planning, and their follow-up would start in prison.
- The SHIFT care farm is for the PPO cohort only (the directory's eligibility rule), so HCC and
  DIP cases are never referred to it; some of them go to other services instead.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from openiom.accounts.models import User
from openiom.demo import DEMO_DOMAIN, DEMO_SEED
from openiom.directory.models import Service
from openiom.offending.models import Offence
from openiom.people.models import Person

from . import plans, services
from .constants import CaseStatus, Cohort, InterventionStatus, NeedLevel, Pathway
from .demo import LEVELS, NEED_WEIGHTS, ROSH, SUMMARIES, _users
from .models import Case, CohortMembership, Intervention, Tier
from .reminders import add_months

__all__ = ["HISTORY_REASONS", "SHIFT", "DemoHistorySummary", "entry_dates", "seed_demo_history"]

FIRST_ENTRY = date(2019, 1, 15)
FOLLOW_UP_MONTHS = 18  # twelve months to reoffend and six more for the offence to be proven
MONTHS_BETWEEN = 3  # entries on 15 January, April, July and October
ADULTS_PER_ENTRY = 4
# The top of the IOM route is mostly High Crime Causers: two places an entry go to the PPO strand first,
# so that the SHIFT care farm (PPO only) has enough participants, and non-participants, to evaluate.
PPO_PLACES = 2
YOUNG_IN_JANUARY = 4  # so the January-March Deter Young Offenders snapshot has a cohort every year
YOUNG_IN_JULY = 1
CANDIDATES = 40  # nominations kept per route and entry date
SHIFT = "SHIFT care farm"
SHIFT_SHARE = 0.4
OTHER_SERVICES = (
    "Thinking for a Change",
    "Routes to Work",
    "Criminal justice drug and alcohol team",
    "Through the Gate mentors",
    "Choices and Consequences",
    "Young people's substance use service",
)
# The close reasons of the history; also how a second run recognises that the history is there.
CLOSE_REASONS = (
    "Exit panel: no further offending and the plan's work is done; stepped out of IOM.",
    "Exit panel: settled housing and in work or training; managed by probation alone from now on.",
    "Exit panel: offending has fallen and the person engages; support continues through universal services.",
    "Moved out of the borough; the receiving IOM scheme has the case.",
)
YOUNG_CLOSE_REASON = "Deter Young Offenders review: the order is complete and the YOT closes the case."
HISTORY_REASONS = (*CLOSE_REASONS, YOUNG_CLOSE_REASON)


@dataclass
class DemoHistorySummary:
    created: int = 0
    kept: int = 0
    people: int = 0
    selection_runs: int = 0
    first_entry: date | None = None
    last_entry: date | None = None
    memberships_by_cohort: dict[str, int] = field(default_factory=dict)
    assessments: int = 0
    interventions: int = 0
    shift: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        if not self.created:
            if self.kept:
                return f"{self.kept} closed cases of earlier years already there, kept as they are"
            return "no earlier cases (no offending data to select from)"
        cohorts = ", ".join(f"{n} {c}" for c, n in sorted(self.memberships_by_cohort.items()))
        return (
            f"{self.created} closed cases of {self.people} people entered from {self.first_entry:%-d %b %Y} "
            f"to {self.last_entry:%-d %b %Y} ({self.selection_runs} selection runs; memberships {cohorts}), "
            f"{self.assessments} needs assessments, {self.interventions} referrals to services "
            f"({self.shift} to the {SHIFT}), in {self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class _Nominee:
    person_id: int
    cohort: str
    framework: str


def entry_dates(latest_outcome: date, *, first: date = FIRST_ENTRY, months_between: int = MONTHS_BETWEEN) -> list[date]:
    """Every `months_between` months from `first`, up to 18 months before the latest outcome."""
    last = add_months(latest_outcome, -FOLLOW_UP_MONTHS)
    dates, step = [], 0
    while (day := add_months(first, step * months_between)) <= last:
        dates.append(day)
        step += 1
    return dates


def _nominations(days: list[date]) -> dict[date, tuple[list[_Nominee], list[_Nominee]]]:
    """(adults on the IOM route, young people on the DYO route) in rank order, scored as of the day
    before each entry date; nominations in custody on that day are left out."""
    from openiom.analytics import SelectionConfig, run_scores
    from openiom.cohort.adapter import scoring_inputs

    config = SelectionConfig()
    found: dict[date, tuple[list[_Nominee], list[_Nominee]]] = {}
    with scoring_inputs() as scoring:
        for day in days:
            frame = run_scores(scoring.con, scoring.inputs, day - timedelta(days=1), config)
            rows = frame.filter(frame["nominated"] & ~frame["in_custody"].fill_null(False)).to_dicts()
            routes: dict[str, list[_Nominee]] = {"IOM": [], "DYO": []}
            for row in rows:  # in rank order within each route
                chosen = routes.get(row["route"])
                if chosen is not None and len(chosen) < CANDIDATES and row["cohort"] in Cohort.values:
                    chosen.append(_Nominee(int(row["person_key"]), row["cohort"], row["framework"] or ""))
            found[day] = (routes["IOM"], routes["DYO"])
    return found


@transaction.atomic
def seed_demo_history(
    *,
    seed: int = DEMO_SEED,
    today: date | None = None,
    first_entry: date = FIRST_ENTRY,
    months_between: int = MONTHS_BETWEEN,
) -> DemoHistorySummary:
    """Closed cases of earlier years, selected by the real scoring. Run it after `seed_demo_cases()`."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    summary = DemoHistorySummary()
    existing = Case.objects.filter(status=CaseStatus.CLOSED, close_reason__in=HISTORY_REASONS)
    if existing.exists():
        summary.kept = existing.count()
        return summary
    latest = Offence.objects.aggregate(latest=Max("outcome_date"))["latest"]
    if latest is None:
        return summary
    days = entry_dates(min(latest, today), first=first_entry, months_between=months_between)
    if not days:
        return summary
    services.default_tiers()
    from openiom.directory.seed import seed_demo_services

    directory = {s.name: s for s in seed_demo_services() if s.is_active}
    builder = _Historian(
        rng=random.Random(seed),  # noqa: S311 (synthetic demo data, not security)
        users=_users(),
        tiers={t.level: t for t in Tier.objects.filter(is_active=True)},
        shift=directory.get(SHIFT),
        others=[directory[name] for name in OTHER_SERVICES if name in directory],
        last_day=min(latest, today),
        summary=summary,
    )
    builder.periods.update(_closed_cases_by_person())
    builder.never.update(Case.objects.open().values_list("person_id", flat=True))
    nominations = _nominations(days)
    summary.selection_runs = len(days)
    for day in days:
        adults, young = nominations[day]
        builder.enter(day, adults, ADULTS_PER_ENTRY, ppo_places=PPO_PLACES)
        builder.enter(day, young, {1: YOUNG_IN_JANUARY, 7: YOUNG_IN_JULY}.get(day.month, 0))
    summary.first_entry, summary.last_entry = days[0], days[-1]
    cases = Case.objects.filter(close_reason__in=HISTORY_REASONS)
    summary.people = cases.values("person_id").distinct().count()
    for cohort in CohortMembership.objects.filter(case__in=cases).values_list("cohort", flat=True):
        summary.memberships_by_cohort[cohort] = summary.memberships_by_cohort.get(cohort, 0) + 1
    summary.seconds = time.perf_counter() - started
    return summary


def _closed_cases_by_person() -> dict[int, list[tuple[date, date]]]:
    periods: dict[int, list[tuple[date, date]]] = {}
    for person_id, opened, closed in Case.objects.filter(status=CaseStatus.CLOSED).values_list(
        "person_id", "opened_on", "closed_on"
    ):
        periods.setdefault(person_id, []).append((opened, closed or opened))
    return periods


@dataclass
class _Historian:
    rng: random.Random
    users: dict[str, User]
    tiers: dict[int, Tier]
    shift: Service | None
    others: list[Service]
    last_day: date
    summary: DemoHistorySummary
    periods: dict[int, list[tuple[date, date]]] = field(default_factory=dict)
    never: set[int] = field(default_factory=set)

    def free_on(self, person_id: int, day: date) -> bool:
        if person_id in self.never:
            return False
        return not any(opened <= day <= closed for opened, closed in self.periods.get(person_id, ()))

    def enter(self, day: date, nominees: list[_Nominee], wanted: int, ppo_places: int = 0) -> None:
        """The top `wanted` nominees free on the day, with up to `ppo_places` of them from the PPO cohort
        (its own strand of the scheme) before the others, in rank order."""
        free = [n for n in nominees if self.free_on(n.person_id, day)]
        ppo = [n for n in free if n.cohort == Cohort.PPO][:ppo_places]
        others = [n for n in free if n not in ppo][: max(0, wanted - len(ppo))]
        chosen = [n for n in free if n in ppo or n in others]
        people = Person.objects.in_bulk([n.person_id for n in chosen])
        for nominee in chosen:
            person = people.get(nominee.person_id)
            if person is not None:
                self.build(person, nominee, day)

    def lead_for(self, cohort: str) -> User:
        if cohort == Cohort.DYO:
            return self.users["yot_worker"]
        # Most adult cases are statutory and led by probation; some by the police.
        leads = ("offender_manager", f"tomasz.nowak@{DEMO_DOMAIN}", "police_officer", f"grace.lee@{DEMO_DOMAIN}")
        return self.users[self.rng.choices(leads, weights=[40, 30, 15, 15])[0]]

    def build(self, person: Person, nominee: _Nominee, entry: date) -> None:
        rng, coordinator = self.rng, self.users["iom_coordinator"]
        lead = self.lead_for(nominee.cohort)
        statutory = lead.agency.agency_type in ("probation", "youth_offending")
        level = rng.choices([1, 2, 3], weights=[25, 45, 30])[0]
        case = services.open_case(
            person=person, cohort=nominee.cohort, tier=self.tiers.get(level) or next(iter(self.tiers.values())),
            lead_professional=lead, framework=nominee.framework, statutory=statutory, opened_on=entry,
            by=coordinator, rosh_level=rng.choice(ROSH) if statutory else "",
        )  # fmt: skip
        if nominee.cohort == Cohort.PPO and rng.random() < 0.25:
            services.add_membership(case=case, cohort=Cohort.DIP, by=coordinator, started_on=entry + timedelta(days=20))
        # 9 to 24 months later, and never after the data ends.
        room = (self.last_day.year - entry.year) * 12 + self.last_day.month - entry.month - 1
        closed = min(
            add_months(entry, rng.randint(9, min(24, room))) + timedelta(days=rng.randint(0, 20)), self.last_day
        )
        needs = self.assess(case, lead, entry)
        self.refer(case, lead, entry, closed, needs)
        young = nominee.cohort == Cohort.DYO
        reason = YOUNG_CLOSE_REASON if young else rng.choices(CLOSE_REASONS, weights=[40, 25, 25, 10])[0]
        services.close_case(case=case, reason=reason, closed_on=closed, by=coordinator)
        self.periods.setdefault(person.pk, []).append((entry, closed))
        self.summary.created += 1

    def assess(self, case: Case, lead: User, entry: date) -> dict[str, str]:
        """A needs assessment dated at entry, for most cases."""
        rng = self.rng
        levels = {p: rng.choices(LEVELS, weights=NEED_WEIGHTS[p])[0] for p in Pathway.values}
        if rng.random() < 0.1:
            return levels  # never assessed: a gap the profile report shows
        needs = {
            p: plans.NeedInput(
                level=level,
                linked_to_offending=level in (NeedLevel.MEDIUM, NeedLevel.HIGH) and rng.random() < 0.7,
                notes="" if level == NeedLevel.NONE else f"{Pathway(p).label}: {level} need at assessment.",
            )
            for p, level in levels.items()
        }
        plans.record_assessment(case=case, by=lead, needs=needs, assessed_on=entry, summary=rng.choice(SUMMARIES[:3]))
        self.summary.assessments += 1
        return levels

    def refer(self, case: Case, lead: User, entry: date, closed: date, needs: dict[str, str]) -> None:
        """The SHIFT care farm for about two in five PPO cases; another service for some of the others."""
        rng = self.rng
        start = entry + timedelta(days=rng.randint(14, 70))  # two to ten weeks after entry
        referred = entry + timedelta(days=rng.randint(2, 12))
        shift = self.shift
        if shift is not None and rng.random() < SHIFT_SHARE and not plans.eligibility_problems(shift, case, referred):
            self.run(case, lead, shift, referred, start, closed, needs, weeks=(12, 26), complete=0.65)
            self.summary.shift += 1
            return
        if rng.random() > (0.5 if case.cohort == Cohort.DYO else 0.35):
            return
        options = [s for s in self.others if not plans.eligibility_problems(s, case, referred)]
        if options:
            self.run(case, lead, rng.choice(options), referred, start, closed, needs, weeks=(8, 16), complete=0.6)

    def run(
        self,
        case: Case,
        lead: User,
        service: Service,
        referred: date,
        start: date,
        closed: date,
        needs: dict[str, str],
        *,
        weeks: tuple[int, int],
        complete: float,
    ) -> Intervention:
        """Refer, start, record the sessions, and end (completed or dropped out) before the case closes."""
        rng = self.rng
        pathway = max(service.pathways, key=lambda p: LEVELS.index(needs.get(p, NeedLevel.NONE)))
        intervention = plans.refer_to_service(
            case=case, service=service, pathway=pathway, by=lead, referred_on=referred,
            notes="Referred after the needs assessment.",
        )  # fmt: skip
        self.summary.interventions += 1
        if rng.random() < 0.1:
            return plans.move_intervention(
                intervention=intervention, status=InterventionStatus.DECLINED, by=lead, version=intervention.version,
                on=start, notes="Did not want to take it up.",
            )  # fmt: skip
        intervention = plans.move_intervention(
            intervention=intervention,
            status=InterventionStatus.ONGOING,
            by=lead,
            version=intervention.version,
            on=start,
        )
        end = min(start + timedelta(weeks=rng.randint(*weeks)), closed)
        offered = max(1, (end - start).days // 7)  # a session a week
        completed = rng.random() < complete
        attended = offered - rng.randint(0, offered // 5) if completed else rng.randint(1, max(1, offered // 2))
        intervention = plans.record_sessions(
            intervention=intervention, offered=offered, attended=attended, by=lead, version=intervention.version
        )
        status = InterventionStatus.COMPLETED if completed else InterventionStatus.DROPPED_OUT
        return plans.move_intervention(
            intervention=intervention, status=status, by=lead, version=intervention.version, on=end
        )
