"""Analytics tests run on every backend the core supports: DuckDB always, PostgreSQL when
`DATABASE_URL` points at one (as `make pg-test` and CI do)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlparse

import ibis
import ibis.expr.types as ir
import polars as pl
import pytest

from openiom.analytics import Inputs, SelectionConfig, connect_duckdb, score, to_arrow


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


BACKENDS = ["duckdb", pytest.param("postgres", marks=pytest.mark.skipif(not _postgres_url(), reason="no PostgreSQL"))]


def _connect(name: str) -> Any:
    if name == "duckdb":
        return connect_duckdb()
    url = urlparse(_postgres_url() or "")
    return ibis.postgres.connect(
        host=url.hostname or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password or None,
        database=(url.path or "/postgres").lstrip("/") or "postgres",
    )


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Any:
    """An ibis connection; memtables are uploaded to it as temporary tables."""
    con = _connect(request.param)
    yield con
    con.disconnect()


@pytest.fixture
def execute(backend: Any) -> Callable[[ir.Table], pl.DataFrame]:
    def run(expr: ir.Table) -> pl.DataFrame:
        frame = pl.from_arrow(to_arrow(backend, expr))  # as run_scores compiles it
        assert isinstance(frame, pl.DataFrame)
        return frame

    return run


@pytest.fixture
def run_scoring(backend: Any) -> Callable[[Inputs, date, SelectionConfig], pl.DataFrame]:
    """The whole scoring run on the backend (`analytics.score`: the query, then the ranking)."""

    def run(inputs: Inputs, as_of: date, config: SelectionConfig) -> pl.DataFrame:
        frame = pl.from_arrow(score(backend, inputs, as_of, config))
        assert isinstance(frame, pl.DataFrame)
        return frame

    return run
