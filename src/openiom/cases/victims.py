"""Linked repeat or vulnerable victims of a case: added, corrected and referred to Victim Support.

Only users whom `access.can_change_victims` allows (the sharing matrix lets their agency write
victim details, and they may work on the case) may do any of this, on an open case. A victim's
details are corrected only by the agency that linked them (the originating organisation keeps
ownership of what it recorded). Victims are never on the timeline.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from .access import can_change_victims, can_see_victims, can_work_on
from .locking import CaseError, claim
from .models import Case, Victim
from .services import require_open

__all__ = ["add_victim", "refer_to_victim_support", "update_victim"]


def _check_entitled(user: Any, case: Case) -> None:
    if not can_see_victims(user, case):
        raise CaseError("your agency is not entitled to see the victims on this case")
    if not can_work_on(user, case):
        raise CaseError("your role does not allow you to change this case")
    if not can_change_victims(user, case):
        raise CaseError("your agency may see the victims on this case but not change them")


def _check_owner(user: Any, victim: Victim) -> None:
    """The originating organisation keeps ownership: only the agency that linked the victim changes them."""
    if victim.added_by.agency_id != user.agency_id:
        raise CaseError(f"{victim.added_by.agency.name} linked this victim: only they may change the record")


def _check_fields(label: str, repeat: bool, vulnerable: bool) -> None:
    if not label.strip():
        raise CaseError("say how partners refer to the victim, for example their initials or 'Victim A'")
    if not (repeat or vulnerable):
        raise CaseError("a linked victim is a repeat or a vulnerable victim: say which")


@transaction.atomic
def add_victim(
    *,
    case: Case,
    by: Any,
    label: str,
    relationship: str = "",
    repeat: bool = False,
    vulnerable: bool = False,
    safety_notes: str = "",
) -> Victim:
    require_open(case)
    _check_entitled(by, case)
    _check_fields(label, repeat, vulnerable)
    if case.victims.filter(label__iexact=label.strip()).exists():
        raise CaseError(f"a victim called {label.strip()!r} is already linked to this case")
    return Victim.objects.create(
        case=case,
        label=label.strip(),
        relationship=relationship.strip(),
        repeat=repeat,
        vulnerable=vulnerable,
        safety_notes=safety_notes.strip(),
        added_by=by,
    )


@transaction.atomic
def update_victim(
    *,
    victim: Victim,
    version: int | None,
    by: Any,
    label: str,
    relationship: str,
    repeat: bool,
    vulnerable: bool,
    safety_notes: str,
) -> Victim:
    case = victim.case
    require_open(case)
    _check_entitled(by, case)
    _check_owner(by, victim)
    _check_fields(label, repeat, vulnerable)
    if case.victims.filter(label__iexact=label.strip()).exclude(pk=victim.pk).exists():
        raise CaseError(f"another victim called {label.strip()!r} is already linked to this case")
    victim = claim(victim, version, "victim")
    victim.label = label.strip()
    victim.relationship = relationship.strip()
    victim.repeat = repeat
    victim.vulnerable = vulnerable
    victim.safety_notes = safety_notes.strip()
    victim.save()
    return victim


@transaction.atomic
def refer_to_victim_support(*, victim: Victim, by: Any, version: int | None, referred_on: date | None = None) -> Victim:
    """Record the referral of the victim to Victim Support (once)."""
    case = victim.case
    require_open(case)
    _check_entitled(by, case)  # a referral is an action any entitled agency takes, not a change to the record
    referred_on = referred_on or timezone.localdate()
    if referred_on > timezone.localdate():
        raise CaseError("a referral cannot be dated in the future")
    if referred_on < case.opened_on:
        raise CaseError("the referral cannot be before the case opened")
    victim = claim(victim, version, "victim")
    if victim.victim_support_referred_on is not None:
        raise CaseError(
            f"{victim.label} was already referred to Victim Support on {victim.victim_support_referred_on:%-d %B %Y}"
        )
    victim.victim_support_referred_on = referred_on
    victim.save()
    return victim
