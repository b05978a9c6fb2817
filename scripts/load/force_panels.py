"""Six months of panel work at a force's scale, played through the panel services on their dates.

For each of the last `months_back` months the IOM Panel meeting is scheduled, the co-ordinator
refers the next nominations of the latest selection run (as the Refer button on a run does), the
agenda is built five working days before (referrals and every case due for review), five
organisations attend, the panel decides each referral (select, reject or defer, with every
organisation's vote), de-selects a few reviewed cases, sets action points, and the chair approves
the minutes. The clock is moved to each date (time-machine), so every record carries the date it
would have. Then the next six months of meetings of every panel are scheduled, this month's
referrals received, and the next IOM agenda built. Synthetic data only.
"""

from __future__ import annotations

import random
import time
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.db import transaction
from django.utils import timezone
from force_staff import Staff

from openiom.cases.constants import Cohort
from openiom.cases.models import Case, Tier
from openiom.cohort.models import SelectionRun
from openiom.panels import services
from openiom.panels.constants import AgendaKind, Outcome
from openiom.panels.models import AgendaItem, Meeting, Panel, Referral
from openiom.panels.papers import draft_minutes
from openiom.panels.workingdays import add_working_days

LONDON = ZoneInfo("Europe/London")
SEED = 11
ATTENDING = ("probation", "police", "csp", "housing", "substance")  # five organisations: quorate (four)
REVIEW_DESELECTIONS = 3  # reviewed cases the panel steps out of IOM at each meeting
ACTIONS = (
    "Share the housing register position with probation before the next review",
    "Ask the drug team for an assessment date",
    "Check the address with the neighbourhood team",
)


def _travel(day: date, hour: int) -> Any:
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=LONDON), tick=False)


def _months_before(today: date, count: int) -> list[tuple[int, int]]:
    year, month, out = today.year, today.month, []
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        out.append((year, month))
    return list(reversed(out))


class _Candidates:
    """The latest run's nominations in rank order, each offered once, that are free to be referred."""

    def __init__(self, run: SelectionRun, route: str) -> None:
        self.keys = list(
            run.scores.nominations().filter(route=route, person__isnull=False).values_list("person_key", flat=True)
        )
        self.position = 0

    def take(self, count: int) -> list[int]:
        busy = set(Case.objects.open().values_list("person_id", flat=True)) | set(
            Referral.objects.open().values_list("person_id", flat=True)
        )
        chosen: list[int] = []
        while len(chosen) < count and self.position < len(self.keys):
            key = self.keys[self.position]
            self.position += 1
            if key not in busy:
                chosen.append(key)
        return chosen


def _hold(meeting: Meeting, rng: random.Random, staff: Staff, chair: Any, turn: list[int]) -> dict[str, int]:
    """Attendance, decisions, actions and approved minutes for a meeting on its day."""
    from openiom.accounts.models import Agency

    done = {"selected": 0, "rejected": 0, "deferred": 0, "deselected": 0}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=ATTENDING)}
    for i, code in enumerate(ATTENDING):
        services.record_attendance(meeting=meeting, agency=agencies[code], name=f"Member {i + 1}", by=chair)
    votes = {a.pk: "for" for a in agencies.values()}
    tier = Tier.objects.filter(is_active=True).order_by("level")[1]
    items = AgendaItem.objects.filter(meeting=meeting).select_related("referral", "case").order_by("position")
    deselections = 0
    for item in items:
        if item.kind == AgendaKind.NEW_REFERRAL and item.referral is not None:
            outcome = rng.choices((Outcome.SELECT, Outcome.REJECT, Outcome.DEFER), weights=(55, 25, 20))[0]
            extra: dict[str, Any] = {}
            if outcome == Outcome.SELECT:
                cohort = item.referral.suggested_cohort
                lead = staff.team("om")[turn[0] % len(staff.team("om"))]
                turn[0] += 1
                extra = {
                    "cohort": cohort if cohort in meeting.panel.selects_cohorts else Cohort.HCC,
                    "tier": tier,
                    "lead_professional": lead,
                }
            reasons = {
                Outcome.SELECT: "Meets the selection criteria; the partnership can add value.",
                Outcome.REJECT: "Offending is falling and probation manages the risk alone.",
                Outcome.DEFER: "More information needed from the drug team before deciding.",
            }[outcome]
            services.decide(item=item, outcome=outcome, reasons=reasons, votes=votes, by=chair, **extra)
            done[{"select": "selected", "reject": "rejected", "defer": "deferred"}[outcome]] += 1
        elif (
            item.kind == AgendaKind.REVIEW
            and deselections < REVIEW_DESELECTIONS
            and item.case is not None
            and item.case.opened_on <= meeting.date - timedelta(days=meeting.panel.review_every_days)
            and rng.random() < 0.1
        ):  # the caseload was built with dates set back: only cases that were open long before the meeting
            services.decide(
                item=item, outcome=Outcome.DESELECT, votes=votes, by=chair,
                reasons="Exit panel: no further offending and the plan's work is done; stepped out of IOM.",
            )  # fmt: skip
            deselections += 1
            done["deselected"] += 1
    for n, text in enumerate(ACTIONS):
        owner = staff.team("po")[(turn[0] + n) % len(staff.team("po"))]
        services.add_action(
            meeting=meeting, description=text, owner=owner, due_date=meeting.date + timedelta(days=14), by=chair
        )
    meeting = services.save_minutes(meeting=meeting, text=draft_minutes(meeting), by=chair)
    services.approve_minutes(meeting=meeting, by=chair, version=meeting.version)
    return done


