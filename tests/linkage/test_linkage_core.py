"""splink on a seeded toy population with known truth (no database)."""

from __future__ import annotations

import random

import polars as pl
import pytest

from openiom.linkage import LinkSettings, cluster, pairwise_quality, predict_links

GIVEN = [
    "James",
    "John",
    "Robert",
    "Michael",
    "William",
    "David",
    "Joseph",
    "Thomas",
    "Mohammed",
    "Ali",
    "Kwame",
    "Tunde",
    "Priya",
    "Sarah",
    "Emma",
    "Olivia",
    "Aisha",
    "Grace",
    "Daniel",
    "Liam",
    "Noah",
    "Jack",
    "Harry",
]
FAMILY = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Khan",
    "Okafor",
    "Mensah",
    "Evans",
    "Thomas",
    "Roberts",
    "Walker",
    "Wright",
    "Robinson",
    "White",
    "Hughes",
    "Ahmed",
    "Begum",
]


def population(people: int, seed: int) -> tuple[pl.DataFrame, dict[int, int]]:
    rng = random.Random(seed)
    rows, truth, rid = [], {}, 0
    for pid in range(people):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        dob = f"{rng.randint(1960, 2008)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        pnc = f"20{rng.randint(10, 25)}/{rng.randint(0, 9999999):07d}{rng.choice('ABCDEFGH')}"
        postcode = f"RV{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABCDEFGH')}{rng.choice('ABCDEFGH')}"
        for k in range(rng.choice([1, 1, 2, 2, 3])):
            g, f, d, p = given, family, dob, pnc
            if k > 0:
                r = rng.random()
                if r < 0.1:
                    g = g[:-1]  # a typo
                elif r < 0.15 and int(dob[8:10]) <= 12:
                    d = dob[:5] + dob[8:10] + "-" + dob[5:7]  # day and month swapped
                elif r < 0.2:
                    f = rng.choice(FAMILY)  # changed family name
                if rng.random() < 0.4:
                    p = None  # PNC id missing
            rid += 1
            rows.append(
                {
                    "record_id": rid,
                    "given_name": g,
                    "family_name": f,
                    "date_of_birth": d,
                    "gender": "M",
                    "pnc_id": p,
                    "postcode": postcode,
                }
            )
            truth[rid] = pid
    return pl.DataFrame(rows), truth


@pytest.fixture(scope="module")
def scored() -> tuple[pl.DataFrame, pl.DataFrame, dict[int, int]]:
    records, truth = population(1500, seed=7)
    return records, predict_links(records, LinkSettings()), truth


def test_links_are_precise_and_complete_on_a_known_population(scored) -> None:
    records, pairs, truth = scored
    sure = pairs.filter(pl.col("match_probability") >= 0.99)
    quality = pairwise_quality(
        cluster(zip(sure["record_id_l"], sure["record_id_r"], strict=True), records["record_id"]), truth
    )
    assert quality.true_pairs > 500
    assert quality.precision >= 0.99
    assert quality.recall >= 0.95


def test_pairs_are_ordered_and_above_the_review_threshold(scored) -> None:
    _records, pairs, _truth = scored
    assert (pairs["record_id_l"] < pairs["record_id_r"]).all()
    assert pairs["match_probability"].min() >= 0.5


def test_day_month_swap_is_still_linked() -> None:
    records, _ = population(300, seed=11)
    first = records.filter(pl.col("date_of_birth").str.slice(8, 2).cast(pl.Int32) <= 12).row(0, named=True)
    swapped = records.filter(pl.col("record_id") == first["record_id"]).with_columns(
        pl.lit(10_000, dtype=pl.Int64).alias("record_id"),
        pl.lit(None, dtype=pl.Utf8).alias("pnc_id"),
        (
            pl.col("date_of_birth").str.slice(0, 5)
            + pl.col("date_of_birth").str.slice(8, 2)
            + pl.lit("-")
            + pl.col("date_of_birth").str.slice(5, 2)
        ).alias("date_of_birth"),
    )
    pairs = predict_links(pl.concat([records, swapped]))
    match = pairs.filter((pl.col("record_id_r") == 10_000) & (pl.col("record_id_l") == first["record_id"]))
    assert match.height == 1
    assert match["match_probability"][0] > 0.9


def test_cluster_and_quality_by_hand() -> None:
    groups = cluster([(1, 2), (2, 3), (5, 6)], [1, 2, 3, 4, 5, 6])
    assert groups == {1: 1, 2: 1, 3: 1, 4: 4, 5: 5, 6: 5}
    q = pairwise_quality(groups, {1: "a", 2: "a", 3: "b", 4: "b", 5: "c", 6: "c"})
    # predicted pairs: (1,2) (1,3) (2,3) (5,6); true pairs: (1,2) (3,4) (5,6)
    assert (q.predicted_pairs, q.true_pairs, q.correct_pairs) == (4, 3, 2)
    assert q.precision == 0.5
    assert q.recall == pytest.approx(2 / 3)
