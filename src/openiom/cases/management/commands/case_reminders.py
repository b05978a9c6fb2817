from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openiom.cases.reminders import run_reminders


class Command(BaseCommand):
    help = (
        "Raise the tier review prompts (escalation after new offending, de-escalation after a quiet period "
        "with good compliance), transition tasks for young people turning 18 within three months and "
        "through-the-gate tasks for releases within six weeks. Run daily; safe to repeat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Run as of this day (YYYY-MM-DD); today by default.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date {options['date']!r} is not a date in the form YYYY-MM-DD") from None
        counts = run_reminders(today)
        self.stdout.write(self.style.SUCCESS(str(counts).capitalize()))
