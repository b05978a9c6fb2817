from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openiom.datastandard import Problem, files_from_dir
from openiom.imports.constants import DeliveryStatus, Origin
from openiom.imports.services import import_files


class Command(BaseCommand):
    help = (
        "Import a delivery in the OpenIOM data standard (docs/data-standard.md) from a folder holding "
        "people, offences, custody and flags files (CSV or Parquet). All or nothing; safe to repeat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="Folder holding the delivery's files.")

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        try:
            files = files_from_dir(folder)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from None
        last = {"shown": -1}

        def progress(done: int, total: int, message: str = "") -> None:
            if total and done * 10 // total != last["shown"]:
                last["shown"] = done * 10 // total
                self.stderr.write(f"  {message}: {done:,} of {total:,} rows")

        delivery = import_files(files, origin=Origin.COMMAND, command_user=getpass.getuser(), progress=progress)
        if delivery.ignored_files:
            self.stdout.write(f"Ignored (not part of the standard): {', '.join(delivery.ignored_files)}")
        if delivery.status != DeliveryStatus.IMPORTED:
            for problem in delivery.errors:
                self.stdout.write(str(Problem(**problem)))
            more = delivery.error_count - len(delivery.errors)
            if more > 0:
                self.stdout.write(f"... and {more:,} more")
            raise CommandError(
                f"Delivery {delivery.pk} rejected: {delivery.error_count:,} problem(s) found, nothing was imported."
            )
        self.stdout.write(self.style.SUCCESS(f"Delivery {delivery.pk} imported ({delivery.fingerprint[:12]})"))
        for name, counts in delivery.changes.items():
            created, updated, unchanged = counts["created"], counts["updated"], counts["unchanged"]
            self.stdout.write(f"  {name}: {created:,} created, {updated:,} updated, {unchanged:,} unchanged")
