"""The one place the evaluation reports meet the database: cohorts from the partnership's case
records, run through the analytics core (`openiom.analytics.reoffending`) on the engine the
cohort selection uses (PostgreSQL itself, or DuckDB beside SQLite; `openiom.cohort.adapter`).

A report's cohort is everyone whose cohort membership (PPO, HCC, DIP or DYO) started in the
chosen period, each person once, at their first entry in it. Nothing personal leaves this
module: the reports are built from the per-person frame and only figures go on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import ibis
import polars as pl
from django.db.models import Max, Min
from django.utils import timezone

from openiom.analytics.reoffending import SANCTIONS, characteristics_at, index_dates, reoffending
from openiom.cases.constants import Cohort
from openiom.cases.models import CohortMembership, Intervention
from openiom.cohort.adapter import scoring_inputs
from openiom.offending.models import Offence

IOM_COHORTS = (Cohort.PPO.value, Cohort.HCC.value, Cohort.DIP.value)
COHORT_CHOICES = (
    ("IOM", "All adult IOM cohorts (PPO, HCC and DIP)"),
    (Cohort.PPO.value, Cohort.PPO.label),
    (Cohort.HCC.value, Cohort.HCC.label),
    (Cohort.DIP.value, Cohort.DIP.label),
    (Cohort.DYO.value, Cohort.DYO.label),
)


@dataclass(frozen=True)
class CohortFilter:
    """Which cohort a report measures: the cohort type and the period its members entered in."""

    cohort: str = "IOM"
    entered_from: date | None = None
    entered_to: date | None = None

    @property
    def cohorts(self) -> tuple[str, ...]:
        return IOM_COHORTS if self.cohort == "IOM" else (self.cohort,)

    @property
    def label(self) -> str:
        name = dict(COHORT_CHOICES).get(self.cohort, self.cohort)
        if self.entered_from and self.entered_to:
            return f"{name}, entered {self.entered_from:%-d %B %Y} to {self.entered_to:%-d %B %Y}"
        if self.entered_from:
            return f"{name}, entered from {self.entered_from:%-d %B %Y}"
        if self.entered_to:
            return f"{name}, entered up to {self.entered_to:%-d %B %Y}"
        return f"{name}, every entry"


def data_cutoff() -> date:
    """The data's cut-off: the latest outcome in the imported offending data, never after today."""
    latest = Offence.objects.aggregate(latest=Max("outcome_date"))["latest"]
    today = timezone.localdate()
    return min(latest, today) if latest else today


def cohort_entries(f: CohortFilter) -> pl.DataFrame:
    """`person_key`, `entry_date`, `cohort`, `year`: each person's first entry in the filter."""
    return cohort_entries_of([f])[f]


def cohort_entries_of(filters: Iterable[CohortFilter]) -> dict[CohortFilter, pl.DataFrame]:
    """`cohort_entries` of each filter, from one read of the memberships."""
    wanted = list(dict.fromkeys(filters))
    qs = CohortMembership.objects.filter(cohort__in={c for f in wanted for c in f.cohorts})
    memberships = list(qs.order_by("started_on", "pk").values_list("case__person_id", "started_on", "cohort"))
    found = {}
    for f in wanted:
        first: dict[int, tuple[date, str]] = {}
        for pid, started, cohort in memberships:
            after = f.entered_from is None or started >= f.entered_from
            before = f.entered_to is None or started <= f.entered_to
            if cohort in f.cohorts and after and before:
                first.setdefault(pid, (started, cohort))
        keys = sorted(first)
        found[f] = pl.DataFrame(
            {
                "person_key": keys,
                "entry_date": [first[k][0] for k in keys],
                "cohort": [first[k][1] for k in keys],
            },
            schema={"person_key": pl.Int64, "entry_date": pl.Date, "cohort": pl.Utf8},
        ).with_columns(pl.col("entry_date").dt.year().cast(pl.Int64).alias("year"))
    return found


@dataclass
class Measured:
    """Per-person results of a cohort (kept inside the server: reports publish figures only)."""

    cutoff: date
    rows: pl.DataFrame
    notes: list[str] = field(default_factory=list)


_EMPTY_COLUMNS = {
    "person_key": pl.Int64,
    "entry_date": pl.Date,
    "index_date": pl.Date,
    "complete": pl.Boolean,
    "reoffended": pl.Boolean,
    "reoffences": pl.Int64,
}


def measure(entries: pl.DataFrame, *, with_characteristics: bool = True) -> Measured:
    """Index dates, proven reoffending, before and after, and (optionally) OGRS3 and the other
    characteristics at the index date, for a frame with `person_key` and `entry_date` (and any
    other columns, kept)."""
    return measure_each([entries], with_characteristics=with_characteristics)[0]


def measure_each(cohorts: Sequence[pl.DataFrame], *, with_characteristics: bool = True) -> list[Measured]:
    """`measure` of each frame, on one read of the offending data (a page of several cohorts
    reads it once, however many there are)."""
    cutoff = data_cutoff()
    measured = [Measured(cutoff, pl.DataFrame(schema=_EMPTY_COLUMNS)) for _ in cohorts]
    if all(entries.height == 0 for entries in cohorts):
        return measured
    with scoring_inputs() as s:
        for i, entries in enumerate(cohorts):
            if entries.height == 0:
                continue
            table = ibis.memtable(entries.to_arrow())
            indexed = index_dates(s.inputs, table)
            expr = reoffending(s.inputs, indexed, cutoff)
            if with_characteristics:  # one query: the characteristics joined on
                traits = characteristics_at(s.inputs, indexed).drop("index_date")
                expr = expr.left_join(traits, "person_key").drop("person_key_right")
            frame = pl.from_arrow(s.con.to_pyarrow(expr))
            assert isinstance(frame, pl.DataFrame)  # noqa: S101
            measured[i] = Measured(cutoff, frame)
    return measured


def impact_population(service_id: int) -> pl.DataFrame:
    """The people an intervention's impact is measured on: `person_key`, `entry_date`, `treated`.

    Treated: everyone who started the service, from their first start. The comparison pool:
    everyone else with a proven sanction (conviction or caution) from a year before the first
    start to the last start, from their first such sanction in that span (the kind of index
    event the Justice Data Lab matches on). The matching then picks the comparable ones.
    """
    treated = {
        r["case__person_id"]: r["start"]
        for r in Intervention.objects.filter(service_id=service_id, started_on__isnull=False)
        .values("case__person_id")
        .annotate(start=Min("started_on"))
    }
    pool: dict[int, date] = {}
    if treated:
        span = (min(treated.values()) - timedelta(days=365), max(treated.values()))
        sanctions = (
            Offence.objects.filter(outcome__in=SANCTIONS, outcome_date__range=span)
            .exclude(record__person_id__in=list(treated))
            .values("record__person_id")
            .annotate(first=Min("outcome_date"))
        )
        pool = {r["record__person_id"]: r["first"] for r in sanctions}
    keys = sorted(treated) + sorted(pool)
    return pl.DataFrame(
        {
            "person_key": keys,
            "entry_date": [treated.get(k) or pool[k] for k in keys],
            "treated": [k in treated for k in keys],
        },
        schema={"person_key": pl.Int64, "entry_date": pl.Date, "treated": pl.Boolean},
    )
