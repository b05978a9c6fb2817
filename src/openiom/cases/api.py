"""API for case management: cases, the pyramid, assessments, the plan, interventions, contacts, tasks.

Every write calls the same service function as the pages (`services.py`, `plans.py`,
`contacts.py`, `reminders.py`). A change the rules refuse, or an edit that started from a version
someone else has since changed, is a 409 with the reason. Reads are audited. Victims are never
returned: there is no victims endpoint and no shape here carries them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal, TypeVar

from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Path, Query, Router
from ninja.errors import HttpError

from openiom.accounts.constants import Capability
from openiom.accounts.models import User
from openiom.accounts.permissions import require_api_capability
from openiom.accounts.schemas import ErrorOut
from openiom.audit.constants import Purpose
from openiom.audit.services import client_address, record_accesses
from openiom.directory.models import Service
from openiom.sharing.redaction import hidden_note_pathways, shown_prompts

from . import contacts as contact_services
from . import plans, reminders, selectors, services
from .access import Access, can_work_on, can_work_on_open, case_access, full_cases, visible_cases
from .constants import Pathway
from .locking import CaseError
from .models import (
    Assessment,
    Case,
    Contact,
    Intervention,
    Involvement,
    PlanAction,
    Task,
    Tier,
    TierChange,
)
from .schemas import (
    ActionIn,
    ActionOut,
    ActionStatusIn,
    ActionUpdateIn,
    AssessmentIn,
    AssessmentOut,
    CaseDetailOut,
    CaseListOut,
    CaseOut,
    CaseSearchIn,
    CaseUpdateIn,
    ContactIn,
    ContactOut,
    ContactOutcomeIn,
    InterventionIn,
    InterventionMoveIn,
    InterventionOut,
    InvolvementOut,
    MembershipOut,
    NeedOut,
    PersonBrief,
    PromptOut,
    SessionsIn,
    TaskFinishIn,
    TaskOut,
    TierChangeIn,
    TierChangeOut,
    TierOut,
)

router = Router(tags=["cases"])
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
NOT_INVOLVED = "Your agency is not involved in this case: ask the lead professional"
T = TypeVar("T")


# ---- access, audit and refusals -------------------------------------------------------------------
def _audit(request: HttpRequest, objects: Iterable[models.Model]) -> None:
    """Log the caller's read of each record (one insert however many there are)."""
    record_accesses(user=request.user, objects=objects, purpose=Purpose.API, remote_addr=client_address(request))


def _only_query(request: HttpRequest, allowed: set[str]) -> None:
    """Refuse unknown query parameters: a misspelt filter must not quietly return everything."""
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise HttpError(422, f"Unknown query parameter: {unknown[0][:40]}. Allowed: {', '.join(sorted(allowed))}")


def _found_case(request: HttpRequest, case_id: int) -> Case:
    require_api_capability(request, Capability.CASES_VIEW)
    return get_object_or_404(
        visible_cases(request.user).select_related("person", "tier", "lead_professional", "lead_agency"), pk=case_id
    )


def _readable_case(request: HttpRequest, case_id: int) -> Case:
    """A case the caller sees in full (403 otherwise); the read is audited."""
    case = _found_case(request, case_id)
    if case_access(request.user, case) is not Access.FULL:
        raise HttpError(403, NOT_INVOLVED)
    _audit(request, [case])
    return case


def _check_workable(request: HttpRequest, case: Case) -> None:
    """The caller may record work on the case: 403 without the role or the involvement, 409 once closed."""
    require_api_capability(request, Capability.CASES_MANAGE)
    if can_work_on(request.user, case):
        return
    if not case.is_open and can_work_on_open(request.user, case):
        raise HttpError(409, "The case is closed")
    raise HttpError(403, NOT_INVOLVED)  # break-glass opens a case for reading only


def _workable_case(request: HttpRequest, case_id: int) -> Case:
    case = _found_case(request, case_id)
    _check_workable(request, case)
    return case


def _run(change: Callable[[], T]) -> T:
    """Call a service function; a refusal (or a stale version) is a 409 with the service's words."""
    try:
        return change()
    except CaseError as exc:
        message = str(exc)
        raise HttpError(409, message[:1].upper() + message[1:]) from None


def _user(user_id: int) -> Any:
    return get_object_or_404(User.objects.select_related("agency"), pk=user_id)


