"""`openiom reoffending`: proven reoffending of a cohort, on files, with no Django and no database.

    openiom reoffending --data DIR --cohort cohort.csv --out reoffending.csv [--cutoff DATE] [--links FILE]

The cohort file has `person_id` and `index_date` (YYYY-MM-DD), and `source` when the same
id could belong to records at several agencies. The output has the cohort's columns and, per
person, `reoffended` (true/false), `reoffences`, `first_reoffence_date`, then the follow-up
dates and whether the follow-up is complete by the cut-off. The summary goes to standard
output. Definitions: docs/metrics.md#proven-reoffending.
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import polars as pl

from .cli import CommandError, _iso_date, _links_by_linkage, _links_from_file, _validate, _write
from .outcomes import national_rates, summarise_reoffending, survival
from .reoffending import reoffending
from .tables import connect_duckdb, read_delivery

OUTPUT_COLUMNS = (
    "reoffended",
    "reoffences",
    "first_reoffence_date",
    "follow_up_end",
    "waiting_end",
    "follow_up_complete",
)


def read_cohort(path: Path) -> pl.DataFrame:
    """The cohort file, checked: every problem found is reported at once, with its row."""
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    try:
        text = path.read_bytes().decode("utf-8-sig")
        frame = pl.read_csv(io.StringIO(text), infer_schema=False)
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path}: not a readable UTF-8 CSV file (byte {exc.start} is not UTF-8)") from None
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        raise CommandError(f"{path}: not a readable CSV file ({str(exc).splitlines()[0]})") from None
    missing = [c for c in ("person_id", "index_date") if c not in frame.columns]
    if missing:
        raise CommandError(
            f"{path}: missing columns: {', '.join(missing)} (a cohort file has person_id and index_date)"
        )
    if frame.height == 0:
        raise CommandError(f"{path}: no rows")
    problems = []
    dates: list[date | None] = []
    for row, (pid, text_date) in enumerate(zip(frame["person_id"], frame["index_date"], strict=True), start=2):
        if not (pid or "").strip():
            problems.append(f"row {row}: person_id is empty")
        try:
            dates.append(date.fromisoformat((text_date or "").strip()))
        except ValueError:
            dates.append(None)
            problems.append(f"row {row}: index_date {text_date!r} is not a date in the form YYYY-MM-DD")
    key = ["source", "person_id"] if "source" in frame.columns else ["person_id"]
    repeated = frame.with_row_index("row", offset=2).filter(pl.struct(key).is_duplicated())
    for r in repeated.iter_rows(named=True):
        problems.append(f"row {r['row']}: {' '.join(key)} appears more than once (one row per person)")
    if problems:
        raise CommandError(f"{path}: {len(problems)} problems; nothing was measured:\n  " + "\n  ".join(problems[:20]))
    return frame.with_columns(pl.Series("index_date", dates, dtype=pl.Date), pl.col("person_id").str.strip_chars())


def _keys_for(cohort: pl.DataFrame, links: pl.DataFrame, path: Path) -> pl.DataFrame:
    """The cohort with its `person_key`, or an error naming the rows that match no record (or several)."""
    on = ["source", "person_id"] if "source" in cohort.columns else ["person_id"]
    candidates = links.select([*on, "person_key"]).unique()
    joined = cohort.with_row_index("_row", offset=2).join(candidates, on=on, how="left")
    counts = joined.group_by("_row").agg(pl.col("person_key").drop_nulls().n_unique().alias("n"))
    unknown = counts.filter(pl.col("n") == 0)["_row"].sort().to_list()
    ambiguous = counts.filter(pl.col("n") > 1)["_row"].sort().to_list()
    problems = [f"row {r}: no record in the data has this person_id" for r in unknown[:20]]
    problems += [
        f"row {r}: this person_id belongs to different people at different sources; add a source column"
        for r in ambiguous[:20]
    ]
    if problems:
        raise CommandError(f"{path}: {len(unknown) + len(ambiguous)} rows not found; nothing was measured:\n  "
                           + "\n  ".join(problems))  # fmt: skip
    return joined.unique("_row", keep="first").sort("_row").drop("_row")


def run_reoffending(args: argparse.Namespace) -> str:
    folder: Path = args.data
    if not folder.is_dir():
        raise CommandError(f"{folder}: not a folder")
    cohort = read_cohort(args.cohort)
    con = connect_duckdb(args.threads)
    if not args.no_validate:
        _validate(folder, con)
    if args.links:
        links_table, _names = _links_from_file(con, Path(args.links))
    else:
        links_table, _names, _summary = _links_by_linkage(folder)
    links = pl.from_arrow(con.to_pyarrow(links_table))
    assert isinstance(links, pl.DataFrame)  # noqa: S101
    keyed = _keys_for(cohort, links, args.cohort)
    inputs = read_delivery(con, folder, links_table)
    cutoff = args.cutoff or _latest_outcome(con, inputs.offences)
    table = ibis.memtable(
        keyed.select(pl.col("person_key").cast(pl.Int64), "index_date").unique("person_key").to_arrow()
    )
    measured = pl.from_arrow(con.to_pyarrow(reoffending(inputs, table, cutoff)))
    assert isinstance(measured, pl.DataFrame)  # noqa: S101
    per_person = keyed.join(
        measured.select(
            "person_key",
            "reoffended",
            "reoffences",
            "first_reoffence_date",
            "follow_up_end",
            "waiting_end",
            pl.col("complete").alias("follow_up_complete"),
        ),
        on="person_key",
        how="left",
    )
    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    _write(per_person.select([*cohort.columns, *OUTPUT_COLUMNS]), out)
    return summary_text(measured, cutoff, out)


def _latest_outcome(con: Any, offences: Any) -> date:
    value = con.to_pyarrow(offences.outcome_date.max()).as_py()
    if value is None:
        raise CommandError("the data has no offences: give --cutoff")
    return date.fromisoformat(str(value)[:10])  # a date, a datetime or a pandas Timestamp


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def summary_text(measured: pl.DataFrame, cutoff: date, out: Path) -> str:
    s = summarise_reoffending(measured)
    km = survival(measured)
    lines = [
        f"Cohort: {s.cohort:,} people. Data cut-off: {cutoff} (follow-up complete for index dates up to 18 months "
        "before it).",
        f"Measured (complete 12-month follow-up and 6-month wait): {s.measured:,}; follow-up not complete yet: "
        f"{s.incomplete:,}; in custody with no release recorded: {s.no_index:,}.",
    ]
    if s.rate is not None:
        lines.append(
            f"Proven reoffending: {s.reoffenders:,} of {s.measured:,} reoffended, {_pct(s.rate.value)} "
            f"(95% CI {_pct(s.rate.lower)} to {_pct(s.rate.upper)}); {s.reoffences:,} proven reoffences."
        )
        if s.per_reoffender is not None:
            lines.append(
                f"Reoffences per reoffender: {s.per_reoffender.value:.2f} (95% CI {s.per_reoffender.lower:.2f} to "
                f"{s.per_reoffender.upper:.2f})."
            )
        if s.per_offender is not None:
            lines.append(
                f"Reoffences per offender: {s.per_offender.value:.2f} (95% CI {s.per_offender.lower:.2f} to "
                f"{s.per_offender.upper:.2f})."
            )
        national = next((n for n in national_rates() if n.group.startswith("all")), None)
        if national is not None:
            lines.append(
                f"National rate for comparison ({national.cohort}, {national.group}): {_pct(national.rate)}. "
                "Compare with care: the national cohort is everyone cautioned, convicted or released in a quarter, "
                "not a group chosen for its risk."
            )
    else:
        lines.append("Proven reoffending: no one's follow-up is complete yet.")
    if km.at_12_months is not None and km.at_4_months is not None:
        share = km.share_within_4_months
        lines.append(
            f"Time to first reoffence (Kaplan-Meier, {km.people:,} people): {_pct(km.at_4_months.reoffended)} by 4 "
            f"months, {_pct(km.at_12_months.reoffended)} by 12 months"
            + (f"; {_pct(share)} of the 12 months' reoffenders within the first 4." if share is not None else ".")
        )
    lines.append(f"Wrote {out}.")
    return "\n".join(lines)


def reoffending_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="openiom reoffending",
        description="Proven reoffending (Ministry of Justice definition) of a cohort after each person's index "
        "date, from a delivery in the OpenIOM data standard. See docs/metrics.md#proven-reoffending.",
    )
    parser.add_argument("--data", type=Path, required=True, help="folder with people, offences, custody, flags")
    parser.add_argument("--cohort", type=Path, required=True, help="CSV with person_id and index_date (and source)")
    parser.add_argument("--out", type=Path, required=True, help="per-person results, .csv or .parquet")
    parser.add_argument("--cutoff", type=_iso_date, help="the data's cut-off date (default: its latest outcome)")
    parser.add_argument(
        "--links",
        help="CSV with source, person_id and person_key saying which records are one person; "
        "without it the records are linked with splink",
    )
    parser.add_argument("--no-validate", action="store_true", help="skip checking the files against the standard")
    parser.add_argument("--threads", type=int, help="DuckDB threads (default: all cores)")
    args = parser.parse_args(argv)
    try:
        print(run_reoffending(args))
    except CommandError as exc:
        print(f"openiom reoffending: {exc}", file=sys.stderr)
        return 1
    return 0
