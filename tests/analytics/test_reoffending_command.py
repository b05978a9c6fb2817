"""`openiom reoffending` on a tiny delivery whose answers were worked out by hand."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from openiom.analytics.reoffending_cli import reoffending_main

PEOPLE = """person_id,source,given_name,family_name,date_of_birth,gender,ethnicity,pnc_id,postcode,ward
P1,police,Alex,Stone,1990-01-01,M,W,,,
N1,probation,Alex,Stone,1990-01-01,M,W,,,
P2,police,Bea,Hart,1995-05-05,F,B,,,
P3,police,Cal,Moss,2000-02-02,M,A,,,
"""
OFFENCES = """event_id,person_id,source,offence_code,offence_date,outcome,outcome_date,disposal,sentence_days,ward
E1,P1,police,shoplifting,2024-09-01,conviction,2024-10-01,fine,,
E2,N1,probation,criminal_damage,2025-08-31,conviction,2026-02-28,fine,,
E3,P1,police,shoplifting,2025-09-01,conviction,2025-10-01,fine,,
E4,P2,police,shoplifting,2024-09-10,arrest,2024-09-10,,,
E5,P3,police,shoplifting,2025-07-01,conviction,2025-08-01,fine,,
"""
LINKS = """source,person_id,person_key
police,P1,1
probation,N1,1
police,P2,2
police,P3,3
"""


@pytest.fixture
def delivery(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "people.csv").write_text(PEOPLE, encoding="utf-8")
    (folder / "offences.csv").write_text(OFFENCES, encoding="utf-8")
    (tmp_path / "links.csv").write_text(LINKS, encoding="utf-8")
    return folder


def run(delivery: Path, cohort: str, *extra: str) -> int:
    path = delivery.parent / "cohort.csv"
    path.write_text(cohort, encoding="utf-8")
    args = ["--data", str(delivery), "--cohort", str(path), "--out", str(delivery.parent / "out.csv")]
    return reoffending_main([*args, "--links", str(delivery.parent / "links.csv"), *extra])


def test_per_person_results_and_summary(delivery: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cohort = "person_id,index_date,team\nP1,2024-08-31,north\nP2,2024-08-31,south\nP3,2025-06-01,north\n"
    assert run(delivery, cohort, "--cutoff", "2026-10-31") == 0
    out = pl.read_csv(delivery.parent / "out.csv", infer_schema=False)
    assert out.columns == [
        "person_id", "index_date", "team", "reoffended", "reoffences", "first_reoffence_date",
        "follow_up_end", "waiting_end", "follow_up_complete",
    ]  # fmt: skip
    rows = {r["person_id"]: r for r in out.to_dicts()}
    # P1 (with the probation record N1): 1 September 2024 and 31 August 2025, proven by 28 February 2026.
    assert (rows["P1"]["reoffended"], rows["P1"]["reoffences"], rows["P1"]["first_reoffence_date"]) == (
        "true",
        "2",
        "2024-09-01",
    )
    assert rows["P1"]["waiting_end"] == "2026-02-28"
    assert (rows["P2"]["reoffended"], rows["P2"]["reoffences"]) == ("false", "0")  # an arrest only
    assert rows["P3"]["follow_up_complete"] == "false"  # 1 June 2025 + 18 months is after the cut-off
    printed = capsys.readouterr().out
    assert "Cohort: 3 people. Data cut-off: 2026-10-31" in printed
    assert "Measured (complete 12-month follow-up and 6-month wait): 2; follow-up not complete yet: 1" in printed
    assert "Proven reoffending: 1 of 2 reoffended, 50.0%" in printed


def test_the_cutoff_defaults_to_the_latest_outcome(delivery: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(delivery, "person_id,index_date\nP1,2024-08-31\n") == 0
    assert "Data cut-off: 2026-02-28 " in capsys.readouterr().out


@pytest.mark.parametrize(
    ("cohort", "message"),
    [
        ("person,index_date\nP1,2024-08-31\n", "missing columns: person_id"),
        ("person_id,index_date\nP1,31/08/2024\n", "row 2: index_date '31/08/2024' is not a date"),
        ("person_id,index_date\nP1,2024-08-31\nP1,2024-09-30\n", "row 3: person_id appears more than once"),
        ("person_id,index_date\nZZ9,2024-08-31\n", "row 2: no record in the data has this person_id"),
        ("person_id,index_date\n", "no rows"),
    ],
)
def test_a_bad_cohort_file_is_refused_with_the_row(
    delivery: Path, capsys: pytest.CaptureFixture[str], cohort: str, message: str
) -> None:
    assert run(delivery, cohort) == 1
    assert message in capsys.readouterr().err
    assert not (delivery.parent / "out.csv").exists()
