"""Intervention impact by propensity score matching: simulated data sets whose true effect is
known, and tiny hand-made ones whose pairs and figures were worked out by hand."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import numpy as np
import polars as pl
import pytest

from openiom.analytics.impact import (
    CovariateSpec,
    ImpactResult,
    _t_quantile,
    estimate_impact,
    fit_logistic,
)

OGRS_ONLY = CovariateSpec(numeric=("ogrs3_1yr",), categorical=())


def simulate(seed: int, effect: float, n: int = 8000) -> tuple[pl.DataFrame, float]:
    """People whose chance of treatment and of reoffending both rise with OGRS3 and previous sanctions.

    Treatment changes each treated person's probability of reoffending by exactly `effect`;
    the second value returned is the true change in reoffences per treated person. About 5%
    of OGRS3 scores, offence groups and days since the last offence are missing.
    """
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 60, n)
    gender = rng.choice(["M", "F", "X", "U"], n, p=[0.8, 0.16, 0.01, 0.03])
    ogrs = rng.beta(2, 3, n)
    sanctions = rng.poisson(2 + 10 * ogrs)
    group = rng.choice(["violence", "acquisitive", "drugs", "other"], n, p=[0.3, 0.4, 0.2, 0.1])
    days = rng.integers(1, 700, n)
    last_year = rng.poisson(1 + 3 * ogrs)
    propensity = -2.2 + 3.0 * (ogrs - 0.4) + 0.12 * (sanctions - 6) - 0.02 * (age - 35) + 0.4 * (group == "acquisitive")
    treated = rng.random(n) < 1 / (1 + np.exp(-propensity))
    untreated_risk = np.clip(0.15 + 0.6 * ogrs + 0.015 * sanctions, 0.15, 0.95)
    reoffended = rng.random(n) < untreated_risk + effect * treated
    extra = 0.5 + 2 * ogrs  # reoffences beyond the first, on average
    reoffences = np.where(reoffended, 1 + rng.poisson(extra), 0)
    frame = pl.DataFrame(
        {
            "person_key": np.arange(1, n + 1, dtype=np.int64),
            "treated": treated,
            "age": age,
            "gender": gender,
            "ogrs3_1yr": pl.Series(np.where(rng.random(n) < 0.05, np.nan, ogrs), nan_to_null=True),
            "previous_sanctions": sanctions,
            "offence_group": [None if missing else g for g, missing in zip(group, rng.random(n) < 0.05, strict=True)],
            "days_since_last_offence": [
                None if missing else int(d) for d, missing in zip(days, rng.random(n) < 0.05, strict=True)
            ],
            "offences_last_year": last_year,
            "reoffended": reoffended,
            "reoffences": reoffences,
        }
    )
    return frame, float(effect * (1 + extra)[treated].mean())


@pytest.fixture(scope="module")
def shift() -> tuple[pl.DataFrame, float, ImpactResult]:
    frame, frequency_effect = simulate(2026, -0.10)
    return frame, frequency_effect, estimate_impact(frame, intervention="SHIFT care farm")


def naive_difference(frame: pl.DataFrame) -> float:
    treated = frame.filter(pl.col("treated"))["reoffended"].mean()
    untreated = frame.filter(~pl.col("treated"))["reoffended"].mean()
    assert isinstance(treated, float)
    assert isinstance(untreated, float)
    return treated - untreated


def test_matching_removes_the_confounding_and_recovers_the_true_effect(
    shift: tuple[pl.DataFrame, float, ImpactResult],
) -> None:
    frame, frequency_effect, result = shift
    assert naive_difference(frame) > 0  # the treated were riskier: the raw comparison even has the sign wrong
    assert result.rate is not None
    assert result.frequency is not None
    assert result.rate.ci_low is not None
    assert result.rate.ci_high is not None
    assert result.rate.ci_low <= -0.10 <= result.rate.ci_high
    assert result.rate.difference == pytest.approx(-0.10, abs=0.04)
    assert result.rate.significant
    assert result.frequency.ci_low is not None
    assert result.frequency.ci_high is not None
    assert result.frequency.ci_low <= frequency_effect <= result.frequency.ci_high
    assert result.converged
    assert result.treated_matched == result.comparison_matched > 1000
    assert result.treated_matched + result.treated_unmatched == result.treated_total
    assert result.pool_size == frame.height - result.treated_total
    assert len({c for _, c in result.pairs}) == len(result.pairs)  # without replacement
    assert "likely to have reduced the proportion of people who reoffended" in result.statement


def test_balance_is_poor_before_matching_and_good_after(shift: tuple[pl.DataFrame, float, ImpactResult]) -> None:
    _, _, result = shift
    rows = {(row.covariate, row.level): row for row in result.balance}
    assert {("ogrs3_1yr", "(missing)"), ("offence_group", "(missing)"), ("gender", "X")} <= set(rows)
    assert (rows[("ogrs3_1yr", None)].smd_before or 0) > 10
    assert (rows[("previous_sanctions", None)].smd_before or 0) > 10
    assert all(row.smd_after is not None and abs(row.smd_after) < 10 for row in result.balance)
    assert not any(row.imbalanced for row in result.balance)
    ogrs = rows[("ogrs3_1yr", None)]
    assert ogrs.treated_mean_before is not None
    assert ogrs.comparison_mean_before is not None
    assert ogrs.comparison_mean_after is not None
    assert ogrs.treated_mean_before > ogrs.comparison_mean_after > ogrs.comparison_mean_before


def test_no_effect_gives_an_interval_containing_zero() -> None:
    frame, _ = simulate(2026, 0.0)
    result = estimate_impact(frame, intervention="SHIFT care farm")
    assert naive_difference(frame) > 0.10
    assert result.rate is not None
    assert result.frequency is not None
    assert result.rate.ci_low is not None
    assert result.rate.ci_high is not None
    assert result.frequency.ci_low is not None
    assert result.frequency.ci_high is not None
    assert result.rate.ci_low < 0 < result.rate.ci_high
    assert result.frequency.ci_low < 0 < result.frequency.ci_high
    assert not result.rate.significant
    assert "could be due to chance" in result.statement


def test_the_result_does_not_depend_on_row_order(shift: tuple[pl.DataFrame, float, ImpactResult]) -> None:
    frame, _, result = shift
    again = estimate_impact(frame.sample(fraction=1.0, shuffle=True, seed=3), intervention="SHIFT care farm")
    assert again.pairs == result.pairs
    assert again.rate == result.rate


def test_the_logistic_regression_recovers_known_coefficients() -> None:
    rng = np.random.default_rng(11)
    x = rng.normal(size=(20000, 3))
    y = rng.random(20000) < 1 / (1 + np.exp(-(-0.5 + x @ np.array([1.0, -0.7, 0.3]))))
    fit = fit_logistic(x, y)
    assert fit.converged
    assert fit.intercept == pytest.approx(-0.5, abs=0.06)
    assert fit.coefficients == pytest.approx((1.0, -0.7, 0.3), abs=0.06)


def test_separable_data_do_not_break_the_fit() -> None:
    x = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]])
    y = np.array([0, 0, 0, 1, 1, 1])
    penalised = fit_logistic(x, y)
    assert penalised.converged
    assert all(math.isfinite(b) for b in penalised.coefficients)
    unpenalised = fit_logistic(x, y, ridge=0.0, max_iterations=30)
    assert not unpenalised.converged
    assert unpenalised.iterations == 30


def test_a_level_only_the_treated_have_still_gives_a_result(shift: tuple[pl.DataFrame, float, ImpactResult]) -> None:
    frame, _, _ = shift
    only_treated = frame.with_columns(
        pl.when(pl.col("treated") & (pl.col("person_key") % 10 == 0))
        .then(pl.lit("X"))
        .otherwise("gender")
        .alias("gender")
    ).with_columns(
        pl.when(~pl.col("treated") & (pl.col("gender") == "X")).then(pl.lit("U")).otherwise("gender").alias("gender")
    )
    result = estimate_impact(only_treated)
    assert result.converged
    assert result.rate is not None
    assert result.treated_unmatched > 0  # people of gender X have no counterpart


def test_a_model_that_did_not_converge_is_reported(shift: tuple[pl.DataFrame, float, ImpactResult]) -> None:
    frame, _, _ = shift
    result = estimate_impact(frame, max_iterations=1)
    assert not result.converged
    assert "The propensity model did not converge (stopped at the limit of 1 steps)." in result.warnings
    assert "did not settle, so the matching may be unreliable" in result.statement
    assert "(did not converge)" in result.method


def people(rows: list[tuple[int, bool, float | None, bool, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "person_key": pl.Int64,
            "treated": pl.Boolean,
            "ogrs3_1yr": pl.Float64,
            "reoffended": pl.Boolean,
            "reoffences": pl.Int64,
        },
        orient="row",
    )


# The propensity model has one covariate, so the logit is a straight line in OGRS3: nearest on
# the logit is nearest on OGRS3, and the caliper is 0.2 pooled standard deviations of OGRS3.
# Treated .30 .50 .90: variance .06222; pool .29 .33 .52 .47 .10 .12: variance .02508;
# pooled SD sqrt((.06222 + .02508) / 2) = .2089, caliper .0418. Taken in descending order:
# person 3 (.90): the nearest, .52, is .38 away: unmatched. Person 2 (.50): .52 (.02 away)
# beats .47 (.03). Person 1 (.30): .29 (.01 away) beats .33 (.04).
TINY = people(
    [
        (1, True, 0.30, True, 2),
        (2, True, 0.50, False, 0),
        (3, True, 0.90, True, 5),
        (11, False, 0.29, True, 1),
        (12, False, 0.33, False, 0),
        (13, False, 0.52, True, 3),
        (14, False, 0.47, False, 0),
        (15, False, 0.10, True, 1),
        (16, False, 0.12, False, 0),
    ]
)


def test_hand_made_pairs_rates_and_intervals() -> None:
    result = estimate_impact(TINY, spec=OGRS_ONLY)
    assert result.pairs == ((2, 13), (1, 11))
    assert result.unmatched_keys == (3,)
    assert (result.treated_total, result.treated_matched, result.treated_unmatched) == (3, 2, 1)
    assert (result.pool_size, result.comparison_matched) == (6, 2)
    rate, frequency = result.rate, result.frequency
    assert rate is not None
    assert frequency is not None
    # Reoffended: treated 1 of 2, comparison 2 of 2. Pair differences 0 and -1: mean -.5,
    # SD .7071, SE .5, t(1 df) 12.706: -.5 +- 6.35, limited to -1 to +1; t = -1, p = .5.
    assert (rate.treated, rate.comparison, rate.difference) == (0.5, 1.0, -0.5)
    assert (rate.ci_low, rate.ci_high) == (-1.0, 1.0)
    assert rate.p_value == pytest.approx(0.5)
    assert not rate.significant
    # Reoffences: treated 2 and 0, comparison 1 and 3. Differences 1 and -3: mean -1, SD 2.828,
    # SE 2: -1 +- 2 * 12.7062 = -26.41 to 24.41; t = -.5, p = 1 - 2 atan(.5) / pi.
    assert (frequency.treated, frequency.comparison, frequency.difference) == (1.0, 2.0, -1.0)
    assert frequency.ci_low == pytest.approx(-1 - 2 * 12.7062047, abs=1e-5)
    assert frequency.ci_high == pytest.approx(-1 + 2 * 12.7062047, abs=1e-5)
    assert frequency.p_value == pytest.approx(1 - 2 * math.atan(0.5) / math.pi)
    # Balance of OGRS3: before, treated mean .5667 against pool .3050; after, .40 (.30, .50)
    # against .405 (.29, .52); both over the SD from before matching, .208932.
    (ogrs,) = result.balance
    assert (ogrs.treated_mean_before, ogrs.comparison_mean_before) == pytest.approx((1.7 / 3, 0.305))
    assert (ogrs.treated_mean_after, ogrs.comparison_mean_after) == pytest.approx((0.40, 0.405))
    assert ogrs.smd_before == pytest.approx(100 * (1.7 / 3 - 0.305) / 0.208932, abs=0.01)
    assert ogrs.smd_after == pytest.approx(100 * -0.005 / 0.208932, abs=0.01)
    assert not ogrs.imbalanced


def test_matching_is_greedy_from_the_highest_propensity_and_uses_each_person_once() -> None:
    frame = people(
        [
            (1, True, 0.52, False, 0),
            (2, True, 0.49, True, 1),
            (11, False, 0.50, False, 0),
            (12, False, 0.40, False, 0),
            (13, False, 0.10, True, 1),
            (14, False, 0.12, True, 1),
        ]
    )
    # Person 2 is nearer .50 than person 1 is, but person 1 (higher propensity) chooses first.
    result = estimate_impact(frame, spec=OGRS_ONLY, caliper=None)
    assert result.pairs == ((1, 11), (2, 12))
    assert result.caliper_width is None


def test_fewer_than_60_treated_people_are_warned_about() -> None:
    result = estimate_impact(TINY, spec=OGRS_ONLY)
    assert any("fewer than the Justice Data Lab's 60" in warning for warning in result.warnings)
    assert "fewer than the 60 the Justice Data Lab requires" in result.statement
    assert "1 of the 3 people who started the intervention had no one similar enough" in result.statement
    assert result.statement.startswith("The 2 people who started the intervention reoffended at 50%, against 100%")


# With only person 3 (.90) treated and pool .29 .33 .10 .12 (mean .21), the nearest in the pool
# (.33) is .57 away, the caliper .2 * sqrt((0 + .01025) / 2) = .0143.
@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        (TINY.filter(~pl.col("treated")), "there are no people who received it"),
        (TINY.filter(pl.col("treated")), "there is no comparison pool"),
        (TINY.filter(pl.col("person_key").is_in([3, 11, 12, 15, 16])), "no one who received it had anyone similar"),
    ],
)
def test_no_estimate_without_treated_comparison_or_matches(frame: pl.DataFrame, reason: str) -> None:
    result = estimate_impact(frame, spec=OGRS_ONLY)
    assert result.refused
    assert result.refusal is not None
    assert reason in result.refusal
    assert result.rate is None
    assert result.frequency is None
    assert result.treated_matched == 0
    assert result.statement.startswith("No estimate of the impact of the intervention: ")
    json.dumps(result.as_dict())


def test_a_missing_column_is_named() -> None:
    frame, _ = simulate(1, 0.0, n=200)
    for column in ("treated", "reoffences", "offence_group", "ogrs3_1yr"):
        with pytest.raises(ValueError, match=f"missing column: {column}"):
            estimate_impact(frame.drop(column))


def test_unusable_inputs_are_refused_in_words() -> None:
    with pytest.raises(ValueError, match="person_key has duplicates"):
        estimate_impact(pl.concat([TINY, TINY.head(1)]), spec=OGRS_ONLY)
    with pytest.raises(ValueError, match="reoffended has 1 missing values"):
        estimate_impact(
            TINY.with_columns(
                pl.when(pl.col("person_key") == 1).then(None).otherwise("reoffended").alias("reoffended")
            ),
            spec=OGRS_ONLY,
        )
    with pytest.raises(ValueError, match="column treated must be true or false"):
        estimate_impact(TINY.with_columns(pl.col("treated").cast(pl.Utf8)), spec=OGRS_ONLY)
    with pytest.raises(ValueError, match="column reoffences must be counts"):
        estimate_impact(TINY.with_columns(pl.col("reoffences") - 1), spec=OGRS_ONLY)
    with pytest.raises(ValueError, match="covariate ogrs3_1yr must be numeric"):
        estimate_impact(TINY.with_columns(pl.col("ogrs3_1yr").cast(pl.Utf8) + "x"), spec=OGRS_ONLY)
    with pytest.raises(ValueError, match="listed twice"):
        CovariateSpec(numeric=("age", "age"))


def test_nulls_in_ogrs3_and_offence_group_are_used_not_dropped() -> None:
    frame, _ = simulate(5, -0.10, n=3000)
    frame = frame.with_columns(
        pl.when(pl.col("person_key") % 4 == 0).then(None).otherwise("ogrs3_1yr").alias("ogrs3_1yr"),
        pl.when(pl.col("person_key") % 3 == 0).then(None).otherwise("offence_group").alias("offence_group"),
    )
    result = estimate_impact(frame)
    rows = {(row.covariate, row.level): row for row in result.balance}
    assert rows[("ogrs3_1yr", "(missing)")].treated_mean_before == pytest.approx(0.25, abs=0.05)
    assert rows[("offence_group", "(missing)")].comparison_mean_before == pytest.approx(1 / 3, abs=0.05)
    assert result.treated_matched + result.treated_unmatched == result.treated_total
    assert result.rate is not None


NUMBER = re.compile(r"(?<![\w.])[−+]?\d+(?:\.\d+)?")


def figures(result: ImpactResult) -> list[float]:
    assert result.rate is not None
    assert result.frequency is not None
    rate, frequency = result.rate, result.frequency
    counts = [result.treated_total, result.treated_matched, result.treated_unmatched, result.comparison_matched]
    percents = [
        100 * v for v in (rate.treated, rate.comparison, rate.difference, rate.ci_low, rate.ci_high) if v is not None
    ]
    per_person = [
        v
        for v in (frequency.treated, frequency.comparison, frequency.difference, frequency.ci_low, frequency.ci_high)
        if v is not None
    ]
    return [
        *counts,
        *percents,
        *per_person,
        95,
        60,
        10,
    ]  # the last: the 95% interval, the JDL minimum, the SMD threshold


@pytest.mark.parametrize("seed_and_effect", [(2026, -0.10), (7, 0.0)])
def test_the_statement_uses_only_figures_from_the_result(seed_and_effect: tuple[int, float]) -> None:
    frame, _ = simulate(*seed_and_effect, n=3000)
    result = estimate_impact(frame, intervention="SHIFT care farm")
    found = NUMBER.findall(result.statement)
    assert len(found) >= 14
    known = figures(result)
    for text in found:
        value = float(text.replace("−", "-"))
        decimals = len(text.partition(".")[2])
        assert any(round(figure, decimals) == value for figure in known), text
    assert result.rate is not None
    assert f"reoffended at {round(100 * result.rate.treated)}%" in result.statement
    assert "motivation to change" in result.statement
    chance = "could be due to chance: this analysis does not show that SHIFT care farm changed the proportion"
    assert (chance in result.statement) == (not result.rate.significant)


def test_the_result_is_json_and_hides_person_keys_unless_asked(shift: tuple[pl.DataFrame, float, ImpactResult]) -> None:
    _, _, result = shift
    data: dict[str, Any] = json.loads(json.dumps(result.as_dict()))
    assert data["pairs"] is None
    assert data["spec"]["categorical"] == ["gender", "offence_group"]
    assert data["rate"]["difference"] == result.rate.difference  # type: ignore[union-attr]
    assert len(json.loads(json.dumps(result.as_dict(include_people=True)))["pairs"]) == result.treated_matched
    assert "1:1 nearest neighbour" in result.method


@pytest.mark.parametrize(
    ("df", "expected"), [(1, 12.7062047), (2, 4.3026527), (10, 2.2281389), (59, 2.0009954), (1e7, 1.959964)]
)
def test_student_t_quantiles(df: float, expected: float) -> None:
    assert _t_quantile(0.975, df) == pytest.approx(expected, abs=1e-6)
