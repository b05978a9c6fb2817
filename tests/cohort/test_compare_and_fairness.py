"""Comparing two runs, and the fairness view with small numbers suppressed."""

from __future__ import annotations

import pytest

from openiom.cohort.selectors import compare_runs, config_differences, fairness_for


def test_compare_runs_with_a_higher_hcc_threshold(borough, start_run) -> None:
    a = start_run(label="Threshold 9")
    b = start_run(label="Threshold 12", cohorts={"hcc_min_rfg_score": 12})
    comparison = compare_runs(a, b)
    # Gina (RFG 11) is no longer a High Crime Causer; Bella (PPO) moves up into the second place.
    assert [s.person.given_name for s in comparison.entered] == ["Bella"]
    assert [(s.person.given_name, now.outcome if now else None) for s, now in comparison.left] == [
        ("Gina", "not_eligible")
    ]
    assert comparison.rank_changes == []
    assert comparison.unchanged == 2  # Adam (IOM 1) and Dan (DYO 1)
    assert comparison.config_changes == [("cohorts.hcc_min_rfg_score", 9.0, 12)]
    assert comparison.same_data


def test_compare_shows_rank_changes(borough, start_run) -> None:
    # Everyone is a High Crime Causer at threshold 0. With the usual weights the IOM ranks are
    # Adam (12), Gina (11), Bella (5), Fred (3); without gravity they are Gina (9), Adam (8), Bella (4), Fred (2).
    a = start_run(nominations_wanted=10, cohorts={"hcc_min_rfg_score": 0})
    b = start_run(nominations_wanted=10, cohorts={"hcc_min_rfg_score": 0}, rfg={"gravity_weight": 0})
    comparison = compare_runs(a, b)
    assert comparison.entered == []
    assert comparison.left == []
    assert [(c.person.given_name, c.rank_a, c.rank_b, c.change) for c in comparison.rank_changes] == [
        ("Gina", 2, 1, 1),
        ("Adam", 1, 2, -1),
    ]
    assert comparison.unchanged == 3  # Bella, Fred and Dan
    assert comparison.config_changes == [("rfg.gravity_weight", 1.0, 0.0)]


def test_compare_lists_a_different_as_of_date_first(borough, start_run) -> None:
    from datetime import date

    comparison = compare_runs(start_run(), start_run(as_of=date(2026, 6, 27), lookback_days=400))
    assert comparison.config_changes == [
        ("as-of date", date(2026, 6, 30), date(2026, 6, 27)),
        ("lookback_days", 365, 400),
    ]


def test_config_differences_flatten_nested_settings() -> None:
    a = {"lookback_days": 365, "rfg": {"recency_weight": 1.0, "frequency_weight": 1.0}, "counted_outcomes": ["arrest"]}
    b = {"lookback_days": 365, "rfg": {"recency_weight": 2.0, "frequency_weight": 1.0}, "counted_outcomes": ["charge"]}
    assert config_differences(a, b) == [
        ("rfg.recency_weight", 1.0, 2.0),
        ("counted_outcomes", ["arrest"], ["charge"]),
    ]


def test_compare_page(client_for, borough, start_run) -> None:
    a = start_run(label="Threshold 9")
    b = start_run(label="Threshold 12", cohorts={"hcc_min_rfg_score": 12})
    html = client_for("police_officer").get(f"/cohort/compare/?a={a.pk}&b={b.pk}").content.decode()
    assert "1 person enters the nominations and 1 leaves" in html
    assert "cohorts.hcc_min_rfg_score" in html
    assert "TESTPERSON, Bella" in html
    assert "Both runs read the same data" in html
    same = client_for("police_officer").get(f"/cohort/compare/?a={a.pk}&b={a.pk}").content.decode()
    assert "Choose two different runs" in same


def test_fairness_suppresses_small_numbers(client_for, borough, start_run) -> None:
    run = start_run()  # small_number 5: every group of this 7-person borough is smaller than 5
    tables = fairness_for(run)
    assert set(tables) == {"Gender", "Ethnicity", "Age band"}
    male = next(r for r in tables["Gender"] if r.group == "Male")
    assert (male.population, male.selected, male.rate, male.ratio, male.suppressed) == (None, None, None, None, True)
    html = client_for("analyst").get(f"/cohort/runs/{run.pk}/fairness/").content.decode()
    assert "fewer than 5" in html
    assert "counts from 1 to 4 are shown as “fewer than 5”" in html
    assert "Overall, 3 of 7 people scored were nominated (42.9%)" in html


def test_fairness_shows_rates_and_ratios_when_numbers_are_not_small(borough, start_run) -> None:
    run = start_run(small_number=1)
    male = next(r for r in fairness_for(run)["Gender"] if r.group == "Male")
    # Men scored: Adam, Carl, Dan, Fred (4); nominated: Adam and Dan. Overall rate 3 / 7.
    assert (male.population, male.selected) == (4, 2)
    assert male.rate == pytest.approx(0.5)
    assert male.ratio == pytest.approx(0.5 / (3 / 7))
    female = next(r for r in fairness_for(run)["Gender"] if r.group == "Female")
    assert (female.population, female.selected, female.selected_share) == (3, 1, pytest.approx(1 / 3))
