"""Copying the database out and back in, for each engine.

PostgreSQL: `pg_dump --format=custom` and `pg_restore`, run with the settings' host, port, user
and database name; the password goes to them in the PGPASSWORD environment variable, never on
the command line (where any user of the server could read it). The client tools must be at least
the server's major version (`pg_dump` refuses a newer server); they are found on PATH.

SQLite: the `sqlite3` backup API, in both directions. It copies the database page by page under
a read lock, so the copy is consistent even while the site is writing.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from .archive import BackupError

# Connection options in DATABASES["default"]["OPTIONS"] that libpq also reads from the environment.
_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


def engine_of(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in {"postgresql", "sqlite"}:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return str(connection.vendor)


def engine_label(engine: str) -> str:
    return {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(engine, engine)


def server_version(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        number = int(connection.pg_version)  # type: ignore[attr-defined]  # e.g. 150020
        return f"{number // 10000}.{number % 10000}"
    return sqlite3.sqlite_version


# --- PostgreSQL -----------------------------------------------------------------------------------


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH: install the PostgreSQL client tools "
            "(on Debian: apt-get install postgresql-client) at the server's version or newer."
        )
    return path


def tool_version(name: str) -> tuple[str, int]:
    """The tool's version line (e.g. 'pg_dump (PostgreSQL) 15.20') and major version."""
    result = subprocess.run([_tool(name), "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    line = result.stdout.strip()
    match = re.search(r"\) (\d+)", line)
    if result.returncode != 0 or match is None:
        raise BackupError(f"Could not tell the version of {name}: {line or result.stderr.strip()}")
    return line, int(match.group(1))


def _check_tool(name: str, connection: BaseDatabaseWrapper) -> str:
    line, major = tool_version(name)
    server = server_version(connection)
    if major < int(server.split(".")[0]):
        raise BackupError(
            f"{line} is older than the PostgreSQL {server} server: install the client tools for "
            f"PostgreSQL {server.split('.')[0]} or newer and put them first on PATH."
        )
    return line


def _libpq(connection: BaseDatabaseWrapper) -> tuple[list[str], dict[str, str]]:
    """Connection arguments (no password) and the environment (with the password) for the client tools."""
    s: dict[str, Any] = connection.settings_dict
    args = ["--no-password"]  # never wait at a prompt (cron has nobody to answer)
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    env = dict(os.environ)  # libpq's own variables (PGSSLMODE, PGPASSFILE...) apply, as they do to Django
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    for option, variable in _LIBPQ_OPTIONS.items():
        value = (s.get("OPTIONS") or {}).get(option)
        if value not in (None, ""):
            env[variable] = str(value)
    name = str(s["NAME"]).replace("\\", "\\\\").replace("'", "\\'")
    args.append(f"--dbname=dbname='{name}'")  # a connection string, so no database name is read as one
    return args, env


_QUOTES_DATA = re.compile(r"^\s*(?:\S+:\s*)?(?:DETAIL|CONTEXT|LINE \d+|HINT):", re.IGNORECASE)


def _run(name: str, args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run([_tool(name), *args], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        # PostgreSQL's DETAIL, CONTEXT and LINE lines can quote the rows (a COPY line, a duplicate key): left out.
        lines = [line for line in result.stderr.splitlines() if not _QUOTES_DATA.search(line)]
        detail = " ".join(" ".join(lines).split())[:1000] or f"exit status {result.returncode}"
        raise BackupError(f"{name} failed: {detail}")


def pg_dump(connection: BaseDatabaseWrapper, target: Path, snapshot: str) -> str:
    """Dump the database as it is in `snapshot` (exported by the caller's open transaction)."""
    line = _check_tool("pg_dump", connection)
    args, env = _libpq(connection)
    _run("pg_dump", [*args, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"], env)
    return line


def pg_restore(connection: BaseDatabaseWrapper, dump: Path) -> str:
    """Restore `dump` into the (empty) configured database, all or nothing."""
    line = _check_tool("pg_restore", connection)
    args, env = _libpq(connection)
    args += ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    _run("pg_restore", [*args, str(dump)], env)
    return line


def pg_check_dump(dump: Path) -> None:
    """Read the dump's table of contents: pg_restore refuses a file that is not a custom-format dump."""
    _run("pg_restore", ["--list", str(dump)], dict(os.environ))


# --- SQLite ---------------------------------------------------------------------------------------


def _raw(connection: BaseDatabaseWrapper) -> sqlite3.Connection:
    connection.ensure_connection()
    raw = connection.connection
    if not isinstance(raw, sqlite3.Connection):
        raise BackupError("The SQLite connection is not a sqlite3 connection.")
    return raw


def raw_sqlite(connection: BaseDatabaseWrapper) -> sqlite3.Connection:
    """Django's own sqlite3 connection to the configured database."""
    return _raw(connection)


def sqlite_copy(connection: BaseDatabaseWrapper, target: Path) -> None:
    """Copy the configured database to `target` (a new file), consistently, and check the copy."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    copy = sqlite3.connect(target)
    try:
        _raw(connection).backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        problems = [str(r[0]) for r in copy.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise BackupError(f"The database failed SQLite's integrity check: {'; '.join(problems[:3])}")
    finally:
        copy.close()


def sqlite_restore(connection: BaseDatabaseWrapper, source: Path) -> None:
    """Replace everything in the configured database with the copy at `source`."""
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        src.backup(_raw(connection))
    finally:
        src.close()
