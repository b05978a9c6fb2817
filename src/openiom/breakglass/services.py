"""Break-glass: every state change, guarded, in one place (called by the pages and tests alike).

- `ask_for_access`: a user with CASES_VIEW who sees only the minimal view of a case gives a
  reason and gets full access at once, for `BREAK_GLASS_HOURS`; the reviewers are e-mailed.
- `record_use`: each request that uses an active grant is written to the access log with the
  purpose "break-glass" and counted on the grant.
- `end_grant`: the holder, or a reviewer, ends an active grant now ("end now"); who and when
  are recorded, and access stops at once.
- `review_grant`: a reviewer records whether the use was justified; "not justified" ends
  the grant if it is still running.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from openiom.accounts.constants import Capability
from openiom.audit.constants import Purpose
from openiom.audit.services import record_access
from openiom.cases.models import Case

from .constants import MIN_REASON_CHARACTERS, MIN_REASON_WORDS, Outcome
from .models import Grant
from .notify import NotificationError, notify_reviewers
from .selectors import active_grant, can_review, has_active_grant

logger = logging.getLogger(__name__)

__all__ = [
    "BreakGlassError",
    "active_grant",
    "ask_for_access",
    "can_review",
    "check_reason",
    "end_grant",
    "has_active_grant",
    "may_ask",
    "may_end",
    "record_use",
    "review_grant",
]


class BreakGlassError(Exception):
    """A break-glass request or review that is refused, with the reason to show."""


def may_ask(user: Any, case: Case) -> bool:
    """Only someone who may see cases, and sees this one only in the minimal view, may ask."""
    from openiom.cases.access import Access, case_access

    if not getattr(user, "is_authenticated", False) or not user.has_capability(Capability.CASES_VIEW):
        return False
    return case_access(user, case) is Access.MINIMAL


def check_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON_CHARACTERS or len(reason.split(" ")) < MIN_REASON_WORDS:
        raise BreakGlassError(
            f"Explain in at least a sentence ({MIN_REASON_CHARACTERS} characters or more) why you need full access"
        )
    return reason


def ask_for_access(*, user: Any, case: Case, reason: str) -> Grant:
    """Give `user` full access to `case` now, for the configured number of hours, and tell the reviewers."""
    if not getattr(user, "is_authenticated", False) or not user.has_capability(Capability.CASES_VIEW):
        raise PermissionDenied
    reason = check_reason(reason)
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()  # one grant at a time per case
        if active_grant(user, case.pk) is not None:
            raise BreakGlassError("You already have full access to this case")
        if not may_ask(user, case):
            raise BreakGlassError("You can already see this case in full")
        now = timezone.now()
        grant = Grant.objects.create(
            user=user,
            case=case,
            reason=reason,
            granted_at=now,
            expires_at=now + timedelta(hours=settings.BREAK_GLASS_HOURS),
        )
    try:
        notify_reviewers(grant)
    except NotificationError:
        # The access stands (it is needed now) and the report lists it; the failure is logged by id.
        logger.exception("Break-glass grant %s: the reviewers could not be e-mailed", grant.pk)
    return grant


def record_use(*, user: Any, case_id: int, remote_addr: str | None = None) -> Grant | None:
    """Log one use of an active grant (a request for a page or API resource of the case). None if no grant."""
    grant = active_grant(user, case_id)
    if grant is None:
        return None
    record_access(user=user, obj=grant.case, purpose=Purpose.BREAK_GLASS, remote_addr=remote_addr)
    Grant.objects.filter(pk=grant.pk).update(reads=F("reads") + 1)
    grant.refresh_from_db(fields=["reads"])
    return grant


def may_end(user: Any, grant: Grant) -> bool:
    """The holder of a grant, or a reviewer, may end it."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(grant.user_id == user.pk or can_review(user))


def end_grant(*, grant: Grant, by: Any) -> Grant:
    """End an active grant now: from this moment its holder sees the case as before (minimal view).

    Refused (PermissionDenied) to anyone but the holder and the reviewers; a grant that has already
    ended or expired cannot be ended again (BreakGlassError). Who ended it and when are recorded on
    the grant, and in its change history.
    """
    if not may_end(by, grant):
        raise PermissionDenied
    with transaction.atomic():
        grant = Grant.objects.select_for_update().get(pk=grant.pk)
        if not grant.is_active:
            raise BreakGlassError("This access has already ended")
        grant.ended_at, grant.ended_by = timezone.now(), by
        grant.save(update_fields=["ended_at", "ended_by"])
    return grant


def review_grant(*, grant: Grant, by: Any, outcome: Outcome | str, notes: str) -> Grant:
    """Record the review of a grant. Refused for non-reviewers, one's own grant, and a second review."""
    if not can_review(by):
        raise PermissionDenied
    outcome = Outcome(outcome)
    notes = notes.strip()
    with transaction.atomic():
        grant = Grant.objects.select_for_update().get(pk=grant.pk)
        if grant.user_id == by.pk:
            raise BreakGlassError("Someone else must review your own break-glass access")
        if grant.reviewed_at is not None:
            raise BreakGlassError("This grant has already been reviewed")
        if outcome is Outcome.NOT_JUSTIFIED and not notes:
            raise BreakGlassError("Say why the access was not justified")
        now = timezone.now()
        grant.reviewed_by, grant.reviewed_at, grant.outcome, grant.review_notes = by, now, outcome, notes
        fields = ["reviewed_by", "reviewed_at", "outcome", "review_notes"]
        if outcome is Outcome.NOT_JUSTIFIED and grant.is_active:
            grant.ended_at, grant.ended_by = now, by
            fields += ["ended_at", "ended_by"]
        grant.save(update_fields=fields)
    return grant
