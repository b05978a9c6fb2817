from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from openiom.demo import DEMO_PASSWORD, load_demo_data, load_demo_selection, seed_partnership


class Command(BaseCommand):
    help = (
        "Set up the demo partnership (synthetic data only) in the configured database, print the demo "
        "sign-in details, then serve the site and the task worker on 127.0.0.1 until stopped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Set up the data and stop; do not serve.")
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on (default 8000).")
        parser.add_argument(
            "--no-data", action="store_true", help="Only the partnership and users; no synthetic people data."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo refuses to run in production mode (OPENIOM_PRODUCTION is true).")
        port = options["port"]
        if not 1024 <= port <= 65535:
            raise CommandError("--port must be between 1024 and 65535")
        database = settings.DATABASES["default"]
        if database["ENGINE"].endswith("sqlite3"):  # a fresh clone has no var/ folder yet
            Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        users = seed_partnership()
        if not options["no_data"]:
            self.stdout.write("Generating, importing and linking a synthetic borough (first run takes a minute)...")
            summary = load_demo_data(settings.REPO_DIR / "var" / "demo-data")
            rows = ", ".join(f"{n:,} {name}" for name, n in summary["rows"].items())  # type: ignore[attr-defined]
            self.stdout.write(f"Demo data: {rows}.")
            linkage = summary["linkage"]
            if linkage:
                self.stdout.write(
                    f"Record linkage: {linkage['automatic_merges']:,} automatic merges, "  # type: ignore[index]
                    f"{linkage['queued_for_review']:,} possible matches to review."  # type: ignore[index]
                )
            selection = load_demo_selection()
            self.stdout.write(
                f"Cohort selection: run {selection['run']} ({selection['status']}, {selection['nominated']} nominated)"
                + ("." if selection["created"] else ", kept from an earlier set-up.")
            )
            from openiom.cases.demo import seed_demo_cases
            from openiom.cases.demo_history import seed_demo_history

            self.stdout.write(f"Case management: {seed_demo_cases()}.")
            self.stdout.write(f"Case history: {seed_demo_history()}.")
            from openiom.accounts.models import User
            from openiom.evaluation.demo import seed_demo_targets

            analyst = User.objects.get(email=next(u.email for u in users if u.role_code == "analyst"))
            self.stdout.write(f"Performance targets: {seed_demo_targets(analyst)} set.")
        self.stdout.write(self.style.SUCCESS("The demo partnership is ready (all data is synthetic)."))
        self.stdout.write(f"\nSign in at http://127.0.0.1:{port}/ with any of these e-mail addresses:\n")
        width = max(len(u.email) for u in users)
        for u in users:
            self.stdout.write(f"  {u.email.ljust(width)}  {u.full_name} – {u.job_title}")
        self.stdout.write(f"\nDemo password for every user: {DEMO_PASSWORD}\n")
        if options["no_serve"]:
            return
        worker = subprocess.Popen([sys.executable, "-m", "openiom", "worker"])
        try:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
