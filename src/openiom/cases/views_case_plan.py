"""Forms for needs and the plan: a needs assessment over the seven pathways, plan actions, and
interventions (a referral to a service from the directory, its start and end, its sessions)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from . import plans, selectors
from .constants import Pathway
from .forms import (
    ActionEditForm,
    ActionForm,
    ActionStatusForm,
    AssessmentForm,
    InterventionMoveForm,
    ReferToServiceForm,
    SessionsForm,
    services_on,
)
from .models import Case, Intervention, PlanAction
from .views_case import load_case, posted, render_form, submit


def _needs(case: Case) -> str:
    return reverse("cases:needs", args=[case.pk])


@login_required
def record_assessment(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id, work=True)
    previous = selectors.latest_assessment(case)
    form = AssessmentForm(posted(request), previous=list(previous.needs.all()) if previous else None)
    _restrict_notes(request, case, form)
    assessment = submit(
        request,
        form,
        lambda d: plans.record_assessment(
            case=case, by=request.user, needs=form.needs(), assessed_on=d["assessed_on"], summary=d["summary"]
        ),
    )
    if assessment is not None:
        messages.success(request, f"Needs assessment of {assessment.assessed_on:%-d %B %Y} recorded.")
        return redirect("cases:needs", case_id=case.pk)
    return render_form(
        request, case, form, title="Record a needs assessment", tab="needs", submit_label="Save the assessment",
        back=_needs(case), template="cases/case/assessment.html", previous=previous,
    )  # fmt: skip


def _restrict_notes(request: HttpRequest, case: Case, form: AssessmentForm) -> None:
    """Notes on a pathway in a special category the user's agency may not write are left out of the form."""
    from openiom.sharing.constants import PATHWAY_CATEGORIES
    from openiom.sharing.policy import writable_categories

    writable = writable_categories(request.user, case)
    for pathway, category in PATHWAY_CATEGORIES.items():
        if category not in writable:
            form.fields[f"{pathway}_notes"].disabled = True  # not shown; whatever is posted is ignored


@login_required
def add_action(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id, work=True)
    pathway = request.GET.get("pathway", "")
    initial = {"owner": request.user.pk, "pathway": pathway if pathway in Pathway.values else ""}
    form = ActionForm(posted(request), initial=initial)
    action = submit(
        request,
        form,
        lambda d: plans.add_action(
            case=case,
            pathway=d["pathway"],
            description=d["description"],
            owner=d["owner"],
            due_on=d["due_on"],
            by=request.user,
        ),
    )
    if action is not None:
        messages.success(request, f"Action added for {action.owner.full_name}, due by {action.due_on:%-d %B %Y}.")
        return redirect("cases:needs", case_id=case.pk)
    return render_form(
        request, case, form, title="Add an action to the plan", tab="needs", submit_label="Add the action",
        back=_needs(case),
    )  # fmt: skip


def _action(case: Case, action_id: int) -> PlanAction:
    return get_object_or_404(PlanAction.objects.select_related("owner", "owner_agency"), pk=action_id, case=case)


def _require_readable(request: HttpRequest, action: PlanAction) -> None:
    """An action on a special-category pathway the user may not read is changed by those who may."""
    from django.core.exceptions import PermissionDenied

    from openiom.sharing.redaction import may_read_action

    if not may_read_action(request.user, action):
        raise PermissionDenied("This action's details are special-category information your agency may not read.")


def _reload_action(action: PlanAction) -> object:
    return lambda: PlanAction.objects.select_related("owner", "owner_agency").get(pk=action.pk)


@login_required
def edit_action(request: HttpRequest, case_id: int, action_id: int) -> HttpResponse:
    case = load_case(request, case_id, work=True)
    action = _action(case, action_id)
    _require_readable(request, action)
    initial = {
        "version": action.version, "description": action.description, "owner": action.owner_id, "due_on": action.due_on
    }  # fmt: skip
    form = ActionEditForm(posted(request), initial=initial)
    done = submit(
        request,
        form,
        lambda d: plans.update_action(
            action=action,
            version=d["version"],
            by=request.user,
            description=d["description"],
            owner=d["owner"],
            due_on=d["due_on"],
        ),
        _reload_action(action),
    )
    if done is not None:
        messages.success(request, "The action is saved.")
        return redirect("cases:needs", case_id=case.pk)
    return render_form(
        request, case, form, title="Change an action", tab="needs", submit_label="Save the action",
        back=_needs(case), object_rows=[("Pathway", action.get_pathway_display())], reads=(action,),
    )  # fmt: skip


