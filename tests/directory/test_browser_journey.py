"""The directory in real Chromium with axe-core on every page (run with `make browser-test`).

The visitor and the browser come from tests/browser/conftest.py, so these pages get the same
checks as every other journey: axe clean, one h1, no console or CSP errors, a screenshot kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from openiom.cases.models import Case
from openiom.demo import DEMO_PASSWORD
from openiom.directory.models import Service
from openiom.directory.seed import seed_demo_services
from tests.browser.conftest import Visitor, chromium  # noqa: F401  (the session browser fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def visitor(chromium: Any, live_server: Any, partnership: Any, request: pytest.FixtureRequest) -> Iterator[Visitor]:  # noqa: F811
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    v = Visitor(context.new_page(), live_server.url, request.node.name)
    yield v
    context.close()
    assert v.console_errors == [], f"browser console errors: {v.console_errors}"


def test_coordinator_finds_changes_imports_and_reads_the_gaps(
    visitor: Visitor, make_case: Callable[..., Case], tmp_path: Any
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
    assert page.locator(".govuk-error-summary").is_visible()
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
    assert page.locator("svg[role=img]").is_visible()
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
