"""Taking a backup and restoring one: the two operations behind `openiom backup` and `openiom restore`.

`create_backup` reads the database once, in one consistent state: on PostgreSQL the checksums
are computed inside the very snapshot that `pg_dump` dumps (an exported snapshot of a
repeatable-read transaction); on SQLite they are computed from the copy itself. The file is
written under a temporary name in the target folder (mode 0600) and renamed only when it is
complete, so a failed backup never leaves a file that looks like a backup.

`restore_backup` checks the whole file before it touches the database, refuses a target that
holds records (unless forced), a backup from another engine and one from a newer schema; after
restoring it compares every table with the manifest, writes the restore to the audit trail and
checks the audit hash chain. Both operations write one entry to the audit trail.
"""

from __future__ import annotations

import getpass
import logging
import os
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from openiom.audit.chain import HEAD_PK, ChainReport, verify_chain
from openiom.audit.constants import Purpose
from openiom.audit.models import AuditChainHead
from openiom.cases.models import Tier
from openiom.retention.models import RetentionRule
from openiom.sharing.models import SharingRule

from . import engines
from .archive import FORMAT, FORMAT_VERSION, PAYLOADS, BackupError, open_backup, sha256_file, write_archive
from .tables import PostgresTables, SqliteTables, Tables, TableStats, all_stats, latest_by_app

logger = logging.getLogger(__name__)

# Rows that `openiom migrate` writes by itself: a database holding only these holds no records.
SEEDED_BY_MIGRATE = (
    MigrationRecorder.Migration,
    ContentType,
    Permission,
    AuditChainHead,
    Tier,
    RetentionRule,
    SharingRule,
)


def seeded_tables() -> set[str]:
    return {model._meta.db_table for model in SEEDED_BY_MIGRATE}


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    bytes: int
    sha256: str


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict[str, Any]
    file_sha256: str
    tables: int
    rows: int
    replaced_tables: list[str]  # tables that held records before the restore (only with force)
    chain: ChainReport
    pending_migrations: list[str] = field(default_factory=list)


def _connection() -> BaseDatabaseWrapper:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.in_atomic_block:
        raise BackupError("Backups and restores cannot run inside a database transaction.")
    return connection


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _audit(*, event: str, action: int, label: str, details: dict[str, Any]) -> LogEntry:
    """One entry in the audit trail (sealed into the hash chain like every entry), about the database as a whole."""
    with transaction.atomic():
        head, _ = AuditChainHead.objects.get_or_create(pk=HEAD_PK)
        entry: LogEntry | None = LogEntry.objects.log_create(
            head,
            force_log=True,
            action=action,
            changes=None,
            actor=None,
            object_repr=label,
            additional_data={**details, "event": event, "purpose": Purpose.ADMINISTRATION.value, "run_by": _operator()},
        )
    if entry is None:  # force_log always creates one
        raise BackupError("The audit entry was not written.")
    return entry


# --- Backup ---------------------------------------------------------------------------------------


