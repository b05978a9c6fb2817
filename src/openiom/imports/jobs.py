"""The background job that imports an uploaded delivery."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.urls import reverse

from openiom.jobs.models import Job
from openiom.jobs.registry import Progress, job_handler
from openiom.jobs.services import output_dir

from .constants import DeliveryStatus, Origin
from .services import import_files


def upload_dir(job_id: object) -> Path:
    return output_dir() / "uploads" / str(job_id)


@job_handler("import_delivery")
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
