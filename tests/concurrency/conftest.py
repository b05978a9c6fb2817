"""Fixtures for the concurrency tests: the case world of the case page tests, and the audit trail."""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.db import models

from tests.cases.case_world import world_fixture  # noqa: F401 (a fixture)
from tests.cases.conftest import make_case, make_person, tiers, today  # noqa: F401 (fixtures)
from tests.panels.conftest import frozen, month  # noqa: F401 (fixtures)


def changes_to(obj: models.Model, since: int = 0) -> list[LogEntry]:
    """The change-history entries (not reads) of one record written after entry `since`, oldest first."""
    return list(
        LogEntry.objects.get_for_object(obj).filter(pk__gt=since).exclude(action=LogEntry.Action.ACCESS).order_by("pk")
    )


def last_entry() -> int:
    return int(LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)


def changed(entry: LogEntry) -> dict[str, Any]:
    """The fields an entry changed, as {field: [old, new]}."""
    return dict(entry.changes or {})
