"""The tables of a database as the backup sees them: names, row counts, checksums, applied migrations.

The same code reads the live database when a backup is taken and the restored one afterwards,
so the two can be compared table by table. Each table's rows are read in primary-key order and
hashed one by one (SHA-256 over each row's text with its length in front); nothing is kept in
memory but the running hash, so a table of millions of rows is read as a stream.

- PostgreSQL: each row as PostgreSQL's own text form of the row (`ROW(t.*)::text`), through a
  server-side cursor, on Django's connection (UTC time zone). Text keys are ordered with the "C"
  collation, so a target database created with another locale orders them the same way.
- SQLite: each column through `quote()`, which gives the stored value exactly (type included) and
  is not touched by the Python type converters Django sets up, on a plain `sqlite3` connection.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.backends.base.base import BaseDatabaseWrapper

FETCH = 2000


@dataclass(frozen=True)
class TableStats:
    rows: int
    sha256: str

    def as_json(self) -> dict[str, Any]:
        return {"rows": self.rows, "sha256": self.sha256}


def digest_rows(rows: Iterable[str]) -> TableStats:
    """The count and SHA-256 of rows given as text, in order (each prefixed by its length in bytes)."""
    digest, count = hashlib.sha256(), 0
    for row in rows:
        data = row.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
        count += 1
    return TableStats(count, digest.hexdigest())


class Tables(Protocol):
    """What the backup needs to know about a database (one implementation per engine)."""

    def names(self) -> list[str]: ...

    def stats(self, table: str) -> TableStats: ...

    def has_rows(self, table: str) -> bool: ...

    def applied_migrations(self) -> list[tuple[str, str]]: ...

    def chain_head(self) -> tuple[int, str] | None: ...


def all_stats(tables: Tables) -> dict[str, TableStats]:
    return {name: tables.stats(name) for name in tables.names()}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class SqliteTables:
    """A SQLite database through a plain `sqlite3` connection (a backup copy, or Django's own)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def names(self) -> list[str]:
        rows = self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        )
        return sorted(str(r[0]) for r in rows)

    def _columns(self, table: str) -> list[tuple[str, int]]:
        """(name, position in the primary key, 0 if not in it) for each column, in table order."""
        return [(str(r[1]), int(r[5])) for r in self.conn.execute(f"PRAGMA table_info({_quote(table)})")]

    def stats(self, table: str) -> TableStats:
        columns = self._columns(table)
        key = [name for name, position in sorted(columns, key=lambda c: c[1]) if position > 0]
        order = ", ".join(_quote(c) for c in key) if key else "1"  # no primary key: the row's text
        select = " || ',' || ".join(f"quote({_quote(name)})" for name, _ in columns)
        cursor = self.conn.execute(f"SELECT {select} FROM {_quote(table)} ORDER BY {order}")  # noqa: S608
        return digest_rows(str(row[0]) for row in cursor)

    def has_rows(self, table: str) -> bool:
        return self.conn.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1").fetchone() is not None  # noqa: S608

    def applied_migrations(self) -> list[tuple[str, str]]:
        if "django_migrations" not in self.names():
            return []
        rows = self.conn.execute("SELECT app, name FROM django_migrations ORDER BY id")
        return [(str(app), str(name)) for app, name in rows]

    def chain_head(self) -> tuple[int, str] | None:
        if "audit_auditchainhead" not in self.names():
            return None
        row = self.conn.execute("SELECT length, last_hash FROM audit_auditchainhead WHERE id = 1").fetchone()
        return (int(row[0]), str(row[1])) if row else None


class PostgresTables:
    """A PostgreSQL database through Django's connection (inside the caller's transaction)."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    def _fetch(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    def names(self) -> list[str]:
        with self.connection.cursor() as cursor:
            tables = self.connection.introspection.table_names(cursor, include_views=False)
        return sorted(tables)

    def _order(self, table: str) -> str:
        with self.connection.cursor() as cursor:
            key = self.connection.introspection.get_primary_key_columns(cursor, table) or []
        if not key:  # no primary key (Django always makes one): the whole row, byte order
            return 'ROW(_backup_row.*)::text COLLATE "C"'
        collatable = dict(
            self._fetch(
                "SELECT attname, attcollation <> 0 FROM pg_attribute "
                "WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped",
                [_quote(table)],
            )
        )
        return ", ".join(_quote(c) + (' COLLATE "C"' if collatable.get(c) else "") for c in key)

    def _stream(self, sql: str) -> Iterator[str]:
        cursor = self.connection.chunked_cursor()
        try:
            cursor.execute(sql)
            while batch := cursor.fetchmany(FETCH):
                for row in batch:
                    yield str(row[0])
        finally:
            cursor.close()

    def stats(self, table: str) -> TableStats:
        order = self._order(table)
        sql = f"SELECT ROW(_backup_row.*)::text FROM {_quote(table)} AS _backup_row ORDER BY {order}"  # noqa: S608
        return digest_rows(self._stream(sql))

    def has_rows(self, table: str) -> bool:
        return bool(self._fetch(f"SELECT 1 FROM {_quote(table)} LIMIT 1"))  # noqa: S608

    def applied_migrations(self) -> list[tuple[str, str]]:
        if "django_migrations" not in self.names():
            return []
        return [
            (str(app), str(name)) for app, name in self._fetch("SELECT app, name FROM django_migrations ORDER BY id")
        ]

    def chain_head(self) -> tuple[int, str] | None:
        if "audit_auditchainhead" not in self.names():
            return None
        rows = self._fetch("SELECT length, last_hash FROM audit_auditchainhead WHERE id = 1")
        return (int(rows[0][0]), str(rows[0][1])) if rows else None

    def drop_all(self) -> int:
        """Drop every table (with what depends on it) in the connection's schema. Returns how many."""
        names = self.names()
        if names:
            with self.connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS " + ", ".join(_quote(n) for n in names) + " CASCADE")
        return len(names)


def latest_by_app(applied: list[tuple[str, str]]) -> dict[str, str]:
    """The last migration applied in each app (in the order they were applied)."""
    latest: dict[str, str] = {}
    for app, name in applied:
        latest[app] = name
    return dict(sorted(latest.items()))
