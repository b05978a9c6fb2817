"""A database holding every kind of record, backed up once per module, and empty databases to restore into.

The world is the page matrix's (`tests/security/conftest.py`: one of everything, from cases and
panels to selection runs, linkage, break-glass, tokens and sessions) plus a few rows it does not
make, committed for real: `pg_dump` reads the database from another connection, so nothing may
sit in an uncommitted transaction. Every test here is transactional, so pytest-django empties the
database after each one; the backup file and the snapshot of every table outlive that.

An empty database is a new PostgreSQL database named after the test database (so that workers
under pytest-xdist never share one) or a new SQLite file; `connected_to` points Django's default
connection at it for a while, leaving the test database's own connection open (an in-memory
SQLite test database would vanish if it were closed).
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from openiom.backups.archive import open_backup
from openiom.sharing.defaults import seed_defaults
from tests.security.conftest import NOW, _build


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def every_row(conn: BaseDatabaseWrapper | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order, as Django's connection returns them."""
    conn = conn or connections[DEFAULT_DB_ALIAS]
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with conn.cursor() as cursor:
        tables = conn.introspection.table_names(cursor, include_views=False)
        for table in sorted(tables):
            key = conn.introspection.get_primary_key_columns(cursor, table) or []
            order = ", ".join(quote(c) for c in key) if key else "1"
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {order}")  # noqa: S608
            rows[table] = [tuple(r) for r in cursor.fetchall()]
    return rows


@contextmanager
def connected_to(name: str) -> Iterator[BaseDatabaseWrapper]:
    """Django's default connection pointed at another database (a name, or a SQLite file) until the block ends."""
    original = connections[DEFAULT_DB_ALIAS]
    replacement = original.__class__({**original.settings_dict, "NAME": name}, alias=DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = replacement
    ContentType.objects.clear_cache()
    try:
        yield replacement
    finally:
        replacement.close()
        connections[DEFAULT_DB_ALIAS] = original
        ContentType.objects.clear_cache()


def restore_name(suffix: str = "restore") -> str:
    """A database name for a restore target, derived from the test database's (unique per xdist worker)."""
    return f"{connection.settings_dict['NAME']}_{suffix}"


def _create(tmp_path: Path, suffix: str) -> str:
    if connection.vendor != "postgresql":
        return str(tmp_path / f"{suffix}.sqlite3")
    name = restore_name(suffix)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quote(name)}")
    return name


