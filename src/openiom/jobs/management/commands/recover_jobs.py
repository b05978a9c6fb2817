from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from openiom.imports.jobs import remove_abandoned_uploads
from openiom.jobs.services import recover_interrupted_jobs


class Command(BaseCommand):
    help = (
        "Mark as interrupted the running jobs whose worker has stopped (no heartbeat for OPENIOM_JOB_STALE_SECONDS), "
        "tidy up after them, and delete uploads of imports interrupted over a week ago and never run again. "
        "'openiom worker' runs this when it starts; run it from cron as well if you like."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = recover_interrupted_jobs()
        removed = remove_abandoned_uploads()
        self.stdout.write(f"{len(jobs)} interrupted job(s) recovered; {removed} abandoned upload(s) removed.")
