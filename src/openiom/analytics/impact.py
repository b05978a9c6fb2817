"""Intervention impact: did the people who received an intervention reoffend less than similar people who did not?

The Justice Data Lab's approach: compare the people who received the intervention (the
*treated*) with people picked from those who did not (the *comparison pool*) because they
looked as likely to have received it. Numpy and polars only; one row per person in, a
frozen `ImpactResult` out.

1. **Propensity score.** A logistic regression of "received the intervention" on the
   covariates (by default age, gender, OGRS3 one-year score, previous sanctions, offence
   group, days since the last offence, offences in the last year). Numeric covariates: a
   missing value is replaced by the mean of the known values and a 0/1 "missing" column is
   added (when any value is missing); each numeric column is then standardised to mean 0
   and standard deviation 1. Categorical covariates: a missing value is a level of its own,
   "(missing)"; every level gets a 0/1 column except the most common one, the reference
   (ties: the first alphabetically). Columns that do not vary are left out. The model is
   fitted by Newton-Raphson (iteratively reweighted least squares) with a small ridge
   penalty, `ridge` / 2 times the sum of the squared coefficients (default 1; the intercept
   is not penalised), so that, say, a level found only among the treated gets a large but
   finite coefficient instead of an error. A Newton step is halved until the penalised
   likelihood improves; the fit stops when no coefficient moves by more than 1e-8, or after
   `max_iterations` (100) steps, and then says it did not converge.
2. **Matching.** On the logit of the propensity score (the model's linear predictor): one
   to one, nearest neighbour, *without replacement*. The treated are taken in descending
   order of propensity (the hardest to match first); each is paired with the nearest
   comparison person not already used, if the distance is at most the caliper: `caliper`
   (default 0.2) times the pooled standard deviation of the logit, the square root of
   (variance among the treated + variance in the pool) / 2. Treated people with no one
   within the caliper are left out and counted (`treated_unmatched`): the results then
   describe the matched treated only. There is no randomness: the same data always give
   the same pairs (ties in the logit are broken by `person_key`). Each
   comparison person is used at most once, so no weights are needed and the simple paired
   formulas of step 4 are honest.
3. **Balance.** For each numeric covariate (its known values), each level of a categorical
   one and each missing indicator: the mean among the treated and in the comparison group
   before matching (all the treated against the whole pool) and after (the matched only).
   The standardised mean difference (SMD) is 100 * (treated mean - comparison mean) /
   sqrt((treated variance + pool variance) / 2), with the variances (divisor n; p(1 - p)
   for a share) taken before matching, for the SMD after matching too, so that the two
   differ only because the means do. An |SMD| above 10% after matching is flagged as
   imbalanced.
4. **Estimates.** For the proven reoffending rate (the share who reoffended) and the
   frequency (proven reoffences per person): the mean among the matched treated, the mean
   among their matched comparison people, and the difference (treated minus comparison).
   Its 95% confidence interval comes from the pairs: each pair's difference in outcome;
   their mean plus or minus t * s / sqrt(n), where n is the number of pairs, s the standard
   deviation of the pair differences and t the 97.5% point of Student's t with n - 1
   degrees of freedom (1.98 for 100 pairs, close to 1.96 beyond). For the rate the interval
   is cut to -100 to +100 percentage points. The difference is statistically significant
   when the interval excludes 0; the p-value is the paired t-test's. The interval takes the
   propensity model as known. With fewer than 2 pairs, or when every pair has the same
   difference, no interval is given and nothing is called significant.
5. **Reporting.** Warnings when fewer than 60 treated people are analysed (the Justice Data
   Lab's minimum), when some could not be matched, when balance fails, when the model did
   not converge. A statement in plain words, built only from the figures of the result, of
   the rate and the frequency findings and of what they do and do not show; it always says
   that matching balances only what was measured (motivation to change, for example, was
   not). No estimate at all, but the reason, when there are no treated people, no
   comparison pool, or no one could be matched.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

__all__ = ["BalanceRow", "CovariateSpec", "Estimate", "ImpactResult", "LogisticFit", "estimate_impact", "fit_logistic"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

JDL_MINIMUM = 60  # the Justice Data Lab's minimum number of treated people
IMBALANCE_SMD = 10.0  # percent
MISSING = "(missing)"
REQUIRED = ("person_key", "treated", "reoffended", "reoffences")
LABELS = {
    "age": "age",
    "gender": "gender",
    "ogrs3_1yr": "OGRS3 score",
    "previous_sanctions": "previous sanctions",
    "offence_group": "offence type",
    "days_since_last_offence": "time since the last offence",
    "offences_last_year": "offences in the last year",
}


@dataclass(frozen=True)
class CovariateSpec:
    """The covariates of the propensity model: numeric columns and categorical (text) columns."""

    numeric: tuple[str, ...] = (
        "age",
        "ogrs3_1yr",
        "previous_sanctions",
        "days_since_last_offence",
        "offences_last_year",
    )
    categorical: tuple[str, ...] = ("gender", "offence_group")

    def __post_init__(self) -> None:
        for kind in ("numeric", "categorical"):
            value = getattr(self, kind)
            if isinstance(value, str):
                raise ValueError(f"{kind} covariates are a list of column names, not {value!r}")
            object.__setattr__(self, kind, tuple(value))  # lists from JSON become tuples
        names = self.columns
        if len(set(names)) != len(names):
            raise ValueError(f"a covariate is listed twice: {', '.join(names)}")
        if reserved := [n for n in names if n in REQUIRED]:
            raise ValueError(f"not a covariate: {', '.join(reserved)}")

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.numeric, *self.categorical)

    def as_dict(self) -> dict[str, list[str]]:
        return {"numeric": list(self.numeric), "categorical": list(self.categorical)}


@dataclass(frozen=True)
class BalanceRow:
    """One covariate (`level` None), categorical level, or missing indicator (`level` "(missing)").

    Means are of the value (numeric, over known values) or shares (0 to 1); SMDs in percent.
    """

    covariate: str
    level: str | None
    treated_mean_before: float | None
    comparison_mean_before: float | None
    smd_before: float | None
    treated_mean_after: float | None
    comparison_mean_after: float | None
    smd_after: float | None
    imbalanced: bool  # |smd_after| > 10


@dataclass(frozen=True)
class Estimate:
    """Matched treated against matched comparison on one outcome.

    `outcome` "rate": proportions (0.38 = 38%; a difference of -0.11 is -11 percentage
    points). `outcome` "frequency": proven reoffences per person.
    """

    outcome: str
    treated: float
    comparison: float
    difference: float  # treated - comparison
    ci_low: float | None  # 95% confidence interval of the difference
    ci_high: float | None
    p_value: float | None  # paired t-test, two-sided
    significant: bool  # the interval excludes 0


@dataclass(frozen=True)
class LogisticFit:
    intercept: float
    coefficients: tuple[float, ...]
    converged: bool
    iterations: int

    def linear_predictor(self, x: npt.ArrayLike) -> Floats:
        """The logit of the fitted probability for each row of `x`."""
        design = np.asarray(x, dtype=np.float64).reshape(-1, len(self.coefficients))
        return self.intercept + design @ np.asarray(self.coefficients, dtype=np.float64)


@dataclass(frozen=True)
class ImpactResult:
    intervention: str
    treated_total: int
    treated_matched: int
    treated_unmatched: int
    pool_size: int
    comparison_matched: int
    rate: Estimate | None  # None when refused
    frequency: Estimate | None
    balance: tuple[BalanceRow, ...]
    warnings: tuple[str, ...]
    statement: str
    method: str
    converged: bool  # of the propensity model (False when refused before fitting)
    iterations: int
    caliper: float | None  # in standard deviations of the logit; None: no caliper
    caliper_width: float | None  # on the logit scale
    ridge: float
    spec: CovariateSpec
    pairs: tuple[tuple[int, int], ...]  # (treated person_key, comparison person_key)
    unmatched_keys: tuple[int, ...]  # treated people with no match within the caliper
    refusal: str | None = None  # why there is no estimate

    @property
    def refused(self) -> bool:
        return self.refusal is not None

    def as_dict(self, *, include_people: bool = False) -> dict[str, Any]:
        """JSON-ready; person keys (pairs, unmatched) only when asked for."""
        data = asdict(self)
        data["spec"] = self.spec.as_dict()
        data["balance"] = [asdict(row) for row in self.balance]
        data["warnings"] = list(self.warnings)
        data["pairs"] = [list(p) for p in self.pairs] if include_people else None
        data["unmatched_keys"] = list(self.unmatched_keys) if include_people else None
        return data


# --- the propensity model ------------------------------------------------------------------


def _expit(eta: Floats) -> Floats:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * eta)), dtype=np.float64)  # no overflow


def fit_logistic(
    x: npt.ArrayLike, y: npt.ArrayLike, *, ridge: float = 1.0, max_iterations: int = 100, tolerance: float = 1e-8
) -> LogisticFit:
    """Maximise sum(y log p + (1 - y) log(1 - p)) - ridge / 2 * sum(coefficients ** 2) by Newton-Raphson.

    `x` has one row per person and no intercept column (the intercept is added, and not
    penalised). Never raises on separable data: it stops after `max_iterations` and says so.
    """
    features = np.asarray(x, dtype=np.float64)
    target = np.asarray(y, dtype=np.float64)
    n = target.shape[0]
    design = np.column_stack([np.ones(n), features.reshape(n, -1)])
    penalty = np.full(design.shape[1], float(ridge))
    penalty[0] = 0.0
    beta = np.zeros(design.shape[1])
    share = float(target.mean()) if n else 0.5
    if 0.0 < share < 1.0:
        beta[0] = math.log(share / (1.0 - share))

    def objective(b: Floats) -> float:
        eta = design @ b
        return float(target @ eta - np.logaddexp(0.0, eta).sum() - 0.5 * (penalty * b * b).sum())

    current = objective(beta)
    converged, iterations = False, 0
    while iterations < max_iterations:
        iterations += 1
        p = _expit(design @ beta)
        weight = np.maximum(p * (1.0 - p), 1e-10)
        gradient = design.T @ (target - p) - penalty * beta
        hessian = (design.T * weight) @ design + np.diag(penalty)
        try:
            step = np.linalg.solve(hessian, gradient)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(hessian, gradient, rcond=None)[0]
        scale, improved = 1.0, False
        for _ in range(40):  # halve the step until the penalised likelihood improves
            candidate = objective(beta + scale * step)
            if candidate >= current:
                improved = True
                break
            scale /= 2.0
        moved = float(np.max(np.abs(scale * step))) if improved else 0.0
        if improved:
            beta, current = beta + scale * step, candidate
        if moved < tolerance:  # includes "no step improves it": the optimum to rounding
            converged = improved or float(np.max(np.abs(step))) < 1e-6
            break
    return LogisticFit(float(beta[0]), tuple(float(b) for b in beta[1:]), converged, iterations)


@dataclass(frozen=True)
class _Term:
    covariate: str
    level: str | None
    values: Floats  # one per person; NaN where a numeric value is missing


def _columns(frame: pl.DataFrame, spec: CovariateSpec) -> tuple[Floats, list[_Term]]:
    """The standardised design matrix of the propensity model, and the balance terms."""
    design: list[tuple[Floats, bool]] = []  # (column, standardise it)
    terms: list[_Term] = []
    for name in spec.numeric:
        try:
            raw = frame[name].cast(pl.Float64).to_numpy().astype(np.float64)
        except pl.exceptions.PolarsError as error:
            raise ValueError(f"covariate {name} must be numeric ({frame[name].dtype})") from error
        known = ~np.isnan(raw)
        terms.append(_Term(name, None, raw))
        mean = float(raw[known].mean()) if known.any() else 0.0
        design.append((np.where(known, raw, mean), True))
        if not known.all():
            missing = (~known).astype(np.float64)
            terms.append(_Term(name, MISSING, missing))
            design.append((missing, False))
    for name in spec.categorical:
        values = frame[name].cast(pl.Utf8).fill_null(MISSING).rename("level")
        counts = values.value_counts(name="people").sort(["people", "level"], descending=[True, False])
        array = values.to_numpy()
        for i, level in enumerate(counts["level"].to_list()):
            indicator = (array == level).astype(np.float64)
            terms.append(_Term(name, str(level), indicator))
            if i > 0:  # the most common level is the reference
                design.append((indicator, False))
    kept = [(column, scale) for column, scale in design if column.std() > 0]  # a constant adds nothing
    if not kept:
        return np.zeros((frame.height, 0)), terms
    matrix = np.column_stack([c for c, _ in kept])
    scale = np.array([s for _, s in kept])
    centre = np.where(scale, matrix.mean(axis=0), 0.0)
    spread = np.where(scale, matrix.std(axis=0), 1.0)
    return (matrix - centre) / spread, terms


# --- matching -------------------------------------------------------------------------------


def _find(parent: list[int], i: int) -> int:
    root = i
    while parent[root] != root:
        root = parent[root]
    while parent[i] != root:
        parent[i], i = root, parent[i]
    return root


def _match(
    t_logit: Floats, t_keys: Ints, c_logit: Floats, c_keys: Ints, width: float
) -> tuple[list[tuple[int, int]], list[int]]:
    """Greedy 1:1 nearest neighbour without replacement (indices into the treated and the pool)."""
    order = np.lexsort((c_keys, c_logit))
    values = c_logit[order]
    n = len(order)
    right = list(range(n + 1))  # right[i]: first unused sorted position >= i (n: none)
    left = list(range(n + 1))  # left[i + 1] - 1: last unused sorted position <= i (-1: none)
    pairs: list[tuple[int, int]] = []
    unmatched: list[int] = []
    for t in np.lexsort((t_keys, -t_logit)):
        at = int(np.searchsorted(values, t_logit[t]))
        candidates = [j for j in (_find(right, at), _find(left, at) - 1) if 0 <= j < n]
        if not candidates:
            unmatched.append(int(t))
            continue
        j = min(candidates, key=lambda k: (abs(values[k] - t_logit[t]), c_keys[order[k]]))
        if abs(values[j] - t_logit[t]) > width:
            unmatched.append(int(t))
            continue
        pairs.append((int(t), int(order[j])))
        right[j], left[j + 1] = j + 1, j
    return pairs, unmatched


# --- balance and estimates --------------------------------------------------------------------


def _mean_var(values: Floats) -> tuple[float | None, float | None]:
    known = values[~np.isnan(values)]
    return (float(known.mean()), float(known.var())) if known.size else (None, None)


def _balance(terms: list[_Term], mask: npt.NDArray[np.bool_], tm: Ints, cm: Ints) -> tuple[BalanceRow, ...]:
    rows = []
    for term in terms:
        t_before, t_var = _mean_var(term.values[mask])
        c_before, c_var = _mean_var(term.values[~mask])
        t_after, _ = _mean_var(term.values[tm])
        c_after, _ = _mean_var(term.values[cm])
        sd = math.sqrt((t_var + c_var) / 2) if t_var is not None and c_var is not None else None

        def smd(a: float | None, b: float | None, sd: float | None = sd) -> float | None:
            if a is None or b is None or sd is None:
                return None
            if sd == 0:
                return 0.0 if a == b else None
            return 100.0 * (a - b) / sd

        after = smd(t_after, c_after)
        rows.append(
            BalanceRow(
                covariate=term.covariate,
                level=term.level,
                treated_mean_before=t_before,
                comparison_mean_before=c_before,
                smd_before=smd(t_before, c_before),
                treated_mean_after=t_after,
                comparison_mean_after=c_after,
                smd_after=after,
                imbalanced=after is not None and abs(after) > IMBALANCE_SMD,
            )
        )
    return tuple(rows)


def _betacf(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    tiny, c, d = 1e-300, 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        for aa in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + aa * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + aa / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0 or x >= 1.0:
        return 0.0 if x <= 0.0 else 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _betacf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _betacf(b, a, 1.0 - x) / b


def _t_two_sided_p(t: float, df: float) -> float:
    """P(|T| >= |t|) for Student's t with `df` degrees of freedom."""
    return _betainc(df / 2.0, 0.5, df / (df + t * t))


