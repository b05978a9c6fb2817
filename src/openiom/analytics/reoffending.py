"""Proven reoffending after an index date, offending before and after, and each person's
characteristics at the index date (for OGRS3 against actual, and for matching).

All three are ibis expressions over `tables.Inputs` and a cohort table (one row per person),
so they run in DuckDB (files, `openiom reoffending`) and inside PostgreSQL (the web app).
The definitions, with their caveats, are in docs/metrics.md#proven-reoffending.

**Index date.** `index_dates` gives it from a cohort entry date: the entry date, or, for
someone in custody on that date, the date of their release (none while the release is not
recorded: they cannot be measured yet). The command line takes index dates as given.

**Proven reoffence** (Ministry of Justice definition): an offence committed in the 12 months
after the index date (from the day after it to the same date a year later, inclusive) that
is proven by a conviction or a caution (including youth cautions, reprimands and warnings,
recorded as `caution`) on or before the date 18 months after the index date (the 12 months
plus the 6-month waiting period). Months are calendar months: 31 August + 18 months is the
last day of February. Breaches of court orders and licences (`breach_of_order`) are not
offences in this measure. A person's follow-up is **complete** when the 18 months have ended
on or before the data's cut-off date; rates count only complete follow-ups.

**Before and after.** Proven offences committed in the 12 months before the entry date (from
the same date a year earlier to the day before entry) and proven within 6 months of that
window's end, against the reoffences above; with the harm (Crime Harm Index days) and cost
of crime of each, and how many offences had no known cost (never counted as zero cost).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import ibis
import ibis.expr.types as ir

from openiom.reference import offence_categories

from .config import SelectionConfig
from .ogrs3 import completed_years, score_ogrs3
from .scoring import RANK_SLOTS, _as_date, _day, vocabulary
from .tables import Inputs, one_record_per_person

__all__ = [
    "EXCLUDED_CODES",
    "FOLLOW_UP_MONTHS",
    "SANCTIONS",
    "WAITING_MONTHS",
    "characteristics_at",
    "index_dates",
    "reoffending",
]

FOLLOW_UP_MONTHS = 12
WAITING_MONTHS = 6
BEFORE_MONTHS = 12
SANCTIONS = ("conviction", "caution")
EXCLUDED_CODES = ("breach_of_order",)

# Offence groups for matching and for reports: the vocabulary's flags, drugs by code.
DRUG_CODES = ("drug_possession", "drug_supply", "drug_production_import")


def _count(cond: ir.BooleanValue) -> ir.IntegerValue:
    return cond.ifelse(1, 0).sum()


def _months(d: ir.DateValue, n: int) -> ir.DateValue:
    return (d + ibis.interval(months=n)).cast("date")


def _vocab(config: SelectionConfig) -> ir.Table:
    rows = [
        {k: v for k, v in asdict(e).items() if k in ("offence_code", "harm", "cost", "harm_rank", "ogrs3_category")}
        for e in vocabulary(config)
    ]
    return ibis.memtable(
        rows,
        schema={
            "offence_code": "string",
            "harm": "float64",
            "cost": "float64",
            "ogrs3_category": "string",
            "harm_rank": "int64",
        },
    )


def index_dates(inputs: Inputs, cohort: ir.Table) -> ir.Table:
    """The cohort (`person_key`, `entry_date`, any other columns) with `in_custody_at_entry`
    and `index_date`: the release date for someone in custody on the entry date, else the
    entry date; null while in custody with no release recorded."""
    cu = inputs.custody
    keyed = cu.join(cohort.select("person_key", "entry_date"), "person_key")
    inside = (keyed.reception_date <= keyed.entry_date) & (
        keyed.release_date.isnull() | (keyed.release_date > keyed.entry_date)
    )
    held = (
        keyed.filter(inside)
        .group_by("person_key")
        .aggregate(
            release=keyed.release_date.max(),
            open_periods=keyed.release_date.isnull().ifelse(1, 0).sum(),
        )
    )
    t = cohort.left_join(held, "person_key").drop("person_key_right")
    in_custody = t.release.notnull() | t.open_periods.notnull()
    index = ibis.cases(
        (t.open_periods.fill_null(0) > 0, ibis.null("date")),
        (t.release.notnull(), t.release),
        else_=t.entry_date,
    )
    return t.mutate(in_custody_at_entry=in_custody, index_date=index.cast("date")).drop("release", "open_periods")


def reoffending(
    inputs: Inputs,
    cohort: ir.Table,
    cutoff: date,
    config: SelectionConfig | None = None,
    excluded_codes: tuple[str, ...] = EXCLUDED_CODES,
) -> ir.Table:
    """Per person of `cohort` (`person_key`, `index_date`, optionally `entry_date`, any other
    columns): the follow-up dates, whether it is complete by `cutoff`, `reoffended`,
    `reoffences`, `first_reoffence_date` and `days_to_first`, the before-and-after counts,
    harm and cost, and `observed_days` (how long the person has been followed for the
    survival curve: up to 365 days, or to 6 months before the cut-off if sooner)."""
    config = config or SelectionConfig()
    if "entry_date" not in cohort.columns:
        cohort = cohort.mutate(entry_date=cohort.index_date)
    base = cohort.mutate(
        follow_up_end=_months(cohort.index_date, FOLLOW_UP_MONTHS),
        waiting_end=_months(cohort.index_date, FOLLOW_UP_MONTHS + WAITING_MONTHS),
        before_start=_months(cohort.entry_date, -BEFORE_MONTHS),
        before_proven_by=_months(cohort.entry_date, WAITING_MONTHS),
        observed_until=ibis.literal(cutoff) - ibis.interval(months=WAITING_MONTHS),
    )
    base = base.mutate(observed_until=base.observed_until.cast("date"))
    vocab = _vocab(config)
    o = inputs.offences
    o = o.filter(
        o.outcome.isin(list(SANCTIONS)) & ~o.offence_code.isin(list(excluded_codes)) & (o.outcome_date <= cutoff)
    )
    o = o.join(vocab.select("offence_code", "harm", "cost"), "offence_code", how="left").drop("offence_code_right")
    j = o.join(
        base.select(
            "person_key", "index_date", "entry_date", "follow_up_end", "waiting_end", "before_start", "before_proven_by"
        ),
        "person_key",
    )
    after = (
        j.index_date.notnull()
        & (j.offence_date > j.index_date)
        & (j.offence_date <= j.follow_up_end)
        & (j.outcome_date <= j.waiting_end)
    )
    before = (
        (j.offence_date >= j.before_start) & (j.offence_date < j.entry_date) & (j.outcome_date <= j.before_proven_by)
    )
    j = j.filter(after | before).mutate(after=after, before=before, od=_day(j.offence_date))
    agg = j.group_by("person_key").aggregate(
        reoffences=_count(j.after),
        first_day=j.od.min(where=j.after),
        harm_after=j.harm.sum(where=j.after),
        cost_after=j.cost.sum(where=j.after),
        cost_unknown_after=_count(j.after & j.cost.isnull()),
        harm_unknown_after=_count(j.after & j.harm.isnull()),
        offences_before=_count(j.before),
        harm_before=j.harm.sum(where=j.before),
        cost_before=j.cost.sum(where=j.before),
        cost_unknown_before=_count(j.before & j.cost.isnull()),
        harm_unknown_before=_count(j.before & j.harm.isnull()),
    )
    t = base.left_join(agg, "person_key").drop("person_key_right")
    reoffences = t.reoffences.fill_null(0).cast("int64")
    first = _as_date(t.first_day)
    index_day = _day(t.index_date)
    # Days followed for the survival curve: to the first reoffence, else to 365 days or to
    # the latest offence date whose 6-month waiting period has ended by the cut-off.
    observed = ibis.least(ibis.literal(365), _day(t.observed_until) - index_day)
    zero = ibis.literal(repr(0.0)).cast("float64")
    return t.mutate(
        complete=t.index_date.notnull() & (t.waiting_end <= cutoff),
        reoffended=reoffences > 0,
        reoffences=reoffences,
        first_reoffence_date=first,
        days_to_first=(t.first_day - index_day).cast("int64"),
        observed_days=observed.cast("int64"),
        offences_before=t.offences_before.fill_null(0).cast("int64"),
        harm_before=t.harm_before.fill_null(zero),
        harm_after=t.harm_after.fill_null(zero),
        cost_before=t.cost_before.fill_null(zero),
        cost_after=t.cost_after.fill_null(zero),
        cost_unknown_before=t.cost_unknown_before.fill_null(0).cast("int64"),
        cost_unknown_after=t.cost_unknown_after.fill_null(0).cast("int64"),
        harm_unknown_before=t.harm_unknown_before.fill_null(0).cast("int64"),
        harm_unknown_after=t.harm_unknown_after.fill_null(0).cast("int64"),
    ).drop("first_day", "before_start", "before_proven_by", "observed_until")


def characteristics_at(inputs: Inputs, cohort: ir.Table, config: SelectionConfig | None = None) -> ir.Table:
    """Per person of `cohort` (`person_key`, `index_date`): who they were on the index date.

    `age`, `gender`, `ethnicity`; the sanction history on or before the index date as OGRS3
    reads it (the latest sanction occasion is the current one, its most harmful offence its
    category, the earlier distinct outcome dates the previous sanctions), OGRS3 with the
    index date as the date at risk; `offences_last_year` (proven offences committed in the
    12 months to the index date and proven by it), `days_since_last_offence` (to the latest
    offence committed on or before it whose outcome is recorded by then, any outcome), and
    `offence_group` (violence, acquisitive, drugs or other, of the current offence).
    """
    config = config or SelectionConfig()
    entries = vocabulary(config)
    vocab = _vocab(config)
    rank_to_code = {e.harm_rank: e.offence_code for e in entries}
    code_to_category = {e.offence_code: e.ogrs3_category for e in entries}
    cats = offence_categories()
    group = {
        c.code: "drugs"
        if c.code in DRUG_CODES
        else "violence"
        if c.violent
        else "acquisitive"
        if c.acquisitive
        else "other"
        for c in cats.values()
    }
    keyed = cohort.select("person_key", "index_date").filter(cohort.index_date.notnull())
    o = inputs.offences.join(keyed, "person_key")
    o = o.filter((o.outcome_date <= o.index_date) & (o.offence_date <= o.index_date))
    o = o.join(vocab.select("offence_code", "harm_rank"), "offence_code")
    ud = _day(o.outcome_date)
    sanction = o.outcome.isin(list(SANCTIONS))
    idx = _day(o.index_date)
    recent = sanction & (o.offence_date > _months(o.index_date, -12))
    agg = o.group_by("person_key").aggregate(
        first_sanction_day=ud.min(where=sanction),
        current_key=(ud * RANK_SLOTS + o.harm_rank).max(where=sanction),
        latest_offence_day=_day(o.offence_date).max(),
        offences_last_year=_count(recent),
        index_day=idx.max(),
    )
    occasions = (
        o.filter(sanction)
        .select("person_key", ud=_day(o.outcome_date))
        .distinct()
        .group_by("person_key")
        .aggregate(occasions=ibis._.count())
    )
    people = one_record_per_person(inputs.people)
    t = keyed.left_join(people, "person_key").drop("person_key_right")
    t = t.left_join(agg, "person_key").drop("person_key_right")
    t = t.left_join(occasions, "person_key").drop("person_key_right")
    current_day = (t.current_key / RANK_SLOTS).floor().cast("int64")
    code = (t.current_key % RANK_SLOTS).cast("int64").substitute(rank_to_code, else_=ibis.null("string"))
    t = t.mutate(
        age=completed_years(t.date_of_birth, t.index_date),
        current_offence_code=code,
        offence_category=code.substitute(code_to_category, else_=ibis.null("string")),
        offence_group=code.substitute(group, else_=ibis.null("string")),
        previous_sanctions=(t.occasions - 1).cast("int64"),
        date_of_current_conviction=_as_date(current_day),
        date_of_first_sanction=_as_date(t.first_sanction_day),
        date_at_risk=t.index_date,
        offences_last_year=t.offences_last_year.fill_null(0).cast("int64"),
        days_since_last_offence=(_day(t.index_date) - t.latest_offence_day).cast("int64"),
    )
    t = score_ogrs3(t)
    return t.select(
        "person_key",
        "index_date",
        "age",
        "gender",
        "ethnicity",
        "previous_sanctions",
        "current_offence_code",
        "offence_category",
        "offence_group",
        "offences_last_year",
        "days_since_last_offence",
        "ogrs3_1yr",
        "ogrs3_2yr",
        "ogrs3_band",
        "ogrs3_error",
    )
