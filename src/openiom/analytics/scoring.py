"""Score everyone in the offending population as of a date, and suggest a cohort.

One ibis expression, so the same code runs in DuckDB (files, the command line) and inside
PostgreSQL (the web app). It reads four person-keyed tables (see `tables.Inputs`) and
returns one row per person with a counted offence in their look-back window: every
component of every score, the cohort rules' results and the exclusion reason. `rank_people`
then ranks the fetched rows and marks the nominations; `score` does both. The definitions
are in docs/metrics.md; `explain.explain_row` turns a row into words.

Dates are handled as whole days since 1900-01-01 inside the query, so that
windows and ages are integer arithmetic on both engines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from openiom.reference import OffenceCategory, offence_categories

from .config import Band, SelectionConfig
from .ogrs3 import barrier, completed_years, ogrs3_ages, ogrs3_predictor, ogrs3_probabilities
from .tables import Inputs, one_record_per_person

__all__ = [
    "OUTPUT_COLUMNS",
    "RANK_SLOTS",
    "SCORE_COLUMNS",
    "compiling",
    "rank_people",
    "score",
    "score_people",
    "to_arrow",
    "vocabulary",
]

RANK_SLOTS = 64  # harm ranks are 1..33; keys pack (day, rank) as day * RANK_SLOTS + rank
ROSH_LEVELS = {"low": 1, "medium": 2, "high": 3, "very_high": 4}
# Days are counted from 1 January 1900 (the data standard's earliest date), not 1970, so that
# every packed key (day × slots + rank) is positive and `%` decodes it on both engines.
EPOCH = date(1900, 1, 1)
_UNIX_OFFSET = (date(1970, 1, 1) - EPOCH).days


def _flag(cond: ir.BooleanValue) -> ir.IntegerValue:
    return cond.ifelse(1, 0)


def _double(value: float) -> ir.FloatingValue:
    """A double-precision constant on every engine (PostgreSQL reads a bare 5.0 as numeric)."""
    return ibis.literal(repr(float(value))).cast("float64")


def _day(d: ir.DateValue) -> ir.IntegerValue:
    return d.epoch_days() + _UNIX_OFFSET


def _as_date(days: ir.IntegerValue) -> ir.DateValue:
    return (ibis.date(EPOCH.year, EPOCH.month, EPOCH.day) + days.as_interval("D")).cast("date")


@contextmanager
def compiling() -> Iterator[None]:
    """Compile the scoring expression without ibis's select fusion, then restore the option.

    Fusing each step's SELECT into the next was more than half of the compile time (0.16 of
    0.29 s), and both engines flatten the nested subqueries themselves: the plans are the same.
    """
    fuse = ibis.options.sql.fuse_selects
    ibis.options.sql.fuse_selects = False
    try:
        yield
    finally:
        ibis.options.sql.fuse_selects = fuse


def to_arrow(con: Any, expr: ir.Table) -> Any:
    """Execute a scoring expression on a connection (DuckDB or PostgreSQL) as an Arrow table."""
    with compiling():
        return con.to_pyarrow(expr)


@dataclass(frozen=True)
class VocabularyEntry:
    offence_code: str
    harm: float | None
    cost: float | None
    ogrs3_category: str
    neighbourhood: bool
    flex: bool
    trigger: bool
    harm_rank: int


def vocabulary(config: SelectionConfig) -> list[VocabularyEntry]:
    """The offence vocabulary with the configuration's overrides and a harm rank, most harmful first.

    The rank orders offences from least to most harmful: any offence with a known harm
    weight outranks one without; among known weights the larger wins; ties (and unknowns)
    keep the vocabulary's order, which runs from the most serious down.
    """
    cats = list(offence_categories().values())

    def order(item: tuple[int, OffenceCategory]) -> tuple[bool, float, int]:
        index, c = item
        harm = config.harm_overrides.get(c.code, c.cchi_days)
        return (harm is not None, harm or 0.0, -index)

    ranked = sorted(enumerate(cats), key=order)
    entries = [
        VocabularyEntry(
            offence_code=c.code,
            harm=config.harm_overrides.get(c.code, c.cchi_days),
            cost=config.cost_overrides.get(c.code, c.unit_cost_gbp),
            ogrs3_category=c.ogrs3_category,
            neighbourhood=c.neighbourhood_crime,
            flex=c.code in config.cohorts.flex_offence_codes,
            trigger=c.code in config.cohorts.dip_trigger_offence_codes,
            harm_rank=rank,
        )
        for rank, (_, c) in enumerate(ranked, start=1)
    ]
    return sorted(entries, key=lambda e: -e.harm_rank)


def _lookup(values: list[Any], dtype: str) -> Callable[[ir.IntegerValue], ir.Value]:
    """`values[i]` for an index column, null for a null index: a constant list on both engines."""
    array = ibis.literal(values, type=f"array<{dtype}>")
    return lambda index: array[index]


def _points(value: ir.NumericValue, bands: list[Band]) -> ir.NumericValue:
    cases = []
    for band in bands:
        if band.at_most is not None:
            cases.append((value <= band.at_most, _double(band.points)))
        else:
            cases.append((value >= band.at_least, _double(band.points)))
    zero = _double(0.0)
    return ibis.cases(*cases, else_=zero) if cases else zero


def score_people(inputs: Inputs, as_of: date, config: SelectionConfig) -> ir.Table:
    """One row per person with at least one counted offence in their look-back window."""
    a = (as_of - EPOCH).days
    look = config.lookback_days
    rules = config.cohorts
    entries = vocabulary(config)
    vocab = ibis.memtable(
        [asdict(e) for e in entries],
        schema={
            "offence_code": "string",
            "harm": "float64",
            "cost": "float64",
            "ogrs3_category": "string",
            "neighbourhood": "boolean",
            "flex": "boolean",
            "trigger": "boolean",
            "harm_rank": "int64",
        },
    )
    by_rank = {e.harm_rank: e for e in entries}
    # Decoding a harm rank: one lookup in a constant list, not one CASE branch per offence.
    slots = range(max(by_rank) + 1)
    code_of = _lookup([by_rank[r].offence_code if r in by_rank else None for r in slots], "string")
    category_of = _lookup([by_rank[r].ogrs3_category if r in by_rank else None for r in slots], "string")
    harm_of = _lookup([by_rank[r].harm if r in by_rank else None for r in slots], "float64")

    # --- custody on the as-of date: the window ends at reception ("street time") --------------
    # Periods covering the as-of date. With several (overlapping records), custody has been
    # continuous since the earliest reception, and a period without a release date (still
    # inside) outranks any release date.
    cu = inputs.custody
    active = (cu.reception_date <= as_of) & (cu.release_date.isnull() | (cu.release_date > as_of))
    custody = (
        cu.filter(active)
        .group_by("person_key")
        .aggregate(
            custody_reception=cu.reception_date.min(),
            latest_release=cu.release_date.max(),
            open_periods=_flag(cu.release_date.isnull()).sum(),
        )
    )
    custody = custody.select(
        "person_key",
        "custody_reception",
        reception_day=_day(custody.custody_reception),
        release_date=ibis.cases((custody.open_periods == 0, custody.latest_release), else_=ibis.null("date")),
    )

    # --- offences: a narrow table of numbers, then only the people in scope -------------------
    # Everyone with a counted offence in the year to the as-of date, or in custody on it (whose
    # window ends at reception), is in scope; the exact window is applied in the aggregate.
    o = inputs.offences.join(vocab.select("offence_code", "harm_rank"), "offence_code")
    ud = _day(o.outcome_date)
    narrow = o.select(
        "person_key",
        "harm_rank",
        od=_day(o.offence_date),
        ud=ud,
        countable=o.outcome.isin(config.counted_outcomes),
        sanction=o.outcome.isin(["conviction", "caution"]) & (ud <= a),
        custodial_days=ibis.cases((o.disposal == "immediate_custody", o.sentence_days), else_=ibis.null("int64")),
    )
    recent = narrow.filter(narrow.countable & (narrow.od > a - look) & (narrow.od <= a))
    scope = ibis.union(recent.select("person_key"), custody.select("person_key"), distinct=True)
    g = narrow.semi_join(scope, "person_key")
    g = g.left_join(custody.select("person_key", "reception_day"), "person_key").drop("person_key_right")
    g = g.join(vocab.drop("offence_code", "ogrs3_category"), "harm_rank")
    end = g.reception_day.fill_null(a)
    g = g.mutate(
        end=end,
        counted=g.countable & (g.od <= end),
        in_window=g.countable & (g.od <= end) & (g.od > end - look),
    )
    in_window = g.in_window
    agg = g.group_by("person_key").aggregate(
        window_end=g.end.max(),
        latest_key=(g.od * RANK_SLOTS + g.harm_rank).max(where=g.counted),
        window_count=_flag(in_window).sum(),
        gravity_rank=g.harm_rank.max(where=in_window),
        harm_days=g.harm.sum(where=in_window),
        harm_unknown=_flag(in_window & g.harm.isnull()).sum(),
        cost_gbp=g.cost.sum(where=in_window),
        cost_unknown=_flag(in_window & g.cost.isnull()).sum(),
        neighbourhood_count=_flag(in_window & g.neighbourhood).sum(),
        flex_count=_flag(in_window & g.flex).sum(),
        trigger_count=_flag(in_window & g.trigger).sum(),
        first_sanction_day=g.ud.min(where=g.sanction),
        current_key=(g.ud * RANK_SLOTS + g.harm_rank).max(where=g.sanction),
        # Release at half of the latest-ending sentence passed since the reception.
        release_due=(g.ud + (g.custodial_days + 1) // 2).max(where=g.sanction & (g.ud >= g.reception_day)),
    )
    agg = agg.filter(agg.window_count > 0)
    # Sanction occasions: distinct outcome days (one small aggregate, not COUNT(DISTINCT)).
    days = g.filter(g.sanction).select("person_key", "ud", "end").distinct()
    occasions = days.group_by("person_key").aggregate(
        sanction_occasions=days.count(),
        window_sanction_occasions=_flag((days.ud > days.end - look) & (days.ud <= days.end)).sum(),
    )

    # --- flags in force on the as-of date -------------------------------------------------------
    f = inputs.flags.semi_join(scope, "person_key")
    started = f.start_date <= as_of
    in_force = started & (f.end_date.isnull() | (f.end_date >= as_of))
    mappa = ibis.cases((f.flag == "mappa_3", 3), (f.flag == "mappa_2", 2), (f.flag == "mappa_1", 1), else_=0)
    asset_value = ibis.cases((f.flag == "asset_score", f.value.cast("int64")), else_=0)
    rosh_value = f.value.substitute(ROSH_LEVELS, else_=0)
    flags = f.group_by("person_key").aggregate(
        mappa_level=mappa.max(where=in_force),
        ppo_flag=_flag(f.flag == "ppo").max(where=in_force),
        dip_flag=_flag(f.flag == "dip").max(where=in_force),
        dyo_flag=_flag(f.flag == "dyo").max(where=in_force),
        marac_flag=_flag(f.flag == "marac").max(where=in_force),
        asset_key=(_day(f.start_date) * 100 + asset_value).max(where=started & (f.flag == "asset_score")),
        rosh_key=(_day(f.start_date) * 8 + rosh_value).max(where=in_force & (f.flag == "rosh")),
    )

    # --- one row per person ------------------------------------------------------------------
    t = agg.join(one_record_per_person(inputs.people.semi_join(scope, "person_key")), "person_key")
    for extra in (occasions, flags, custody.drop("reception_day")):
        t = t.left_join(extra, "person_key").drop("person_key_right")
    latest_day = (t.latest_key / RANK_SLOTS).floor().cast("int64")
    current_day = (t.current_key / RANK_SLOTS).floor().cast("int64")
    current_rank = (t.current_key % RANK_SLOTS).cast("int64")
    in_custody = t.custody_reception.notnull()
    # Expected release, for someone in custody with no release date: never on or before the as-of date.
    expected = ibis.cases(
        (in_custody & t.release_date.isnull() & (t.release_due > a), t.release_due), else_=ibis.null("int64")
    )
    release_day = ibis.cases((in_custody, _day(t.release_date).fill_null(expected)), else_=ibis.null("int64"))
    age = completed_years(t.date_of_birth, as_of)
    current_sanction_date = _as_date(current_day)
    first_sanction_date = _as_date(t.first_sanction_day)
    date_at_risk = _as_date(release_day).fill_null(as_of)
    offence_category = category_of(current_rank)
    no_code = ibis.null("string")
    t = t.select(
        "person_key",
        "window_end",
        "window_count",
        "gravity_rank",
        "harm_unknown",
        "cost_unknown",
        "neighbourhood_count",
        "flex_count",
        "trigger_count",
        "date_of_birth",
        "gender",
        "ethnicity",
        "custody_reception",
        "release_date",
        in_custody=in_custody,
        age=age,
        latest_day=latest_day,
        latest_offence_code=code_of((t.latest_key % RANK_SLOTS).cast("int64")),
        harm_days=t.harm_days.fill_null(0.0),
        cost_gbp=t.cost_gbp.fill_null(0.0),
        first_sanction_date=first_sanction_date,
        current_sanction_date=current_sanction_date,
        date_of_first_sanction=first_sanction_date,
        date_of_current_conviction=current_sanction_date,
        current_offence_code=code_of(current_rank),
        offence_category=offence_category,
        previous_sanctions=(t.sanction_occasions - 1).cast("int64"),
        window_sanction_occasions=t.window_sanction_occasions.fill_null(0).cast("int64"),
        mappa_level=t.mappa_level.fill_null(0),
        ppo_flag=t.ppo_flag.fill_null(0) == 1,
        dip_flag=t.dip_flag.fill_null(0) == 1,
        dyo_flag=t.dyo_flag.fill_null(0) == 1,
        marac_flag=t.marac_flag.fill_null(0) == 1,
        asset_score=(t.asset_key % 100).cast("int64"),
        asset_date=_as_date((t.asset_key / 100).floor().cast("int64")),
        rosh=(t.rosh_key % 8).cast("int64").substitute({v: k for k, v in ROSH_LEVELS.items()}, else_=no_code),
        expected_release_date=_as_date(expected),
        release_day=release_day,
        date_at_risk=date_at_risk,
        max_harm=harm_of(t.gravity_rank),
        # OGRS3's first step (see `ogrs3.score_ogrs3`), here to save a step.
        **ogrs3_ages(t.date_of_birth, date_at_risk, current_sanction_date, first_sanction_date, offence_category),
        _barrier_person=barrier(),  # each step is computed once on PostgreSQL (see `barrier`)
    )
    rfg = config.rfg
    recency_days = t.window_end - t.latest_day
    recency_points = _points(recency_days, rfg.recency_bands)
    frequency_points = _points(t.window_count, rfg.frequency_bands)
    gravity_points = _points(t.max_harm.fill_null(0.0), rfg.gravity_bands)
    adult = ibis.cases((t.age < rules.adult_age, False), else_=True)  # an unknown age stays on the IOM route
    # --- cohort rules: one step (its expressions are shared; each step costs compile time) ------
    is_ppo = adult & (t.ppo_flag | (t.window_sanction_occasions >= rules.ppo_min_sanction_occasions))
    is_dip = adult & t.dip_flag & (t.trigger_count > 0)
    is_dyo = ~adult & (
        t.dyo_flag
        | (t.asset_score.fill_null(-1) >= rules.dyo_min_asset_score)
        | t.rosh.fill_null("").isin(list(rules.dyo_rosh_levels))
    )
    exclusion = ibis.cases(
        (t.age < 10, "under 10, the age of criminal responsibility"),
        *[
            (t.mappa_level == level, f"MAPPA level {level}: managed under MAPPA arrangements")
            for level in sorted(rules.excluded_mappa_levels, reverse=True)
        ],
        else_=ibis.null("string"),
    )
    rfg_score = (
        rfg.recency_weight * recency_points
        + rfg.frequency_weight * frequency_points
        + rfg.gravity_weight * gravity_points
    )
    is_hcc = adult & (rfg_score >= rules.hcc_min_rfg_score)  # the IOM route
    by_name = {"PPO": is_ppo, "DIP": is_dip, "HCC": is_hcc}
    cohort = ibis.cases(
        (is_dyo, "DYO"),
        *[(by_name[name], name) for name in rules.cohort_priority],
        else_=ibis.null("string"),
    )
    t = t.mutate(
        as_of=ibis.literal(as_of),
        route=ibis.cases((adult, "IOM"), else_="DYO"),
        window_start=_as_date(t.window_end - look + 1),
        window_end=_as_date(t.window_end),
        latest_offence_date=_as_date(t.latest_day),
        recency_days=recency_days,
        gravity_code=code_of(t.gravity_rank),
        recency_points=recency_points,
        frequency_points=frequency_points,
        gravity_points=gravity_points,
        is_ppo=is_ppo,
        is_dip=is_dip,
        is_dyo=is_dyo,
        framework=ibis.cases((t.neighbourhood_count > 0, "Fixed"), (t.flex_count > 0, "Flex"), else_="Free"),
        exclusion=exclusion,
        pre_release_planning=t.in_custody & (t.release_day.isnull() | (t.release_day > a + config.pre_release_days)),
        rfg_score=rfg_score,
        is_hcc=is_hcc,
        cohort=cohort,
        eligible=cohort.notnull() & exclusion.isnull(),
        **ogrs3_predictor(t),  # OGRS3's second step
        _barrier_cohort=barrier(),
    )
    final = {
        **ogrs3_probabilities(t),  # OGRS3's last step
        "ogrs3_error": ibis.cases(
            (t.current_sanction_date.isnull(), "no caution or conviction on record"), else_=t.ogrs3_error
        ),
    }
    return t.select(*[final[c].name(c) if c in final else t[c] for c in SCORE_COLUMNS])


def rank_people(scores: pa.Table, config: SelectionConfig) -> pa.Table:
    """`score_people`'s rows with `rank` and `nominated` added, in `OUTPUT_COLUMNS` order.

    Within each route, the ranked (eligible and not flagged for pre-release planning) come
    first, by RFG score, harm and OGRS3 2-year probability (highest first, unknown last),
    then person key; they are numbered from 1, the others get no rank. The top
    `nominations_wanted` (IOM) or `dyo_nominations_wanted` (DYO) are nominated.

    This runs on the fetched rows rather than in SQL: a window over every column of every
    scored person (137,097 rows of 58 columns at 1,000,000 people) was a tenth of the run,
    on one thread; sorting the ranked people's five sort keys here takes a few milliseconds.
    """
    n = scores.num_rows
    ranked = pc.fill_null(pc.and_(scores["eligible"], pc.invert(scores["pre_release_planning"])), False)
    is_ranked = ranked.to_numpy(zero_copy_only=False).astype(bool)
    rows = np.flatnonzero(is_ranked)

    def column(name: str, missing: float = 0.0) -> np.ndarray:
        return pc.fill_null(scores[name], missing).to_numpy()[rows]

    route = pc.dictionary_encode(scores["route"].combine_chunks()).indices.to_numpy()[rows]
    # numpy's lexsort takes the last key first; descending numbers are sorted negated.
    order = np.lexsort(
        (column("person_key"), -column("ogrs3_2yr", -1.0), -column("harm_days"), -column("rfg_score"), route)
    )
    route = route[order]
    position = np.arange(len(order), dtype=np.int64)
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = route[1:] != route[:-1]
    rank = np.zeros(n, dtype=np.int64)
    rank[rows[order]] = position - np.maximum.accumulate(np.where(starts, position, 0)) + 1
    dyo = pc.equal(scores["route"], "DYO").to_numpy(zero_copy_only=False).astype(bool)
    wanted = np.where(dyo, config.dyo_nominations_wanted, config.nominations_wanted)
    added = {
        "rank": pa.array(rank, mask=~is_ranked),
        "nominated": pa.array(is_ranked & (rank <= wanted)),
    }
    return pa.table({c: added[c] if c in added else scores[c] for c in OUTPUT_COLUMNS})


def score(con: Any, inputs: Inputs, as_of: date, config: SelectionConfig) -> pa.Table:
    """Score everyone on a connection (DuckDB or PostgreSQL) and rank them: the whole run, as Arrow."""
    return rank_people(to_arrow(con, score_people(inputs, as_of, config)), config)


OUTPUT_COLUMNS = (
    "person_key",
    "as_of",
    "route",
    "rank",
    "nominated",
    "eligible",
    "cohort",
    "framework",
    "exclusion",
    "pre_release_planning",
    "rfg_score",
    "recency_points",
    "frequency_points",
    "gravity_points",
    "recency_days",
    "latest_offence_date",
    "latest_offence_code",
    "window_start",
    "window_end",
    "window_count",
    "gravity_code",
    "max_harm",
    "harm_days",
    "harm_unknown",
    "cost_gbp",
    "cost_unknown",
    "ogrs3_1yr",
    "ogrs3_2yr",
    "ogrs3_band",
    "ogrs3_error",
    "previous_sanctions",
    "first_sanction_date",
    "current_sanction_date",
    "current_offence_code",
    "offence_category",
    "date_at_risk",
    "window_sanction_occasions",
    "neighbourhood_count",
    "flex_count",
    "trigger_count",
    "is_ppo",
    "is_dip",
    "is_hcc",
    "is_dyo",
    "mappa_level",
    "ppo_flag",
    "dip_flag",
    "dyo_flag",
    "marac_flag",
    "asset_score",
    "asset_date",
    "rosh",
    "in_custody",
    "custody_reception",
    "release_date",
    "expected_release_date",
    "age",
    "gender",
    "ethnicity",
)

# What `score_people` returns: every output column but the two `rank_people` adds.
SCORE_COLUMNS = tuple(c for c in OUTPUT_COLUMNS if c not in ("rank", "nominated"))
