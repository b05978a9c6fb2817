"""Changing a panel's terms of reference and its members (administrators and co-ordinators).

Panel and PanelMember are registered for change history (apps.py), so every change here is
in the audit trail with who made it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction

from openiom.accounts.models import Agency
from openiom.cohort.constants import Cohort

from .models import Panel, PanelMember
from .services import PanelError

TERMS_FIELDS = (
    "name",
    "purpose",
    "chair_agency",
    "chair_post",
    "vice_chair_agency",
    "vice_chair_post",
    "meeting_week",
    "meeting_weekday",
    "meeting_time",
    "location",
    "referral_cutoff_days",
    "papers_days",
    "minutes_days",
    "quorum",
    "review_every_days",
    "selects_cohorts",
    "coordinator_email",
    "is_active",
)


@transaction.atomic
def save_terms(*, panel: Panel, changes: Mapping[str, Any], by: Any) -> Panel:
    """Apply changes to the terms of reference. Fields not named in `changes` keep their values."""
    unknown = set(changes) - set(TERMS_FIELDS)
    if unknown:
        raise PanelError(f"these are not terms of reference: {', '.join(sorted(unknown))}")
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    for name, value in changes.items():
        setattr(panel, name, value)
    if not str(panel.name).strip() or not str(panel.chair_post).strip():
        raise PanelError("a panel needs a name and its chair's post")
    if panel.quorum < 1:
        raise PanelError("the quorum must be at least 1 organisation")
    if panel.vice_chair_post.strip() and panel.vice_chair_agency_id is None:
        raise PanelError("say which organisation the vice chair is from")
    if panel.vice_chair_agency_id is not None and not panel.vice_chair_post.strip():
        raise PanelError("give the vice chair's post")
    wrong = [c for c in panel.selects_cohorts if c not in Cohort.values]
    if wrong:
        raise PanelError(f"not cohorts: {', '.join(wrong)}")
    if Panel.objects.exclude(pk=panel.pk).filter(name=panel.name).exists():
        raise PanelError(f"another panel is already called {panel.name}")
    panel.save()
    return panel


@transaction.atomic
def add_member(*, panel: Panel, agency: Agency, post: str, membership: str, by: Any, user: Any = None) -> PanelMember:
    post = post.strip()
    if not post:
        raise PanelError("give the member's post")
    if user is not None and user.agency_id != agency.pk:
        raise PanelError(f"{user} works for {user.agency.name}, not {agency.name}")
    try:
        with transaction.atomic():
            return PanelMember.objects.create(panel=panel, agency=agency, post=post, membership=membership, user=user)
    except IntegrityError:
        raise PanelError(f"the {panel.name} already has the post {post} from {agency.name}") from None


@transaction.atomic
def remove_member(*, member: PanelMember, by: Any) -> None:
    member.delete()
