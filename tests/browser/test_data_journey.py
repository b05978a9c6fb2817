from __future__ import annotations

from playwright.sync_api import expect

from openiom.demo import DEMO_PASSWORD
from openiom.imports.models import Delivery
from tests.imports.test_import import CUSTODY, FLAGS, OFFENCES, PEOPLE


def test_coordinator_imports_a_delivery_then_finds_and_reads_a_person(visitor, partnership, tmp_path) -> None:
    page = visitor.page
    for name, content in {
        "people.csv": PEOPLE,
        "offences.csv": OFFENCES,
        "custody.csv": CUSTODY,
        "flags.csv": FLAGS,
    }.items():
        (tmp_path / name).write_text(content)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "people.csv").write_text(PEOPLE.replace("1999-04-02,M", "1999-02-30,M"))

    visitor.sign_in("coordinator@openiom.test", DEMO_PASSWORD)
    page.click(".moj-primary-navigation__link:has-text('Data')")
    visitor.check("imports")
    page.click("a:has-text('Upload a delivery')")
    visitor.check("upload")
    page.click("button:has-text('Check and import')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    visitor.check("upload errors")

    page.set_input_files("#id_people", str(bad / "people.csv"))
    page.click("button:has-text('Check and import')")
    page.click("a:has-text('See the delivery report')")
    assert "not a real date" in page.locator("table").last.inner_text()
    visitor.check("rejected delivery")

    page.goto(visitor.base_url + "/imports/upload/")
    for name in ("people", "offences", "custody", "flags"):
        page.set_input_files(f"#id_{name}", str(tmp_path / f"{name}.csv"))
    page.click("button:has-text('Check and import')")
    visitor.check("import job")
    page.click("a:has-text('See the delivery report')")
    visitor.check("imported delivery")
    assert Delivery.objects.filter(status="imported").count() == 1

    page.click(".moj-primary-navigation__link:has-text('People')")
    visitor.check("find a person")
    page.fill("#id_name", "Hollis")
    page.click("button:has-text('Search')")
    assert "Hollis" not in page.url
    visitor.check("search results")
    page.click("a:has-text('HOLLIS, Jay')")
    assert page.locator("h1").inner_text() == "Jay HOLLIS"
    visitor.check("person")
    page.click("a.govuk-tabs__tab:has-text('Timeline')")
    expect(page.locator(".moj-timeline__title", has_text="Received into custody")).to_be_visible()
    visitor.check("person timeline")
