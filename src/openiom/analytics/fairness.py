"""Who gets selected: selection rates by gender, ethnicity and age band against the offending population.

The offending population is everyone `score_people` scored (a counted offence in their
look-back window); the selected are those nominated. For each group: its size, the number
selected, its selection rate, its share of each, and the ratio of its rate to everyone's
rate (1.00 = selected in proportion; 0.8 or below, or 1.25 or above, is worth a look).
Counts from 1 to `small_number - 1` are suppressed, and so is every rate and ratio built
on them; where only one count of a column would be hidden, the next smallest is hidden too
(the total is shown, so one hidden count could be worked out), so that no one can be picked
out from the figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

__all__ = ["AGE_BANDS", "FairnessRow", "fairness_table"]

GENDER_LABELS = {"M": "Male", "F": "Female", "X": "Another gender", "U": "Unknown"}
ETHNICITY_LABELS = {"A": "Asian", "B": "Black", "M": "Mixed", "W": "White", "O": "Other", "NS": "Not stated"}
AGE_BANDS = (
    (0, 9, "under 10"),
    (10, 17, "10-17"),
    (18, 24, "18-24"),
    (25, 34, "25-34"),
    (35, 49, "35-49"),
    (50, 200, "50 and over"),
)


@dataclass(frozen=True)
class FairnessRow:
    dimension: str  # Gender, Ethnicity, Age band
    group: str
    population: int | None  # None when suppressed
    selected: int | None
    rate: float | None  # selected / population
    population_share: float | None
    selected_share: float | None
    ratio: float | None  # rate / overall rate
    suppressed: bool

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _age_band(age: int) -> str:
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    raise ValueError(f"not an age: {age}")


def fairness_table(scores: pl.DataFrame, small_number: int = 5) -> list[FairnessRow]:
    """`scores` needs `gender`, `ethnicity`, `age` and `nominated` (one row per scored person)."""
    df = scores.select(
        pl.col("gender").replace_strict(GENDER_LABELS, default="Unknown").alias("Gender"),
        pl.col("ethnicity").replace_strict(ETHNICITY_LABELS, default="Not stated").alias("Ethnicity"),
        pl.col("age").map_elements(_age_band, return_dtype=pl.Utf8).alias("Age band"),
        pl.col("nominated").cast(pl.Int64),
    )
    total = df.height
    total_selected = int(df["nominated"].sum()) if total else 0
    overall = total_selected / total if total else None

    def small(n: int) -> bool:
        return 0 < n < small_number

    rows: list[FairnessRow] = []
    orders = {
        "Gender": list(GENDER_LABELS.values()),
        "Ethnicity": list(ETHNICITY_LABELS.values()),
        "Age band": [label for _, _, label in AGE_BANDS],
    }
    for dimension, order in orders.items():
        counts = {
            r[dimension]: (int(r["population"]), int(r["selected"]))
            for r in df.group_by(dimension)
            .agg(pl.len().alias("population"), pl.col("nominated").sum().alias("selected"))
            .iter_rows(named=True)
        }
        hidden_population, hidden_selected = _suppressed(counts, small)
        for group in order:
            if group not in counts:
                continue
            population, selected = counts[group]
            hidden = group in hidden_population or group in hidden_selected
            rate = selected / population if population else None
            rows.append(
                FairnessRow(
                    dimension=dimension,
                    group=group,
                    population=None if group in hidden_population else population,
                    selected=None if hidden else selected,
                    rate=None if hidden else rate,
                    population_share=None if group in hidden_population else population / total,
                    selected_share=None if hidden or not total_selected else selected / total_selected,
                    ratio=None if hidden or rate is None or not overall else rate / overall,
                    suppressed=hidden,
                )
            )
    return rows


def _suppressed(counts: dict[str, tuple[int, int]], small: Callable[[int], bool]) -> tuple[set[str], set[str]]:
    """Groups whose population, and whose selected count, are hidden.

    Primary suppression hides small counts; secondary suppression then hides the next
    smallest count of the same column whenever exactly one is hidden, because the total is
    shown and a single hidden count could be worked out by subtraction.
    """

    def column(index: int) -> set[str]:
        hidden = {g for g, c in counts.items() if small(c[index])}
        if len(hidden) == 1:
            others = sorted((c[index], g) for g, c in counts.items() if g not in hidden and c[index] > 0)
            if others:
                hidden.add(others[0][1])
        return hidden

    population = column(0)
    return population, column(1) | population
