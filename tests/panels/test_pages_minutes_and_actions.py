"""Minutes through the pages (drafted from the record, a conflicting edit, approval by the chair only,
circulation) and action points (added at the meeting, overdue shown, "My actions", the home page)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from openiom.panels.constants import MinutesStatus, Outcome
from openiom.panels.models import ActionPoint, Meeting
from openiom.panels.services import add_action, decide, save_minutes
from openiom.testing.pdf import pdf_text
from tests.panels.conftest import PanelMonth, travel


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def decided(month: PanelMonth) -> PanelMonth:
    """The meeting held: four organisations present, the referral selected, one action agreed."""
    codes = ("probation", "police", "housing", "substance")
    month.attend(*codes)
    from openiom.cases.models import Tier

    decide(
        item=month.item, outcome=Outcome.SELECT, reasons="Meets the criteria.", votes=dict.fromkeys(
            (month.agency(c).pk for c in codes), "for"), by=month.users["panel_chair"], cohort="PPO",
        tier=Tier.objects.get(level=1), lead_professional=month.users["offender_manager"],
    )  # fmt: skip
    add_action(
        meeting=month.meeting, description="Find a hostel place.", owner=month.users["partner_practitioner"],
        due_date=date(2027, 1, 26), by=month.users["iom_coordinator"],
    )  # fmt: skip
    month.meeting.refresh_from_db()
    return month


# ---- minutes ---------------------------------------------------------------------------------------
def test_minutes_are_drafted_from_the_record_then_edited(
    client_for: Callable[[str], Client], decided: PanelMonth
) -> None:
    client = client_for("iom_coordinator")
    meeting = decided.meeting
    address = f"/panels/meetings/{meeting.pk}/minutes/"
    assert "Draft from the meeting's record" in client.get(address).content.decode()
    client.post(f"{address}draft/", {"version": meeting.version})
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.DRAFT
    text = meeting.minutes_text
    assert text.startswith("IOM Panel: minutes of the meeting on Tuesday 12 January 2027 at 10:00")
    assert "Quorate: 4 organisations present; 4 needed. Chaired by Probation Service – Riverside" in text
    assert "- Find a hostel place: Priya Shah (Riverside Housing Partnership), by 26 January 2027" in text
    assert "Minutes due" not in text
    page = client.get(address)
    assert page.context["form"]["text"].value() == text
    saved = client.post(address, {"text": text + "\nAny other business: none.", "version": meeting.version})
    assert saved["Location"] == address
    meeting.refresh_from_db()
    assert meeting.minutes_text.endswith("Any other business: none.")


def test_a_conflicting_edit_keeps_both_texts_and_saves_nothing(
    client_for: Callable[[str], Client], decided: PanelMonth
) -> None:
    meeting = save_minutes(meeting=decided.meeting, text="First draft", by=decided.users["iom_coordinator"])
    opened_at = meeting.version
    save_minutes(meeting=meeting, text="The chair's correction", by=decided.users["panel_chair"], version=opened_at)
    response = client_for("iom_coordinator").post(
        f"/panels/meetings/{meeting.pk}/minutes/", {"text": "My longer version", "version": opened_at}
    )
    html = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Someone else changed the minutes since you opened them." in html
    assert "My longer version</textarea>" in html  # what I typed
    assert "The chair's correction" in html  # what they saved
    meeting.refresh_from_db()
    assert meeting.minutes_text == "The chair's correction"
    assert response.context["form"]["version"].value() == str(meeting.version)  # saving again is a choice


def test_only_the_chair_approves_and_then_the_minutes_are_circulated(
    client_for: Callable[[str], Client], decided: PanelMonth, mailoutbox: list[Any]
) -> None:
    coordinator_user = decided.users["iom_coordinator"]
    meeting = save_minutes(meeting=decided.meeting, text="Minutes\n\nPresent\n- Four members", by=coordinator_user)
    address = f"/panels/meetings/{meeting.pk}/minutes/"
    coordinator, chair = client_for("iom_coordinator"), client_for("panel_chair")
    assert "Approve the minutes" not in coordinator.get(address).content.decode()
    assert coordinator.post(f"{address}approve/", {"version": meeting.version}).status_code == 403
    early = coordinator.post(f"{address}circulate/", follow=True)
    assert _messages(early) == ["Only minutes the chair has approved can be circulated."]
    assert "Approve the minutes" in chair.get(address).content.decode()
    approved = chair.post(f"{address}approve/", {"version": meeting.version}, follow=True)
    assert _messages(approved) == ["You have approved the minutes. They can now be circulated."]
    meeting.refresh_from_db()
    assert (meeting.minutes_status, meeting.minutes_approved_by) == (
        MinutesStatus.APPROVED,
        decided.users["panel_chair"],
    )
    assert "Save the minutes" not in coordinator.get(address).content.decode()  # approved minutes are final
    pdf = coordinator.get(f"/panels/meetings/{meeting.pk}/minutes.pdf")
    assert pdf["Content-Disposition"] == 'attachment; filename="minutes-iom-2027-01-12.pdf"'
    text = pdf_text(pdf.content)
    assert "Approved by Chris Okafor" in text
    assert "Four members" in text
    with travel("2027-01-14"):  # due 19 January
        sent = client_for("iom_coordinator").post(f"{address}circulate/", follow=True)
        assert _messages(sent) == ["The minutes were sent to 5 people by secure e-mail."]
    assert mailoutbox[-1].subject == "IOM Panel: minutes of 12 January 2027"


def test_approving_minutes_changed_since_the_page_was_opened_is_refused(
    client_for: Callable[[str], Client], decided: PanelMonth
) -> None:
    meeting = save_minutes(meeting=decided.meeting, text="Draft", by=decided.users["iom_coordinator"])
    stale = meeting.version
    save_minutes(meeting=meeting, text="Changed", by=decided.users["iom_coordinator"], version=stale)
    address = f"/panels/meetings/{meeting.pk}/minutes/approve/"
    response = client_for("panel_chair").post(address, {"version": stale}, follow=True)
    assert _messages(response) == [
        "Someone changed the minutes since you opened the page: read them again before approving."
    ]
    assert Meeting.objects.get(pk=meeting.pk).minutes_status == MinutesStatus.DRAFT


def test_minutes_circulated_after_their_due_date_are_late(
    client_for: Callable[[str], Client], decided: PanelMonth
) -> None:
    meeting = save_minutes(meeting=decided.meeting, text="Draft", by=decided.users["iom_coordinator"])
    from openiom.panels.services import approve_minutes

    approve_minutes(meeting=meeting, by=decided.users["panel_chair"])
    with travel("2027-01-21"):  # due 19 January
        sent = client_for("iom_coordinator").post(f"/panels/meetings/{meeting.pk}/minutes/circulate/", follow=True)
        assert _messages(sent) == [
            "The minutes were sent to 5 people by secure e-mail. They went after the due date, so they are marked late."
        ]
        assert '<strong class="govuk-tag govuk-tag--red">Late</strong>' in sent.content.decode()


# ---- actions ---------------------------------------------------------------------------------------
def _action(month: PanelMonth, **changes: Any) -> dict[str, Any]:
    return {
        "description": "Arrange a drug test", "owner": month.users["offender_manager"].pk, "due_date_0": "2",
        "due_date_1": "2", "due_date_2": "2027", "item": month.item.pk,
    } | changes  # fmt: skip


def test_actions_are_added_and_checked(client_for: Callable[[str], Client], month: PanelMonth) -> None:
    client = client_for("iom_coordinator")
    address = f"/panels/meetings/{month.meeting.pk}/actions/"
    added = client.post(address, _action(month), follow=True)
    assert _messages(added) == [
        'Action added for Olu Mensah, due by 2 February 2027. It is on their "My actions" list.'
    ]
    action = ActionPoint.objects.get()
    assert (action.owner_agency.code, action.item, action.due_date) == ("probation", month.item, date(2027, 2, 2))
    early = client.post(address, _action(month, due_date_1="1", due_date_0="5"))
    assert "An action cannot be due before the meeting that set it." in early.content.decode()
    bad = client.post(address, _action(month, description="", due_date_0="30", due_date_1="2"))
    html = bad.content.decode()
    assert "Describe the action" in html
    assert "The due date must be a real date" in html


def test_overdue_actions_are_flagged_and_listed_first_on_my_actions(
    client_for: Callable[[str], Client], decided: PanelMonth
) -> None:
    owner = decided.users["partner_practitioner"]
    add_action(
        meeting=decided.meeting, description="Book a benefits appointment", owner=owner, due_date=date(2027, 2, 9),
        by=decided.users["iom_coordinator"],
    )  # fmt: skip
    with travel("2027-02-01"):  # the hostel place was due on 26 January
        client = client_for("partner_practitioner")
        response = client.get("/panels/my-actions/")
        assert [a.description for a in response.context["actions"]] == [
            "Find a hostel place.",
            "Book a benefits appointment",
        ]
        html = response.content.decode()
        assert html.count('<strong class="govuk-tag govuk-tag--red">Overdue</strong>') == 1
        assert "1 of your actions is overdue." in html
        home = client.get("/").content.decode()
        assert "You have 2 open panel actions." in home
        assert '<strong class="govuk-tag govuk-tag--red">1 overdue</strong>' in home
        meeting_actions = client_for("iom_coordinator").get(f"/panels/meetings/{decided.meeting.pk}/actions/")
        assert "1 action from this meeting is overdue." in meeting_actions.content.decode()


def test_marking_an_action_done_takes_it_off_my_actions(
    client_for: Callable[[str], Client], decided: PanelMonth
) -> None:
    client = client_for("partner_practitioner")
    action = ActionPoint.objects.get()
    done = client.post(f"/panels/actions/{action.pk}/done/", {"version": action.version}, follow=True)
    assert _messages(done) == ["The action is marked as done."]
    assert list(done.context["actions"]) == []
    assert "open panel action" not in client.get("/").content.decode()
    again = client.post(f"/panels/actions/{action.pk}/done/", {"version": action.version + 1}, follow=True)
    assert _messages(again) == ["The action is already done."]


def test_the_home_page_says_nothing_to_those_without_actions(
    client_for: Callable[[str], Client], month: PanelMonth
) -> None:
    assert "My actions" not in client_for("analyst").get("/").content.decode()


def test_the_home_page_offers_the_referral_form_to_those_outside_the_panels_section(
    client_for: Callable[[str], Client], month: PanelMonth
) -> None:
    link = '<a class="govuk-link" href="/panels/referrals/new/">Refer a person to a panel</a>'
    assert link in client_for("partner_practitioner").get("/").content.decode()
    assert link not in client_for("police_officer").get("/").content.decode()  # it is on the Panels page
    assert link not in client_for("analyst").get("/").content.decode()
