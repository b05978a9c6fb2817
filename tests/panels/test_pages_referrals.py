"""Referring through the pages: someone known (from their person page) or someone new, what the referrer
is told, the referral's page with its history and acknowledgement form, and the audit of every read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from auditlog.models import LogEntry
from django.test import Client

from openiom.panels.constants import Outcome, ReferralStatus
from openiom.panels.models import Referral
from openiom.panels.services import decide, schedule_meeting
from openiom.people.models import Person
from openiom.testing.pdf import pdf_text
from tests.panels.conftest import PanelMonth, travel


def _form(month: PanelMonth, **changes: Any) -> dict[str, Any]:
    data = {
        "panel": month.panel.pk,
        "reason": "Three thefts from motor vehicles in October",
        "supporting_information": "",
        "nominating_officer": month.users["police_officer"].pk,
    }
    return data | changes


def _new_person(**changes: str) -> dict[str, str]:
    return {
        "given_name": "Robin", "family_name": "Vale", "date_of_birth_0": "14", "date_of_birth_1": "2",
        "date_of_birth_2": "1999", "gender": "F",
    } | changes  # fmt: skip


def test_the_person_page_offers_a_referral_by_id_only(client_for: Callable[[str], Client], month: PanelMonth) -> None:
    html = client_for("police_officer").get(f"/people/{month.person.pk}/").content.decode()
    assert f'href="/panels/referrals/new/?person={month.person.pk}"' in html
    assert "Refer to a panel" in html
    assert "Refer to a panel" not in client_for("analyst").get("/").content.decode()


def test_referring_someone_known_says_which_meeting_it_goes_to(
    client_for: Callable[[str], Client], month: PanelMonth
) -> None:
    other = Person.objects.create(
        given_name="Kit", family_name="Rowe", date_of_birth=date(1988, 7, 9), gender="M", ethnicity="W"
    )
    client = client_for("police_officer")
    form = client.get(f"/panels/referrals/new/?person={other.pk}")
    assert "Kit ROWE" in form.content.decode()
    assert "given_name" not in form.context["form"].fields  # a known person is not typed in again
    response = client.post(f"/panels/referrals/new/?person={other.pk}", _form(month, urgent="on"), follow=True)
    referral = Referral.objects.get(person=other)
    assert response.redirect_chain == [(f"/panels/referrals/{referral.pk}/", 302)]
    banner = str(next(iter(response.context["messages"])))
    assert banner == (
        f"Referral {referral.pk} has been received in time for the IOM Panel meeting on Tuesday 12 January 2027 "
        "(referral cut-off 24 December 2026). It is marked urgent."
    )
    assert (referral.urgent, referral.referred_by, referral.meeting) == (
        True,
        month.users["police_officer"],
        month.meeting,
    )


def test_a_late_urgent_referral_says_so_and_goes_to_the_next_meeting(
    client_for: Callable[[str], Client], month: PanelMonth, mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    with travel("2026-12-30"), django_capture_on_commit_callbacks(execute=True):  # after the 24 December cut-off
        response = client_for("police_officer").post(
            "/panels/referrals/new/", _form(month, urgent="on") | _new_person(), follow=True
        )
        banner = str(next(iter(response.context["messages"])))
    referral = Referral.objects.get(person__family_name="Vale")
    assert banner == (
        f"Referral {referral.pk} has been received after the referral cut-off. Because it is urgent it goes to "
        "the IOM Panel meeting on Tuesday 12 January 2027, and the co-ordinator has been told."
    )
    assert referral.meeting == month.meeting
    assert mailoutbox[-1].subject == f"Urgent late referral {referral.pk} to the IOM Panel"


def test_a_late_referral_that_is_not_urgent_is_told_it_missed_the_cut_off(
    client_for: Callable[[str], Client], month: PanelMonth
) -> None:
    with travel("2026-12-30"):
        february = schedule_meeting(panel=month.panel, day=date(2027, 2, 9), by=month.users["iom_coordinator"])
        response = client_for("police_officer").post(
            "/panels/referrals/new/", _form(month) | _new_person(), follow=True
        )
    banner = str(next(iter(response.context["messages"])))
    assert "in time for the IOM Panel meeting on Tuesday 9 February 2027" in banner
    assert "It came after the referral cut-off for the meeting on 12 January 2027 (24 December 2026)" in banner
    assert Referral.objects.get(person__family_name="Vale").meeting == february


def test_referring_someone_new_creates_the_person_with_an_audited_change(
    client_for: Callable[[str], Client], month: PanelMonth
) -> None:
    practitioner = month.users["partner_practitioner"]
    response = client_for("partner_practitioner").post(
        "/panels/referrals/new/", _form(month, nominating_officer=practitioner.pk) | _new_person()
    )
    person = Person.objects.get(family_name="Vale")
    assert (person.given_name, person.date_of_birth, person.gender, person.ethnicity) == (
        "Robin", date(1999, 2, 14), "F", "NS"
    )  # fmt: skip
    referral = Referral.objects.get(person=person)
    assert response["Location"] == f"/panels/referrals/{referral.pk}/"
    assert "Vale" not in response["Location"]
    created = LogEntry.objects.get(action=LogEntry.Action.CREATE, content_type__model="person", object_pk=person.pk)
    assert created.actor == practitioner
    page = client_for("partner_practitioner").get(response["Location"])  # they see their own referral
    assert page.status_code == 200
    assert "Robin VALE" in page.content.decode()


def test_a_refused_referral_shows_why_and_creates_no_one(
    client_for: Callable[[str], Client], month: PanelMonth
) -> None:
    client = client_for("police_officer")
    response = client.post(f"/panels/referrals/new/?person={month.person.pk}", _form(month))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "This person already has an open referral to the IOM Panel." in html
    assert "Three thefts from motor vehicles in October" in html  # what was typed is kept
    people = Person.objects.count()
    # A new person whose referral is refused (no panel chosen is caught by the form; an inactive panel by the service).
    month.panel.is_active = False
    month.panel.save()
    response = client.post("/panels/referrals/new/", _form(month) | _new_person())
    assert "Select one of the panels" in response.content.decode()
    assert Person.objects.count() == people


def test_the_form_checks_what_was_typed(client_for: Callable[[str], Client], month: PanelMonth) -> None:
    html = (
        client_for("police_officer")
        .post("/panels/referrals/new/", _form(month, reason="") | _new_person(date_of_birth_0="31", gender=""))
        .content.decode()
    )
    for message in (
        "Enter the reason for the referral",
        "The date of birth must be a real date",
        "Select the person&#x27;s gender",
    ):
        assert message in html
    assert 'value="31"' in html
    assert 'value="Robin"' in html
    future = client_for("police_officer").post(
        "/panels/referrals/new/", _form(month) | _new_person(date_of_birth_2="2030")
    )
    assert "The date of birth must be in the past" in future.content.decode()


def test_a_person_id_is_only_accepted_from_those_who_can_see_people(
    client_for: Callable[[str], Client], month: PanelMonth
) -> None:
    assert client_for("partner_practitioner").get(f"/panels/referrals/new/?person={month.person.pk}").status_code == 403
    assert client_for("police_officer").get("/panels/referrals/new/?person=Quill").status_code == 403
    assert client_for("police_officer").get("/panels/referrals/new/?person=999999").status_code == 404


def test_the_referral_page_shows_history_decision_and_sends_the_acknowledgement(
    client_for: Callable[[str], Client], month: PanelMonth, mailoutbox: list[Any]
) -> None:
    month.attend("probation", "police", "housing", "substance")
    votes = {month.agency(c).pk: "for" for c in ("probation", "police", "housing", "substance")}
    decide(
        item=month.item,
        outcome=Outcome.REJECT,
        reasons="Offending is low level",
        votes=votes,
        by=month.users["panel_chair"],
    )
    client = client_for("iom_coordinator")
    reads = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    response = client.get(f"/panels/referrals/{month.referral.pk}/")
    html = response.content.decode()
    events = [e.status for e in response.context["events"]]
    assert events == [ReferralStatus.RECEIVED, ReferralStatus.ON_AGENDA, ReferralStatus.REJECTED]
    assert "Offending is low level" in html
    assert "4 for, 0 against, 0 abstaining, of 4 organisations present" in html
    logged = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("pk")[reads:]
    assert {(e.content_type.model, e.additional_data["purpose"]) for e in logged} == {
        ("referral", "panel"), ("person", "panel")
    }  # fmt: skip
    pdf = client.get(f"/panels/referrals/{month.referral.pk}/acknowledgement.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="acknowledgement-{month.referral.pk}.pdf"'
    assert "Offending is low level" in pdf_text(pdf.content)
    sent = client.post(f"/panels/referrals/{month.referral.pk}/acknowledgement/send/", follow=True)
    assert "The acknowledgement response form was sent to PC Dev Patel." in sent.content.decode()
    assert mailoutbox[-1].to == ["police.officer@openiom.test"]
    assert "Acknowledgement forms sent" in sent.content.decode()


def test_the_acknowledgement_waits_for_a_decision(client_for: Callable[[str], Client], month: PanelMonth) -> None:
    sent = client_for("iom_coordinator").post(
        f"/panels/referrals/{month.referral.pk}/acknowledgement/send/", follow=True
    )
    assert "The acknowledgement is sent once the panel has decided." in sent.content.decode()


def test_the_referrals_list_shows_open_ones_and_every_one_on_request(
    client_for: Callable[[str], Client], month: PanelMonth
) -> None:
    client = client_for("offender_manager")
    assert [r.pk for r in client.get("/panels/referrals/").context["page_obj"]] == [month.referral.pk]
    Referral.objects.filter(pk=month.referral.pk).update(status=ReferralStatus.REJECTED)
    assert list(client.get("/panels/referrals/").context["page_obj"]) == []
    assert [r.pk for r in client.get("/panels/referrals/?show=all").context["page_obj"]] == [month.referral.pk]
