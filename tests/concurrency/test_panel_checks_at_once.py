"""Panel changes whose check passed for two people at once, or that overwrote each other (the gap check).

- A referral withdrawn while the panel records its decision: the decision read the referral before the
  withdrawal and then wrote "selected" over "withdrawn", opening a case for a withdrawn referral. `decide`
  now takes the meeting, the item and then the referral, and refuses a referral that is no longer open.
- A referral withdrawn while the agenda is built: the agenda put it back "on an agenda". The agenda now
  takes each referral it lists, and PostgreSQL leaves off one withdrawn meanwhile.
- Attendance removed while a decision is recorded: the decision counted a quorum that no longer stood.
  Both now take the meeting first.
- The same person recorded as attending twice, the same meeting scheduled twice (an error page from the
  unique index), the same person referred twice: the second is now refused in words.

The first is held inside its transaction (after its check, or once it holds the row); the second runs then.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from openiom.cases.models import Case, Tier
from openiom.panels.constants import Outcome, ReferralStatus
from openiom.panels.models import AgendaItem, Attendance, Decision, Meeting, Referral
from openiom.panels.services import (
    PanelError,
    build_agenda,
    decide,
    record_attendance,
    refer,
    remove_attendance,
    schedule_meeting,
    withdraw_referral,
)
from openiom.people.models import Person
from tests.concurrency.racing import Hold, race, requires_postgresql
from tests.panels.conftest import PanelMonth

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]

FOUR = ("probation", "police", "housing", "substance")
ITEM_TAKEN = Hold(r'FROM "panels_agendaitem" .*FOR UPDATE')
REFERRAL_TAKEN = Hold(r'FROM "panels_referral" .*FOR UPDATE')


def _select(month: PanelMonth, item: AgendaItem) -> Any:
    return lambda: decide(
        item=item, outcome=Outcome.SELECT, reasons="Meets the criteria.",
        votes=dict.fromkeys((month.agency(c).pk for c in FOUR), "for"), by=month.users["panel_chair"],
        cohort="PPO", tier=Tier.objects.get(level=1), lead_professional=month.users["offender_manager"],
    )  # fmt: skip


def _withdraw(month: PanelMonth, referral: Referral) -> Any:
    return lambda: withdraw_referral(referral=referral, by=month.users["police_officer"], reason="Moved away")


def _referred(month: PanelMonth, given_name: str) -> Referral:
    person = Person.objects.create(
        given_name=given_name, family_name="Testperson", date_of_birth=date(1990, 1, 1), gender="M", ethnicity="W"
    )
    officer = month.users["police_officer"]
    return refer(
        panel=month.panel, person=person, reason="Prolific", nominating_officer=officer, referred_by=officer
    ).referral


def _withdrawn_and_undecided(referral: Referral, item: AgendaItem) -> None:
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN
    assert [e.status for e in referral.events.all()][-1] == ReferralStatus.WITHDRAWN
    assert not Decision.objects.filter(item=item).exists()
    assert not Case.objects.filter(person=referral.person).exists()


def test_panel_changes_at_once_take_turns(subtests: Any, month: PanelMonth, tiers: dict[int, Tier]) -> None:
    chair, coordinator = month.users["panel_chair"], month.users["iom_coordinator"]

    with subtests.test("the same person recorded as attending twice at once"):
        police = month.agency("police")

        def attend() -> Attendance:
            return record_attendance(meeting=month.meeting, agency=police, name="PC Dev Patel", by=chair,
                                     user=month.users["police_officer"])  # fmt: skip

        result = race(attend, attend, hold=Hold(r'^INSERT INTO "panels_attendance"', after=False))
        assert result.first.error is None, result.first.error
        assert isinstance(result.second.error, PanelError), result.second.error
        assert "PC Dev Patel is already recorded as attending" in str(result.second.error)
        assert result.second_waited
        assert month.meeting.attendance.filter(user=month.users["police_officer"]).count() == 1

    month.attend("probation", "housing", "substance")
    with subtests.test("the agenda built while a referral's withdrawal holds it"):
        late = _referred(month, "Casey")
        result = race(_withdraw(month, late), lambda: build_agenda(meeting=month.meeting, by=coordinator),
                      hold=REFERRAL_TAKEN)  # fmt: skip
        assert result.first.error is None, result.first.error
        assert result.second.error is None, result.second.error
        assert result.second_waited
        late.refresh_from_db()
        assert late.status == ReferralStatus.WITHDRAWN  # not put back on the agenda
        assert not month.meeting.items.filter(referral=late).exists()

    # Two more referrals on the agenda, for the decisions below (before any decision: a meeting with a
    # decision has been held, and its agenda is closed).
    avery, blake = _referred(month, "Avery"), _referred(month, "Blake")
    items = {i.referral_id: i for i in build_agenda(meeting=month.meeting, by=coordinator)}

    with subtests.test("a referral withdrawn while the decision on it holds its agenda item"):
        referral, item = avery, items[avery.pk]
        result = race(_select(month, item), _withdraw(month, referral), hold=ITEM_TAKEN)
        assert result.second.error is None, result.second.error
        assert isinstance(result.first.error, PanelError), result.first.error
        assert "the referral has been withdrawn meanwhile, so no decision was recorded" in str(result.first.error)
        _withdrawn_and_undecided(referral, item)

    with subtests.test("a decision on a referral while its withdrawal holds it"):
        referral, item = blake, items[blake.pk]
        result = race(_withdraw(month, referral), _select(month, item), hold=REFERRAL_TAKEN)
        assert result.first.error is None, result.first.error
        assert isinstance(result.second.error, PanelError), result.second.error
        assert result.second_waited
        _withdrawn_and_undecided(referral, item)

    with subtests.test("attendance removed while a decision is recorded"):
        leaving = month.meeting.attendance.get(agency__code="housing")
        result = race(
            _select(month, month.item),
            lambda: remove_attendance(attendance=leaving, by=coordinator),
            hold=Hold(r'^INSERT INTO "panels_decision"', after=False),
        )
        assert result.first.error is None, result.first.error
        assert isinstance(result.second.error, PanelError), result.second.error
        assert "attendance cannot change after the first decision" in str(result.second.error)
        assert result.second_waited
        decision = Decision.objects.get(item=month.item)
        assert month.meeting.attendance.filter(pk=leaving.pk).exists()  # the quorum the decision counted stands
        assert decision.organisations_present == 4

    with subtests.test("the same meeting scheduled twice at once"):
        day = date(2027, 3, 9)

        def schedule() -> Meeting:
            return schedule_meeting(panel=month.panel, day=day, by=coordinator)

        result = race(schedule, schedule, hold=Hold(r'^INSERT INTO "panels_meeting"', after=False))
        # No row to take here: the unique index decides. The second (not held) inserts first, so the
        # first, let go, finds the day taken and is refused in words rather than with an error page.
        assert result.second.error is None, result.second.error
        assert isinstance(result.first.error, PanelError), result.first.error
        assert "the IOM Panel already meets on 09 March 2027" in str(result.first.error)
        assert Meeting.objects.filter(panel=month.panel, date=day).count() == 1

    with subtests.test("the same person referred twice at once"):
        person = Person.objects.create(
            given_name="Robin", family_name="Testperson", date_of_birth=date(1992, 2, 2), gender="F", ethnicity="W"
        )
        officer = month.users["police_officer"]

        def refer_robin() -> Any:
            return refer(panel=month.panel, person=person, reason="Prolific", nominating_officer=officer,
                         referred_by=officer)  # fmt: skip

        result = race(refer_robin, refer_robin, hold=Hold(r'^INSERT INTO "panels_referral"', after=False))
        assert result.first.error is None, result.first.error
        assert isinstance(result.second.error, PanelError), result.second.error
        assert "this person already has an open referral to the IOM Panel" in str(result.second.error)
        assert result.second_waited
        assert Referral.objects.open().filter(person=person).count() == 1
