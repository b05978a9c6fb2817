"""The background job that runs record linkage over every record."""

from __future__ import annotations

from django.urls import reverse

from openiom.jobs.models import Job
from openiom.jobs.registry import Progress, job_handler


@job_handler("record_linkage")
def run_record_linkage(job: Job, progress: Progress) -> None:
    from .linking import run_linkage

    summary = run_linkage(progress=progress)
    job.result = {**summary, "link_url": reverse("people:matches"), "link_label": "See possible matches to review"}
    job.save(update_fields=["result"])
    progress(
        3,
        3,
        f"{summary['records']} records: {summary['automatic_merges']} automatic merges, "
        f"{summary['queued_for_review']} possible matches to review",
    )