# ---- cases -------------------------------------------------------------------------------------------
def _current_involvements() -> Prefetch:
    return Prefetch(
        "involvements",
        queryset=Involvement.objects.filter(ended_on__isnull=True).select_related("agency", "key_worker"),
        to_attr="current_involvements",
    )


def _with_counts(cases: list[Case]) -> list[Case]:
    """A page of cases with what `_case_out` shows of each fetched for all of them at once: the
    current involvements and memberships, and the counts of `selectors.with_counts` (already on
    the cases of `selectors.case_list`; looked up here for a case fetched on its own)."""
    prefetch_related_objects(cases, _current_involvements(), "memberships")
    missing = [c for c in cases if not hasattr(c, "open_prompts")]
    if missing:
        counts = {
            pk: (prompts, overdue)
            for pk, prompts, overdue in selectors.with_counts(
                Case.objects.filter(pk__in=[c.pk for c in missing])
            ).values_list("pk", "open_prompts", "overdue_actions")  # type: ignore[misc]
        }
        for case in missing:
            case.open_prompts, case.overdue_actions = counts[case.pk]  # type: ignore[attr-defined]
    return cases


def _case_out(case: Case, full: bool, schema: type[CaseOut] = CaseOut, **extra: Any) -> Any:
    if not hasattr(case, "open_prompts"):  # one case on its own (a page of them: `_case_page`)
        _with_counts([case])
    involvements = [
        InvolvementOut(
            agency_id=i.agency_id,
            agency=i.agency.name,
            key_worker=i.key_worker.full_name if i.key_worker else None,
            role=i.role,
            started_on=i.started_on,
        )
        for i in case.current_involvements  # type: ignore[attr-defined]
    ]
    out: dict[str, Any] = {
        "id": case.pk,
        "access": "full" if full else "minimal",
        "person": PersonBrief(
            id=case.person.pk,
            given_name=case.person.given_name,
            family_name=case.person.family_name,
            date_of_birth=case.person.date_of_birth,
        ),
        "cohort": case.cohort,
        "lead_professional_id": case.lead_professional_id,
        "lead_professional": case.lead_professional.full_name,
        "lead_agency_id": case.lead_agency_id,
        "lead_agency": case.lead_agency.name,
        "agencies_involved": involvements,
    }
    if full:
        out.update(
            status=case.status,
            framework=case.framework,
            tier_level=case.tier.level,
            tier=case.tier.name,
            statutory=case.statutory,
            rosh_level=case.rosh_level,
            opened_on=case.opened_on,
            closed_on=case.closed_on,
            memberships=[
                MembershipOut(cohort=m.cohort, framework=m.framework, started_on=m.started_on, ended_on=m.ended_on)
                for m in case.memberships.all()
            ],
            open_review_prompts=case.open_prompts,  # type: ignore[attr-defined]
            overdue_actions=case.overdue_actions,  # type: ignore[attr-defined]
            version=case.version,
            **extra,
        )
    return schema(**out)


def _case_page(request: HttpRequest, cases: Any, limit: int, offset: int) -> CaseListOut:
    page = _with_counts(list(cases[offset : offset + limit]))
    full_ids = set(full_cases(request.user).filter(pk__in=[c.pk for c in page]).values_list("pk", flat=True))
    _audit(request, page)
    return CaseListOut(total=cases.count(), results=[_case_out(c, c.pk in full_ids) for c in page])


