from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from openiom.backups import BackupError, create_backup
from openiom.backups.engines import engine_label


class Command(BaseCommand):
    help = (
        "Back up the whole database to one new file (mode 0600): a tar holding the database (pg_dump custom "
        "format on PostgreSQL, a SQLite copy on SQLite), a manifest with every table's row count and checksum, "
        "and SHA-256 checksums. Consistent while the site is in use. Written under a temporary name and renamed "
        "when complete; never overwrites a file. Recorded in the audit trail. See docs/backup-and-restore.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, metavar="FILE", help="The new backup file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = create_backup(options["out"])
        except BackupError as exc:
            raise CommandError(f"Backup failed: {exc}") from None
        except DatabaseError as exc:  # the first line only: PostgreSQL's details can quote rows
            first = (str(exc).strip().splitlines() or [""])[0]
            raise CommandError(f"Backup failed: the database reported {type(exc).__name__}: {first}") from None
        m = result.manifest
        chain = m.get("audit_chain") or {"length": 0, "head": "(none)"}
        self.stdout.write(
            "\n".join(
                [
                    f"Backup written to {result.path} ({result.bytes:,} bytes, mode 0600)",
                    f"  Database:    {engine_label(m['engine'])} {m['server_version']}, with {m['tool']}",
                    f"  Taken at:    {m['taken_at']} (UTC), in {m['duration_seconds']:.1f} s",
                    f"  Tables:      {m['totals']['tables']}, {m['totals']['rows']:,} rows (each checksummed)",
                    f"  Migrations:  {len(m['applied_migrations'])} applied in {len(m['migrations'])} apps",
                    f"  Audit chain: {chain['length']:,} entries, head {chain['head']}",
                    f"  SHA-256:     {result.sha256}",
                    "Keep it encrypted and away from this server (docs/backup-and-restore.md).",
                ]
            )
        )
