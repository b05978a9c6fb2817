"""The local offender profile, on hand-made data whose answers were worked out by hand.

`offender_rows` runs on every backend (the `execute` fixture); `build_profile` and
`summary_text` are plain Python over its output, tested on hand-made frames.

Financial year 2024 is 1 April 2024 to 31 March 2025: an outcome on 31 March 2024 belongs to
2023, one on 31 March 2025 to 2024 and one on 1 April 2025 to 2025.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import ibis
import polars as pl
import pytest

from openiom.analytics.profile import (
    Profile,
    build_profile,
    offender_rows,
    summary_text,
    year_label,
)
from openiom.analytics.tables import inputs_from_rows

D = date.fromisoformat
Execute = Callable[..., pl.DataFrame]


def offence(key: int, code: str, outcome: str, decided: str | None, disposal: str | None = None) -> dict[str, Any]:
    return {
        "person_key": key,
        "offence_code": code,
        "offence_date": D("2024-01-01"),
        "outcome": outcome,
        "outcome_date": D(decided) if decided else None,
        "disposal": disposal,
        "sentence_days": None,
    }


PEOPLE = [
    {"person_key": 1, "date_of_birth": D("2006-06-01"), "gender": "M", "ethnicity": "W"},
    {"person_key": 2, "date_of_birth": D("1999-06-01"), "gender": "F", "ethnicity": "B"},
    {"person_key": 5, "date_of_birth": D("1990-01-01"), "gender": "M", "ethnicity": "W"},
    {"person_key": 6, "date_of_birth": D("1970-03-15"), "gender": "M", "ethnicity": "O"},
]
# Person 3 has two records: the police's (priority 0) is used, not the prison's.
RECORDS = [
    {"person_key": 3, "date_of_birth": D("1990-01-01"), "gender": "F", "ethnicity": "A", "priority": 1, "id": "P9"},
    {"person_key": 3, "date_of_birth": D("1980-01-01"), "gender": "M", "ethnicity": "W", "priority": 0, "id": "A1"},
]
OFFENCES = [
    # 1: first proven outcome on 31 May 2024, the day before his 18th birthday: 17.
    offence(1, "shoplifting", "conviction", "2024-05-31", "fine"),
    offence(1, "violence_with_injury", "conviction", "2024-07-31", "community_order"),  # most harmful
    offence(1, "criminal_damage", "conviction", "2025-03-31", "fine"),  # last day of 2024
    offence(1, "other_theft", "caution", "2025-04-01", "caution"),  # first day of 2025: aged 18
    offence(1, "burglary_residential", "arrest", "2024-08-01"),  # not proven
    offence(1, "homicide", "no_further_action", "2024-09-01"),  # not proven
    offence(1, "rape", "charge", "2024-09-02"),  # not proven
    # 2: first proven outcome on her 25th birthday. Violence with injury proven twice: the more
    # severe disposal of the two; custody for shoplifting is not that offence's disposal.
    offence(2, "violence_with_injury", "conviction", "2024-06-01", "fine"),
    offence(2, "violence_with_injury", "conviction", "2024-09-01", "suspended_sentence"),
    offence(2, "shoplifting", "conviction", "2024-10-01", "immediate_custody"),
    # 3: aged 44 on the police's date of birth (34 on the prison's).
    offence(3, "robbery_personal", "conviction", "2024-12-01", "immediate_custody"),
    # 4: no person record at all.
    offence(4, "drug_possession", "caution", "2024-05-01", "caution"),
    # 5: 31 March 2024 is in 2023; a conviction without an outcome date is in no year.
    offence(5, "shoplifting", "conviction", "2024-03-31", "fine"),
    offence(5, "burglary_residential", "conviction", None, "community_order"),
    # 6: stalking and violence without injury both weigh 10 days: the vocabulary's order puts
    # violence first; fraud has no weight, so it ranks below both.
    offence(6, "stalking_harassment", "conviction", "2024-05-01", "fine"),
    offence(6, "violence_without_injury", "caution", "2024-06-01", "caution"),
    offence(6, "fraud_forgery", "conviction", "2024-07-01", "community_order"),
]
WARDS = [
    {"person_key": 1, "ward": "Twickenham"},
    {"person_key": 2, "ward": "  "},  # blank: not recorded
    {"person_key": 3, "ward": "Whitton"},  # two wards: the first alphabetically
    {"person_key": 3, "ward": "Barnes"},
]


def _inputs() -> Any:
    inputs = inputs_from_rows({"people": PEOPLE, "offences": OFFENCES})
    records = [
        {
            **{k: r[k] for k in ("person_key", "date_of_birth", "gender", "ethnicity")},
            "record_priority": 0,
            "record_id": "x",
        }
        for r in PEOPLE
    ] + [
        {
            **{k: r[k] for k in ("person_key", "date_of_birth", "gender", "ethnicity")},
            "record_priority": r["priority"],
            "record_id": r["id"],
        }
        for r in RECORDS
    ]
    people = ibis.memtable(
        pl.DataFrame(
            records,
            schema={
                "person_key": pl.Int64,
                "date_of_birth": pl.Date,
                "gender": pl.Utf8,
                "ethnicity": pl.Utf8,
                "record_priority": pl.Int64,
                "record_id": pl.Utf8,
            },
        )
    )
    return replace(inputs, people=people)


def _wards() -> Any:
    return ibis.memtable(pl.DataFrame(WARDS, schema={"person_key": pl.Int64, "ward": pl.Utf8}))


@pytest.fixture
def rows(execute: Execute) -> dict[tuple[int, int], dict[str, Any]]:
    frame = execute(offender_rows(_inputs(), [2024, 2025], wards=_wards()))
    return {(r["year"], r["person_key"]): r for r in frame.iter_rows(named=True)}


def test_one_row_per_person_per_year_with_a_proven_offence(rows: dict[tuple[int, int], dict[str, Any]]) -> None:
    # Person 5's only dated proven offence is in 2023, which was not asked for.
    assert sorted(rows) == [(2024, 1), (2024, 2), (2024, 3), (2024, 4), (2024, 6), (2025, 1)]


def test_financial_year_boundaries_and_proven_outcomes_only(rows: dict[tuple[int, int], dict[str, Any]]) -> None:
    # 31 May, 31 July and 31 March count in 2024; the arrest, charge and no further action do not.
    assert rows[(2024, 1)]["proven_offences"] == 3
    assert rows[(2025, 1)]["proven_offences"] == 1
    assert rows[(2025, 1)]["offence_group"] == "All other theft offences"


def test_31_march_2024_belongs_to_2023(execute: Execute) -> None:
    frame = execute(offender_rows(_inputs(), [2023]))
    assert frame.select("year", "person_key", "proven_offences", "ward").rows() == [(2023, 5, 1, "Not recorded")]


def test_no_years_no_rows(execute: Execute) -> None:
    assert execute(offender_rows(_inputs(), [])).height == 0


def test_the_most_harmful_proven_offence_and_its_disposal(rows: dict[tuple[int, int], dict[str, Any]]) -> None:
    picked = {key: (r["offence_group"], r["disposal"]) for key, r in rows.items()}
    assert picked == {
        (2024, 1): ("Violence with injury", "community_order"),  # not the more harmful arrest
        (2024, 2): ("Violence with injury", "suspended_sentence"),  # the more severe of its two
        (2024, 3): ("Robbery of personal property", "immediate_custody"),
        (2024, 4): ("Possession of drugs", "caution"),
        (2024, 6): ("Violence without injury", "caution"),  # tie on weight: vocabulary order
        (2025, 1): ("All other theft offences", "caution"),
    }


def test_age_at_the_first_proven_outcome_of_the_year(rows: dict[tuple[int, int], dict[str, Any]]) -> None:
    ages = {key: (r["age"], r["age_band"]) for key, r in rows.items()}
    assert ages == {
        (2024, 1): (17, "10-17"),  # 31 May 2024, the day before his 18th birthday
        (2025, 1): (18, "18-24"),  # 1 April 2025
        (2024, 2): (25, "25-29"),  # on her 25th birthday
        (2024, 3): (44, "40-49"),  # the police record's date of birth
        (2024, 4): (None, "Not recorded"),
        (2024, 6): (54, "50 and over"),
    }


def test_several_records_per_person_use_the_first_by_priority(rows: dict[tuple[int, int], dict[str, Any]]) -> None:
    assert (rows[(2024, 3)]["gender"], rows[(2024, 3)]["ethnicity"]) == ("M", "W")
    assert (rows[(2024, 4)]["gender"], rows[(2024, 4)]["ethnicity"]) == (None, None)


def test_wards_missing_blank_or_several(rows: dict[tuple[int, int], dict[str, Any]]) -> None:
    wards = {key: r["ward"] for key, r in rows.items()}
    assert wards == {
        (2024, 1): "Twickenham",
        (2025, 1): "Twickenham",
        (2024, 2): "Not recorded",
        (2024, 3): "Barnes",
        (2024, 4): "Not recorded",
        (2024, 6): "Not recorded",
    }


def test_offender_rows_feed_the_profile(execute: Execute) -> None:
    frame = execute(offender_rows(_inputs(), [2024, 2025], wards=_wards()))
    profile = build_profile(frame, small_number=1)
    assert profile.totals == {2024: 5, 2025: 1}
    offences = profile.dimension("Offence type")
    assert offences is not None
    assert [(r.group, r.count) for r in offences.for_year(2024)] == [
        ("Violence with injury", 2),
        ("Violence without injury", 1),
        ("Robbery of personal property", 1),
        ("All other theft offences", 0),  # vocabulary order; 1 in 2025
        ("Possession of drugs", 1),
    ]


# --- build_profile -----------------------------------------------------------------------------


def _frame(year: int, start: int, **columns: list[Any]) -> pl.DataFrame:
    """Rows for one year: each column a list of the same length (the dimensions are independent)."""
    n = len(next(iter(columns.values())))
    assert all(len(v) == n for v in columns.values())
    defaults: dict[str, list[Any]] = {
        "gender": ["M"] * n,
        "ethnicity": ["W"] * n,
        "age_band": ["30-39"] * n,
        "offence_group": ["Shoplifting"] * n,
        "disposal": ["fine"] * n,
        "ward": ["Not recorded"] * n,
    }
    data = {**defaults, **columns}
    return pl.DataFrame(
        {
            "year": [year] * n,
            "person_key": list(range(start, start + n)),
            **data,
            "proven_offences": [1] * n,
        }
    )


ROWS_2023 = _frame(
    2023,
    1,
    gender=["M"] * 12 + ["F"] * 4,
    ethnicity=["W"] * 10 + ["A"] * 6,
    age_band=["18-24"] * 8 + ["25-29"] * 8,
    offence_group=["Violence with injury"] * 6 + ["Shoplifting"] * 5 + ["Residential burglary"] * 5,
    disposal=["community_order"] * 10 + ["fine"] * 6,
    ward=["Twickenham"] * 10 + ["Richmond"] * 6,
)
ROWS_2024 = _frame(
    2024,
    101,
    gender=["M"] * 15 + ["F"] * 5,
    ethnicity=["W"] * 12 + ["A"] * 5 + ["B"] * 3,
    age_band=["18-24"] * 11 + ["25-29"] * 5 + ["30-39"] * 4,
    offence_group=["Violence with injury"] * 8 + ["Shoplifting"] * 7 + ["Residential burglary"] * 5,
    disposal=["community_order"] * 12 + ["fine"] * 8,
    ward=["Twickenham"] * 8 + ["Richmond"] * 6 + ["Hampton"] * 6,
)
NEEDS = pl.DataFrame(
    {
        "year": [2023, 2024, 2024, 2024, 2024],
        "pathway": ["Alcohol", "Alcohol", "Drugs", "Accommodation", "Mental health"],
        "people_assessed": [16, 20, 20, 20, 20],
        "people_with_need": [8, 9, 6, 2, 17],
    }
)


@pytest.fixture
def profile() -> Profile:
    return build_profile(pl.concat([ROWS_2023, ROWS_2024]), needs=NEEDS)


def _table(profile: Profile, name: str) -> list[tuple[Any, ...]]:
    dimension = profile.dimension(name)
    assert dimension is not None
    return [
        (r.group, r.year, r.count, r.share, None if r.change is None else round(r.change, 6), r.suppressed)
        for r in dimension.rows
    ]


def test_totals_and_years(profile: Profile) -> None:
    assert profile.years == (2023, 2024)
    assert profile.totals == {2023: 16, 2024: 20}
    assert [d.name for d in profile.dimensions] == [
        "Gender",
        "Ethnicity",
        "Age band",
        "Offence type",
        "Disposal",
        "Ward",
        "Needs by pathway",
    ]


def test_counts_shares_and_changes_by_hand(profile: Profile) -> None:
    # 2024 shares of 20, 2023 of 16; changes in percentage points.
    assert _table(profile, "Offence type") == [
        ("Violence with injury", 2023, 6, 0.375, None, False),
        ("Violence with injury", 2024, 8, 0.4, 2.5, False),
        ("Residential burglary", 2023, 5, 0.3125, None, False),
        ("Residential burglary", 2024, 5, 0.25, -6.25, False),
        ("Shoplifting", 2023, 5, 0.3125, None, False),
        ("Shoplifting", 2024, 7, 0.35, 3.75, False),
    ]
    assert _table(profile, "Disposal") == [
        ("Community order", 2023, 10, 0.625, None, False),
        ("Community order", 2024, 12, 0.6, -2.5, False),
        ("Fine", 2023, 6, 0.375, None, False),
        ("Fine", 2024, 8, 0.4, 2.5, False),
    ]
    assert _table(profile, "Ward") == [  # alphabetically, a group absent in a year counts 0
        ("Hampton", 2023, 0, 0.0, None, False),
        ("Hampton", 2024, 6, 0.3, 30.0, False),
        ("Richmond", 2023, 6, 0.375, None, False),
        ("Richmond", 2024, 6, 0.3, -7.5, False),
        ("Twickenham", 2023, 10, 0.625, None, False),
        ("Twickenham", 2024, 8, 0.4, -22.5, False),
    ]


def test_five_is_shown_four_is_suppressed_and_so_is_the_next_smallest(profile: Profile) -> None:
    # 2023: 4 women hidden, so the 12 men are too (16 - 12 would give them away).
    assert _table(profile, "Gender") == [
        ("Male", 2023, None, None, None, True),
        ("Male", 2024, 15, 0.75, None, False),
        ("Female", 2023, None, None, None, True),
        ("Female", 2024, 5, 0.25, None, False),
    ]
    # 2024: 3 Black offenders hidden, then the next smallest, 5 Asian; 0 Black in 2023 is shown.
    assert _table(profile, "Ethnicity") == [
        ("Asian", 2023, 6, 0.375, None, False),
        ("Asian", 2024, None, None, None, True),
        ("Black", 2023, 0, 0.0, None, False),
        ("Black", 2024, None, None, None, True),
        ("White", 2023, 10, 0.625, None, False),
        ("White", 2024, 12, 0.6, -2.5, False),
    ]
    assert _table(profile, "Age band") == [
        ("18-24", 2023, 8, 0.5, None, False),
        ("18-24", 2024, 11, 0.55, 5.0, False),
        ("25-29", 2023, 8, 0.5, None, False),
        ("25-29", 2024, None, None, None, True),
        ("30-39", 2023, 0, 0.0, None, False),
        ("30-39", 2024, None, None, None, True),
    ]


def test_two_small_counts_need_no_secondary_suppression() -> None:
    rows = _frame(2024, 1, ethnicity=["W"] * 15 + ["A"] * 3 + ["B"] * 2)
    assert _table(build_profile(rows), "Ethnicity") == [
        ("Asian", 2024, None, None, None, True),
        ("Black", 2024, None, None, None, True),
        ("White", 2024, 15, 0.75, None, False),
    ]


def test_a_small_total_hides_everything() -> None:
    profile = build_profile(_frame(2024, 1, gender=["M", "M", "F"]))
    assert profile.totals == {2024: None}
    assert _table(profile, "Gender") == [
        ("Male", 2024, None, None, None, True),
        ("Female", 2024, None, None, None, True),
    ]
    assert summary_text(profile, 2024) == ["The number of offenders in 2024-25 is too small to describe."]


def test_needs_by_pathway_hide_small_counts_and_small_complements(profile: Profile) -> None:
    dimension = profile.dimension("Needs by pathway")
    assert dimension is not None
    assert dimension.base == "people assessed"
    assert [(r.group, r.year, r.count, r.base, r.share, r.change, r.suppressed) for r in dimension.rows] == [
        ("Alcohol", 2023, 8, 16, 0.5, None, False),
        ("Alcohol", 2024, 9, 20, 0.45, pytest.approx(-5.0), False),
        ("Drugs", 2024, 6, 20, 0.3, None, False),
        ("Accommodation", 2024, None, 20, None, None, True),  # 2 with the need
        ("Mental health", 2024, None, 20, None, None, True),  # 3 without it
    ]


def test_labels_are_human() -> None:
    rows = _frame(
        2024,
        1,
        gender=["X"] * 5 + [None] * 5,
        ethnicity=["NS"] * 5 + ["M"] * 5,
        disposal=["youth_rehabilitation_order"] * 5 + [None] * 5,
        age_band=["Not recorded"] * 10,
    )
    profile = build_profile(rows)
    groups = {d.name: [r.group for r in d.rows] for d in profile.dimensions}
    assert groups["Gender"] == ["Another gender", "Unknown"]
    assert groups["Ethnicity"] == ["Mixed", "Not stated"]
    assert groups["Disposal"] == ["Youth rehabilitation order", "Not recorded"]


def test_a_person_twice_in_a_year_is_refused() -> None:
    rows = _frame(2024, 1, gender=["M", "F"]).with_columns(person_key=pl.lit(7))
    with pytest.raises(ValueError, match="more than once in a year"):
        build_profile(rows)


def test_the_profile_as_json(profile: Profile) -> None:
    data = json.loads(json.dumps(profile.as_dict()))
    assert data["totals"] == [{"year": 2023, "offenders": 16}, {"year": 2024, "offenders": 20}]
    assert data["dimensions"][0]["rows"][1] == {
        "dimension": "Gender",
        "group": "Male",
        "year": 2024,
        "count": 15,
        "base": 20,
        "share": 0.75,
        "change": None,
        "suppressed": False,
    }


# --- summary_text ------------------------------------------------------------------------------


def test_the_summary_sentences(profile: Profile) -> None:
    assert summary_text(profile, 2024) == [
        "In 2024-25 there were 20 offenders (people with a proven offence: a conviction or caution), "
        "4 more than the 16 in 2023-24 (up 25%).",
        "75% of offenders were male and 25% were female.",
        # Asian and Black are hidden: together 20 - 12 = 8, so neither can exceed 7 < 12.
        "The largest ethnic group was White (60% of offenders).",
        "The majority of offenders (55%) were aged 18-24.",
        "The main offence types (each offender's most serious proven offence in the year) were "
        "violence with injury (40%) and shoplifting (35%), together 75% of offenders.",
        "The most serious proven offence was most often dealt with by a community order (60% of offenders).",
        "The wards with the most offenders were Twickenham (8), Hampton (6) and Richmond (6).",
        "Of the needs that can be shown, the most common were alcohol (45% of the 20 assessed) "
        "and drugs (30% of the 20 assessed).",
        "The figures for accommodation and mental health are too small to show.",
        "To summarise, the typical offender in 2024-25 was an 18-24 year old White male whose most "
        "serious proven offence was violence with injury, dealt with by a community order.",
    ]


def test_the_first_year_has_no_comparison_and_a_gender_it_cannot_describe(profile: Profile) -> None:
    said = summary_text(profile, 2023)
    assert said[0] == "In 2023-24 there were 16 offenders (people with a proven offence: a conviction or caution)."
    assert said[1] == "The gender figures for 2023-24 are too small to describe."
    assert said[3] == "The largest age groups were 18-24 and 25-29 (50% of offenders each)."
    assert said[-1] == (
        "To summarise, the typical offender in 2023-24 was an 18-24 or 25-29 year old White person whose most "
        "serious proven offence was violence with injury, dealt with by a community order."
    )
    assert not any("75%" in s or "25%" in s or "12" in s for s in said)  # the hidden men and women


@pytest.mark.parametrize(
    ("young", "older", "sentence"),
    [
        (11, 9, "The majority of offenders (55%) were aged 18-24."),
        (10, 10, "The largest age groups were 18-24 and 25-29 (50% of offenders each)."),
        (9, 11, "The majority of offenders (55%) were aged 25-29."),
        (201, 199, "The largest group of offenders (50%) were aged 18-24."),  # 50.25%: not shown as over half
        (203, 197, "The majority of offenders (51%) were aged 18-24."),  # 50.75%
        (9, 6, "The majority of offenders (60%) were aged 18-24."),
    ],
)
def test_majority_only_when_the_share_is_over_half(young: int, older: int, sentence: str) -> None:
    rows = _frame(2024, 1, age_band=["18-24"] * young + ["25-29"] * older)
    assert summary_text(build_profile(rows), 2024)[3] == sentence


def test_largest_group_below_half() -> None:
    rows = _frame(2024, 1, age_band=["18-24"] * 8 + ["25-29"] * 6 + ["30-39"] * 6)
    assert summary_text(build_profile(rows), 2024)[3] == "The largest group of offenders (40%) were aged 18-24."


def test_a_suppressed_leader_is_never_described_or_stated() -> None:
    # 96 men and 4 women: the women are hidden, then the men; a White, 30-39 shoplifter fined.
    rows = _frame(2024, 1, gender=["M"] * 96 + ["F"] * 4)
    said = summary_text(build_profile(rows), 2024)
    assert said == [
        "In 2024-25 there were 100 offenders (people with a proven offence: a conviction or caution).",
        "The gender figures for 2024-25 are too small to describe.",
        "The largest ethnic group was White (100% of offenders).",
        "The majority of offenders (100%) were aged 30-39.",
        "The main offence type (each offender's most serious proven offence in the year) was shoplifting (100%).",
        "The most serious proven offence was most often dealt with by a fine (100% of offenders).",
        "To summarise, the typical offender in 2024-25 was a 30-39 year old White person whose most serious "
        "proven offence was shoplifting, dealt with by a fine.",
    ]
    assert not any("96" in s or "4%" in s or "male" in s for s in said)


def test_a_shown_group_smaller_than_a_hidden_one_could_be_is_not_called_largest() -> None:
    # Twickenham 9 shown; Richmond 7 and not recorded 4 hidden: together 11, so Richmond could be 10.
    rows = _frame(2024, 1, ward=["Twickenham"] * 9 + ["Richmond"] * 7 + ["Not recorded"] * 4)
    said = summary_text(build_profile(rows), 2024)
    assert said[6] == "The ward figures for 2024-25 are too small to describe."
    assert not any("(7)" in s or "35%" in s or "(4)" in s for s in said)


def test_a_second_offence_type_that_a_hidden_one_could_beat_is_left_out() -> None:
    # 8 and 5 shown; 4 and 3 hidden (together 7, so either could be 6): only the first is the main type.
    groups = ["Violence with injury"] * 8 + ["Shoplifting"] * 5 + ["Residential burglary"] * 4 + ["Arson"] * 3
    said = summary_text(build_profile(_frame(2024, 1, offence_group=groups)), 2024)
    assert said[4] == (
        "The main offence type (each offender's most serious proven offence in the year) "
        "was violence with injury (40%)."
    )


def test_one_ward_fewer_offenders_and_one_need() -> None:
    rows = pl.concat(
        [
            _frame(2023, 1, ward=["Twickenham"] * 25),
            _frame(2024, 101, ward=["Twickenham"] * 11 + ["Richmond"] * 5 + ["Hampton"] * 4),
        ]
    )
    needs = pl.DataFrame(
        {
            "year": [2024],
            "pathway": ["Education, training and employment"],
            "people_assessed": [20],
            "people_with_need": [8],
        }
    )
    said = summary_text(build_profile(rows, needs=needs), 2024)
    assert said[0] == (
        "In 2024-25 there were 20 offenders (people with a proven offence: a conviction or caution), "
        "5 fewer than the 25 in 2023-24 (down 20%)."
    )
    assert said[6] == "The ward with the most offenders was Twickenham (11)."
    assert said[7] == "The most common need was education, training and employment (40% of the 20 assessed)."


def test_no_wards_recorded_no_ward_sentence_and_unknown_years_refused(profile: Profile) -> None:
    said = summary_text(build_profile(_frame(2024, 1, gender=["M"] * 10)), 2024)
    assert not any("ward" in s for s in said)
    with pytest.raises(ValueError, match="2022-23 is not in the profile"):
        summary_text(profile, 2022)
    assert year_label(2099) == "2099-00"