@router.get(
    "/cases",
    response={200: CaseListOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Cases the caller may find; those their agency is not involved in have the minimal fields only",
    description="Filters are never names: search by name with POST /cases/search.",
)
def list_cases(
    request: HttpRequest,
    status: Literal["open", "closed", "all"] = "open",
    tier: Annotated[int | None, Query(ge=1, le=50)] = None,
    cohort: Literal["PPO", "HCC", "DIP", "DYO"] | None = None,
    agency: Annotated[str | None, Query(min_length=1, max_length=30, pattern=r"^[a-z0-9-]+$")] = None,
    sort: Literal["tier", "name", "opened", "lead"] = "tier",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> CaseListOut:
    require_api_capability(request, Capability.CASES_VIEW)
    _only_query(request, {"status", "tier", "cohort", "agency", "sort", "limit", "offset"})
    cases = selectors.case_list(
        visible_cases(request.user),
        status=status,
        tier=str(tier) if tier else "",
        cohort=cohort or "",
        agency=agency or "",
        sort=sort,
    )
    return _case_page(request, cases, limit, offset)


@router.post(
    "/cases/search",
    response={200: CaseListOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Find cases by the person's name (a POST, so names stay out of addresses); the first 50",
)
def search_cases(request: HttpRequest, payload: CaseSearchIn) -> CaseListOut:
    require_api_capability(request, Capability.CASES_VIEW)
    cases = selectors.case_list(visible_cases(request.user), status=payload.status, query=payload.name, sort="name")
    return _case_page(request, cases, 50, 0)


def _case_detail(request: HttpRequest, case: Case) -> CaseDetailOut:
    full = case_access(request.user, case) is Access.FULL
    if not full:
        return _case_out(case, False, CaseDetailOut)
    rate = contact_services.compliance(case)
    prompts = [
        PromptOut(
            id=p.pk, kind=p.kind, reason=p.reason, raised_on=p.raised_on, status=p.status, resolution=p.resolution
        )
        for p in shown_prompts(request.user, case, case.prompts.select_related("offence"))
    ]
    return _case_out(
        case,
        True,
        CaseDetailOut,
        review_prompts=prompts,
        compliance_percent=rate.percent,
        appointments_counted=rate.counted,
    )


@router.get(
    "/cases/{case_id}",
    response={200: CaseDetailOut, **ERRORS},
    summary="A case: in full for the agencies working on it, otherwise who to contact",
)
def read_case(request: HttpRequest, case_id: Id) -> CaseDetailOut:
    case = _found_case(request, case_id)
    _audit(request, [case])
    return _case_detail(request, case)


@router.patch(
    "/cases/{case_id}",
    response={200: CaseDetailOut, **ERRORS},
    summary="Change statutory status, risk of serious harm or framework stream (name the version you read)",
)
def update_case(request: HttpRequest, case_id: Id, payload: CaseUpdateIn) -> CaseDetailOut:
    case = _workable_case(request, case_id)
    updated = _run(
        lambda: services.update_case(
            case=case,
            version=payload.version,
            by=request.user,
            statutory=case.statutory if payload.statutory is None else payload.statutory,
            rosh_level=case.rosh_level if payload.rosh_level is None else payload.rosh_level,
            framework=case.framework if payload.framework is None else payload.framework,
        )
    )
    return _case_detail(request, updated)


# ---- the pyramid -------------------------------------------------------------------------------------
@router.get("/tiers", response={200: list[TierOut], 401: ErrorOut, 403: ErrorOut}, summary="The pyramid's tiers")
def list_tiers(request: HttpRequest) -> list[TierOut]:
    require_api_capability(request, Capability.CASES_VIEW)
    return [
        TierOut(
            level=t.level,
            name=t.name,
            description=t.description,
            is_active=t.is_active,
            quiet_days=t.quiet_days,
            min_compliance=t.min_compliance,
        )
        for t in Tier.objects.order_by("level")
    ]


def _tier_change_out(change: TierChange, case_version: int) -> TierChangeOut:
    return TierChangeOut(
        id=change.pk,
        case_id=change.case_id,
        from_level=change.from_tier.level if change.from_tier else None,
        to_level=change.to_tier.level,
        to_tier=change.to_tier.name,
        direction=change.direction,
        reason=change.reason,
        by=change.by.full_name if change.by else None,
        at=change.at,
        case_version=case_version,
    )


@router.get(
    "/cases/{case_id}/tier-changes", response={200: list[TierChangeOut], **ERRORS}, summary="Moves in the pyramid"
)
def list_tier_changes(request: HttpRequest, case_id: Id) -> list[TierChangeOut]:
    case = _readable_case(request, case_id)
    changes = list(case.tier_changes.select_related("from_tier", "to_tier", "by"))
    _audit(request, changes)
    return [_tier_change_out(c, case.version) for c in changes]


@router.post(
    "/cases/{case_id}/tier",
    response={201: TierChangeOut, **ERRORS},
    summary="Move the case up or down the pyramid, with the reason (resolves the review prompts it answers)",
)
def change_tier(request: HttpRequest, case_id: Id, payload: TierChangeIn) -> tuple[int, TierChangeOut]:
    case = _workable_case(request, case_id)
    tier = get_object_or_404(Tier, level=payload.tier_level)
    change = _run(
        lambda: services.change_tier(
            case=case, tier=tier, by=request.user, reason=payload.reason, version=payload.version
        )
    )
    return 201, _tier_change_out(change, Case.objects.values_list("version", flat=True).get(pk=case.pk))


# ---- assessments -------------------------------------------------------------------------------------
def _assessment_out(a: Assessment, hidden: set[str]) -> AssessmentOut:
    """`hidden`: pathways whose notes the reader may not see (a special category); their level stays."""
    return AssessmentOut(
        id=a.pk,
        case_id=a.case_id,
        assessed_on=a.assessed_on,
        by=a.by.full_name,
        agency=a.agency.name,
        summary=a.summary,
        needs=[
            NeedOut(
                pathway=n.pathway,
                level=n.level,
                linked_to_offending=n.linked_to_offending,
                notes="" if n.pathway in hidden else n.notes,
                notes_withheld=n.pathway in hidden and bool(n.notes),
            )
            for n in a.needs.order_by("pk")
        ],
    )


@router.get(
    "/cases/{case_id}/assessments",
    response={200: list[AssessmentOut], **ERRORS},
    summary="Needs assessments over the seven pathways, newest first",
)
def list_assessments(request: HttpRequest, case_id: Id) -> list[AssessmentOut]:
    case = _readable_case(request, case_id)
    found = list(case.assessments.select_related("by", "agency"))
    _audit(request, found)
    hidden = hidden_note_pathways(request.user, case)
    return [_assessment_out(a, hidden) for a in found]


@router.post(
    "/cases/{case_id}/assessments",
    response={201: AssessmentOut, **ERRORS},
    summary="Record a needs assessment or reassessment: a level for each of the seven pathways",
)
def create_assessment(request: HttpRequest, case_id: Id, payload: AssessmentIn) -> tuple[int, AssessmentOut]:
    case = _workable_case(request, case_id)
    needs = {
        pathway: plans.NeedInput(level=n.level, linked_to_offending=n.linked_to_offending, notes=n.notes)
        for pathway in Pathway.values
        for n in [getattr(payload.needs, pathway)]
    }
    assessment = _run(
        lambda: plans.record_assessment(
            case=case, by=request.user, needs=needs, assessed_on=payload.assessed_on, summary=payload.summary
        )
    )
    return 201, _assessment_out(assessment, hidden_note_pathways(request.user, case))


# ---- plan actions ------------------------------------------------------------------------------------
def _action_out(a: PlanAction) -> ActionOut:
    return ActionOut(
        id=a.pk,
        case_id=a.case_id,
        pathway=a.pathway,
        description=a.description,
        owner_id=a.owner_id,
        owner=a.owner.full_name,
        owner_agency=a.owner_agency.name,
        due_on=a.due_on,
        status=a.status,
        overdue=a.is_overdue(),
        outcome=a.outcome,
        completed_on=a.completed_on,
        version=a.version,
    )


def _workable_action(request: HttpRequest, action_id: int) -> PlanAction:
    require_api_capability(request, Capability.CASES_MANAGE)
    action = get_object_or_404(PlanAction.objects.select_related("case", "owner", "owner_agency"), pk=action_id)
    _check_workable(request, action.case)
    from openiom.sharing.redaction import may_read_action

    if not may_read_action(request.user, action):
        raise HttpError(403, "This action's details are special-category information your agency may not read")
    return action


@router.get("/cases/{case_id}/actions", response={200: list[ActionOut], **ERRORS}, summary="The case's action plan")
def list_actions(request: HttpRequest, case_id: Id) -> list[ActionOut]:
    case = _readable_case(request, case_id)
    found = list(case.actions.select_related("owner", "owner_agency"))
    _audit(request, found)
    from openiom.sharing.redaction import shown_actions

    return [_action_out(a) for a in shown_actions(request.user, found)]


@router.post(
    "/cases/{case_id}/actions",
    response={201: ActionOut, **ERRORS},
    summary="Add an action to the plan (the owner's agency becomes involved in the case)",
)
def create_action(request: HttpRequest, case_id: Id, payload: ActionIn) -> tuple[int, ActionOut]:
    case = _workable_case(request, case_id)
    owner = _user(payload.owner_id)
    action = _run(
        lambda: plans.add_action(
            case=case,
            pathway=payload.pathway,
            description=payload.description,
            owner=owner,
            due_on=payload.due_on,
            by=request.user,
        )
    )
    return 201, _action_out(action)


@router.patch(
    "/actions/{action_id}",
    response={200: ActionOut, **ERRORS},
    summary="Change an open action's description, owner or due date (name the version you read)",
)
def update_action(request: HttpRequest, action_id: Id, payload: ActionUpdateIn) -> ActionOut:
    action = _workable_action(request, action_id)
    owner = _user(payload.owner_id) if payload.owner_id is not None else action.owner
    updated = _run(
        lambda: plans.update_action(
            action=action,
            version=payload.version,
            by=request.user,
            description=payload.description if payload.description is not None else action.description,
            owner=owner,
            due_on=payload.due_on if payload.due_on is not None else action.due_on,
        )
    )
    return _action_out(updated)


@router.post(
    "/actions/{action_id}/status",
    response={200: ActionOut, **ERRORS},
    summary="Start, finish, cancel (with the reason) or reopen an action",
)
def action_status(request: HttpRequest, action_id: Id, payload: ActionStatusIn) -> ActionOut:
    action = _workable_action(request, action_id)
    updated = _run(
        lambda: plans.set_action_status(
            action=action, status=payload.status, by=request.user, version=payload.version, outcome=payload.outcome
        )
    )
    return _action_out(updated)


# ---- interventions -----------------------------------------------------------------------------------
def _intervention_out(i: Intervention, user: Any) -> InterventionOut:
    """Notes on an intervention for a special-category pathway (health, drugs) only for those who may read it."""
    hidden = i.pathway in hidden_note_pathways(user, i.case)
    return InterventionOut(
        id=i.pk,
        case_id=i.case_id,
        service_id=i.service_id,
        service=str(i.service),
        pathway=i.pathway,
        status=i.status,
        referred_on=i.referred_on,
        referred_by=i.referred_by.full_name,
        started_on=i.started_on,
        ended_on=i.ended_on,
        sessions_offered=i.sessions_offered,
        sessions_attended=i.sessions_attended,
        notes="" if hidden else i.notes,
        notes_withheld=hidden and bool(i.notes),
        version=i.version,
    )


def _workable_intervention(request: HttpRequest, intervention_id: int) -> Intervention:
    require_api_capability(request, Capability.CASES_MANAGE)
    found = get_object_or_404(Intervention.objects.select_related("case", "service", "referred_by"), pk=intervention_id)
    _check_workable(request, found.case)
    return found


@router.get(
    "/cases/{case_id}/interventions",
    response={200: list[InterventionOut], **ERRORS},
    summary="Referrals to services and what came of them",
)
def list_interventions(request: HttpRequest, case_id: Id) -> list[InterventionOut]:
    case = _readable_case(request, case_id)
    found = list(case.interventions.select_related("service", "referred_by"))
    _audit(request, found)
    return [_intervention_out(i, request.user) for i in found]


@router.post(
    "/cases/{case_id}/interventions",
    response={201: InterventionOut, **ERRORS},
    summary="Refer the person to a service in the directory (its pathways and eligibility are checked)",
)
def create_intervention(request: HttpRequest, case_id: Id, payload: InterventionIn) -> tuple[int, InterventionOut]:
    case = _workable_case(request, case_id)
    service = get_object_or_404(Service, pk=payload.service_id)
    intervention = _run(
        lambda: plans.refer_to_service(
            case=case,
            service=service,
            pathway=payload.pathway,
            by=request.user,
            referred_on=payload.referred_on,
            notes=payload.notes,
        )
    )
    return 201, _intervention_out(intervention, request.user)


@router.post(
    "/interventions/{intervention_id}/move",
    response={200: InterventionOut, **ERRORS},
    summary="Start a referral (ongoing), or end it as completed, dropped out or declined",
)
def move_intervention(request: HttpRequest, intervention_id: Id, payload: InterventionMoveIn) -> InterventionOut:
    found = _workable_intervention(request, intervention_id)
    moved = _run(
        lambda: plans.move_intervention(
            intervention=found,
            status=payload.status,
            by=request.user,
            version=payload.version,
            on=payload.on,
            notes=payload.notes,
        )
    )
    return _intervention_out(moved, request.user)


@router.post(
    "/interventions/{intervention_id}/sessions",
    response={200: InterventionOut, **ERRORS},
    summary="Record the sessions offered and attended of an ongoing intervention",
)
def intervention_sessions(request: HttpRequest, intervention_id: Id, payload: SessionsIn) -> InterventionOut:
    found = _workable_intervention(request, intervention_id)
    updated = _run(
        lambda: plans.record_sessions(
            intervention=found,
            offered=payload.offered,
            attended=payload.attended,
            by=request.user,
            version=payload.version,
        )
    )
    return _intervention_out(updated, request.user)


# ---- contacts ----------------------------------------------------------------------------------------
def _contact_out(c: Contact) -> ContactOut:
    return ContactOut(
        id=c.pk,
        case_id=c.case_id,
        agency=c.agency.name,
        by=c.by.full_name,
        kind=c.kind,
        scheduled_at=c.scheduled_at,
        outcome=c.outcome,
        outcome_recorded_at=c.outcome_recorded_at,
        notes=c.notes,
        version=c.version,
    )


@router.get(
    "/cases/{case_id}/contacts",
    response={200: list[ContactOut], **ERRORS},
    summary="Appointments and contacts, newest first",
)
def list_contacts(
    request: HttpRequest,
    case_id: Id,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[ContactOut]:
    case = _readable_case(request, case_id)
    _only_query(request, {"limit", "offset"})
    found = list(case.contacts.select_related("agency", "by")[offset : offset + limit])
    _audit(request, found)
    from openiom.sharing.redaction import shown_contacts

    return [_contact_out(c) for c in shown_contacts(request.user, case, found)]


@router.post(
    "/cases/{case_id}/contacts",
    response={201: ContactOut, **ERRORS},
    summary="Book an appointment (outcome scheduled) or record a contact that has happened",
    description="A time without an offset is read as UK local time.",
)
def create_contact(request: HttpRequest, case_id: Id, payload: ContactIn) -> tuple[int, ContactOut]:
    case = _workable_case(request, case_id)
    at = payload.scheduled_at
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    contact = _run(
        lambda: contact_services.add_contact(
            case=case, kind=payload.kind, scheduled_at=at, by=request.user, outcome=payload.outcome, notes=payload.notes
        )
    )
    return 201, _contact_out(contact)


@router.post(
    "/contacts/{contact_id}/outcome",
    response={200: ContactOut, **ERRORS},
    summary="Record whether the person kept the appointment (attended, late, missed or excused)",
)
def contact_outcome(request: HttpRequest, contact_id: Id, payload: ContactOutcomeIn) -> ContactOut:
    require_api_capability(request, Capability.CASES_MANAGE)
    contact = get_object_or_404(Contact.objects.select_related("case", "agency", "by"), pk=contact_id)
    _check_workable(request, contact.case)
    updated = _run(
        lambda: contact_services.record_outcome(
            contact=contact, outcome=payload.outcome, by=request.user, version=payload.version, notes=payload.notes
        )
    )
    return _contact_out(updated)


# ---- tasks -------------------------------------------------------------------------------------------
def _task_out(t: Task) -> TaskOut:
    return TaskOut(
        id=t.pk,
        case_id=t.case_id,
        kind=t.kind,
        pathway=t.pathway,
        title=t.title,
        agency_id=t.agency_id,
        agency=t.agency.name,
        due_on=t.due_on,
        status=t.status,
        overdue=t.status == "open" and t.due_on < timezone.localdate(),
        done_by=t.done_by.full_name if t.done_by else None,
        done_at=t.done_at,
        note=t.note,
        version=t.version,
    )


@router.get(
    "/cases/{case_id}/tasks",
    response={200: list[TaskOut], **ERRORS},
    summary="Transition and through-the-gate tasks the system raised",
)
def list_tasks(request: HttpRequest, case_id: Id) -> list[TaskOut]:
    case = _readable_case(request, case_id)
    found = list(case.tasks.select_related("agency", "done_by"))
    _audit(request, found)
    return [_task_out(t) for t in found]


@router.post(
    "/tasks/{task_id}/finish",
    response={200: TaskOut, **ERRORS},
    summary="Mark a task done, or cancelled with the reason (by its agency or the lead agency)",
)
def finish_task(request: HttpRequest, task_id: Id, payload: TaskFinishIn) -> TaskOut:
    require_api_capability(request, Capability.CASES_MANAGE)
    task = get_object_or_404(Task.objects.select_related("case", "agency"), pk=task_id)
    _check_workable(request, task.case)
    finished = _run(
        lambda: reminders.finish_task(
            task=task, status=payload.status, by=request.user, version=payload.version, note=payload.note
        )
    )
    return _task_out(finished)
