"""Reads: whether a user holds an active grant, and the grants for the report."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from openiom.accounts.constants import Capability

from .models import Grant, GrantQuerySet


def can_review(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_capability(Capability.BREAK_GLASS_REVIEW))


def active_grant(user: Any, case_id: int) -> Grant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Grant.objects.active().for_case(user, case_id).first()


def has_active_grant(user: Any, case: Any = None, *, person: Any = None) -> bool:
    """An active, unexpired grant of `user` on `case` (or on any case of `person`).

    `cases.access.case_access` asks about a case; the sharing policy asks about a person.
    """
    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return False
    grants = Grant.objects.active().filter(user=user)
    if case is not None:
        return case.pk is not None and grants.filter(case_id=case.pk).exists()
    if person is not None:
        return person.pk is not None and grants.filter(case__person_id=person.pk).exists()
    return False


def grants_for_report(user: Any) -> GrantQuerySet:
    """Every grant, newest first, for a reviewer; refused to anyone else."""
    if not can_review(user):
        raise PermissionDenied
    return Grant.objects.select_related("user__agency", "case", "reviewed_by", "ended_by").order_by(
        "-granted_at", "-pk"
    )


def grants_of(user: Any) -> GrantQuerySet:
    """The user's own grants, newest first (none for an anonymous user)."""
    if not getattr(user, "is_authenticated", False):
        return Grant.objects.none()
    return Grant.objects.filter(user=user).select_related("case", "ended_by").order_by("-granted_at", "-pk")
