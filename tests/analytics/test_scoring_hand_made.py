"""Hand-made offending histories whose scores were worked out by hand (see each person's notes).

As of 31 October 2026 with a 365-day look-back, the window is 1 November 2025 to 31 October
2026: an offence on 31 October 2025 is outside it, one on 1 November 2025 inside.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

import polars as pl
import pytest

from openiom.analytics import SelectionConfig, explanation_text, inputs_from_rows

AS_OF = date(2026, 10, 31)
D = date.fromisoformat


def offence(
    key: int, code: str, committed: str, outcome: str, decided: str, disposal: str = "", days: int | None = None
) -> dict[str, Any]:
    return {
        "person_key": key,
        "offence_code": code,
        "offence_date": D(committed),
        "outcome": outcome,
        "outcome_date": D(decided),
        "disposal": disposal or None,
        "sentence_days": days,
    }


PEOPLE = [
    {"person_key": 1, "date_of_birth": D("2000-05-15"), "gender": "M", "ethnicity": "W"},
    {"person_key": 2, "date_of_birth": D("2009-03-01"), "gender": "F", "ethnicity": "B"},
    {"person_key": 3, "date_of_birth": D("1980-01-01"), "gender": "M", "ethnicity": "W"},
    {"person_key": 4, "date_of_birth": D("1990-01-01"), "gender": "M", "ethnicity": "A"},
    {"person_key": 5, "date_of_birth": D("1995-01-01"), "gender": "M", "ethnicity": "M"},
    {"person_key": 6, "date_of_birth": D("1985-01-01"), "gender": "M", "ethnicity": "W"},
    {"person_key": 7, "date_of_birth": D("1970-01-01"), "gender": "M", "ethnicity": "W"},
]
OFFENCES = [
    # 1: an adult High Crime Causer.
    offence(1, "shoplifting", "2015-06-01", "caution", "2015-06-10", "youth_caution"),  # first sanction, aged 15
    offence(1, "burglary_residential", "2020-03-01", "conviction", "2020-04-01", "community_order"),
    offence(1, "criminal_damage", "2026-01-10", "conviction", "2026-02-01", "fine"),  # current occasion: the
    offence(1, "shoplifting", "2026-01-10", "conviction", "2026-02-01", "fine"),  # more harmful is damage
    offence(1, "violence_without_injury", "2026-10-07", "arrest", "2026-10-07"),  # latest, 24 days before
    offence(1, "other_theft", "2026-09-01", "no_further_action", "2026-09-02"),  # not counted
    offence(1, "shoplifting", "2025-10-31", "arrest", "2025-10-31"),  # the day before the window
    offence(1, "bicycle_theft", "2025-11-01", "charge", "2025-11-02"),  # the window's first day
    # 2: a young woman of 17 with an Asset score of 30.
    offence(2, "robbery_personal", "2026-06-01", "conviction", "2026-07-01", "referral_order"),
    # 3: would be a High Crime Causer, but MAPPA level 2.
    offence(3, "violence_with_injury", "2026-08-01", "conviction", "2026-09-01", "community_order"),
    # 4: a PPO by flag with one caution.
    offence(4, "shoplifting", "2026-03-01", "caution", "2026-03-01", "caution"),
    # 5: in custody since 1 May 2026 on an 800-day sentence: the window ends at reception; release
    # at half, on 5 June 2027, is more than 183 days away: long custody.
    offence(5, "burglary_residential", "2026-04-01", "conviction", "2026-05-01", "immediate_custody", 800),
    offence(5, "theft_from_person", "2025-06-01", "charge", "2025-06-01"),
    # 6: DIP, arrested for a trigger offence, never sanctioned.
    offence(6, "drug_possession", "2026-10-01", "arrest", "2026-10-01"),
    # 7: nothing in the window.
    offence(7, "shoplifting", "2024-01-01", "conviction", "2024-02-01", "fine"),
]
FLAGS = [
    {"person_key": 2, "flag": "asset_score", "value": "30", "start_date": D("2026-07-01"), "end_date": None},
    {"person_key": 3, "flag": "mappa_2", "value": None, "start_date": D("2024-01-01"), "end_date": None},
    {"person_key": 4, "flag": "ppo", "value": None, "start_date": D("2025-01-01"), "end_date": None},
    {"person_key": 6, "flag": "dip", "value": None, "start_date": D("2026-01-01"), "end_date": D("2026-12-31")},
    {"person_key": 1, "flag": "dip", "value": None, "start_date": D("2024-01-01"), "end_date": D("2024-06-30")},
]
CUSTODY = [{"person_key": 5, "reception_date": D("2026-05-01"), "release_date": None}]
CONFIG = SelectionConfig.from_dict({"nominations_wanted": 2})


@pytest.fixture
def scores(run_scoring: Callable[..., pl.DataFrame]) -> dict[int, dict[str, Any]]:
    inputs = inputs_from_rows({"people": PEOPLE, "offences": OFFENCES, "flags": FLAGS, "custody": CUSTODY})
    frame = run_scoring(inputs, AS_OF, CONFIG)
    return {row["person_key"]: row for row in frame.iter_rows(named=True)}


def _ogrs3(gender_age: float, previous: int, age_conv: int, age_first: int, category: float) -> tuple[float, float]:
    sanction = 0.463062792 if previous else 0.126142106
    x = gender_age + sanction + 1.251124464 * math.log((previous + 1) / (10 + age_conv - age_first)) + category
    return 1 / (1 + math.exp(-(1.402562384 + x))), 1 / (1 + math.exp(-(2.121705678 + x)))


def test_only_people_with_a_counted_offence_in_the_window_are_scored(scores: dict[int, dict[str, Any]]) -> None:
    assert sorted(scores) == [1, 2, 3, 4, 5, 6]


def test_recency_frequency_gravity_by_hand(scores: dict[int, dict[str, Any]]) -> None:
    p = scores[1]
    # Counted: damage, shoplifting (2026-01-10), violence (2026-10-07), bicycle theft (2025-11-01).
    assert p["window_count"] == 4
    assert (p["latest_offence_date"], p["latest_offence_code"], p["recency_days"]) == (
        D("2026-10-07"),
        "violence_without_injury",
        24,
    )
    assert (p["recency_points"], p["frequency_points"], p["gravity_points"]) == (5, 3, 2)  # 24 days, 4, 10 days
    assert p["gravity_code"] == "violence_without_injury"
    assert p["max_harm"] == 10
    assert p["rfg_score"] == 10
    assert (p["window_start"], p["window_end"]) == (D("2025-11-01"), AS_OF)


def test_harm_and_cost_count_unknowns_separately(scores: dict[int, dict[str, Any]]) -> None:
    p = scores[1]
    assert p["harm_days"] == 2 + 1 + 10 + 2
    assert p["harm_unknown"] == 0
    assert p["cost_gbp"] == 1350  # criminal damage; shoplifting, violence without injury, bicycle theft unknown
    assert p["cost_unknown"] == 3
    assert scores[5]["cost_gbp"] == 0
    assert scores[5]["cost_unknown"] == 2


def test_ogrs3_from_the_history(scores: dict[int, dict[str, Any]]) -> None:
    p = scores[1]
    assert (p["previous_sanctions"], p["first_sanction_date"], p["current_sanction_date"]) == (
        2,
        D("2015-06-10"),
        D("2026-02-01"),
    )
    assert (p["current_offence_code"], p["offence_category"]) == ("criminal_damage", "Criminal damage")
    p1, p2 = _ogrs3(-1.166679288, 2, 25, 15, 0.204960477)  # male 25-29 at risk (26)
    assert abs(p["ogrs3_1yr"] - p1) < 1e-9
    assert abs(p["ogrs3_2yr"] - p2) < 1e-9
    young = scores[2]
    p1, p2 = _ogrs3(-0.959179629, 0, 17, 17, -0.634795912)  # female 16-17, robbery, first sanction
    assert abs(young["ogrs3_1yr"] - p1) < 1e-9
    assert abs(young["ogrs3_2yr"] - p2) < 1e-9
    assert scores[6]["ogrs3_1yr"] is None
    assert scores[6]["ogrs3_error"] == "no caution or conviction on record"


def test_someone_in_custody_is_scored_on_street_time_and_aged_at_release(scores: dict[int, dict[str, Any]]) -> None:
    p = scores[5]
    assert p["in_custody"]
    assert p["window_end"] == D("2026-05-01")
    assert p["window_count"] == 2  # the theft from the person is inside the window that ends at reception
    assert (p["recency_days"], p["recency_points"], p["frequency_points"], p["gravity_points"]) == (30, 5, 2, 4)
    assert p["expected_release_date"] == D("2027-06-05")  # 400 days, half of 800
    assert p["date_at_risk"] == D("2027-06-05")
    p1, _ = _ogrs3(-1.325976554, 0, 31, 31, -0.12394352)  # male 30-34 at release (32)
    assert abs(p["ogrs3_1yr"] - p1) < 1e-9
    assert p["pre_release_planning"]
    assert p["eligible"]
    assert p["cohort"] == "HCC"
    assert p["rank"] is None
    assert not p["nominated"]


def test_cohort_rules(scores: dict[int, dict[str, Any]]) -> None:
    assert {k: scores[k]["cohort"] for k in scores} == {1: "HCC", 2: "DYO", 3: "HCC", 4: "PPO", 5: "HCC", 6: "DIP"}
    assert scores[1]["dip_flag"] is False  # the DIP flag ended in 2024
    assert {k: scores[k]["is_dyo"] for k in scores} == {1: False, 2: True, 3: False, 4: False, 5: False, 6: False}
    assert scores[2]["route"] == "DYO"
    assert scores[2]["asset_score"] == 30
    assert {k: scores[k]["framework"] for k in scores} == {
        1: "Free",
        2: "Fixed",
        3: "Flex",
        4: "Free",
        5: "Fixed",
        6: "Free",
    }


def test_mappa_2_is_excluded_with_the_reason(scores: dict[int, dict[str, Any]]) -> None:
    p = scores[3]
    assert p["exclusion"] == "MAPPA level 2: managed under MAPPA arrangements"
    assert not p["eligible"]
    assert p["rank"] is None
    assert not p["nominated"]
    assert "Excluded: MAPPA level 2" in explanation_text(p, CONFIG)


def test_ranking_and_the_nominations_wanted(scores: dict[int, dict[str, Any]]) -> None:
    ranked = {k: (scores[k]["rank"], scores[k]["nominated"]) for k in scores}
    # IOM: 1 (RFG 10) before 6 (RFG 7) before 4 (RFG 4); two wanted. DYO: 2 alone.
    assert ranked == {1: (1, True), 2: (1, True), 3: (None, False), 4: (3, False), 5: (None, False), 6: (2, True)}


def test_the_explanation_uses_the_figures(scores: dict[int, dict[str, Any]]) -> None:
    text = explanation_text(scores[1], CONFIG, ranked_in_route=3)
    assert "violence without injury on 7 Oct 2026, 24 days before the end of the window: recency 5 of 5" in text
    assert "4 counted offences (arrests, charges, convictions and cautions) from 1 Nov 2025 to 31 Oct 2026" in text
    assert "gravity 2 of 5 (5 days or more)" in text
    assert "RFG score: 10 of 15" in text
    assert "£1,350" in text
    assert "3 offences of unknown cost" in text
    assert "2 previous sanction occasions" in text
    assert "High Crime Causer (RFG score 10 is 9 or more)" in text
    assert "Ranked 1st of 3 ranked on the IOM route" in text
    assert "2 nominations wanted: nominated" in text
    youth = explanation_text(scores[2], CONFIG)
    assert "Under 18: Deter Young Offenders, because Asset score 30 is 24 or more" in youth
    custody = explanation_text(scores[5], CONFIG)
    assert "in long custody" in custody
    assert "pre-release planning" in custody


def test_configuration_changes_the_result(run_scoring: Callable[..., pl.DataFrame]) -> None:
    inputs = inputs_from_rows({"people": PEOPLE, "offences": OFFENCES, "flags": FLAGS, "custody": CUSTODY})
    config = SelectionConfig.from_dict(
        {
            "counted_outcomes": ["arrest", "charge", "conviction", "caution", "no_further_action"],
            "harm_overrides": {"violence_without_injury": 200},
            "cohorts": {"excluded_mappa_levels": [3]},
        }
    )
    scores = {r["person_key"]: r for r in run_scoring(inputs, AS_OF, config).iter_rows(named=True)}
    assert scores[1]["window_count"] == 5  # the no-further-action theft now counts
    assert scores[1]["gravity_points"] == 4  # 200 harm days
    assert scores[3]["exclusion"] is None
    assert scores[3]["eligible"]


def test_release_within_the_pre_release_window_is_ranked_as_usual(run_scoring: Callable[..., pl.DataFrame]) -> None:
    """Released at half of 730 days, on 1 May 2027: 182 days after the as-of date, within 183."""
    offences = [
        o if o["person_key"] != 5 or o["sentence_days"] is None else {**o, "sentence_days": 730} for o in OFFENCES
    ]
    inputs = inputs_from_rows({"people": PEOPLE, "offences": offences, "flags": FLAGS, "custody": CUSTODY})
    row = run_scoring(inputs, AS_OF, CONFIG).filter(pl.col("person_key") == 5).row(0, named=True)
    assert row["expected_release_date"] == D("2027-05-01")
    assert row["in_custody"]
    assert not row["pre_release_planning"]
    assert row["rank"] == 1
    assert row["nominated"]


def test_sanctions_before_1970_and_a_delivery_without_custody_or_flags(
    run_scoring: Callable[..., pl.DataFrame],
) -> None:
    """Packed day keys stay positive before 1970; empty tables keep their types."""
    inputs = inputs_from_rows(
        {
            "people": [{"person_key": 9, "date_of_birth": D("1950-03-01"), "gender": "M", "ethnicity": "W"}],
            "offences": [
                offence(9, "burglary_residential", "1968-05-01", "conviction", "1968-06-01", "immediate_custody", 90),
                offence(9, "shoplifting", "2026-09-01", "arrest", "2026-09-01"),
            ],
        }
    )
    (row,) = run_scoring(inputs, AS_OF, CONFIG).iter_rows(named=True)
    assert (row["current_offence_code"], row["offence_category"]) == ("burglary_residential", "Burglary (domestic)")
    assert row["current_sanction_date"] == D("1968-06-01")
    assert row["latest_offence_code"] == "shoplifting"
    assert row["ogrs3_error"] is None
    p1, _ = _ogrs3(-2.025261458, 0, 18, 18, -0.12394352)  # male 50+ at risk (76), first sanction at 18
    assert abs(row["ogrs3_1yr"] - p1) < 1e-9
