"""The panels page, scheduling, terms of reference, and a meeting's agenda, papers, attendance and decisions
through the pages, as the co-ordinator and the chair use them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.test import Client
from django.utils import timezone

from openiom.cases.models import Case, Tier
from openiom.panels.constants import MeetingStatus, ReferralStatus
from openiom.panels.models import Attendance, Meeting, Panel, PanelMember
from openiom.testing.pdf import pdf_text
from tests.panels.conftest import LONDON, PanelMonth, travel


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# ---- the panels page and the calendar --------------------------------------------------------------
def test_the_panels_page_lists_meetings_with_their_deadlines_and_each_panels_terms(
    client_for: Callable[[str], Client], month: PanelMonth
) -> None:
    response = client_for("police_officer").get("/panels/")
    assert list(response.context["upcoming"]) == [month.meeting]
    html = response.content.decode()
    assert "Tue 12 Jan 2027" in html
    assert "24 Dec 2026" in html  # referral cut-off, 10 working days before over Christmas
    assert "5 Jan 2027" in html  # papers due
    assert "19 Jan 2027" in html  # minutes due
    assert "Senior Probation Officer, Probation Service – Riverside" in html  # the IOM Panel's chair
    assert "Representatives of 4 or more organisations" in html
    assert "Prolific and Priority Offender (PPO), High Crime Causer (HCC)" in html
    assert "Attends as required" in html  # the prison's PPO officer
    assert "Schedule one meeting" not in html  # the police officer does not organise meetings
    assert "Schedule one meeting" in client_for("iom_coordinator").get("/panels/").content.decode()


def test_the_calendar_download_is_an_icalendar_file_naming_no_one(
    client_for: Callable[[str], Client], month: PanelMonth
) -> None:
    response = client_for("offender_manager").get("/panels/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="panel-meetings.ics"'
    text = response.content.decode().replace("\r\n ", "")
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert f"UID:panel-meeting-{month.meeting.pk}@testserver" in text
    assert "DTSTART:20270112T100000Z" in text
    assert "SUMMARY:IOM Panel" in text
    assert "Referral cut-off 24 December 2026. Papers due 05 January 2027." in text
    assert "Quill" not in text


# ---- scheduling ------------------------------------------------------------------------------------
def test_scheduling_a_series_from_the_first_month(client_for: Callable[[str], Client], month: PanelMonth) -> None:
    client = client_for("iom_coordinator")
    form = client.get(f"/panels/{month.panel.pk}/schedule/series/").context["form"]
    assert form.fields["first_month"].choices[:2] == [("2026-11", "November 2026"), ("2026-12", "December 2026")]
    response = client.post(
        f"/panels/{month.panel.pk}/schedule/series/", {"first_month": "2026-12", "months": "3"}, follow=True
    )
    # January already has its meeting; December and February are added.
    assert _messages(response) == ["2 meetings of the IOM Panel scheduled, from 8 December 2026 to 9 February 2027."]
    dates = list(Meeting.objects.filter(panel=month.panel).values_list("date", flat=True))
    assert dates == [date(2026, 12, 8), date(2027, 1, 12), date(2027, 2, 9)]
    again = client.post(
        f"/panels/{month.panel.pk}/schedule/series/", {"first_month": "2026-12", "months": "3"}, follow=True
    )
    assert _messages(again) == ["No meetings were added: every month chosen already has its meeting or is past."]
    bad = client.post(f"/panels/{month.panel.pk}/schedule/series/", {"first_month": "2026-12", "months": "30"})
    assert "Schedule between 1 and 24 months" in bad.content.decode()


def test_scheduling_one_meeting_and_a_refusal_kept_as_typed(
    client_for: Callable[[str], Client], month: PanelMonth
) -> None:
    client = client_for("iom_coordinator")
    address = f"/panels/{month.panel.pk}/schedule/meeting/"
    past = client.post(address, {"day_0": "1", "day_1": "11", "day_2": "2026", "start_time": "", "location": ""})
    html = past.content.decode()
    assert "A meeting cannot be scheduled in the past." in html
    assert 'value="2026"' in html
    response = client.post(
        address, {"day_0": "6", "day_1": "4", "day_2": "2027", "start_time": "14:00", "location": "Town Hall"}
    )
    easter = Meeting.objects.get(date=date(2027, 4, 6))
    assert response["Location"] == f"/panels/meetings/{easter.pk}/"
    assert (easter.start_time.hour, easter.location) == (14, "Town Hall")
    page = client.get(response["Location"])
    assert _messages(page) == [
        "The IOM Panel meets on Tuesday 6 April 2027. Referrals are due by 19 March 2027 and the papers by "
        "30 March 2027."
    ]


# ---- terms of reference and members ----------------------------------------------------------------
def _terms(panel: Panel, **changes: Any) -> dict[str, Any]:
    data = {
        "name": panel.name, "purpose": panel.purpose, "chair_agency": panel.chair_agency_id,
        "chair_post": panel.chair_post, "vice_chair_agency": panel.vice_chair_agency_id or "",
        "vice_chair_post": panel.vice_chair_post, "meeting_week": panel.meeting_week,
        "meeting_weekday": panel.meeting_weekday, "meeting_time": "10:00", "location": panel.location,
        "referral_cutoff_days": panel.referral_cutoff_days, "papers_days": panel.papers_days,
        "minutes_days": panel.minutes_days, "quorum": panel.quorum, "review_every_days": panel.review_every_days,
        "selects_cohorts": panel.selects_cohorts, "coordinator_email": panel.coordinator_email, "is_active": "on",
    }  # fmt: skip
    return data | changes


def test_an_administrator_changes_the_terms_of_reference(
    client_for: Callable[[str], Client], month: PanelMonth
) -> None:
    from auditlog.models import LogEntry

    client = client_for("administrator")
    assert "Panels' terms of reference" in client.get("/administration/").content.decode()
    response = client.post(f"/panels/{month.panel.pk}/terms/", _terms(month.panel, quorum="5", papers_days="7"))
    assert response["Location"] == "/panels/terms/"
    month.panel.refresh_from_db()
    assert (month.panel.quorum, month.panel.papers_days) == (5, 7)
    month.meeting.refresh_from_db()
    assert month.meeting.papers_due == date(2026, 12, 31)  # 7 working days before 12 January, over New Year
    # The newest entry by id: under a frozen clock the timestamps need not be in order.
    entry = LogEntry.objects.filter(content_type__model="panel", object_pk=str(month.panel.pk)).latest("pk")
    assert entry.actor == month.users["administrator"]
    assert [str(v) for v in entry.changes_dict["quorum"]] == ["4", "5"]


def test_terms_of_reference_are_checked(client_for: Callable[[str], Client], month: PanelMonth) -> None:
    client = client_for("iom_coordinator")
    html = client.post(
        f"/panels/{month.panel.pk}/terms/", _terms(month.panel, quorum="0", vice_chair_agency="", meeting_time="10am")
    ).content.decode()
    assert "Enter the start time like 10:00" in html
    assert "The quorum must be at least 1 organisation" in html
    html = client.post(f"/panels/{month.panel.pk}/terms/", _terms(month.panel, vice_chair_agency="")).content.decode()
    assert "Say which organisation the vice chair is from." in html


def test_members_are_added_and_removed(client_for: Callable[[str], Client], month: PanelMonth) -> None:
    client = client_for("iom_coordinator")
    address = f"/panels/{month.panel.pk}/members/"
    care_farm = month.agency("care-farm")
    added = client.post(address, {"agency": care_farm.pk, "post": "Project Manager", "membership": "as_required"})
    assert added["Location"] == address
    member = PanelMember.objects.get(panel=month.panel, agency=care_farm)
    assert member.membership == "as_required"
    twice = client.post(address, {"agency": care_farm.pk, "post": "Project Manager", "membership": "permanent"})
    assert "The IOM Panel already has the post Project Manager from Riverside Care Farm." in twice.content.decode()
    wrong = client.post(
        address, {"agency": care_farm.pk, "post": "Lead", "membership": "permanent", "user": month.users["analyst"].pk}
    )
    assert "Ana Lindqvist works for Riverside Community Safety Partnership Team, not Riverside Care Farm." in (
        wrong.content.decode().replace("&#x27;", "'")
    )
    client.post(f"/panels/members/{member.pk}/remove/")
    assert not PanelMember.objects.filter(pk=member.pk).exists()


# ---- the agenda and the papers ---------------------------------------------------------------------
def test_building_the_agenda_and_circulating_the_papers(
    client_for: Callable[[str], Client], month: PanelMonth, mailoutbox: list[Any]
) -> None:
    client = client_for("iom_coordinator")
    again = client.post(f"/panels/meetings/{month.meeting.pk}/agenda/build/", follow=True)
    assert _messages(again) == ["Nothing new to add: everything due for this meeting is already on the agenda."]
    html = again.content.decode()
    assert "New referral: Jordan Quill" in html
    assert f'href="/panels/items/{month.item.pk}/decision/"' in html
    pdf = client.get(f"/panels/meetings/{month.meeting.pk}/papers.pdf")
    assert pdf["Content-Disposition"] == 'attachment; filename="papers-iom-2027-01-12.pdf"'
    text = pdf_text(pdf.content)
    assert "Item 1: Jordan Quill" in text
    assert "known only from the referral" in text
    sent = client.post(f"/panels/meetings/{month.meeting.pk}/papers/circulate/", follow=True)
    assert _messages(sent) == ["The agenda and papers were sent to 5 people by secure e-mail."]
    # the co-ordinator, the nominating officer and the members seated with an OpenIOM account
    assert sorted(mailoutbox[-1].to) == [
        "analyst@openiom.test",
        "coordinator@openiom.test",
        "panel.chair@openiom.test",
        "police.officer@openiom.test",
        "practitioner@openiom.test",
    ]
    assert "Sent on time" in sent.content.decode()


def test_papers_sent_after_their_due_date_are_shown_late(
    client_for: Callable[[str], Client], month: PanelMonth
) -> None:
    with travel("2027-01-07"):  # due 5 January
        client = client_for("iom_coordinator")
        sent = client.post(f"/panels/meetings/{month.meeting.pk}/papers/circulate/", follow=True)
        assert _messages(sent) == [
            "The agenda and papers were sent to 5 people by secure e-mail. They went after the due date, so they "
            "are marked late."
        ]
        assert '<strong class="govuk-tag govuk-tag--red">Late</strong>' in sent.content.decode()


# ---- attendance and quorum -------------------------------------------------------------------------
def _attendee(month: PanelMonth, code: str, name: str, **changes: Any) -> dict[str, Any]:
    return {"agency": month.agency(code).pk, "name": name, "post": "", "capacity": "member", "deputy_for": ""} | changes


def test_attendance_changes_the_quorum_shown(client_for: Callable[[str], Client], month: PanelMonth) -> None:
    client = client_for("iom_coordinator")
    address = f"/panels/meetings/{month.meeting.pk}/attendance/"
    for code, name in (("probation", "Chris Okafor"), ("police", "DI Lowe"), ("police", "PC Patel")):
        assert client.post(address, _attendee(month, code, name))["Location"] == address
    page = client.get(address)
    assert page.context["quorum"].message == (
        "Not quorate: 2 organisations present; 4 needed, so 2 more must attend before any decision."
    )
    guest = client.post(address, _attendee(month, "housing", "Visitor", capacity="guest"))
    assert guest.status_code == 302
    assert not client.get(address).context["quorum"].met  # guests do not count
    deputy = client.post(address, _attendee(month, "substance", "Sam Reid", capacity="deputy"))
    assert "Enter the member the deputy attends for" in deputy.content.decode()
    assert 'value="Sam Reid"' in deputy.content.decode()
    client.post(address, _attendee(month, "substance", "Sam Reid", capacity="deputy", deputy_for="Service Manager"))
    client.post(address, _attendee(month, "jobcentre", "Jo King"))
    page = client.get(address)
    assert page.context["quorum"].message == "Quorate: 4 organisations present; 4 needed."
    assert "Chaired by Probation Service – Riverside (the chair&#x27;s organisation)" in page.content.decode()


def test_attendance_by_htmx_returns_the_page_with_the_region_to_swap(
    client_for: Callable[[str], Client], month: PanelMonth
) -> None:
    client = client_for("iom_coordinator")
    address = f"/panels/meetings/{month.meeting.pk}/attendance/"
    response = client.post(address, _attendee(month, "probation", "Chris Okafor"), HTTP_HX_REQUEST="true", follow=True)
    html = response.content.decode()
    assert 'id="attendance-region"' in html
    assert 'hx-select="#attendance-region"' in html
    assert 'id="meeting-navigation"' in html
    assert "Attendance (1)" in html
    assert "1 organisation present" in html


def test_removing_attendance(client_for: Callable[[str], Client], month: PanelMonth) -> None:
    month.attend("probation")
    present = Attendance.objects.get()
    client_for("iom_coordinator").post(f"/panels/attendance/{present.pk}/remove/")
    assert not Attendance.objects.exists()


# ---- decisions -------------------------------------------------------------------------------------
def _decision(month: PanelMonth, votes: dict[str, str], **changes: Any) -> dict[str, Any]:
    data = {"outcome": "select", "reasons": "Meets the high crime causer criteria", "cohort": "HCC",
            "tier": Tier.objects.get(level=2).pk, "lead_professional": month.users["offender_manager"].pk}  # fmt: skip
    return data | {f"vote_{month.agency(code).pk}": vote for code, vote in votes.items()} | changes


def test_a_decision_without_quorum_is_refused_with_the_reason_and_keeps_what_was_typed(
    client_for: Callable[[str], Client], month: PanelMonth
) -> None:
    month.attend("probation", "police", "housing")
    client = client_for("panel_chair")
    address = f"/panels/items/{month.item.pk}/decision/"
    response = client.post(address, _decision(month, {"probation": "for", "police": "for", "housing": "against"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert (
        "No decision can be recorded: Not quorate: 3 organisations present; 4 needed, so 1 more must attend "
        "before any decision." in html
    )
    assert "Meets the high crime causer criteria</textarea>" in html
    police = month.agency("police").pk
    assert f'name="vote_{police}" type="radio" value="for" checked' in html
    assert not Case.objects.exists()
    month.referral.refresh_from_db()
    assert month.referral.status == ReferralStatus.ON_AGENDA


def test_the_form_offers_a_vote_per_organisation_present_and_the_outcomes_the_item_allows(
    client_for: Callable[[str], Client], month: PanelMonth
) -> None:
    month.attend("probation", "police", "police", "housing")
    month.meeting.attendance.create(agency=month.agency("substance"), name="Guest", capacity="guest")
    form = client_for("iom_coordinator").get(f"/panels/items/{month.item.pk}/decision/").context["form"]
    assert [f.label for f in form.vote_fields()] == [
        "Probation Service – Riverside", "Riverside Housing Partnership", "Riverside Police"
    ]  # fmt: skip
    assert [c[0] for c in form.fields["outcome"].choices] == ["select", "reject", "defer"]
    assert [c[0] for c in form.fields["cohort"].choices] == ["", "PPO", "HCC", "DIP"]
    assert form.fields["lead_professional"].initial == month.users["offender_manager"]


def test_select_with_the_votes_opens_the_case(client_for: Callable[[str], Client], month: PanelMonth) -> None:
    month.attend("probation", "police", "housing", "substance")
    votes = {"probation": "for", "police": "for", "housing": "for", "substance": "against"}
    chair = client_for("panel_chair")
    response = chair.post(f"/panels/items/{month.item.pk}/decision/", _decision(month, votes))
    assert response["Location"] == f"/panels/meetings/{month.meeting.pk}/"
    case = Case.objects.get(person=month.person)
    assert (case.cohort, case.tier.level, case.lead_professional, case.opened_on) == (
        "HCC", 2, month.users["offender_manager"], date(2027, 1, 12)
    )  # fmt: skip
    page = chair.get(response["Location"])
    assert _messages(page) == [
        f"Decision recorded on item 1: select. Carried: 3 for, 1 against, 0 abstaining. IOM case {case.pk} is open "
        "(High Crime Causer, Tier 2: enhanced), led by Olu Mensah of Probation Service – Riverside."
    ]
    month.meeting.refresh_from_db()
    assert month.meeting.status == MeetingStatus.HELD
    decided = client_for("panel_chair").get(f"/panels/items/{month.item.pk}/decision/")
    assert decided.context["form"] is None
    assert "3 for, 1 against, 0 abstaining, of 4 organisations present" in decided.content.decode()


def test_a_selection_needs_its_cohort_tier_and_lead_and_every_vote(
    client_for: Callable[[str], Client], month: PanelMonth
) -> None:
    month.attend("probation", "police", "housing", "substance")
    data = _decision(month, {"probation": "for", "police": "for", "housing": "for"}, cohort="", tier="")
    html = client_for("panel_chair").post(f"/panels/items/{month.item.pk}/decision/", data).content.decode()
    for message in (
        "Choose the cohort the case opens in",
        "Choose the service level",
        "Select how Riverside Substance Misuse Service voted",
    ):
        assert message in html
    assert not Case.objects.exists()


def test_a_tie_needs_the_chairs_casting_vote(client_for: Callable[[str], Client], month: PanelMonth) -> None:
    month.attend("probation", "police", "housing", "substance")
    votes = {"probation": "for", "police": "for", "housing": "against", "substance": "against"}
    client = client_for("panel_chair")
    address = f"/panels/items/{month.item.pk}/decision/"
    tied = client.post(address, _decision(month, votes, outcome="reject", reasons="Not enough offending"))
    assert "the acting chair must give a casting vote for or against" in tied.content.decode()
    decided = client.post(
        address, _decision(month, votes, outcome="reject", reasons="Not enough offending", casting_vote="for")
    )
    assert decided.status_code == 302
    month.referral.refresh_from_db()
    assert month.referral.status == ReferralStatus.REJECTED


def test_a_decision_shows_on_the_agenda(client_for: Callable[[str], Client], month: PanelMonth) -> None:
    month.attend("probation", "police", "housing", "substance")
    votes = dict.fromkeys(("probation", "police", "housing", "substance"), "for")
    client_for("panel_chair").post(
        f"/panels/items/{month.item.pk}/decision/", _decision(month, votes, outcome="defer", reasons="More information")
    )
    html = client_for("offender_manager").get(f"/panels/meetings/{month.meeting.pk}/").content.decode()
    assert "Defer</strong>" in html
    assert "4 for, 0 against, 0 abstaining" in html
    assert "Record the decision" not in html


def test_the_meeting_page_reads_are_audited(client_for: Callable[[str], Client], month: PanelMonth) -> None:
    from auditlog.models import LogEntry

    client_for("yot_worker").get(f"/panels/meetings/{month.meeting.pk}/")
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, content_type__model="agendaitem").latest("pk")
    assert (entry.object_pk, entry.actor, entry.additional_data) == (
        str(month.item.pk), month.users["yot_worker"], {"purpose": "panel"}
    )  # fmt: skip


def test_recent_meetings_keep_a_held_meeting_on_the_panels_page(
    client_for: Callable[[str], Client], month: PanelMonth
) -> None:
    Meeting.objects.filter(pk=month.meeting.pk).update(status=MeetingStatus.HELD)
    with travel("2027-01-20"):
        response = client_for("iom_coordinator").get("/panels/")
        assert list(response.context["recent"]) == [month.meeting]
        assert list(response.context["upcoming"]) == []
        assert timezone.localdate() == datetime(2027, 1, 20, tzinfo=LONDON).date()
        assert '<strong class="govuk-tag govuk-tag--red">Late</strong>' in response.content.decode()  # minutes
