"""Measure a generated delivery against the published figures it imitates.

    python -m openiom.synthetic.measure /tmp/borough

Reads the folder (CSV or Parquet) with polars and prints the figures that
docs/synthetic-data.md compares with published statistics. Works on any delivery in the data
standard; the record-linkage figures need the generator's ground_truth.csv.
"""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from openiom.reference import offence_categories

PROBATION = ("community_order", "suspended_sentence", "immediate_custody")
AGE_BANDS = ((10, 17), (18, 20), (21, 24), (25, 29), (30, 39), (40, 49), (50, 120))


def violence_and_theft() -> tuple[frozenset[str], frozenset[str]]:
    """Violence against the person and theft, as the Home Office groups them."""
    cats = offence_categories().values()
    violence = frozenset(c.code for c in cats if c.ogrs3_category == "Violence")
    theft_groups = (
        "Vehicle offences",
        "Theft from the person",
        "Shoplifting",
        "Bicycle theft",
        "All other theft offences",
    )
    theft = frozenset(c.code for c in cats if c.home_office_group in theft_groups)
    return violence, theft


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _date(value: object) -> date:
    if not isinstance(value, date):
        raise ValueError("the delivery has no offences")
    return value


def read(folder: Path, name: str) -> pl.DataFrame:
    csv, parquet = folder / f"{name}.csv", folder / f"{name}.parquet"
    if csv.exists():
        df = pl.read_csv(csv, infer_schema=False)
    elif parquet.exists():
        df = pl.read_parquet(parquet)
        df = df.with_columns([pl.col(c).cast(pl.Utf8) for c in df.columns])
    else:
        return pl.DataFrame()
    dates = [c for c in df.columns if c.endswith("_date") or c == "date_of_birth"]
    casts = [pl.col(c).str.to_date() for c in dates]
    if "sentence_days" in df.columns:
        casts.append(pl.col("sentence_days").cast(pl.Int64))
    return df.with_columns(casts)


def _age(dob: str, day: str) -> pl.Expr:
    d, b = pl.col(day), pl.col(dob)
    before = (d.dt.month() < b.dt.month()) | ((d.dt.month() == b.dt.month()) & (d.dt.day() < b.dt.day()))
    return d.dt.year() - b.dt.year() - before.cast(pl.Int32)


def police_offences(folder: Path) -> pl.DataFrame:
    """Police offences with the offender's gender, date of birth and age at the offence."""
    people = read(folder, "people").filter(pl.col("source") == "police")
    offences = read(folder, "offences").filter(pl.col("source") == "police")
    return offences.join(
        people.select("person_id", "gender", "date_of_birth"), on="person_id", how="inner"
    ).with_columns(_age("date_of_birth", "offence_date").alias("age"))


def reoffending(offences: pl.DataFrame, start: date, *, index_filter: pl.Expr | None = None) -> dict[str, Any]:
    """MoJ-style binary proven reoffending for people sanctioned in the 12 months from `start`.

    The index event is a person's first sanction in the period (the release date for immediate
    custody, when released within the period's follow-up); a proven reoffence is an offence in
    the following 12 months that ends in a sanction within a further 6 months.
    """
    stop = start + timedelta(days=365)
    sanctions = offences.filter(pl.col("outcome").is_in(["conviction", "caution"]))
    index = (
        sanctions.filter(pl.col("outcome_date").is_between(start, stop, closed="left"))
        .sort("outcome_date")
        .group_by("person_id", maintain_order=True)
        .first()
        .select("person_id", pl.col("outcome_date").alias("index_date"), pl.col("age").alias("index_age"))
    )
    if index_filter is not None:
        index = index.filter(index_filter)
    follow = sanctions.join(index, on="person_id").filter(
        (pl.col("offence_date") > pl.col("index_date"))
        & (pl.col("offence_date") <= pl.col("index_date") + pl.duration(days=365))
        & (pl.col("outcome_date") <= pl.col("index_date") + pl.duration(days=548))
    )
    per_person = follow.group_by("person_id").len()
    cohort = index.height
    reoffenders = per_person.height
    return {
        "cohort": cohort,
        "rate": reoffenders / cohort if cohort else 0.0,
        "per_reoffender": per_person["len"].sum() / reoffenders if reoffenders else 0.0,
        "adult_rate": _rate(index.filter(pl.col("index_age") >= 18), per_person),
        "juvenile_rate": _rate(index.filter(pl.col("index_age") < 18), per_person),
    }


