"""Proven reoffending on hand-made histories, with every boundary day worked out by hand.

Cut-off 31 October 2026. Person 1's index date is 31 August 2024: the follow-up runs from
1 September 2024 to 31 August 2025, the waiting period to 28 February 2026 (31 August + 18
months is the last day of February); the 12 months before entry run from 31 August 2023 to
30 August 2024 and those offences count when proven by 28 February 2025.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

import ibis
import polars as pl
import pytest

from openiom.analytics import inputs_from_rows
from openiom.analytics.ogrs3 import coefficients
from openiom.analytics.outcomes import before_after, by_year, predicted_against_actual, summarise_reoffending, survival
from openiom.analytics.reoffending import characteristics_at, index_dates, reoffending
from openiom.analytics.stats import kaplan_meier, mean_interval, survival_at, wilson_interval

D = date.fromisoformat
CUTOFF = D("2026-10-31")


def offence(key: int, code: str, committed: str, outcome: str, decided: str) -> dict[str, Any]:
    return {
        "person_key": key,
        "offence_code": code,
        "offence_date": D(committed),
        "outcome": outcome,
        "outcome_date": D(decided),
        "disposal": None,
        "sentence_days": None,
    }


PEOPLE = [{"person_key": k, "date_of_birth": D("1990-06-15"), "gender": "M", "ethnicity": "W"} for k in range(1, 9)]
OFFENCES = [
    # 1: index 31 August 2024.
    offence(1, "shoplifting", "2024-08-31", "conviction", "2024-09-20"),  # on the index date: not a reoffence
    offence(1, "violence_with_injury", "2024-09-01", "conviction", "2024-10-01"),  # day 1: the first reoffence
    offence(1, "criminal_damage", "2025-08-31", "conviction", "2026-02-28"),  # last day of both windows
    offence(1, "shoplifting", "2025-09-01", "conviction", "2025-10-01"),  # a day after the follow-up
    offence(1, "other_theft", "2025-08-30", "conviction", "2026-03-01"),  # proven a day too late
    offence(1, "other_theft", "2025-01-01", "arrest", "2025-01-01"),  # not proven
    offence(1, "breach_of_order", "2025-01-02", "conviction", "2025-01-20"),  # a breach: not an offence here
    offence(1, "drug_possession", "2025-02-01", "caution", "2025-02-02"),  # a caution is proven
    offence(1, "burglary_residential", "2023-08-31", "conviction", "2023-09-15"),  # first day before entry
    offence(1, "theft_from_vehicle", "2023-08-30", "conviction", "2023-09-15"),  # a day too early
    offence(1, "vehicle_taking", "2024-08-30", "conviction", "2025-02-28"),  # last day, proven on the last day
    offence(1, "vehicle_taking", "2024-08-29", "conviction", "2025-03-01"),  # proven a day too late
    # 2: in custody on entry (10 January 2024), released 15 March 2024: the index date.
    offence(2, "burglary_residential", "2023-05-01", "conviction", "2023-06-01"),
    offence(2, "shoplifting", "2024-03-16", "conviction", "2024-04-01"),
    # 3: in custody on entry with no release recorded: no index date.
    offence(3, "shoplifting", "2024-09-16", "conviction", "2024-10-01"),
    # 5: index 1 June 2025, follow-up not over; an outcome after the cut-off is not seen.
    offence(5, "shoplifting", "2025-07-01", "conviction", "2025-08-01"),
    offence(5, "shoplifting", "2025-09-01", "conviction", "2026-11-15"),
    # 6: index 30 April 2025, whose 18 months end on 30 October 2026, the day before the cut-off.
    offence(6, "public_order", "2025-05-01", "conviction", "2025-05-10"),
]
CUSTODY = [
    {"person_key": 2, "reception_date": D("2023-06-01"), "release_date": D("2024-03-15")},
    {"person_key": 3, "reception_date": D("2024-01-01"), "release_date": None},
    # 4: released on the entry date itself: not in custody on it.
    {"person_key": 4, "reception_date": D("2023-01-01"), "release_date": D("2024-05-01")},
]
ENTRIES = {1: "2024-08-31", 2: "2024-01-10", 3: "2024-01-10", 4: "2024-05-01", 5: "2025-06-01", 6: "2025-04-30"}
ENTRIES[7] = "2025-05-01"  # 7: 18 months end on 1 November 2026: incomplete


def cohort_table() -> ibis.Table:
    return ibis.memtable(
        {"person_key": list(ENTRIES), "entry_date": [D(v) for v in ENTRIES.values()]},
        schema={"person_key": "int64", "entry_date": "date"},
    )


@pytest.fixture
def rows(execute: Callable[[ibis.Table], pl.DataFrame]) -> dict[int, dict[str, Any]]:
    inputs = inputs_from_rows({"people": PEOPLE, "offences": OFFENCES, "custody": CUSTODY})
    expr = reoffending(inputs, index_dates(inputs, cohort_table()), CUTOFF)
    return {r["person_key"]: r for r in execute(expr).to_dicts()}


def test_index_dates_from_custody(rows: dict[int, dict[str, Any]]) -> None:
    assert rows[1]["index_date"] == D("2024-08-31")
    assert rows[1]["in_custody_at_entry"] is False
    assert rows[2]["index_date"] == D("2024-03-15")
    assert rows[2]["in_custody_at_entry"] is True
    assert rows[3]["index_date"] is None
    assert rows[3]["in_custody_at_entry"] is True
    assert rows[4]["index_date"] == D("2024-05-01")
    assert rows[4]["in_custody_at_entry"] is False


def test_reoffences_on_the_boundary_days(rows: dict[int, dict[str, Any]]) -> None:
    one = rows[1]
    assert one["follow_up_end"] == D("2025-08-31")
    assert one["waiting_end"] == D("2026-02-28")
    assert one["complete"] is True
    assert one["reoffended"] is True
    assert one["reoffences"] == 3  # violence (day 1), criminal damage (last day), the caution
    assert one["first_reoffence_date"] == D("2024-09-01")
    assert one["days_to_first"] == 1


def test_before_window_and_harm_and_cost(rows: dict[int, dict[str, Any]]) -> None:
    one = rows[1]
    assert one["offences_before"] == 2  # residential burglary (first day), vehicle taking (last day)
    assert one["harm_before"] == pytest.approx(273.5 + 5.0)  # residential burglary, vehicle taking
    assert one["cost_before"] == pytest.approx(10290.0)  # residential burglary's cost is unknown
    assert one["cost_unknown_before"] == 1
    assert one["harm_after"] == pytest.approx(365.0 + 2.0 + 3.0)  # violence with injury, damage, possession
    assert one["cost_after"] == pytest.approx(14050.0 + 1350.0)  # drug possession: unknown
    assert one["cost_unknown_after"] == 1


def test_custody_and_completeness(rows: dict[int, dict[str, Any]]) -> None:
    assert rows[2]["reoffences"] == 1
    assert rows[2]["days_to_first"] == 1
    assert rows[2]["offences_before"] == 1  # May 2023: within the 12 months before entry (10 January 2024)
    assert rows[3]["complete"] is False
    assert rows[3]["reoffences"] == 0
    assert rows[4]["complete"] is True
    assert rows[4]["reoffended"] is False
    assert rows[5]["complete"] is False
    assert rows[5]["reoffences"] == 1  # the outcome of 15 November 2026 is after the cut-off
    assert rows[5]["observed_days"] == (D("2026-04-30") - D("2025-06-01")).days
    assert rows[6]["waiting_end"] == D("2026-10-30")
    assert rows[6]["complete"] is True
    assert rows[6]["reoffences"] == 1
    assert rows[7]["waiting_end"] == D("2026-11-01")
    assert rows[7]["complete"] is False


def test_summary_before_after_and_survival(rows: dict[int, dict[str, Any]]) -> None:
    frame = pl.DataFrame(list(rows.values()))
    s = summarise_reoffending(frame)
    assert (s.cohort, s.no_index, s.incomplete, s.measured) == (7, 1, 2, 4)  # measured: 1, 2, 4, 6
    assert (s.reoffenders, s.reoffences) == (3, 5)
    assert s.rate is not None
    assert s.rate.value == pytest.approx(0.75)
    assert s.per_reoffender is not None
    assert s.per_reoffender.value == pytest.approx(5 / 3)
    assert s.per_offender is not None
    assert s.per_offender.value == pytest.approx(5 / 4)
    assert s.suppressed is True  # 4 people measured is a small number
    ba = before_after(frame)
    assert (ba.people, ba.offences_before, ba.offences_after) == (4, 3, 5)
    assert (ba.fewer, ba.same, ba.more) == (0, 2, 2)  # 2: one and one, 4: none and none; 1 and 6 more
    km = survival(frame)
    # Everyone with an index date and at least a day followed: 1, 2, 4, 5, 6, 7.
    assert km.people == 6
    assert km.curve[1].day == 1
    assert km.curve[1].events == 3
    assert [(p.day, p.events, p.censored) for p in km.curve[2:]] == [(30, 1, 0), (364, 0, 1), (365, 0, 1)]
    assert km.at_4_months is not None
    assert km.at_4_months.survival == pytest.approx(2 / 6)


def test_wilson_mean_and_kaplan_meier_by_hand() -> None:
    w = wilson_interval(3, 10)
    assert w is not None
    assert (round(w.lower, 4), round(w.upper, 4)) == (0.1078, 0.6032)
    m = mean_interval([1, 2, 3, 4])
    assert m is not None
    assert m.value == 2.5
    assert m.upper - m.value == pytest.approx(1.959963984540054 * math.sqrt(5 / 3) / 2)
    curve = kaplan_meier([1, 2, 2, 3, 5], [True, True, False, True, False])
    assert [round(p.survival, 6) for p in curve] == [1.0, 0.8, 0.6, 0.3, 0.3]
    assert [p.at_risk for p in curve] == [5, 5, 4, 2, 1]
    point = survival_at(curve, 4)
    assert point is not None
    assert point.survival == pytest.approx(0.3)
    assert survival_at(curve, 6) is None  # no one followed that long


def test_by_year_and_predicted_against_actual() -> None:
    frame = pl.DataFrame(
        {
            "year": [2023] * 10 + [2024] * 10,
            "index_date": [D("2023-02-01")] * 20,
            "complete": [True] * 20,
            "reoffended": [True] * 6 + [False] * 4 + [True] * 5 + [False] * 5,
            "reoffences": [2] * 6 + [0] * 4 + [1] * 5 + [0] * 5,
            "ogrs3_1yr": [0.5] * 10 + [0.3] * 10,
            "ogrs3_band": ["High"] * 10 + ["Low"] * 10,
        }
    )
    years = by_year(frame)
    assert [y.year for y in years] == [2023, 2024]
    assert years[0].summary.rate is not None
    assert years[0].summary.rate.value == pytest.approx(0.6)
    assert years[1].change == pytest.approx(-0.1)
    bands = {b.band: b for b in predicted_against_actual(frame)}
    assert bands["All"].people == 20
    assert bands["All"].predicted == pytest.approx(0.4)
    assert bands["All"].actual is not None
    assert bands["All"].actual.value == pytest.approx(0.55)
    assert bands["High"].difference == pytest.approx(0.1)
    assert bands["Low"].difference == pytest.approx(0.2)
    assert bands["Medium"].people == 0
    assert bands["Medium"].actual is None


def test_characteristics_at_the_index_date(execute: Callable[[ibis.Table], pl.DataFrame]) -> None:
    people = [{"person_key": 1, "date_of_birth": D("1990-06-15"), "gender": "M", "ethnicity": "W"}]
    offences = [
        offence(1, "shoplifting", "2009-12-01", "caution", "2010-01-10"),  # first sanction, aged 19
        offence(1, "criminal_damage", "2015-04-01", "conviction", "2015-05-01"),
        offence(1, "shoplifting", "2024-07-01", "conviction", "2024-08-01"),  # the current occasion: the
        offence(1, "burglary_residential", "2024-07-01", "conviction", "2024-08-01"),  # burglary is worse
        offence(1, "other_theft", "2024-08-20", "arrest", "2024-08-20"),  # the latest offence by the index
        offence(1, "shoplifting", "2024-08-25", "conviction", "2024-09-05"),  # proven after the index date
    ]
    inputs = inputs_from_rows({"people": people, "offences": offences})
    cohort = ibis.memtable(
        {"person_key": [1], "index_date": [D("2024-08-31")]}, schema={"person_key": "int64", "index_date": "date"}
    )
    row = execute(characteristics_at(inputs, cohort)).to_dicts()[0]
    assert row["age"] == 34
    assert row["previous_sanctions"] == 2
    assert row["current_offence_code"] == "burglary_residential"
    assert row["offence_category"] == "Burglary (domestic)"
    assert row["offence_group"] == "acquisitive"
    assert row["offences_last_year"] == 2  # the two convictions of 1 August 2024
    assert row["days_since_last_offence"] == 11  # 20 August (the arrest; 25 August was not known yet)
    c = coefficients()
    copas = math.log(3 / (10 + 34 - 19))
    x = c.age_gender[("M", "30-34")] + c.repeat_offender + c.copas * copas + c.offence_category["Burglary (domestic)"]
    assert row["ogrs3_1yr"] == pytest.approx(1 / (1 + math.exp(-(c.one_year_intercept + x))), abs=1e-12)
    assert row["ogrs3_2yr"] == pytest.approx(1 / (1 + math.exp(-(c.two_year_intercept + x))), abs=1e-12)
