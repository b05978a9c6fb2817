"""The background job that carries out a selection run."""

from __future__ import annotations

from django.urls import reverse

from openiom.jobs.models import Job
from openiom.jobs.registry import Progress, job_handler


@job_handler("selection_run")
def run_selection(job: Job, progress: Progress) -> None:
    from .services import execute_selection_run

    run_id = int(job.params["run_id"])
    # The link is there even if the run fails: its page says why.
    job.result = {"run_id": run_id, "link_url": reverse("cohort:run", args=[run_id]), "link_label": "See the run"}
    job.save(update_fields=["result"])
    run = execute_selection_run(run_id, progress)
    job.result = {**job.result, "link_label": "See the selection results", "nominated": run.nominated}
    job.save(update_fields=["result"])
