"""Who may read and write each special category: the one place that decides it.

A user may read a special category about a person when all of these hold:

1. they may see the person at all: the case in full (`cases.access`), or, for a person, the
   right to read people's records or a case of theirs in full;
2. the sharing matrix (`SharingRule`) lets their agency's type read the category;
3. where that rule rests on consent, the person has a current consent for the category, given
   to the user's agency or to all partners (withdrawal takes effect at once).

Writing needs the same, and the rule's `can_write`. Everything that shows special-category
data (pages, API, exports, documents) asks `may_read`, or `readable_categories` once per page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openiom.accounts.constants import Capability
from openiom.cases.models import Case
from openiom.people.models import Person

from .constants import FLAG_CATEGORIES, PATHWAY_CATEGORIES, SEXUAL_OFFENCE_CODES, Category
from .models import Consent, SharingRule

__all__ = [
    "flag_category",
    "is_entitled",
    "may_read",
    "may_write",
    "offence_category",
    "pathway_category",
    "readable_categories",
    "writable_categories",
]

Subject = Person | Case


def offence_category(offence_code: str) -> Category | None:
    return Category.SEXUAL_OFFENDING if offence_code in SEXUAL_OFFENCE_CODES else None


def flag_category(flag: str) -> Category | None:
    return FLAG_CATEGORIES.get(flag)


def pathway_category(pathway: str) -> Category | None:
    """The category of a pathway's notes in a needs assessment (None: not a special category)."""
    return PATHWAY_CATEGORIES.get(pathway)


def _person(subject: Subject) -> Person:
    return subject.person if isinstance(subject, Case) else subject


def is_entitled(user: Any, subject: Subject) -> bool:
    """May the user see this case in full, or this person's record, at all?"""
    from openiom.cases.access import Access, case_access, full_cases

    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return False
    if isinstance(subject, Case):
        return case_access(user, subject) is Access.FULL
    if user.has_capability(Capability.PEOPLE_VIEW):
        return True
    return full_cases(user).filter(person=subject).exists()


def _break_glass(user: Any, subject: Subject) -> bool:
    """An active break-glass grant (openiom.breakglass) on the case, or on a case of the person, gives
    full access for its limited time, the person's special categories included (never the victims');
    every use is logged there."""
    from django.apps import apps

    if not apps.is_installed("openiom.breakglass"):
        return False
    from openiom.breakglass.selectors import has_active_grant

    if isinstance(subject, Case):
        return bool(has_active_grant(user, subject))
    return bool(has_active_grant(user, person=subject))


def _allowed(user: Any, subject: Subject, categories: Iterable[str], *, write: bool) -> frozenset[str]:
    wanted = set(categories)
    if not wanted or not is_entitled(user, subject):
        return frozenset()
    person = _person(subject)
    # Break-glass opens the person's own record for reading; victims are third parties and keep their rule.
    glass = wanted - {Category.VICTIM_DETAILS} if not write and _break_glass(user, subject) else set()
    agency = getattr(user, "agency", None)
    if agency is None:
        return frozenset(glass)
    rules = SharingRule.objects.filter(agency_type=agency.agency_type, category__in=wanted, can_read=True)
    if write:
        rules = rules.filter(can_write=True)
    allowed: set[str] = set()
    consent_needed: set[str] = set()
    for category, needs_consent in rules.values_list("category", "needs_consent"):
        (consent_needed if needs_consent else allowed).add(category)
    if consent_needed:
        consented = Consent.objects.current().filter(person=person, category__in=consent_needed)
        for category in consent_needed:
            if consented.covering(category, agency).exists():
                allowed.add(category)
    return frozenset(allowed | glass)


def may_read(user: Any, category: str, subject: Subject) -> bool:
    """May the user read this special category about the person (or the case's person)?"""
    return category in _allowed(user, subject, [category], write=False)


def may_write(user: Any, category: str, subject: Subject) -> bool:
    """May the user record or change this special category about the person (or the case's person)?"""
    return category in _allowed(user, subject, [category], write=True)


def readable_categories(user: Any, subject: Subject) -> frozenset[str]:
    """Every category the user may read about the person: for a page that shows several at once."""
    return _allowed(user, subject, Category.values, write=False)


def writable_categories(user: Any, subject: Subject) -> frozenset[str]:
    return _allowed(user, subject, Category.values, write=True)
