"""API for deliveries: ingest one (same checks and all-or-nothing import as the page) and read reports."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Path, Router, Schema, UploadedFile
from ninja.errors import HttpError

from openiom.accounts.constants import Capability
from openiom.accounts.permissions import require_api_capability
from openiom.accounts.schemas import ErrorOut

from .constants import Origin
from .forms import STANDARD_FILES
from .models import Delivery
from .services import import_files

router = Router(tags=["deliveries"])


class ProblemOut(Schema):
    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str


class DeliveryOut(Schema):
    id: int
    status: str
    started_at: datetime
    finished_at: datetime | None
    fingerprint: str
    file_names: list[str]
    ignored_files: list[str]
    row_counts: dict[str, int]
    changes: dict[str, dict[str, int]]
    error_count: int
    errors: list[ProblemOut]


def _out(d: Delivery) -> DeliveryOut:
    return DeliveryOut(
        id=d.pk,
        status=d.status,
        started_at=d.started_at,
        finished_at=d.finished_at,
        fingerprint=d.fingerprint,
        file_names=d.file_names,
        ignored_files=d.ignored_files,
        row_counts=d.row_counts,
        changes=d.changes,
        error_count=d.error_count,
        errors=[ProblemOut(**e) for e in d.errors],
    )


@router.post(
    "/deliveries",
    response={200: DeliveryOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Ingest a delivery (multipart files named people, offences, custody, flags; CSV or Parquet)",
    description="Checked and imported all or nothing, like the upload page. The report says what changed, "
    "or lists every problem when nothing was imported (status `rejected`).",
)
def ingest(
    request: HttpRequest,
    people: UploadedFile | None = File(None),  # noqa: B008 (ninja's way of declaring file parts)
    offences: UploadedFile | None = File(None),  # noqa: B008
    custody: UploadedFile | None = File(None),  # noqa: B008
    flags: UploadedFile | None = File(None),  # noqa: B008
) -> DeliveryOut:
    require_api_capability(request, Capability.DATA_IMPORT)
    unexpected = (set(request.POST) | set(request.FILES)) - set(STANDARD_FILES)
    if unexpected:
        raise HttpError(422, "Only parts named people, offences, custody and flags are allowed")
    uploads: dict[str, Any] = {"people": people, "offences": offences, "custody": custody, "flags": flags}
    files: dict[str, bytes] = {}
    for name in STANDARD_FILES:
        upload = uploads[name]
        if upload is not None:
            ext = "parquet" if (upload.name or "").lower().endswith(".parquet") else "csv"
            files[f"{name}.{ext}"] = upload.read()
        elif name in request.POST:  # a part sent without a file name: its text is the CSV
            files[f"{name}.csv"] = request.POST[name].encode("utf-8", errors="surrogatepass")
    return _out(import_files(files, origin=Origin.API, user=request.user))


@router.get(
    "/deliveries/{delivery_id}",
    response={200: DeliveryOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="A delivery's import report",
)
def read_delivery_report(request: HttpRequest, delivery_id: Annotated[int, Path(ge=1, le=2**63 - 1)]) -> DeliveryOut:
    require_api_capability(request, Capability.DATA_IMPORT)
    return _out(get_object_or_404(Delivery, pk=delivery_id))