def create_backup(out: Path) -> BackupResult:
    """Back up the configured database to the new file `out`. Refuses to overwrite a file."""
    connection = _connection()
    engine = engines.engine_of(connection)
    out = Path(out).absolute()
    if out.exists():
        raise BackupError(f"{out} already exists: backups are never overwritten; choose a new file name.")
    if not out.parent.is_dir():
        raise BackupError(f"The folder {out.parent} does not exist.")
    try:
        work = Path(tempfile.mkdtemp(prefix=".openiom-backup-", dir=out.parent))  # mode 0700
    except OSError as exc:
        raise BackupError(f"Cannot write in {out.parent}: {exc.strerror}.") from None
    partial: Path | None = None
    taken_at, started = datetime.now(UTC), time.monotonic()
    try:
        payload = work / PAYLOADS[engine]
        describe = _dump_postgres if engine == "postgresql" else _copy_sqlite
        manifest = describe(connection, payload)
        manifest.update(
            format=FORMAT,
            format_version=FORMAT_VERSION,
            openiom_version=version("openiom"),
            engine=engine,
            server_version=engines.server_version(connection),
            taken_at=taken_at.isoformat(timespec="seconds").replace("+00:00", "Z"),
            duration_seconds=round(time.monotonic() - started, 3),
        )
        manifest["payload"] = {"name": payload.name, "bytes": payload.stat().st_size, "sha256": sha256_file(payload)}
        fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)  # mode 0600
        partial = Path(name)
        with os.fdopen(fd, "wb") as f:
            write_archive(f, manifest, payload)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(partial, 0o600)
        result = BackupResult(out, manifest, partial.stat().st_size, sha256_file(partial))
        _publish(partial, out)
        partial = None
        _fsync_folder(out.parent)
        totals = manifest["totals"]
        try:
            _audit(
                event="database_backup",
                action=LogEntry.Action.ACCESS,
                label="Database backup",
                details={
                    "file": out.name,
                    "file_sha256": result.sha256,
                    "tables": totals["tables"],
                    "rows": totals["rows"],
                },
            )
        except BaseException:
            out.unlink(missing_ok=True)  # a backup that is not in the audit trail is not kept
            raise
    except OSError as exc:
        raise BackupError(f"The backup could not be written: {exc}") from None
    finally:
        if partial is not None:
            partial.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    logger.info(
        "Backup written: %d tables, %d rows, %d bytes, in %.1f s",
        totals["tables"], totals["rows"], result.bytes, manifest["duration_seconds"],
    )  # fmt: skip
    return result


def _describe(tables: Tables, tool: str) -> dict[str, Any]:
    """The manifest's description of the database as `tables` sees it."""
    stats = all_stats(tables)
    applied = tables.applied_migrations()
    head = tables.chain_head()
    return {
        "tool": tool,
        "tables": {name: s.as_json() for name, s in stats.items()},
        "totals": {"tables": len(stats), "rows": sum(s.rows for s in stats.values())},
        "migrations": latest_by_app(applied),
        "applied_migrations": [f"{app}.{name}" for app, name in applied],
        "audit_chain": {"length": head[0], "head": head[1]} if head else None,
    }


def _dump_postgres(connection: BaseDatabaseWrapper, payload: Path) -> dict[str, Any]:
    """Dump the database and describe it from the same snapshot, so the checksums are of what was dumped."""
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = str(cursor.fetchone()[0])
        tool = engines.pg_dump(connection, payload, snapshot)
        engines.pg_check_dump(payload)
        return _describe(PostgresTables(connection), tool)


