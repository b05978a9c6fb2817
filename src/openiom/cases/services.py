"""Opening and closing IOM cases. Called by panel decisions (select, de-select)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from openiom.people.models import Person

from .constants import CaseStatus, Cohort
from .models import Case, Tier


class CaseError(ValueError):
    """A case change that is not allowed, said in words."""


def default_tiers() -> None:
    """Create the default pyramid if there are no tiers (idempotent)."""
    from .constants import DEFAULT_TIERS

    for level, name, description in DEFAULT_TIERS:
        Tier.objects.get_or_create(level=level, defaults={"name": name, "description": description})


@transaction.atomic
def open_case(
    *,
    person: Person,
    cohort: str,
    tier: Tier,
    lead_professional: Any,
    framework: str = "",
    statutory: bool = False,
    opened_on: date | None = None,
) -> Case:
    if cohort not in Cohort.values:
        raise CaseError(f"{cohort!r} is not a cohort")
    if not getattr(lead_professional, "is_active", False):
        raise CaseError("the lead professional must be an active user")
    if Case.objects.open().filter(person=person).exists():
        raise CaseError("this person already has an open IOM case")
    try:
        with transaction.atomic():
            case = Case.objects.create(
                person=person,
                cohort=cohort,
                framework=framework,
                tier=tier,
                lead_professional=lead_professional,
                lead_agency=lead_professional.agency,
                statutory=statutory,
                opened_on=opened_on or timezone.localdate(),
            )
    except IntegrityError:  # opened at the same moment by someone else
        raise CaseError("this person already has an open IOM case") from None
    return case


@transaction.atomic
def close_case(*, case: Case, reason: str, closed_on: date | None = None) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.OPEN:
        raise CaseError("the case is already closed")
    if not reason.strip():
        raise CaseError("give the reason the case is closed")
    case.status = CaseStatus.CLOSED
    case.closed_on = closed_on or timezone.localdate()
    case.close_reason = reason.strip()
    case.version += 1
    case.save()
    return case
