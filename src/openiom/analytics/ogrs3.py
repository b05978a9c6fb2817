"""OGRS3, the Offender Group Reconviction Scale (version 3), as the MoJ and HMPPS compute it.

    copas_rate = ln( S / (10 + A_conv - A_first) )      S = previous sanctions + 1
    x  = age_gender[sex, age band at risk] + sanction_term + 1.251124464 * copas_rate
         + offence_category[current offence]
    p1 = 1 / (1 + exp(-(1.402562384 + x)))              p2 likewise with 2.121705678

Ages are in completed years. The coefficients are the full-precision ones in
`reference/data/ogrs3_coefficients.csv`. The band is OASys's, on the 2-year percentage
rounded half up: Low below 50, Medium 50-74, High 75-89, Very high 90 and over.

`score_ogrs3(table)` works on any ibis table (DuckDB or PostgreSQL) and adds columns; rows it
cannot score get `ogrs3_error` saying why, and null scores.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache

import ibis
import ibis.expr.types as ir

from openiom.reference import DATA_DIR

__all__ = [
    "AGE_BANDS",
    "BANDS",
    "INPUT_COLUMNS",
    "Coefficients",
    "age_band_label",
    "coefficients",
    "completed_years",
    "ogrs3_ages",
    "ogrs3_band",
    "ogrs3_predictor",
    "ogrs3_probabilities",
    "score_ogrs3",
]

INPUT_COLUMNS = (
    "gender",
    "offence_category",
    "previous_sanctions",
    "date_of_birth",
    "date_of_current_conviction",
    "date_of_first_sanction",
    "date_at_risk",
)
AGE_BANDS = ((10, 11), (12, 13), (14, 15), (16, 17), (18, 20), (21, 24), (25, 29), (30, 34), (35, 39), (40, 49))
BANDS = (("Low", 0, 49), ("Medium", 50, 74), ("High", 75, 89), ("Very high", 90, 100))
OUTPUT_COLUMNS = ("ogrs3_1yr", "ogrs3_2yr", "ogrs3_band", "ogrs3_error")


@dataclass(frozen=True)
class Coefficients:
    one_year_intercept: float
    two_year_intercept: float
    copas: float
    repeat_offender: float
    first_sanction: float
    age_gender: dict[tuple[str, str], float]  # ("M", "18-20") -> coefficient
    offence_category: dict[str, float]


@cache
def coefficients() -> Coefficients:
    rows = list(csv.DictReader((DATA_DIR / "ogrs3_coefficients.csv").open(newline="", encoding="utf-8")))
    by = {(r["parameter_group"], r["parameter"], r["level"]): float(r["coefficient_full_precision"]) for r in rows}
    sex = {"male": "M", "female": "F"}
    sanction = {p: value for (group, p, _), value in by.items() if group == "sanction_history"}
    return Coefficients(
        one_year_intercept=by[("intercept", "one_year_intercept", "")],
        two_year_intercept=by[("intercept", "two_year_intercept", "")],
        copas=by[("copas", "copas_rate_coefficient", "")],
        repeat_offender=sanction["repeat_offender"],
        first_sanction=sanction["first_sanction_conviction"],
        age_gender={(sex[p], level): value for (group, p, level), value in by.items() if group == "age_gender"},
        offence_category={p: value for (group, p, _), value in by.items() if group == "offence_category"},
    )


def age_band_label(age: int) -> str:
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}-{high}"
    return "50+"


def ogrs3_band(two_year_probability: float) -> str:
    percent = int(two_year_probability * 100 + 0.5)
    for label, low, high in BANDS:
        if low <= percent <= high:
            return label
    raise ValueError(f"not a probability: {two_year_probability}")


def barrier() -> ir.FloatingValue:
    """A throw-away column that makes PostgreSQL compute a step once and keep its results.

    PostgreSQL flattens nested SELECTs into one, inlining each column's expression wherever a
    later step uses it, so expressions built on expressions grow with every step (about 4
    MB of plan for the scoring query, 1.4 s for 13,789 people). It keeps a subquery whose
    columns include a volatile function, so one `random()` column per step stops that (3.3 s
    -> 1.2 s at 100,000 people). DuckDB shares common expressions anyway: no change there.
    """
    return ibis.random()


def completed_years(born: ir.DateValue | date, on: ir.DateValue | date) -> ir.IntegerValue:
    """Whole years from `born` to `on` (an age), in SQL that DuckDB and PostgreSQL both run."""
    b = born if isinstance(born, ir.Value) else ibis.literal(born)
    o = on if isinstance(on, ir.Value) else ibis.literal(on)
    before_birthday = (o.month() * 100 + o.day()) < (b.month() * 100 + b.day())
    # PostgreSQL's EXTRACT gives numeric: cast so both engines return integers.
    return (o.year().cast("int64") - b.year().cast("int64")) - before_birthday.cast("int32")


def _age_gender_term(gender: ir.StringValue, age: ir.IntegerValue) -> ir.FloatingValue:
    """The age-and-gender coefficient, for ages 10 and over (younger is an error, see below)."""
    c = coefficients().age_gender

    def by_age(sex: str) -> ir.FloatingValue:
        bands = [(age <= high, c[(sex, f"{low}-{high}")]) for low, high in AGE_BANDS]
        return ibis.cases(*bands, else_=c[(sex, "50+")])

    return ibis.cases((gender == "M", by_age("M")), (gender == "F", by_age("F")), else_=ibis.null("float64"))


def _band_expr(p2: ir.FloatingValue) -> ir.StringValue:
    percent = (p2 * 100 + 0.5).floor()
    return ibis.cases(
        (p2.isnull(), ibis.null("string")),
        (percent < 50, "Low"),
        (percent < 75, "Medium"),
        (percent < 90, "High"),
        else_="Very high",
    )


_WORKINGS = ("_age_risk", "_age_conv", "_age_first", "_category", "_copas", "_x", "_barrier_ages", "_barrier_x")


def ogrs3_ages(
    born: ir.DateValue,
    at_risk: ir.DateValue,
    convicted: ir.DateValue,
    first_sanction: ir.DateValue,
    category: ir.StringValue,
) -> dict[str, ir.Value]:
    """OGRS3's first step: the three ages and the offence category's coefficient, as columns."""
    return {
        "_age_risk": completed_years(born, at_risk),
        "_age_conv": completed_years(born, convicted),
        "_age_first": completed_years(born, first_sanction),
        "_category": category.substitute(coefficients().offence_category, else_=ibis.null("float64")),
    }


def ogrs3_predictor(w: ir.Table) -> dict[str, ir.Value]:
    """The second step, on a table with the inputs and `ogrs3_ages`: the error, Copas rate and predictor."""
    c = coefficients()
    error = ibis.cases(
        *[(w[col].isnull(), f"{col} is missing") for col in INPUT_COLUMNS],
        (~w.gender.isin(["M", "F"]), "OGRS3 has coefficients for men (M) and women (F) only"),
        (w._category.isnull(), "unknown offence category"),
        (w.previous_sanctions < 0, "previous sanctions is negative"),
        (w.date_of_first_sanction > w.date_of_current_conviction, "first sanction is after the current conviction"),
        (w._age_first < 10, "age at first sanction is under 10"),
        (w._age_risk < 10, "age at risk is under 10"),
        else_=ibis.null("string"),
    )
    ok = error.isnull()
    copas = ((w.previous_sanctions + 1).cast("float64") / (10 + w._age_conv - w._age_first).cast("float64")).ln()
    # Only rows without an error reach the logarithm (a zero or negative ratio would fail); the
    # null Copas rate of the others makes their linear predictor and probabilities null too.
    copas = ibis.cases((ok, copas), else_=ibis.null("float64"))
    sanction_term = ibis.cases((w.previous_sanctions > 0, c.repeat_offender), else_=c.first_sanction)
    x = _age_gender_term(w.gender, w._age_risk) + sanction_term + c.copas * copas + w._category
    return {"ogrs3_error": error, "_copas": copas, "_x": x}


def ogrs3_probabilities(w: ir.Table) -> dict[str, ir.Value]:
    """The last step, on a table with `_x`: the 1- and 2-year probabilities and the band."""
    c = coefficients()
    p2 = 1.0 / (1.0 + (-(c.two_year_intercept + w._x)).exp())
    return {
        "ogrs3_1yr": 1.0 / (1.0 + (-(c.one_year_intercept + w._x)).exp()),
        "ogrs3_2yr": p2,
        "ogrs3_band": _band_expr(p2),
    }


def score_ogrs3(t: ir.Table, *, keep_workings: bool = False) -> ir.Table:
    """Add `ogrs3_1yr`, `ogrs3_2yr`, `ogrs3_band` and `ogrs3_error` to a table of OGRS3 inputs.

    The input columns are `INPUT_COLUMNS` (dates as dates, `previous_sanctions` an integer,
    `gender` M or F, `offence_category` named as in the coefficients file). With
    `keep_workings`, also the ages, the Copas rate and the linear predictor.

    Each working is computed once, in its own step, and referred to by name afterwards: the
    SQL stays small (no age repeated in every branch of the age-and-gender term). The steps
    are `ogrs3_ages`, `ogrs3_predictor` and `ogrs3_probabilities`, so that a longer query (the
    cohort scoring) can compute them within its own steps.
    """
    ages = ogrs3_ages(
        t.date_of_birth, t.date_at_risk, t.date_of_current_conviction, t.date_of_first_sanction, t.offence_category
    )
    w = t.mutate(**ages, _barrier_ages=barrier())
    w = w.mutate(**ogrs3_predictor(w), _barrier_x=barrier())
    w = w.mutate(**ogrs3_probabilities(w))
    if keep_workings:
        w = w.rename(
            age_at_risk="_age_risk",
            age_at_current_conviction="_age_conv",
            age_at_first_sanction="_age_first",
            copas_rate="_copas",
            linear_predictor="_x",
        )
    return w.drop(*[name for name in _WORKINGS if name in w.columns])
