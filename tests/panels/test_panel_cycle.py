"""The panel cycle through its services, with frozen dates: referral cut-offs, the agenda, quorum,
votes and casting votes, select opening a case and de-select closing it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from openiom.accounts.models import Agency, User
from openiom.cases.constants import CaseStatus
from openiom.cases.models import Case, Tier
from openiom.panels.constants import AgendaKind, Capacity, MeetingStatus, Outcome, ReferralKind, ReferralStatus
from openiom.panels.models import Meeting, Panel, Referral
from openiom.panels.services import (
    PanelError,
    StaleEdit,
    add_action,
    approve_minutes,
    build_agenda,
    decide,
    meeting_quorum,
    record_attendance,
    refer,
    save_minutes,
    schedule_meeting,
    schedule_series,
)
from openiom.people.models import Person
from openiom.testing.pdf import pdf_text

LONDON = ZoneInfo("Europe/London")


def at(day: str, hour: int = 12) -> Any:
    return time_machine.travel(datetime.fromisoformat(day).replace(hour=hour, tzinfo=LONDON), tick=False)


@pytest.fixture
def people(db: None) -> list[Person]:
    return [
        Person.objects.create(
            given_name=f"Test{i}", family_name="Person", date_of_birth=date(1990, 1, 1 + i), gender="M", ethnicity="W"
        )
        for i in range(4)
    ]


@pytest.fixture
def iom(partnership: dict[str, User]) -> Panel:
    return Panel.objects.get(code="iom")


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


def attend(meeting: Meeting, *codes: str, by: User) -> None:
    for i, code in enumerate(codes):
        record_attendance(meeting=meeting, agency=agency(code), name=f"Member {i} of {code}", by=by)


def test_the_seeded_panels_have_the_richmond_terms_of_reference(iom: Panel) -> None:
    assert (iom.quorum, iom.referral_cutoff_days, iom.papers_days, iom.minutes_days) == (4, 10, 5, 5)
    assert iom.chair_agency.code == "probation"
    assert iom.vice_chair_agency is not None
    assert iom.vice_chair_agency.code == "police"
    assert iom.pattern == "The second Tuesday of every month"
    assert Panel.objects.filter(code__in=["asb", "dyo"]).count() == 2


def test_a_series_falls_on_the_second_tuesday_and_its_deadlines_skip_bank_holidays(
    iom: Panel, partnership: dict[str, User]
) -> None:
    with at("2026-11-24"):
        meetings = schedule_series(
            panel=iom, first_month=date(2026, 12, 1), months=5, by=partnership["iom_coordinator"]
        )
    assert [m.date for m in meetings] == [
        date(2026, 12, 8),
        date(2027, 1, 12),
        date(2027, 2, 9),
        date(2027, 3, 9),
        date(2027, 4, 13),
    ]
    january = meetings[1]
    assert january.referral_deadline == date(2026, 12, 24)  # skips 1 Jan, 28 Dec (substitute) and 25 Dec
    assert january.papers_due == date(2027, 1, 5)
    december = meetings[0]
    assert december.minutes_due == date(2026, 12, 15)
    april = meetings[4]
    assert april.papers_due == date(2027, 4, 6)  # 12, 9, 8, 7, 6 April
    assert april.referral_deadline == date(2027, 3, 30)  # 10 working days: 12, 9, 8, 7, 6, 5, 2, 1, 31, 30
    with at("2026-11-24"):  # a one-off meeting just after Easter 2027
        easter = schedule_meeting(panel=iom, day=date(2027, 4, 6), by=partnership["iom_coordinator"])
    assert easter.papers_due == date(2027, 3, 30)  # 5, 2, 1 April, 31 and 30 March
    assert easter.referral_deadline == date(2027, 3, 19)  # skips Easter Monday 29 and Good Friday 26 March


def test_a_meeting_cannot_be_in_the_past_or_twice_on_one_day(iom: Panel, partnership: dict[str, User]) -> None:
    by = partnership["iom_coordinator"]
    with at("2026-11-24"):
        schedule_meeting(panel=iom, day=date(2026, 12, 8), by=by)
        with pytest.raises(PanelError, match="already meets on 08 December 2026"):
            schedule_meeting(panel=iom, day=date(2026, 12, 8), by=by)
        with pytest.raises(PanelError, match="in the past"):
            schedule_meeting(panel=iom, day=date(2026, 11, 1), by=by)


def test_late_referrals_go_to_the_next_meeting_unless_urgent(
    iom: Panel, partnership: dict[str, User], people: list[Person]
) -> None:
    by = partnership["police_officer"]
    with at("2026-11-20"):
        december, january = (
            schedule_meeting(panel=iom, day=date(2026, 12, 8), by=by),
            schedule_meeting(panel=iom, day=date(2027, 1, 12), by=by),
        )
    assert december.referral_deadline == date(2026, 11, 24)
    with at("2026-11-24"):  # on the cut-off day: in time
        on_time = refer(panel=iom, person=people[0], reason="Prolific", nominating_officer=by, referred_by=by)
    with at("2026-11-25"):  # a day late
        late = refer(panel=iom, person=people[1], reason="Prolific", nominating_officer=by, referred_by=by)
        urgent = refer(
            panel=iom, person=people[2], reason="Released today", nominating_officer=by, referred_by=by, urgent=True
        )
    assert (on_time.referral.meeting, on_time.late) == (december, False)
    assert (late.referral.meeting, late.late) == (january, False)
    assert (urgent.referral.meeting, urgent.late) == (december, True)
    with at("2026-11-30"):
        items = build_agenda(meeting=december, by=by)
    listed = {item.referral_id: item.late for item in items if item.kind == AgendaKind.NEW_REFERRAL}
    assert listed == {on_time.referral.pk: False, urgent.referral.pk: True}
    with at("2026-11-30"):
        assert build_agenda(meeting=december, by=by) == []  # safe to repeat
    on_time.referral.refresh_from_db()
    assert on_time.referral.status == ReferralStatus.ON_AGENDA
    assert [e.status for e in on_time.referral.events.all()] == [ReferralStatus.RECEIVED, ReferralStatus.ON_AGENDA]


def test_one_open_referral_per_person_and_panel(iom: Panel, partnership: dict[str, User], people: list[Person]) -> None:
    by = partnership["police_officer"]
    refer(panel=iom, person=people[0], reason="Prolific", nominating_officer=by, referred_by=by)
    with pytest.raises(PanelError, match="already has an open referral"):
        refer(panel=iom, person=people[0], reason="Again", nominating_officer=by, referred_by=by)


@pytest.fixture
def meeting_with_referral(iom: Panel, partnership: dict[str, User], people: list[Person]) -> tuple[Meeting, Any]:
    by = partnership["iom_coordinator"]
    with at("2026-11-10"):
        meeting = schedule_meeting(panel=iom, day=date(2026, 12, 8), by=by)
        refer(panel=iom, person=people[0], reason="Prolific", nominating_officer=by, referred_by=by)
        (item,) = build_agenda(meeting=meeting, by=by)
    return meeting, item


def test_three_organisations_are_refused_with_the_reason(
    meeting_with_referral: tuple[Meeting, Any], partnership: dict[str, User]
) -> None:
    meeting, item = meeting_with_referral
    chair = partnership["panel_chair"]
    attend(meeting, "probation", "police", "police", "housing", by=chair)  # two police officers count once
    assert meeting_quorum(meeting).organisations_present == 3
    votes = {agency(c).pk: "for" for c in ("probation", "police", "housing")}
    with pytest.raises(PanelError, match="Not quorate: 3 organisations present; 4 needed"):
        decide(item=item, outcome=Outcome.REJECT, reasons="Not prolific enough", votes=votes, by=chair)
    assert not Referral.objects.filter(status=ReferralStatus.REJECTED).exists()


def test_guests_do_not_make_a_quorum(meeting_with_referral: tuple[Meeting, Any], partnership: dict[str, User]) -> None:
    meeting, _ = meeting_with_referral
    chair = partnership["panel_chair"]
    attend(meeting, "probation", "police", "housing", by=chair)
    record_attendance(
        meeting=meeting, agency=agency("substance"), name="Guest", by=chair, capacity=Capacity.NOMINATING_OFFICER
    )
    assert not meeting_quorum(meeting).met
    record_attendance(
        meeting=meeting, agency=agency("jobcentre"), name="Deputy", by=chair, capacity=Capacity.DEPUTY,
        deputy_for="Jobcentre Manager",
    )  # fmt: skip
    assert meeting_quorum(meeting).met


def test_select_opens_the_case_with_cohort_tier_and_lead(
    meeting_with_referral: tuple[Meeting, Any], partnership: dict[str, User]
) -> None:
    meeting, item = meeting_with_referral
    chair = partnership["panel_chair"]
    attend(meeting, "probation", "police", "housing", "substance", by=chair)
    votes = {agency(c).pk: "for" for c in ("probation", "police", "housing")} | {agency("substance").pk: "against"}
    tier = Tier.objects.get(level=1)
    lead = partnership["offender_manager"]
    result = decide(
        item=item, outcome=Outcome.SELECT, reasons="Meets the HCC criteria", votes=votes, by=chair, cohort="HCC",
        tier=tier, lead_professional=lead,
    )  # fmt: skip
    assert result.tally.message == "Carried: 3 for, 1 against, 0 abstaining."
    case = Case.objects.get(person=item.referral.person)
    assert (case.status, case.cohort, case.tier, case.lead_professional, case.statutory) == (
        CaseStatus.OPEN,
        "HCC",
        tier,
        lead,
        True,
    )
    assert case.opened_on == meeting.date
    item.referral.refresh_from_db()
    assert item.referral.status == ReferralStatus.SELECTED
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    with pytest.raises(PanelError, match="already been decided"):
        decide(item=item, outcome=Outcome.REJECT, reasons="Changed mind", votes=votes, by=chair)


def test_a_tie_goes_to_the_chairs_casting_vote(
    meeting_with_referral: tuple[Meeting, Any], partnership: dict[str, User]
) -> None:
    meeting, item = meeting_with_referral
    chair = partnership["panel_chair"]
    attend(meeting, "probation", "police", "housing", "substance", by=chair)
    votes = {agency("probation").pk: "for", agency("police").pk: "for"}
    votes |= {agency("housing").pk: "against", agency("substance").pk: "against"}
    with pytest.raises(PanelError, match="the acting chair must give a casting vote"):
        decide(item=item, outcome=Outcome.REJECT, reasons="Tied", votes=votes, by=chair)
    result = decide(item=item, outcome=Outcome.REJECT, reasons="Tied", votes=votes, by=chair, casting_vote="for")
    assert result.tally.casting_vote_used
    item.referral.refresh_from_db()
    assert item.referral.status == ReferralStatus.REJECTED


def test_with_the_chair_absent_the_vice_chair_casts_and_without_either_a_tie_fails(
    meeting_with_referral: tuple[Meeting, Any], partnership: dict[str, User]
) -> None:
    meeting, item = meeting_with_referral
    chair = partnership["panel_chair"]
    attend(meeting, "housing", "substance", "jobcentre", "victim-support", by=chair)  # neither chair nor vice
    votes = {agency("housing").pk: "for", agency("substance").pk: "for"}
    votes |= {agency("jobcentre").pk: "against", agency("victim-support").pk: "against"}
    with pytest.raises(PanelError, match="no chair or vice chair is present"):
        decide(item=item, outcome=Outcome.DEFER, reasons="Tied", votes=votes, by=chair, casting_vote="for")
    attend(meeting, "police", by=chair)  # the vice chair's organisation arrives
    votes[agency("police").pk] = "abstain"
    result = decide(
        item=item, outcome=Outcome.DEFER, reasons="More information", votes=votes, by=chair, casting_vote="for"
    )
    assert result.tally.casting_vote_used
    item.referral.refresh_from_db()
    assert (item.referral.status, item.referral.meeting) == (ReferralStatus.DEFERRED, None)


def test_a_proposal_not_carried_records_nothing(
    meeting_with_referral: tuple[Meeting, Any], partnership: dict[str, User]
) -> None:
    meeting, item = meeting_with_referral
    chair = partnership["panel_chair"]
    attend(meeting, "probation", "police", "housing", "substance", by=chair)
    votes = {agency(c).pk: "against" for c in ("probation", "police", "housing")}
    with pytest.raises(PanelError, match="was not carried"):
        decide(
            item=item, outcome=Outcome.SELECT, reasons="x", votes=votes, by=chair, cohort="HCC",
            tier=Tier.objects.get(level=2), lead_professional=partnership["offender_manager"],
        )  # fmt: skip
    assert not Case.objects.exists()


def test_deselect_closes_the_case(iom: Panel, partnership: dict[str, User], people: list[Person]) -> None:
    chair = partnership["panel_chair"]
    lead = partnership["offender_manager"]
    with at("2026-06-01"):
        case = Case.objects.create(
            person=people[3], cohort="PPO", tier=Tier.objects.get(level=1), lead_professional=lead,
            lead_agency=lead.agency, opened_on=date(2026, 1, 13),
        )  # fmt: skip
        meeting = schedule_meeting(panel=iom, day=date(2026, 7, 14), by=chair)
        refer(
            panel=iom, person=people[3], reason="No offending for a year", nominating_officer=lead, referred_by=lead,
            kind=ReferralKind.DESELECTION, case=case,
        )  # fmt: skip
        items = build_agenda(meeting=meeting, by=chair)
    kinds = {item.kind: item for item in items}
    assert set(kinds) == {AgendaKind.DESELECTION, AgendaKind.REVIEW}  # opened in January: due for review
    attend(meeting, "probation", "police", "housing", "substance", by=chair)
    votes = {agency(c).pk: "for" for c in ("probation", "police", "housing", "substance")}
    decide(item=kinds[AgendaKind.DESELECTION], outcome=Outcome.DESELECT, reasons="Desisted", votes=votes, by=chair)
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.close_reason) == (CaseStatus.CLOSED, date(2026, 7, 14), "Desisted")
    with pytest.raises(PanelError, match="already closed"):
        decide(item=kinds[AgendaKind.REVIEW], outcome=Outcome.DESELECT, reasons="Again", votes=votes, by=chair)


def test_minutes_need_the_chair_and_the_current_version(
    meeting_with_referral: tuple[Meeting, Any], partnership: dict[str, User]
) -> None:
    meeting, _ = meeting_with_referral
    coordinator, chair = partnership["iom_coordinator"], partnership["panel_chair"]
    meeting = save_minutes(meeting=meeting, text="Draft", by=coordinator, version=meeting.version)
    stale = meeting.version - 1
    with pytest.raises(StaleEdit, match="someone else changed the minutes"):
        save_minutes(meeting=meeting, text="My edit", by=chair, version=stale)
    with pytest.raises(PanelError, match="only a panel chair"):
        approve_minutes(meeting=meeting, by=coordinator)
    approved = approve_minutes(meeting=meeting, by=chair, version=meeting.version)
    assert approved.minutes_approved_by == chair
    with pytest.raises(PanelError, match="approved minutes cannot be edited"):
        save_minutes(meeting=approved, text="Late change", by=chair)


def test_actions_become_overdue(meeting_with_referral: tuple[Meeting, Any], partnership: dict[str, User]) -> None:
    meeting, _ = meeting_with_referral
    owner = partnership["partner_practitioner"]
    action = add_action(
        meeting=meeting, description="Find a hostel place", owner=owner, due_date=date(2026, 12, 15),
        by=partnership["iom_coordinator"],
    )  # fmt: skip
    assert action.owner_agency == owner.agency
    with at("2026-12-15"):
        assert not action.is_overdue
    with at("2026-12-16"):
        assert action.is_overdue
        assert list(type(action).objects.overdue().for_owner(owner)) == [action]


def test_papers_minutes_and_acknowledgement_are_sent_and_recorded(
    meeting_with_referral: tuple[Meeting, Any], partnership: dict[str, User], mailoutbox: list[Any]
) -> None:
    from openiom.panels.circulation import circulate_minutes, circulate_papers, send_acknowledgement
    from openiom.panels.constants import CirculationKind
    from openiom.panels.papers import draft_minutes

    meeting, item = meeting_with_referral
    coordinator, chair = partnership["iom_coordinator"], partnership["panel_chair"]
    item.referral.supporting_information = "Three burglaries since his release in June."
    item.referral.save()
    with at("2026-12-01"):
        circulation = circulate_papers(meeting=meeting, by=coordinator)
    assert circulation.kind == CirculationKind.PAPERS
    papers = mailoutbox[-1]
    assert papers.subject == "IOM Panel: agenda and papers for 08 December 2026"
    assert "Test0" not in papers.subject + papers.body  # no names in the e-mail itself
    name, content, mimetype = papers.attachments[0]
    assert (name, mimetype) == ("papers-2026-12-08.pdf", "application/pdf")
    text = pdf_text(content, layout=True)
    assert "IOM Panel: agenda and papers" in text
    assert "Item 1: Test0 Person" in text
    assert "Three burglaries since his release in June." in text
    assert "Special-category information" in text
    meeting.refresh_from_db()
    assert meeting.papers_circulated_at is not None
    assert not meeting.papers_late  # sent on 1 December, due 1 December

    attend(meeting, "probation", "police", "housing", "substance", by=chair)
    votes = {agency(c).pk: "for" for c in ("probation", "police", "housing", "substance")}
    decide(
        item=item, outcome=Outcome.SELECT, reasons="Meets the criteria", votes=votes, by=chair, cohort="PPO",
        tier=Tier.objects.get(level=1), lead_professional=partnership["offender_manager"],
    )  # fmt: skip
    add_action(meeting=meeting, description="Housing assessment", owner=partnership["partner_practitioner"],
               due_date=date(2026, 12, 22), by=coordinator)  # fmt: skip
    text = draft_minutes(meeting)
    assert "Quorate: 4 organisations present; 4 needed." in text
    assert "Decision: Select (4 for, 0 against, 0 abstaining)." in text
    assert "Housing assessment: Priya Shah" in text
    meeting = save_minutes(meeting=meeting, text=text, by=coordinator)
    with pytest.raises(PanelError, match="only minutes the chair has approved"):
        circulate_minutes(meeting=meeting, by=coordinator)
    meeting = approve_minutes(meeting=meeting, by=chair)
    with at("2026-12-16"):  # due 15 December
        circulate_minutes(meeting=meeting, by=coordinator)
    meeting.refresh_from_db()
    assert meeting.minutes_late
    send_acknowledgement(referral=item.referral, by=coordinator)
    ack = mailoutbox[-1]
    assert ack.to == [item.referral.nominating_officer.email]
    text = pdf_text(ack.attachments[0][1])
    assert "Acknowledgement response form" in text
    assert "Meets the criteria" in text


def test_the_calendar_export(iom: Panel, partnership: dict[str, User]) -> None:
    from openiom.panels.ical import meetings_ical

    with at("2026-11-24"):
        meeting = schedule_meeting(panel=iom, day=date(2027, 1, 12), by=partnership["iom_coordinator"])
        text = meetings_ical([meeting])
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert "DTSTART:20270112T100000Z" in text  # 10:00 in London in January is 10:00 UTC
    assert "SUMMARY:IOM Panel" in text
    assert "Referral cut-off 24 December 2026" in text.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_nominations_from_a_selection_run_are_referred_in_bulk(
    iom: Panel, partnership: dict[str, User], people: list[Person]
) -> None:
    from openiom.cohort.models import ScoredPerson, SelectionRun
    from openiom.panels.services import refer_from_selection

    coordinator = partnership["iom_coordinator"]
    run = SelectionRun.objects.create(as_of=date(2026, 10, 31), config={}, created_by=coordinator, status="succeeded")
    for rank, person in enumerate(people[:3], start=1):
        ScoredPerson.objects.create(
            run=run, person=person, person_key=person.pk, route="IOM", rank=rank, nominated=True, eligible=True,
            outcome="nominated", cohort="HCC", framework="Free", pre_release_planning=False, in_custody=False,
            rfg_score=12 - rank, harm_days=10, cost_gbp=0, ogrs3_2yr=0.6, ogrs3_band="Medium", age=30, components={},
        )  # fmt: skip
    refer(
        panel=iom, person=people[1], reason="Already referred", nominating_officer=coordinator, referred_by=coordinator
    )
    result = refer_from_selection(
        run=run, person_keys=[people[0].pk, people[1].pk, people[3].pk], panel=iom, nominating_officer=coordinator,
        by=coordinator,
    )  # fmt: skip
    assert [r.person for r in result.referred] == [people[0]]
    referral = result.referred[0]
    assert referral.selection_run == run
    assert referral.suggested_cohort == "HCC"
    assert (
        "suggested cohort High Crime Causer, ranked 1 on the IOM route, RFG score 11, OGRS3 Medium" in referral.reason
    )
    assert result.skipped == [
        (people[1].pk, "this person already has an open referral to the IOM Panel"),
        (people[3].pk, "not scored in this run"),
    ]
