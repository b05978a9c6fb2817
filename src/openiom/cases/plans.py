"""Needs assessments over the seven pathways, the action plan, and interventions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from openiom.directory.models import Service

from .constants import (
    ACTION_MOVES,
    INTERVENTION_MOVES,
    LIVE_INTERVENTION_STATUSES,
    ActionStatus,
    InterventionStatus,
    NeedLevel,
    Pathway,
)
from .locking import CaseError, claim
from .models import Assessment, Case, Intervention, Involvement, PathwayNeed, PlanAction
from .services import check_worker, require_open


@dataclass(frozen=True)
class NeedInput:
    level: str
    linked_to_offending: bool = False
    notes: str = ""


@transaction.atomic
def record_assessment(
    *, case: Case, by: Any, needs: dict[str, NeedInput], assessed_on: date | None = None, summary: str = ""
) -> Assessment:
    """A (re)assessment: every one of the seven pathways gets a level."""
    require_open(case)
    assessed_on = assessed_on or timezone.localdate()
    if assessed_on > timezone.localdate():
        raise CaseError("an assessment cannot be dated in the future")
    unknown = sorted(set(needs) - set(Pathway.values))
    if unknown:
        raise CaseError(f"not a pathway: {', '.join(unknown)}")
    missing = [Pathway(p).label for p in Pathway.values if p not in needs]
    if missing:
        raise CaseError(f"give a level for every pathway; missing: {', '.join(missing)}")
    for pathway, need in needs.items():
        if need.level not in NeedLevel.values:
            raise CaseError(f"{need.level!r} is not a level of need ({Pathway(pathway).label})")
        if need.level == NeedLevel.NONE and need.linked_to_offending:
            raise CaseError(f"{Pathway(pathway).label}: a pathway with no need cannot be linked to offending")
    assessment = Assessment.objects.create(
        case=case, assessed_on=assessed_on, by=by, agency=by.agency, summary=summary.strip()
    )
    for pathway in Pathway.values:  # in the pathways' order
        need = needs[pathway]
        PathwayNeed.objects.create(
            assessment=assessment,
            pathway=pathway,
            level=need.level,
            linked_to_offending=need.linked_to_offending,
            notes=need.notes.strip(),
        )
    return assessment


def _ensure_involved(case: Case, agency: Any, by: Any) -> None:
    """The agency of someone given work on a case becomes involved in it (if it is not already)."""
    if case.lead_agency_id == agency.pk or case.involvements.filter(agency=agency, ended_on__isnull=True).exists():
        return
    Involvement.objects.create(case=case, agency=agency, role="Owns actions in the plan", added_by=by)


def _check_pathway(pathway: str) -> None:
    if pathway not in Pathway.values:
        raise CaseError(f"{pathway!r} is not a pathway")


@transaction.atomic
def add_action(*, case: Case, pathway: str, description: str, owner: Any, due_on: date, by: Any) -> PlanAction:
    require_open(case)
    _check_pathway(pathway)
    if not description.strip():
        raise CaseError("describe the action")
    check_worker(owner, "the owner")
    if due_on < timezone.localdate():
        raise CaseError("the due date has already passed")
    _ensure_involved(case, owner.agency, by)
    return PlanAction.objects.create(
        case=case,
        pathway=pathway,
        description=description.strip(),
        owner=owner,
        owner_agency=owner.agency,
        due_on=due_on,
        created_by=by,
    )


@transaction.atomic
def update_action(
    *, action: PlanAction, version: int | None, by: Any, description: str, owner: Any, due_on: date
) -> PlanAction:
    require_open(action.case)
    if action.status not in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS):
        raise CaseError("only open actions can be changed; reopen it first")
    if not description.strip():
        raise CaseError("describe the action")
    check_worker(owner, "the owner")
    if due_on != action.due_on and due_on < timezone.localdate():
        raise CaseError("the new due date has already passed")
    action = claim(action, version, "action")
    _ensure_involved(action.case, owner.agency, by)
    action.description = description.strip()
    action.owner = owner
    action.owner_agency = owner.agency
    action.due_on = due_on
    action.save()
    return action


@transaction.atomic
def set_action_status(
    *, action: PlanAction, status: str, by: Any, version: int | None, outcome: str = ""
) -> PlanAction:
    require_open(action.case)
    if status not in ACTION_MOVES.get(action.status, ()):
        raise CaseError(
            f"an action that is {action.get_status_display().lower()} cannot be marked "
            f"{ActionStatus(status).label.lower() if status in ActionStatus.values else repr(status)}"
        )
    if status == ActionStatus.CANCELLED and not outcome.strip():
        raise CaseError("say why the action is cancelled")
    action = claim(action, version, "action")
    if status not in ACTION_MOVES.get(action.status, ()):  # moved on by someone else in between
        raise CaseError("the action's status has just been changed by someone else")
    action.status = status
    action.outcome = outcome.strip() or action.outcome
    action.completed_on = timezone.localdate() if status == ActionStatus.DONE else None
    action.save()
    return action


def eligibility_problems(service: Service, case: Case, on: date | None = None) -> list[str]:
    """Why the person on the case cannot use the service (empty when they can)."""
    on = on or timezone.localdate()
    person = case.person
    problems = []
    age = person.age_on(on)
    if service.min_age is not None and age < service.min_age:
        problems.append(f"the service is for people aged {service.min_age} and over (they are {age})")
    if service.max_age is not None and age > service.max_age:
        problems.append(f"the service is for people aged up to {service.max_age} (they are {age})")
    if service.gender and service.gender != person.gender:
        problems.append(f"the service is for {'men' if service.gender == 'M' else 'women'} only")
    if service.cohorts:
        current = set(case.memberships.filter(ended_on__isnull=True).values_list("cohort", flat=True))
        if not current & set(service.cohorts):
            problems.append(f"the service is for the {', '.join(service.cohort_labels())} cohort(s) only")
    return problems


@transaction.atomic
def refer_to_service(
    *, case: Case, service: Service, pathway: str, by: Any, referred_on: date | None = None, notes: str = ""
) -> Intervention:
    require_open(case)
    _check_pathway(pathway)
    if not service.is_active:
        raise CaseError(f"{service} no longer takes referrals")
    if pathway not in service.pathways:
        raise CaseError(f"{service} does not work on {Pathway(pathway).label.lower()}")
    problems = eligibility_problems(service, case, referred_on)
    if problems:
        raise CaseError("; ".join(problems))
    referred_on = referred_on or timezone.localdate()
    if referred_on > timezone.localdate():
        raise CaseError("a referral cannot be dated in the future")
    if case.interventions.filter(service=service, status__in=LIVE_INTERVENTION_STATUSES).exists():
        raise CaseError(f"there is already a live referral to {service}")
    return Intervention.objects.create(
        case=case, service=service, pathway=pathway, referred_on=referred_on, referred_by=by, notes=notes.strip()
    )


@transaction.atomic
def move_intervention(
    *,
    intervention: Intervention,
    status: str,
    by: Any,
    version: int | None,
    on: date | None = None,
    notes: str = "",
) -> Intervention:
    """Start (ongoing), or end as completed, dropped out or declined."""
    require_open(intervention.case)
    if status not in INTERVENTION_MOVES.get(intervention.status, ()):
        label = InterventionStatus(status).label.lower() if status in InterventionStatus.values else repr(status)
        raise CaseError(f"a referral that is {intervention.get_status_display().lower()} cannot become {label}")
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise CaseError("the date cannot be in the future")
    if on < intervention.referred_on:
        raise CaseError("the date cannot be before the referral")
    if intervention.started_on and on < intervention.started_on:
        raise CaseError("an intervention cannot end before it started")
    intervention = claim(intervention, version, "intervention")
    if status not in INTERVENTION_MOVES.get(intervention.status, ()):
        raise CaseError("the referral has just been changed by someone else")
    if status == InterventionStatus.ONGOING:
        intervention.started_on = on
    else:
        intervention.ended_on = on
    intervention.status = status
    if notes.strip():
        intervention.notes = f"{intervention.notes}\n{notes.strip()}".strip()
    intervention.save()
    return intervention


@transaction.atomic
def record_sessions(
    *, intervention: Intervention, offered: int, attended: int, by: Any, version: int | None
) -> Intervention:
    require_open(intervention.case)
    if intervention.status != InterventionStatus.ONGOING:
        raise CaseError("attendance is recorded while an intervention is ongoing")
    if offered < 0 or attended < 0:
        raise CaseError("sessions cannot be negative")
    if attended > offered:
        raise CaseError("more sessions attended than offered")
    intervention = claim(intervention, version, "intervention")
    intervention.sessions_offered = offered
    intervention.sessions_attended = attended
    intervention.save()
    return intervention
