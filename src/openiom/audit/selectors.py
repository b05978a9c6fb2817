"""Reading the audit trail: one filtered queryset used by the page, the export and the API."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from auditlog.models import LogEntry, _get_manager_from_settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.encoding import smart_str

from .registry import audited_models
from .subject import objects_filter


@dataclass(frozen=True)
class AuditFilter:
    person_id: int | None = None
    actor_id: int | None = None
    agency_id: int | None = None
    content_type_id: int | None = None
    object_pk: str = ""
    action: int | None = None
    purpose: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def as_params(self) -> dict[str, Any]:
        return {
            k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.__dict__.items() if v not in (None, "")
        }

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> AuditFilter:
        def d(v: Any) -> date | None:
            return date.fromisoformat(v) if v else None

        return cls(
            person_id=params.get("person_id"),
            actor_id=params.get("actor_id"),
            agency_id=params.get("agency_id"),
            content_type_id=params.get("content_type_id"),
            object_pk=params.get("object_pk", ""),
            action=params.get("action"),
            purpose=params.get("purpose", ""),
            date_from=d(params.get("date_from")),
            date_to=d(params.get("date_to")),
        )


def audited_content_types() -> list[ContentType]:
    types = ContentType.objects.get_for_models(*audited_models())
    return sorted(types.values(), key=lambda ct: str(ct.name))


def audit_entries(f: AuditFilter) -> QuerySet[LogEntry]:
    qs = LogEntry.objects.select_related("actor__agency", "content_type").order_by("-timestamp", "-pk")
    if f.person_id:
        qs = qs.filter(objects_filter(f.person_id))
    if f.actor_id:
        qs = qs.filter(actor_id=f.actor_id)
    if f.agency_id:
        qs = qs.filter(actor__agency_id=f.agency_id)
    if f.content_type_id:
        qs = qs.filter(content_type_id=f.content_type_id)
    if f.object_pk:
        qs = qs.filter(object_pk=f.object_pk)
    if f.action is not None:
        qs = qs.filter(action=f.action)
    if f.purpose:
        qs = qs.filter(additional_data__purpose=f.purpose)
    tz = timezone.get_current_timezone()
    if f.date_from:
        qs = qs.filter(timestamp__gte=datetime.combine(f.date_from, time.min, tzinfo=tz))
    if f.date_to:
        qs = qs.filter(timestamp__lte=datetime.combine(f.date_to, time.max, tzinfo=tz))
    return qs


def with_changes_shown(entries: Iterable[LogEntry]) -> list[LogEntry]:
    """The entries, ready to show their changes without a query per row.

    auditlog's `changes_display_dict` names the record a foreign key pointed to (the agency, the
    panel...) by fetching it, one query per value shown. Here the records named on the whole page
    are fetched once per model, and each entry looks them up in that table instead: what is shown
    is exactly what auditlog would show, including "Deleted 'Model' (id)" for records gone since.
    """
    rows = list(entries)
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for entry in rows:
        for field, value in _fk_changes(entry):
            wanted[field.related_model].add(value)
    names: dict[tuple[type[models.Model], Any], str] = {}
    for model, pks in wanted.items():
        found = _get_manager_from_settings(model).select_related().in_bulk(list(pks))
        names.update({(model, pk): smart_str(obj) for pk, obj in found.items()})

    def shown(field: Any, value: Any) -> str:
        if value == "None":
            return str(value)
        try:
            pk = field.related_model._meta.pk.to_python(value)
        except ValidationError:
            return str(value)
        return names.get((field.related_model, pk), f"Deleted '{field.related_model.__name__}' ({value})")

    for entry in rows:
        entry._get_changes_display_for_fk_field = shown
    return rows


def _fk_changes(entry: LogEntry) -> Iterator[tuple[Any, Any]]:
    """(foreign-key field, primary key) for each value of a foreign key in the entry's changes."""
    if entry.action == LogEntry.Action.ACCESS or not entry.changes:
        return
    model = entry.content_type.model_class()
    if model is None:
        return
    for name, values in entry.changes_dict.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not isinstance(field, models.ForeignKey) or getattr(field, "choices", None):
            continue  # (OneToOneField is a ForeignKey)
        for value in values:
            if value in (None, "None"):
                continue
            try:
                yield field, field.related_model._meta.pk.to_python(value)
            except ValidationError:
                continue
