"""Changing the sharing matrix and recording consent: every change here, guarded and audited.

The matrix is changed by administrators only; each changed row keeps who changed it and when,
and django-auditlog keeps the field-level history. Consent is recorded and withdrawn by
practitioners who work on one of the person's cases; withdrawal takes effect at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from openiom.accounts.constants import AgencyType, Capability
from openiom.accounts.models import Agency
from openiom.people.models import Person

from .constants import CONSENT_CATEGORIES, Category
from .models import Consent, SharingRule

__all__ = [
    "RuleInput",
    "SharingError",
    "can_manage_consent",
    "category_fingerprint",
    "record_consent",
    "set_category_rules",
    "withdraw_consent",
]


class SharingError(ValueError):
    """A sharing change that is not allowed, said in words."""


@dataclass(frozen=True)
class RuleInput:
    can_read: bool = False
    can_write: bool = False
    needs_consent: bool = False


def category_fingerprint(category: str) -> str:
    """A short digest of the category's rules as stored now, so a form can tell if someone saved first."""
    rows = SharingRule.objects.filter(category=category).order_by("agency_type")
    text = ";".join(f"{r.agency_type}:{r.can_read:d}{r.can_write:d}{r.needs_consent:d}:{r.version}" for r in rows)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@transaction.atomic
def set_category_rules(
    *, category: str, rules: dict[str, RuleInput], by: Any, fingerprint: str | None = None
) -> list[SharingRule]:
    """Set what each agency type may do with one category. Returns the rows that changed.

    Agency types left out of `rules` keep their row. Refused when the user does not administer,
    a rule writes without reading, consent is asked for a category that cannot rest on it, or
    someone else changed the category after the form was opened (`fingerprint`).
    """
    if not (getattr(by, "is_authenticated", False) and by.has_capability(Capability.ADMINISTER)):
        raise SharingError("only administrators may change the sharing rules")
    if category not in Category.values:
        raise SharingError(f"{category!r} is not a special category")
    list(SharingRule.objects.select_for_update().filter(category=category))  # serialise edits of one category
    if fingerprint is not None and fingerprint != category_fingerprint(category):
        raise SharingError(
            "Someone else changed these rules after you opened them, so your change has not been saved. "
            "Check their change, then make yours again."
        )
    for agency_type, rule in rules.items():
        if agency_type not in AgencyType.values:
            raise SharingError(f"{agency_type!r} is not a type of agency")
        label = AgencyType(agency_type).label
        if rule.can_write and not rule.can_read:
            raise SharingError(f"{label}: an agency that may not read a category may not write it")
        if rule.needs_consent and category not in CONSENT_CATEGORIES:
            raise SharingError(f"{Category(category).label} cannot rest on consent")
        if rule.needs_consent and not rule.can_read:
            raise SharingError(f"{label}: consent only matters to an agency that may read the category")
    changed = []
    now = timezone.now()
    for agency_type, rule in rules.items():
        row = SharingRule.objects.filter(category=category, agency_type=agency_type).first()
        if row is None:
            if not rule.can_read:
                continue  # no row already means no access
            row = SharingRule(category=category, agency_type=agency_type)
        elif (row.can_read, row.can_write, row.needs_consent) == (rule.can_read, rule.can_write, rule.needs_consent):
            continue
        else:
            row.version += 1
        row.can_read, row.can_write, row.needs_consent = rule.can_read, rule.can_write, rule.needs_consent
        row.updated_at, row.updated_by = now, by
        row.save()
        changed.append(row)
    return changed


# ---- consent -------------------------------------------------------------------------------------
def can_manage_consent(user: Any, person: Person) -> bool:
    """Practitioners who work on an open case of the person record and withdraw their consent."""
    from openiom.cases.access import full_cases

    if not (getattr(user, "is_authenticated", False) and user.has_capability(Capability.CASES_MANAGE)):
        return False
    return full_cases(user).open().filter(person=person).exists()


@transaction.atomic
def record_consent(
    *,
    person: Person,
    category: str,
    by: Any,
    given_on: date | None = None,
    agency: Agency | None = None,
    notes: str = "",
) -> Consent:
    """Record the person's consent to share a category with one agency, or all partners (`agency=None`)."""
    if not can_manage_consent(by, person):
        raise SharingError("only practitioners working on one of the person's open cases may record consent")
    if category not in CONSENT_CATEGORIES:
        raise SharingError(f"sharing of {Category(category).label.lower()} does not rest on consent")
    given_on = given_on or timezone.localdate()
    if given_on > timezone.localdate():
        raise SharingError("consent cannot be dated in the future")
    # The person's row until the transaction ends: the same consent recorded twice at once takes turns,
    # and the second is refused below instead of leaving two current consents.
    Person.objects.select_for_update(no_key=True).filter(pk=person.pk).first()
    existing = Consent.objects.current().filter(person=person, category=category, agency=agency)
    if existing.exists():
        raise SharingError("the person's consent for this is already recorded and has not been withdrawn")
    return Consent.objects.create(
        person=person, category=category, agency=agency, given_on=given_on, notes=notes.strip(), recorded_by=by
    )


@transaction.atomic
def withdraw_consent(
    *, consent: Consent, by: Any, version: int | None = None, withdrawn_on: date | None = None, notes: str = ""
) -> Consent:
    """Record that the person withdrew their consent: sharing that rested on it stops at once."""
    from openiom.cases.locking import StaleEditError, claim

    if not can_manage_consent(by, consent.person):
        raise SharingError("only practitioners working on one of the person's open cases may withdraw consent")
    withdrawn_on = withdrawn_on or timezone.localdate()
    if withdrawn_on > timezone.localdate():
        raise SharingError("a withdrawal takes effect when it is recorded: it cannot be dated in the future")
    if withdrawn_on < consent.given_on:
        raise SharingError("consent cannot be withdrawn before it was given")
    try:
        consent = claim(consent, version, "consent")
    except StaleEditError as exc:
        raise SharingError(str(exc)) from exc
    if consent.withdrawn_on is not None:
        raise SharingError(f"this consent was already withdrawn on {consent.withdrawn_on:%-d %B %Y}")
    consent.withdrawn_on = withdrawn_on
    consent.withdrawn_by = by
    if notes.strip():
        consent.notes = f"{consent.notes}\n{notes.strip()}".strip()
    consent.save()
    return consent
