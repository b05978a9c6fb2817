"""Time cohort scoring on a generated delivery: the analytics core against a floor and pandas.

    python -m openiom.synthetic.cli --people 1000000 --years 10 --seed 1 --out DIR --format parquet
    python scripts/bench_scoring.py DIR --as-of 2026-10-31 [--pandas] [--postgres URL] [--repeat N]

Measures, each run --repeat times, interleaved (floor, full, pandas, floor, full, ...), each in
a fresh Python process so that its peak resident memory (getrusage) is its own:

  floor   DuckDB reads the Parquet files, joins each event file (offences, custody, flags) to
          the link table and groups by person (count, first and last date), fetched as Arrow:
          the least any scoring of these files can do.
  full    openiom.analytics: read_delivery + score_people (OGRS3, RFG, harm, cost, cohort
          rules) on the same files, fetched as Arrow (con.to_pyarrow), then rank_people
          (the ranking and nominations, on the fetched rows): openiom.analytics.score.
  pandas  scripts/pandas_scoring.py: the same scores in plain pandas (--pandas).

Both DuckDB measures start from the files: each opens a new connection (default settings,
all threads unless --threads), loads the link table and runs. The link table is the
generator's ground truth (person_key = the number in true_person_id, T0000001 -> 1): scores
are computed for linked people the same way in the web app; linkage has its own benchmark
(scripts/bench_linkage.py). Expression building is warmed up once per process before the
clock starts (imports and caches; reported as `warm-up`).

With --pandas the pandas result is compared with the core's, person by person and column by
column (numbers to 1e-9), and the mismatches are printed. --pandas-people N runs pandas (and
a core run for the comparison) on the first N true people only and extrapolates its time
linearly to everyone, labelled as such (an overestimate: the files are still read in full).

With --postgres URL (for example postgresql://postgres@127.0.0.1:5432/openiom_bench, created
if missing) the person-keyed tables (tables.SCHEMAS, made by read_delivery) are loaded into
schema `scoring_bench` of that database with COPY, indexed on person_key and analysed (timed
separately); then a PostgreSQL floor (group by person over the three event tables, already
keyed, so no link join) and score_people executed inside PostgreSQL, fetched as Arrow, are
timed the same way, and the PostgreSQL result is compared with DuckDB's. --pg-set jit=off
applies a setting to those sessions (the server's own settings are printed).

Every run also records the CPU time other processes used meanwhile (/proc/stat less this
process): a run is "clean" when they used under 0.1 CPU-second per second. Best and median
are given over all runs and over clean runs; the goals are judged on clean runs when there
are any. The 1-minute load average at the start of each run is printed too.

--step runs one measurement in this process and writes it as JSON (used by the benchmark
itself for its child processes).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import duckdb
import ibis
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from openiom.analytics.config import SelectionConfig
from openiom.analytics.scoring import compiling, rank_people, score_people, to_arrow
from openiom.analytics.tables import (
    SCHEMAS,
    Inputs,
    connect_duckdb,
    inputs_from_rows,
    one_record_per_person,
    read_delivery,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pandas_scoring import compare, read_delivery_pandas, score_people_pandas

FILES = ("people", "offences", "custody", "flags")
EVENTS = {"offences": "offence_date", "custody": "reception_date", "flags": "start_date"}
PG_SCHEMA = "scoring_bench"
CORE_FILES = ("config.py", "ogrs3.py", "scoring.py", "tables.py")
STEPS = ("floor", "full", "pandas", "pg-load", "pg-floor", "pg-full")
CLEAN_SHARE = 0.1  # a run is "clean" when other processes used under 0.1 CPU-second per second of it


# ---- helpers ----------------------------------------------------------------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def cpu_seconds() -> float:
    """User and system CPU time of this process so far, all threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def machine_busy_seconds() -> float:
    """CPU time spent by every process on the machine so far (Linux /proc/stat), all CPUs."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


class Clock:
    """Wall clock, this process's CPU and the CPU other processes used, from start to stop."""

    def __init__(self) -> None:
        self.cpu, self.busy, self.wall = cpu_seconds(), machine_busy_seconds(), time.perf_counter()

    def stop(self) -> dict[str, float]:
        wall, cpu, busy = time.perf_counter() - self.wall, cpu_seconds() - self.cpu, machine_busy_seconds() - self.busy
        return {"seconds": wall, "cpu_seconds": cpu, "others_cpu_seconds": max(0.0, busy - cpu)}


