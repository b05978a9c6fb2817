"""Score everyone in the offending population as of a date, and suggest a cohort.

One ibis expression, so the same code runs in DuckDB (files, the command line) and inside
PostgreSQL (the web app). It reads four person-keyed tables (see `tables.Inputs`) and
returns one row per person with a counted offence in their look-back window: every
component of every score, the cohort rules' results, the exclusion reason and the rank.
The definitions are in docs/metrics.md; `explain.explain_row` turns a row into words.

Dates are handled as whole days since 1900-01-01 inside the query, so that
windows and ages are integer arithmetic on both engines.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

import ibis
import ibis.expr.types as ir

from openiom.reference import OffenceCategory, offence_categories

from .config import Band, SelectionConfig
from .ogrs3 import completed_years, score_ogrs3
from .tables import Inputs

__all__ = ["RANK_SLOTS", "score_people", "vocabulary"]

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
    rank_to_code = {e.harm_rank: e.offence_code for e in entries}
    code_to_category = {e.offence_code: e.ogrs3_category for e in entries}
    code_to_harm = {e.offence_code: e.harm for e in entries if e.harm is not None}

    # --- custody on the as-of date: the window ends at reception ("street time") --------------
    cu = inputs.custody
    active = (cu.reception_date <= as_of) & (cu.release_date.isnull() | (cu.release_date > as_of))
    custody = (
        cu.filter(active)
        .group_by("person_key")
        .aggregate(
            custody_reception=cu.reception_date.max(),
            release_date=cu.release_date.max(),
            still_inside=_flag(cu.release_date.isnull()).max(),
        )
    )

    # --- offences: one pass, conditional aggregates -------------------------------------------
    o = inputs.offences.join(vocab, "offence_code")
    o = o.left_join(custody.select("person_key", "custody_reception"), "person_key").drop("person_key_right")
    od, ud = _day(o.offence_date), _day(o.outcome_date)
    end = o.custody_reception.isnull().ifelse(a, _day(o.custody_reception))
    counted = o.outcome.isin(config.counted_outcomes) & (od <= end)
    in_window = counted & (od > end - look)
    sanction = o.outcome.isin(["conviction", "caution"]) & (ud <= a)
    custodial = sanction & (o.disposal == "immediate_custody") & o.sentence_days.notnull()
    agg = o.group_by("person_key").aggregate(
        window_end=end.max(),
        latest_key=(od * RANK_SLOTS + o.harm_rank).max(where=counted),
        window_count=_flag(in_window).sum(),
        gravity_rank=o.harm_rank.max(where=in_window),
        harm_days=o.harm.sum(where=in_window),
        harm_unknown=_flag(in_window & o.harm.isnull()).sum(),
        cost_gbp=o.cost.sum(where=in_window),
        cost_unknown=_flag(in_window & o.cost.isnull()).sum(),
        neighbourhood_count=_flag(in_window & o.neighbourhood).sum(),
        flex_count=_flag(in_window & o.flex).sum(),
        trigger_count=_flag(in_window & o.trigger).sum(),
        window_sanction_occasions=ud.nunique(where=sanction & (ud > end - look) & (ud <= end)),
        sanction_occasions=ud.nunique(where=sanction),
        first_sanction_date=o.outcome_date.min(where=sanction),
        current_sanction_date=o.outcome_date.max(where=sanction),
        current_key=(ud * RANK_SLOTS + o.harm_rank).max(where=sanction),
        custody_sentence_key=(ud * 100_000 + o.sentence_days).max(where=custodial),
    )
    agg = agg.filter(agg.window_count > 0)

    # --- flags in force on the as-of date -------------------------------------------------------
    f = inputs.flags
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
    p = inputs.people
    t = agg.join(p, "person_key")
    for extra in (flags, custody):
        t = t.left_join(extra, "person_key").drop("person_key_right")
    age = completed_years(t.date_of_birth, as_of)
    latest_day = (t.latest_key / RANK_SLOTS).floor().cast("int64")
    current_rank = (t.current_key % RANK_SLOTS).cast("int64")
    current_code = current_rank.substitute(rank_to_code, else_=ibis.null("string"))
    sentence_day = (t.custody_sentence_key / 100_000).floor().cast("int64")
    sentence_length = (t.custody_sentence_key % 100_000).cast("int64")
    in_custody = t.custody_reception.notnull()
    expected_release = ibis.cases(
        (
            in_custody & t.release_date.isnull() & t.custody_sentence_key.notnull(),
            sentence_day + (sentence_length + 1) // 2,
        ),
        else_=ibis.null("int64"),
    )
    rosh_rank = (t.rosh_key % 8).cast("int64")
    no_code = ibis.null("string")
    t = t.mutate(
        as_of=ibis.literal(as_of),
        age=age,
        route=ibis.cases((age < rules.adult_age, "DYO"), else_="IOM"),
        window_start=_as_date(t.window_end - look + 1),
        window_end=_as_date(t.window_end),
        latest_offence_date=_as_date(latest_day),
        latest_offence_code=(t.latest_key % RANK_SLOTS).cast("int64").substitute(rank_to_code, else_=no_code),
        recency_days=t.window_end - latest_day,
        gravity_code=t.gravity_rank.substitute(rank_to_code, else_=ibis.null("string")),
        harm_days=t.harm_days.fill_null(0.0),
        cost_gbp=t.cost_gbp.fill_null(0.0),
        previous_sanctions=(t.sanction_occasions - 1).cast("int64"),
        current_offence_code=current_code,
        offence_category=current_code.substitute(code_to_category, else_=ibis.null("string")),
        mappa_level=t.mappa_level.fill_null(0),
        ppo_flag=t.ppo_flag.fill_null(0) == 1,
        dip_flag=t.dip_flag.fill_null(0) == 1,
        dyo_flag=t.dyo_flag.fill_null(0) == 1,
        marac_flag=t.marac_flag.fill_null(0) == 1,
        asset_score=(t.asset_key % 100).cast("int64"),
        asset_date=_as_date((t.asset_key / 100).floor().cast("int64")),
        rosh=rosh_rank.substitute({v: k for k, v in ROSH_LEVELS.items()}, else_=ibis.null("string")),
        in_custody=in_custody,
        expected_release_date=_as_date(expected_release),
    )
    t = t.mutate(
        max_harm=t.gravity_code.substitute(code_to_harm, else_=ibis.null("float64")),
        date_at_risk=ibis.cases(
            (t.in_custody & t.release_date.notnull(), t.release_date),
            (t.in_custody & t.expected_release_date.notnull(), t.expected_release_date),
            else_=ibis.literal(as_of),
        ),
        date_of_current_conviction=t.current_sanction_date,
        date_of_first_sanction=t.first_sanction_date,
    )
    t = t.mutate(
        recency_points=_points(t.recency_days, config.rfg.recency_bands),
        frequency_points=_points(t.window_count, config.rfg.frequency_bands),
        gravity_points=_points(t.max_harm.fill_null(0.0), config.rfg.gravity_bands),
    )
    t = t.mutate(
        rfg_score=config.rfg.recency_weight * t.recency_points
        + config.rfg.frequency_weight * t.frequency_points
        + config.rfg.gravity_weight * t.gravity_points
    )
    t = score_ogrs3(t)
    t = t.mutate(
        ogrs3_error=ibis.cases(
            (t.current_sanction_date.isnull(), "no caution or conviction on record"), else_=t.ogrs3_error
        )
    )

    # --- cohort rules ----------------------------------------------------------------------------
    adult = t.route == "IOM"
    t = t.mutate(
        is_ppo=adult & (t.ppo_flag | (t.window_sanction_occasions >= rules.ppo_min_sanction_occasions)),
        is_dip=adult & t.dip_flag & (t.trigger_count > 0),
        is_hcc=adult & (t.rfg_score >= rules.hcc_min_rfg_score),
        is_dyo=~adult
        & (
            t.dyo_flag
            | (t.asset_score.fill_null(-1) >= rules.dyo_min_asset_score)
            | t.rosh.fill_null("").isin(list(rules.dyo_rosh_levels))
        ),
        framework=ibis.cases((t.neighbourhood_count > 0, "Fixed"), (t.flex_count > 0, "Flex"), else_="Free"),
        exclusion=ibis.cases(
            (t.age < 10, "under 10, the age of criminal responsibility"),
            *[
                (t.mappa_level == level, f"MAPPA level {level}: managed under MAPPA arrangements")
                for level in sorted(rules.excluded_mappa_levels, reverse=True)
            ],
            else_=ibis.null("string"),
        ),
    )
    release_day = ibis.cases(
        (t.release_date.notnull(), _day(t.release_date)),
        (t.expected_release_date.notnull(), _day(t.expected_release_date)),
        else_=ibis.null("int64"),
    )
    t = t.mutate(
        pre_release_planning=t.in_custody & (release_day.isnull() | (release_day > a + config.pre_release_days)),
    )
    by_name = {"PPO": t.is_ppo, "DIP": t.is_dip, "HCC": t.is_hcc}
    t = t.mutate(
        cohort=ibis.cases(
            (t.is_dyo, "DYO"),
            *[(by_name[name], name) for name in rules.cohort_priority],
            else_=ibis.null("string"),
        )
    )
    t = t.mutate(eligible=t.cohort.notnull() & t.exclusion.isnull())
    t = t.mutate(ranked=t.eligible & ~t.pre_release_planning)
    order = [
        ibis.desc(t.ranked),
        ibis.desc(t.rfg_score),
        ibis.desc(t.harm_days),
        ibis.desc(t.ogrs3_2yr.fill_null(-1.0)),
        t.person_key,
    ]
    t = t.mutate(rank=ibis.row_number().over(group_by=t.route, order_by=order) + 1)
    wanted = ibis.cases((t.route == "DYO", config.dyo_nominations_wanted), else_=config.nominations_wanted)
    t = t.mutate(
        rank=ibis.cases((t.ranked, t.rank), else_=ibis.null("int64")),
        nominated=t.ranked & (t.rank <= wanted),
    )
    return t.select(*OUTPUT_COLUMNS)


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
