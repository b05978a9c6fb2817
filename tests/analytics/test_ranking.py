"""The ranking of scored people (`rank_people`), on hand-made rows: every tie-break in order."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from openiom.analytics import OUTPUT_COLUMNS, SelectionConfig, rank_people
from openiom.analytics.scoring import SCORE_COLUMNS

CONFIG = SelectionConfig.from_dict({"nominations_wanted": 3, "dyo_nominations_wanted": 1})


def _rows(*people: dict[str, Any]) -> pa.Table:
    """Scored rows with the columns the ranking reads; the other columns are left empty."""
    defaults = {"eligible": True, "pre_release_planning": False, "harm_days": 0.0, "ogrs3_2yr": None}
    columns: dict[str, list[Any]] = {c: [] for c in SCORE_COLUMNS}
    for person in people:
        row = {**defaults, **person}
        for c in SCORE_COLUMNS:
            columns[c].append(row.get(c))
    types = {
        "person_key": pa.int64(),
        "route": pa.string(),
        "eligible": pa.bool_(),
        "pre_release_planning": pa.bool_(),
        "rfg_score": pa.float64(),
        "harm_days": pa.float64(),
        "ogrs3_2yr": pa.float64(),
    }
    return pa.table({c: pa.array(v, type=types.get(c, pa.null())) for c, v in columns.items()})


def _ranks(table: pa.Table) -> dict[int, tuple[int | None, bool]]:
    rows = table.to_pylist()
    return {r["person_key"]: (r["rank"], r["nominated"]) for r in rows}


def test_ties_are_broken_by_harm_then_ogrs3_then_person() -> None:
    ranked = rank_people(
        _rows(
            {"person_key": 7, "route": "IOM", "rfg_score": 10.0, "harm_days": 5.0, "ogrs3_2yr": 0.5},
            {"person_key": 3, "route": "IOM", "rfg_score": 10.0, "harm_days": 5.0, "ogrs3_2yr": 0.5},
            {"person_key": 9, "route": "IOM", "rfg_score": 10.0, "harm_days": 5.0, "ogrs3_2yr": 0.9},
            {"person_key": 1, "route": "IOM", "rfg_score": 10.0, "harm_days": 5.0, "ogrs3_2yr": None},
            {"person_key": 2, "route": "IOM", "rfg_score": 10.0, "harm_days": 50.0, "ogrs3_2yr": 0.1},
            {"person_key": 4, "route": "IOM", "rfg_score": 12.0, "harm_days": 0.0},
        ),
        CONFIG,
    )
    assert ranked.column_names == list(OUTPUT_COLUMNS)
    # RFG first (4), then harm (2), then OGRS3 2-year, highest first (9; 3 and 7 tie: person
    # key), an unknown OGRS3 last (1). Three nominations wanted.
    assert _ranks(ranked) == {
        4: (1, True),
        2: (2, True),
        9: (3, True),
        3: (4, False),
        7: (5, False),
        1: (6, False),
    }


def test_each_route_is_ranked_on_its_own_and_only_the_eligible_outside_long_custody() -> None:
    ranked = rank_people(
        _rows(
            {"person_key": 1, "route": "DYO", "rfg_score": 8.0},
            {"person_key": 2, "route": "DYO", "rfg_score": 9.0},
            {"person_key": 3, "route": "IOM", "rfg_score": 5.0},
            {"person_key": 4, "route": "IOM", "rfg_score": 20.0, "eligible": False},
            {"person_key": 5, "route": "IOM", "rfg_score": 30.0, "pre_release_planning": True},
            {"person_key": 6, "route": "DYO", "rfg_score": 30.0, "eligible": False},
        ),
        CONFIG,
    )
    assert _ranks(ranked) == {
        2: (1, True),  # one DYO nomination wanted
        1: (2, False),
        3: (1, True),
        4: (None, False),
        5: (None, False),
        6: (None, False),
    }


def test_nobody_to_rank() -> None:
    assert rank_people(_rows(), CONFIG).num_rows == 0
    nobody = rank_people(_rows({"person_key": 1, "route": "IOM", "rfg_score": 1.0, "eligible": False}), CONFIG)
    assert _ranks(nobody) == {1: (None, False)}
