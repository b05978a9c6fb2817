"""A panel month that can be made busier, for the panels pages' query-count tests.

The IOM Panel meets on Tuesday 12 January 2027 (the clock is frozen on 24 November 2026). Four
member organisations attend, so the meeting is quorate. `PanelBuilder.grow(k)` adds `k` of every
kind of thing the panels pages list: referrals (each with its status history) put on the agenda,
decisions with every organisation's vote (rejections, deferrals and selections, which open a case),
guests attending, action points (some of them the police officer's), and the minutes are redrafted;
each call also schedules another meeting and records one last month with its own actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from openiom.accounts.models import Agency, User
from openiom.cases.models import Tier
from openiom.panels.constants import Capacity, MeetingStatus, Outcome
from openiom.panels.models import AgendaItem, Meeting, Panel, Referral
from openiom.panels.services import (
    add_action,
    build_agenda,
    decide,
    record_attendance,
    refer,
    save_minutes,
    schedule_meeting,
)

from .case_builder import CaseBuilder

MEETING_DAY = date(2027, 1, 12)
MEMBERS = ("probation", "police", "housing", "substance")


@dataclass
class PanelBuilder:
    cases: CaseBuilder

    def __post_init__(self) -> None:
        self.users: dict[str, User] = self.cases.users
        self.panel = Panel.objects.get(code="iom")
        self.coordinator = self.users["iom_coordinator"]
        self.meeting = self._schedule(MEETING_DAY)
        for i, code in enumerate(MEMBERS):
            record_attendance(meeting=self.meeting, agency=self.agency(code), name=f"Member {i}", by=self.coordinator)
        self.months = 1

    def _schedule(self, day: date) -> Meeting:
        return schedule_meeting(panel=self.panel, day=day, by=self.coordinator)

    def agency(self, code: str) -> Agency:
        return Agency.objects.get(code=code)

    @property
    def votes(self) -> dict[int, str]:
        return {self.agency(code).pk: "for" for code in MEMBERS}

    def referrals(self, k: int) -> list[Referral]:
        officer = self.users["police_officer"]
        return [
            refer(
                panel=self.panel, person=self.cases.person(), reason=f"Loadtest referral {i}",
                nominating_officer=officer, referred_by=officer,
            ).referral
            for i in range(k)
        ]  # fmt: skip

    def grow(self, k: int) -> None:
        officer, chair = self.users["police_officer"], self.users["panel_chair"]
        # A decision marks the meeting held, and a held meeting takes no referrals and its agenda cannot be
        # built: open it again first (the end state is what a long meeting leaves: many items and decisions).
        Meeting.objects.filter(pk=self.meeting.pk).update(status=MeetingStatus.SCHEDULED)
        self.referrals(k)
        items = [i for i in build_agenda(meeting=self.meeting, by=self.coordinator) if i.referral_id]
        for n, item in enumerate(items[: max(1, k // 2)]):  # half of the new items decided, half waiting
            self._decide(item, n)
        for n in range(k):
            record_attendance(
                meeting=self.meeting, agency=self.agency(MEMBERS[n % 4]), name=f"Loadtest guest {n}",
                by=self.coordinator, capacity=Capacity.GUEST,
            )  # fmt: skip
            add_action(
                meeting=self.meeting, description=f"Loadtest panel action {n}",
                owner=officer if n % 2 == 0 else self.users["offender_manager"],
                due_date=MEETING_DAY + timedelta(days=14 + n), by=self.coordinator,
                item=items[n % len(items)] if items else None,
            )  # fmt: skip
        meeting = Meeting.objects.get(pk=self.meeting.pk)
        text = "\n".join(f"Loadtest minute {n}: item discussed." for n in range(k))
        save_minutes(meeting=meeting, text=text, by=chair, version=meeting.version)
        # another meeting ahead, and one held last month with its own actions (the panels page lists both)
        self.months += 1
        ahead = self._schedule(MEETING_DAY + timedelta(days=28 * self.months))
        add_action(
            meeting=ahead, description="Loadtest action ahead", owner=officer,
            due_date=ahead.date + timedelta(days=7), by=self.coordinator,
        )  # fmt: skip
        past = date(2026, 11, 24) - timedelta(days=7 * self.months)  # a meeting cannot be scheduled in the past
        Meeting.objects.create(
            panel=self.panel, date=past, start_time=self.panel.meeting_time, location=self.panel.location
        )

    def _decide(self, item: AgendaItem, n: int) -> Any:
        chair = self.users["panel_chair"]
        outcome = (Outcome.SELECT, Outcome.REJECT, Outcome.DEFER)[n % 3]
        extra: dict[str, Any] = {}
        if outcome == Outcome.SELECT:
            extra = {
                "cohort": "PPO",
                "tier": Tier.objects.get(level=2),
                "lead_professional": self.users["offender_manager"],
            }
        return decide(item=item, outcome=outcome, reasons=f"Loadtest reasons {n}", votes=self.votes, by=chair, **extra)
