"""The analyst produces the strategic group's figures in real Chromium, axe-core on every page."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from openiom.cases.models import Case, Intervention
from openiom.demo import DEMO_PASSWORD
from openiom.directory.models import Service
from openiom.testing.pdf import pdf_text
from tests.browser.conftest import Visitor
from tests.evaluation.conftest import NAME, cohort, make_case, make_person, tiers  # noqa: F401  (fixtures)


def test_analyst_reads_every_report_and_downloads_the_pack(
    visitor: Visitor,
    cohort: list[Case],  # noqa: F811  (the fixture imported above)
    partnership: dict,
) -> None:
    service = Service.objects.create(name="SHIFT care farm", provider="SHIFT", pathways=["ete"])
    for case in cohort[:3]:
        Intervention.objects.create(
            case=case, service=service, pathway="ete", referred_on=date(2024, 3, 5), started_on=date(2024, 3, 10),
            referred_by=partnership["iom_coordinator"], status="ended",
        )  # fmt: skip
    page = visitor.page
    visitor.sign_in("analyst@openiom.test", DEMO_PASSWORD)
    page.click(".moj-primary-navigation__link:has-text('Reports')")
    visitor.check("reports")

    page.click("a:has-text('Cohort outcomes')")
    assert "58.3%" in page.locator("#reoffending").inner_text()
    expect(page.locator("#survival-chart")).to_be_visible()
    visitor.check("cohort outcomes")
    page.select_option("#id_cohort", "PPO")
    page.fill("#id_entered_from", "2025-01-01")
    page.fill("#id_entered_to", "2024-01-01")
    page.click("button:has-text('Show the figures')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.input_value("#id_entered_from") == "2025-01-01"
    visitor.check("cohort outcomes with a bad period")
    page.fill("#id_entered_from", "2024-01-01")
    page.fill("#id_entered_to", "2024-12-31")
    page.click("button:has-text('Show the figures')")
    assert "12 have a complete follow-up" in page.locator("#reoffending").inner_text()
    with page.expect_download() as download:
        page.click("a:has-text('Download as a spreadsheet')")
    assert download.value.suggested_filename.endswith(".xlsx")

    page.click("a:has-text('How proven reoffending is worked out')")
    expect(page.locator("#proven-reoffending")).to_be_visible()
    visitor.check("definitions")
    page.go_back()
    page.click(".moj-sub-navigation__link:has-text('DYO snapshot')")
    visitor.check("dyo snapshot")
    page.click(".moj-sub-navigation__link:has-text('Intervention impact')")
    page.select_option("#id_service", str(service.pk))
    page.click("button:has-text('Show the impact')")
    assert "No estimate of the impact of SHIFT care farm" in page.locator("main").inner_text()
    visitor.check("intervention impact")
    page.click(".moj-sub-navigation__link:has-text('Offender profile')")
    page.select_option("#id_year", "2024")
    page.click("button:has-text('Show the profile')")
    assert "2024-25" in page.locator("main").inner_text()
    visitor.check("offender profile")

    page.click(".moj-sub-navigation__link:has-text('All reports')")
    with page.expect_download() as download:
        page.click("a:has-text('Download the pack (PDF)')")
    text = pdf_text(download.value.path().read_bytes())
    assert "Cohort outcomes" in text
    assert "Deter Young Offenders" in text
    assert NAME not in text
    for page_text in (page.locator("body").inner_text(),):
        assert NAME not in page_text
