"""Record-linkage quality and time on a generated data set, against its ground truth.

    .venv/bin/openiom generate --people 5000 --years 10 --seed 1 --out /tmp/borough
    .venv/bin/python scripts/bench_linkage.py /tmp/borough

Reads people.csv (or .parquet) and ground_truth.csv from the folder, links every record with
the same settings as the application (openiom.linkage), merges pairs at or above the
auto-merge threshold and reports pairwise precision and recall, plus how many pairs would go
to the review queue. No database is needed.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import polars as pl

from openiom.linkage import LinkSettings, cluster, pairwise_quality, predict_links


def load(folder: Path) -> tuple[pl.DataFrame, dict[int, str]]:
    people_file = folder / "people.csv" if (folder / "people.csv").exists() else folder / "people.parquet"
    people = (
        pl.read_csv(people_file, infer_schema=False) if people_file.suffix == ".csv" else pl.read_parquet(people_file)
    )
    truth = pl.read_csv(folder / "ground_truth.csv", infer_schema=False)
    people = people.with_row_index("record_id", offset=1).with_columns(pl.col("record_id").cast(pl.Int64))
    joined = people.join(truth, on=["source", "person_id"], how="left")
    missing = joined.filter(pl.col("true_person_id").is_null()).height
    if missing:
        sys.exit(f"{missing} people rows have no ground truth")
    records = joined.select(
        "record_id", "given_name", "family_name", pl.col("date_of_birth").cast(pl.Utf8), "gender", "pnc_id", "postcode"
    )
    return records, dict(zip(joined["record_id"].to_list(), joined["true_person_id"].to_list(), strict=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    records, truth = load(args.folder)
    settings = LinkSettings()
    started = time.perf_counter()
    pairs = predict_links(records, settings)
    elapsed = time.perf_counter() - started
    sure = pairs.filter(pl.col("match_probability") >= settings.auto_merge)
    groups = cluster(zip(sure["record_id_l"], sure["record_id_r"], strict=True), records["record_id"])
    quality = pairwise_quality(groups, truth)
    review = pairs.filter(pl.col("match_probability") < settings.auto_merge).height
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"records: {records.height:,}  true people: {len(set(truth.values())):,}")
    print(f"pairs scored >= {settings.review_from}: {pairs.height:,}  for review: {review:,}")
    print(
        f"auto-merge >= {settings.auto_merge}: precision {quality.precision:.4f}  recall {quality.recall:.4f}  "
        f"(true pairs {quality.true_pairs:,}, predicted {quality.predicted_pairs:,}, correct {quality.correct_pairs:,})"
    )
    print(f"linkage time: {elapsed:.1f} s  peak memory: {peak_mb:,.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
