"""The one background task: run a Job by its id, reporting progress on the Job row."""

from __future__ import annotations

import logging

from django_tasks import task

from .services import run_job

logger = logging.getLogger(__name__)


@task()
def run_job_task(job_id: str) -> None:
    run_job(job_id)
