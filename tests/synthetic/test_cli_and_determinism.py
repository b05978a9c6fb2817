"""The command line, its checks on arguments, and byte-identical output for the same arguments."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from openiom.synthetic import Settings, generate
from openiom.synthetic.cli import main


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def run(tmp_path: Path, name: str, *args: str) -> tuple[int, Path]:
    out = tmp_path / name
    code = main(["--people", "400", "--years", "6", "--seed", "3", "--out", str(out), "--quiet", *args])
    return code, out


def test_same_arguments_same_bytes(tmp_path: Path) -> None:
    code_a, a = run(tmp_path, "a")
    code_b, b = run(tmp_path, "b")
    assert code_a == code_b == 0
    assert digests(a) == digests(b)
    assert set(digests(a)) == {"people.csv", "offences.csv", "custody.csv", "flags.csv", "ground_truth.csv"}


def test_another_seed_or_end_date_changes_the_data(tmp_path: Path) -> None:
    _, a = run(tmp_path, "a")
    _, other_seed = run(tmp_path, "seed", "--seed", "4")
    _, other_end = run(tmp_path, "end", "--end-date", "2020-03-31")
    assert digests(a)["people.csv"] != digests(other_seed)["people.csv"]
    offences = pl.read_csv(other_end / "offences.csv", infer_schema=False)
    assert str(offences["outcome_date"].max()) <= "2020-03-31"
    assert str(offences["offence_date"].min()) >= "2014-03-31"


def test_parquet_is_deterministic_too(tmp_path: Path) -> None:
    _, a = run(tmp_path, "a", "--format", "parquet")
    _, b = run(tmp_path, "b", "--format", "parquet")
    assert digests(a) == digests(b)
    assert "people.parquet" in digests(a)
    assert "ground_truth.csv" in digests(a)


def test_worker_processes_change_nothing(tmp_path: Path) -> None:
    """Careers come in chunks with their own streams: any number of workers gives the same files."""
    generate(Settings(2100, 5, 11, tmp_path / "one"), workers=1)
    generate(Settings(2100, 5, 11, tmp_path / "two"), workers=2)
    assert digests(tmp_path / "one") == digests(tmp_path / "two")


def test_a_rerun_replaces_the_previous_delivery(tmp_path: Path) -> None:
    _, out = run(tmp_path, "x", "--format", "parquet")
    assert main(["--people", "50", "--years", "3", "--seed", "1", "--out", str(out), "--quiet"]) == 0
    assert sorted(p.name for p in out.iterdir() if p.suffix == ".parquet") == []
    assert len(pl.read_csv(out / "ground_truth.csv").filter(pl.col("source") == "police")) == 50


def test_progress_and_summary_go_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--people", "30", "--years", "2", "--seed", "1", "--out", str(tmp_path / "s")]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Wrote 30 people" in captured.err
    assert "people.csv" in captured.err
    assert " s:" in captured.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--people", "0"], "must be between 1 and"),
        (["--people", "many"], "not a whole number"),
        (["--years", "0"], "must be between 1 and 30"),
        (["--years", "31"], "must be between 1 and 30"),
        (["--seed", "-1"], "must be 0 or more"),
        (["--end-date", "2026-02-30"], "not a real date"),
        (["--end-date", "1989-12-31"], "from 1990-01-01"),
        (["--format", "xlsx"], "invalid choice"),
        (["--workers", "0"], "must be between 1 and"),
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    base = {"--people": "10", "--years": "5", "--seed": "1", "--out": str(tmp_path / "o")}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    argv = [item for pair in base.items() for item in pair]
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_required_arguments_and_help(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--people", "10"]) == 2
    assert "required" in capsys.readouterr().err
    assert main(["--help"]) == 0
    assert "--end-date" in capsys.readouterr().out


def test_extreme_settings_still_keep_the_rules(tmp_path: Path) -> None:
    """The earliest end date with the longest history: nobody born before 1900, nothing after the end."""
    assert main(["--people", "300", "--years", "30", "--seed", "5", "--end-date", "1990-01-01",
                 "--out", str(tmp_path / "old"), "--quiet"]) == 0  # fmt: skip
    people = pl.read_csv(tmp_path / "old" / "people.csv", infer_schema=False)
    offences = pl.read_csv(tmp_path / "old" / "offences.csv", infer_schema=False)
    assert str(people["date_of_birth"].min()) >= "1900-01-01"
    assert str(offences["outcome_date"].max()) <= "1990-01-01"
    assert str(offences["offence_date"].min()) >= "1960-01-01"


def test_the_generator_does_not_need_django() -> None:
    code = "import sys, openiom.synthetic.cli; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0  # noqa: S603


def test_out_must_be_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "file.txt"
    file.write_text("x")
    assert main(["--people", "10", "--years", "5", "--seed", "1", "--out", str(file)]) == 2
    assert "is not a folder" in capsys.readouterr().err