def _t_quantile(p: float, df: float) -> float:
    """The `p` point (0.5 < p < 1) of Student's t, by bisection on the distribution function."""
    tail = 2.0 * (1.0 - p)
    low, high = 0.0, 1.0
    while _t_two_sided_p(high, df) > tail:
        low, high = high, high * 2.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if _t_two_sided_p(middle, df) > tail:
            low = middle
        else:
            high = middle
        if high - low < 1e-13 * high:
            break
    return (low + high) / 2.0


def _estimate(outcome: str, treated: Floats, comparison: Floats, bound: float = math.inf) -> Estimate:
    diffs = treated - comparison
    n = diffs.size
    difference = float(diffs.mean())
    se = float(diffs.std(ddof=1)) / math.sqrt(n) if n >= 2 else 0.0
    low = high = p_value = None
    if se > 0:
        half = _t_quantile(0.975, n - 1) * se
        low, high = max(difference - half, -bound), min(difference + half, bound)
        p_value = _t_two_sided_p(difference / se, n - 1)
    return Estimate(
        outcome=outcome,
        treated=float(treated.mean()),
        comparison=float(comparison.mean()),
        difference=difference,
        ci_low=low,
        ci_high=high,
        p_value=p_value,
        significant=low is not None and high is not None and (low > 0 or high < 0),
    )


