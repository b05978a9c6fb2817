"""Cohort-level figures from the per-person rows of `reoffending.reoffending` (polars).

Each function takes the per-person frame (and, for OGRS3 against actual, the columns of
`reoffending.characteristics_at` joined on) and returns small frozen dataclasses the pages,
exports and the command line all print. Definitions: docs/metrics.md#proven-reoffending.
Small numbers are suppressed by the callers that publish (see `stats.small`): these
functions return the exact figures with a `suppressed` flag where one applies.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

import polars as pl

from openiom.reference import DATA_DIR

from .stats import SMALL_NUMBER, Interval, KMPoint, kaplan_meier, mean_interval, small, survival_at, wilson_interval

__all__ = [
    "FOUR_MONTHS_DAYS",
    "TWELVE_MONTHS_DAYS",
    "BandRow",
    "BeforeAfter",
    "NationalRate",
    "ReoffendingSummary",
    "Survival",
    "YearRow",
    "before_after",
    "by_year",
    "national_rates",
    "predicted_against_actual",
    "summarise_reoffending",
    "survival",
]

FOUR_MONTHS_DAYS = 122  # a third of a year
TWELVE_MONTHS_DAYS = 365


def _jsonable(obj: Any) -> dict[str, Any]:
    return asdict(obj)


@dataclass(frozen=True)
class ReoffendingSummary:
    cohort: int  # people in the cohort
    no_index: int  # in custody at entry with no release recorded: not measurable yet
    incomplete: int  # follow-up (12 months + 6 months' wait) not over by the cut-off
    measured: int  # complete follow-up: the denominator
    reoffenders: int
    reoffences: int
    rate: Interval | None  # binary rate, Wilson 95% interval
    per_reoffender: Interval | None
    per_offender: Interval | None
    suppressed: bool  # the reoffenders or the measured count is a small number

    def as_dict(self) -> dict[str, Any]:
        return _jsonable(self)


def _complete(rows: pl.DataFrame) -> pl.DataFrame:
    return rows.filter(pl.col("complete"))


def summarise_reoffending(rows: pl.DataFrame, small_number: int = SMALL_NUMBER) -> ReoffendingSummary:
    done = _complete(rows)
    n = done.height
    reoffenders = int(done["reoffended"].sum()) if n else 0
    counts = done["reoffences"].cast(pl.Float64).to_numpy()
    positive = done.filter(pl.col("reoffended"))["reoffences"].cast(pl.Float64).to_numpy()
    return ReoffendingSummary(
        cohort=rows.height,
        no_index=int(rows["index_date"].null_count()),
        incomplete=int(rows.filter(pl.col("index_date").is_not_null() & ~pl.col("complete")).height),
        measured=n,
        reoffenders=reoffenders,
        reoffences=int(done["reoffences"].sum()) if n else 0,
        rate=wilson_interval(reoffenders, n),
        per_reoffender=mean_interval(positive),
        per_offender=mean_interval(counts),
        suppressed=small(n, small_number) or small(reoffenders, small_number),
    )


@dataclass(frozen=True)
class BeforeAfter:
    people: int
    offences_before: int
    offences_after: int
    harm_before: float
    harm_after: float
    cost_before: float
    cost_after: float
    cost_unknown_before: int  # offences whose cost is not known (not counted as zero)
    cost_unknown_after: int
    harm_unknown_before: int
    harm_unknown_after: int
    fewer: int  # people with fewer proven offences after than before
    same: int
    more: int

    @staticmethod
    def change(before: float, after: float) -> float | None:
        """The relative change (−0.39 = 39% fewer); None when there was nothing before."""
        return None if before == 0 else (after - before) / before

    @property
    def offences_change(self) -> float | None:
        return self.change(self.offences_before, self.offences_after)

    @property
    def harm_change(self) -> float | None:
        return self.change(self.harm_before, self.harm_after)

    @property
    def cost_change(self) -> float | None:
        return self.change(self.cost_before, self.cost_after)

    def as_dict(self) -> dict[str, Any]:
        data = _jsonable(self)
        data.update(offences_change=self.offences_change, harm_change=self.harm_change, cost_change=self.cost_change)
        return data


def before_after(rows: pl.DataFrame) -> BeforeAfter:
    """The 12 months before entry against the 12 months after the index date, for the people
    whose follow-up is complete."""
    done = _complete(rows)

    def total(col: str) -> float:
        return float(done[col].sum()) if done.height else 0.0

    def count(col: str) -> int:
        return int(done[col].sum()) if done.height else 0

    diff = (done["reoffences"] - done["offences_before"]) if done.height else pl.Series([], dtype=pl.Int64)
    return BeforeAfter(
        people=done.height,
        offences_before=count("offences_before"),
        offences_after=count("reoffences"),
        harm_before=total("harm_before"),
        harm_after=total("harm_after"),
        cost_before=total("cost_before"),
        cost_after=total("cost_after"),
        cost_unknown_before=count("cost_unknown_before"),
        cost_unknown_after=count("cost_unknown_after"),
        harm_unknown_before=count("harm_unknown_before"),
        harm_unknown_after=count("harm_unknown_after"),
        fewer=int((diff < 0).sum()),
        same=int((diff == 0).sum()),
        more=int((diff > 0).sum()),
    )


@dataclass(frozen=True)
class Survival:
    people: int
    curve: list[KMPoint]
    at_4_months: KMPoint | None
    at_12_months: KMPoint | None

    @property
    def share_within_4_months(self) -> float | None:
        """Of those reoffending within 12 months, the share who did so within 4 months."""
        if self.at_4_months is None or self.at_12_months is None or self.at_12_months.reoffended == 0:
            return None
        return self.at_4_months.reoffended / self.at_12_months.reoffended

    def as_dict(self) -> dict[str, Any]:
        return {
            "people": self.people,
            "curve": [asdict(p) for p in self.curve],
            "at_4_months": asdict(self.at_4_months) if self.at_4_months else None,
            "at_12_months": asdict(self.at_12_months) if self.at_12_months else None,
            "share_within_4_months": self.share_within_4_months,
        }


def survival(rows: pl.DataFrame) -> Survival:
    """Kaplan-Meier time to the first proven reoffence, over everyone with an index date who has
    been followed at least a day (incomplete follow-ups are censored, which is the point)."""
    usable = rows.filter(pl.col("index_date").is_not_null())
    event = usable["first_reoffence_date"].is_not_null() & (
        usable["days_to_first"].fill_null(10**6) <= usable["observed_days"]
    )
    days = pl.Series(
        [
            int(first) if hit else int(observed)
            for hit, first, observed in zip(event, usable["days_to_first"], usable["observed_days"], strict=True)
        ],
        dtype=pl.Int64,
    )
    keep = days > 0
    curve = kaplan_meier(days.filter(keep).to_numpy(), event.filter(keep).to_numpy())
    return Survival(
        people=int(keep.sum()),
        curve=curve,
        at_4_months=survival_at(curve, FOUR_MONTHS_DAYS),
        at_12_months=survival_at(curve, TWELVE_MONTHS_DAYS),
    )


@dataclass(frozen=True)
class BandRow:
    band: str  # OASys band, or "All" / "Not scored"
    people: int
    predicted: float | None  # mean OGRS3 1-year probability
    actual: Interval | None  # proven reoffending rate
    reoffenders: int

    @property
    def difference(self) -> float | None:
        """Actual minus predicted, in proportion points (negative: fewer than predicted)."""
        if self.predicted is None or self.actual is None:
            return None
        return self.actual.value - self.predicted

    def as_dict(self) -> dict[str, Any]:
        data = _jsonable(self)
        data["difference"] = self.difference
        return data


BAND_ORDER = ("Low", "Medium", "High", "Very high")


def predicted_against_actual(rows: pl.DataFrame) -> list[BandRow]:
    """`rows` has the reoffending columns and `ogrs3_1yr`, `ogrs3_band` at the index date."""
    done = _complete(rows)
    out = [_band_row("All", done.filter(pl.col("ogrs3_1yr").is_not_null()))]
    for band in BAND_ORDER:
        out.append(_band_row(band, done.filter(pl.col("ogrs3_band") == band)))
    out.append(_band_row("Not scored", done.filter(pl.col("ogrs3_1yr").is_null())))
    return out


def _band_row(band: str, part: pl.DataFrame) -> BandRow:
    n = part.height
    k = int(part["reoffended"].sum()) if n else 0
    predicted = part["ogrs3_1yr"].mean() if n and band != "Not scored" else None
    return BandRow(
        band=band,
        people=n,
        predicted=float(predicted) if isinstance(predicted, float | int) else None,
        actual=wilson_interval(k, n),
        reoffenders=k,
    )


@dataclass(frozen=True)
class YearRow:
    year: int
    summary: ReoffendingSummary
    change: float | None = None  # rate minus the previous year's, in proportion points

    def as_dict(self) -> dict[str, Any]:
        return {"year": self.year, "change": self.change, **self.summary.as_dict()}


def by_year(rows: pl.DataFrame, column: str = "year", small_number: int = SMALL_NUMBER) -> list[YearRow]:
    """One summary per value of `column` (the DYO snapshot's year), with the change in rate."""
    out: list[YearRow] = []
    previous: ReoffendingSummary | None = None
    for year in sorted(rows[column].unique().to_list()):
        summary = summarise_reoffending(rows.filter(pl.col(column) == year), small_number)
        change = None
        if previous and previous.rate and summary.rate and not previous.suppressed and not summary.suppressed:
            change = summary.rate.value - previous.rate.value
        out.append(YearRow(int(year), summary, change))
        previous = summary
    return out


@dataclass(frozen=True)
class NationalRate:
    cohort: str  # the national offender cohort (e.g. "April to June 2023")
    group: str
    rate: float  # a proportion
    source: str
    notes: str = field(default="")


@cache
def national_rates() -> tuple[NationalRate, ...]:
    """The Ministry of Justice's published binary proven reoffending rates (reference data)."""
    with (DATA_DIR / "proven_reoffending_headlines.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    source = ""
    out = []
    for row in rows:
        if row["source"] != "same as above":
            source = row["source"]
        if row["measure"] != "binary proven reoffending rate":
            continue
        out.append(
            NationalRate(
                cohort=row["offender_cohort"],
                group=row["group"],
                rate=float(row["value"]) / 100,
                source=source,
                notes=row["notes"],
            )
        )
    return tuple(out)
