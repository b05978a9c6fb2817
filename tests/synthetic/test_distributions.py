"""The generated borough looks like real IOM data: checks with tolerances on 3,000 people.

The figures are computed here from the files with polars, not with the generator's own
measuring code, so a change to the model that breaks a published pattern fails a test.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest

from openiom.reference import offence_categories
from openiom.synthetic.measure import profile
from openiom.synthetic.names import VARIANTS

from .conftest import END, YEARS

SANCTIONS = ["conviction", "caution"]


@pytest.fixture(scope="module")
def offences(borough_dir: Path) -> pl.DataFrame:
    """Police offences with the offender's true id, gender and age at the offence."""
    people = pl.read_csv(borough_dir / "people.csv", infer_schema=False).filter(pl.col("source") == "police")
    truth = pl.read_csv(borough_dir / "ground_truth.csv", infer_schema=False)
    people = people.join(truth, on=["source", "person_id"])
    frame = pl.read_csv(borough_dir / "offences.csv", infer_schema=False).join(
        people.select("person_id", "true_person_id", "gender", "date_of_birth"), on="person_id"
    )
    frame = frame.with_columns([pl.col(c).str.to_date() for c in ("offence_date", "outcome_date", "date_of_birth")])
    d, b = pl.col("offence_date"), pl.col("date_of_birth")
    before = (d.dt.month() < b.dt.month()) | ((d.dt.month() == b.dt.month()) & (d.dt.day() < b.dt.day()))
    return frame.with_columns((d.dt.year() - b.dt.year() - before.cast(pl.Int32)).alias("age"))


@pytest.fixture(scope="module")
def people(borough_dir: Path) -> pl.DataFrame:
    truth = pl.read_csv(borough_dir / "ground_truth.csv", infer_schema=False)
    return pl.read_csv(borough_dir / "people.csv", infer_schema=False).join(truth, on=["source", "person_id"])


@pytest.fixture(scope="module")
def flags(borough_dir: Path) -> pl.DataFrame:
    return pl.read_csv(borough_dir / "flags.csv", infer_schema=False)


def share(part: object, whole: int) -> float:
    assert isinstance(part, int)
    return part / whole if whole else 0.0


def number(value: object) -> float:
    assert isinstance(value, int | float)
    return value


def test_offenders_are_mostly_male(people: pl.DataFrame) -> None:
    police = people.filter((pl.col("source") == "police") & pl.col("gender").is_in(["M", "F"]))
    assert 0.75 <= share(police.filter(pl.col("gender") == "M").height, police.height) <= 0.90
    assert people.filter(pl.col("gender") == "X").height < 0.01 * people.height


def test_offending_peaks_between_18_and_30_and_declines_with_age(offences: pl.DataFrame) -> None:
    assert number(offences["age"].min()) >= 10
    bands = {
        "10-17": offences.filter(pl.col("age") < 18).height,
        "18-30": offences.filter(pl.col("age").is_between(18, 30)).height,
        "31-43": offences.filter(pl.col("age").is_between(31, 43)).height,
        "44+": offences.filter(pl.col("age") >= 44).height,
    }
    assert max(bands, key=lambda b: bands[b]) == "18-30", bands
    by_age = offences.group_by("age").len().sort("age")
    counts = dict(zip(by_age["age"], by_age["len"], strict=True))
    three_year = {a: counts.get(a - 1, 0) + counts.get(a, 0) + counts.get(a + 1, 0) for a in counts}
    peak = max(three_year, key=lambda a: three_year[a])
    assert 18 <= peak <= 30, f"peak age {peak}"
    assert bands["44+"] < bands["31-43"] < bands["18-30"]


def test_a_few_people_commit_most_offences(offences: pl.DataFrame) -> None:
    counts = offences.group_by("true_person_id").len().sort("len", descending=True)
    top = counts.height // 10
    assert share(counts["len"].head(top).sum(), offences.height) >= 0.40
    assert share(counts.filter(pl.col("len") == 1).height, counts.height) >= 0.25, "many offend once"


def test_violence_and_theft_are_over_half_of_offences(offences: pl.DataFrame) -> None:
    cats = offence_categories().values()
    theft = ("Vehicle offences", "Theft from the person", "Shoplifting", "Bicycle theft", "All other theft offences")
    codes = [c.code for c in cats if c.ogrs3_category == "Violence" or c.home_office_group in theft]
    assert share(offences.filter(pl.col("offence_code").is_in(codes)).height, offences.height) > 0.50


def test_proven_reoffending_within_a_year_is_near_the_national_rate(offences: pl.DataFrame) -> None:
    middle = END - timedelta(days=round(YEARS * 365.25 / 2))
    start, stop = middle - timedelta(days=182), middle + timedelta(days=183)
    sanctions = offences.filter(pl.col("outcome").is_in(SANCTIONS))
    index = (
        sanctions.filter(pl.col("outcome_date").is_between(start, stop, closed="left"))
        .group_by("true_person_id")
        .agg(pl.col("outcome_date").min().alias("index_date"))
    )
    reoffended = (
        sanctions.join(index, on="true_person_id")
        .filter(
            (pl.col("offence_date") > pl.col("index_date"))
            & (pl.col("offence_date") <= pl.col("index_date") + pl.duration(days=365))
            & (pl.col("outcome_date") <= pl.col("index_date") + pl.duration(days=548))
        )
        .group_by("true_person_id")
        .len()
    )
    assert index.height > 200
    rate = share(reoffended.height, index.height)
    assert 0.20 <= rate <= 0.45, rate
    per_reoffender = share(reoffended["len"].sum(), reoffended.height)
    assert 2.0 <= per_reoffender <= 4.5, per_reoffender


