"""The one place that knows both the Django database and the analytics core.

It builds `openiom.analytics.Inputs` (four person-keyed tables, see `analytics.tables`)
from OpenIOM's own tables, with `person_key` = `people_person.id`:

- **PostgreSQL**: ibis expressions over the real tables, on Django's own psycopg
  connection (`ibis.postgres.from_connection`), so the whole scoring runs inside
  PostgreSQL as one query and sees exactly what Django sees, including rows of a
  transaction that has not been committed yet (as in the test suite).
- **SQLite**: one SELECT per table through Django's cursor, read in batches into polars
  frames and handed to an in-process DuckDB (`openiom.analytics.connect_duckdb`).

It also turns an output row into what `ScoredPerson.components` stores and back
(`encode_row`/`decode_row`), and fingerprints the data a run read (`inputs_fingerprint`).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import ibis
import polars as pl
from django.db import connection
from django.db.models import Count, Max, Q

from openiom.analytics import Inputs, SelectionConfig, connect_duckdb, inputs_from_rows, score_people
from openiom.analytics.tables import SCHEMAS
from openiom.imports.constants import DeliveryStatus
from openiom.imports.models import Delivery
from openiom.offending.models import CustodyPeriod, Flag, Offence
from openiom.people.models import Person, PersonMerge, PersonRecord

BATCH = 50_000

_POLARS_TYPES = {"int64": pl.Int64, "date": pl.Date, "string": pl.Utf8}
_SCHEMAS = SCHEMAS  # the core's input tables: one definition


@dataclass(frozen=True)
class Scoring:
    """A connection the analytics core can execute on, the inputs over it, and its name."""

    con: Any
    inputs: Inputs
    engine: str


def engine_name() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "duckdb"


@contextmanager
def scoring_inputs() -> Iterator[Scoring]:
    """The four input tables, ready for `openiom.analytics.run_scores` on `con`."""
    if connection.vendor == "postgresql":
        with _postgres() as scoring:
            yield scoring
    else:
        con = connect_duckdb()
        try:
            yield Scoring(con=con, inputs=_frames_from_cursor(), engine="duckdb")
        finally:
            con.disconnect()


# ---- PostgreSQL: the scoring runs in the database, on Django's connection ---------------------


@contextmanager
def _postgres() -> Iterator[Scoring]:
    connection.ensure_connection()
    raw = connection.connection
    # ibis wraps every statement in `with con.transaction()`: a savepoint inside Django's
    # atomic blocks (and the test case's transaction), BEGIN/COMMIT outside them.
    con = ibis.postgres.from_connection(raw)
    # PostgreSQL's JIT compiles the scoring query's many expressions for minutes (174 s
    # against 4.2 s without it at 100,000 people: docs/benchmarks.md), so it is off while
    # scoring and back to the server's setting afterwards.
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    try:
        yield Scoring(con=con, inputs=_postgres_tables(con), engine="postgresql")
    finally:
        _drop_memtables(con)
        with connection.cursor() as cursor:
            cursor.execute("RESET jit")


def _postgres_tables(con: Any) -> Inputs:
    # SQL relations rather than ibis joins over `con.table(...)`: the same four SELECTs as on
    # SQLite, with their types declared, so ibis does not have to look the query up first.
    sql = _sql()
    return Inputs(**{name: con.sql(sql[name], schema=ibis.schema(schema)) for name, schema in _SCHEMAS.items()})


def _drop_memtables(con: Any) -> None:
    """Drop the temporary tables ibis made on this connection for in-memory tables (the offence
    vocabulary). They would otherwise live as long as Django's connection does; ibis forgets them
    (a weak set) as soon as the expression is gone, so they are found in this session's own schema.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relnamespace = pg_my_temp_schema() "
            "AND c.relkind = 'r' AND c.relname LIKE %s",
            [r"ibis\_%memtable\_%"],
        )
        names = [row[0] for row in cursor.fetchall()]
    for name in names:
        con.drop_table(name, force=True)


# ---- SQLite: read the tables once, score in DuckDB ------------------------------------------


