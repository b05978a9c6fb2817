"""The service directory in real Chromium with axe-core on every page (run with `make browser-test`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from openiom.cases.models import Case
from openiom.demo import DEMO_PASSWORD
from openiom.directory.models import Service
from openiom.directory.seed import seed_demo_services
from tests.browser.conftest import Visitor
from tests.directory.conftest import make_case  # noqa: F401  (the fixture: an open case with its needs)


def test_coordinator_finds_changes_imports_and_reads_the_gaps(
    visitor: Visitor,
    make_case: Callable[..., Case],  # noqa: F811  (the fixture imported above)
    tmp_path: Any,
) -> None:
    seed_demo_services()
    make_case({"accommodation": "high", "drugs_alcohol": "medium"})
    page = visitor.page
    visitor.sign_in("coordinator@openiom.test", DEMO_PASSWORD)
    page.click(".moj-primary-navigation__link:has-text('Services')")
    visitor.check("directory")
    page.select_option("#id_pathway", "drugs_alcohol")
    page.fill("#id_age", "16")
    page.click("button:has-text('Apply filters')")
    assert page.locator("tbody tr").count() == 1
    assert "Young people's substance use service" in page.locator("tbody").inner_text()
    visitor.check("directory filtered")
    page.click("a:has-text('Young people')")
    visitor.check("service")
    page.click("a:has-text('Change')")
    page.fill("#id_capacity", "six")
    page.click("button:has-text('Save changes')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    visitor.check("change errors")
    page.fill("#id_capacity", "6")
    page.click("button:has-text('Save changes')")
    assert Service.objects.get(name="Young people's substance use service").capacity == 6
    visitor.check("service changed")

    bad = tmp_path / "services.csv"
    bad.write_text("name,provider,pathways\nHostel,Homeless Partnership,housing\n")
    page.click("a:has-text('Services')")
    page.click("a:has-text('Import from a spreadsheet')")
    page.set_input_files("#id_file", str(bad))
    page.click("button:has-text('Check and import')")
    assert '"housing" is not a pathway' in page.locator("#problems").inner_text()
    visitor.check("import problems")

    page.click('a:has-text("Gaps against the cohort\'s needs")')
    expect(page.locator("svg[role=img]")).to_be_visible()
    visitor.check("gaps")


def test_partner_practitioner_reads_but_cannot_change(visitor: Visitor) -> None:
    seed_demo_services()
    page = visitor.page
    visitor.sign_in("practitioner@openiom.test", DEMO_PASSWORD)
    page.goto(visitor.base_url + "/services/?q=shift")
    page.click("a:has-text('SHIFT care farm')")
    assert page.locator("a:has-text('Change')").count() == 0
    assert "Prolific and Priority Offender cohort only" in page.locator("main").inner_text()
    visitor.check("service for a practitioner")