def load_average() -> float:
    return os.getloadavg()[0]


def core_fingerprint() -> str:
    """SHA-256 (12 hex digits) of the analytics core files measured, which are still changing."""
    folder = Path(score_people.__code__.co_filename).parent
    digest = hashlib.sha256()
    for name in CORE_FILES:
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:12]


def load_links(con: Any, folder: Path, people_limit: int | None) -> Any:
    """The ground truth as a DuckDB table (source, person_id, person_key)."""
    truth = con.read_csv(folder / "ground_truth.csv", table_name="ground_truth", all_varchar=True)
    links = truth.select("source", "person_id", person_key=truth.true_person_id.substr(1).cast("int64"))
    if people_limit:
        links = links.filter(links.person_key <= people_limit)
    return con.create_table("links", links, overwrite=True)


def warm_up(as_of: date, config: SelectionConfig) -> float:
    """Build and compile the expression once on empty tables: imports and caches, not work."""
    started = time.perf_counter()
    with compiling():
        ibis.to_sql(score_people(inputs_from_rows({}), as_of, config), dialect="duckdb")
    return time.perf_counter() - started


def pg_connect_args(url: str) -> dict[str, Any]:
    parts = urlparse(url)
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": parts.username or "postgres",
        "password": parts.password or None,
        "database": (parts.path or "/").lstrip("/") or "postgres",
    }


def pg_dsn(url: str, database: str | None = None) -> str:
    args = pg_connect_args(url)
    dsn = f"host={args['host']} port={args['port']} user={args['user']} dbname={database or args['database']}"
    return dsn + (f" password={args['password']}" if args["password"] else "")


def ensure_database(url: str) -> bool:
    """Create the scratch database if it does not exist; True if it was created."""
    import psycopg

    name = pg_connect_args(url)["database"]
    with psycopg.connect(pg_dsn(url, "postgres"), autocommit=True) as pg:
        if pg.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        pg.execute(f'CREATE DATABASE "{name}"')
        return True


def pg_inputs(con: Any) -> Inputs:
    return Inputs(**{name: con.table(name, database=PG_SCHEMA) for name in SCHEMAS})


# ---- the measured steps -----------------------------------------------------------------------


def step_floor(args: argparse.Namespace) -> dict[str, Any]:
    con = connect_duckdb(args.threads)
    clock = Clock()
    started = time.perf_counter()
    links = load_links(con, args.data, args.people_limit)
    linked = time.perf_counter()
    rows = {}
    for name, column in EVENTS.items():
        events = con.read_parquet(args.data / f"{name}.parquet", table_name=f"floor_{name}")
        keyed = events.join(links, ["source", "person_id"])
        grouped = keyed.group_by("person_key").aggregate(
            events=keyed.count(), first=keyed[column].min(), last=keyed[column].max()
        )
        rows[name] = con.to_pyarrow(grouped).num_rows
    done = time.perf_counter()
    return {
        **clock.stop(),
        "parts": {"links": linked - started, "group by person": done - linked},
        "rows": sum(rows.values()),
        "detail": {f"people with {name}": n for name, n in rows.items()},
    }


def step_full(args: argparse.Namespace) -> dict[str, Any]:
    config = SelectionConfig()
    warm = warm_up(args.as_of, config)
    con = connect_duckdb(args.threads)
    clock = Clock()
    started = time.perf_counter()
    links = load_links(con, args.data, args.people_limit)
    linked = time.perf_counter()
    expr = score_people(read_delivery(con, args.data, links), args.as_of, config)
    built = time.perf_counter()
    fetched = to_arrow(con, expr)
    executed = time.perf_counter()
    result = rank_people(fetched, config)
    done = time.perf_counter()
    timing = clock.stop()
    if args.save:
        pq.write_table(result, args.save)
    return {
        **timing,
        "parts": {
            "links": linked - started,
            "build": built - linked,
            "compile + execute": executed - built,
            "rank": done - executed,
        },
        "rows": result.num_rows,
        "detail": {"warm-up": warm, "nominated": sum(result.column("nominated").to_pylist())},
    }


