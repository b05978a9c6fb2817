"""The background job that carries out a selection run."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from openiom.jobs.models import Job
from openiom.jobs.registry import Progress, job_handler


def _interrupted(job: Job) -> None:
    """The worker stopped mid-run: nothing of the run was stored (it is stored in one transaction)."""
    from .constants import RunStatus
    from .models import SelectionRun

    SelectionRun.objects.filter(pk=int(job.params["run_id"]), status=RunStatus.RUNNING).update(
        status=RunStatus.FAILED,
        finished_at=timezone.now(),
        error_message="The run stopped before it finished (its worker was stopped or restarted). Start a new run.",
    )


# A run is started once; after an interruption the user starts a new one (its page says so).
@job_handler("selection_run", on_interrupted=_interrupted, can_rerun=lambda job: False)
def run_selection(job: Job, progress: Progress) -> None:
    from .services import execute_selection_run

    run_id = int(job.params["run_id"])
    # The link is there even if the run fails: its page says why.
    job.result = {"run_id": run_id, "link_url": reverse("cohort:run", args=[run_id]), "link_label": "See the run"}
    job.save(update_fields=["result"])
    run = execute_selection_run(run_id, progress)
    job.result = {**job.result, "link_label": "See the selection results", "nominated": run.nominated}
    job.save(update_fields=["result"])
