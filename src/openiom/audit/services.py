"""Writing the audit trail. `record_access` is the one way reads of personal data are logged."""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.db import models

from .constants import Purpose
from .registry import personal_data_models


class NotPersonalDataError(TypeError):
    """Raised when a read is logged for a model that is not registered as personal data."""


def record_access(
    *,
    user: Any,
    obj: models.Model,
    purpose: Purpose | str = Purpose.OTHER,
    remote_addr: str | None = None,
    details: dict[str, Any] | None = None,
) -> LogEntry:
    """Log that `user` read `obj` (a personal-data record), with the purpose of the read.

    Views call this through `openiom.audit.views.AccessLogMixin` or directly; the API
    calls it in the same way, so a read is logged wherever it happens. `details` (nothing
    personal: ids, formats, references) are stored beside the purpose.
    """
    if type(obj) not in personal_data_models():
        raise NotPersonalDataError(f"{type(obj).__name__} is not registered as personal data")
    purpose_value = Purpose(purpose).value
    entry: LogEntry | None = LogEntry.objects.log_create(
        obj,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        changes=None,
        actor=user if getattr(user, "is_authenticated", False) else None,
        remote_addr=remote_addr,
        additional_data={**(details or {}), "purpose": purpose_value},
    )
    if entry is None:  # force_log always creates one
        raise RuntimeError("The access log entry was not written")
    return entry


def client_address(request: Any) -> str | None:
    addr = request.META.get("REMOTE_ADDR")
    return str(addr) if addr else None
