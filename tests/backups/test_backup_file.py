"""The backup file checks itself, and restore refuses what it should: damage, another engine, a newer schema.

Every refusal leaves the target database as it was (no tables at all). A backup that fails leaves
no file behind, and never overwrites one.
"""

from __future__ import annotations

import copy
import errno
import hashlib
import io
import os
import stat
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections

from openiom.backups import engines, service
from openiom.backups.archive import open_backup, write_archive
from openiom.demo import DEMO_PASSWORD, seed_partnership

from .conftest import connected_to, every_row

pytestmark = pytest.mark.django_db(transaction=True)

WRITTEN_DURING = "Written while the backup ran"


@pytest.fixture(scope="module")
def small_backup(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backup of the demo partnership (users, agencies, roles, panels and their audit entries)."""
    path = tmp_path_factory.mktemp("small") / "partnership.openiom-backup"
    with django_db_blocker.unblock():
        seed_partnership(DEMO_PASSWORD)
        call_command("backup", "--out", str(path), stdout=io.StringIO())
    return path


def _members(path: Path) -> list[tarfile.TarInfo]:
    with tarfile.open(path) as tar:
        return tar.getmembers()


def _refused(path: Path, target: str, match: str) -> str:
    """Restore `path` into `target`, expect a refusal matching `match`, and check the target is untouched."""
    with connected_to(target) as db:
        with pytest.raises(CommandError, match=match) as refused:
            call_command("restore", str(path), stdout=io.StringIO())
        assert every_row(db) == {}  # still no tables at all
    return str(refused.value)


def _rewrite(source: Path, target: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    """A well-formed backup file (checksums recomputed) of the same database with its manifest changed."""
    with open_backup(source) as checked:
        manifest = copy.deepcopy(checked.manifest)
        change(manifest)
        with target.open("wb") as f:
            write_archive(f, manifest, checked.payload)
    return target


def test_the_file_is_private_and_checks_itself(small_backup: Path) -> None:
    assert stat.S_IMODE(small_backup.stat().st_mode) == 0o600
    members = _members(small_backup)
    payload = "database.pgdump" if connection.vendor == "postgresql" else "database.sqlite3"
    assert [m.name for m in members] == ["manifest.json", payload, "SHA256SUMS"]
    with tarfile.open(small_backup) as tar:
        data = {m.name: tar.extractfile(m).read() for m in members}  # type: ignore[union-attr]
    lines = data["SHA256SUMS"].decode().splitlines()  # as `sha256sum -c SHA256SUMS` reads them
    assert lines == [f"{hashlib.sha256(data[name]).hexdigest()}  {name}" for name in ("manifest.json", payload)]


def _flip_digit(data: bytearray, start: int, end: int) -> int:
    """Change one digit of a row count in the manifest (the JSON stays valid)."""
    at = data.index(b'"rows": ', start, end) + len(b'"rows": ')
    data[at] = ord("7") if data[at] != ord("7") else ord("8")
    return at


# Each case is one restore refused; they share a test (and the target) because every transactional
# test ends by emptying the database, which is slow on PostgreSQL.
CHANGED_BYTE = {
    "manifest": "the manifest's checksum does not match",
    "database": "the checksum of the database in it does not match its manifest",
    "checksums": "checksum",
    "header": "it should hold manifest.json",
}


def test_one_changed_byte_anywhere_is_refused(small_backup: Path, untouched_target: str, tmp_path: Path) -> None:
    manifest, database, sums = _members(small_backup)
    for where, message in CHANGED_BYTE.items():
        data = bytearray(small_backup.read_bytes())
        if where == "manifest":
            _flip_digit(data, manifest.offset_data, manifest.offset_data + manifest.size)
        elif where == "database":
            data[database.offset_data + database.size // 2] ^= 0x01
        elif where == "checksums":
            at = sums.offset_data + 3
            data[at] = ord("0") if data[at] != ord("0") else ord("1")
        else:
            data[database.offset + 5] ^= 0x01  # the database member's name, in its tar header
        damaged = tmp_path / f"{where}.openiom-backup"
        damaged.write_bytes(bytes(data))
        assert damaged.stat().st_size == small_backup.stat().st_size
        refused = _refused(damaged, untouched_target, "Restore failed")
        assert message in refused, where
        assert "damaged or incomplete" in refused, where


def test_a_truncated_file_is_refused(small_backup: Path, untouched_target: str, tmp_path: Path) -> None:
    manifest, database, sums = _members(small_backup)
    cuts = {
        "first header": 100,
        "manifest": manifest.offset_data + manifest.size // 2,
        "database": database.offset_data + database.size // 2,
        "before the checksums": sums.offset,
        "in the checksums": sums.offset_data + 10,
    }
    for cut, length in cuts.items():
        truncated = tmp_path / f"{cut}.openiom-backup"
        truncated.write_bytes(small_backup.read_bytes()[:length])
        assert "damaged or incomplete" in _refused(truncated, untouched_target, "Restore failed"), cut


def test_a_backup_from_another_engine_is_refused(small_backup: Path, untouched_target: str, tmp_path: Path) -> None:
    other = {"postgresql": "sqlite", "sqlite": "postgresql"}[connection.vendor]

    def change(manifest: dict[str, Any]) -> None:
        manifest["engine"] = other
        manifest["payload"]["name"] = "database.pgdump" if other == "postgresql" else "database.sqlite3"

    refused = _refused(_rewrite(small_backup, tmp_path / "other.tar", change), untouched_target, "across database")
    assert "Restoring across database engines is not supported" in refused


def test_a_backup_from_a_newer_schema_is_refused(small_backup: Path, untouched_target: str, tmp_path: Path) -> None:
    def change(manifest: dict[str, Any]) -> None:
        manifest["applied_migrations"].append("retention.9999_from_the_future")
        manifest["openiom_version"] = "9.0.0"

    newer = _rewrite(small_backup, tmp_path / "newer.tar", change)
    refused = _refused(newer, untouched_target, "comes from a newer OpenIOM")
    assert "version 9.0.0" in refused
    assert "retention.9999_from_the_future" in refused


def test_a_file_in_an_unknown_format_is_refused(small_backup: Path, untouched_target: str, tmp_path: Path) -> None:
    later = _rewrite(small_backup, tmp_path / "v2.tar", lambda m: m.update(format_version=2))
    _refused(later, untouched_target, "format version 2; this OpenIOM reads version 1")
    not_a_backup = tmp_path / "notes.tar"
    with tarfile.open(not_a_backup, "w") as tar:
        tar.add(__file__, arcname="manifest.json")
    _refused(not_a_backup, untouched_target, "manifest is not readable")


@pytest.mark.parametrize("change", ["count", "checksum"])
def test_a_restored_table_that_differs_from_the_manifest_fails(
    small_backup: Path, scratch_database: str, tmp_path: Path, change: str
) -> None:
    """The check after the restore compares every table: here the manifest claims other rows for one."""

    def alter(manifest: dict[str, Any]) -> None:
        if change == "count":
            manifest["tables"]["accounts_user"]["rows"] += 1
        else:
            manifest["tables"]["accounts_user"]["sha256"] = "0" * 64

    altered = _rewrite(small_backup, tmp_path / "altered.tar", alter)
    with connected_to(scratch_database), pytest.raises(CommandError, match="does not match the backup") as failed:
        call_command("restore", str(altered), "--force", stdout=io.StringIO())
    expected = "table accounts_user has rows that differ" if change == "checksum" else "table accounts_user has"
    assert expected in str(failed.value)


def test_a_broken_audit_chain_fails_the_restore(scratch_database: str, tmp_path: Path) -> None:
    seed_partnership(DEMO_PASSWORD)
    entry = LogEntry.objects.order_by("pk")[3]
    LogEntry.objects.filter(pk=entry.pk).update(object_repr="rewritten afterwards")  # around the seal
    path = tmp_path / "tampered.openiom-backup"
    call_command("backup", "--out", str(path), stdout=io.StringIO())
    with connected_to(scratch_database), pytest.raises(CommandError, match="audit chain is broken") as failed:
        call_command("restore", str(path), "--force", stdout=io.StringIO())
    assert f"at entry {entry.pk}: this entry's content was changed" in str(failed.value)


def test_an_older_backup_is_restored_and_asks_for_migrate(scratch_database: str, tmp_path: Path) -> None:
    """A backup taken before the code's last migration: restored as it is, and the operator told to migrate."""
    seed_partnership(DEMO_PASSWORD)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, app, name, applied FROM django_migrations WHERE app = 'retention' ORDER BY id DESC")
        latest = cursor.fetchone()
        cursor.execute("DELETE FROM django_migrations WHERE id = %s", [latest[0]])
    path = tmp_path / "older.openiom-backup"
    try:
        call_command("backup", "--out", str(path), stdout=io.StringIO())
    finally:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO django_migrations (id, app, name, applied) VALUES (%s, %s, %s, %s)", latest)
    out = io.StringIO()
    with connected_to(scratch_database) as restored:
        call_command("restore", str(path), "--force", stdout=out)
        assert service.pending_migrations(restored) == [f"retention.{latest[2]}"]
    assert "1 migration(s) to apply. Run `openiom migrate` now" in out.getvalue()


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    seed_partnership(DEMO_PASSWORD)
    existing = tmp_path / "backup.tar"
    existing.write_bytes(b"an earlier backup")
    with pytest.raises(CommandError, match="already exists: backups are never overwritten"):
        call_command("backup", "--out", str(existing), stdout=io.StringIO())
    assert existing.read_bytes() == b"an earlier backup"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.tar"]


def _backup_entries() -> int:
    return LogEntry.objects.filter(additional_data__event="database_backup").count()


def test_a_backup_into_an_unwritable_folder_leaves_nothing(tmp_path: Path) -> None:
    seed_partnership(DEMO_PASSWORD)
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    if os.access(folder, os.W_OK):  # root may write anywhere: use a folder nobody can create files in
        folder = Path("/proc")
    before = set(folder.iterdir()) if folder != Path("/proc") else set()
    entries = _backup_entries()
    try:
        with pytest.raises(CommandError, match=f"Backup failed: Cannot write in {folder}"):
            call_command("backup", "--out", str(folder / "backup.tar"), stdout=io.StringIO())
        assert not (folder / "backup.tar").exists()
        if folder != Path("/proc"):
            assert set(folder.iterdir()) == before
    finally:
        (tmp_path / "read-only").chmod(0o700)
    assert _backup_entries() == entries


def test_a_backup_that_fails_while_writing_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills half way through the file: no file, no temporary file, no audit entry."""
    seed_partnership(DEMO_PASSWORD)

    def disk_full(out: IO[bytes], manifest: dict[str, Any], payload: Path) -> None:
        out.write(b"\0" * 10_000)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(service, "write_archive", disk_full)
    entries = _backup_entries()
    with pytest.raises(CommandError, match=r"could not be written: .*No space left on device"):
        call_command("backup", "--out", str(tmp_path / "backup.tar"), stdout=io.StringIO())
    assert list(tmp_path.iterdir()) == []
    assert _backup_entries() == entries


def test_a_write_while_the_backup_runs_is_not_half_in_it(
    scratch_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site writes after the database was copied out but before the checksums are read: the backup
    describes exactly what it holds (on PostgreSQL, the checksums are read in pg_dump's own snapshot)."""
    seed_partnership(DEMO_PASSWORD)
    ours = connections[DEFAULT_DB_ALIAS]
    site = ours.__class__({**ours.settings_dict}, alias=DEFAULT_DB_ALIAS)  # a second connection: the site's
    copy_out = "pg_dump" if connection.vendor == "postgresql" else "sqlite_copy"
    real = getattr(engines, copy_out)

    def copy_then_the_site_writes(*args: Any) -> Any:
        result = real(*args)
        with site.cursor() as cursor:
            cursor.execute("INSERT INTO auth_group (name) VALUES (%s)", [WRITTEN_DURING])
        return result

    monkeypatch.setattr(engines, copy_out, copy_then_the_site_writes)
    path = tmp_path / "busy.openiom-backup"
    try:
        call_command("backup", "--out", str(path), stdout=io.StringIO())
    finally:
        site.close()
    assert Group.objects.filter(name=WRITTEN_DURING).exists()  # committed on the site
    with connected_to(scratch_database):
        call_command("restore", str(path), "--force", stdout=io.StringIO())  # every table matches its checksum
        assert not Group.objects.filter(name=WRITTEN_DURING).exists()


def test_a_backup_that_cannot_be_audited_is_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed_partnership(DEMO_PASSWORD)

    def audit_trail_down(**kwargs: Any) -> LogEntry:
        raise DatabaseError("the audit entry could not be written")

    monkeypatch.setattr(service, "_audit", audit_trail_down)
    with pytest.raises(CommandError, match="the database reported DatabaseError: the audit entry could not be written"):
        call_command("backup", "--out", str(tmp_path / "backup.tar"), stdout=io.StringIO())
    assert list(tmp_path.iterdir()) == []