def _sql() -> dict[str, str]:
    """One SELECT per input table, in the column order and types of `_SCHEMAS` (both databases)."""
    person = Person._meta.db_table
    record = PersonRecord._meta.db_table
    offence, custody, flag = Offence._meta.db_table, CustodyPeriod._meta.db_table, Flag._meta.db_table
    key = f"r.person_id AS person_key FROM {{table}} x JOIN {record} r ON r.id = x.record_id"
    return {
        "people": (
            "SELECT id AS person_key, date_of_birth, gender, ethnicity "  # noqa: S608 (our table names only)
            f"FROM {person}"
        ),
        "offences": (
            "SELECT x.offence_code, x.offence_date, x.outcome, x.outcome_date, "
            "NULLIF(x.disposal, '') AS disposal, CAST(x.sentence_days AS BIGINT) AS sentence_days, "
            + key.format(table=offence)
        ),
        "custody": "SELECT x.reception_date, x.release_date, " + key.format(table=custody),
        "flags": ("SELECT x.flag, NULLIF(x.value, '') AS value, x.start_date, x.end_date, " + key.format(table=flag)),
    }


def _frame(sql: str, schema: dict[str, str]) -> pl.DataFrame:
    polars_schema = {name: _POLARS_TYPES[kind] for name, kind in schema.items()}
    frames = []
    with connection.cursor() as cursor:
        cursor.execute(sql)
        names = [c[0] for c in cursor.description]
        while rows := cursor.fetchmany(BATCH):
            frames.append(pl.DataFrame(rows, schema={n: polars_schema[n] for n in names}, orient="row"))
    frame = pl.concat(frames) if frames else pl.DataFrame(schema=polars_schema)
    return frame.select(list(schema))


def _frames_from_cursor() -> Inputs:
    sql = _sql()
    return Inputs(**{name: ibis.memtable(_frame(sql[name], schema)) for name, schema in _SCHEMAS.items()})


# ---- rows as stored -----------------------------------------------------------------------


@cache
def date_columns() -> frozenset[str]:
    """The output columns that are dates, from the scoring's own schema."""
    expr = score_people(inputs_from_rows({}), date(2000, 1, 1), SelectionConfig())
    return frozenset(name for name, dtype in expr.schema().items() if dtype.is_date())


def encode_row(row: dict[str, Any]) -> dict[str, Any]:
    """An output row as JSON: dates as ISO strings, NaN and infinities as null."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, float) and not math.isfinite(value):
            value = None
        out[key] = value
    return out


def decode_row(components: dict[str, Any]) -> dict[str, Any]:
    dates = date_columns()
    return {
        key: date.fromisoformat(value) if key in dates and isinstance(value, str) else value
        for key, value in components.items()
    }


# ---- what the run read ----------------------------------------------------------------------


def inputs_fingerprint() -> str:
    """SHA-256 over a summary of the data a selection run reads.

    It covers, for people, person records, offences, custody periods and flags, the number
    of rows and the highest id (and for people and records the latest change time); the id
    and file fingerprint (SHA-256 of the files) of every imported delivery; and the number,
    last id and number undone of record-linkage merges.

    What it proves: if two runs have the same fingerprint, no delivery was imported, no
    row was added to or deleted from those tables and no merge was made or undone between
    them, so (with the same as-of date and configuration) they read the same data. If the
    fingerprints differ, something of that kind changed.

    What it does not prove: it is not a hash of every value. A row edited in place without
    a delivery or a merge (for example by a developer in the database or django-admin) is
    not seen, and deleting one row and adding another can leave the counts as they were
    (though not the highest id). It also says nothing about who could see the data.
    """
    parts: list[str] = []
    for model in (Person, PersonRecord, Offence, CustodyPeriod, Flag):
        summary = model.objects.aggregate(rows=Count("pk"), last=Max("pk"))
        parts.append(f"{model._meta.db_table}:{summary['rows']}:{summary['last']}")
    for changed in (Person, PersonRecord):
        latest = changed.objects.aggregate(latest=Max("updated_at"))["latest"]
        parts.append(f"{changed._meta.db_table}.updated_at:{latest.isoformat() if latest else ''}")
    for pk, fingerprint in (
        Delivery.objects.filter(status=DeliveryStatus.IMPORTED).order_by("pk").values_list("pk", "fingerprint")
    ):
        parts.append(f"delivery:{pk}:{fingerprint}")
    merges = PersonMerge.objects.aggregate(
        rows=Count("pk"), last=Max("pk"), undone=Count("pk", filter=Q(undone_at__isnull=False))
    )
    parts.append(f"merges:{merges['rows']}:{merges['last']}:{merges['undone']}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()