def test_outcomes_cautions_and_disposals(offences: pl.DataFrame) -> None:
    sanctions = offences.filter(pl.col("outcome").is_in(SANCTIONS))
    youth, adult = sanctions.filter(pl.col("age") < 18), sanctions.filter(pl.col("age") >= 18)
    youth_cautions = share(youth.filter(pl.col("outcome") == "caution").height, youth.height)
    adult_cautions = share(adult.filter(pl.col("outcome") == "caution").height, adult.height)
    assert youth_cautions > adult_cautions
    assert set(youth["disposal"].unique()) >= {"youth_caution", "referral_order", "youth_rehabilitation_order"}
    # only where the police record's date of birth is itself a little wrong
    assert youth.filter(pl.col("disposal") == "caution").height <= 0.01 * youth.height
    assert adult.filter(pl.col("disposal") == "youth_caution").height <= 0.01 * adult.height
    probation = adult.filter(pl.col("disposal").is_in(["community_order", "suspended_sentence", "immediate_custody"]))
    counts = dict(probation.group_by("disposal").len().iter_rows())
    assert max(counts, key=lambda d: counts[d]) == "community_order"
    assert 0.45 <= share(counts["community_order"], probation.height) <= 0.75
    outcomes = dict(offences.group_by("outcome").len().iter_rows())
    assert 0.2 <= share(outcomes["no_further_action"], offences.height) <= 0.45
    assert outcomes["arrest"] > 0, "recent cases are still open"
    assert outcomes["charge"] > 0, "recent cases are still open"
    recent = offences.filter(pl.col("outcome").is_in(["arrest", "charge"]))
    oldest = recent["offence_date"].min()
    assert isinstance(oldest, date)
    assert oldest >= END - timedelta(days=3 * 365)


def test_flags_mark_small_plausible_fractions(people: pl.DataFrame, flags: pl.DataFrame) -> None:
    offenders = people.filter(pl.col("source") == "police").height
    probation = people.filter(pl.col("source") == "probation").height
    mappa = flags.filter(pl.col("flag").str.starts_with("mappa"))
    assert 0.003 <= share(mappa["person_id"].n_unique(), probation) <= 0.03
    levels = dict(mappa.group_by("flag").len().iter_rows())
    assert levels["mappa_1"] > levels.get("mappa_2", 0) + levels.get("mappa_3", 0), "mostly level 1"
    assert 0.005 <= share(flags.filter(pl.col("flag") == "ppo").height, offenders) <= 0.03
    assert 0.03 <= share(flags.filter(pl.col("flag") == "dip")["person_id"].n_unique(), offenders) <= 0.12
    rosh = flags.filter(pl.col("flag") == "rosh")
    assert rosh["person_id"].n_unique() == probation, "every probation case has a RoSH level"
    levels = dict(rosh.group_by("value").len().iter_rows())
    assert levels["medium"] > levels["high"] > levels["very_high"]


def test_ppo_are_the_most_prolific(offences: pl.DataFrame, people: pl.DataFrame, flags: pl.DataFrame) -> None:
    counts = offences.group_by("true_person_id").len().sort("len", descending=True).with_row_index("rank")
    police = people.filter(pl.col("source") == "police").select("person_id", "true_person_id")
    ppo = flags.filter(pl.col("flag") == "ppo").join(police, on="person_id").join(counts, on="true_person_id")
    assert ppo.height >= 10
    in_top_tenth = ppo.filter(pl.col("rank") < counts.height // 10).height
    assert share(in_top_tenth, ppo.height) >= 0.9
    assert number(ppo["rank"].median()) < 0.05 * counts.height
    male = people.filter(pl.col("true_person_id").is_in(ppo["true_person_id"].implode()) & (pl.col("gender") == "M"))
    assert male["true_person_id"].n_unique() >= 0.85 * ppo.height


def test_records_of_one_person_across_agencies(people: pl.DataFrame) -> None:
    per_person = people.group_by("true_person_id").agg(pl.col("source").n_unique().alias("sources"))
    assert share(per_person.filter(pl.col("sources") >= 2).height, per_person.height) >= 0.3
    assert per_person["sources"].max() == 5
    police = people.filter(pl.col("source") == "police").select(
        "true_person_id", *[pl.col(c).alias(f"{c}_p") for c in ("given_name", "family_name", "date_of_birth")]
    )
    others = people.filter(pl.col("source") != "police").join(police, on="true_person_id")
    differs = others.filter(
        (pl.col("given_name") != pl.col("given_name_p"))
        | (pl.col("family_name") != pl.col("family_name_p"))
        | (pl.col("date_of_birth") != pl.col("date_of_birth_p"))
    )
    assert 0.04 <= share(differs.height, others.height) <= 0.25, "most records are clean, some vary"
    rows = differs.iter_rows(named=True)
    kinds = {"nickname": 0, "swap": 0, "family": 0}
    for r in rows:
        if r["given_name"] in VARIANTS.get(r["given_name_p"], ()):
            kinds["nickname"] += 1
        a, b = r["date_of_birth"], r["date_of_birth_p"]
        if a != b and a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7]:
            kinds["swap"] += 1
        if r["family_name"] != r["family_name_p"]:
            kinds["family"] += 1
    assert all(n > 0 for n in kinds.values()), kinds
    pnc_missing = others.filter(pl.col("pnc_id").is_null()).height
    assert 0.02 <= share(pnc_missing, others.height) <= 0.3


def test_the_measuring_script_agrees(borough_dir: Path) -> None:
    figures = profile(borough_dir, date(2021, 5, 1))
    assert figures["offenders"] == 3000
    assert 0.75 <= figures["male_share"] <= 0.9
    assert 0.2 <= figures["reoffending"]["rate"] <= 0.45
    assert figures["people_in_2plus_sources"] >= 0.3
