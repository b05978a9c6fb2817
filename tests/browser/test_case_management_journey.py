"""Case management in the browser, with axe-core on every page.

An offender manager's day: open "My cases", see the escalation review the system raised after a
new arrest, record a contact, reassess the pathways, add an action for the housing officer and
escalate the case up the pyramid. Then the partner practitioner's view: the housing officer finds
the case and her action, sees the case in full but not its victims, and sees only the minimal
view of a case her agency is not involved in. No clock is frozen: dates are relative to today.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from openiom.accounts.models import Agency, User
from openiom.cases.constants import PromptStatus
from openiom.cases.models import Case, Tier
from openiom.cases.plans import NeedInput, add_action, record_assessment
from openiom.cases.reminders import run_reminders
from openiom.cases.services import add_involvement, default_tiers, open_case
from openiom.cases.victims import add_victim
from openiom.demo import DEMO_PASSWORD
from openiom.offending.models import Offence
from openiom.people.models import Person, PersonRecord

OM, HOUSING = "offender.manager@openiom.test", "practitioner@openiom.test"


def _person(given: str, family: str, born: str) -> Person:
    person = Person.objects.create(given_name=given, family_name=family, date_of_birth=born, gender="M", ethnicity="W")
    PersonRecord.objects.create(
        source=Agency.objects.get(code="police"), source_person_id=f"J-{person.pk}", person=person,
        given_name=given, family_name=family, date_of_birth=born, gender="M", ethnicity="W",
    )  # fmt: skip
    return person


def _world() -> tuple[Case, Case]:
    default_tiers()  # browser tests empty the database between tests
    today = timezone.localdate()
    om, housing, police = (User.objects.get(email=e) for e in (OM, HOUSING, "police.officer@openiom.test"))
    dean = _person("Dean", "Marsh", "1994-08-09")
    case = open_case(person=dean, cohort="PPO", tier=Tier.objects.get(level=2), lead_professional=om,
                     statutory=True, opened_on=today - timedelta(days=60), by=om)  # fmt: skip
    add_involvement(case=case, agency=housing.agency, key_worker=housing, role="Resettlement", by=om)
    add_involvement(case=case, agency=police.agency, key_worker=police, role="IOM police officer", by=om)
    levels = {"accommodation": "medium", "drugs_alcohol": "high", "ete": "low"}
    record_assessment(case=case, by=om, assessed_on=today - timedelta(days=55),
                      needs={p: NeedInput(levels.get(p, "none"), p in levels) for p in
                             ("accommodation", "ete", "health", "drugs_alcohol", "finance", "children_families",
                              "attitudes")})  # fmt: skip
    add_action(case=case, pathway="ete", description="Enrol on the construction skills course", owner=housing,
               due_on=today + timedelta(days=10), by=om)  # fmt: skip
    add_victim(case=case, by=police, label="Victim A", relationship="Neighbour", repeat=True, vulnerable=False,
               safety_notes="Lives two doors away")  # fmt: skip
    Offence.objects.create(
        source=Agency.objects.get(code="police"), event_id=f"JE-{dean.pk}", record=dean.records.get(),
        offence_code="burglary_residential", offence_date=today - timedelta(days=3), outcome="arrest",
        outcome_date=today - timedelta(days=3),
    )  # fmt: skip
    run_reminders(today)
    other = open_case(person=_person("Lee", "Carver", "1990-02-01"), cohort="HCC", tier=Tier.objects.get(level=3),
                      lead_professional=police, opened_on=today - timedelta(days=20), by=police)  # fmt: skip
    return case, other


def _as(visitor: Any, email: str) -> None:
    visitor.page.context.clear_cookies()
    visitor.sign_in(email, DEMO_PASSWORD)


def _refused(visitor: Any, path: str) -> None:
    """The page is refused with 403 (the browser logs the refusal as a console error, expected here)."""
    before = len(visitor.console_errors)
    assert visitor.goto(path).status == 403
    assert visitor.page.locator("h1").inner_text() == "You do not have access to this page"
    assert all("403" in e for e in visitor.console_errors[before:])
    del visitor.console_errors[before:]


def test_an_offender_managers_day(visitor: Any, partnership: Any) -> None:
    case, _ = _world()
    page = visitor.page
    yesterday = timezone.localdate() - timedelta(days=1)

    _as(visitor, OM)
    visitor.goto("/cases/mine/")
    visitor.check("my cases")
    assert "1 tier review waiting on your cases" in page.locator("main").inner_text()
    page.click("main a:has-text('Dean')")
    assert page.url.endswith(f"/cases/{case.pk}/")
    visitor.check("case overview")
    assert "Escalation review" in page.locator("#reviews-title >> xpath=../..").inner_text()

    # A contact that happened yesterday.
    page.click(".moj-sub-navigation a:has-text('Contacts')")
    visitor.check("contacts")
    page.click("a:has-text('Book an appointment or record a contact')")
    visitor.check("contact form")
    page.select_option("#id_kind", "office")
    page.fill("#id_day_0", str(yesterday.day))
    page.fill("#id_day_1", str(yesterday.month))
    page.fill("#id_day_2", str(yesterday.year))
    page.fill("#id_at", "10:30")
    page.check("input[name=outcome][value=attended]")
    page.fill("#id_notes", "Discussed the arrest; engaged well.")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert case.contacts.get().outcome == "attended"
    visitor.check("contact recorded")

    # Reassess: accommodation is now high (he has been served notice).
    page.click(".moj-sub-navigation a:has-text('Needs and plan')")
    visitor.check("needs and plan")
    page.click("a:has-text('Reassess needs')")
    visitor.check("assessment form")
    assert page.locator("input[name=accommodation_level][value=medium]").is_checked(), "prefilled from last time"
    page.check("input[name=accommodation_level][value=high]")
    page.fill("#id_accommodation_notes", "Served a section 21 notice.")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    latest = case.assessments.first()
    assert latest is not None
    assert latest.needs.get(pathway="accommodation").level == "high"
    assert case.assessments.count() == 2
    visitor.check("reassessed")

    # An action for the housing officer.
    page.click("a:has-text('Add an action')")
    visitor.check("action form")
    due = timezone.localdate() + timedelta(days=14)
    page.select_option("#id_pathway", "accommodation")
    page.fill("#id_description", "Find supported accommodation before the notice ends")
    page.select_option("#id_owner", str(User.objects.get(email=HOUSING).pk))
    page.fill("#id_due_on_0", str(due.day))
    page.fill("#id_due_on_1", str(due.month))
    page.fill("#id_due_on_2", str(due.year))
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert case.actions.filter(pathway="accommodation", owner__email=HOUSING).exists()
    visitor.check("action added")

    # Escalate to tier 1: the escalation review is answered.
    visitor.goto(f"/cases/{case.pk}/tier/")
    visitor.check("tier form")
    page.check(f"input[name=tier][value='{Tier.objects.get(level=1).pk}']")
    page.fill("#id_reason", "Arrested for a dwelling burglary while on licence; losing his tenancy.")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    case.refresh_from_db()
    assert case.tier.level == 1
    assert case.prompts.get().status == PromptStatus.RESOLVED
    assert "Tier 1" in page.locator("main").inner_text()
    visitor.check("escalated")
    page.click(".moj-sub-navigation a:has-text('Timeline')")
    visitor.check("timeline")
    timeline = page.locator("main").inner_text()
    for event in ("Escalated", "Needs assessment", "Arrest", "Office appointment"):
        assert event in timeline, event


def test_a_partner_practitioners_view(visitor: Any, partnership: Any) -> None:
    case, other = _world()
    page = visitor.page
    _as(visitor, HOUSING)
    visitor.goto("/cases/mine/")
    visitor.check("my cases (housing)")
    assert "Dean" in page.locator("main").inner_text()
    assert "Lee" not in page.locator("main").inner_text()
    visitor.goto("/cases/actions/")
    visitor.check("my actions (housing)")
    assert "Enrol on the construction skills course" in page.locator("main").inner_text()

    visitor.goto(f"/cases/{case.pk}/")
    visitor.check("case overview (housing)")
    assert page.locator(".moj-sub-navigation a:has-text('Victims')").count() == 0
    assert "Victim A" not in page.content()
    _refused(visitor, f"/cases/{case.pk}/victims/")

    visitor.goto(f"/cases/{other.pk}/")
    visitor.check("minimal view (housing)")
    text = page.locator("main").inner_text()
    assert "PC Dev Patel" in text, "she can see whom to call"
    assert page.locator(".moj-sub-navigation").count() == 0
    assert "High Crime Causer" in text
    _refused(visitor, f"/cases/{other.pk}/contacts/")
