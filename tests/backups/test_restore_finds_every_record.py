"""A backup of a database holding every kind of record, restored, gives back every record exactly.

The restored database is read table by table, every row in primary-key order, and compared with
the rows read from the original just before the backup: same tables, same rows, same values.
The only rows that may differ are the audit trail's, which gain the restore's own entry at the end.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from openiom.audit.chain import verify_chain
from openiom.demo import DEMO_PASSWORD, seed_partnership

from .conftest import BackedUp, connected_to, every_row, new_database

Rows = dict[str, list[tuple[Any, ...]]]
# The restore adds its own entry to the audit trail: one log entry and one seal more, a new chain head.
APPENDED = {"auditlog_logentry", "audit_auditseal"}
HEAD = "audit_auditchainhead"


def _assert_same_records(restored: Rows, original: Rows) -> None:
    assert sorted(restored) == sorted(original)
    for table, rows in original.items():
        if table in APPENDED:
            assert restored[table][:-1] == rows, table
        elif table != HEAD:
            assert restored[table] == rows, table
    (_pk, _hash, _seal, length), (original_head,) = restored[HEAD][0], original[HEAD]
    assert length == original_head[3] + 1


@pytest.mark.django_db(transaction=True)
def test_the_world_has_rows_in_nearly_every_table(backed_up: BackedUp) -> None:
    """The backup is of a database worth testing: every model's table, bar at most a few, holds rows."""
    model_tables = {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
    empty = sorted(t for t in model_tables if not backed_up.rows.get(t))
    assert len(empty) <= 2, f"tables with no rows in the world: {empty}"
    assert sum(1 for rows in backed_up.rows.values() if rows) >= 65
    assert sum(len(rows) for rows in backed_up.rows.values()) > 900


@pytest.mark.django_db(transaction=True)
def test_the_manifest_counts_every_table_and_names_nobody(backed_up: BackedUp) -> None:
    manifest = backed_up.manifest
    assert set(manifest["tables"]) == set(backed_up.rows)
    for table, rows in backed_up.rows.items():
        assert manifest["tables"][table]["rows"] == len(rows), table
        assert len(manifest["tables"][table]["sha256"]) == 64
    assert manifest["totals"] == {"tables": len(backed_up.rows), "rows": sum(map(len, backed_up.rows.values()))}
    assert manifest["engine"] == connection.vendor
    assert manifest["taken_at"].endswith("Z")
    applied = [f"{app}.{name}" for _id, app, name, _at in backed_up.rows["django_migrations"]]
    assert manifest["applied_migrations"] == applied
    assert manifest["migrations"]["audit"] == max(n for a, n in (m.split(".", 1) for m in applied) if a == "audit")
    assert manifest["audit_chain"]["length"] == len(backed_up.rows["audit_auditseal"])
    text = json.dumps(manifest)
    for personal in ("Sharefield", "Robin", "Brakeman", "Quill", "1990-02-03", "P-777", "example.org", "Olu"):
        assert personal not in text


@pytest.mark.django_db(transaction=True)
def test_the_backup_is_in_the_audit_trail(backed_up: BackedUp) -> None:
    details = backed_up.audit_details
    assert details["event"] == "database_backup"
    assert details["purpose"] == "administration"
    assert details["file"] == backed_up.path.name
    assert details["rows"] == backed_up.manifest["totals"]["rows"]
    assert f"SHA-256:     {details['file_sha256']}" in backed_up.output
    assert f"{backed_up.manifest['totals']['tables']}, " in backed_up.output


@pytest.mark.django_db(transaction=True)
def test_restore_into_an_empty_database_finds_every_record(backed_up: BackedUp, empty_database: str) -> None:
    out = io.StringIO()
    with connected_to(empty_database) as restored_db:
        call_command("restore", str(backed_up.path), stdout=out)
        restored = every_row(restored_db)
        chain = verify_chain()
        entry = LogEntry.objects.order_by("pk").last()
    _assert_same_records(restored, backed_up.rows)
    assert chain.ok
    assert chain.checked == len(backed_up.rows["audit_auditseal"]) + 1
    assert entry is not None
    assert entry.additional_data["event"] == "database_restore"
    assert entry.additional_data["rows"] == backed_up.manifest["totals"]["rows"]
    assert entry.additional_data["replaced_records"] is False
    printed = out.getvalue()
    tables = len(backed_up.rows)
    assert f"Tables:      {tables} of {tables} match the backup" in printed
    assert f"Audit chain: intact, {chain.checked:,} entries checked" in printed
    assert "Migrations:  up to date with this code" in printed
    assert "Replaced" not in printed


@pytest.mark.django_db(transaction=True)
def test_a_database_that_was_only_migrated_counts_as_empty(backed_up: BackedUp, tmp_path: Path) -> None:
    """`openiom migrate` writes reference rows (tiers, retention periods, the sharing matrix): no --force needed."""
    with new_database(tmp_path, "migrated") as name, connected_to(name) as restored_db:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("restore", str(backed_up.path), stdout=io.StringIO())
        restored = every_row(restored_db)
    _assert_same_records(restored, backed_up.rows)


@pytest.mark.django_db(transaction=True)
def test_a_database_with_records_is_refused_without_force_and_replaced_with_it(backed_up: BackedUp) -> None:
    seed_partnership(DEMO_PASSWORD)  # the test database, emptied by the previous test, gets records again
    before = every_row()
    with pytest.raises(CommandError, match=r"already holds records \(\d+ tables have rows.*--force") as refused:
        call_command("restore", str(backed_up.path), stdout=io.StringIO())
    assert "accounts_" in str(refused.value)
    assert every_row() == before  # nothing was touched

    out = io.StringIO()
    call_command("restore", str(backed_up.path), "--force", stdout=out)
    _assert_same_records(every_row(), backed_up.rows)
    assert "Replaced:    records in" in out.getvalue()
    entry = LogEntry.objects.order_by("pk").last()
    assert entry is not None
    assert entry.additional_data["replaced_records"] is True
    assert verify_chain().ok