def step_pandas(args: argparse.Namespace) -> dict[str, Any]:
    config = SelectionConfig()
    clock = Clock()
    started = time.perf_counter()
    tables = read_delivery_pandas(args.data, args.people_limit)
    read = time.perf_counter()
    result = score_people_pandas(tables, args.as_of, config)
    done = time.perf_counter()
    timing = clock.stop()
    if args.save:
        result.to_parquet(args.save)
    return {
        **timing,
        "parts": {"read + link": read - started, "score": done - read},
        "rows": len(result),
        "detail": {"nominated": int(result["nominated"].sum())},
    }


def _arrow_csv(table: pa.Table) -> bytes:
    buffer = BytesIO()
    pacsv.write_csv(table, buffer, pacsv.WriteOptions(include_header=False))
    return buffer.getvalue()


def step_pg_load(args: argparse.Namespace) -> dict[str, Any]:
    import psycopg

    pg_types = {"int64": "bigint", "date": "date", "string": "text"}
    started = time.perf_counter()
    con = connect_duckdb(args.threads)
    links = load_links(con, args.data, args.people_limit)
    inputs = read_delivery(con, args.data, links)
    # The web app's people table has one row per person: de-duplicate the delivery's records.
    inputs = dataclasses.replace(inputs, people=one_record_per_person(inputs.people))
    tables = {name: con.to_pyarrow(getattr(inputs, name)) for name in SCHEMAS}
    prepared = time.perf_counter()
    with psycopg.connect(pg_dsn(args.postgres)) as pg:
        pg.execute(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
        pg.execute(f"CREATE SCHEMA {PG_SCHEMA}")
        for name, schema in SCHEMAS.items():
            columns = ", ".join(f"{c} {pg_types[t]}" for c, t in schema.items())
            pg.execute(f"CREATE TABLE {PG_SCHEMA}.{name} ({columns})")
            with pg.cursor().copy(f"COPY {PG_SCHEMA}.{name} ({', '.join(schema)}) FROM STDIN (FORMAT csv)") as copy:
                copy.write(_arrow_csv(tables[name].select(list(schema))))
        copied = time.perf_counter()
        pg.execute(f"ALTER TABLE {PG_SCHEMA}.people ADD PRIMARY KEY (person_key)")
        for name in EVENTS:
            pg.execute(f"CREATE INDEX ON {PG_SCHEMA}.{name} (person_key)")
        pg.commit()
    with psycopg.connect(pg_dsn(args.postgres), autocommit=True) as pg:
        pg.execute(f"VACUUM ANALYZE {PG_SCHEMA}.people, {PG_SCHEMA}.offences, {PG_SCHEMA}.custody, {PG_SCHEMA}.flags")
        settings = {
            name: pg.execute(f"SHOW {name}").fetchone()[0]  # type: ignore[index]
            for name in ("server_version", "work_mem", "shared_buffers", "max_parallel_workers_per_gather", "jit")
        }
    done = time.perf_counter()
    return {
        "seconds": done - started,
        "parts": {
            "DuckDB read + link": prepared - started,
            "COPY": copied - prepared,
            "indexes + VACUUM ANALYZE": done - copied,
        },
        "rows": sum(t.num_rows for t in tables.values()),
        "detail": {**{f"{name} rows": t.num_rows for name, t in tables.items()}, **settings},
    }


def pg_session(args: argparse.Namespace) -> Any:
    """An ibis connection to PostgreSQL with the --pg-set settings applied to the session."""
    con = ibis.postgres.connect(**pg_connect_args(args.postgres))
    for setting in args.pg_set or []:
        name, value = setting.split("=", 1)
        con.raw_sql(f"SET {name} = {value}")
    return con


def step_pg_floor(args: argparse.Namespace) -> dict[str, Any]:
    con = pg_session(args)
    started = time.perf_counter()
    rows = {}
    for name, column in EVENTS.items():
        events = con.table(name, database=PG_SCHEMA)
        grouped = events.group_by("person_key").aggregate(
            events=events.count(), first=events[column].min(), last=events[column].max()
        )
        rows[name] = con.to_pyarrow(grouped).num_rows
    done = time.perf_counter()
    con.disconnect()
    return {"seconds": done - started, "parts": {}, "rows": sum(rows.values()), "detail": rows}


def step_pg_full(args: argparse.Namespace) -> dict[str, Any]:
    config = SelectionConfig()
    warm = warm_up(args.as_of, config)
    con = pg_session(args)
    started = time.perf_counter()
    expr = score_people(pg_inputs(con), args.as_of, config)
    built = time.perf_counter()
    fetched = to_arrow(con, expr)
    executed = time.perf_counter()
    result = rank_people(fetched, config)
    done = time.perf_counter()
    con.disconnect()
    if args.save:
        pq.write_table(result, args.save)
    return {
        "seconds": done - started,
        "parts": {"build": built - started, "compile + execute": executed - built, "rank": done - executed},
        "rows": result.num_rows,
        "detail": {"warm-up": warm},
    }


STEP_FUNCTIONS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "floor": step_floor,
    "full": step_full,
    "pandas": step_pandas,
    "pg-load": step_pg_load,
    "pg-floor": step_pg_floor,
    "pg-full": step_pg_full,
}


