"""The background job that imports an uploaded delivery."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

from django.urls import reverse
from django.utils import timezone

from openiom.jobs.constants import JobStatus
from openiom.jobs.models import Job
from openiom.jobs.registry import Progress, job_handler
from openiom.jobs.services import output_dir

from .constants import DeliveryStatus, Origin
from .models import Delivery
from .services import import_files


def upload_dir(job_id: object) -> Path:
    return output_dir() / "uploads" / str(job_id)


ABANDONED_UPLOAD_DAYS = 7


def _interrupted(job: Job) -> None:
    """The worker stopped mid-import: the database rolled its transaction back, so nothing was written.

    The delivery it had started is marked interrupted (not left 'checking' for ever); the uploaded
    files are kept so that the owner can run the import again from the job page.
    """
    started = job.started_at or job.created_at
    Delivery.objects.filter(
        status=DeliveryStatus.CHECKING,
        origin=Origin.UPLOAD,
        imported_by=job.owner,
        started_at__gte=started - timedelta(seconds=5),
    ).update(status=DeliveryStatus.INTERRUPTED, finished_at=timezone.now())


def _uploads_still_there(job: Job) -> bool:
    folder = upload_dir(job.pk)
    return folder.is_dir() and any(folder.iterdir())


def remove_abandoned_uploads(days: int = ABANDONED_UPLOAD_DAYS) -> int:
    """Delete the uploaded files of imports interrupted more than `days` ago and never run again."""
    cutoff = timezone.now() - timedelta(days=days)
    removed = 0
    for job in Job.objects.filter(kind="import_delivery", status=JobStatus.INTERRUPTED, finished_at__lt=cutoff):
        if upload_dir(job.pk).is_dir():
            shutil.rmtree(upload_dir(job.pk), ignore_errors=True)
            removed += 1
    return removed


@job_handler("import_delivery", on_interrupted=_interrupted, can_rerun=_uploads_still_there)
def run_import(job: Job, progress: Progress) -> None:
    folder = upload_dir(job.pk)
    try:
        files = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
        delivery = import_files(files, origin=Origin.UPLOAD, user=job.owner, progress=progress)
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # uploaded personal data is not kept
    job.result = {
        "delivery_id": delivery.pk,
        "status": delivery.status,
        "link_url": reverse("imports:detail", args=[delivery.pk]),
        "link_label": "See the delivery report",
    }
    job.save(update_fields=["result"])
    if delivery.status != DeliveryStatus.IMPORTED:
        progress(0, 0, f"Nothing was imported: {delivery.error_count} problem(s) found. See the delivery report.")
    else:
        progress(delivery.total_rows, delivery.total_rows, "Imported")
