"""`openiom generate`: write a synthetic partnership delivery (no Django, no database).

    openiom generate --people 3000 --years 10 --seed 1 --out /tmp/borough
    python -m openiom.synthetic.cli --people 100000 --years 10 --seed 1 --out /tmp/big --format parquet

Writes people, offences, custody and flags files in the OpenIOM data standard
(docs/data-standard.md) and ground_truth.csv (which records are the same person). The same
arguments always give byte-identical files: nothing depends on the clock or on today's date.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from .generate import DEFAULT_END_DATE, MAX_PEOPLE, Settings, generate

MAX_YEARS = 30
MAX_WORKERS = 16
EARLIEST_END = date(1990, 1, 1)
LATEST_END = date(2100, 12, 31)


def _people(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= n <= MAX_PEOPLE:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_PEOPLE:,}, not {n:,}")
    return n


def _years(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= n <= MAX_YEARS:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_YEARS}, not {n}")
    return n


def _seed(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {n}")
    return n


def _workers(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= n <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_WORKERS}, not {n}")
    return n


def _end_date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a real date in the form YYYY-MM-DD: {text!r}") from None
    if len(text) != 10 or not EARLIEST_END <= day <= LATEST_END:
        raise argparse.ArgumentTypeError(f"must be a YYYY-MM-DD date from {EARLIEST_END} to {LATEST_END}")
    return day


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="openiom generate",
        description="Write a synthetic partnership delivery (people, offences, custody, flags) and its ground truth.",
        epilog="All data is synthetic. See docs/synthetic-data.md for the model.",
    )
    p.add_argument("--people", type=_people, required=True, help="true people to generate (each is known to police)")
    p.add_argument("--years", type=_years, required=True, help=f"years of offending history, 1 to {MAX_YEARS}")
    p.add_argument("--seed", type=_seed, required=True, help="random seed (0 or more); same seed, same files")
    p.add_argument("--out", type=Path, required=True, help="folder to write into (created if needed)")
    p.add_argument("--format", choices=("csv", "parquet"), default="csv", help="file format (default csv)")
    p.add_argument(
        "--end-date",
        type=_end_date,
        default=DEFAULT_END_DATE,
        help=f"the extract date: nothing happens after it (default {DEFAULT_END_DATE.isoformat()}, fixed)",
    )
    p.add_argument(
        "--workers",
        type=_workers,
        default=1,
        help="processes simulating careers (default 1; the output is the same for any number)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress and no summary")
    return p


def main(argv: list[str] | None = None) -> int:
    p = parser()
    try:
        args = p.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on a bad argument (0 for --help)
        return int(exc.code or 0)
    if args.out.exists() and not args.out.is_dir():
        p.print_usage(sys.stderr)
        print(f"openiom generate: error: --out {args.out} exists and is not a folder", file=sys.stderr)
        return 2
    settings = Settings(args.people, args.years, args.seed, args.out, args.format, args.end_date)

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    try:
        summary = generate(settings, None if args.quiet else progress, workers=args.workers)
    except OSError as exc:
        print(f"openiom generate: cannot write to {args.out}: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        files = ", ".join(f"{name} {rows:,} rows" for name, rows in summary.files.items())
        print(
            f"Wrote {summary.people:,} people to {args.out} in {summary.seconds:.1f} s: {files}.",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