def _copy_sqlite(connection: BaseDatabaseWrapper, payload: Path) -> dict[str, Any]:
    engines.sqlite_copy(connection, payload)
    copy = sqlite3.connect(f"{payload.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return _describe(SqliteTables(copy), f"sqlite3 backup API (SQLite {sqlite3.sqlite_version})")
    finally:
        copy.close()


def _publish(partial: Path, out: Path) -> None:
    """Give the complete file its name, never replacing a file that appeared there meanwhile."""
    try:
        os.link(partial, out)  # fails if `out` exists, unlike a rename
    except FileExistsError:
        raise BackupError(f"{out} already exists: backups are never overwritten; choose a new file name.") from None
    except OSError:  # a filesystem without hard links
        if out.exists():
            raise BackupError(f"{out} already exists: backups are never overwritten.") from None
        os.replace(partial, out)
        return
    partial.unlink()


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- Restore --------------------------------------------------------------------------------------


def unknown_migrations(applied: list[str]) -> list[str]:
    """Migrations applied in the backup that this code does not have (the backup is from a newer version)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    return [label for label in applied if tuple(label.split(".", 1)) not in known]


def pending_migrations(connection: BaseDatabaseWrapper) -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _tables_now(connection: BaseDatabaseWrapper) -> Tables:
    if connection.vendor == "postgresql":
        return PostgresTables(connection)
    return SqliteTables(engines.raw_sqlite(connection))


def _restored_stats(connection: BaseDatabaseWrapper) -> dict[str, TableStats]:
    if connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias):  # one consistent read; server-side cursors need it
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return all_stats(PostgresTables(connection))
    return all_stats(_tables_now(connection))


def compare_tables(expected: dict[str, Any], found: dict[str, TableStats]) -> list[str]:
    """What differs between the manifest's tables and the database's, in words (empty when they match)."""
    problems = [f"table {name} is missing" for name in sorted(set(expected) - set(found))]
    problems += [f"table {name} is not in the backup" for name in sorted(set(found) - set(expected))]
    for name in sorted(set(expected) & set(found)):
        want, got = expected[name], found[name]
        if got.rows != want.get("rows"):
            problems.append(f"table {name} has {got.rows} rows, the backup {want.get('rows')}")
        elif got.sha256 != want.get("sha256"):
            problems.append(f"table {name} has rows that differ from the backup's (checksum)")
    return problems


def restore_backup(path: Path, *, force: bool = False) -> RestoreResult:
    """Restore the backup file at `path` into the configured database, then check it completely."""
    connection = _connection()
    engine = engines.engine_of(connection)
    with open_backup(Path(path)) as backup:
        manifest = backup.manifest
        if manifest["engine"] != engine:
            raise BackupError(
                f"This backup was taken from {engines.engine_label(manifest['engine'])} and this OpenIOM uses "
                f"{engines.engine_label(engine)}. Restoring across database engines is not supported: restore "
                f"it into a {engines.engine_label(manifest['engine'])} database."
            )
        unknown = unknown_migrations(manifest["applied_migrations"])
        if unknown:
            raise BackupError(
                f"This backup comes from a newer OpenIOM (version {manifest.get('openiom_version')}): its database "
                f"has {len(unknown)} migration(s) this code does not have ({', '.join(unknown[:5])}). Install "
                "that version of OpenIOM or a later one, then restore."
            )
        if engine == "postgresql":
            engines.pg_check_dump(backup.payload)
        target = _tables_now(connection)
        existing = target.names()
        seeded = seeded_tables()
        occupied = [name for name in existing if name not in seeded and target.has_rows(name)]
        if occupied and not force:
            raise BackupError(
                f"The database {connection.settings_dict['NAME']} already holds records ({len(occupied)} tables have "
                f"rows, among them {', '.join(occupied[:3])}). A restore replaces everything in it, so it needs an "
                "empty database: create a new one, or run again with --force to replace what is there."
            )
        if engine == "postgresql":
            if existing:
                with transaction.atomic(using=connection.alias):
                    PostgresTables(connection).drop_all()
            engines.pg_restore(connection, backup.payload)
        else:
            engines.sqlite_restore(connection, backup.payload)
        ContentType.objects.clear_cache()  # ids cached from the database that was there before
        problems = compare_tables(manifest["tables"], _restored_stats(connection))
        if problems:
            raise BackupError(
                f"The restored database does not match the backup ({len(problems)} problem(s)): "
                + "; ".join(problems[:5])
            )
        pending = pending_migrations(connection)
        totals = manifest["totals"]
        try:
            _audit(
                event="database_restore",
                action=LogEntry.Action.CREATE,
                label="Database restored from a backup",
                details={
                    "backup_taken_at": manifest["taken_at"],
                    "backup_openiom_version": manifest.get("openiom_version"),
                    "backup_file_sha256": backup.file_sha256,
                    "tables": totals["tables"],
                    "rows": totals["rows"],
                    "replaced_records": bool(occupied),
                },
            )
            chain = verify_chain()
        except DatabaseError as exc:
            if not pending:
                raise
            raise BackupError(
                f"The data was restored and matches the backup, but its schema is older than this code and the "
                f"audit trail cannot be written or checked until it is migrated ({exc.__class__.__name__}): run "
                "`openiom migrate`, then `openiom audit_verify`."
            ) from None
        if not chain.ok:
            raise BackupError(
                f"The data was restored and matches the backup, but the audit chain is broken at entry "
                f"{chain.broken_entry_id}: {chain.problem} ({chain.checked} entries before it are intact)."
            )
    logger.info(
        "Restore finished: %d tables, %d rows, audit chain of %d entries intact, %d migrations to apply",
        totals["tables"], totals["rows"], chain.checked, len(pending),
    )  # fmt: skip
    return RestoreResult(manifest, backup.file_sha256, totals["tables"], totals["rows"], occupied, chain, pending)
