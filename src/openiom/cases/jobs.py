"""The background job that raises review prompts and transition and release tasks."""

from __future__ import annotations

from openiom.jobs.models import Job
from openiom.jobs.registry import Progress, job_handler


@job_handler("case_reminders")
def run_case_reminders(job: Job, progress: Progress) -> None:
    from .reminders import run_reminders

    counts = run_reminders()
    job.result = {
        "escalation": counts.escalation,
        "deescalation": counts.deescalation,
        "transition": counts.transition,
        "release": counts.release,
    }
    job.save(update_fields=["result"])
    progress(1, 1, str(counts).capitalize())
