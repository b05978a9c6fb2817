"""Record linkage: which agencies' records are the same person (splink on DuckDB; no Django).

Public API:

- `predict_links(records, settings)` scores candidate pairs of records with a
  Fellegi-Sunter model trained without labels (splink), returning
  `record_id_l, record_id_r, match_probability`.
- `cluster(pairs, record_ids, threshold)` groups records joined by pairs at or above
  the threshold (connected components).
- `pairwise_quality(clusters, truth)` measures precision and recall against a known truth.

`records` has one row per record: `record_id` (int), `given_name`, `family_name`,
`date_of_birth` (ISO text), `gender`, and optional `pnc_id`, `postcode`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from itertools import combinations
from typing import Any

import polars as pl

__all__ = ["LinkSettings", "cluster", "pairwise_quality", "predict_links"]


@dataclass(frozen=True)
class LinkSettings:
    """Thresholds on the match probability. Stored with every linkage run."""

    auto_merge: float = 0.99  # at or above: the same person, merged automatically
    review_from: float = 0.50  # from here to auto_merge: a co-ordinator decides
    seed: int = 1

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


COLUMNS = ("record_id", "given_name", "family_name", "date_of_birth", "gender", "pnc_id", "postcode")


def _prepare(records: pl.DataFrame) -> pl.DataFrame:
    df = records.select([c for c in COLUMNS if c in records.columns])
    for column in COLUMNS:
        if column not in df.columns:
            df = df.with_columns(pl.lit(None, dtype=pl.Utf8).alias(column))
    text = [c for c in COLUMNS if c not in ("record_id", "date_of_birth")]
    df = df.with_columns(
        [pl.col(c).cast(pl.Utf8).str.strip_chars().str.to_lowercase().replace("", None).alias(c) for c in text]
    ).with_columns(pl.col("date_of_birth").cast(pl.Utf8))
    # Day and month swapped, a common keying error; and the year, for blocking.
    return df.with_columns(
        (
            pl.col("date_of_birth").str.slice(0, 5)
            + pl.col("date_of_birth").str.slice(8, 2)
            + pl.lit("-")
            + pl.col("date_of_birth").str.slice(5, 2)
        ).alias("dob_swapped"),
        pl.col("date_of_birth").str.slice(0, 4).alias("birth_year"),
        pl.col("family_name").str.slice(0, 3).alias("family_prefix"),
    )


def predict_links(records: pl.DataFrame, settings: LinkSettings | None = None) -> pl.DataFrame:
    """Scored pairs with a match probability of at least `settings.review_from`."""
    settings = settings or LinkSettings()
    empty = pl.DataFrame(schema={"record_id_l": pl.Int64, "record_id_r": pl.Int64, "match_probability": pl.Float64})
    if records.height < 2:
        return empty
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    df = _prepare(records)
    dob = cl.CustomComparison(
        comparison_levels=[
            cll.NullLevel("date_of_birth"),
            cll.ExactMatchLevel("date_of_birth"),
            cll.CustomLevel(
                '"date_of_birth_l" = "dob_swapped_r" AND "date_of_birth_l" <> "date_of_birth_r"',
                label_for_charts="Day and month swapped",
            ),
            cll.LevenshteinLevel("date_of_birth", 1),
            cll.ElseLevel(),
        ],
        output_column_name="date_of_birth",
    )
    creator = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=[
            cl.ForenameSurnameComparison("given_name", "family_name"),
            dob,
            cl.ExactMatch("pnc_id"),
            cl.ExactMatch("gender"),
            cl.ExactMatch("postcode"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("pnc_id"),
            block_on("date_of_birth"),
            block_on("dob_swapped"),
            block_on("family_name", "birth_year"),
            block_on("given_name", "birth_year"),
            block_on("family_prefix", "given_name"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
        additional_columns_to_retain=["dob_swapped"],
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(df.to_arrow(), dataset_display_name="records"), creator, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("pnc_id"), block_on("given_name", "family_name", "date_of_birth")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=min(2e6, records.height * 200.0), seed=settings.seed)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("pnc_id"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("family_name", "birth_year"))
    predictions = linker.inference.predict(threshold_match_probability=settings.review_from)
    out = pl.from_arrow(predictions.as_duckdbpyrelation().select("record_id_l, record_id_r, match_probability").arrow())
    if not isinstance(out, pl.DataFrame):
        raise TypeError("splink returned no table")
    return (
        out.with_columns(
            pl.min_horizontal("record_id_l", "record_id_r").cast(pl.Int64).alias("a"),
            pl.max_horizontal("record_id_l", "record_id_r").cast(pl.Int64).alias("b"),
        )
        .select(pl.col("a").alias("record_id_l"), pl.col("b").alias("record_id_r"), "match_probability")
        .sort(["record_id_l", "record_id_r"])
    )


def cluster(pairs: Iterable[tuple[int, int]], record_ids: Iterable[int]) -> dict[int, int]:
    """Connected components: each record id mapped to the smallest record id of its cluster."""
    parent: dict[int, int] = {r: r for r in record_ids}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {r: find(r) for r in parent}


@dataclass(frozen=True)
class Quality:
    precision: float
    recall: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int


def _pairs_of(groups: Mapping[Any, list[Any]]) -> set[tuple[Any, Any]]:
    out: set[tuple[Any, Any]] = set()
    for members in groups.values():
        out.update(combinations(sorted(members), 2))
    return out


def pairwise_quality(clusters: Mapping[Any, Any], truth: Mapping[Any, Any]) -> Quality:
    """Pairwise precision and recall of a clustering against the true person of each record."""
    predicted: dict[Any, list[Any]] = {}
    actual: dict[Any, list[Any]] = {}
    for record, group in clusters.items():
        predicted.setdefault(group, []).append(record)
    for record, person in truth.items():
        actual.setdefault(person, []).append(record)
    p, t = _pairs_of(predicted), _pairs_of(actual)
    correct = len(p & t)
    return Quality(
        precision=correct / len(p) if p else 1.0,
        recall=correct / len(t) if t else 1.0,
        true_pairs=len(t),
        predicted_pairs=len(p),
        correct_pairs=correct,
    )
