"""Appointments and contacts, the compliance rate, and enforcement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from openiom.accounts.constants import AgencyType

from .constants import (
    COMPLIED_OUTCOMES,
    COUNTED_OUTCOMES,
    STATUTORY_AGENCY_TYPES,
    STATUTORY_ENFORCEMENT,
    ContactKind,
    ContactOutcome,
    EnforcementKind,
)
from .locking import CaseError, claim
from .models import Case, Contact, Enforcement
from .services import require_open

# Outcomes that say the person came (or not): only once the appointment time has passed.
_AFTER_THE_EVENT = (ContactOutcome.ATTENDED, ContactOutcome.LATE, ContactOutcome.MISSED)


@transaction.atomic
def add_contact(
    *,
    case: Case,
    kind: str,
    scheduled_at: datetime,
    by: Any,
    outcome: str = ContactOutcome.SCHEDULED,
    notes: str = "",
) -> Contact:
    """Book an appointment (outcome scheduled) or record a contact that has happened."""
    require_open(case)
    if kind not in ContactKind.values:
        raise CaseError(f"{kind!r} is not a kind of contact")
    if outcome not in ContactOutcome.values:
        raise CaseError(f"{outcome!r} is not a contact outcome")
    if outcome in _AFTER_THE_EVENT and scheduled_at > timezone.now():
        raise CaseError("attendance can only be recorded once the appointment time has passed")
    if outcome == ContactOutcome.SCHEDULED and scheduled_at < timezone.now():
        raise CaseError("a new appointment cannot be booked in the past: record what happened instead")
    if timezone.localdate(scheduled_at) < case.opened_on:
        raise CaseError("the contact is before the case opened")
    recorded = outcome != ContactOutcome.SCHEDULED
    return Contact.objects.create(
        case=case,
        agency=by.agency,
        by=by,
        kind=kind,
        scheduled_at=scheduled_at,
        outcome=outcome,
        outcome_recorded_by=by if recorded else None,
        outcome_recorded_at=timezone.now() if recorded else None,
        notes=notes.strip(),
    )


@transaction.atomic
def record_outcome(*, contact: Contact, outcome: str, by: Any, version: int | None, notes: str = "") -> Contact:
    """Say whether the person kept the appointment; a recorded outcome may be corrected. Only the agency
    that booked or recorded the contact may (the originating organisation keeps ownership of its records)."""
    require_open(contact.case)
    if contact.agency_id != by.agency_id:
        raise CaseError(f"{contact.agency.name} recorded this contact: only they may change it")
    if outcome not in ContactOutcome.values or outcome == ContactOutcome.SCHEDULED:
        raise CaseError("choose attended, attended late, missed or excused")
    if outcome in _AFTER_THE_EVENT and contact.scheduled_at > timezone.now():
        raise CaseError("attendance can only be recorded once the appointment time has passed")
    if outcome == contact.outcome:
        raise CaseError(f"the contact is already recorded as {contact.get_outcome_display().lower()}")
    contact = claim(contact, version, "contact")
    contact.outcome = outcome
    contact.outcome_recorded_by = by
    contact.outcome_recorded_at = timezone.now()
    if notes.strip():
        contact.notes = f"{contact.notes}\n{notes.strip()}".strip()
    contact.save()
    return contact


@dataclass(frozen=True)
class Compliance:
    """Kept (attended or late) over counted (attended, late or missed) appointments; excused ones are left out."""

    kept: int
    counted: int

    @property
    def rate(self) -> float | None:
        return self.kept / self.counted if self.counted else None

    @property
    def percent(self) -> int | None:
        rate = self.rate
        return None if rate is None else round(rate * 100)


def compliance(case: Case, start: date | None = None, end: date | None = None) -> Compliance:
    """The compliance rate over appointments scheduled from `start` to `end` (both included)."""
    contacts = case.contacts.filter(outcome__in=COUNTED_OUTCOMES)
    if start is not None:
        contacts = contacts.filter(scheduled_at__date__gte=start)
    if end is not None:
        contacts = contacts.filter(scheduled_at__date__lte=end)
    outcomes = list(contacts.values_list("outcome", flat=True))
    return Compliance(kept=sum(o in COMPLIED_OUTCOMES for o in outcomes), counted=len(outcomes))


def compliance_by_month(case: Case) -> list[tuple[date, Compliance]]:
    """Compliance month by month since the case opened (months with no counted appointment included)."""
    outcomes = list(
        case.contacts.filter(outcome__in=COUNTED_OUTCOMES).values_list("scheduled_at", "outcome").order_by()
    )
    first = case.opened_on.replace(day=1)
    last = (case.closed_on or timezone.localdate()).replace(day=1)
    months: list[tuple[date, Compliance]] = []
    month = first
    while month <= last:
        nxt = (month + timedelta(days=32)).replace(day=1)
        in_month = [o for at, o in outcomes if month <= timezone.localdate(at) < nxt]
        months.append((month, Compliance(sum(o in COMPLIED_OUTCOMES for o in in_month), len(in_month))))
        month = nxt
    return months


@transaction.atomic
def record_enforcement(
    *, case: Case, kind: str, by: Any, details: str, taken_on: date | None = None, contact: Contact | None = None
) -> Enforcement:
    """A warning (any agency on the case), breach or recall (the supervising agency, statutory cases
    only) or a police enforcement action (police only)."""
    require_open(case)
    if kind not in EnforcementKind.values:
        raise CaseError(f"{kind!r} is not a kind of enforcement")
    if not details.strip():
        raise CaseError("give the details")
    taken_on = taken_on or timezone.localdate()
    if taken_on > timezone.localdate():
        raise CaseError("enforcement cannot be dated in the future")
    agency_type = by.agency.agency_type
    label = EnforcementKind(kind).label.lower()
    if kind in STATUTORY_ENFORCEMENT:
        if not case.statutory:
            raise CaseError(f"{label} is only for people under statutory supervision")
        if agency_type not in STATUTORY_AGENCY_TYPES:
            raise CaseError(f"{label} is taken by probation or the youth offending team")
    if kind == EnforcementKind.POLICE_ACTION and agency_type != AgencyType.POLICE:
        raise CaseError("police enforcement actions are recorded by the police")
    if contact is not None and contact.case_id != case.pk:
        raise CaseError("that contact belongs to another case")
    return Enforcement.objects.create(
        case=case, kind=kind, taken_on=taken_on, agency=by.agency, by=by, contact=contact, details=details.strip()
    )
