"""The audit trail as CSV or Excel, made by a background job from the same filter as the page."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from auditlog.models import LogEntry
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
FORMATS = {"csv": "CSV", "xlsx": "Excel"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _row(entry: LogEntry) -> list[Any]:
    return [
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


def _rows(job: Job, progress: Progress) -> Iterator[list[Any]]:
    entries = audit_entries(AuditFilter.from_params(job.params))
    total = entries.count()
    progress(0, total, "Writing the audit trail")
    i = 0
    for i, entry in enumerate(entries.iterator(chunk_size=2000), start=1):
        yield _row(entry)
        if i % 2000 == 0:
            progress(i, total, "Writing the audit trail")
    progress(total, total, f"{total} entries exported")


def _safe_cell(value: Any) -> Any:
    """Text starting with = + - @ would run as a formula in a spreadsheet: keep it as text."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@"}:
        return "'" + value
    return value


def _xlsx(rows: Iterator[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Audit trail")
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([_safe_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@job_handler("audit_export")
def export_audit(job: Job, progress: Progress) -> None:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if job.params.get("format") == "xlsx":
        content, name, content_type = _xlsx(_rows(job, progress)), f"audit-trail-{stamp}.xlsx", XLSX_TYPE
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        writer.writerows([_safe_cell(v) for v in row] for row in _rows(job, progress))
        content, name, content_type = buffer.getvalue().encode("utf-8"), f"audit-trail-{stamp}.csv", "text/csv"
    save_output(job, content=content, name=name, content_type=content_type)
