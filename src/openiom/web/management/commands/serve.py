from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Serve OpenIOM. In production mode this runs gunicorn (set OPENIOM_WORKERS, default 2 x cores + 1); "
        "otherwise Django's development server. Run the task worker separately with 'openiom worker'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="Address and port (default 127.0.0.1:8000).")

    def handle(self, *args: Any, **options: Any) -> None:
        bind = options["bind"]
        if ":" not in bind:
            raise CommandError("--bind must be HOST:PORT, for example 127.0.0.1:8000")
        if not settings.PRODUCTION:
            call_command("runserver", bind, use_reloader=False)
            return
        workers = str(os.environ.get("OPENIOM_WORKERS") or (2 * (os.cpu_count() or 1) + 1))
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        os.execv(  # noqa: S606 (replaces this process with gunicorn from the same virtual environment)
            gunicorn,
            [
                "gunicorn",
                "openiom.wsgi:application",
                "--bind",
                bind,
                "--workers",
                workers,
                "--access-logfile",
                "-",
                "--access-logformat",
                '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss',
            ],
        )