# --- words ------------------------------------------------------------------------------------


def _label(covariate: str) -> str:
    return LABELS.get(covariate, covariate.replace("_", " "))


def _term_label(covariate: str, level: str | None) -> str:
    if level is None:
        return _label(covariate)
    return f"{_label(covariate)} missing" if level == MISSING else f"{_label(covariate)}: {level}"


def _num(value: float, digits: int, *, signed: bool = False) -> str:
    text = f"{value:.{digits}f}"
    if float(text) == 0:
        return text.lstrip("-")
    return ("+" if signed and value > 0 else "") + text.replace("-", "−")


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def _finding(estimate: Estimate, intervention: str, what: str) -> str:
    if estimate.ci_low is None:
        return "There are too few matched people to say how precise this is, so nothing can be concluded from it."
    if not estimate.significant:
        return f"The difference could be due to chance: this analysis does not show that {intervention} changed {what}."
    direction = "reduced" if estimate.difference < 0 else "increased"
    return f"The difference is statistically significant: {intervention} is likely to have {direction} {what}."


def _statement(result: dict[str, Any], rate: Estimate, frequency: Estimate, imbalanced: list[str]) -> str:
    name, matched, total = result["intervention"], result["treated_matched"], result["treated_total"]

    def interval(e: Estimate, scale: float, digits: int) -> str:
        if e.ci_low is None or e.ci_high is None:
            return ""
        return f", 95% confidence interval {_num(e.ci_low * scale, digits, signed=True)} to " + _num(
            e.ci_high * scale, digits, signed=True
        )

    points = _num(rate.difference * 100, 0, signed=True)
    parts = [
        f"The {_people(matched)} who started {name} reoffended at {_num(rate.treated * 100, 0)}%, against "
        f"{_num(rate.comparison * 100, 0)}% for {_people(result['comparison_matched'])} like them who did not "
        f"(a difference of {points} percentage point{'' if points.lstrip('+−') == '1' else 's'}"
        f"{interval(rate, 100, 0)}).",
        _finding(rate, name, "the proportion of people who reoffended"),
        f"On average they had {_num(frequency.treated, 2)} proven reoffences each, against "
        f"{_num(frequency.comparison, 2)} for the comparison group (a difference of "
        f"{_num(frequency.difference, 2, signed=True)} reoffences per person{interval(frequency, 1, 2)}).",
        _finding(frequency, name, "how often people reoffended"),
    ]
    if result["treated_unmatched"]:
        parts.append(
            f"{result['treated_unmatched']} of the {total} people who started {name} had no one similar enough in "
            f"the comparison pool to compare with: these figures describe only the {matched} who could be matched."
        )
    if matched < JDL_MINIMUM:
        parts.append(
            f"Only {_people(matched)} could be analysed, fewer than the {JDL_MINIMUM} the Justice Data Lab requires, "
            "so treat these figures with great caution."
        )
    if not result["converged"]:
        parts.append("The model that picks the comparison group did not settle, so the matching may be unreliable.")
    if imbalanced:
        parts.append(
            f"Even after matching the groups differ on {', '.join(imbalanced)} (a standardised difference above "
            f"{IMBALANCE_SMD:.0f}%), so the comparison is not fully like with like."
        )
    measured = ", ".join(_label(c) for c in result["spec"].columns)
    parts.append(
        f"Matching makes the groups alike only on what was measured ({measured or 'nothing'}); it cannot balance "
        f"what was not, such as motivation to change, so part of any difference may come from who was chosen for "
        f"{name} rather than from {name} itself."
    )
    return " ".join(parts)


