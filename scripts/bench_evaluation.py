"""Time the evaluation measures on a generated delivery: how long an analyst waits for the figures.

    python -m openiom.synthetic.cli --people 100000 --years 10 --seed 1 --out DIR --format parquet
    python scripts/bench_evaluation.py DIR [--cutoff 2026-10-31] [--cohort-size 5000] [--treated 600]

The cohort: the first `--cohort-size` true people (by key) with a conviction from 1 January 2022
to 30 April 2025, each from their first such conviction (the index date). Steps, timed apart in
one process, on DuckDB from the files (the link table is the generator's ground truth):

  reoffending      analytics.reoffending over the cohort (index dates, proven reoffending,
                   before and after, harm and cost), fetched as Arrow
  characteristics  analytics.characteristics_at (OGRS3 and the rest at each index date)
  summaries        outcomes: the binary rate, before and after, Kaplan-Meier, predicted
                   against actual
  matching         impact.estimate_impact: `--treated` people of the cohort (every k-th, so
                   the test is reproducible) against the rest of it as the comparison pool

Prints each time, the total and the peak resident memory, and the headline figures so a run can
be checked for plausibility.
"""

from __future__ import annotations

import argparse
import resource
import time
from datetime import date
from pathlib import Path

import ibis
import polars as pl

from openiom.analytics import connect_duckdb, read_delivery
from openiom.analytics.impact import estimate_impact
from openiom.analytics.outcomes import before_after, predicted_against_actual, summarise_reoffending, survival
from openiom.analytics.reoffending import characteristics_at, reoffending


def _frame(arrow: object) -> pl.DataFrame:
    frame = pl.from_arrow(arrow)
    if not isinstance(frame, pl.DataFrame):
        raise TypeError("expected a table")
    return frame


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data", type=Path)
    parser.add_argument("--cutoff", type=date.fromisoformat, default=date(2026, 10, 31))
    parser.add_argument("--cohort-size", type=int, default=5000)
    parser.add_argument("--treated", type=int, default=600)
    args = parser.parse_args()
    times: dict[str, float] = {}
    started = time.perf_counter()

    con = connect_duckdb()
    truth = args.data / "ground_truth.csv"
    links = con.read_csv(truth, all_varchar=True, header=True)
    links = links.select("source", "person_id", person_key=links.true_person_id.substr(1).cast("int64"))
    inputs = read_delivery(con, args.data, links)
    o = inputs.offences
    first = (
        o.filter((o.outcome == "conviction") & o.outcome_date.between(date(2022, 1, 1), date(2025, 4, 30)))
        .group_by("person_key")
        .aggregate(index_date=o.outcome_date.min())
        .order_by("person_key")
        .limit(args.cohort_size)
    )
    cohort = _frame(con.to_pyarrow(first))
    table = ibis.memtable(cohort.to_arrow())
    times["cohort"] = time.perf_counter() - started

    t = time.perf_counter()
    rows = _frame(con.to_pyarrow(reoffending(inputs, table, args.cutoff)))
    times["reoffending"] = time.perf_counter() - t
    t = time.perf_counter()
    traits = _frame(con.to_pyarrow(characteristics_at(inputs, table)))
    times["characteristics"] = time.perf_counter() - t
    frame = rows.join(traits.drop("index_date"), on="person_key", how="left")

    t = time.perf_counter()
    summary = summarise_reoffending(frame)
    ba = before_after(frame)
    km = survival(frame)
    bands = predicted_against_actual(frame)
    times["summaries"] = time.perf_counter() - t

    t = time.perf_counter()
    done = frame.filter(pl.col("complete"))
    step = max(1, done.height // max(1, args.treated))
    done = done.with_row_index("_i").with_columns(treated=(pl.col("_i") % step == 0)).drop("_i")
    result = estimate_impact(done, intervention="every k-th person (no true effect)")
    times["matching"] = time.perf_counter() - t
    total = time.perf_counter() - started

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"data: {args.data}; cohort {cohort.height:,} people; cut-off {args.cutoff}")
    for name, seconds in times.items():
        print(f"  {name:16} {seconds:7.2f} s")
    print(f"  {'total':16} {total:7.2f} s; peak memory {peak:,.0f} MB")
    rate = summary.rate
    print(
        f"measured {summary.measured:,}; reoffended {summary.reoffenders:,} "
        f"({100 * rate.value:.1f}%, 95% CI {100 * rate.lower:.1f} to {100 * rate.upper:.1f})"
        if rate
        else "no complete follow-up"
    )
    print(f"offences before {ba.offences_before:,}, after {ba.offences_after:,}")
    if km.at_4_months and km.at_12_months:
        print(f"Kaplan-Meier: {100 * km.at_4_months.reoffended:.1f}% by 4 months, "
              f"{100 * km.at_12_months.reoffended:.1f}% by 12")  # fmt: skip
    everyone = bands[0]
    if everyone.predicted is not None and everyone.actual is not None:
        print(f"OGRS3 predicted {100 * everyone.predicted:.1f}%, actual {100 * everyone.actual.value:.1f}%")
    if result.rate is not None:
        r = result.rate
        print(
            f"matching: {result.treated_matched:,} pairs of {result.treated_total:,} treated, pool "
            f"{result.pool_size:,}; difference {100 * r.difference:+.1f} points "
            f"(95% CI {100 * (r.ci_low or 0):+.1f} to {100 * (r.ci_high or 0):+.1f})"
        )


if __name__ == "__main__":
    main()
