"""Which records are past their retention period: defined once per record type.

Each `Kind` says which rows are candidates, the date their period counts from, and how to
remove one. The review queue, the review page and the guarded service all use these, so what
the queue shows and what the service accepts cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate

from openiom.cases.constants import CaseStatus
from openiom.cases.models import Case
from openiom.imports.constants import DeliveryStatus
from openiom.imports.models import Delivery
from openiom.people.models import Person, PersonRecord

from .constants import RecordType


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the last day of the month when it has fewer days)."""
    return months_after(day, -months)


def months_after(day: date, months: int) -> date:
    """The same day `months` later (the last day of the month when it has fewer days)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - 28 always exists


@dataclass(frozen=True)
class Kind:
    record_type: RecordType
    model: type[models.Model]
    # Candidates annotated with `counts_from` (a date): the period runs from that date.
    candidates: Callable[[], QuerySet[models.Model]]
    label: Callable[[models.Model], str]

    def due(self, months: int, today: date) -> QuerySet[models.Model]:
        return self.candidates().filter(counts_from__lte=months_before(today, months)).order_by("counts_from", "pk")


def _closed_cases() -> QuerySet[models.Model]:
    return Case.objects.filter(status=CaseStatus.CLOSED, closed_on__isnull=False).annotate(counts_from=F("closed_on"))


def _person_records() -> QuerySet[models.Model]:
    return PersonRecord.objects.annotate(counts_from=TruncDate("updated_at")).select_related("source")


def _people() -> QuerySet[models.Model]:
    records = PersonRecord.objects.filter(person=OuterRef("pk"))
    cases = Case.objects.filter(person=OuterRef("pk"))
    # Left over with nothing held on them (deleting their last record or case normally removes them
    # at once): the period counts from their last change.
    return (
        Person.objects.filter(~Exists(records), ~Exists(cases))
        .exclude(given_name=ANONYMISED_NAME)
        .annotate(counts_from=TruncDate("updated_at"))
    )


def _deliveries() -> QuerySet[models.Model]:
    return Delivery.objects.filter(Q(status=DeliveryStatus.REJECTED) | Q(status=DeliveryStatus.INTERRUPTED)).annotate(
        counts_from=TruncDate("started_at")
    )


ANONYMISED_NAME = "Anonymised"

KINDS: dict[str, Kind] = {
    k.record_type: k
    for k in [
        Kind(RecordType.CLOSED_CASE, Case, _closed_cases, lambda o: f"IOM case {o.pk}"),
        Kind(
            RecordType.PERSON_RECORD,
            PersonRecord,
            _person_records,
            lambda o: f"{o.source} record {o.pk}",  # type: ignore[attr-defined]
        ),
        Kind(RecordType.PERSON, Person, _people, lambda o: f"Person {o.pk}"),
        Kind(RecordType.REJECTED_DELIVERY, Delivery, _deliveries, lambda o: f"Delivery {o.pk}"),
    ]
}
