"""One generated borough shared by the synthetic-data tests (no database)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from openiom.synthetic import Settings, generate

PEOPLE = 3000
YEARS = 10
SEED = 7
END = date(2026, 10, 31)


@dataclass
class Borough:
    folder: Path
    people: list[dict[str, str]]
    offences: list[dict[str, str]]
    custody: list[dict[str, str]]
    flags: list[dict[str, str]]
    truth: list[dict[str, str]]
    headers: dict[str, list[str]]

    def true_id(self) -> dict[tuple[str, str], str]:
        return {(r["source"], r["person_id"]): r["true_person_id"] for r in self.truth}


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@pytest.fixture(scope="session")
def borough_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("borough")
    generate(Settings(PEOPLE, YEARS, SEED, folder))
    return folder


@pytest.fixture(scope="session")
def borough(borough_dir: Path) -> Borough:
    headers: dict[str, list[str]] = {}
    tables: dict[str, list[dict[str, str]]] = {}
    for name in ("people", "offences", "custody", "flags", "ground_truth"):
        headers[name], tables[name] = read_csv(borough_dir / f"{name}.csv")
    return Borough(
        borough_dir,
        tables["people"],
        tables["offences"],
        tables["custody"],
        tables["flags"],
        tables["ground_truth"],
        headers,
    )
