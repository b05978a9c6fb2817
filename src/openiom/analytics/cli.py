"""`openiom ogrs3` and `openiom score`: the analytics core on files, with no Django and no database.

    openiom ogrs3 INPUT.csv -o OUTPUT.csv
    openiom score --data DIR --as-of 2026-10-31 [--config FILE] [--links FILE] --out nominations.csv

`ogrs3` scores the rows of a CSV with the columns of the OGRS3 worked examples, keeping
every other column; rows it cannot score get an `error`. It exits with 1 only when no row
could be read at all (no file, no header, missing columns, no rows).

`score` scores a delivery in the data standard as of a date and writes the ranked
nominations, with the exclusions and the configuration beside them (see --help).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import polars as pl

from .config import ConfigError, SelectionConfig
from .explain import explanation_text
from .fairness import fairness_table
from .ogrs3 import INPUT_COLUMNS, coefficients, score_ogrs3
from .tables import SCHEMAS, connect_duckdb, fingerprint_files, read_delivery

DATE_COLUMNS = ("date_of_birth", "date_of_current_conviction", "date_of_first_sanction", "date_at_risk")
GENDERS = {"M": "M", "MALE": "M", "F": "F", "FEMALE": "F"}


class CommandError(Exception):
    """A problem that stops the command, said in words."""


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}") from None


# ---- ogrs3 --------------------------------------------------------------------------------------
def _parsed_inputs(raw: ir.Table) -> ir.Table:
    """The OGRS3 inputs parsed from text, with a parse error per row where a value is unusable."""
    blank = {c: raw[c].strip().fill_null("") == "" for c in INPUT_COLUMNS}
    dates = {c: raw[c].strip().try_cast("date") for c in DATE_COLUMNS}
    sanctions = raw.previous_sanctions.strip().try_cast("int64")
    gender = raw.gender.strip().upper().substitute(GENDERS, else_=raw.gender.strip().upper())
    checks = [(blank[c], f"{c} is missing") for c in INPUT_COLUMNS]
    checks += [(dates[c].isnull(), f"{c} is not a real date (YYYY-MM-DD)") for c in DATE_COLUMNS]
    checks.append((sanctions.isnull(), "previous_sanctions is not a whole number"))
    known = list(coefficients().offence_category)
    checks.append(
        (~raw.offence_category.strip().isin(known), "unknown offence category: " + raw.offence_category.strip())
    )
    return raw.select(
        "_row",
        gender=gender,
        offence_category=raw.offence_category.strip(),
        previous_sanctions=sanctions,
        parse_error=ibis.cases(*checks, else_=ibis.null("string")),
        **dates,
    )


def run_ogrs3(input_path: Path, output_path: Path) -> tuple[int, int]:
    """Score a CSV; returns (rows, rows scored). Raises CommandError when nothing can be read."""
    if not input_path.is_file():
        raise CommandError(f"{input_path}: no such file")
    try:
        text = input_path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CommandError(f"{input_path}: not a readable UTF-8 CSV file (byte {exc.start} is not UTF-8)") from None
    try:
        original = pl.read_csv(io.StringIO(text), infer_schema=False)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        raise CommandError(f"{input_path}: not a readable CSV file ({str(exc).splitlines()[0]})") from None
    missing = [c for c in INPUT_COLUMNS if c not in original.columns]
    if missing:
        raise CommandError(f"{input_path}: missing columns: {', '.join(missing)} (see the OGRS3 worked examples)")
    if original.height == 0:
        raise CommandError(f"{input_path}: no rows to score")
    con = connect_duckdb()
    raw = ibis.memtable(original.select(INPUT_COLUMNS).with_row_index("_row").to_arrow())
    parsed = _parsed_inputs(raw)
    scored = score_ogrs3(parsed).select("_row", "parse_error", "ogrs3_1yr", "ogrs3_2yr", "ogrs3_band", "ogrs3_error")
    result = pl.from_arrow(con.to_pyarrow(scored.order_by("_row")))
    assert isinstance(result, pl.DataFrame)  # noqa: S101
    ok = result["parse_error"].is_null() & result["ogrs3_error"].is_null()
    added = pl.DataFrame(
        {
            "ogrs3_1yr": result["ogrs3_1yr"].zip_with(ok, pl.Series([None] * result.height, dtype=pl.Float64)),
            "ogrs3_2yr": result["ogrs3_2yr"].zip_with(ok, pl.Series([None] * result.height, dtype=pl.Float64)),
            "ogrs3_band": result["ogrs3_band"].zip_with(ok, pl.Series([None] * result.height, dtype=pl.Utf8)),
            "error": result["parse_error"].fill_null(result["ogrs3_error"]),
        }
    )
    kept = original.drop([c for c in added.columns if c in original.columns])
    kept.hstack(added).write_csv(output_path)
    return original.height, int(ok.sum())


# ---- score --------------------------------------------------------------------------------------
def _links_from_file(con: Any, path: Path) -> tuple[ir.Table, ir.Table]:
    """(links with an integer person_key, key -> the person's id as the file gives it)."""
    table = con.read_csv(path, all_varchar=True, header=True)
    key_column = next((c for c in ("person_key", "true_person_id", "person") if c in table.columns), None)
    if key_column is None or "source" not in table.columns or "person_id" not in table.columns:
        raise CommandError(f"{path}: a link file has the columns source, person_id and person_key")
    keys = table.select(person=table[key_column]).distinct()
    keys = keys.mutate(_key=ibis.dense_rank().over(order_by=keys.person) + 1)
    # The file's own key column may be called person_key too: the integer key is the rank.
    links = table.join(keys, table[key_column] == keys.person).select("source", "person_id", person_key=keys._key)
    return links, keys.select("person", person_key=keys._key)


def _links_by_linkage(folder: Path) -> tuple[ir.Table, ir.Table, str]:
    from openiom.linkage import LinkSettings, cluster, predict_links

    path = next((folder / f"people{s}" for s in (".parquet", ".csv") if (folder / f"people{s}").exists()), None)
    if path is None:
        raise CommandError(f"{folder}: no people file (people.csv or people.parquet)")
    people = pl.read_parquet(path) if path.suffix == ".parquet" else pl.read_csv(path, infer_schema=False)
    records = people.with_row_index("record_id").with_columns(pl.col("record_id").cast(pl.Int64))
    settings = LinkSettings()
    pairs = predict_links(records.with_columns(pl.col("date_of_birth").cast(pl.Utf8)), settings)
    sure = pairs.filter(pl.col("match_probability") >= settings.auto_merge)
    clusters = cluster(zip(sure["record_id_l"], sure["record_id_r"], strict=True), records["record_id"].to_list())
    keys = records.select(
        pl.col("source").cast(pl.Utf8),
        pl.col("person_id").cast(pl.Utf8),
        pl.col("record_id").replace_strict(clusters).cast(pl.Int64).alias("person_key"),
    )
    people_count = keys["person_key"].n_unique()
    summary = (
        f"linked {records.height:,} records into {people_count:,} people with splink (merged at a match probability "
        f"of {settings.auto_merge} or more; {pairs.height - sure.height:,} uncertain pairs left unmerged)"
    )
    links = ibis.memtable(keys.to_arrow())
    names = ibis.memtable(
        keys.select("person_key", pl.col("person_key").cast(pl.Utf8).alias("person")).unique().to_arrow()
    )
    return links, names, summary


def _validate(folder: Path, con: Any) -> None:
    from openiom.datastandard import files_from_dir
    from openiom.datastandard import read_delivery as check_delivery

    sources: set[str] = set()
    for name in SCHEMAS:
        for suffix in (".parquet", ".csv"):
            path = folder / f"{name}{suffix}"
            if path.exists():
                t = con.read_parquet(path) if suffix == ".parquet" else con.read_csv(path, all_varchar=True)
                sources |= {str(s) for s in con.to_pyarrow(t.select("source").distinct())["source"].to_pylist() if s}
    checked = check_delivery(files_from_dir(folder), known_sources=sources)
    if not checked.ok:
        shown = "\n".join(f"  {p}" for p in checked.errors[:20])
        raise CommandError(f"{folder}: the delivery has {checked.error_count:,} problems; nothing was scored:\n{shown}")


def _records_column(con: Any, links: ir.Table, keys: list[int]) -> dict[int, str]:
    if not keys:
        return {}
    chosen = ibis.memtable({"person_key": keys}, schema={"person_key": "int64"})
    joined = links.join(chosen, "person_key")
    frame = pl.from_arrow(con.to_pyarrow(joined.select("person_key", "source", "person_id")))
    assert isinstance(frame, pl.DataFrame)  # noqa: S101
    grouped = (
        frame.sort("source", "person_id")
        .group_by("person_key")
        .agg((pl.col("source") + ":" + pl.col("person_id")).str.join("; ").alias("records"))
    )
    return dict(zip(grouped["person_key"].to_list(), grouped["records"].to_list(), strict=True))


def _write(frame: pl.DataFrame, path: Path) -> None:
    if path.suffix == ".parquet":
        frame.write_parquet(path)
    else:
        frame.write_csv(path)


def run_score(args: argparse.Namespace) -> str:
    started = time.perf_counter()
    folder: Path = args.data
    if not folder.is_dir():
        raise CommandError(f"{folder}: not a folder")
    config = SelectionConfig()
    if args.config:
        try:
            config = SelectionConfig.from_json(Path(args.config).read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"{args.config}: {exc.strerror}") from None
        except ConfigError as exc:
            raise CommandError(f"{args.config}: {exc}") from None
    con = connect_duckdb(args.threads)
    if not args.no_validate:
        _validate(folder, con)
    if args.links:
        links, names = _links_from_file(con, Path(args.links))
        linkage = f"records linked by {args.links}"
    else:
        links, names, linkage = _links_by_linkage(folder)
    from . import run_scores

    scores = run_scores(con, read_delivery(con, folder, links), args.as_of, config)
    key_names = pl.from_arrow(con.to_pyarrow(names))
    assert isinstance(key_names, pl.DataFrame)  # noqa: S101
    scores = scores.join(key_names.select("person_key", pl.col("person").cast(pl.Utf8)), on="person_key", how="left")

    def per_route(condition: pl.Expr) -> dict[str, int]:
        return {r["route"]: r["len"] for r in scores.filter(condition).group_by("route").len().iter_rows(named=True)}

    eligible, ranked = per_route(pl.col("eligible")), per_route(pl.col("rank").is_not_null())
    nominations = scores.filter(pl.col("nominated"))
    # Eligible people in long custody are listed too, flagged for pre-release planning: never dropped.
    listed = scores.filter(pl.col("nominated") | (pl.col("eligible") & pl.col("pre_release_planning")))
    exclusions = scores.filter(pl.col("exclusion").is_not_null())
    shown = pl.concat([listed, exclusions])
    records = _records_column(con, links, shown["person_key"].unique().to_list())

    def explained(frame: pl.DataFrame) -> pl.DataFrame:
        texts = [explanation_text(row, config, ranked.get(row["route"])) for row in frame.iter_rows(named=True)]
        return frame.with_columns(
            pl.col("person_key").replace_strict(records, default="").alias("records"),
            pl.Series("explanation", texts, dtype=pl.Utf8),
        )

    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    nomination_columns = [
        "route", "rank", "cohort", "framework", "person", "records", "pre_release_planning", "rfg_score",
        "recency_points", "frequency_points", "gravity_points", "window_count", "recency_days", "harm_days",
        "harm_unknown", "cost_gbp", "cost_unknown", "ogrs3_1yr", "ogrs3_2yr", "ogrs3_band", "age", "gender",
        "explanation",
    ]  # fmt: skip
    _write(explained(listed).select(nomination_columns), out)
    exclusions_path = out.with_name(f"{out.stem}-exclusions{out.suffix}")
    _write(
        explained(exclusions).select(
            "route", "person", "records", "exclusion", "cohort", "rfg_score", "ogrs3_2yr", "explanation"
        ),
        exclusions_path,
    )
    config_path = out.with_name(f"{out.stem}-config.json")
    config_path.write_text(config.to_json() + "\n", encoding="utf-8")
    if args.all:
        _write(scores.drop("person_key"), Path(args.all))
    fairness = fairness_table(scores, config.small_number)
    by_cohort = ", ".join(
        f"{r['cohort']} {r['len']:,}" for r in nominations.group_by("cohort").len().sort("cohort").iter_rows(named=True)
    )
    lines = [
        f"Scored {scores.height:,} people with a counted offence in the {config.lookback_days} days to {args.as_of}.",
        f"Inputs: {folder} (SHA-256 {fingerprint_files(folder)[:16]}…); {linkage}.",
        f"Eligible: IOM {eligible.get('IOM', 0):,}, DYO {eligible.get('DYO', 0):,}. "
        f"Nominated: {nominations.height:,} ({by_cohort or 'none'}). Excluded: {exclusions.height:,}. "
        f"In long custody, listed for pre-release planning: {listed.height - nominations.height:,}.",
        f"Wrote {out}, {exclusions_path.name} and {config_path.name}"
        + (f", and every score to {args.all}" if args.all else "")
        + f" in {time.perf_counter() - started:.1f} s.",
    ]
    flagged = [f for f in fairness if f.ratio is not None and not 0.8 <= f.ratio <= 1.25]
    if flagged:
        lines.append(
            "Fairness: selection rates outside 0.8-1.25 of everyone's: "
            + "; ".join(f"{f.dimension} {f.group} {f.ratio:.2f}" for f in flagged)
        )
    return "\n".join(lines)


def ogrs3_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="openiom ogrs3",
        description="Add OGRS3 1-year and 2-year probabilities and the OASys band to each row of a CSV.",
        epilog="Input columns: " + ", ".join(INPUT_COLUMNS) + ". Other columns are kept. Rows that cannot be "
        "scored get an error column saying why; the exit code is 1 only when no row could be read.",
    )
    parser.add_argument("input", type=Path, help="CSV with the columns of ogrs3_worked_examples.csv")
    parser.add_argument("-o", "--output", type=Path, required=True, help="CSV to write")
    args = parser.parse_args(argv)
    try:
        rows, scored = run_ogrs3(args.input, args.output)
    except CommandError as exc:
        print(f"openiom ogrs3: {exc}", file=sys.stderr)
        return 1
    print(f"Scored {scored:,} of {rows:,} rows; {rows - scored:,} with an error. Wrote {args.output}.")
    return 0