def run_step_here(args: argparse.Namespace, step: str) -> dict[str, Any]:
    load = load_average()
    result = STEP_FUNCTIONS[step](args)
    result.update(step=step, peak_rss_mb=peak_rss_mb(), load_before=load, load_after=load_average())
    return result


# ---- the driver -------------------------------------------------------------------------------


def run_step(args: argparse.Namespace, step: str, save: Path | None = None, people_limit: int | None = None) -> dict:
    """One measurement in a child process (or here with --in-process)."""
    if args.in_process:
        child = argparse.Namespace(**{**vars(args), "save": save, "people_limit": people_limit})
        return run_step_here(child, step)
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [sys.executable, __file__, str(args.data), "--as-of", args.as_of.isoformat(), "--step", step]
        command += ["--json-out", out.name]
        if args.threads:
            command += ["--threads", str(args.threads)]
        if args.postgres:
            command += ["--postgres", args.postgres]
        for setting in args.pg_set or []:
            command += ["--pg-set", setting]
        if save:
            command += ["--save", str(save)]
        if people_limit:
            command += ["--people-limit", str(people_limit)]
        subprocess.run(command, check=True)  # noqa: S603 - our own script, with our own arguments
        return json.loads(Path(out.name).read_text())


def data_summary(folder: Path) -> dict[str, Any]:
    rows = {name: pq.ParquetFile(folder / f"{name}.parquet").metadata.num_rows for name in FILES}
    truth = pacsv.read_csv(
        folder / "ground_truth.csv", convert_options=pacsv.ConvertOptions(include_columns=["true_person_id"])
    )
    return {"people": pc.count_distinct(truth.column("true_person_id")).as_py(), "rows": rows}


def warm_file_cache(folder: Path) -> None:
    for path in folder.iterdir():
        if path.suffix in (".parquet", ".csv"):
            with path.open("rb") as f:
                while f.read(1 << 24):
                    pass