# --- the whole analysis -----------------------------------------------------------------------


def _check(frame: pl.DataFrame, spec: CovariateSpec) -> None:
    for name in (*REQUIRED, *spec.columns):
        if name not in frame.columns:
            raise ValueError(f"missing column: {name}")
    for name in REQUIRED:
        if nulls := frame[name].null_count():
            raise ValueError(f"column {name} has {nulls} missing values; it must be known for everyone")
    if not frame["person_key"].dtype.is_integer():
        raise ValueError(f"column person_key must be whole numbers, not {frame['person_key'].dtype}")
    if frame["person_key"].n_unique() != frame.height:
        raise ValueError("column person_key has duplicates; give one row per person")
    for name in ("treated", "reoffended"):
        column = frame[name]
        if column.dtype != pl.Boolean and not (column.dtype.is_integer() and column.is_in([0, 1]).all()):
            raise ValueError(f"column {name} must be true or false (or 1 or 0), not {column.dtype}")
    counts = frame["reoffences"]
    if not counts.dtype.is_numeric() or bool((counts < 0).any()):
        raise ValueError(f"column reoffences must be counts (0 or more), not {counts.dtype}")


def estimate_impact(
    frame: pl.DataFrame,
    *,
    spec: CovariateSpec | None = None,
    caliper: float | None = 0.2,
    intervention: str = "the intervention",
    ridge: float = 1.0,
    max_iterations: int = 100,
) -> ImpactResult:
    """The effect of an intervention on proven reoffending, by propensity score matching (see the module)."""
    spec = spec or CovariateSpec()
    if caliper is not None and not caliper > 0:
        raise ValueError(f"caliper must be positive or None, not {caliper}")
    if ridge < 0:
        raise ValueError(f"ridge must be 0 or more, not {ridge}")
    _check(frame, spec)
    treated = frame["treated"].cast(pl.Boolean).to_numpy().astype(np.float64)
    keys = frame["person_key"].cast(pl.Int64).to_numpy()
    n_treated, n_pool = int(treated.sum()), int(frame.height - treated.sum())
    base: dict[str, Any] = {
        "intervention": intervention,
        "treated_total": n_treated,
        "pool_size": n_pool,
        "caliper": caliper,
        "ridge": ridge,
        "spec": spec,
    }

    def refuse(reason: str, **known: Any) -> ImpactResult:
        defaults: dict[str, Any] = {"converged": False, "iterations": 0, "caliper_width": None, "balance": ()}
        values = {**base, **defaults, **known}
        return ImpactResult(
            **values,
            treated_matched=0,
            treated_unmatched=n_treated,
            comparison_matched=0,
            rate=None,
            frequency=None,
            warnings=(reason,),
            statement=f"No estimate of the impact of {intervention}: {reason}",
            method=_method(values),
            pairs=(),
            unmatched_keys=tuple(int(k) for k in keys[treated == 1]),
            refusal=reason,
        )

    if n_treated == 0:
        return refuse("there are no people who received it.")
    if n_pool == 0:
        return refuse("there is no comparison pool (everyone received it).")

    design, terms = _columns(frame, spec)
    fit = fit_logistic(design, treated, ridge=ridge, max_iterations=max_iterations)
    logit = fit.linear_predictor(design)
    mask = treated == 1
    spread = math.sqrt((logit[mask].var() + logit[~mask].var()) / 2)
    width = caliper * spread if caliper is not None else math.inf
    t_rows, c_rows = np.flatnonzero(mask), np.flatnonzero(~mask)
    pairs, unmatched = _match(logit[mask], keys[mask], logit[~mask], keys[~mask], width)
    t_sel = np.array([t_rows[t] for t, _ in pairs], dtype=np.int64)
    c_sel = np.array([c_rows[c] for _, c in pairs], dtype=np.int64)
    balance = _balance(terms, mask, t_sel, c_sel)
    fitted: dict[str, Any] = {
        "converged": fit.converged,
        "iterations": fit.iterations,
        "caliper_width": width if caliper is not None else None,
        "balance": balance,
    }
    if not pairs:
        return refuse("no one who received it had anyone similar enough in the comparison pool.", **fitted)

    outcomes = {name: frame[name].cast(pl.Float64).to_numpy() for name in ("reoffended", "reoffences")}
    rate = _estimate("rate", outcomes["reoffended"][t_sel], outcomes["reoffended"][c_sel], bound=1.0)
    frequency = _estimate("frequency", outcomes["reoffences"][t_sel], outcomes["reoffences"][c_sel])
    values = {
        **base,
        **fitted,
        "treated_matched": len(pairs),
        "treated_unmatched": len(unmatched),
        "comparison_matched": len(pairs),
    }
    imbalanced = [_term_label(r.covariate, r.level) for r in balance if r.imbalanced]
    warnings = []
    if len(pairs) < JDL_MINIMUM:
        warnings.append(
            f"Only {len(pairs)} treated people were analysed, fewer than the Justice Data Lab's {JDL_MINIMUM}."
        )
    if unmatched:
        warnings.append(
            f"{len(unmatched)} of {n_treated} treated people had no match within the caliper and are left out."
        )
    if imbalanced:
        warnings.append(f"Imbalanced after matching (|SMD| > {IMBALANCE_SMD:.0f}%): {', '.join(imbalanced)}.")
    if not fit.converged:
        warnings.append(f"The propensity model did not converge (stopped at the limit of {max_iterations} steps).")
    warnings.extend(
        f"No confidence interval for the {e.outcome}: too few pairs, or every pair has the same difference."
        for e in (rate, frequency)
        if e.ci_low is None
    )
    return ImpactResult(
        **values,
        rate=rate,
        frequency=frequency,
        warnings=tuple(warnings),
        statement=_statement(values, rate, frequency, imbalanced),
        method=_method(values),
        pairs=tuple((int(keys[t_rows[t]]), int(keys[c_rows[c]])) for t, c in pairs),
        unmatched_keys=tuple(int(keys[t_rows[t]]) for t in unmatched),
    )


def _method(values: dict[str, Any]) -> str:
    spec: CovariateSpec = values["spec"]
    caliper, width = values["caliper"], values["caliper_width"]
    fitted = (
        f"fitted by Newton-Raphson in {values['iterations']} iterations "
        + ("(converged)" if values["converged"] else "(did not converge)")
        if values["iterations"]
        else "not fitted"
    )
    if caliper is None:
        limit = "no caliper"
    else:
        limit = f"caliper {caliper:g} standard deviations of the logit" + (
            f" ({width:.4f} on the logit scale)" if width is not None else ""
        )
    return (
        f"Propensity score matching. Propensity: logistic regression of treatment on "
        f"{', '.join(spec.columns) or 'no covariates'} (numeric covariates standardised, missing values set to the "
        f"mean with a missing indicator, categories as indicators against the most common level, ridge penalty "
        f"{values['ridge']:g}), {fitted}. Matching: 1:1 nearest neighbour on the logit of the propensity score "
        f"without replacement, greedy in descending order of propensity, {limit}. Estimates: means over the matched "
        f"pairs, differences with 95% confidence intervals from the paired differences and Student's t with "
        f"n - 1 degrees of freedom."
    )
