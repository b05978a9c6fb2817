"""The backup file: one tar archive that describes and checks itself.

Three members, in this order:

- `manifest.json`: the format and its version, the OpenIOM version, the database engine and its
  version, when the backup was taken (UTC) and how long it took, the migrations applied in each
  app, the audit chain's length and last hash, and for every table its row count and the SHA-256
  of its rows. Names, counts and hashes only: no personal data.
- the database itself: `database.pgdump` (`pg_dump --format=custom`) or `database.sqlite3` (a
  copy made with SQLite's backup API).
- `SHA256SUMS`: the SHA-256 of the two members above, in the form `sha256sum -c` reads.

Reading a backup checks all of it before anything is restored: the members are the ones expected
and complete, the manifest is one this code understands, and both checksums match. The database
member is copied into a private temporary folder on the way, so it is hashed once and restored
from exactly the bytes that were checked.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

FORMAT = "openiom-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
PAYLOADS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup could not be taken, or a file could not be restored; the message says why."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(time.time())
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def write_archive(out: IO[bytes], manifest: dict[str, Any], payload: Path) -> None:
    """Write the three members to `out` (an open file). The manifest must name the payload and its hash."""
    manifest_bytes = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8")
    name = manifest["payload"]["name"]
    sums = (
        f"{hashlib.sha256(manifest_bytes).hexdigest()}  {MANIFEST}\n{manifest['payload']['sha256']}  {name}\n"
    ).encode("ascii")
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        tar.addfile(_info(MANIFEST, len(manifest_bytes)), io.BytesIO(manifest_bytes))
        with payload.open("rb") as f:
            tar.addfile(_info(name, payload.stat().st_size), f)
        tar.addfile(_info(SUMS, len(sums)), io.BytesIO(sums))


@dataclass(frozen=True)
class CheckedBackup:
    """A backup file whose members and checksums were all found correct."""

    manifest: dict[str, Any]
    payload: Path  # the database member, in a private temporary folder removed afterwards
    file_sha256: str


def _parse_sums(data: bytes) -> dict[str, str]:
    sums: dict[str, str] = {}
    for line in data.decode("ascii").splitlines():
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name:
            raise ValueError(line)
        sums[name] = digest
    return sums


def _check_manifest(manifest: Any) -> dict[str, Any]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("This is not an OpenIOM backup (its manifest does not say so).")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise BackupError(
            f"This backup is in format version {version}; this OpenIOM reads version {FORMAT_VERSION}. "
            "Restore it with the OpenIOM version that wrote it."
        )
    payload = manifest.get("payload")
    engine = manifest.get("engine")
    if engine not in PAYLOADS or not isinstance(payload, dict) or payload.get("name") != PAYLOADS[engine]:
        raise BackupError("The backup's manifest does not describe its database member correctly.")
    if not isinstance(manifest.get("tables"), dict) or not isinstance(manifest.get("applied_migrations"), list):
        raise BackupError("The backup's manifest has no table checksums or no migrations.")
    return manifest


@contextmanager
def open_backup(path: Path) -> Iterator[CheckedBackup]:
    """Check the backup file at `path` completely and yield it; its temporary copy is removed afterwards."""
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    work = Path(tempfile.mkdtemp(prefix="openiom-restore-"))  # mode 0700
    try:
        yield _read(path, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _read(path: Path, work: Path) -> CheckedBackup:
    damaged = f"The backup file {path.name} is damaged or incomplete"
    try:
        with tarfile.open(path, mode="r:") as tar:
            members = tar.getmembers()
            names = [m.name for m in members]
            if names[:1] != [MANIFEST] or not all(m.isfile() for m in members):
                raise BackupError(f"{damaged}: it does not start with its manifest.")
            manifest_bytes = _read_member(tar, members[0])
            try:
                manifest = _check_manifest(json.loads(manifest_bytes))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise BackupError(f"{damaged}: its manifest is not readable.") from None
            payload_name = manifest["payload"]["name"]
            if names != [MANIFEST, payload_name, SUMS]:
                raise BackupError(
                    f"{damaged}: it should hold {MANIFEST}, {payload_name} and {SUMS}; it holds {', '.join(names)}."
                )
            try:
                sums = _parse_sums(_read_member(tar, members[2]))
            except (UnicodeDecodeError, ValueError):
                raise BackupError(f"{damaged}: its {SUMS} is not readable.") from None
            if sums.get(MANIFEST) != hashlib.sha256(manifest_bytes).hexdigest():
                raise BackupError(f"{damaged}: the manifest's checksum does not match (the manifest was changed).")
            target = work / payload_name
            digest = _copy_member(tar, members[1], target)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"{damaged} ({exc}).") from None
    expected = manifest["payload"].get("sha256")
    if digest != expected or sums.get(payload_name) != expected:
        raise BackupError(f"{damaged}: the checksum of the database in it does not match its manifest.")
    if target.stat().st_size != manifest["payload"].get("bytes"):
        raise BackupError(f"{damaged}: the database in it is not the size its manifest says.")
    return CheckedBackup(manifest=manifest, payload=target, file_sha256=sha256_file(path))


def _read_member(tar: tarfile.TarFile, member: tarfile.TarInfo, limit: int = 64 * 1024 * 1024) -> bytes:
    if member.size > limit:
        raise BackupError(f"The backup's {member.name} is too large to be a manifest or checksum list.")
    f = tar.extractfile(member)
    if f is None:
        raise tarfile.ReadError(f"{member.name} is not a file")
    data = f.read()
    if len(data) != member.size:
        raise tarfile.ReadError("unexpected end of data")
    return data


def _copy_member(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> str:
    """Copy one member to `target` (mode 0600), returning its SHA-256."""
    source = tar.extractfile(member)
    if source is None:
        raise tarfile.ReadError(f"{member.name} is not a file")
    digest, copied = hashlib.sha256(), 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
            copied += len(chunk)
    if copied != member.size:
        raise tarfile.ReadError("unexpected end of data")
    return digest.hexdigest()
