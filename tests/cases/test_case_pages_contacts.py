"""Contacts: booking and recording, outcomes, the compliance rate and its chart, enforcement."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

from django.test import Client

from openiom.cases import contacts
from openiom.cases.constants import ContactOutcome
from openiom.cases.models import Contact, Enforcement
from tests.cases.case_world import LONDON, CaseWorld, date_fields, text, world_fixture  # noqa: F401


def _om(client_for: Callable[[str], Client]) -> Client:
    return client_for("offender_manager")


def test_booking_an_appointment(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    client = _om(client_for)
    data = {"kind": "office", "at": "14:30", "outcome": "scheduled", **date_fields("day", date(2026, 12, 2))}
    response = client.post(world.url("contacts/add/"), data)
    assert response.status_code == 302
    contact = Contact.objects.get(case=world.case, outcome=ContactOutcome.SCHEDULED)
    assert contact.scheduled_at == datetime(2026, 12, 2, 14, 30, tzinfo=LONDON)
    assert "Office appointment booked for 2 December 2026 at 14:30." in text(client.get(world.url("contacts/")))


def test_booking_in_the_past_is_refused_and_keeps_the_notes(
    client_for: Callable[[str], Client], world: CaseWorld
) -> None:
    data = {
        "kind": "home_visit",
        "at": "09:00",
        "outcome": "scheduled",
        "notes": "Bring the licence",
        **date_fields("day", date(2026, 11, 2)),
    }
    page = text(_om(client_for).post(world.url("contacts/add/"), data))
    assert "A new appointment cannot be booked in the past: record what happened instead." in page
    assert "Bring the licence" in page
    assert 'value="09:00"' in page
    assert Contact.objects.filter(case=world.case).count() == 1


def test_recording_a_contact_that_happened_counts_towards_compliance(
    client_for: Callable[[str], Client], world: CaseWorld
) -> None:
    client = _om(client_for)
    data = {"kind": "phone", "at": "11:00", "outcome": "attended", **date_fields("day", date(2026, 11, 10))}
    assert client.post(world.url("contacts/add/"), data).status_code == 302
    page = text(client.get(world.url("contacts/")))
    assert "<strong>50%</strong> of appointments kept since the case opened (1 of 2)." in page


def test_recording_an_outcome(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    client = _om(client_for)
    booked = Contact.objects.create(
        case=world.case, agency=world.agency("probation"), by=world.users["offender_manager"], kind="office",
        scheduled_at=datetime(2026, 11, 20, 10, 0, tzinfo=LONDON),
    )  # fmt: skip
    address = world.url("contacts/", booked.pk) + "outcome/"
    assert "Record the outcome of a contact" in text(client.get(address))
    response = client.post(address, {"outcome": "late", "notes": "20 minutes late", "version": booked.version})
    assert response.status_code == 302
    booked.refresh_from_db()
    assert (booked.outcome, booked.notes) == (ContactOutcome.LATE, "20 minutes late")


def test_attendance_cannot_be_recorded_before_the_appointment(
    client_for: Callable[[str], Client], world: CaseWorld
) -> None:
    future = contacts.add_contact(
        case=world.case, kind="office", scheduled_at=datetime(2026, 12, 1, 10, 0, tzinfo=LONDON),
        by=world.users["offender_manager"],
    )  # fmt: skip
    page = text(
        _om(client_for).post(
            world.url("contacts/", future.pk) + "outcome/", {"outcome": "attended", "version": future.version}
        )
    )
    assert "Attendance can only be recorded once the appointment time has passed." in page
    assert 'value="attended" checked' in page


def test_the_compliance_chart_has_its_data_table(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    page = text(_om(client_for).get(world.url("contacts/")))
    assert '<svg class="app-chart"' in page
    assert "Compliance by month, the last 6 months" in page  # June to November 2026
    rows = re.findall(r'<th scope="row" class="govuk-table__header">(\w{3} \d{4})</th>', page)
    assert rows == ["Nov 2026", "Oct 2026", "Sep 2026", "Aug 2026", "Jul 2026", "Jun 2026"]
    assert "0 of 1" in page  # November: the missed appointment
    assert page.count("<rect ") == 1  # only November has a counted appointment; its bar is 0 high
    assert 'height="0"' in page


def test_recording_a_warning(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    client = _om(client_for)
    data = {"kind": "warning", "details": "Warned after the missed appointment", "contact": world.contact.pk}
    assert client.post(world.url("enforcement/add/"), data).status_code == 302
    enforcement = Enforcement.objects.get(case=world.case)
    assert (enforcement.kind, enforcement.contact) == ("warning", world.contact)
    page = text(client.get(world.url("contacts/")))
    assert "Warned after the missed appointment" in page
    assert "After the office appointment on 3 Nov 2026" in page


def test_police_enforcement_by_probation_is_refused_with_the_details_kept(
    client_for: Callable[[str], Client], world: CaseWorld
) -> None:
    data = {"kind": "police_action", "details": "Arrest on warrant"}
    page = text(_om(client_for).post(world.url("enforcement/add/"), data))
    assert "Police enforcement actions are recorded by the police." in page
    assert "Arrest on warrant" in page
    assert not Enforcement.objects.exists()
    response = client_for("police_officer").post(world.url("enforcement/add/"), data)
    assert response.status_code == 302
    assert Enforcement.objects.get().agency.code == "police"
