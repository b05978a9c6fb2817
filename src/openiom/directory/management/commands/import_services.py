from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openiom.directory.importer import COLUMNS, import_services


class Command(BaseCommand):
    help = (
        "Import services into the directory from a CSV file (UTF-8, header row; columns: "
        f"{', '.join(COLUMNS)}; name, provider and pathways required). All or nothing: every row is "
        "checked first and nothing is saved if any row has a problem. Safe to repeat: a row with the "
        "name and provider of a service already there updates it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file.")
        parser.add_argument("--check", action="store_true", help="Check the file and report; save nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        result = import_services(path.read_bytes(), check_only=options["check"])
        for problem in result.problems:
            self.stdout.write(str(problem))
        if not result.ok:
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(result.summary()))
