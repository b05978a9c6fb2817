"""The audit trail as CSV, made by a background job."""

from __future__ import annotations

import csv
import io
import json

from django.utils import timezone

from openiom.jobs.models import Job
from openiom.jobs.registry import Progress, job_handler
from openiom.jobs.services import save_output

from .selectors import AuditFilter, audit_entries

COLUMNS = [
    "timestamp",
    "action",
    "user",
    "user_agency",
    "record_type",
    "record_id",
    "record",
    "purpose",
    "changes",
    "address",
]


@job_handler("audit_export")
def export_audit_csv(job: Job, progress: Progress) -> None:
    entries = audit_entries(AuditFilter.from_params(job.params))
    total = entries.count()
    progress(0, total, "Writing the audit trail")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for i, entry in enumerate(entries.iterator(chunk_size=2000), start=1):
        writer.writerow(
            [
                entry.timestamp.isoformat(),
                entry.get_action_display(),
                entry.actor.email if entry.actor else "system",
                entry.actor.agency.name if entry.actor else "",
                entry.content_type.model,
                entry.object_pk,
                entry.object_repr,
                (entry.additional_data or {}).get("purpose", ""),
                json.dumps(entry.changes_dict, sort_keys=True) if entry.changes else "",
                entry.remote_addr or "",
            ]
        )
        if i % 2000 == 0:
            progress(i, total, "Writing the audit trail")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    save_output(
        job, content=buffer.getvalue().encode("utf-8"), name=f"audit-trail-{stamp}.csv", content_type="text/csv"
    )
    progress(total, total, f"{total} entries exported")