def _rate(index: pl.DataFrame, per_person: pl.DataFrame) -> float:
    if index.height == 0:
        return 0.0
    return index.join(per_person, on="person_id").height / index.height


def profile(folder: Path, cohort_start: date | None = None) -> dict[str, Any]:
    people = read(folder, "people")
    offences = police_offences(folder)
    flags = read(folder, "flags")
    out: dict[str, Any] = {}
    police = people.filter(pl.col("source") == "police")
    known = police.filter(pl.col("gender").is_in(["M", "F"]))
    out["offenders"] = police.height
    out["male_share"] = known.filter(pl.col("gender") == "M").height / known.height
    out["offences"] = offences.height
    counts = offences.group_by("person_id").len().sort("len", descending=True)
    top = max(1, counts.height // 10)
    out["top10_share"] = counts["len"].head(top).sum() / offences.height
    out["one_offence_share"] = counts.filter(pl.col("len") == 1).height / counts.height
    bands = {f"{lo}-{hi}" if hi < 120 else f"{lo}+": offences.filter(pl.col("age").is_between(lo, hi)).height
             for lo, hi in AGE_BANDS}  # fmt: skip
    out["age_bands"] = {k: v / offences.height for k, v in bands.items()}
    by_age = offences.group_by("age").len().sort("len", descending=True)
    out["peak_age"] = int(by_age["age"][0])
    out["mean_age_at_offence"] = _number(offences["age"].mean())
    violence, theft = violence_and_theft()
    out["violence_share"] = offences.filter(pl.col("offence_code").is_in(list(violence))).height / offences.height
    out["theft_share"] = offences.filter(pl.col("offence_code").is_in(list(theft))).height / offences.height
    out["outcomes"] = {r[0]: r[1] / offences.height for r in offences.group_by("outcome").len().iter_rows()}
    adult_conv = offences.filter((pl.col("outcome") == "conviction") & (pl.col("age") >= 18))
    probation = adult_conv.filter(pl.col("disposal").is_in(list(PROBATION)))
    out["probation_disposals"] = {
        d: probation.filter(pl.col("disposal") == d).height / probation.height for d in PROBATION
    }
    out["adult_disposals"] = {
        r[0]: r[1] / adult_conv.height for r in adult_conv.group_by("disposal").len().sort("len").iter_rows()
    }
    caseload = people.filter(pl.col("source") == "probation")
    out["probation_caseload"] = caseload.height
    cg = caseload.filter(pl.col("gender").is_in(["M", "F"]))
    out["probation_male_share"] = cg.filter(pl.col("gender") == "M").height / max(1, cg.height)
    first_probation = probation.group_by("person_id").agg(pl.col("age").min())
    out["probation_age_18_30"] = first_probation.filter(pl.col("age") <= 30).height / max(1, first_probation.height)
    sources = people.group_by("source").len()
    out["people_by_source"] = dict(sources.iter_rows())
    out["flags"] = {f"{r[0]}/{r[1]}": r[2] for r in flags.group_by("source", "flag").len().sort("source").iter_rows()}
    mappa = flags.filter(pl.col("flag").str.starts_with("mappa")).select("person_id").unique().height
    out["mappa_share_of_probation"] = mappa / max(1, caseload.height)
    out["dip_share_of_offenders"] = flags.filter(pl.col("flag") == "dip")["person_id"].n_unique() / police.height
    ppo = flags.filter(pl.col("flag") == "ppo").select("person_id", pl.col("start_date").alias("ppo_start"))
    out["ppo_share_of_offenders"] = ppo.height / police.height
    out["ppo"] = _ppo_profile(offences, ppo, counts)
    rosh = flags.filter(pl.col("flag") == "rosh").group_by("value").len()
    out["rosh"] = {r[0]: r[1] / max(1, rosh["len"].sum()) for r in rosh.iter_rows()}
    asset = flags.filter(pl.col("flag") == "asset_score").with_columns(pl.col("value").cast(pl.Int64))
    out["asset_score_mean"] = _number(asset["value"].mean()) if asset.height else 0.0
    if cohort_start is None:
        first, last = _date(offences["offence_date"].min()), _date(offences["offence_date"].max())
        cohort_start = first + (last - first) / 2 - timedelta(days=183)
    out["cohort_start"] = cohort_start.isoformat()
    out["reoffending"] = reoffending(offences, cohort_start)
    truth_file = folder / "ground_truth.csv"
    if truth_file.exists():
        truth = pl.read_csv(truth_file, infer_schema=False)
        per_true = truth.group_by("true_person_id").len()
        out["records_per_person"] = truth.height / per_true.height
        out["people_in_2plus_sources"] = per_true.filter(pl.col("len") >= 2).height / per_true.height
        out["record_variation"] = _variation(people, truth)
    return out


def _ppo_profile(offences: pl.DataFrame, ppo: pl.DataFrame, counts: pl.DataFrame) -> dict[str, Any]:
    if ppo.height == 0:
        return {}
    joined = offences.join(ppo, on="person_id")
    at_start = joined.filter(pl.col("offence_date") <= pl.col("ppo_start"))
    ages = joined.group_by("person_id").agg(
        (pl.col("ppo_start").first().dt.year() - pl.col("date_of_birth").first().dt.year()).alias("age"),
        pl.col("gender").first(),
    )
    follow = joined.filter(
        (pl.col("offence_date") > pl.col("ppo_start"))
        & (pl.col("offence_date") <= pl.col("ppo_start") + pl.duration(days=365))
        & pl.col("outcome").is_in(["conviction", "caution"])
    )
    # only PPOs whose follow-up year ends six months before the extract date
    last = _date(offences["outcome_date"].max())
    eligible = ppo.filter(pl.col("ppo_start") <= last - timedelta(days=548))
    follow = follow.join(eligible.select("person_id"), on="person_id")
    per = follow.group_by("person_id").len()
    rank = counts.with_row_index("rank")
    ranks = rank.join(ppo, on="person_id")["rank"]
    return {
        "count": ppo.height,
        "mean_age_at_selection": _number(ages["age"].mean()),
        "male_share": ages.filter(pl.col("gender") == "M").height / ages.height,
        "offences_before_selection": at_start.height / ppo.height,
        "followed_up": eligible.height,
        "proven_reoffending": per.height / max(1, eligible.height),
        "proven_per_reoffender": per["len"].sum() / max(1, per.height),
        "custody_share_of_followup": follow.filter(pl.col("disposal") == "immediate_custody").height
        / max(1, follow.height),
        "median_rank_percentile": _number(ranks.median()) / counts.height,
    }


def _variation(people: pl.DataFrame, truth: pl.DataFrame) -> dict[str, float]:
    """How often another agency's record differs from the police record of the same person."""
    rec = people.join(truth, on=["source", "person_id"])
    police = rec.filter(pl.col("source") == "police").select(
        "true_person_id",
        *[pl.col(c).alias(f"{c}_p") for c in ("given_name", "family_name", "date_of_birth", "pnc_id", "postcode")],
    )
    others = rec.filter(pl.col("source") != "police").join(police, on="true_person_id")
    n = max(1, others.height)
    differs = {
        c: others.filter(pl.col(c).ne_missing(pl.col(f"{c}_p"))).height / n
        for c in ("given_name", "family_name", "date_of_birth", "pnc_id", "postcode")
    }
    any_identity = others.filter(
        pl.any_horizontal(
            [pl.col(c).ne_missing(pl.col(f"{c}_p")) for c in ("given_name", "family_name", "date_of_birth")]
        )
    ).height
    differs["name_or_dob"] = any_identity / n
    differs["pnc_missing"] = others.filter(pl.col("pnc_id").is_null()).height / n
    return differs


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("folder", type=Path)
    p.add_argument("--cohort-start", type=date.fromisoformat, default=None)
    args = p.parse_args(argv)
    for key, value in profile(args.folder, args.cohort_start).items():
        if isinstance(value, dict):
            shown = ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in value.items())
            print(f"{key}: {shown}")
        else:
            print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