def is_clean(run: dict[str, Any]) -> bool:
    """Other processes used less than a tenth of a CPU during the run (unknown for PostgreSQL)."""
    others = run.get("others_cpu_seconds")
    return others is not None and others < CLEAN_SHARE * run["seconds"]


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    times = [r["seconds"] for r in runs]
    clean = [r["seconds"] for r in runs if is_clean(r)]
    return {
        "runs": len(runs),
        "best": min(times),
        "median": statistics.median(times),
        "clean_runs": len(clean),
        "clean_best": min(clean) if clean else None,
        "clean_median": statistics.median(clean) if clean else None,
        "times": times,
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "cpu_median": statistics.median(r["cpu_seconds"] for r in runs) if "cpu_seconds" in runs[-1] else None,
        "rows": runs[-1]["rows"],
        "load": [round(r["load_before"], 2) for r in runs],
        "others_cpu": [round(r["others_cpu_seconds"], 2) for r in runs] if "others_cpu_seconds" in runs[-1] else None,
        "parts": {k: statistics.median(r["parts"][k] for r in runs) for k in runs[-1]["parts"]},
        "detail": runs[-1]["detail"],
    }


def print_table(title: str, results: dict[str, dict[str, Any]]) -> None:
    print(f"\n{title}")
    print(
        f"{'step':<22} {'runs':>4} {'best':>9} {'median':>9} {'CPU (med)':>10} {'peak RSS':>10} {'rows':>11}"
        "  load avg (1 min) at start"
    )
    for name, s in results.items():
        cpu = "-" if s["cpu_median"] is None else f"{s['cpu_median']:.2f}s"
        print(
            f"{name:<22} {s['runs']:>4} {s['best']:>8.2f}s {s['median']:>8.2f}s {cpu:>10} "
            f"{s['peak_rss_mb']:>7.0f} MB "
            f"{s['rows']:>11,}  {s['load']}"
        )
        parts = ", ".join(f"{k} {v:.2f}s" for k, v in s["parts"].items())
        if parts:
            print(f"{'':<22}      median parts: {parts}")
        if s["others_cpu"] is not None:
            print(f"{'':<22}      CPU seconds used by other processes during each run: {s['others_cpu']}")
            if s["clean_runs"]:
                print(
                    f"{'':<22}      clean runs (others under {CLEAN_SHARE} CPU): {s['clean_runs']}, "
                    f"best {s['clean_best']:.2f}s, median {s['clean_median']:.2f}s"
                )
            else:
                print(f"{'':<22}      no clean run: every run shared the machine with other work")


