"""Reference data shipped with OpenIOM (no Django imports).

The CSV files in `data/` are copies of the project's reference set (see
`data/SOURCES.md` for where each number comes from). A blank harm weight or unit
cost means unknown, never zero: it is returned as `None`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

__all__ = ["DATA_DIR", "OffenceCategory", "offence_categories", "offence_codes"]


@dataclass(frozen=True)
class OffenceCategory:
    code: str
    label: str
    home_office_group: str
    ogrs3_category: str
    neighbourhood_crime: bool
    violent: bool
    acquisitive: bool
    cchi_days: float | None
    unit_cost_gbp: float | None


def _number(text: str) -> float | None:
    text = text.strip()
    return float(text) if text else None


@cache
def offence_categories() -> dict[str, OffenceCategory]:
    """The offence vocabulary by code, in file order."""
    with (DATA_DIR / "offence_categories.csv").open(newline="", encoding="utf-8") as f:
        return {
            row["code"]: OffenceCategory(
                code=row["code"],
                label=row["label"],
                home_office_group=row["home_office_group"],
                ogrs3_category=row["ogrs3_category"],
                neighbourhood_crime=row["neighbourhood_crime"] == "true",
                violent=row["violent"] == "true",
                acquisitive=row["acquisitive"] == "true",
                cchi_days=_number(row["cchi_days"]),
                unit_cost_gbp=_number(row["unit_cost_gbp_2015_16"]),
            )
            for row in csv.DictReader(f)
        }


def offence_codes() -> frozenset[str]:
    return frozenset(offence_categories())