def _drop(name: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")
    else:
        for path in Path(name).parent.glob(Path(name).name + "*"):  # with its -wal and -shm files
            path.unlink()


@contextmanager
def new_database(tmp_path: Path, suffix: str = "restore") -> Iterator[str]:
    """A new, empty database: its name on PostgreSQL, its file on SQLite. Dropped or deleted afterwards."""
    name = _create(tmp_path, suffix)
    try:
        yield name
    finally:
        _drop(name)


@pytest.fixture
def empty_database(transactional_db: None, tmp_path: Path) -> Iterator[str]:
    with new_database(tmp_path) as name:
        yield name


def _module_database(django_db_blocker: Any, tmp_path: Path, suffix: str) -> Iterator[str]:
    with django_db_blocker.unblock():
        name = _create(tmp_path, suffix)
    try:
        yield name
    finally:
        with django_db_blocker.unblock():
            _drop(name)


@pytest.fixture(scope="module")
def untouched_target(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """An empty database for the module's refusals, each of which must leave it empty (one, as creating
    and dropping a PostgreSQL database costs a checkpoint each time)."""
    yield from _module_database(django_db_blocker, tmp_path_factory.mktemp("untouched"), "untouched")


@pytest.fixture(scope="module")
def scratch_database(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database the module's tests restore into with --force, one after another."""
    yield from _module_database(django_db_blocker, tmp_path_factory.mktemp("scratch"), "scratch")


def _reseed() -> None:
    """The rows `migrate` writes, which an earlier transactional test's flush removed."""
    for module in ("0002_default_periods", "0003_more_record_types"):
        importlib.import_module(f"openiom.retention.migrations.{module}").seed(apps, None)
    seed_defaults()


def _more() -> None:
    """Rows of every kind the page matrix's world does not make, some with awkward values."""
    from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog
    from django.contrib.admin.models import ADDITION
    from django.contrib.admin.models import LogEntry as AdminLogEntry
    from django.contrib.auth.models import Group, Permission
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_tasks_db.models import DBTaskResult

    from openiom.accounts.models import Agency, User
    from openiom.cases import contacts
    from openiom.cases.constants import EnforcementKind
    from openiom.cases.models import Case
    from openiom.panels.models import AgendaItem, Decision, Vote
    from openiom.people.models import PersonMerge, PersonRecord
    from openiom.retention.models import RetentionAction

    admin = User.objects.get(email__startswith="admin")
    coordinator = User.objects.get(email__startswith="coordinator")
    group = Group.objects.create(name="Backup test group")
    permission = Permission.objects.order_by("pk").first()
    assert permission is not None
    group.permissions.add(permission)
    admin.groups.add(group)
    admin.user_permissions.add(permission)
    TOTPDevice.objects.create(user=admin, name="Phone", confirmed=True)
    StaticToken.objects.create(device=StaticDevice.objects.create(user=admin, name="Backup codes"), token="a1b2c3d4")
    attempt = AccessAttempt.objects.create(
        user_agent="pytest", ip_address="192.0.2.1", username="someone@example.org", http_accept="*/*",
        path_info="/accounts/sign-in/", get_data="", post_data="", failures_since_start=2,
    )  # fmt: skip
    AccessAttemptExpiration.objects.create(access_attempt=attempt, expires_at=NOW)
    AccessFailureLog.objects.create(
        user_agent="pytest", ip_address="2001:db8::1", username="someone@example.org", http_accept="*/*",
        path_info="/accounts/sign-in/", locked_out=False,
    )  # fmt: skip
    AdminLogEntry.objects.create(
        user=admin, content_type=ContentType.objects.get_for_model(Group), object_id=str(group.pk),
        object_repr=group.name, action_flag=ADDITION, change_message="[]",
    )  # fmt: skip
    for n in range(3):  # UUID keys, ordered by their bytes
        DBTaskResult.objects.create(
            args_kwargs={"args": [n], "kwargs": {}}, task_path="openiom.jobs.tasks.run_job_task",
            backend_name="default", queue_name="default", run_after=NOW, exception_class_path="", traceback="",
        )  # fmt: skip
    case = Case.objects.order_by("pk").first()
    assert case is not None
    contacts.record_enforcement(case=case, kind=EnforcementKind.WARNING, by=case.lead_professional, details="Warned")
    item = AgendaItem.objects.order_by("pk").first()
    assert item is not None
    decision = Decision.objects.create(
        item=item, outcome="defer", reasons="More information", votes_for=2, votes_against=0, abstentions=1,
        organisations_present=3, decided_by=coordinator,
    )  # fmt: skip
    for agency in Agency.objects.order_by("pk")[:3]:
        Vote.objects.create(decision=decision, agency=agency, choice="for")
    merge = PersonMerge.objects.order_by("pk").first()
    assert merge is not None
    merge.moved_records.add(*PersonRecord.objects.order_by("pk")[:2])
    RetentionAction.objects.create(
        record_type="case", object_id=case.pk + 1000, action="deleted", label="IOM case (test)",
        counts={"cases.Case": 1, "nested": {"ünïcödé": [1, 2.5, None, True]}}, period_months=72,
        due_on=date(2026, 1, 1), by=admin,
        reason="Past its period: 'quoted', \"double\", a\nnew line, a tab\t, émoji 🚓, \\",
    )  # fmt: skip


@dataclass(frozen=True)
class BackedUp:
    path: Path
    manifest: dict[str, Any]
    rows: dict[str, list[tuple[Any, ...]]]  # every table as it was when the backup was taken
    output: str  # what `openiom backup` printed
    audit_details: dict[str, Any]  # the additional data of the audit entry the backup wrote


@pytest.fixture(scope="module")
def backed_up(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BackedUp]:
    """The world, committed, and its backup (taken with the command); every table's rows at that moment."""
    from auditlog.models import LogEntry

    path = tmp_path_factory.mktemp("backups") / "world.openiom-backup"
    out = io.StringIO()
    try:
        with django_db_blocker.unblock():
            _reseed()
            with time_machine.travel(NOW, tick=False):
                _build()
                _more()
            rows = every_row()  # nothing else writes between this and the backup's snapshot
            call_command("backup", "--out", str(path), stdout=out)
            entry = LogEntry.objects.order_by("pk").last()
            assert entry is not None
            audit_details = dict(entry.additional_data or {})
        with open_backup(path) as checked:
            manifest = checked.manifest
        yield BackedUp(path, manifest, rows, out.getvalue(), audit_details)
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
