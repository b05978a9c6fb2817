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
    other = table[("Gender", "Another gender")]
    assert (other.population, other.selected, other.suppressed) == (None, None, True)  # 4 people
    female = table[("Gender", "Female")]
    # Only one population (4) is small, so the next smallest (16) is hidden too: 100 - 80 would give it away.
    assert (female.population, female.selected, female.rate, female.ratio) == (None, None, None, None)
    assert female.suppressed
    # With two groups, hiding the small one (4) means hiding the other too: 100 - 96 = 4.
    white = table[("Ethnicity", "White")]
    assert (white.population, white.selected, white.suppressed) == (None, None, True)
    assert table[("Age band", "25-34")].population_share is None
    assert ("Ethnicity", "Asian") not in table  # no one: no row


def test_two_small_groups_need_no_secondary_suppression() -> None:
    rows = (
        _people({"gender": "M", "ethnicity": "W", "age": 30}, 80, 16)
        + _people({"gender": "F", "ethnicity": "W", "age": 30}, 3, 1)
        + _people({"gender": "X", "ethnicity": "W", "age": 30}, 2, 0)
        + _people({"gender": "U", "ethnicity": "W", "age": 9}, 20, 8)
    )
    table = {(r.dimension, r.group): r for r in fairness_table(pl.DataFrame(rows), small_number=5)}
    assert table[("Gender", "Female")].population is None
    assert table[("Gender", "Another gender")].population is None
    unknown = table[("Gender", "Unknown")]
    # One selected count is small (1 of 3 women), so the next smallest non-zero one (8) is hidden too.
    assert (unknown.population, unknown.selected, unknown.suppressed) == (20, None, True)
    assert (table[("Gender", "Male")].population, table[("Gender", "Male")].selected) == (80, 16)
    assert table[("Age band", "under 10")].population == 20  # no one silently dropped
    assert sum(r.population or 0 for r in table.values() if r.dimension == "Age band") == 105


def test_nobody_selected_is_not_suppressed() -> None:
    rows = _people({"gender": "M", "ethnicity": "W", "age": 40}, 10, 0)
    (male,) = [r for r in fairness_table(pl.DataFrame(rows)) if r.group == "Male"]
    assert (male.selected, male.rate, male.suppressed) == (0, 0.0, False)
