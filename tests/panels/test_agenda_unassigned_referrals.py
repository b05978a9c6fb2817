"""Referrals with no meeting yet reach the next agenda: received before any meeting was scheduled, or deferred.

A regression test: the agenda once looked for `meeting IN (this meeting, NULL)`, which never
matches NULL in SQL, so these referrals were never listed.
"""

from __future__ import annotations

from datetime import date

from openiom.accounts.models import Agency, User
from openiom.panels.constants import AgendaKind, Outcome, ReferralStatus
from openiom.panels.models import Panel
from openiom.panels.services import build_agenda, decide, record_attendance, refer, schedule_meeting
from openiom.people.models import Person
from tests.panels.conftest import travel


def _person() -> Person:
    return Person.objects.create(
        given_name="Ash", family_name="Tern", date_of_birth=date(1990, 5, 1), gender="M", ethnicity="W"
    )


def test_a_referral_made_before_any_meeting_is_scheduled_reaches_the_first_agenda(
    partnership: dict[str, User],
) -> None:
    iom, by = Panel.objects.get(code="iom"), partnership["iom_coordinator"]
    with travel("2026-11-24"):
        result = refer(panel=iom, person=_person(), reason="Prolific", nominating_officer=by, referred_by=by)
        assert result.referral.meeting is None
        meeting = schedule_meeting(panel=iom, day=date(2027, 1, 12), by=by)
        items = build_agenda(meeting=meeting, by=by)
    assert [(i.kind, i.referral_id) for i in items] == [(AgendaKind.NEW_REFERRAL, result.referral.pk)]
    result.referral.refresh_from_db()
    assert (result.referral.status, result.referral.meeting) == (ReferralStatus.ON_AGENDA, meeting)


def test_a_deferred_referral_comes_back_on_the_next_agenda(partnership: dict[str, User]) -> None:
    iom, by = Panel.objects.get(code="iom"), partnership["iom_coordinator"]
    with travel("2026-11-10"):
        december = schedule_meeting(panel=iom, day=date(2026, 12, 8), by=by)
        january = schedule_meeting(panel=iom, day=date(2027, 1, 12), by=by)
        referral = refer(panel=iom, person=_person(), reason="Prolific", nominating_officer=by, referred_by=by).referral
        (item,) = build_agenda(meeting=december, by=by)
    codes = ("probation", "police", "housing", "substance")
    for code in codes:
        record_attendance(meeting=december, agency=Agency.objects.get(code=code), name=code, by=by)
    votes = {Agency.objects.get(code=c).pk: "for" for c in codes}
    decide(item=item, outcome=Outcome.DEFER, reasons="More information needed", votes=votes, by=by)
    with travel("2026-12-20"):
        items = build_agenda(meeting=january, by=by)
    assert [i.referral_id for i in items] == [referral.pk]
    referral.refresh_from_db()
    assert (referral.status, referral.meeting) == (ReferralStatus.ON_AGENDA, january)
