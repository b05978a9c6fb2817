"""The review queue: records past their retention period, by record type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from .models import RetentionRule
from .periods import KINDS, Kind, months_after


@dataclass(frozen=True)
class QueueItem:
    record_type: str
    object_id: int
    label: str
    counts_from: date
    due_on: date


@dataclass(frozen=True)
class QueueGroup:
    rule: RetentionRule
    kind: Kind
    total: int
    items: list[QueueItem]


def due_records(rule: RetentionRule, today: date | None = None) -> QuerySet[models.Model]:
    return KINDS[rule.record_type].due(rule.months, today or timezone.localdate())


def review_queue(today: date | None = None, *, limit: int = 50) -> list[QueueGroup]:
    """Each rule with the first `limit` records past its period (oldest first) and how many there are."""
    groups = []
    for rule in RetentionRule.objects.order_by("record_type"):
        kind = KINDS[rule.record_type]
        due = due_records(rule, today)
        items = [
            QueueItem(
                rule.record_type,
                obj.pk,
                kind.label(obj),
                obj.counts_from,  # type: ignore[attr-defined]
                months_after(obj.counts_from, rule.months),  # type: ignore[attr-defined]
            )
            for obj in due[:limit]
        ]
        groups.append(QueueGroup(rule, kind, due.count(), items))
    return groups
