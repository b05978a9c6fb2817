"""The Reports section on hand-made case records whose figures were worked out by hand."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from openpyxl import load_workbook

from openiom.accounts.models import Agency
from openiom.cases.models import Case, Intervention
from openiom.directory.models import Service
from openiom.evaluation.data import CohortFilter, cohort_entries
from openiom.evaluation.reports import dyo_report, outcomes_report
from openiom.offending.models import CustodyPeriod
from openiom.people.models import Person
from openiom.testing.pdf import pdf_text
from tests.evaluation.conftest import NAME, offence, record

pytestmark = pytest.mark.django_db


def test_outcomes_by_hand(cohort: list[Case]) -> None:
    report = outcomes_report(CohortFilter())
    assert report.cutoff == date(2026, 10, 31)
    sections = {s.ident: s for s in report.sections}
    table = {row[0]: row[1:] for row in sections["reoffending"].tables[0].rows}
    assert table["People in the cohort"][0] == "13"
    assert table["Measured (follow-up complete)"][0] == "12"
    assert table["Reoffenders"][0] == "7"
    assert table["Binary reoffending rate"] == ["58.3%", "32.0% to 80.7%"]  # Wilson, 7 of 12
    assert table["Reoffences per offender"][0] == "0.58"
    before_after = {row[0]: row[1:] for row in sections["before-after"].tables[0].rows}
    assert before_after["Proven offences"] == ["12", "7", "-41.7%"]
    assert before_after["Harm (Crime Harm Index days)"] == ["3,282.0", "7.0", "-99.8%"]
    assert before_after["Offences of unknown cost"] == ["12", "7", ""]  # burglary and shoplifting: no unit cost
    assert sections["time-to-reoffend"].chart is not None
    assert cohort_entries(CohortFilter(cohort="PPO")).height == 12


def test_small_numbers_are_suppressed_everywhere(cohort: list[Case]) -> None:
    report = outcomes_report(CohortFilter(cohort="HCC"))  # one person, entered in 2026
    table = {row[0]: row[1:] for row in report.sections[0].tables[0].rows}
    assert table["People in the cohort"][0] == "fewer than 5"
    assert table["Measured (follow-up complete)"][0] == "0"  # zero is shown
    assert table["Binary reoffending rate"] == ["–", "–"]  # nothing to measure yet


def test_pages_exports_and_who_may_see_them(cohort: list[Case], client_for: Callable[..., object]) -> None:
    analyst = client_for("analyst")
    page = analyst.get("/reports/outcomes/?cohort=PPO")  # type: ignore[attr-defined]
    assert page.status_code == 200
    html = page.content.decode()
    assert "58.3%" in html
    assert "<svg" in html
    assert NAME not in html
    assert "Quill" not in html
    xlsx = analyst.get("/reports/outcomes/?cohort=PPO&format=xlsx")  # type: ignore[attr-defined]
    book = load_workbook(io.BytesIO(xlsx.content))
    cells = [str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
    assert "58.3%" in cells
    assert not any(NAME in c for c in cells)
    pdf = analyst.get("/reports/outcomes/?cohort=PPO&format=pdf")  # type: ignore[attr-defined]
    text = pdf_text(pdf.content)
    assert "Proven reoffending" in text
    assert "58.3%" in text
    assert NAME not in text
    strategic = client_for("strategic_member")
    assert strategic.get("/reports/").status_code == 200  # type: ignore[attr-defined]
    assert strategic.get("/reports/dyo/").status_code == 200  # type: ignore[attr-defined]
    pack = strategic.get("/reports/pack/?format=pdf")  # type: ignore[attr-defined]
    assert pack.status_code == 200
    assert pack["Content-Type"] == "application/pdf"
    assert NAME not in pdf_text(pack.content)
    assert client_for("partner_practitioner").get("/reports/outcomes/").status_code == 403  # type: ignore[attr-defined]
    assert client_for("administrator").get("/reports/").status_code == 403  # type: ignore[attr-defined]


def test_a_bad_period_is_refused_and_keeps_what_was_typed(
    cohort: list[Case], client_for: Callable[..., object]
) -> None:
    page = client_for("analyst").get("/reports/outcomes/?entered_from=2025-01-01&entered_to=2024-01-01")  # type: ignore[attr-defined]
    html = page.content.decode()
    assert "The end of the period must be on or after its start" in html
    assert 'value="2025-01-01"' in html


def test_dyo_snapshot_counts_january_to_march_only(
    make_case: Callable[..., Case], make_person: Callable[..., Person]
) -> None:
    for i in range(6):
        young = make_person(date_of_birth=date(2008, 1, 1), family_name=f"Young{i}")
        make_case(person=young, cohort="DYO", opened_on=date(2024, 2, 1) if i < 5 else date(2024, 5, 1))
        if i < 2:
            offence(young, date(2024, 3, 1), "caution", date(2024, 3, 10))
    offence(young, date(2026, 10, 1), "arrest", date(2026, 10, 31))
    report = dyo_report()
    rows = report.sections[0].tables[0].rows
    assert rows == [["2024", "5", "5", "fewer than 5", "not shown", "not shown", "not shown"]]


def test_custody_at_entry_moves_the_index_date(
    make_case: Callable[..., Case], make_person: Callable[..., Person]
) -> None:
    person = make_person()
    make_case(person=person, cohort="PPO", opened_on=date(2024, 3, 1))
    CustodyPeriod.objects.create(
        source=Agency.objects.get(code="police"), record=record(person), reception_date=date(2023, 12, 1),
        release_date=date(2024, 6, 1),
    )  # fmt: skip
    offence(person, date(2024, 5, 1), "conviction", date(2024, 5, 20))  # inside, before release: not counted
    offence(person, date(2026, 10, 1), "arrest", date(2026, 10, 31))
    from openiom.evaluation.data import measure

    rows = measure(cohort_entries(CohortFilter(cohort="PPO"))).rows.to_dicts()
    assert rows[0]["index_date"] == date(2024, 6, 1)
    assert rows[0]["reoffences"] == 0


def test_intervention_impact_page(cohort: list[Case], client_for: Callable[..., object], partnership: dict) -> None:
    service = Service.objects.create(name="SHIFT care farm", provider="SHIFT", pathways=["ete"])
    for case in cohort[:3]:
        Intervention.objects.create(
            case=case, service=service, pathway="ete", referred_on=date(2024, 3, 5), started_on=date(2024, 3, 10),
            referred_by=partnership["iom_coordinator"], status="ended",
        )  # fmt: skip
    page = client_for("analyst").get(f"/reports/impact/?service={service.pk}")  # type: ignore[attr-defined]
    html = page.content.decode()
    assert page.status_code == 200
    assert "SHIFT care farm" in html
    # Three people alike in every way measured: too few, and no one close enough to compare.
    assert "No estimate of the impact of SHIFT care farm" in html
    assert NAME not in html


def test_profile_page(cohort: list[Case], client_for: Callable[..., object]) -> None:
    page = client_for("strategic_member").get("/reports/profile/?year=2024")  # type: ignore[attr-defined]
    html = page.content.decode()
    assert page.status_code == 200
    assert "2024-25" in html
    assert (NAME not in html and "Marsh Gate" not in html) or "fewer than 5" in html


def test_each_section_links_to_its_definition(cohort: list[Case], client_for: Callable[..., object]) -> None:
    analyst = client_for("analyst")
    html = analyst.get("/reports/outcomes/").content.decode()  # type: ignore[attr-defined]
    assert 'href="/reports/definitions/#proven-reoffending"' in html
    definitions = analyst.get("/reports/definitions/").content.decode()  # type: ignore[attr-defined]
    for anchor in ("proven-reoffending", "before-and-after", "time-to-first-reoffence", "predicted-against-actual",
                   "dyo-snapshot", "intervention-impact", "local-offender-profile", "performance-against-targets",
                   "service-gaps", "ogrs3"):  # fmt: skip
        assert f'id="{anchor}"' in definitions, anchor
    assert "<script" not in definitions.split('id="metrics-what-every-figure-means"')[1].split("</main>")[0]
    assert client_for("partner_practitioner").get("/reports/definitions/").status_code == 200  # type: ignore[attr-defined]
    assert Client().get("/reports/definitions/").status_code == 302  # signed-in users only
