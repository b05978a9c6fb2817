"""Reading the audit trail: one filtered queryset used by the page, the export and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

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
