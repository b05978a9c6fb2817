"""Contacts and appointments, the compliance rate, and enforcement with its guards."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from openiom.cases.constants import ContactOutcome
from openiom.cases.contacts import (
    Compliance,
    add_contact,
    compliance,
    compliance_by_month,
    record_enforcement,
    record_outcome,
)
from openiom.cases.locking import CaseError, StaleEditError

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def test_booking_and_recording_attendance(make_case, partnership, today):
    om = partnership["offender_manager"]
    case = make_case()
    with pytest.raises(CaseError, match="cannot be booked in the past"):
        add_contact(case=case, kind="office", scheduled_at=at(today - timedelta(days=1)), by=om)
    with pytest.raises(CaseError, match="once the appointment time has passed"):
        add_contact(case=case, kind="office", scheduled_at=at(today + timedelta(days=1)), by=om, outcome="attended")
    booked = add_contact(case=case, kind="office", scheduled_at=at(today + timedelta(days=7)), by=om)
    assert booked.outcome == ContactOutcome.SCHEDULED
    assert booked.agency.code == "probation"
    with pytest.raises(CaseError, match="once the appointment time has passed"):
        record_outcome(contact=booked, outcome="missed", by=om, version=booked.version)
    excused = record_outcome(contact=booked, outcome="excused", by=om, version=booked.version, notes="Hospital")
    assert excused.outcome_recorded_by == om
    assert excused.notes == "Hospital"
    with pytest.raises(CaseError, match="already recorded as excused"):
        record_outcome(contact=excused, outcome="excused", by=om, version=excused.version)
    with pytest.raises(CaseError, match="choose attended"):
        record_outcome(contact=excused, outcome="scheduled", by=om, version=excused.version)


def test_an_outcome_recorded_by_two_people_from_the_same_version(make_case, partnership, today):
    # Two people of the agency that recorded the contact (only they may change it): both probation.
    om, colleague = partnership["offender_manager"], partnership["panel_chair"]
    contact = add_contact(case=make_case(), kind="home_visit", scheduled_at=at(today, 9), by=om, outcome="attended")
    v = contact.version
    record_outcome(contact=contact, outcome="late", by=om, version=v)
    with pytest.raises(StaleEditError):
        record_outcome(contact=contact, outcome="missed", by=colleague, version=v)
    contact.refresh_from_db()
    assert contact.outcome == "late"


def test_compliance_counts_kept_over_attended_late_and_missed(make_case, partnership, today):
    """Hand-worked: Sept attended, late, missed (2 of 3); Oct excused, missed (0 of 1); Nov attended (1 of 1)."""
    om = partnership["offender_manager"]
    case = make_case()
    for day, outcome in [
        (date(2026, 9, 2), "attended"),
        (date(2026, 9, 9), "late"),
        (date(2026, 9, 16), "missed"),
        (date(2026, 10, 7), "excused"),
        (date(2026, 10, 14), "missed"),
        (date(2026, 11, 4), "attended"),
    ]:
        add_contact(case=case, kind="office", scheduled_at=at(day), by=om, outcome=outcome)
    add_contact(case=case, kind="office", scheduled_at=at(date(2026, 12, 2)), by=om)  # booked: not counted
    overall = compliance(case)
    assert (overall.kept, overall.counted, overall.percent) == (3, 5, 60)
    assert compliance(case, date(2026, 10, 1), date(2026, 10, 31)) == Compliance(0, 1)
    months = dict(compliance_by_month(case))
    assert list(months) == [date(2026, m, 1) for m in (6, 7, 8, 9, 10, 11)]
    assert months[date(2026, 9, 1)] == Compliance(2, 3)
    assert months[date(2026, 6, 1)].rate is None, "a month with no counted appointment has no rate, not 0%"


def test_enforcement_guards(make_case, partnership, today):
    statutory, voluntary = make_case(statutory=True), make_case(statutory=False, lead="police_officer")
    om, police, housing = (
        partnership["offender_manager"],
        partnership["police_officer"],
        partnership["partner_practitioner"],
    )
    with pytest.raises(CaseError, match="only for people under statutory supervision"):
        record_enforcement(case=voluntary, kind="breach", by=om, details="Missed 3 appointments")
    with pytest.raises(CaseError, match="taken by probation or the youth offending team"):
        record_enforcement(case=statutory, kind="breach", by=police, details="x")
    with pytest.raises(CaseError, match="recorded by the police"):
        record_enforcement(case=statutory, kind="police_action", by=om, details="x")
    with pytest.raises(CaseError, match="give the details"):
        record_enforcement(case=statutory, kind="warning", by=housing, details=" ")
    with pytest.raises(CaseError, match="in the future"):
        record_enforcement(case=statutory, kind="warning", by=om, details="x", taken_on=today + timedelta(days=1))
    missed = add_contact(case=statutory, kind="office", scheduled_at=at(today, 9), by=om, outcome="missed")
    with pytest.raises(CaseError, match="another case"):
        record_enforcement(case=voluntary, kind="warning", by=om, details="x", contact=missed)
    breach = record_enforcement(
        case=statutory, kind="breach", by=om, details="Second unacceptable absence", contact=missed
    )
    action = record_enforcement(case=voluntary, kind="police_action", by=police, details="Arrest on warrant")
    assert (breach.agency.code, action.agency.code) == ("probation", "police")
    assert statutory.enforcements.count() == voluntary.enforcements.count() == 1
