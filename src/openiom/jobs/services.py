"""Starting jobs, reporting their progress and finishing them."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

from .constants import JobStatus
from .models import Job
from .registry import can_rerun, handler_for, tidy_interrupted

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


def _in_worker() -> bool:
    """True when jobs run in a separate worker process (the database task backend), not in the request."""
    return not str(settings.TASKS["default"]["BACKEND"]).endswith("ImmediateBackend")


def run_job(job_id: str) -> None:
    job = Job.objects.get(pk=job_id)
    if job.is_finished:
        return
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=now, heartbeat_at=now)
    heartbeat = Heartbeat(job.pk) if _in_worker() else None

    def progress(done: int, total: int, message: str = "") -> None:
        if heartbeat:  # written by the heartbeat's own connection, so it shows while the job is in a transaction
            heartbeat.note(done, total, message)
        else:
            report_progress(job.pk, done, total, message)

    try:
        handler_for(job.kind)(job, progress)
    except Exception as exc:  # the job failed: record a safe message, never the data
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        if heartbeat:
            heartbeat.stop()
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            message=f"The job failed ({type(exc).__name__}). Ask an administrator to check the server log.",
        )
        return
    if heartbeat:
        heartbeat.stop()
    job.refresh_from_db()
    if heartbeat and heartbeat.latest:
        job.progress_done, job.progress_total, job.message = heartbeat.latest
    job.status = JobStatus.SUCCEEDED
    job.finished_at = timezone.now()
    job.progress_done = job.progress_total
    job.save()


def recover_interrupted_jobs(*, now: datetime | None = None) -> list[Job]:
    """Mark as interrupted every running job whose worker has gone silent, and tidy up after it.

    A worker that is stopped or killed part way leaves its job 'running' for ever; its database
    transaction was rolled back by the database, so nothing it was writing was kept. Called when a
    worker starts, when a job's page is shown, and by `openiom recover_jobs`.
    """
    before = (now or timezone.now()) - timedelta(seconds=settings.JOB_STALE_SECONDS)
    recovered = []
    for job in Job.objects.stalled(before):
        claimed = (
            Job.objects.stalled(before)
            .filter(pk=job.pk)
            .update(
                status=JobStatus.INTERRUPTED,
                finished_at=timezone.now(),
                message="The job stopped before it finished (its worker was stopped or restarted). "
                "Nothing it was doing was saved.",
            )
        )
        if not claimed:  # it finished, or another process recovered it, in the meantime
            continue
        job.refresh_from_db()
        logger.warning("Job %s (%s) was interrupted: its worker stopped", job.pk, job.kind)
        tidy_interrupted(job)
        recovered.append(job)
    return recovered


class CannotRunAgain(Exception):
    """The job is not interrupted, or what it needs (e.g. the uploaded files) is gone."""


def rerun_job(job: Job) -> Job:
    """Queue an interrupted job again, with the same parameters (its owner asked for it)."""
    if job.status != JobStatus.INTERRUPTED or not can_rerun(job):
        raise CannotRunAgain("Only an interrupted job whose inputs are still available can be run again")
    from .tasks import run_job_task

    Job.objects.filter(pk=job.pk, status=JobStatus.INTERRUPTED).update(
        status=JobStatus.QUEUED,
        progress_done=0,
        progress_total=0,
        message="Queued again",
        started_at=None,
        finished_at=None,
        heartbeat_at=None,
    )
    run_job_task.enqueue(str(job.pk))
    job.refresh_from_db()
    return job


class Heartbeat:
    """Tells the world a worker is still running a job, on its own database connection.

    Every `JOB_HEARTBEAT_SECONDS` it stamps `heartbeat_at`, and soon after each progress report it
    writes the progress: the job's own connection may be inside a long transaction, where a
    write to the job row would not be seen until the end (and would hold the row's lock).
    """

    def __init__(self, job_id: Any) -> None:
        self.job_id = job_id
        self.latest: tuple[int, int, str] | None = None
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="job-heartbeat", daemon=True)
        self._thread.start()

    def note(self, done: int, total: int, message: str = "") -> None:
        self.latest = (done, total, message[:300])
        self._wake.set()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        try:
            while not self._stopping.is_set():
                self._wake.wait(settings.JOB_HEARTBEAT_SECONDS)
                if self._stopping.is_set():
                    break
                self._wake.clear()
                self._beat()
                self._stopping.wait(0.5)  # at most two progress writes a second
        finally:
            connections.close_all()  # this thread's connections only

    def _beat(self) -> None:
        fields: dict[str, Any] = {"heartbeat_at": timezone.now()}
        if self.latest:
            fields.update(progress_done=self.latest[0], progress_total=self.latest[1], message=self.latest[2])
        try:
            Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(**fields)
        except DatabaseError:  # e.g. SQLite busy with the job's own write; the next beat tries again
            logger.warning("Could not record the heartbeat of job %s", self.job_id)


def save_output(job: Job, *, content: bytes, name: str, content_type: str) -> None:
    """Keep a job's output file outside the web root; it is downloaded through the job page only."""
    target = output_dir() / f"{job.pk}"
    target.write_bytes(content)
    job.output_file = str(target.name)
    job.output_name = name
    job.output_content_type = content_type
    job.save(update_fields=["output_file", "output_name", "output_content_type"])
