from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from openiom.backups import BackupError, restore_backup
from openiom.backups.engines import engine_label


class Command(BaseCommand):
    help = (
        "Restore a file written by `openiom backup` into the configured database, which must be empty (new, or "
        "only migrated) unless --force. Checks the whole file first (manifest, checksums, same database engine, "
        "no migrations newer than this code); afterwards compares every table's row count and checksum with the "
        "backup and checks the audit hash chain. Stop the site and the worker first. Exits 1 with the reason on "
        "any failure. See docs/backup-and-restore.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE", help="The backup file to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace everything in a database that already holds records (they are lost).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = restore_backup(options["file"], force=options["force"])
        except BackupError as exc:
            raise CommandError(f"Restore failed: {exc}") from None
        except DatabaseError as exc:  # the first line only: PostgreSQL's details can quote rows
            first = (str(exc).strip().splitlines() or [""])[0]
            raise CommandError(f"Restore failed: the database reported {type(exc).__name__}: {first}") from None
        m = result.manifest
        lines = [
            f"Restored {options['file']}",
            f"  Backup:      taken {m['taken_at']} (UTC) by OpenIOM {m['openiom_version']} from "
            f"{engine_label(m['engine'])} {m['server_version']}",
            "  File:        manifest and SHA-256 checksums match",
        ]
        if result.replaced_tables:
            lines.append(f"  Replaced:    records in {len(result.replaced_tables)} tables (--force)")
        lines += [
            f"  Tables:      {result.tables} of {result.tables} match the backup (row counts and checksums), "
            f"{result.rows:,} rows",
            f"  Audit chain: intact, {result.chain.checked:,} entries checked (with this restore's); "
            f"head {result.chain.head_hash}",
        ]
        if result.pending_migrations:
            lines.append(
                f"  Migrations:  the backup is from an older version; {len(result.pending_migrations)} migration(s) "
                "to apply. Run `openiom migrate` now, before starting the site."
            )
        else:
            lines.append("  Migrations:  up to date with this code")
        self.stdout.write("\n".join(lines))
