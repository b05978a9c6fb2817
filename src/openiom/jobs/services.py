"""Starting jobs, reporting their progress and finishing them."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from .constants import JobStatus
from .models import Job
from .registry import handler_for

logger = logging.getLogger(__name__)


def output_dir() -> Path:
    path = Path(settings.OPENIOM_JOB_OUTPUT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def start_job(*, owner: Any, kind: str, title: str, params: dict[str, Any] | None = None) -> Job:
    """Create a Job and put it on the task queue. The page for the job shows its progress."""
    from .tasks import run_job_task

    handler_for(kind)  # refuse unknown kinds before anything is queued
    job = Job.objects.create(owner=owner, kind=kind, title=title, params=params or {})
    run_job_task.enqueue(str(job.id))
    return job


def report_progress(job_id: Any, done: int, total: int, message: str = "") -> None:
    Job.objects.filter(pk=job_id).update(progress_done=done, progress_total=total, message=message[:300])


def run_job(job_id: str) -> None:
    job = Job.objects.get(pk=job_id)
    if job.is_finished:
        return
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())

    def progress(done: int, total: int, message: str = "") -> None:
        report_progress(job.pk, done, total, message)

    try:
        handler_for(job.kind)(job, progress)
    except Exception as exc:  # the job failed: record a safe message, never the data
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            message=f"The job failed ({type(exc).__name__}). Ask an administrator to check the server log.",
        )
        return
    job.refresh_from_db()
    job.status = JobStatus.SUCCEEDED
    job.finished_at = timezone.now()
    job.progress_done = job.progress_total
    job.save()


def save_output(job: Job, *, content: bytes, name: str, content_type: str) -> None:
    """Keep a job's output file outside the web root; it is downloaded through the job page only."""
    target = output_dir() / f"{job.pk}"
    target.write_bytes(content)
    job.output_file = str(target.name)
    job.output_name = name
    job.output_content_type = content_type
    job.save(update_fields=["output_file", "output_name", "output_content_type"])