def score_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="openiom score",
        description="Score a delivery in the OpenIOM data standard as of a date and suggest a cohort "
        "(OGRS3, recency, frequency and gravity, harm, cost, cohort rules, ranking). See docs/metrics.md.",
    )
    parser.add_argument("--data", type=Path, required=True, help="folder with people, offences, custody, flags")
    parser.add_argument("--as-of", type=_iso_date, required=True, help="the date to score on (YYYY-MM-DD)")
    parser.add_argument("--config", help="selection configuration as JSON (default: the shipped configuration)")
    parser.add_argument(
        "--links",
        help="CSV with source, person_id and person_key (or true_person_id) saying which records are one person; "
        "without it the records are linked with splink",
    )
    parser.add_argument("--out", type=Path, required=True, help="nominations, .csv or .parquet; the exclusions "
                        "and the configuration are written beside it (NAME-exclusions, NAME-config.json)")  # fmt: skip
    parser.add_argument("--all", help="also write every scored person with every component to this file")
    parser.add_argument("--no-validate", action="store_true", help="skip checking the files against the standard")
    parser.add_argument("--threads", type=int, help="DuckDB threads (default: all cores)")
    args = parser.parse_args(argv)
    try:
        print(run_score(args))
    except CommandError as exc:
        print(f"openiom score: {exc}", file=sys.stderr)
        return 1
    return 0
