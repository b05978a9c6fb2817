"""Reports kept while the data they are built from is unchanged.

A report measures every cohort member's offending history through the analytics core: seconds
at force scale, for figures that only change when the data does (an import, a merge, a cohort
entry or exit, an intervention, a target, an assessment). A report is kept in Django's cache
under its name, its parameters, the day and `data_version()`: a few cheap aggregates over the
tables reports read, which change whenever any of those records is added, changed or removed.
The first request after a change builds the report again; the others are served from the cache.

The version is read from the database on every request, so it is right for every server process
and the task worker whichever cache backend is configured. Reports are the same for everyone who
may see them (figures only, small numbers suppressed, no person and no per-user content), so one
copy serves every user. `OPENIOM_REPORT_CACHE_SECONDS` bounds how long a copy is kept (0: never).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Model, Sum
from django.utils import timezone

from openiom.cases.models import Assessment, CohortMembership, Intervention, PathwayNeed
from openiom.directory.models import Service
from openiom.imports.constants import DeliveryStatus
from openiom.imports.models import Delivery
from openiom.people.models import PersonMerge
from openiom.retention.models import RetentionAction

from .models import Target

T = TypeVar("T")

# What a report reads, and the aggregates that change with any change to it. The large tables
# (people, records, offences, custody, flags) change only through imports and merges.
_WATCHED: list[tuple[type[Model], dict[str, Any], dict[str, Any]]] = [
    (Delivery, {"status": DeliveryStatus.IMPORTED}, {"n": Count("pk"), "last": Max("pk")}),
    (PersonMerge, {}, {"n": Count("pk"), "last": Max("pk"), "undone": Count("undone_at")}),
    (
        CohortMembership,
        {},
        {"n": Count("pk"), "last": Max("pk"), "ended": Count("ended_on"), "latest_end": Max("ended_on")},
    ),
    (
        Intervention,
        {},
        {"n": Count("pk"), "last": Max("pk"), "edits": Sum("version"), "started": Count("started_on")},
    ),
    (Service, {}, {"n": Count("pk"), "edits": Sum("version")}),
    (Target, {}, {"n": Count("pk"), "edits": Sum("version")}),
    (Assessment, {}, {"n": Count("pk"), "last": Max("pk")}),
    (PathwayNeed, {}, {"n": Count("pk"), "last": Max("pk")}),
    (RetentionAction, {}, {"n": Count("pk"), "last": Max("pk")}),  # records deleted at the end of their period
]


def data_version() -> str:
    """A short fingerprint of everything the reports read (and of the day: the cut-off moves with it)."""
    parts: list[str] = [timezone.localdate().isoformat()]
    for model, where, aggregates in _WATCHED:
        found = model._default_manager.filter(**where).aggregate(**aggregates)
        parts.append(f"{model._meta.label}:" + ",".join(str(found[k]) for k in sorted(found)))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


def cached(name: str, build: Callable[[], T], *params: object, version: str | None = None) -> T:
    """The report `name` with `params`, from the cache while the data is unchanged, else built now.

    `version` is `data_version()` when the caller has read it already (a pack of several reports
    reads it once).
    """
    seconds = settings.REPORT_CACHE_SECONDS
    if seconds <= 0:
        return build()
    key = "openiom:report:" + hashlib.sha256(repr((name, params, version or data_version())).encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return found
    built = build()
    cache.set(key, built, seconds)
    return built
