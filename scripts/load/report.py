"""The load test's results per page, against the trivial page served in the same run.

    .venv/bin/python scripts/load/report.py RUN/locust_requests.csv [--factor 5] [--warm-up 60]

Reads every request's exact time (written by the locustfile), prints a Markdown table per page
(requests, errors, p50/p95/p99 in ms, p95 as a multiple of the trivial page's p95) with PASS or
FAIL against the goal: no errors, and a p95 at most `factor` times the trivial page's. Percentiles
are nearest-rank over the page's requests after the warm-up (the first `--warm-up` seconds, while
users sign in and each server process loads the code of each page for the first time), failed
ones included; errors are counted over the whole run, warm-up included. The slowest requests of
the warm-up are listed below the table. Exit status: 0 when every page meets the goal, 1 when any
request failed, 2 when there were no errors but a page was slower.

Signing in with a password is shown but not judged: its time is the password hash's work factor
(Django's PBKDF2, 1,000,000 iterations), which is there to make guessing slow and must stay.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from collections import defaultdict
from pathlib import Path

TRIVIAL_PREFIX = "trivial:"
REFERENCE = ("health (no session)",)  # shown for reference, not judged
BY_DESIGN = ("sign in: password",)  # the password hash's deliberate cost: shown, not judged
BACKGROUND = "JOB"  # a background job's time from start to finish: shown, not a page


def percentile(sorted_values: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least `share` of the values at or below it."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(share * len(sorted_values)))
    return sorted_values[rank - 1]


def summarise(path: Path, factor: float, warm_up: float = 0.0) -> tuple[list[str], int]:
    times: dict[tuple[str, str], list[float]] = defaultdict(list)
    errors: dict[tuple[str, str], int] = defaultdict(int)
    warming: list[tuple[float, str]] = []
    warm: dict[tuple[str, str], list[float]] = defaultdict(list)
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    start = min((float(r["at"]) for r in rows), default=0.0)
    for row in rows:
        key = (row["type"], row["name"])
        errors[key] += row["ok"] != "1"
        # A background job is timed when it finishes: keep it whenever that is.
        if float(row["at"]) - start < warm_up and row["type"] != BACKGROUND:
            warming.append((float(row["ms"]), row["name"]))
            warm[key].append(float(row["ms"]))
            times.setdefault(key, [])
            continue
        times[key].append(float(row["ms"]))
    trivial = [k for k in times if k[1].startswith(TRIVIAL_PREFIX)]
    if not trivial:
        return ["No requests to the trivial page: nothing to compare with."], 1
    base = percentile(sorted(times[trivial[0]]), 0.95)
    if math.isnan(base):
        return ["No requests to the trivial page after the warm-up: nothing to compare with."], 1
    lines = [
        "| page | requests | errors | p50 (ms) | p95 (ms) | p99 (ms) | p95 ÷ trivial p95 "
        f"| goal (0 errors, ≤ {factor:g}×) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    failed_requests = sum(errors.values())
    slow = 0

    def order(key: tuple[str, str]) -> tuple[int, str]:
        kind, name = key
        if name.startswith(TRIVIAL_PREFIX):
            return 0, name
        if name in REFERENCE + BY_DESIGN:
            return 1, name
        return (3 if kind == BACKGROUND else 2), name

    for key in sorted(times, key=order):
        kind, name = key
        values = sorted(times[key])
        if not values:  # signing in happens once per user, during the warm-up: shown, not judged
            values = sorted(warm[key])
            p50, p95, p99 = (percentile(values, s) for s in (0.50, 0.95, 0.99))
            lines.append(
                f"| {name} | {len(values):,} | {errors[key]:,} | {p50:,.0f} | {p95:,.0f} | {p99:,.0f} | "
                f"{p95 / base:,.1f}× | during the warm-up only: not judged{' (errors!)' if errors[key] else ''} |"
            )
            continue
        p50, p95, p99 = (percentile(values, s) for s in (0.50, 0.95, 0.99))
        ratio = p95 / base if base else math.inf
        if name.startswith(TRIVIAL_PREFIX):
            verdict = "the yardstick" + (" (errors!)" if errors[key] else "")
        elif name in REFERENCE:
            verdict = "reference" + (" (errors!)" if errors[key] else "")
        elif name in BY_DESIGN:
            verdict = "not judged: the password hash" + (" (errors!)" if errors[key] else "")
        elif kind == BACKGROUND:
            verdict = "background job, not judged" + (" (failed!)" if errors[key] else "")
        elif errors[key]:
            verdict = "**FAIL** (errors)"
        elif ratio > factor:
            verdict = "**FAIL** (slow)"
            slow += 1
        else:
            verdict = "PASS"
        shown = f"{kind} {name}" if kind not in ("GET", "POST", BACKGROUND) else name
        lines.append(
            f"| {shown} | {len(values):,} | {errors[key]:,} | {p50:,.0f} | {p95:,.0f} | {p99:,.0f} | "
            f"{ratio:,.1f}× | {verdict} |"
        )
    total = sum(len(v) for v in times.values())
    lines.append("")
    lines.append(
        f"{total:,} requests after a warm-up of {warm_up:g} s ({len(warming):,} requests, not in the table); "
        f"{failed_requests:,} errors in the whole run; trivial page p95 = {base:,.0f} ms."
    )
    if warming:
        slowest = ", ".join(f"{name} {ms / 1000:,.1f} s" for ms, name in sorted(warming, reverse=True)[:5])
        lines.append(f"Slowest requests of the warm-up (first use of each page in a server process): {slowest}.")
    if failed_requests:
        lines.append(f"GOAL NOT MET: {failed_requests:,} requests failed.")
        return lines, 1
    if slow:
        lines.append(f"GOAL NOT MET: {slow} page(s) have a p95 above {factor:g}× the trivial page's.")
        return lines, 2
    lines.append(f"GOAL MET: no errors, and every page's p95 is within {factor:g}× the trivial page's.")
    return lines, 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("requests_csv", type=Path)
    parser.add_argument("--factor", type=float, default=5.0)
    parser.add_argument("--warm-up", type=float, default=0.0, help="seconds from the start left out of the percentiles")
    args = parser.parse_args(argv)
    lines, status = summarise(args.requests_csv, args.factor, args.warm_up)
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