def seed_panels(staff: Staff, *, referrals_per_meeting: int, months_back: int = 6, months_ahead: int = 6) -> str:
    started = time.perf_counter()
    if Meeting.objects.exists():
        return f"{Meeting.objects.count()} meetings already there, kept as they are"
    rng = random.Random(SEED)  # noqa: S311 (synthetic data, not security)
    run = SelectionRun.objects.succeeded().order_by("-created_at", "-pk").first()
    if run is None:
        raise SystemExit("run the selection step first: referrals come from its nominations")
    iom, dyo = Panel.objects.get(code="iom"), Panel.objects.get(code="dyo")
    coordinator = staff.team("coord")[0]
    from openiom.accounts.models import User

    chair = User.objects.get(roles__code="panel_chair", email__startswith="panel.chair@")
    adults, young = _Candidates(run, "IOM"), _Candidates(run, "DYO")
    today = timezone.localdate()
    totals: dict[str, int] = {}
    turn = [0]
    police = staff.team("po")
    for year, month in _months_before(today, months_back):
        day = services.nth_weekday(year, month, iom.meeting_weekday, iom.meeting_week)
        with _travel(day - timedelta(days=28), 9), transaction.atomic():
            meeting = services.schedule_meeting(panel=iom, day=day, by=coordinator)
            services.refer_from_selection(
                run=run, person_keys=adults.take(referrals_per_meeting), panel=iom,
                nominating_officer=police[month % len(police)], by=coordinator,
            )  # fmt: skip
        with _travel(add_working_days(day, -iom.papers_days), 9), transaction.atomic():
            services.build_agenda(meeting=meeting, by=coordinator)
        with _travel(day, 12), transaction.atomic():
            for key, n in _hold(meeting, rng, staff, chair, turn).items():
                totals[key] = totals.get(key, 0) + n
        print(f"  held the IOM Panel of {day:%-d %B %Y} ({time.perf_counter() - started:.0f} s)", flush=True)
    with transaction.atomic():
        first = today.replace(day=1)
        scheduled = sum(
            len(services.schedule_series(panel=p, first_month=first, months=months_ahead, by=coordinator))
            for p in Panel.objects.filter(is_active=True)
        )
        services.refer_from_selection(
            run=run, person_keys=adults.take(referrals_per_meeting), panel=iom,
            nominating_officer=police[0], by=coordinator,
        )  # fmt: skip
        services.refer_from_selection(
            run=run, person_keys=young.take(max(2, referrals_per_meeting // 5)), panel=dyo,
            nominating_officer=staff.team("yot")[0], by=coordinator,
        )  # fmt: skip
        following = Meeting.objects.filter(panel=iom, date__gt=today).order_by("date").first()
        agenda = len(services.build_agenda(meeting=following, by=coordinator)) if following else 0
    decided = ", ".join(f"{n} {k}" for k, n in totals.items())
    return (
        f"{months_back} IOM Panel meetings held ({decided}); {scheduled} meetings scheduled ahead; "
        f"{Referral.objects.count()} referrals in all; the next IOM agenda has {agenda} items; "
        f"in {time.perf_counter() - started:.0f} s"
    )
