"""Writing the audit trail. `record_access` is the one way reads of personal data are logged
(`record_accesses` logs the reads of a list of records at once, with the same entries)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from auditlog.cid import get_cid
from auditlog.models import DEFAULT_OBJECT_REPR, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, router, transaction
from django.db.models.signals import pre_save
from django.utils.encoding import smart_str

from .chain import seal_entries
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


def record_accesses(
    *,
    user: Any,
    objects: Iterable[models.Model],
    purpose: Purpose | str = Purpose.OTHER,
    remote_addr: str | None = None,
    details: dict[str, Any] | None = None,
) -> list[LogEntry]:
    """Log that `user` read each of `objects`, as `record_access` does for one, in a fixed number of queries.

    A page that lists records (a caseload, an agenda, a run's nominations) logs every row it shows:
    the entries are the ones `record_access` writes (same fields, same actor and address from the
    request), written with one insert and sealed into the hash chain with one lock, so the cost of
    auditing a page does not grow with the number of rows on it.
    """
    objs = list(objects)
    registered = personal_data_models()
    for obj in objs:
        if type(obj) not in registered:
            raise NotPersonalDataError(f"{type(obj).__name__} is not registered as personal data")
    if not objs:
        return []
    purpose_value = Purpose(purpose).value
    actor = user if getattr(user, "is_authenticated", False) else None
    database = router.db_for_write(LogEntry)
    cid = get_cid()
    entries = []
    for obj in objs:
        pk = obj.pk
        entry = LogEntry(
            content_type=ContentType.objects.get_for_model(obj),
            object_pk=pk,
            object_id=pk if isinstance(pk, int) else None,
            object_repr=_object_repr(obj),
            serialized_data=LogEntry.objects._get_serialized_data_or_none(obj),
            action=LogEntry.Action.ACCESS,
            changes=None,
            actor=actor,
            remote_addr=remote_addr,
            additional_data={**(details or {}), "purpose": purpose_value},
            cid=cid,
        )
        # What LogEntry.save() would announce: auditlog's request context (actor, address) listens.
        pre_save.send(sender=LogEntry, instance=entry, raw=False, using=database, update_fields=None)
        entries.append(entry)
    with transaction.atomic(using=database):
        created = LogEntry.objects.bulk_create(entries)
        seal_entries([e.pk for e in created])
    return created


def _object_repr(obj: models.Model) -> str:
    try:
        return smart_str(obj)
    except ObjectDoesNotExist:
        return DEFAULT_OBJECT_REPR


def client_address(request: Any) -> str | None:
    addr = request.META.get("REMOTE_ADDR")
    return str(addr) if addr else None
