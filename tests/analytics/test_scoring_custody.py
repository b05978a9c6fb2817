"""Custody on the as-of date and sanction counts, on hand-made histories worked out by hand.

As of 31 October 2026 (365-day look-back; pre-release window 183 days, so a release after
2 May 2027 is "long custody"). Release at half a sentence is the outcome date plus half the
`sentence_days`, rounded up. Day counts below were done on a calendar:

- 10 Jan 2026 + 500 days = 25 May 2027 (365 days to 10 Jan 2027, then 21 + 28 + 31 + 30 + 25);
- 1 Dec 2025 + 100 days = 11 Mar 2026 (30 + 31 + 28 + 11);
- 1 Feb 2026 + 300 days = 28 Nov 2026 (27 + 31 + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 28).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import polars as pl
import pytest

from openiom.analytics import SelectionConfig, inputs_from_rows
from tests.analytics.test_scoring_hand_made import offence

AS_OF = date(2026, 10, 31)
D = date.fromisoformat


def person(key: int, born: str, gender: str = "M") -> dict[str, Any]:
    return {"person_key": key, "date_of_birth": D(born), "gender": gender, "ethnicity": "W"}


PEOPLE = [
    person(21, "1990-06-15"),
    person(22, "1985-03-01"),
    person(23, "1995-07-20", "F"),
    person(24, "1988-09-09"),
    person(25, "2000-01-01"),
]
OFFENCES = [
    # 21: received on a 1,000-day sentence, then given a concurrent 100 days while inside. The
    # latest sentence alone would say "out on 21 July 2026", before the as-of date; the custody
    # is explained by both, and the later release (25 May 2027) counts.
    offence(21, "burglary_residential", "2025-12-01", "conviction", "2026-01-10", "immediate_custody", 1000),
    offence(21, "shoplifting", "2025-11-20", "conviction", "2026-06-01", "immediate_custody", 100),
    # 22: still inside on 31 October 2026 although half of his only sentence ended on 11 March
    # 2026 (recalled, or held for another reason the data does not show): release unknown.
    offence(22, "criminal_damage", "2025-10-01", "conviction", "2025-12-01", "immediate_custody", 200),
    # 23: the prison gives a release date (15 December 2026): it wins over any calculation.
    offence(23, "other_theft", "2026-03-01", "conviction", "2026-04-01", "immediate_custody", 400),
    # 24: two custody records covering the as-of date, one still open: in custody since the
    # earlier reception (1 February 2026), and no release date because one period is open.
    offence(24, "robbery_personal", "2026-01-15", "conviction", "2026-02-01", "immediate_custody", 600),
    # 25: arrested, never cautioned or convicted.
    offence(25, "shoplifting", "2026-09-01", "arrest", "2026-09-01"),
]
CUSTODY = [
    {"person_key": 21, "reception_date": D("2026-01-10"), "release_date": None},
    {"person_key": 22, "reception_date": D("2025-12-01"), "release_date": None},
    {"person_key": 23, "reception_date": D("2026-04-01"), "release_date": D("2026-12-15")},
    {"person_key": 24, "reception_date": D("2026-02-01"), "release_date": None},
    {"person_key": 24, "reception_date": D("2026-05-01"), "release_date": D("2027-01-15")},
]


@pytest.fixture
def scores(run_scoring: Callable[..., pl.DataFrame]) -> dict[int, dict[str, Any]]:
    inputs = inputs_from_rows({"people": PEOPLE, "offences": OFFENCES, "custody": CUSTODY})
    frame = run_scoring(inputs, AS_OF, SelectionConfig())
    return {row["person_key"]: row for row in frame.iter_rows(named=True)}


def _custody(row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        row["in_custody"],
        row["custody_reception"],
        row["release_date"],
        row["expected_release_date"],
        row["date_at_risk"],
        row["pre_release_planning"],
    )


def test_everyone_is_scored(scores: dict[int, dict[str, Any]]) -> None:
    assert sorted(scores) == [21, 22, 23, 24, 25]


def test_release_from_the_latest_ending_sentence_since_reception(scores: dict[int, dict[str, Any]]) -> None:
    p = scores[21]
    assert _custody(p) == (True, D("2026-01-10"), None, D("2027-05-25"), D("2027-05-25"), True)
    assert p["window_end"] == D("2026-01-10")
    assert p["window_count"] == 2
    # Sanction occasions 10 Jan and 1 Jun 2026: the current one is 1 Jun, one before it; only
    # 10 Jan is in the window that ends at reception.
    assert (p["previous_sanctions"], p["current_sanction_date"], p["current_offence_code"]) == (
        1,
        D("2026-06-01"),
        "shoplifting",
    )
    assert p["window_sanction_occasions"] == 1


def test_an_expected_release_already_past_is_unknown(scores: dict[int, dict[str, Any]]) -> None:
    p = scores[22]
    assert _custody(p) == (True, D("2025-12-01"), None, None, AS_OF, True)
    assert p["rank"] is None


def test_a_known_release_date_wins(scores: dict[int, dict[str, Any]]) -> None:
    p = scores[23]
    assert _custody(p) == (True, D("2026-04-01"), D("2026-12-15"), None, D("2026-12-15"), False)  # 45 days away


def test_an_open_period_means_still_inside(scores: dict[int, dict[str, Any]]) -> None:
    p = scores[24]
    assert _custody(p) == (True, D("2026-02-01"), None, D("2026-11-28"), D("2026-11-28"), False)  # 28 days away
    assert p["window_end"] == D("2026-02-01")


def test_no_sanction_means_no_previous_sanctions(scores: dict[int, dict[str, Any]]) -> None:
    p = scores[25]
    assert p["previous_sanctions"] is None
    assert p["window_sanction_occasions"] == 0
    assert (p["first_sanction_date"], p["current_sanction_date"]) == (None, None)
    assert p["ogrs3_1yr"] is None
    assert p["ogrs3_error"] == "no caution or conviction on record"
    assert _custody(p) == (False, None, None, None, AS_OF, False)
