"""Named read queries for the panels pages: the calendar, a meeting and who votes at it, referrals, actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from openiom.accounts.constants import AgencyType, Capability
from openiom.accounts.models import Agency, User
from openiom.cohort.constants import Cohort

from .constants import ActionStatus, MeetingStatus
from .models import ActionPoint, Meeting, Panel, Referral
from .services import _voting_organisations

RECENT_DAYS = 183  # past meetings listed on the panels page (minutes, actions)


def active_panels() -> QuerySet[Panel]:
    return (
        Panel.objects.filter(is_active=True)
        .select_related("chair_agency", "vice_chair_agency")
        .prefetch_related("members__agency", "members__user")
    )


def upcoming_meetings(today: date | None = None) -> QuerySet[Meeting]:
    return (
        Meeting.objects.upcoming(today)
        .select_related("panel")
        .annotate(item_count=Count("items"))
        .order_by("date", "start_time", "panel__name")
    )


def recent_meetings(today: date | None = None) -> QuerySet[Meeting]:
    """Meetings of the last six months that are past or already held (today's included), newest first."""
    today = today or timezone.localdate()
    return (
        Meeting.objects.filter(date__gte=today - timedelta(days=RECENT_DAYS))
        .filter(Q(date__lt=today) | Q(status=MeetingStatus.HELD))
        .select_related("panel")
        .order_by("-date", "panel__name")
    )


def calendar_meetings(today: date | None = None) -> QuerySet[Meeting]:
    """What the iCalendar file holds: every meeting from today on, cancelled ones included (so calendars drop them)."""
    return Meeting.objects.filter(date__gte=today or timezone.localdate()).select_related("panel").order_by("date")


def meeting(meeting_id: int) -> Meeting:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Meeting.objects.select_related("panel__chair_agency", "panel__vice_chair_agency", "minutes_approved_by"),
        pk=meeting_id,
    )


def voting_agencies(meeting: Meeting) -> list[Agency]:
    """The organisations present that count for quorum and vote (members and deputies, not guests)."""
    return list(Agency.objects.filter(pk__in=_voting_organisations(meeting)).order_by("name"))


def agenda(meeting: Meeting) -> QuerySet[Any]:
    return meeting.items.select_related(
        "referral__person", "referral__nominating_officer", "case", "decision__lead_professional", "decision__tier"
    ).order_by("position")


def default_lead_professional(panel: Panel) -> User | None:
    """The lead professional offered first for a selection: a YOT worker for a panel that selects only into
    Deter Young Offenders, otherwise a probation offender manager (the statutory lead for most cases)."""
    youth = panel.selects_cohorts == [Cohort.DYO]
    agency_type, role = (
        (AgencyType.YOUTH_OFFENDING, "yot_worker") if youth else (AgencyType.PROBATION, "offender_manager")
    )
    return (
        User.objects.active()
        .filter(agency__agency_type=agency_type, roles__code=role)
        .order_by("full_name", "pk")
        .first()
    )


def active_users() -> QuerySet[User]:
    return User.objects.active().select_related("agency").order_by("agency__name", "full_name")


# ---- referrals -------------------------------------------------------------------------------------
def can_see_referral(user: Any, referral: Referral) -> bool:
    """Panel members see every referral; whoever referred or nominated sees their own."""
    if user.has_capability(Capability.PANELS_VIEW):
        return True
    return user.pk in (referral.referred_by_id, referral.nominating_officer_id)


def referral(referral_id: int) -> Referral:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Referral.objects.select_related(
            "panel", "person", "meeting", "nominating_officer__agency", "referred_by__agency", "case"
        ),
        pk=referral_id,
    )


def referral_list(*, open_only: bool) -> QuerySet[Referral]:
    referrals = Referral.objects.select_related("panel", "person", "meeting", "nominating_officer")
    return referrals.open() if open_only else referrals


def referral_decision(referral: Referral) -> Any:
    """The panel's decision on the referral, if it has been decided."""
    from .models import Decision

    return (
        Decision.objects.filter(item__referral=referral)
        .select_related("item__meeting", "tier", "lead_professional__agency", "case")
        .order_by("-decided_at")
        .first()
    )


# ---- actions ---------------------------------------------------------------------------------------
def open_actions_for(user: Any) -> QuerySet[ActionPoint]:
    """The user's open panel actions, oldest due date (so every overdue one) first."""
    return (
        ActionPoint.objects.open()
        .for_owner(user)
        .select_related("meeting__panel", "owner_agency", "item")
        .order_by("due_date", "pk")
    )


@dataclass(frozen=True)
class ActionCounts:
    open: int
    overdue: int


def action_counts(user: Any, today: date | None = None) -> ActionCounts:
    today = today or timezone.localdate()
    counts = ActionPoint.objects.filter(owner=user, status=ActionStatus.OPEN).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today))
    )
    return ActionCounts(open=counts["open"], overdue=counts["overdue"])


def meeting_actions(meeting: Meeting) -> QuerySet[ActionPoint]:
    return meeting.actions.select_related("owner", "owner_agency", "item").order_by("due_date", "pk")
