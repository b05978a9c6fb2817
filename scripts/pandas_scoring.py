"""A straightforward pandas implementation of `openiom.analytics.scoring.score_people`.

This is the comparison point for `scripts/bench_scoring.py` and the cross-check in
`tests/analytics/test_pandas_agrees.py`: the same scores as the analytics core, written the
way a competent analyst would in pandas. Files are read with `pd.read_parquet` (only the
columns needed), records are keyed with a merge on the link table, each per-person measure is
a plain `groupby` aggregation over filtered rows ("latest" and "most harmful" by sorting and
taking the last row per person), bands are row-wise helpers and OGRS3 is a row-wise function
over the scored people. Nothing here is shared with the core except the reference data (the
offence vocabulary, the OGRS3 coefficients) and the configuration object.

The rules follow `scoring.py`; where it decides something that the documentation leaves open
(for example which offence is "current" when several are sentenced on one day) this file does
the same.
`compare` checks two results person by person and column by column.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from openiom.analytics.config import Band, SelectionConfig
from openiom.analytics.ogrs3 import coefficients
from openiom.analytics.scoring import OUTPUT_COLUMNS as CORE_OUTPUT_COLUMNS
from openiom.reference import offence_categories

__all__ = [
    "OUTPUT_COLUMNS",
    "Comparison",
    "Tables",
    "compare",
    "read_delivery_pandas",
    "score_people_pandas",
]

SOURCE_PRIORITY = ["police", "prison", "probation", "yot", "substance"]
ROSH_LEVELS = {"low": 1, "medium": 2, "high": 3, "very_high": 4}
MAPPA_LEVELS = {"mappa_1": 1, "mappa_2": 2, "mappa_3": 3}
AGE_BANDS = ((10, 11), (12, 13), (14, 15), (16, 17), (18, 20), (21, 24), (25, 29), (30, 34), (35, 39), (40, 49))

# The columns `score_people` returns, in its order: the core's own list.
OUTPUT_COLUMNS = CORE_OUTPUT_COLUMNS

_FILES = {
    "people": (["date_of_birth", "gender", "ethnicity"], ["date_of_birth"]),
    "offences": (
        ["offence_code", "offence_date", "outcome", "outcome_date", "disposal", "sentence_days"],
        ["offence_date", "outcome_date"],
    ),
    "custody": (["reception_date", "release_date"], ["reception_date", "release_date"]),
    "flags": (["flag", "value", "start_date", "end_date"], ["start_date", "end_date"]),
}


@dataclass
class Tables:
    """The four person-keyed tables (as in `openiom.analytics.tables.SCHEMAS`), dates as datetime64."""

    people: pd.DataFrame
    offences: pd.DataFrame
    custody: pd.DataFrame
    flags: pd.DataFrame


# ---- reading ---------------------------------------------------------------------------------


def read_links(folder: Path, people_limit: int | None = None) -> pd.DataFrame:
    """The ground truth as a link table: person_key = the number in true_person_id (T0000001 -> 1)."""
    links = pd.read_csv(folder / "ground_truth.csv", dtype=str)
    links["person_key"] = links["true_person_id"].str[1:].astype("int64")
    if people_limit is not None:
        links = links[links["person_key"] <= people_limit]
    return links[["source", "person_id", "person_key"]]


def read_delivery_pandas(folder: str | Path, people_limit: int | None = None) -> Tables:
    """Read the Parquet delivery, key every record by its person, keep one people row each."""
    folder = Path(folder)
    links = read_links(folder, people_limit)
    tables: dict[str, pd.DataFrame] = {}
    for name, (columns, dates) in _FILES.items():
        path = folder / f"{name}.parquet"
        if path.exists():
            df = pd.read_parquet(path, columns=["source", "person_id", *columns])
        else:
            df = pd.DataFrame({c: pd.Series(dtype="object") for c in ["source", "person_id", *columns]})
        df = df.merge(links, on=["source", "person_id"])
        for column in dates:
            df[column] = pd.to_datetime(df[column])
        tables[name] = df
    people = tables["people"]
    priority = {source: i for i, source in enumerate(SOURCE_PRIORITY)}
    people["priority"] = people["source"].map(priority).fillna(len(SOURCE_PRIORITY))
    people = people.sort_values(["person_key", "priority", "person_id"]).drop_duplicates("person_key")
    tables["people"] = people[["person_key", "date_of_birth", "gender", "ethnicity"]]
    return Tables(**tables)


# ---- reference -------------------------------------------------------------------------------


def offence_table(config: SelectionConfig) -> pd.DataFrame:
    """The offence vocabulary with overrides and a harm rank (1 least harmful .. 33 most)."""
    rows = []
    for index, c in enumerate(offence_categories().values()):
        harm = config.harm_overrides.get(c.code, c.cchi_days)
        rows.append(
            {
                "offence_code": c.code,
                "harm": harm,
                "cost": config.cost_overrides.get(c.code, c.unit_cost_gbp),
                "ogrs3_category": c.ogrs3_category,
                "neighbourhood": c.neighbourhood_crime,
                "flex": c.code in config.cohorts.flex_offence_codes,
                "trigger": c.code in config.cohorts.dip_trigger_offence_codes,
                # Known harm outranks unknown, then larger harm, then earlier in the vocabulary.
                "sort_known": harm is not None,
                "sort_harm": harm if harm is not None else 0.0,
                "sort_index": -index,
            }
        )
    vocab = pd.DataFrame(rows).sort_values(["sort_known", "sort_harm", "sort_index"])
    vocab["harm_rank"] = np.arange(1, len(vocab) + 1)
    vocab["harm"] = vocab["harm"].astype("float64")
    vocab["cost"] = vocab["cost"].astype("float64")
    return vocab.drop(columns=["sort_known", "sort_harm", "sort_index"]).reset_index(drop=True)


# ---- row-wise helpers ------------------------------------------------------------------------


def band_points(value: float, bands: list[Band]) -> float:
    """Points of the first band the value meets (bands come sorted from the configuration)."""
    for band in bands:
        if band.at_most is not None:
            if value <= band.at_most:
                return band.points
        elif band.at_least is not None and value >= band.at_least:
            return band.points
    return 0.0


def completed_years(born: Any, on: Any) -> int:
    return on.year - born.year - int((on.month, on.day) < (born.month, born.day))


def age_band(age: int) -> str:
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}-{high}"
    return "50+"


def ogrs3(
    gender: Any, category: Any, previous: Any, born: Any, current: Any, first: Any, at_risk: Any
) -> tuple[float | None, float | None, str | None, str | None]:
    """OGRS3 for one person: (1-year, 2-year probability, band, error)."""
    if pd.isna(current):
        return None, None, None, "no caution or conviction on record"
    inputs = {
        "gender": gender,
        "offence_category": category,
        "previous_sanctions": previous,
        "date_of_birth": born,
        "date_of_current_conviction": current,
        "date_of_first_sanction": first,
        "date_at_risk": at_risk,
    }
    for name, value in inputs.items():
        if pd.isna(value):
            return None, None, None, f"{name} is missing"
    c = coefficients()
    age_risk = completed_years(born, at_risk)
    age_conv = completed_years(born, current)
    age_first = completed_years(born, first)
    if gender not in ("M", "F"):
        error = "OGRS3 has coefficients for men (M) and women (F) only"
    elif category not in c.offence_category:
        error = "unknown offence category"
    elif previous < 0:
        error = "previous sanctions is negative"
    elif first > current:
        error = "first sanction is after the current conviction"
    elif age_first < 10:
        error = "age at first sanction is under 10"
    elif age_risk < 10:
        error = "age at risk is under 10"
    else:
        error = None
    if error is not None:
        return None, None, None, error
    copas = math.log((previous + 1) / (10 + age_conv - age_first))
    sanction = c.repeat_offender if previous > 0 else c.first_sanction
    x = c.age_gender[(gender, age_band(age_risk))] + sanction + c.copas * copas + c.offence_category[category]
    p1 = 1.0 / (1.0 + math.exp(-(c.one_year_intercept + x)))
    p2 = 1.0 / (1.0 + math.exp(-(c.two_year_intercept + x)))
    percent = math.floor(p2 * 100 + 0.5)
    band = "Low" if percent < 50 else "Medium" if percent < 75 else "High" if percent < 90 else "Very high"
    return p1, p2, band, None


def _last_per_person(df: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """The last row per person after sorting by `order` (the latest, then the largest)."""
    return df.sort_values(["person_key", *order]).drop_duplicates("person_key", keep="last").set_index("person_key")


# ---- scoring ---------------------------------------------------------------------------------


def score_people_pandas(tables: Tables, as_of: date, config: SelectionConfig) -> pd.DataFrame:
    """One row per person with a counted offence in their look-back window, as `score_people`."""
    today = pd.Timestamp(as_of)
    look = pd.Timedelta(days=config.lookback_days)
    rules = config.cohorts
    vocab = offence_table(config)
    code_by_rank = dict(zip(vocab["harm_rank"], vocab["offence_code"], strict=True))
    vocab_by_code = vocab.set_index("offence_code")

    # Custody on the as-of date: the look-back window ends at the reception.
    cu = tables.custody
    # With several periods covering the as-of date: in custody since the earliest reception, and
    # a period with no release date (still inside) means no release date.
    active = cu[(cu["reception_date"] <= today) & (cu["release_date"].isna() | (cu["release_date"] > today))]
    active = active.assign(open_period=active["release_date"].isna())
    custody = active.groupby("person_key").agg(
        custody_reception=("reception_date", "min"),
        release_date=("release_date", "max"),
        open_period=("open_period", "any"),
    )
    custody.loc[custody["open_period"], "release_date"] = pd.NaT
    custody = custody.drop(columns="open_period")

    # Offences with their vocabulary entry and the end of each person's window.
    o = tables.offences.merge(vocab, on="offence_code")
    o = o.merge(custody[["custody_reception"]], left_on="person_key", right_index=True, how="left")
    o["end"] = o["custody_reception"].fillna(today)
    counted = o["outcome"].isin(config.counted_outcomes) & (o["offence_date"] <= o["end"])
    in_window = counted & (o["offence_date"] > o["end"] - look)
    sanction = o["outcome"].isin(["conviction", "caution"]) & (o["outcome_date"] <= today)

    window = o[in_window].assign(
        harm_unknown=lambda d: d["harm"].isna(),
        cost_unknown=lambda d: d["cost"].isna(),
    )
    people = window.groupby("person_key").agg(
        window_end=("end", "max"),
        window_count=("offence_code", "size"),
        gravity_rank=("harm_rank", "max"),
        harm_days=("harm", "sum"),
        harm_unknown=("harm_unknown", "sum"),
        cost_gbp=("cost", "sum"),
        cost_unknown=("cost_unknown", "sum"),
        neighbourhood_count=("neighbourhood", "sum"),
        flex_count=("flex", "sum"),
        trigger_count=("trigger", "sum"),
    )

    latest = _last_per_person(o[counted], ["offence_date", "harm_rank"])
    people["latest_offence_date"] = latest["offence_date"]
    people["latest_offence_code"] = latest["offence_code"]

    sanctions = o[sanction]
    by_person = sanctions.groupby("person_key")["outcome_date"]
    people["sanction_occasions"] = by_person.nunique()
    people["first_sanction_date"] = by_person.min()
    people["current_sanction_date"] = by_person.max()
    recent = sanctions[
        (sanctions["outcome_date"] > sanctions["end"] - look) & (sanctions["outcome_date"] <= sanctions["end"])
    ]
    people["window_sanction_occasions"] = recent.groupby("person_key")["outcome_date"].nunique()
    current = _last_per_person(sanctions, ["outcome_date", "harm_rank"])
    people["current_offence_code"] = current["offence_code"]
    # Sentences that explain the current custody: immediate custody passed since the reception;
    # release is due at half of each, and the latest of those dates counts.
    custodial = sanctions[
        (sanctions["disposal"] == "immediate_custody")
        & sanctions["sentence_days"].notna()
        & (sanctions["outcome_date"] >= sanctions["custody_reception"])
    ]
    half = pd.to_timedelta((custodial["sentence_days"] + 1) // 2, unit="D")
    people["release_due"] = (custodial["outcome_date"] + half).groupby(custodial["person_key"]).max()

    # Flags in force on the as-of date (asset scores: the latest one started, in force or not).
    f = tables.flags
    started = f["start_date"] <= today
    in_force = f[started & (f["end_date"].isna() | (f["end_date"] >= today))].copy()
    in_force["mappa"] = in_force["flag"].map(MAPPA_LEVELS).fillna(0)
    for flag in ("ppo", "dip", "dyo", "marac"):
        in_force[flag] = in_force["flag"] == flag
    flags = in_force.groupby("person_key").agg(
        mappa_level=("mappa", "max"),
        ppo_flag=("ppo", "any"),
        dip_flag=("dip", "any"),
        dyo_flag=("dyo", "any"),
        marac_flag=("marac", "any"),
    )
    assets = f[started & (f["flag"] == "asset_score")].assign(score=lambda d: pd.to_numeric(d["value"]))
    asset = _last_per_person(assets, ["start_date", "score"])
    rosh = in_force[in_force["flag"] == "rosh"].assign(level=lambda d: d["value"].map(ROSH_LEVELS).fillna(0))
    rosh = _last_per_person(rosh, ["start_date", "level"])

    # One row per person.
    t = people.join(tables.people.set_index("person_key"), how="inner")
    t = t.join(flags).join(custody)
    t["asset_score"] = asset["score"]
    t["asset_date"] = asset["start_date"]
    t["rosh"] = rosh["level"].map({v: k for k, v in ROSH_LEVELS.items()})
    t = t.reset_index()

    born = t["date_of_birth"]
    before_birthday = (born.dt.month > today.month) | ((born.dt.month == today.month) & (born.dt.day > today.day))
    t["age"] = today.year - born.dt.year - before_birthday.astype("int64")
    t["as_of"] = today
    t["route"] = np.where(t["age"] < rules.adult_age, "DYO", "IOM")
    t["window_start"] = t["window_end"] - look + pd.Timedelta(days=1)
    t["recency_days"] = (t["window_end"] - t["latest_offence_date"]).dt.days
    t["gravity_code"] = t["gravity_rank"].map(code_by_rank)
    t["max_harm"] = t["gravity_code"].map(vocab_by_code["harm"])
    t["previous_sanctions"] = (t["sanction_occasions"] - 1).astype("Int64")  # none without a sanction
    t["window_sanction_occasions"] = t["window_sanction_occasions"].fillna(0).astype("int64")
    t["offence_category"] = t["current_offence_code"].map(vocab_by_code["ogrs3_category"])
    t["mappa_level"] = t["mappa_level"].fillna(0).astype("int64")
    for flag in ("ppo_flag", "dip_flag", "dyo_flag", "marac_flag"):
        t[flag] = t[flag].fillna(False).astype(bool)
    t["in_custody"] = t["custody_reception"].notna()
    t["expected_release_date"] = t["release_due"].where(
        t["in_custody"] & t["release_date"].isna() & (t["release_due"] > today)
    )
    t["date_at_risk"] = (
        t["release_date"].where(t["in_custody"]).fillna(t["expected_release_date"].where(t["in_custody"])).fillna(today)
    )

    rfg = config.rfg
    t["recency_points"] = t["recency_days"].map(lambda v: band_points(v, rfg.recency_bands))
    t["frequency_points"] = t["window_count"].map(lambda v: band_points(v, rfg.frequency_bands))
    t["gravity_points"] = t["max_harm"].fillna(0.0).map(lambda v: band_points(v, rfg.gravity_bands))
    t["rfg_score"] = (
        rfg.recency_weight * t["recency_points"]
        + rfg.frequency_weight * t["frequency_points"]
        + rfg.gravity_weight * t["gravity_points"]
    )

    scores = [
        ogrs3(*row)
        for row in zip(
            t["gender"],
            t["offence_category"],
            t["previous_sanctions"],
            t["date_of_birth"],
            t["current_sanction_date"],
            t["first_sanction_date"],
            t["date_at_risk"],
            strict=True,
        )
    ]
    ogrs = pd.DataFrame(scores, columns=["ogrs3_1yr", "ogrs3_2yr", "ogrs3_band", "ogrs3_error"], index=t.index)
    t = t.join(ogrs)
    t["ogrs3_1yr"] = t["ogrs3_1yr"].astype("float64")
    t["ogrs3_2yr"] = t["ogrs3_2yr"].astype("float64")

    # Cohort rules.
    adult = t["route"] == "IOM"
    t["is_ppo"] = adult & (t["ppo_flag"] | (t["window_sanction_occasions"] >= rules.ppo_min_sanction_occasions))
    t["is_dip"] = adult & t["dip_flag"] & (t["trigger_count"] > 0)
    t["is_hcc"] = adult & (t["rfg_score"] >= rules.hcc_min_rfg_score)
    t["is_dyo"] = ~adult & (
        t["dyo_flag"]
        | (t["asset_score"].fillna(-1) >= rules.dyo_min_asset_score)
        | t["rosh"].isin(list(rules.dyo_rosh_levels))
    )
    t["framework"] = np.select(
        [t["neighbourhood_count"] > 0, t["flex_count"] > 0], ["Fixed", "Flex"], default="Free"
    ).astype(object)
    exclusions = [(t["age"] < 10, "under 10, the age of criminal responsibility")]
    for level in sorted(rules.excluded_mappa_levels, reverse=True):
        exclusions.append((t["mappa_level"] == level, f"MAPPA level {level}: managed under MAPPA arrangements"))
    t["exclusion"] = np.select([c for c, _ in exclusions], [m for _, m in exclusions], default=None)
    # In custody with release unknown or beyond the pre-release window: listed, not ranked.
    release = t["release_date"].fillna(t["expected_release_date"])
    horizon = today + pd.Timedelta(days=config.pre_release_days)
    t["pre_release_planning"] = t["in_custody"] & (release.isna() | (release > horizon))
    by_name = {"PPO": t["is_ppo"], "DIP": t["is_dip"], "HCC": t["is_hcc"]}
    t["cohort"] = np.select(
        [t["is_dyo"], *[by_name[name] for name in rules.cohort_priority]],
        ["DYO", *rules.cohort_priority],
        default=None,
    )
    t["eligible"] = t["cohort"].notna() & t["exclusion"].isna()
    t["ranked"] = t["eligible"] & ~t["pre_release_planning"]

    # Rank within each route: ranked people first, then RFG, harm, OGRS3 (2-year), person.
    t["ogrs_order"] = t["ogrs3_2yr"].fillna(-1.0)
    t = t.sort_values(
        ["route", "ranked", "rfg_score", "harm_days", "ogrs_order", "person_key"],
        ascending=[True, False, False, False, False, True],
    )
    t["rank"] = (t.groupby("route").cumcount() + 1).where(t["ranked"])
    wanted = np.where(t["route"] == "DYO", config.dyo_nominations_wanted, config.nominations_wanted)
    t["nominated"] = t["ranked"] & (t["rank"] <= wanted)
    return t[list(OUTPUT_COLUMNS)].sort_values("person_key").reset_index(drop=True)


# ---- comparison ------------------------------------------------------------------------------


@dataclass
class Comparison:
    core_rows: int
    pandas_rows: int
    only_in_core: int
    only_in_pandas: int
    mismatches: dict[str, int]  # column -> people whose values differ
    examples: dict[str, list[tuple[Any, Any, Any]]]  # column -> (person_key, core, pandas)
    labels: tuple[str, str] = ("core", "pandas")

    @property
    def total(self) -> int:
        return self.only_in_core + self.only_in_pandas + sum(self.mismatches.values())

    def describe(self) -> str:
        a, b = self.labels
        lines = [
            f"people: {a} {self.core_rows:,}, {b} {self.pandas_rows:,}; only in {a} {self.only_in_core:,}, "
            f"only in {b} {self.only_in_pandas:,}; columns compared {len(self.mismatches)}; "
            f"mismatching values {sum(self.mismatches.values()):,}"
        ]
        for column, n in self.mismatches.items():
            if n:
                lines.append(f"  {column}: {n:,} people differ, e.g. {self.examples[column][:3]}")
        return "\n".join(lines)


def _normalise(series: pd.Series) -> pd.Series:
    """Comparable values: dates as datetime64, numbers as float64, the rest as objects with None."""
    values = series
    if values.dtype == object or str(values.dtype).startswith(("str", "string")):
        non_null = values.dropna()
        sample = non_null.iloc[0] if len(non_null) else None
        if isinstance(sample, date | pd.Timestamp):
            return pd.to_datetime(values)
        return values.astype(object).where(values.notna(), None)
    if pd.api.types.is_bool_dtype(values):
        return values.astype(object)
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.astype("datetime64[ns]")
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("float64")
    return values.astype(object).where(values.notna(), None)


def compare(
    core: pd.DataFrame, other: pd.DataFrame, tolerance: float = 1e-9, labels: tuple[str, str] = ("core", "pandas")
) -> Comparison:
    """Person by person, every column of OUTPUT_COLUMNS; numbers equal within `tolerance`.

    `tolerance` is absolute for numbers up to 1 and relative above (harm and cost sums).
    """
    a = core.set_index("person_key")
    b = other.set_index("person_key")
    both = a.index.intersection(b.index)
    a, b = a.loc[both].sort_index(), b.loc[both].sort_index()
    mismatches: dict[str, int] = {}
    examples: dict[str, list[tuple[Any, Any, Any]]] = {}
    for column in OUTPUT_COLUMNS[1:]:
        x, y = _normalise(a[column]), _normalise(b[column])
        x_null, y_null = x.isna().to_numpy(), y.isna().to_numpy()
        if x.dtype == "float64" and y.dtype == "float64":
            xv, yv = x.to_numpy(), y.to_numpy()
            close = np.abs(xv - yv) <= tolerance * np.maximum(1.0, np.abs(yv))
            same = (x_null & y_null) | (~x_null & ~y_null & close)
        else:
            equal = x.astype(object).to_numpy() == y.astype(object).to_numpy()
            same = (x_null & y_null) | (~x_null & ~y_null & equal)
        same = np.asarray(same, dtype=bool)
        mismatches[column] = int((~same).sum())
        bad = np.flatnonzero(~same)[:5]
        examples[column] = [(a.index[i], x.iloc[i], y.iloc[i]) for i in bad]
    return Comparison(
        core_rows=len(core),
        pandas_rows=len(other),
        only_in_core=len(core) - len(both),
        only_in_pandas=len(other) - len(both),
        mismatches=mismatches,
        examples=examples,
        labels=labels,
    )
