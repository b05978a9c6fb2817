"""A panel month for the page tests, with the clock frozen on 24 November 2026.

The IOM Panel meets on Tuesday 12 January 2027 (referral cut-off 24 December 2026); PC Dev Patel
has referred one person, the co-ordinator has built the agenda. Attendance, decisions, minutes
and actions are left to each test.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from openiom.accounts.models import Agency, User
from openiom.panels.models import AgendaItem, Meeting, Panel, Referral
from openiom.panels.services import build_agenda, record_attendance, refer, schedule_meeting
from openiom.people.models import Person

LONDON = ZoneInfo("Europe/London")
TODAY = datetime(2026, 11, 24, 12, 0, tzinfo=LONDON)
MEETING_DAY = date(2027, 1, 12)


def travel(day: str, hour: int = 12) -> Any:
    return time_machine.travel(datetime.fromisoformat(day).replace(hour=hour, tzinfo=LONDON), tick=False)


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


@dataclass
class PanelMonth:
    panel: Panel
    meeting: Meeting
    person: Person
    referral: Referral
    item: AgendaItem
    users: dict[str, User]

    def agency(self, code: str) -> Agency:
        return Agency.objects.get(code=code)

    def attend(self, *codes: str) -> None:
        for i, code in enumerate(codes):
            record_attendance(
                meeting=self.meeting,
                agency=self.agency(code),
                name=f"Member {i} of {code}",
                by=self.users["panel_chair"],
            )


@pytest.fixture
def month(frozen: None, partnership: dict[str, User]) -> PanelMonth:
    panel = Panel.objects.get(code="iom")
    coordinator, officer = partnership["iom_coordinator"], partnership["police_officer"]
    meeting = schedule_meeting(panel=panel, day=MEETING_DAY, by=coordinator)
    person = Person.objects.create(
        given_name="Jordan", family_name="Quill", date_of_birth=date(1996, 3, 27), gender="M", ethnicity="W"
    )
    result = refer(
        panel=panel, person=person, reason="Five burglaries since July", nominating_officer=officer, referred_by=officer
    )
    (item,) = build_agenda(meeting=meeting, by=coordinator)
    result.referral.refresh_from_db()
    return PanelMonth(panel, meeting, person, result.referral, item, partnership)