@login_required
def action_status(request: HttpRequest, case_id: int, action_id: int) -> HttpResponse:
    case = load_case(request, case_id, work=True)
    action = _action(case, action_id)
    _require_readable(request, action)
    form = ActionStatusForm(posted(request), action=action, initial={"version": action.version})
    done = submit(
        request,
        form,
        lambda d: plans.set_action_status(
            action=action, status=d["status"], by=request.user, version=d["version"], outcome=d["outcome"]
        ),
        _reload_action(action),
    )
    if done is not None:
        messages.success(request, f"The action is now {done.get_status_display().lower()}.")
        return redirect("cases:needs", case_id=case.pk)
    rows = [
        ("Action", action.description),
        ("Owner", f"{action.owner.full_name}, {action.owner_agency.name}"),
        ("Due by", f"{action.due_on:%-d %B %Y}"),
        ("Status now", action.get_status_display()),
    ]
    return render_form(
        request, case, form, title="Change an action's status", tab="needs", submit_label="Save the status",
        back=_needs(case), object_rows=rows, reads=(action,),
    )  # fmt: skip


@login_required
def refer_to_service(request: HttpRequest, case_id: int) -> HttpResponse:
    """Two steps that work without JavaScript: choose the pathway (GET), then one of its services (POST)."""
    case = load_case(request, case_id, work=True)
    pathway = request.POST.get("pathway") or request.GET.get("pathway", "")
    if pathway not in Pathway.values:
        return render_form(
            request, case, None, title="Refer to a service", tab="needs", submit_label="Continue",
            back=_needs(case), template="cases/case/refer.html", pathways=Pathway.choices,
            pathway_error="step" in request.GET,
        )  # fmt: skip
    form = ReferToServiceForm(posted(request), pathway=pathway)
    intervention = submit(
        request,
        form,
        lambda d: plans.refer_to_service(
            case=case,
            service=d["service"],
            pathway=pathway,
            by=request.user,
            referred_on=d["referred_on"],
            notes=d["notes"],
        ),
    )
    if intervention is not None:
        messages.success(request, f"Referred to {intervention.service}.")
        return redirect("cases:needs", case_id=case.pk)
    return render_form(
        request, case, form, title="Refer to a service", tab="needs", submit_label="Make the referral",
        back=_needs(case), template="cases/case/refer.html", pathway=pathway,
        pathway_label=Pathway(pathway).label, has_services=services_on(pathway).exists(),
    )  # fmt: skip


def _intervention(case: Case, intervention_id: int) -> Intervention:
    return get_object_or_404(Intervention.objects.select_related("service"), pk=intervention_id, case=case)


def _intervention_rows(i: Intervention) -> list[tuple[str, str]]:
    return [
        ("Service", str(i.service)),
        ("Pathway", i.get_pathway_display()),
        ("Referred", f"{i.referred_on:%-d %B %Y}"),
        ("Status now", i.get_status_display()),
    ]


@login_required
def move_intervention(request: HttpRequest, case_id: int, intervention_id: int) -> HttpResponse:
    case = load_case(request, case_id, work=True)
    intervention = _intervention(case, intervention_id)
    form = InterventionMoveForm(posted(request), intervention=intervention, initial={"version": intervention.version})
    done = submit(
        request,
        form,
        lambda d: plans.move_intervention(
            intervention=intervention,
            status=d["status"],
            by=request.user,
            version=d["version"],
            on=d["on"],
            notes=d["notes"],
        ),
        lambda: Intervention.objects.get(pk=intervention.pk),
    )
    if done is not None:
        messages.success(request, f"The referral to {done.service} is now {done.get_status_display().lower()}.")
        return redirect("cases:needs", case_id=case.pk)
    return render_form(
        request, case, form, title="Start or end an intervention", tab="needs", submit_label="Save",
        back=_needs(case), object_rows=_intervention_rows(intervention), reads=(intervention,),
    )  # fmt: skip


@login_required
def record_sessions(request: HttpRequest, case_id: int, intervention_id: int) -> HttpResponse:
    case = load_case(request, case_id, work=True)
    intervention = _intervention(case, intervention_id)
    initial = {
        "version": intervention.version,
        "offered": intervention.sessions_offered,
        "attended": intervention.sessions_attended,
    }
    form = SessionsForm(posted(request), initial=initial)
    done = submit(
        request,
        form,
        lambda d: plans.record_sessions(
            intervention=intervention,
            offered=d["offered"],
            attended=d["attended"],
            by=request.user,
            version=d["version"],
        ),
        lambda: Intervention.objects.get(pk=intervention.pk),
    )
    if done is not None:
        messages.success(
            request, f"{done.sessions_attended} of {done.sessions_offered} sessions attended at {done.service.name}."
        )
        return redirect("cases:needs", case_id=case.pk)
    return render_form(
        request, case, form, title="Record sessions", tab="needs", submit_label="Save the sessions",
        back=_needs(case), object_rows=_intervention_rows(intervention), reads=(intervention,),
    )  # fmt: skip
