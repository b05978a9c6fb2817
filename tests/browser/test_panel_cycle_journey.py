"""The monthly panel cycle as the personas do it in the browser, with axe-core on every page.

A police officer refers a person from their page; the co-ordinator schedules a meeting, builds
the agenda, downloads and circulates the papers; at the meeting attendance is recorded (a
decision is refused until the meeting is quorate), the panel selects the person, which opens
their IOM case, and gives an action to the housing practitioner; the co-ordinator drafts the
minutes, the chair approves them and they are circulated; the practitioner finds the action on
"My actions". The meeting is scheduled six weeks ahead of the real date, so no clock is frozen.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core import mail
from django.utils import timezone

from openiom.cases.models import Case
from openiom.cases.services import default_tiers
from openiom.demo import DEMO_PASSWORD
from openiom.panels.constants import MinutesStatus, ReferralStatus
from openiom.panels.models import ActionPoint, Meeting, Referral
from openiom.panels.workingdays import is_working_day
from openiom.people.models import Person
from openiom.testing.pdf import pdf_text

PDFS = Path(__file__).resolve().parents[2] / "test-artifacts/pdfs"


def _meeting_day() -> Any:
    """A working Tuesday about six weeks ahead: its referral cut-off (10 working days before) is after today."""
    day = timezone.localdate() + timedelta(days=42)
    while day.weekday() != 1 or not is_working_day(day):
        day += timedelta(days=1)
    return day


def _as(visitor: Any, email: str) -> None:
    visitor.page.context.clear_cookies()
    visitor.sign_in(email, DEMO_PASSWORD)


def _download(visitor: Any, link_text: str, name: str) -> str:
    with visitor.page.expect_download() as info:
        visitor.page.click(f"a:has-text('{link_text}')")
    PDFS.mkdir(parents=True, exist_ok=True)
    target = PDFS / name
    info.value.save_as(str(target))
    return pdf_text(target.read_bytes())


def _vote(page: Any, agency: str, vote: str) -> None:
    page.locator("fieldset", has=page.locator(f"legend:text-is('{agency}')")).locator(f"[value={vote}]").check()


def _quorum(page: Any) -> tuple[str, str]:
    """The quorum panel: its tag and what it says."""
    return (page.locator("#quorum .govuk-tag").inner_text(), page.locator("#quorum p").nth(1).inner_text())


def _banner(page: Any) -> str:
    return str(page.locator(".govuk-notification-banner").inner_text())


def test_the_monthly_panel_cycle(visitor: Any, partnership: Any) -> None:
    default_tiers()  # browser tests empty the database between tests; the tiers come from a data migration
    page = visitor.page
    person = Person.objects.create(
        given_name="Jordan", family_name="Quill", date_of_birth="1996-03-27", gender="M", ethnicity="W"
    )
    day = _meeting_day()

    # A police officer refers the person from their page.
    _as(visitor, "police.officer@openiom.test")
    visitor.goto(f"/people/{person.pk}/")
    page.click("a:has-text('Refer to a panel')")
    assert "Quill" not in page.url
    visitor.check("referral form")
    page.click("button:has-text('Send the referral')")
    assert "Enter the reason for the referral" in page.locator(".govuk-error-summary").inner_text()
    visitor.check("referral form, errors")
    page.check("label:has-text('IOM Panel')")
    page.fill("#id_reason", "Five dwelling burglaries since his release in July; not engaging with probation.")
    page.fill("#id_supporting_information", "Arrested twice in October; both cases await charging decisions.")
    page.click("button:has-text('Send the referral')")
    assert "No IOM Panel meeting is scheduled yet" in _banner(page)
    referral = Referral.objects.get(person=person)
    visitor.check("referral received")

    # The co-ordinator schedules the meeting, builds the agenda, checks and circulates the papers.
    _as(visitor, "coordinator@openiom.test")
    page.click(".moj-primary-navigation a:has-text('Panels')")
    visitor.check("panels")
    page.click("a:has-text('Schedule one meeting of the IOM Panel')")
    visitor.check("schedule one meeting")
    page.fill("#id_day_0", str(day.day))
    page.fill("#id_day_1", str(day.month))
    page.fill("#id_day_2", str(day.year))
    page.click("button:has-text('Schedule the meeting')")
    meeting = Meeting.objects.get(panel__code="iom", date=day)
    assert f"Referrals are due by {meeting.referral_deadline:%-d %B %Y}" in _banner(page)
    visitor.check("meeting, no agenda")
    page.click("button:has-text('Build the agenda')")
    assert "1 item added to the agenda" in _banner(page)
    assert page.locator("table >> text=New referral: Jordan Quill").count() == 1
    visitor.check("meeting, agenda built")
    papers = _download(visitor, "Download the papers pack", "papers-pack.pdf")
    assert "Item 1: Jordan Quill" in papers
    assert "Five dwelling burglaries" in papers
    sent_before = len(mail.outbox)
    page.click("button:has-text('Circulate papers')")
    assert "The agenda and papers were sent" in _banner(page)
    assert len(mail.outbox) == sent_before + 1
    assert "Jordan" not in mail.outbox[-1].subject + mail.outbox[-1].body
    assert page.locator("table >> text=Agenda and papers").count() == 1  # the circulation log
    visitor.check("meeting, papers circulated")

    # At the meeting: attendance, and quorum going from not quorate to quorate.
    page.click(".moj-sub-navigation a:has-text('Attendance')")
    assert _quorum(page) == (
        "Not quorate",
        "0 organisations present; 4 needed, so 4 more must attend before any decision.",
    )
    visitor.check("attendance, empty")
    for agency, name, post in (
        ("Probation Service – Riverside", "Chris Okafor", "Senior Probation Officer"),
        ("Riverside Police", "DI Sara Lowe", "Detective Inspector"),
        ("Riverside Housing Partnership", "Priya Shah", "Head of Housing Operations"),
    ):
        page.select_option("#id_agency", label=agency)
        page.fill("#id_name", name)
        page.fill("#id_post", post)
        page.click("button:has-text('Add to attendance')")
        page.wait_for_selector(f"#attendance-region td:has-text('{name}')")
    assert _quorum(page) == (
        "Not quorate",
        "3 organisations present; 4 needed, so 1 more must attend before any decision.",
    )
    visitor.check("attendance, not quorate")

    # A decision without quorum is refused, and what was typed is kept.
    page.click(".moj-sub-navigation a:has-text('Agenda and papers')")
    page.click("a:has-text('Record the decision')")
    visitor.check("decision form")
    page.check("input[name=outcome][value=select]")
    page.fill("#id_reasons", "Meets the high crime causer criteria.")
    for agency in ("Probation Service – Riverside", "Riverside Police", "Riverside Housing Partnership"):
        _vote(page, agency, "for")
    page.select_option("#id_cohort", "HCC")
    page.select_option("#id_tier", label="Tier 2: enhanced")
    page.click("button:has-text('Record the decision')")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Not quorate: 3 organisations present; 4 needed" in summary
    assert page.input_value("#id_reasons") == "Meets the high crime causer criteria."
    assert page.locator("fieldset:has(legend:text-is('Riverside Police')) [value=for]").is_checked()
    visitor.check("decision refused without quorum")

    page.click("a:has-text('Record who is present')")
    page.select_option("#id_agency", label="Riverside Substance Misuse Service")
    page.fill("#id_name", "Sam Reid")
    page.check("label:has-text('Deputy for a member')")
    page.fill("#id_deputy_for", "Service Manager")
    page.click("button:has-text('Add to attendance')")
    page.wait_for_selector("#quorum:has-text('4 organisations present; 4 needed.')")
    assert _quorum(page) == ("Quorate", "4 organisations present; 4 needed.")
    visitor.check("attendance, quorate")

    # The decision to select, with each organisation's vote: it opens the IOM case.
    page.click(".moj-sub-navigation a:has-text('Agenda and papers')")
    page.click("a:has-text('Record the decision')")
    page.check("input[name=outcome][value=select]")
    page.fill("#id_reasons", "Meets the high crime causer criteria: five burglaries in four months.")
    for agency, vote in (
        ("Probation Service – Riverside", "for"),
        ("Riverside Police", "for"),
        ("Riverside Housing Partnership", "for"),
        ("Riverside Substance Misuse Service", "against"),
    ):
        _vote(page, agency, vote)
    page.select_option("#id_cohort", "HCC")
    page.select_option("#id_tier", label="Tier 2: enhanced")
    assert "Olu Mensah" in page.locator("#id_lead_professional option:checked").inner_text()
    visitor.check("decision form, filled in")
    page.click("button:has-text('Record the decision')")
    assert "Carried: 3 for, 1 against, 0 abstaining" in _banner(page)
    case = Case.objects.get(person=person)
    assert (case.cohort, case.tier.level, case.lead_professional.email) == ("HCC", 2, "offender.manager@openiom.test")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SELECTED
    visitor.check("meeting, decided")

    # An action for the housing practitioner.
    page.click(".moj-sub-navigation a:has-text('Actions')")
    page.fill("#id_description", "Find Jordan a supported housing place before the review.")
    page.select_option("#id_owner", label="Priya Shah, Riverside Housing Partnership (Housing resettlement officer)")
    due = day + timedelta(days=14)
    page.fill("#id_due_date_0", str(due.day))
    page.fill("#id_due_date_1", str(due.month))
    page.fill("#id_due_date_2", str(due.year))
    page.click("button:has-text('Add the action')")
    assert "Action added for Priya Shah" in _banner(page)
    visitor.check("actions")

    # The co-ordinator drafts the minutes from the record and completes them.
    page.click(".moj-sub-navigation a:has-text('Minutes')")
    visitor.check("minutes, not started")
    page.click('button:has-text("Draft from the meeting\'s record")')
    text = page.input_value("#id_text")
    assert "Quorate: 4 organisations present; 4 needed." in text
    assert "Decision: Select (3 for, 1 against, 0 abstaining)." in text
    assert "Find Jordan a supported housing place" in text
    page.fill("#id_text", text + "\nAny other business: none.")
    page.click("button:has-text('Save the minutes')")
    assert "saved as a draft" in _banner(page)
    assert page.locator("button:has-text('Approve the minutes')").count() == 0  # only the chair approves
    visitor.check("minutes, draft")

    # The panel chair approves them.
    _as(visitor, "panel.chair@openiom.test")
    visitor.goto(f"/panels/meetings/{meeting.pk}/minutes/")
    page.click("button:has-text('Approve the minutes')")
    assert "You have approved the minutes" in _banner(page)
    visitor.check("minutes, approved")

    # The co-ordinator circulates them and sends the acknowledgement form to the nominating officer.
    _as(visitor, "coordinator@openiom.test")
    visitor.goto(f"/panels/meetings/{meeting.pk}/minutes/")
    minutes = _download(visitor, "Download the minutes", "minutes.pdf")
    assert "Any other business: none." in minutes
    page.click("button:has-text('Circulate the minutes')")
    assert "The minutes were sent" in _banner(page)
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.APPROVED
    assert meeting.minutes_circulated_at is not None
    visitor.check("minutes, circulated")
    visitor.goto(f"/panels/referrals/{referral.pk}/")
    acknowledgement = _download(visitor, "Download the acknowledgement form", "acknowledgement.pdf")
    assert "Meets the high crime causer criteria" in acknowledgement
    page.click("button:has-text('Send to the nominating officer')")
    assert "sent to PC Dev Patel" in _banner(page)
    assert mail.outbox[-1].to == ["police.officer@openiom.test"]
    visitor.check("referral, decided")

    # The housing practitioner finds the action on "My actions".
    _as(visitor, "practitioner@openiom.test")
    assert "1 open panel action" in page.locator(".govuk-inset-text").inner_text()
    visitor.check("home with actions")
    page.click("a:has-text('My actions')")
    assert page.locator("tbody tr").count() == 1
    assert "Find Jordan a supported housing place" in page.locator("tbody tr td").first.inner_text()
    visitor.check("my actions")
    page.click("button:has-text('Mark as done')")
    assert "marked as done" in _banner(page)
    assert ActionPoint.objects.get().status == "done"
    visitor.check("my actions, done")


def test_setting_up_the_panels_and_referring_someone_new(visitor: Any, partnership: Any) -> None:
    """The pages around the cycle: terms of reference and members (an administrator), a series of meetings
    and the referrals list (the co-ordinator), and a referral of someone new (a housing practitioner)."""
    page = visitor.page
    _as(visitor, "admin@openiom.test")
    page.click(".moj-primary-navigation a:has-text('Administration')")
    page.get_by_role("link", name="Panels' terms of reference").click()
    visitor.check("terms of reference list")
    page.click("a:has-text('Change terms of reference of the IOM Panel')")
    visitor.check("terms of reference form")
    page.fill("#id_quorum", "0")
    page.click("button:has-text('Save the terms of reference')")
    assert "The quorum must be at least 1 organisation" in page.locator(".govuk-error-summary").inner_text()
    visitor.check("terms of reference form, error")
    page.fill("#id_quorum", "5")
    page.click("button:has-text('Save the terms of reference')")
    assert "The terms of reference of the IOM Panel have been saved." in _banner(page)
    page.click("a:has-text('Change members of the IOM Panel')")
    visitor.check("members")
    page.select_option("#id_agency", label="Riverside Care Farm")
    page.fill("#id_post", "Project Manager")
    page.check("label:has-text('Attend as required')")
    page.click("button:has-text('Add the member')")
    assert "Project Manager (Riverside Care Farm) has been added to the IOM Panel." in _banner(page)
    visitor.check("members, added")

    _as(visitor, "coordinator@openiom.test")
    visitor.goto("/panels/")
    page.click("a:has-text('Schedule a series of meetings of the ASB Panel')")
    visitor.check("schedule a series")
    page.fill("#id_months", "3")
    page.click("button:has-text('Schedule the meetings')")
    assert "meetings of the ASB Panel scheduled" in _banner(page)
    assert "Representatives of 5 or more organisations" in page.content()
    visitor.check("panels, series scheduled")

    _as(visitor, "practitioner@openiom.test")
    page.click("a:has-text('Refer a person to a panel')")
    visitor.check("referral form, someone new")
    page.fill("#id_given_name", "Robin")
    page.fill("#id_family_name", "Vale")
    page.fill("#id_date_of_birth_0", "14")
    page.fill("#id_date_of_birth_1", "2")
    page.fill("#id_date_of_birth_2", "1999")
    page.check("label:has-text('Female')")
    page.check("label:has-text('ASB Panel')")
    page.fill("#id_reason", "Repeated noise and threats to neighbours since September.")
    page.click("button:has-text('Send the referral')")
    assert "in time for the ASB Panel meeting on" in _banner(page)
    assert "Vale" not in page.url
    visitor.check("referral of someone new, received")

    _as(visitor, "coordinator@openiom.test")
    visitor.goto("/panels/referrals/")
    assert page.locator("tbody tr").count() == 1
    assert "VALE, Robin" in page.locator("tbody tr").inner_text()
    visitor.check("referrals list")
