"""The selection configuration round-trips as JSON and refuses bad values in words; the fairness
view suppresses small numbers."""

from __future__ import annotations

import json

import polars as pl
import pytest

from openiom.analytics import ConfigError, SelectionConfig, fairness_table


def test_the_configuration_round_trips_as_json() -> None:
    config = SelectionConfig.from_dict({"lookback_days": 180, "cohorts": {"hcc_min_rfg_score": 11}})
    again = SelectionConfig.from_json(config.to_json())
    assert again == config
    assert json.loads(config.to_json())["cohorts"]["hcc_min_rfg_score"] == 11
    assert again.rfg.maximum == 15


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"lookback_days": 10}, "lookback_days: Input should be greater than or equal to 30"),
        (
            {"cohorts": {"flex_offence_codes": ["joyriding"]}},
            "cohorts.flex_offence_codes: unknown offence codes: joyriding",
        ),
        ({"harm_overrides": {"burglary_residential": -1}}, "harm_overrides.burglary_residential"),
        ({"counted_outcomes": []}, "counted_outcomes: count at least one outcome"),
        ({"cohorts": {"cohort_priority": ["PPO", "PPO", "HCC"]}}, "list PPO, DIP and HCC once each"),
        ({"nominations": 5}, "nominations: Extra inputs are not permitted"),
        ({"rfg": {"recency_bands": [{"at_least": 3, "points": 1}]}}, "recency bands are given with at_most"),
    ],
)
def test_bad_configurations_are_refused_in_words(data: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        SelectionConfig.from_dict(data)
    assert message in str(caught.value)


def test_not_json_says_where() -> None:
    with pytest.raises(ConfigError, match=r"not JSON: .* line 1"):
        SelectionConfig.from_json("{nope")


def _people(group: dict[str, object], population: int, selected: int) -> list[dict[str, object]]:
    return [{**group, "nominated": i < selected} for i in range(population)]


def test_fairness_rates_ratios_and_suppression() -> None:
    rows = (
        _people({"gender": "M", "ethnicity": "W", "age": 30}, 80, 16)
        + _people({"gender": "F", "ethnicity": "W", "age": 30}, 16, 3)
        + _people({"gender": "X", "ethnicity": "B", "age": 19}, 4, 1)
    )
    table = {(r.dimension, r.group): r for r in fairness_table(pl.DataFrame(rows), small_number=5)}
    male = table[("Gender", "Male")]
    assert (male.population, male.selected, male.rate) == (80, 16, 0.2)
    assert male.ratio == pytest.approx(0.2 / 0.2)  # 20 of 100 selected overall
    female = table[("Gender", "Female")]
    assert female.population == 16
    assert female.suppressed  # 3 selected: fewer than 5
    assert (female.selected, female.rate, female.ratio) == (None, None, None)
    other = table[("Gender", "Another gender")]
    assert (other.population, other.selected, other.suppressed) == (None, None, True)
    white = table[("Ethnicity", "White")]
    assert (white.population, white.selected) == (96, 19)
    assert white.ratio == pytest.approx((19 / 96) / 0.2)
    assert table[("Age band", "25-34")].population_share == pytest.approx(0.96)
    assert ("Ethnicity", "Asian") not in table  # no one: no row


def test_nobody_selected_is_not_suppressed() -> None:
    rows = _people({"gender": "M", "ethnicity": "W", "age": 40}, 10, 0)
    (male,) = [r for r in fairness_table(pl.DataFrame(rows)) if r.group == "Male"]
    assert (male.selected, male.rate, male.suppressed) == (0, 0.0, False)
