"""The local offender profile for the annual strategic assessment: who "the typical offender" is.

Three steps, each usable on its own:

    rows = execute(offender_rows(inputs, [2023, 2024], wards=wards))   # ibis: DuckDB or PostgreSQL
    profile = build_profile(rows, needs=needs)                          # polars: counts and shares
    summary_text(profile, 2024)                                         # sentences from the profile

Definitions
-----------
- **Year**: a financial year, 1 April to 31 March, named by the calendar year it starts in
  (2024 is 1 April 2024 to 31 March 2025) and written "2024-25".
- **Proven offence**: an offence whose outcome is `conviction` or `caution`, counted in the
  financial year of its `outcome_date`. Arrests, charges and no further action are not proven
  offences; neither is a conviction or caution without an outcome date.
- **Offender**: a person (`person_key`) with at least one proven offence in the year. A person
  is counted once in each year in which they have one; `offender_rows` gives one row per
  person per year, and every dimension below shares out that same count.
- **Gender, ethnicity**: from the person's record (`tables.one_record_per_person` when there
  are several), labelled as in the fairness view: M Male, F Female, X Another gender, U (or
  blank) Unknown; A Asian, B Black, M Mixed, W White, O Other, NS (or blank) Not stated.
- **Age band**: age in completed years on the date of the person's first proven outcome in the
  year, banded 10-17, 18-24, 25-29, 30-39, 40-49, 50 and over ("Under 10", which the data
  standard should never hold, and "Not recorded" for a missing date of birth are kept visible).
- **Offence type**: the Home Office recorded-crime group (`home_office_group` of
  `openiom.reference.offence_categories()`) of the person's most harmful proven offence in the
  year. "Most harmful" is the scoring's harm rank (`scoring.vocabulary`) on the reference Crime
  Harm Index weights, without any configuration's overrides: the larger CCHI weight wins; any
  offence with a weight outranks one without (so an unweighted offence, such as sexual
  offences against children, ranks below shoplifting); ties keep the vocabulary's order. A
  code outside the vocabulary ranks lowest and is "Not recorded".
- **Disposal**: the disposal of that same most harmful offence; when that offence was proven
  more than once in the year, the most severe of their disposals, in the order immediate
  custody, suspended sentence, community order, youth rehabilitation order, referral order,
  fine, discharge, caution, youth caution, other. A blank disposal is "Not recorded".
- **Ward**: from the optional `wards` table (`person_key`, `ward`); a person without one, or
  with a blank one, is "Not recorded"; with several, the first in alphabetical order.
- **Proven offences**: the number of proven offences (rows) in the year.
- **Needs by pathway** (optional, given as counts): for each year and pathway, the people
  assessed and the people with that need; a person may have several needs.

Figures (`build_profile`)
-------------------------
- **Offenders** (`Profile.totals`): offenders in the year.
- **Count**: offenders in the group in the year (for needs: people with the need).
- **Share**: count / base, a fraction from 0 to 1, where the base is the year's offenders (for
  needs: the people assessed for that pathway in that year).
- **Change**: share minus the share in the previous financial year, in percentage points; only
  when the previous year is in the profile and neither share is suppressed.
- A group appears in every year of a dimension once it has offenders in any year (with a
  count of 0 in the others), in the dimension's order ("Not recorded" and the like last).

Small numbers: a count from 1 to `small_number - 1` is suppressed (count and share shown as
None, `suppressed` True), and so is a year's total of offenders in that range. Within a
dimension's year, when exactly one count is suppressed, the next smallest non-zero count is
suppressed too (as in the fairness view), because the total is shown and one hidden count could
be worked out from it. Each needs pathway splits the people assessed into those with and
without the need: it is suppressed when either part is from 1 to `small_number - 1`. Zeros are
shown.

Words (`summary_text`)
----------------------
Every number in the sentences is a shown figure of the profile, or a sum, difference or ratio
of shown figures (a combined share; the change in offenders). Percentages are rounded half up
to whole numbers. A group is only called the largest (or among the largest) when it is larger
than any group whose count is hidden could be: the hidden counts of a year add up to the total
less the shown counts, and each is at least 1. Otherwise the sentence says the figures are too
small to describe. "The majority" is used only when the share, rounded, is over 50%; otherwise
"the largest group". Needs are compared by share among the pathways shown, and the hidden ones
are named as too small to show. The final sentence names the largest group of each of age,
ethnicity, gender, offence type and disposal ("or" between tied groups), leaving out any that
cannot be described or is not recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

import ibis
import ibis.expr.types as ir
import polars as pl

from openiom.reference import offence_categories

from .config import SelectionConfig
from .fairness import ETHNICITY_LABELS, GENDER_LABELS
from .ogrs3 import completed_years
from .scoring import vocabulary
from .tables import Inputs, one_record_per_person

__all__ = [
    "AGE_BANDS",
    "DIMENSIONS",
    "DISPOSAL_LABELS",
    "ROW_COLUMNS",
    "Dimension",
    "Profile",
    "ProfileRow",
    "build_profile",
    "offender_rows",
    "summary_text",
    "year_label",
]

NOT_RECORDED = "Not recorded"
PROVEN_OUTCOMES = ("conviction", "caution")
AGE_BANDS = ((10, 17, "10-17"), (18, 24, "18-24"), (25, 29, "25-29"), (30, 39, "30-39"), (40, 49, "40-49"))
OPEN_AGE_BAND = (50, "50 and over")
UNDER_10 = "Under 10"
# Most severe first.
DISPOSAL_LABELS = {
    "immediate_custody": "Immediate custody",
    "suspended_sentence": "Suspended sentence",
    "community_order": "Community order",
    "youth_rehabilitation_order": "Youth rehabilitation order",
    "referral_order": "Referral order",
    "fine": "Fine",
    "discharge": "Discharge",
    "caution": "Caution",
    "youth_caution": "Youth caution",
    "other": "Other",
}
NEEDS = "Needs by pathway"
DIMENSIONS = ("Gender", "Ethnicity", "Age band", "Offence type", "Disposal", "Ward")
ROW_COLUMNS = (
    "year",
    "person_key",
    "gender",
    "ethnicity",
    "age",
    "age_band",
    "offence_group",
    "disposal",
    "proven_offences",
    "ward",
)


def year_label(year: int) -> str:
    """The financial year starting in April of `year`, as "2024-25"."""
    return f"{year}-{(year + 1) % 100:02d}"


# --- one row per offender per year (ibis) -------------------------------------------------------


def _financial_year(day: ir.DateValue, years: list[int]) -> ir.IntegerValue:
    """The wanted financial year a date falls in (null outside them), by date comparisons only."""
    cases = [((day >= date(y, 4, 1)) & (day <= date(y + 1, 3, 31)), y) for y in years]
    if not cases:
        return ibis.null("int64")
    return ibis.cases(*cases, else_=ibis.null("int64")).cast("int64")


def _age_band(age: ir.IntegerValue) -> ir.StringValue:
    return ibis.cases(
        (age.isnull(), NOT_RECORDED),
        (age < AGE_BANDS[0][0], UNDER_10),
        *[(age <= high, label) for _, high, label in AGE_BANDS],
        else_=OPEN_AGE_BAND[1],
    )


def offender_rows(inputs: Inputs, years: Sequence[int], *, wards: ir.Table | None = None) -> ir.Table:
    """One row per person per financial year in `years` with a proven offence (see the module's docstring).

    Columns: `ROW_COLUMNS` (`age` is the age in completed years behind `age_band`).
    """
    wanted = sorted({int(y) for y in years})
    entries = vocabulary(SelectionConfig())
    groups = {c.code: c.home_office_group for c in offence_categories().values()}
    vocab = ibis.memtable(
        {
            "offence_code": [e.offence_code for e in entries],
            "harm_rank": [e.harm_rank for e in entries],
            "offence_group": [groups[e.offence_code] for e in entries],
        },
        schema={"offence_code": "string", "harm_rank": "int64", "offence_group": "string"},
    )
    severity = {code: len(DISPOSAL_LABELS) - i for i, code in enumerate(DISPOSAL_LABELS)}

    o = inputs.offences
    o = o.select("person_key", "offence_code", "outcome", "outcome_date", "disposal").mutate(
        year=_financial_year(o.outcome_date, wanted)
    )
    o = o.filter(o.outcome.isin(PROVEN_OUTCOMES) & o.year.notnull())
    o = o.left_join(vocab, "offence_code").drop("offence_code_right")
    o = o.mutate(
        harm_rank=o.harm_rank.fill_null(0),
        offence_group=o.offence_group.fill_null(NOT_RECORDED),
        severity=o.disposal.substitute(severity, else_=0),
    )
    order = [o.harm_rank.desc(), o.severity.desc(), o.outcome_date.asc(), o.disposal.asc(nulls_first=False)]
    numbered = o.mutate(_n=ibis.row_number().over(group_by=[o.person_key, o.year], order_by=order))
    worst = numbered.filter(numbered._n == 0).select("person_key", "year", "offence_group", "disposal")
    counts = o.group_by(["person_key", "year"]).aggregate(proven_offences=o.count(), first_outcome=o.outcome_date.min())
    t = counts.join(worst, ["person_key", "year"])

    people = one_record_per_person(inputs.people.semi_join(counts, "person_key"))
    t = t.left_join(people, "person_key").drop("person_key_right")
    if wards is not None:
        w = wards.select(person_key=wards.person_key.cast("int64"), ward=wards.ward.cast("string").strip())
        w = w.filter(w.ward.notnull() & (w.ward != ""))
        w = w.group_by("person_key").aggregate(ward=w.ward.min())
        t = t.left_join(w, "person_key").drop("person_key_right")
        ward = t.ward.fill_null(NOT_RECORDED)
    else:
        ward = ibis.literal(NOT_RECORDED)

    age = completed_years(t.date_of_birth, t.first_outcome)
    return t.select(
        year=t.year.cast("int64"),
        person_key=t.person_key,
        gender=t.gender,
        ethnicity=t.ethnicity,
        age=age.cast("int64"),
        age_band=_age_band(age),
        offence_group=t.offence_group,
        disposal=t.disposal,
        proven_offences=t.proven_offences.cast("int64"),
        ward=ward,
    )


# --- the profile (polars) -----------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileRow:
    dimension: str
    group: str
    year: int
    count: int | None  # None when suppressed
    base: int | None  # the year's offenders, None when that total is suppressed (needs: the people assessed)
    share: float | None  # count / base, 0 to 1
    change: float | None  # share minus the previous year's share, in percentage points
    suppressed: bool

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass(frozen=True)
class Dimension:
    name: str  # Gender, Ethnicity, Age band, Offence type, Disposal, Ward, Needs by pathway
    base: str  # what the shares are of: "offenders" or "people assessed"
    rows: tuple[ProfileRow, ...]  # by group in the dimension's order, then by year

    def for_year(self, year: int) -> list[ProfileRow]:
        return [r for r in self.rows if r.year == year]

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "base": self.base, "rows": [r.as_dict() for r in self.rows]}


@dataclass(frozen=True)
class Profile:
    years: tuple[int, ...]
    small_number: int
    totals: dict[int, int | None]  # offenders per year; None when suppressed
    dimensions: tuple[Dimension, ...]

    def dimension(self, name: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.name == name), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "years": list(self.years),
            "small_number": self.small_number,
            "totals": [{"year": y, "offenders": self.totals[y]} for y in self.years],
            "dimensions": [d.as_dict() for d in self.dimensions],
        }


def _disposal_label(code: str) -> str:
    return DISPOSAL_LABELS.get(code) or code.replace("_", " ").capitalize()


def _orders() -> dict[str, list[str]]:
    offence_groups = list(dict.fromkeys(c.home_office_group for c in offence_categories().values()))
    ages = [UNDER_10, *[label for _, _, label in AGE_BANDS], OPEN_AGE_BAND[1], NOT_RECORDED]
    return {
        "Gender": list(GENDER_LABELS.values()),
        "Ethnicity": list(ETHNICITY_LABELS.values()),
        "Age band": ages,
        "Offence type": [*offence_groups, NOT_RECORDED],
        "Disposal": [*DISPOSAL_LABELS.values(), NOT_RECORDED],
        "Ward": [NOT_RECORDED],  # wards alphabetically, then this
    }


def _labelled(rows: pl.DataFrame) -> pl.DataFrame:
    def blank(column: str) -> pl.Expr:
        return pl.col(column).cast(pl.Utf8).fill_null("").str.strip_chars()

    disposals = {c: _disposal_label(c) for c in rows["disposal"].drop_nulls().unique().to_list() if c.strip()}
    return rows.select(
        pl.col("year").cast(pl.Int64),
        blank("gender").replace_strict(GENDER_LABELS, default="Unknown").alias("Gender"),
        blank("ethnicity").replace_strict(ETHNICITY_LABELS, default="Not stated").alias("Ethnicity"),
        blank("age_band").replace("", NOT_RECORDED).alias("Age band"),
        blank("offence_group").replace("", NOT_RECORDED).alias("Offence type"),
        blank("disposal").replace_strict(disposals, default=NOT_RECORDED).alias("Disposal"),
        blank("ward").replace("", NOT_RECORDED).alias("Ward"),
    )


def _hidden(counts: dict[str, int], small_number: int) -> set[str]:
    """Primary suppression of small counts, then the next smallest when only one is hidden."""
    hidden = {g for g, n in counts.items() if 0 < n < small_number}
    if len(hidden) == 1:
        others = sorted((n, g) for g, n in counts.items() if g not in hidden and n > 0)
        if others:
            hidden.add(others[0][1])
    return hidden


def _with_changes(
    name: str, base: str, cells: dict[tuple[str, int], ProfileRow], groups: list[str], years: list[int]
) -> Dimension:
    rows = []
    for group in groups:
        for year in years:
            row = cells.get((group, year))
            if row is None:
                continue
            before = cells.get((group, year - 1))
            change = None
            if row.share is not None and before is not None and before.share is not None:
                change = round((row.share - before.share) * 100, 10)  # no float noise in the JSON
            rows.append(ProfileRow(**{**row.as_dict(), "change": change}))
    return Dimension(name=name, base=base, rows=tuple(rows))


def _needs_dimension(needs: pl.DataFrame, years: list[int], small_number: int) -> Dimension:
    missing = {"year", "pathway", "people_assessed", "people_with_need"} - set(needs.columns)
    if missing:
        raise ValueError(f"needs is missing columns: {', '.join(sorted(missing))}")
    cells: dict[tuple[str, int], ProfileRow] = {}
    pathways: list[str] = []
    for r in needs.iter_rows(named=True):
        year, pathway = int(r["year"]), str(r["pathway"])
        assessed, with_need = int(r["people_assessed"]), int(r["people_with_need"])
        if (pathway, year) in cells:
            raise ValueError(f"needs has {pathway} in {year} more than once")
        if not 0 <= with_need <= assessed:
            raise ValueError(f"needs: {pathway} in {year} has {with_need} with the need of {assessed} assessed")
        hidden = 0 < with_need < small_number or 0 < assessed - with_need < small_number
        cells[(pathway, year)] = ProfileRow(
            dimension=NEEDS,
            group=pathway,
            year=year,
            count=None if hidden else with_need,
            base=assessed,
            share=None if hidden or not assessed else with_need / assessed,
            change=None,
            suppressed=hidden,
        )
        if pathway not in pathways:
            pathways.append(pathway)
    return _with_changes(NEEDS, "people assessed", cells, pathways, years)


def build_profile(rows: pl.DataFrame, *, needs: pl.DataFrame | None = None, small_number: int = 5) -> Profile:
    """Counts, shares and changes by dimension and year from `offender_rows`' output (see the module's docstring).

    `needs`, when given, has `year`, `pathway`, `people_assessed` and `people_with_need`, one row
    per year and pathway; its years join the profile's.
    """
    if small_number < 1:
        raise ValueError("small_number must be 1 or more (1 suppresses nothing)")
    missing = set(ROW_COLUMNS) - {"age"} - set(rows.columns)
    if missing:
        raise ValueError(f"rows is missing columns: {', '.join(sorted(missing))}")
    if rows.select(pl.struct("year", "person_key").is_duplicated().any()).item():
        raise ValueError("rows has a person more than once in a year")
    labelled = _labelled(rows)
    years = set(labelled["year"].to_list())
    if needs is not None:
        years |= {int(y) for y in needs["year"].to_list()}
    ordered_years = sorted(years)

    per_year = dict(labelled.group_by("year").len().iter_rows())
    totals: dict[int, int] = {y: int(per_year.get(y, 0)) for y in ordered_years}
    shown_totals = {y: None if 0 < n < small_number else n for y, n in totals.items()}

    dimensions = []
    orders = _orders()
    for name in DIMENSIONS:
        counted = labelled.group_by("year", name).len()
        counts: dict[tuple[str, int], int] = {(g, int(y)): int(n) for y, g, n in counted.iter_rows()}
        present = {g for g, _ in counts}
        groups = [g for g in orders[name] if g in present]
        groups = sorted(present - set(groups)) + groups if name == "Ward" else groups + sorted(present - set(groups))
        cells: dict[tuple[str, int], ProfileRow] = {}
        for year in ordered_years:
            column = {g: counts.get((g, year), 0) for g in groups}
            hidden = _hidden(column, small_number)
            base = shown_totals[year]
            for group, n in column.items():
                suppressed = group in hidden
                cells[(group, year)] = ProfileRow(
                    dimension=name,
                    group=group,
                    year=year,
                    count=None if suppressed else n,
                    base=base,
                    share=None if suppressed or not base else n / base,
                    change=None,
                    suppressed=suppressed,
                )
        dimensions.append(_with_changes(name, "offenders", cells, groups, ordered_years))
    if needs is not None:
        dimensions.append(_needs_dimension(needs, ordered_years, small_number))
    return Profile(
        years=tuple(ordered_years), small_number=small_number, totals=shown_totals, dimensions=tuple(dimensions)
    )


# --- the words ----------------------------------------------------------------------------------

GENDER_WORDS = {
    "Male": "male",
    "Female": "female",
    "Another gender": "of another gender",
    "Unknown": "of unknown gender",
}
GENDER_NOUNS = {"Male": "male", "Female": "female"}
ETHNICITY_ADJECTIVES = {
    "Asian": "Asian",
    "Black": "Black",
    "Mixed": "mixed-ethnicity",
    "White": "White",
    "Other": "other-ethnicity",
}
DISPOSAL_PHRASES = {
    "Immediate custody": "immediate custody",
    "Other": "another disposal",
    NOT_RECORDED: "a disposal that was not recorded",
}


def _percent(count: int, base: int) -> str:
    """count / base as a whole percentage, rounded half up (exactly, in integers)."""
    return f"{(200 * count + base) // (2 * base)}%"


def _majority(count: int, base: int) -> bool:
    """Over half, and shown as over 50% once rounded."""
    return (200 * count + base) // (2 * base) > 50


def _mid(label: str) -> str:
    """A label inside a sentence: "Violence with injury" -> "violence with injury" (acronyms kept)."""
    return label[0].lower() + label[1:] if len(label) > 1 and label[1].islower() else label


def _article(phrase: str) -> str:
    first = phrase.split()[0].lower()
    vowel = first[0] in "aeiou" or first.startswith(("8", "11-", "18"))
    return f"{'an' if vowel else 'a'} {phrase}"


def _join(words: list[str], last: str = "and") -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def _disposal_phrase(label: str) -> str:
    return DISPOSAL_PHRASES.get(label) or _article(_mid(label))


def _leading(rows: list[ProfileRow], total: int, top: int, exclude: str | None = None) -> list[ProfileRow]:
    """The `top` largest shown groups (more when tied), each provably larger than any hidden group.

    The hidden counts add up to the total less the shown counts and are each at least 1, so
    none can be larger than that sum less one for each other hidden group.
    """
    hidden = [r for r in rows if r.suppressed]
    hidden_sum = total - sum(r.count or 0 for r in rows)
    bound = hidden_sum - (len(hidden) - 1) if hidden else 0
    shown = sorted((r for r in rows if r.count and r.group != exclude), key=lambda r: -(r.count or 0))
    if not shown:
        return []
    cutoff = shown[min(top, len(shown)) - 1].count or 0
    return [r for r in shown if (r.count or 0) >= cutoff and (r.count or 0) > bound]


def _offenders_sentence(profile: Profile, year: int) -> str:
    n = profile.totals[year] or 0
    said = f"In {year_label(year)} there {'was 1 offender' if n == 1 else f'were {n:,} offenders'}"
    said += " (people with a proven offence: a conviction or caution)"
    before = profile.totals.get(year - 1)
    if before:
        diff = n - before
        change = _percent(abs(diff), before)
        if diff > 0:
            said += f", {diff:,} more than the {before:,} in {year_label(year - 1)} (up {change})"
        elif diff < 0:
            said += f", {-diff:,} fewer than the {before:,} in {year_label(year - 1)} (down {change})"
        else:
            said += f", the same as in {year_label(year - 1)}"
    return said + "."


def _too_small(what: str, year: int) -> str:
    return f"The {what} figures for {year_label(year)} are too small to describe."


def _gender_sentence(rows: list[ProfileRow], total: int, year: int) -> str:
    leaders = _leading(rows, total, 1)
    if not leaders:
        return _too_small("gender", year)
    others = sorted((r for r in rows if r.count and r not in leaders), key=lambda r: -(r.count or 0))
    listed = leaders + others[: max(0, 2 - len(leaders))]
    parts = [f"{_percent(r.count or 0, total)} were {GENDER_WORDS.get(r.group, _mid(r.group))}" for r in listed]
    return _join([parts[0].replace("%", "% of offenders", 1), *parts[1:]]) + "."


def _ethnicity_sentence(rows: list[ProfileRow], total: int, year: int) -> str:
    leaders = _leading(rows, total, 1)
    if not leaders:
        return _too_small("ethnicity", year)
    share = _percent(leaders[0].count or 0, total)
    if len(leaders) > 1:
        return f"The largest ethnic groups were {_join([_mid(r.group) for r in leaders])} ({share} of offenders each)."
    if leaders[0].group == "Not stated":
        most = "the majority" if _majority(leaders[0].count or 0, total) else "the largest group"
        return f"Ethnicity was not stated for {most} of offenders ({share})."
    return f"The largest ethnic group was {leaders[0].group} ({share} of offenders)."


def _age_sentence(rows: list[ProfileRow], total: int, year: int) -> str:
    leaders = _leading(rows, total, 1)
    if not leaders:
        return _too_small("age", year)
    count = leaders[0].count or 0
    share = _percent(count, total)
    if len(leaders) > 1:
        bands = _join(["age not recorded" if r.group == NOT_RECORDED else _mid(r.group) for r in leaders])
        return f"The largest age groups were {bands} ({share} of offenders each)."
    who = (
        f"The majority of offenders ({share})"
        if _majority(count, total)
        else f"The largest group of offenders ({share})"
    )
    if leaders[0].group == NOT_RECORDED:
        return f"{who} had no date of birth recorded."
    return f"{who} were aged {_mid(leaders[0].group)}."


def _offence_sentence(rows: list[ProfileRow], total: int, year: int) -> str:
    leaders = _leading(rows, total, 2)
    if not leaders:
        return _too_small("offence", year)
    named = _join([f"{_mid(r.group)} ({_percent(r.count or 0, total)})" for r in leaders])
    meaning = "(each offender's most serious proven offence in the year)"
    if len(leaders) == 1:
        return f"The main offence type {meaning} was {named}."
    together = _percent(sum(r.count or 0 for r in leaders), total)
    return f"The main offence types {meaning} were {named}, together {together} of offenders."


def _disposal_sentence(rows: list[ProfileRow], total: int, year: int) -> str:
    leaders = _leading(rows, total, 1)
    if not leaders:
        return _too_small("disposal", year)
    share = _percent(leaders[0].count or 0, total)
    how = _join([_disposal_phrase(r.group) for r in leaders], "or")
    each = " each" if len(leaders) > 1 else ""
    return f"The most serious proven offence was most often dealt with by {how} ({share} of offenders{each})."


def _ward_sentence(rows: list[ProfileRow], total: int, year: int) -> str | None:
    if not any(r.group != NOT_RECORDED and (r.count or r.suppressed) for r in rows):
        return None  # no ward recorded for anyone: nothing to say
    leaders = _leading(rows, total, 3, exclude=NOT_RECORDED)
    if not leaders:
        return _too_small("ward", year)
    named = _join([f"{r.group} ({r.count:,})" for r in leaders])
    if len(leaders) == 1:
        return f"The ward with the most offenders was {named}."
    return f"The wards with the most offenders were {named}."


def _needs_sentences(rows: list[ProfileRow], year: int) -> list[str]:
    if not any(r.base for r in rows):
        return []  # no needs figures for the year, or no one assessed

    def share(r: ProfileRow) -> Fraction:
        return Fraction(r.count or 0, r.base or 1)

    hidden = [r.group for r in rows if r.suppressed]
    shown = sorted((r for r in rows if r.count and r.base), key=lambda r: -share(r))
    said: list[str] = []
    if shown:
        cutoff = share(shown[min(2, len(shown)) - 1])
        leaders = [r for r in shown if share(r) >= cutoff]
        named = _join(
            [f"{_mid(r.group)} ({_percent(r.count or 0, r.base or 1)} of the {r.base:,} assessed)" for r in leaders]
        )
        if hidden:
            said.append(
                f"Of the needs that can be shown, the most common {'were' if len(leaders) > 1 else 'was'} {named}."
            )
        else:
            said.append(f"The most common {'needs were' if len(leaders) > 1 else 'need was'} {named}.")
    elif not hidden:
        said.append(f"None of the people assessed in {year_label(year)} had a need recorded.")
    if hidden:
        said.append(f"The figures for {_join([_mid(g) for g in hidden])} are too small to show.")
    return said


def _typical_sentence(profile: Profile, year: int, total: int) -> str | None:
    def leaders(name: str, unknown: str) -> list[str]:
        dimension = profile.dimension(name)
        found = _leading(dimension.for_year(year), total, 1) if dimension else []
        return [] if any(r.group == unknown for r in found) else [r.group for r in found]

    ages = leaders("Age band", NOT_RECORDED)
    ethnicities = [ETHNICITY_ADJECTIVES.get(g, g) for g in leaders("Ethnicity", "Not stated")]
    genders = leaders("Gender", "Unknown")
    offences = leaders("Offence type", NOT_RECORDED)
    disposals = leaders("Disposal", NOT_RECORDED)
    if not (ages or ethnicities or genders or offences or disposals):
        return None
    closed = {label for _, _, label in AGE_BANDS}
    prefix = f"{' or '.join(ages)} year old" if ages and all(a in closed for a in ages) else ""
    suffix = f" aged {' or '.join(_mid(a) for a in ages)}" if ages and not prefix else ""
    noun = " or ".join(GENDER_NOUNS[g] for g in genders) if all(g in GENDER_NOUNS for g in genders) else ""
    words = " ".join(w for w in (prefix, " or ".join(ethnicities), noun or "person") if w)
    said = f"To summarise, the typical offender in {year_label(year)} was {_article(words)}{suffix}"
    if offences:
        said += f" whose most serious proven offence was {' or '.join(_mid(o) for o in offences)}"
        if disposals:
            said += ","
    elif disposals:
        said += " whose most serious proven offence was"
    if disposals:
        said += f" dealt with by {' or '.join(_disposal_phrase(d) for d in disposals)}"
    return said + "."


def summary_text(profile: Profile, year: int) -> list[str]:
    """Plain-English sentences about one year, built only from the profile's shown figures."""
    if year not in profile.years:
        raise ValueError(f"{year_label(year)} is not in the profile")
    total = profile.totals[year]
    if total is None:
        return [f"The number of offenders in {year_label(year)} is too small to describe."]
    if total == 0:
        return [f"No one had a proven offence in {year_label(year)}."]

    def column(name: str) -> list[ProfileRow]:
        dimension = profile.dimension(name)
        return dimension.for_year(year) if dimension else []

    said = [_offenders_sentence(profile, year)]
    for name, sentence in (
        ("Gender", _gender_sentence),
        ("Ethnicity", _ethnicity_sentence),
        ("Age band", _age_sentence),
        ("Offence type", _offence_sentence),
        ("Disposal", _disposal_sentence),
    ):
        if profile.dimension(name):
            said.append(sentence(column(name), total, year))
    ward = _ward_sentence(column("Ward"), total, year)
    if ward:
        said.append(ward)
    said += _needs_sentences(column(NEEDS), year)
    typical = _typical_sentence(profile, year, total)
    if typical:
        said.append(typical)
    return said
