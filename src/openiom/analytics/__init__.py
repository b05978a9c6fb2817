"""The analytics core: scores and cohort selection over tables (no Django).

Pure functions that take ibis tables and return ibis tables, so one implementation runs
in DuckDB in-process (files, the command line) and inside PostgreSQL (the web app). The
web app reaches it only through `openiom.cohort.adapter`. Definitions: docs/metrics.md.

    from openiom.analytics import SelectionConfig, connect_duckdb, read_delivery, run_scores
    con = connect_duckdb()
    scores = run_scores(con, read_delivery(con, folder, links), as_of, SelectionConfig())

Evaluation: `reoffending.index_dates`, `reoffending.reoffending` and
`reoffending.characteristics_at` (ibis, both engines), summarised by `outcomes` (binary rate,
before and after, Kaplan-Meier, predicted against actual, by year); `impact.estimate_impact`
(propensity score matching) and `profile` (the local offender profile).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from .config import ConfigError, SelectionConfig
from .explain import COHORT_LABELS, Explanation, explain_row, explanation_text, offence_label
from .fairness import FairnessRow, fairness_table
from .impact import ImpactResult, estimate_impact
from .ogrs3 import ogrs3_band, score_ogrs3
from .reoffending import characteristics_at, index_dates
from .scoring import OUTPUT_COLUMNS, rank_people, score, score_people, to_arrow
from .tables import Inputs, connect_duckdb, fingerprint_files, inputs_from_rows, read_delivery

__all__ = [
    "COHORT_LABELS",
    "OUTPUT_COLUMNS",
    "ConfigError",
    "Explanation",
    "FairnessRow",
    "ImpactResult",
    "Inputs",
    "SelectionConfig",
    "characteristics_at",
    "connect_duckdb",
    "estimate_impact",
    "explain_row",
    "explanation_text",
    "fairness_table",
    "fingerprint_files",
    "index_dates",
    "inputs_from_rows",
    "offence_label",
    "ogrs3_band",
    "rank_people",
    "read_delivery",
    "run_scores",
    "score",
    "score_ogrs3",
    "score_people",
    "to_arrow",
]


def run_scores(con: Any, inputs: Inputs, as_of: date, config: SelectionConfig) -> pl.DataFrame:
    """Score and rank everyone on a connection (DuckDB or PostgreSQL), ordered by route and rank."""
    frame = pl.from_arrow(score(con, inputs, as_of, config))
    assert isinstance(frame, pl.DataFrame)  # noqa: S101 - a table always converts to a frame
    return frame.sort(["route", "rank", "person_key"], descending=[True, False, False], nulls_last=True)
