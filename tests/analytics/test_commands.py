"""`openiom ogrs3` and `openiom score` on files, as an analyst runs them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import polars as pl
import pytest

from openiom.analytics.cli import ogrs3_main, score_main
from openiom.reference import DATA_DIR
from openiom.synthetic.generate import Settings, generate


def test_ogrs3_command_matches_the_worked_examples_and_keeps_columns(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    assert ogrs3_main([str(DATA_DIR / "ogrs3_worked_examples.csv"), "-o", str(out)]) == 0
    scored = pl.read_csv(out)
    expected = pl.read_csv(DATA_DIR / "ogrs3_worked_examples.csv")
    assert scored.columns[: len(expected.columns)] == expected.columns
    assert scored.columns[-4:] == ["ogrs3_1yr", "ogrs3_2yr", "ogrs3_band", "error"]
    assert ((scored["ogrs3_1yr"] - scored["expected_ogrs3_1yr"]).abs().max() or 1) < 1e-9
    assert ((scored["ogrs3_2yr"] - scored["expected_ogrs3_2yr"]).abs().max() or 1) < 1e-9
    assert scored["error"].null_count() == 30


def test_ogrs3_command_explains_each_bad_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.csv"
    header = "ref,gender,offence_category,previous_sanctions,date_of_birth,date_of_current_conviction,"
    header += "date_of_first_sanction,date_at_risk"
    rows = [
        "a,M,Violence,0,2010-01-01,2020-01-01,2020-01-01,2020-01-01",  # exactly 10: scored
        "b,F,Burglary (domestic),2,1990-02-30,2020-01-01,2010-01-01,2020-01-01",
        "c,M,Joyriding,1,1990-01-01,2020-01-01,2010-01-01,2020-01-01",
        "d,M,Robbery,1,1990-01-01,2020-01-01,2021-01-01,2022-01-01",
        "e,M,Robbery,one,1990-01-01,2020-01-01,2010-01-01,2022-01-01",
        "f,M,Robbery,1,2012-01-01,2021-01-01,2021-01-01,2021-01-01",
    ]
    source.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert ogrs3_main([str(source), "-o", str(out)]) == 0
    assert "Scored 1 of 6 rows; 5 with an error" in capsys.readouterr().out
    with out.open(newline="", encoding="utf-8") as f:
        errors = {r["ref"]: r["error"] for r in csv.DictReader(f)}
    assert errors == {
        "a": "",
        "b": "date_of_birth is not a real date (YYYY-MM-DD)",
        "c": "unknown offence category: Joyriding",
        "d": "first sanction is after the current conviction",
        "e": "previous_sanctions is not a whole number",
        "f": "age at first sanction is under 10",
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"a,b\n1,2\n", "missing columns: gender"),
        (b"\xff\xfeg\x00", "not a readable UTF-8 CSV file"),
    ],
)
def test_ogrs3_command_fails_only_when_nothing_can_be_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, message: str
) -> None:
    source = tmp_path / "in.csv"
    if content is not None:
        source.write_bytes(content)
    assert ogrs3_main([str(source), "-o", str(tmp_path / "out.csv")]) == 1
    assert message in capsys.readouterr().err


@pytest.fixture(scope="module")
def borough(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("borough")
    generate(Settings(people=800, years=5, seed=7, out=folder))
    return folder


def test_score_writes_nominations_exclusions_and_configuration(
    borough: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"nominations_wanted": 10, "dyo_nominations_wanted": 3}), encoding="utf-8")
    out = tmp_path / "run" / "nominations.csv"
    code = score_main(
        [
            "--data", str(borough), "--as-of", "2026-10-31", "--config", str(config),
            "--links", str(borough / "ground_truth.csv"), "--out", str(out), "--all", str(tmp_path / "all.parquet"),
        ]
    )  # fmt: skip
    assert code == 0
    summary = capsys.readouterr().out
    assert "Scored" in summary
    assert "Nominated:" in summary
    nominations = pl.read_csv(out)
    everyone = pl.read_parquet(tmp_path / "all.parquet")
    nominated = everyone.filter(pl.col("nominated"))
    assert nominated.filter(pl.col("route") == "IOM").height == min(
        10, everyone.filter(pl.col("eligible") & ~pl.col("pre_release_planning") & (pl.col("route") == "IOM")).height
    )
    assert set(nominations.filter(pl.col("rank").is_not_null())["person"]) == set(nominated["person"])
    assert nominations["explanation"].str.contains("RFG score").all()
    assert nominations["records"].str.contains("police:").all()
    saved = json.loads((tmp_path / "run" / "nominations-config.json").read_text(encoding="utf-8"))
    assert saved["nominations_wanted"] == 10
    exclusions = pl.read_csv(tmp_path / "run" / "nominations-exclusions.csv")
    assert set(exclusions.columns) >= {"person", "exclusion", "explanation"}


def test_score_refuses_a_bad_configuration_and_a_broken_delivery(
    borough: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.json"
    config.write_text('{"lookback_days": 5}', encoding="utf-8")
    args = ["--data", str(borough), "--as-of", "2026-10-31", "--out", str(tmp_path / "n.csv")]
    assert score_main([*args, "--config", str(config)]) == 1
    assert "lookback_days" in capsys.readouterr().err
    broken = tmp_path / "broken"
    broken.mkdir()
    text = (borough / "offences.csv").read_text(encoding="utf-8").splitlines()
    first = text[1].split(",")
    first[3] = "joyriding"  # offence_code
    (broken / "offences.csv").write_text("\n".join([text[0], ",".join(first), *text[2:]]) + "\n", encoding="utf-8")
    for name in ("people.csv", "flags.csv", "custody.csv", "ground_truth.csv"):
        (broken / name).write_bytes((borough / name).read_bytes())
    assert score_main(["--data", str(broken), "--as-of", "2026-10-31", "--out", str(tmp_path / "b.csv")]) == 1
    err = capsys.readouterr().err
    assert "nothing was scored" in err
    assert "offences.csv, row 2, offence_code" in err
    assert not (tmp_path / "b.csv").exists()
