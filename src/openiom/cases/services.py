"""The case itself: opening and closing, cohorts, lead professional, agencies involved, the pyramid.

Plans, interventions and assessments are in `plans.py`; contacts and enforcement in
`contacts.py`; the prompts and tasks the system raises in `reminders.py`. Every function here
refuses an illegal change with `CaseError` in words and records who made the change.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from openiom.accounts.constants import Capability
from openiom.accounts.models import Agency
from openiom.people.models import Person

from .constants import CaseStatus, Cohort, Framework, PromptKind, PromptStatus, RoshLevel
from .locking import CaseError, StaleEditError, claim
from .models import Case, CohortMembership, Involvement, ReviewPrompt, Tier, TierChange

__all__ = [
    "CaseError",
    "StaleEditError",
    "add_involvement",
    "add_membership",
    "change_lead_professional",
    "change_tier",
    "close_case",
    "default_tiers",
    "end_involvement",
    "end_membership",
    "open_case",
    "resolve_prompt",
    "update_case",
]


def default_tiers() -> None:
    """Create the default pyramid if there are no tiers (idempotent)."""
    from .constants import DEFAULT_TIERS

    for level, name, description in DEFAULT_TIERS:
        Tier.objects.get_or_create(level=level, defaults={"name": name, "description": description})


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0, 0)))


def lock_case(case_id: int) -> str:
    """Take the case's row until the transaction ends, and return its status as stored now.

    Every change to a case, or to anything that hangs off it, takes this lock first, before it checks
    anything or writes to the audit trail. Two changes to one case then take turns: the second sees
    what the first saved instead of passing a check that only one of them should pass. Taking the
    case first, always, also keeps the order of locks the same for everyone (the case, then its
    parts, then the audit trail's head), so two changes cannot deadlock. On SQLite, which lets one
    writer in at a time, it is a plain read.
    """
    status = Case.objects.select_for_update(no_key=True).filter(pk=case_id).values_list("status", flat=True).first()
    return str(status or "")


def require_open(case: Case) -> None:
    """Take the case (`lock_case`) and refuse changes to it if it is closed, as stored now (the caller's
    copy may be older). Called first by every service function that changes an open case."""
    if lock_case(case.pk) != CaseStatus.OPEN:
        raise CaseError("the case is closed")


def check_worker(user: Any, role: str = "the lead professional") -> None:
    if not getattr(user, "is_active", False):
        raise CaseError(f"{role} must be an active user")
    if not user.has_capability(Capability.CASES_MANAGE):
        raise CaseError(f"{role} must have a role that manages cases")


@transaction.atomic
def open_case(
    *,
    person: Person,
    cohort: str,
    tier: Tier,
    lead_professional: Any,
    framework: str = "",
    statutory: bool = False,
    rosh_level: str = "",
    opened_on: date | None = None,
    by: Any = None,
) -> Case:
    if cohort not in Cohort.values:
        raise CaseError(f"{cohort!r} is not a cohort")
    if framework and framework not in Framework.values:
        raise CaseError(f"{framework!r} is not a national framework stream")
    if rosh_level and rosh_level not in RoshLevel.values:
        raise CaseError(f"{rosh_level!r} is not a risk of serious harm level")
    if not tier.is_active:
        raise CaseError(f"{tier} is not in use")
    check_worker(lead_professional)
    if Case.objects.open().filter(person=person).exists():
        raise CaseError("this person already has an open IOM case")
    opened_on = opened_on or timezone.localdate()
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
                rosh_level=rosh_level,
                opened_on=opened_on,
            )
    except IntegrityError:  # opened at the same moment by someone else
        raise CaseError("this person already has an open IOM case") from None
    CohortMembership.objects.create(case=case, cohort=cohort, framework=framework, started_on=opened_on, added_by=by)
    placed_at = timezone.now() if opened_on >= timezone.localdate() else _start_of(opened_on)
    TierChange.objects.create(case=case, to_tier=tier, reason="Placed when the case opened", by=by, at=placed_at)
    return case


@transaction.atomic
def close_case(*, case: Case, reason: str, closed_on: date | None = None, by: Any = None) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.OPEN:
        raise CaseError("the case is already closed")
    if not reason.strip():
        raise CaseError("give the reason the case is closed")
    closed_on = closed_on or timezone.localdate()
    if closed_on < case.opened_on:
        raise CaseError("a case cannot close before it opened")
    case.status = CaseStatus.CLOSED
    case.closed_on = closed_on
    case.close_reason = reason.strip()
    case.version += 1
    case.save()
    for membership in case.memberships.filter(ended_on__isnull=True):
        membership.ended_on = closed_on
        membership.end_reason = "Case closed"
        membership.save()
    _resolve_prompts(case.prompts.filter(status=PromptStatus.OPEN), by, "Case closed")
    return case


def _resolve_prompts(prompts: Any, by: Any, resolution: str) -> None:
    """Resolve prompts one by one, so that each change is in the audit trail."""
    for prompt in prompts:
        prompt.status = PromptStatus.RESOLVED
        prompt.resolution = resolution
        prompt.resolved_by = by
        prompt.resolved_at = timezone.now()
        prompt.save()


@transaction.atomic
def update_case(*, case: Case, version: int | None, by: Any, statutory: bool, rosh_level: str, framework: str) -> Case:
    """Change the case's statutory status, risk of serious harm level and framework stream."""
    require_open(case)
    if rosh_level and rosh_level not in RoshLevel.values:
        raise CaseError(f"{rosh_level!r} is not a risk of serious harm level")
    if framework and framework not in Framework.values:
        raise CaseError(f"{framework!r} is not a national framework stream")
    case = claim(case, version, "case")
    case.statutory = statutory
    case.rosh_level = rosh_level
    case.framework = framework
    case.save()
    return case


@transaction.atomic
def change_lead_professional(*, case: Case, lead: Any, by: Any, reason: str, version: int | None) -> Case:
    """Hand the case to a new single lead professional; their agency becomes the lead agency."""
    require_open(case)
    check_worker(lead)
    if lead.pk == case.lead_professional_id:
        raise CaseError(f"{lead} is already the lead professional")
    if not reason.strip():
        raise CaseError("give the reason the lead professional changes")
    case = claim(case, version, "case")
    old_agency = case.lead_agency
    case.lead_professional = lead
    case.lead_agency = lead.agency
    case.save()
    # The old lead agency stays involved unless someone ends it.
    if old_agency != lead.agency and not case.involvements.filter(agency=old_agency, ended_on__isnull=True).exists():
        Involvement.objects.create(case=case, agency=old_agency, role="Former lead agency", added_by=by)
    return case


@transaction.atomic
def add_involvement(*, case: Case, agency: Agency, by: Any, key_worker: Any = None, role: str = "") -> Involvement:
    require_open(case)
    if not agency.is_active:
        raise CaseError(f"{agency} is not an active agency")
    if key_worker is not None:
        check_worker(key_worker, "the key worker")
        if key_worker.agency_id != agency.pk:
            raise CaseError(f"{key_worker} does not work for {agency}")
    current = case.involvements.filter(agency=agency, ended_on__isnull=True).first()
    if current is not None:
        if key_worker is None or current.key_worker_id == key_worker.pk:
            raise CaseError(f"{agency} is already involved in this case")
        current.key_worker = key_worker  # naming the key worker of an agency already involved
        current.role = role.strip() or current.role
        current.save()
        return current
    return Involvement.objects.create(case=case, agency=agency, key_worker=key_worker, role=role.strip(), added_by=by)


@transaction.atomic
def end_involvement(*, involvement: Involvement, by: Any, ended_on: date | None = None) -> Involvement:
    involvement = Involvement.objects.select_for_update().get(pk=involvement.pk)
    if involvement.ended_on is not None:
        raise CaseError(f"{involvement.agency} is no longer involved")
    ended_on = ended_on or timezone.localdate()
    if ended_on < involvement.started_on:
        raise CaseError("an involvement cannot end before it started")
    involvement.ended_on = ended_on
    involvement.save()
    return involvement


@transaction.atomic
def add_membership(
    *, case: Case, cohort: str, by: Any, framework: str = "", started_on: date | None = None
) -> CohortMembership:
    require_open(case)
    if cohort not in Cohort.values:
        raise CaseError(f"{cohort!r} is not a cohort")
    if framework and framework not in Framework.values:
        raise CaseError(f"{framework!r} is not a national framework stream")
    started_on = started_on or timezone.localdate()
    if started_on < case.opened_on:
        raise CaseError("a cohort membership cannot start before the case opened")
    if started_on > timezone.localdate():
        raise CaseError("a cohort membership cannot start in the future")
    if case.memberships.filter(cohort=cohort, ended_on__isnull=True).exists():
        raise CaseError(f"the case is already in the {Cohort(cohort).label} cohort")
    try:
        with transaction.atomic():
            return CohortMembership.objects.create(
                case=case, cohort=cohort, framework=framework, started_on=started_on, added_by=by
            )
    except IntegrityError:
        raise CaseError(f"the case is already in the {Cohort(cohort).label} cohort") from None


@transaction.atomic
def end_membership(
    *, membership: CohortMembership, by: Any, reason: str, ended_on: date | None = None
) -> CohortMembership:
    require_open(membership.case)  # the case first: two memberships ended at once take turns
    membership = CohortMembership.objects.select_for_update().get(pk=membership.pk)
    case = membership.case
    if membership.ended_on is not None:
        raise CaseError("that cohort membership has already ended")
    if not reason.strip():
        raise CaseError("give the reason the membership ends")
    ended_on = ended_on or timezone.localdate()
    if ended_on < membership.started_on:
        raise CaseError("a membership cannot end before it started")
    others = case.memberships.filter(ended_on__isnull=True).exclude(pk=membership.pk).order_by("started_on", "pk")
    if not others.exists():
        raise CaseError("an open case must stay in at least one cohort: close the case instead")
    membership.ended_on = ended_on
    membership.end_reason = reason.strip()
    membership.save()
    if case.cohort == membership.cohort:  # the main cohort moves to the longest-standing other one
        successor = others[0]
        case = claim(case, None, "case")
        case.cohort = successor.cohort
        case.framework = successor.framework or case.framework
        case.save()
    return membership


@transaction.atomic
def change_tier(*, case: Case, tier: Tier, by: Any, reason: str, version: int | None) -> TierChange:
    """Move a case up or down the pyramid, with the reason; resolves the review prompts it answers."""
    require_open(case)
    if not tier.is_active:
        raise CaseError(f"{tier} is not in use")
    if tier.pk == case.tier_id:
        raise CaseError(f"the case is already at {tier}")
    if not reason.strip():
        raise CaseError("give the reason for the move")
    case = claim(case, version, "case")
    old = case.tier
    case.tier = tier
    case.save()
    change = TierChange.objects.create(case=case, from_tier=old, to_tier=tier, reason=reason.strip(), by=by)
    answered = PromptKind.ESCALATION if tier.level < old.level else PromptKind.DEESCALATION
    _resolve_prompts(
        case.prompts.filter(status=PromptStatus.OPEN, kind=answered),
        by,
        f"{change.direction.capitalize()} from {old} to {tier}: {reason.strip()}",
    )
    return change


@transaction.atomic
def resolve_prompt(*, prompt: ReviewPrompt, by: Any, resolution: str) -> ReviewPrompt:
    """Record that a review found no move was needed (a move resolves its prompts itself)."""
    lock_case(prompt.case_id)  # the case first, as a move does: the two take turns, never deadlock
    prompt = ReviewPrompt.objects.select_for_update().get(pk=prompt.pk)
    if prompt.status != PromptStatus.OPEN:
        raise CaseError("that review has already been recorded")
    if not resolution.strip():
        raise CaseError("say what the review decided")
    _resolve_prompts([prompt], by, resolution.strip())
    return prompt