def drive(args: argparse.Namespace) -> dict[str, Any]:
    summary = data_summary(args.data)
    report: dict[str, Any] = {
        "data": str(args.data),
        "as_of": args.as_of.isoformat(),
        **summary,
        "core_sha256": core_fingerprint(),
        "versions": {
            "python": platform.python_version(),
            "duckdb": duckdb.__version__,
            "ibis": ibis.__version__,
            "pandas": pd.__version__,
            "pyarrow": pa.__version__,
        },
        "cpus": os.cpu_count(),
        "threads": args.threads or "DuckDB default (all)",
        "mode": "in one process" if args.in_process else "a fresh process per measurement",
    }
    rows = summary["rows"]
    print(
        f"data: {args.data}  people: {summary['people']:,}  rows: "
        + " / ".join(f"{name} {rows[name]:,}" for name in FILES)
    )
    print(
        f"as of {args.as_of}; analytics core sha256 {report['core_sha256']}; {report['cpus']} CPUs; "
        f"threads {report['threads']}; {report['mode']}; link table = ground truth"
    )
    warm_file_cache(args.data)

    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        steps = ["floor", "full"] + (["pandas"] if args.pandas else [])
        runs: dict[str, list[dict[str, Any]]] = {s: [] for s in steps}
        for i in range(args.repeat):
            last = i == args.repeat - 1
            for step in steps:
                limit = args.pandas_people if step == "pandas" else None
                save = tmp / f"{step}.parquet" if last and step in ("full", "pandas") else None
                result = run_step(args, step, save=save, people_limit=limit)
                runs[step].append(result)
                others = result.get("others_cpu_seconds")
                print(
                    f"  run {i + 1} {step:<7} {result['seconds']:8.2f} s  load {result['load_before']:.2f}"
                    + (f"  other processes' CPU {others:.2f} s" if others is not None else ""),
                    flush=True,
                )
        results = {s: summarise(r) for s, r in runs.items()}
        report["duckdb"] = results

        comparisons: dict[str, Any] = {}
        if args.pandas:
            core_file = tmp / "full.parquet"
            if args.pandas_people:
                core_file = tmp / "full-subset.parquet"
                subset = run_step(args, "full", save=core_file, people_limit=args.pandas_people)
                results["full (pandas subset)"] = summarise([subset])
            check = compare(pd.read_parquet(core_file), pd.read_parquet(tmp / "pandas.parquet"))
            comparisons["pandas vs core (DuckDB)"] = check
        print_table("DuckDB and pandas (seconds, wall clock)", results)

        floor, full = results["floor"], results["full"]
        ratios = {
            "full / floor (best)": full["best"] / floor["best"],
            "full / floor (median)": full["median"] / floor["median"],
        }
        if args.pandas:
            pandas_best = results["pandas"]["best"]
            if args.pandas_people:
                scale = summary["people"] / args.pandas_people
                report["pandas_extrapolated_best"] = pandas_best * scale
                print(
                    f"pandas ran on {args.pandas_people:,} of {summary['people']:,} people: "
                    f"EXTRAPOLATED linearly to everyone {pandas_best * scale:.1f} s (x{scale:.1f}; an overestimate, "
                    "the files are read in full either way); "
                    f"against the core on the same subset: x{pandas_best / results['full (pandas subset)']['best']:.1f}"
                )
                pandas_best *= scale
            ratios["pandas / full (best)"] = pandas_best / full["best"]
        if floor["clean_best"] and full["clean_best"]:
            ratios["full / floor (best of clean runs)"] = full["clean_best"] / floor["clean_best"]
        if args.pandas and not args.pandas_people and full["clean_best"] and results["pandas"]["clean_best"]:
            ratios["pandas / full (best of clean runs)"] = results["pandas"]["clean_best"] / full["clean_best"]
        report["ratios"] = ratios
        print("ratios: " + ", ".join(f"{k} {v:.2f}" for k, v in ratios.items()))
        basis = "best of clean runs" if "full / floor (best of clean runs)" in ratios else "best"
        goal_floor = ratios[f"full / floor ({basis})"] <= 3
        print(f"goal: full run within 3x the floor ({basis}): {'MET' if goal_floor else 'NOT MET'}")
        report["goals"] = {"within 3x floor": goal_floor}
        if args.pandas:
            basis = "best of clean runs" if "pandas / full (best of clean runs)" in ratios else "best"
            goal_pandas = ratios[f"pandas / full ({basis})"] >= 10
            print(f"goal: at least 10x faster than pandas ({basis}): {'MET' if goal_pandas else 'NOT MET'}")
            report["goals"]["10x faster than pandas"] = goal_pandas

        if args.postgres:
            created = ensure_database(args.postgres)
            print(f"\nPostgreSQL: {args.postgres}{' (database created)' if created else ''}, schema {PG_SCHEMA}")
            pg_load = run_step(args, "pg-load")
            pg_runs: dict[str, list[dict[str, Any]]] = {"pg-floor": [], "pg-full": []}
            for i in range(args.repeat):
                for step in pg_runs:
                    save = tmp / "pg-full.parquet" if step == "pg-full" and i == args.repeat - 1 else None
                    result = run_step(args, step, save=save)
                    pg_runs[step].append(result)
                    print(
                        f"  run {i + 1} {step:<8} {result['seconds']:8.2f} s  load {result['load_before']:.2f}",
                        flush=True,
                    )
            pg_results = {"pg-load (once)": summarise([pg_load])} | {s: summarise(r) for s, r in pg_runs.items()}
            report["postgres"] = pg_results
            print_table("PostgreSQL (seconds, wall clock)", pg_results)
            print("server: " + ", ".join(f"{k} {v}" for k, v in pg_load["detail"].items() if "rows" not in k))
            print(f"timed sessions: {', '.join(args.pg_set) if args.pg_set else 'the server settings above'}")
            report["pg_session_settings"] = args.pg_set or []
            pg_ratio = pg_results["pg-full"]["best"] / pg_results["pg-floor"]["best"]
            report["ratios"]["pg-full / pg-floor (best)"] = pg_ratio
            report["ratios"]["pg-full / duckdb full (best)"] = pg_results["pg-full"]["best"] / full["best"]
            print(
                f"ratios: pg-full / pg-floor (best) {pg_ratio:.2f}, pg-full / DuckDB full (best) "
                f"{report['ratios']['pg-full / duckdb full (best)']:.2f}"
            )
            check = compare(
                pd.read_parquet(tmp / "full.parquet"),
                pd.read_parquet(tmp / "pg-full.parquet"),
                labels=("DuckDB", "PostgreSQL"),
            )
            comparisons["PostgreSQL vs DuckDB (core)"] = check

        report["comparisons"] = {}
        for title, check in comparisons.items():
            print(f"\ncross-check, {title}: {check.total:,} mismatches")
            print(check.describe())
            report["comparisons"][title] = {
                "mismatches": check.total,
                "by_column": {k: v for k, v in check.mismatches.items() if v},
                "people": [check.core_rows, check.pandas_rows],
            }
    report["driver_peak_rss_mb"] = peak_rss_mb()
    return report


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench_scoring.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("data", type=Path, metavar="DATA_DIR", help="a Parquet delivery written by the generator")
    parser.add_argument(
        "--as-of", type=date.fromisoformat, required=True, metavar="YYYY-MM-DD", help="the date scores are as of"
    )
    parser.add_argument("--repeat", type=int, default=3, metavar="N", help="runs of each measure (default 3)")
    parser.add_argument("--pandas", action="store_true", help="also time the pandas implementation and cross-check it")
    parser.add_argument(
        "--pandas-people",
        type=int,
        metavar="N",
        help="run pandas (and a core run to compare with) on true people 1..N only; its time is extrapolated",
    )
    parser.add_argument("--postgres", metavar="URL", help="also load the data into PostgreSQL and time it there")
    parser.add_argument(
        "--pg-set",
        action="append",
        metavar="NAME=VALUE",
        help="a PostgreSQL setting for the timed sessions, e.g. jit=off (repeatable; default: the server's)",
    )
    parser.add_argument("--threads", type=int, metavar="N", help="DuckDB threads (default: DuckDB's, all CPUs)")
    parser.add_argument(
        "--in-process", action="store_true", help="run every measurement in this process (peak memory is then shared)"
    )
    parser.add_argument("--json-out", type=Path, metavar="FILE", help="also write the results as JSON")
    internal = parser.add_argument_group("one measurement (what the benchmark runs in each child process)")
    internal.add_argument("--step", choices=STEPS, help="run only this measurement, in this process")
    internal.add_argument("--save", type=Path, metavar="FILE", help="with --step: write the scores here (Parquet)")
    internal.add_argument("--people-limit", type=int, metavar="N", help="with --step: true people 1..N only")
    args = parser.parse_args(argv)
    if not (args.data / "ground_truth.csv").exists() or not (args.data / "offences.parquet").exists():
        parser.error(f"{args.data} has no ground_truth.csv and offences.parquet: generate it with --format parquet")
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")
    if args.pandas_people is not None:
        args.pandas = True
    for setting in args.pg_set or []:
        if not re.fullmatch(r"[a-z_]+=[A-Za-z0-9_.]+", setting):
            parser.error(f"--pg-set wants NAME=VALUE (letters, digits, _ and .), not {setting!r}")
    if args.step and args.step.startswith("pg-") and not args.postgres:
        parser.error(f"--step {args.step} needs --postgres URL")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.step:
        result = run_step_here(args, args.step)
        text = json.dumps(result, default=str)
        if args.json_out:
            args.json_out.write_text(text)
        else:
            print(text)
        return 0
    report = drive(args)
    if args.json_out:
        args.json_out.write_text(json.dumps(report, indent=2, default=str))
    print(f"\ndriver peak RSS {report['driver_peak_rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
