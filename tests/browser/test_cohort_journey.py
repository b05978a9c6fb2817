"""A co-ordinator runs cohort selection, reads the results, an explanation and the fairness view,
compares two runs and exports chosen nominations: axe-core on every page."""

from __future__ import annotations

import csv
import io

from playwright.sync_api import expect

from openiom.cohort.models import SelectionRun
from openiom.demo import DEMO_PASSWORD
from openiom.jobs.models import Job
from tests.cohort.conftest import make_borough


def _go(page, selector: str) -> None:
    """Click something that loads a new page, and wait for it."""
    with page.expect_navigation():
        page.click(selector)


def _start_run(page, *, label: str, hcc: str) -> None:
    page.fill("#id_as_of_0", "30")
    page.fill("#id_as_of_1", "6")
    page.fill("#id_as_of_2", "2026")
    page.fill("#id_label", label)
    page.fill("#id_nominations_wanted", "2")
    page.fill("#id_hcc_min_rfg_score", hcc)
    _go(page, "button:has-text('Start the run')")
    page.wait_for_selector("h2:has-text('Results')")


def _rows(page) -> list[str]:
    return [r.inner_text().split("\n")[0] for r in page.locator("table.govuk-table tbody tr td:nth-child(3) a").all()]


def test_coordinator_selects_explains_compares_and_exports(visitor, partnership, tmp_path) -> None:
    borough = make_borough()
    page = visitor.page
    visitor.sign_in("coordinator@openiom.test", DEMO_PASSWORD)

    _go(page, ".moj-primary-navigation__link:has-text('Cohort')")
    expect(page.locator("td:has-text('No selection runs yet')")).to_be_visible()
    visitor.check("cohort runs, none yet")
    _go(page, "a:has-text('Start a new selection run')")
    visitor.check("new run form")

    page.fill("#id_lookback_days", "ten")
    page.fill("#id_as_of_0", "31")
    page.fill("#id_as_of_1", "2")
    _go(page, "button:has-text('Start the run')")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "The as-of date must be a real date" in summary
    assert "Enter the look-back window as a whole number" in summary
    assert page.input_value("#id_lookback_days") == "ten"
    visitor.check("new run form, errors")
    page.fill("#id_lookback_days", "365")
    _start_run(page, label="Threshold 9", hcc="9")
    first = SelectionRun.objects.get(label="Threshold 9")
    assert first.status == "succeeded"
    assert _rows(page) == ["TESTPERSON, Adam", "TESTPERSON, Gina", "TESTPERSON, Dan"]
    visitor.check("run results")

    page.select_option("#id_outcome", "all")
    _go(page, "button:has-text('Apply filters')")
    assert "outcome=all" in page.url
    assert len(_rows(page)) == 7
    page.click("th button:has-text('Harm (days)')")  # the whole result is on one page: sorted in the browser
    page.click("th button:has-text('Harm (days)')")
    assert _rows(page)[0] == "TESTPERSON, Eve"
    visitor.check("run results, everyone, sorted by harm")

    _go(page, "a:has-text('TESTPERSON, Adam')")
    assert page.locator("h1").inner_text() == "Adam TESTPERSON"
    assert "Ranked 1st of 3 ranked on the IOM route" in page.locator("dl").first.inner_text()
    visitor.check("explanation")
    _go(page, "a:has-text('Back to the results')")

    _go(page, ".moj-sub-navigation__link:has-text('Exclusions')")
    # The co-ordinator (community safety) may not read MAPPA under the sharing matrix: the reason is neutral.
    exclusions = page.locator("table").inner_text()
    assert "managed under a restricted multi-agency arrangement" in exclusions.lower()
    assert "MAPPA" not in exclusions
    visitor.check("exclusions")
    _go(page, ".moj-sub-navigation__link:has-text('Fairness')")
    assert "fewer than 5" in page.locator("table").first.inner_text()
    visitor.check("fairness")
    _go(page, ".moj-sub-navigation__link:has-text('Settings and data')")
    assert first.inputs_fingerprint in page.locator("main").inner_text()
    visitor.check("settings and data")

    _go(page, "a:has-text('Start a new run with these settings')")
    assert page.input_value("#id_hcc_min_rfg_score") == "9"
    _start_run(page, label="Threshold 12", hcc="12")
    second = SelectionRun.objects.get(label="Threshold 12")
    assert _rows(page) == ["TESTPERSON, Adam", "TESTPERSON, Bella", "TESTPERSON, Dan"]

    page.goto(visitor.base_url + "/cohort/")
    visitor.check("cohort runs")
    _go(page, "a:has-text('Compare two runs')")
    visitor.check("compare, choose")
    page.select_option("#id_a", str(first.pk))
    page.select_option("#id_b", str(second.pk))
    _go(page, "button:has-text('Compare')")
    assert "1 person enters the nominations and 1 leaves" in page.locator("main").inner_text()
    visitor.check("compare")

    page.goto(visitor.base_url + f"/cohort/runs/{second.pk}/")
    page.check(f"#choose-{borough.key('Adam')}")
    page.check(f"#choose-{borough.key('Bella')}")
    with page.expect_download() as download_info:
        page.click("button:has-text('Export chosen nominations (CSV)')")
    download = download_info.value
    assert download.suggested_filename == f"selection-run-{second.pk}-nominations.csv"
    saved = tmp_path / "nominations.csv"
    download.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert [(r["Rank"], r["Given name"], r["Cohort"]) for r in rows] == [("1", "Adam", "HCC"), ("2", "Bella", "PPO")]

    # A run still working shows its progress, polls, and reloads by itself when it ends.
    job = Job.objects.create(
        owner=partnership["iom_coordinator"], kind="selection_run", title="Run", progress_done=1, progress_total=4
    )
    working = SelectionRun.objects.create(
        as_of="2026-06-30", config=first.config, created_by=partnership["iom_coordinator"], status="running", job=job
    )
    page.goto(visitor.base_url + f"/cohort/runs/{working.pk}/")
    expect(page.locator("#run-progress")).to_be_visible()
    visitor.check("run in progress")
    SelectionRun.objects.filter(pk=working.pk).update(status="failed", error_message="The data changed.")
    page.wait_for_selector("text=This run failed and nothing from it was kept", timeout=10_000)
    visitor.check("run failed")
