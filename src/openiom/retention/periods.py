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
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest, TruncDate

from openiom.cases.constants import CaseStatus
from openiom.cases.models import Case
from openiom.cohort.constants import FINISHED_RUN_STATUSES
from openiom.cohort.models import SelectionRun
from openiom.imports.constants import DeliveryStatus
from openiom.imports.models import Delivery
from openiom.panels.constants import ReferralStatus
from openiom.panels.models import Decision, Referral, ReferralEvent
from openiom.people.constants import MatchStatus
from openiom.people.models import MatchCandidate, Person, PersonRecord

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


def _selection_runs() -> QuerySet[models.Model]:
    # A queued or running run is still being worked on; only finished ones are reviewed.
    return SelectionRun.objects.filter(status__in=FINISHED_RUN_STATUSES).annotate(counts_from=TruncDate("created_at"))


def _unselected_referrals() -> QuerySet[models.Model]:
    # Rejected or withdrawn, and about no case (a rejected de-selection is about a case, and stays
    # while the case does). The period runs from the later of the last status change and the decision.
    last_event = ReferralEvent.objects.filter(referral=OuterRef("pk")).values("referral").annotate(m=Max("at"))
    decided = (
        Decision.objects.filter(item__referral=OuterRef("pk")).values("item__referral").annotate(m=Max("decided_at"))
    )
    changed = Greatest(
        Coalesce(Subquery(last_event.values("m")), F("received_at")),
        Coalesce(Subquery(decided.values("m")), F("received_at")),
    )
    return Referral.objects.filter(
        status__in=[ReferralStatus.REJECTED, ReferralStatus.WITHDRAWN], case__isnull=True
    ).annotate(counts_from=TruncDate(changed))


def _decided_matches() -> QuerySet[models.Model]:
    # Open ones are never due. Anonymised "different people" decisions stay (they keep the records apart).
    return (
        MatchCandidate.objects.filter(status__in=[MatchStatus.SAME, MatchStatus.DIFFERENT], decided_at__isnull=False)
        .exclude(status=MatchStatus.DIFFERENT, reason=ANONYMISED_NAME)
        .annotate(counts_from=TruncDate("decided_at"))
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
        Kind(RecordType.SELECTION_RUN, SelectionRun, _selection_runs, lambda o: f"Selection run {o.pk}"),
        Kind(RecordType.UNSELECTED_REFERRAL, Referral, _unselected_referrals, lambda o: f"Panel referral {o.pk}"),
        Kind(RecordType.MATCH_CANDIDATE, MatchCandidate, _decided_matches, lambda o: f"Possible match {o.pk}"),
    ]
}
