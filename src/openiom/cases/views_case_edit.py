"""Forms that change the case itself: its service level and reviews, details, lead professional,
the agencies involved and its cohorts. Each parses the form, calls one service function and
redirects with a notification; a refusal shows the form again with the reason and what was typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from . import services
from .constants import PromptStatus
from .forms import (
    CaseDetailsForm,
    EndInvolvementForm,
    EndMembershipForm,
    InvolvementForm,
    LeadForm,
    MembershipForm,
    ReviewForm,
    TierForm,
)
from .models import Case, CohortMembership, Involvement, ReviewPrompt
from .views_case import load_case, posted, render_form, shown_prompts, submit


def _overview(case: Case) -> str:
    return reverse("cases:case", args=[case.pk])


def _reload(case: Case) -> object:
    return lambda: Case.objects.select_related("tier", "lead_professional", "lead_agency").get(pk=case.pk)


@login_required
def change_tier(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id, work=True)
    form = TierForm(posted(request), case=case, initial={"version": case.version})
    change = submit(
        request,
        form,
        lambda d: services.change_tier(
            case=case, tier=d["tier"], by=request.user, reason=d["reason"], version=d["version"]
        ),
        _reload(case),
    )
    if change is not None:
        messages.success(request, f"{change.direction.capitalize()} from {change.from_tier} to {change.to_tier}.")
        return redirect("cases:case", case_id=case.pk)
    return render_form(
        request, case, form, title="Change the service level", tab="overview", submit_label="Move the case",
        back=_overview(case), intro_template="cases/case/_tier_intro.html",
        prompts=shown_prompts(request, case, list(_open_prompts(case))),
    )  # fmt: skip


def _open_prompts(case: Case) -> Any:
    return case.prompts.filter(status=PromptStatus.OPEN).select_related("offence")


@login_required
def review_prompt(request: HttpRequest, case_id: int, prompt_id: int) -> HttpResponse:
    case = load_case(request, case_id, work=True)
    prompt = get_object_or_404(ReviewPrompt, pk=prompt_id, case=case)
    form = ReviewForm(posted(request))
    done = submit(
        request, form, lambda d: services.resolve_prompt(prompt=prompt, by=request.user, resolution=d["resolution"])
    )
    if done is not None:
        messages.success(request, f"{prompt.get_kind_display()} recorded: no move needed.")
        return redirect("cases:case", case_id=case.pk)
    return render_form(
        request, case, form, title=f"Record the {prompt.get_kind_display().lower()}", tab="overview",
        submit_label="Record the review", back=_overview(case), intro_template="cases/case/_prompt.html",
        prompt=shown_prompts(request, case, [prompt])[0], reads=(prompt,),
    )  # fmt: skip


@login_required
def edit_details(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id, work=True)
    initial = {
        "version": case.version,
        "statutory": "yes" if case.statutory else "no",
        "rosh_level": case.rosh_level,
        "framework": case.framework,
    }
    form = CaseDetailsForm(posted(request), initial=initial)
    done = submit(
        request,
        form,
        lambda d: services.update_case(
            case=case,
            version=d["version"],
            by=request.user,
            statutory=d["statutory"],
            rosh_level=d["rosh_level"],
            framework=d["framework"],
        ),
        _reload(case),
    )
    if done is not None:
        messages.success(request, "The case details are saved.")
        return redirect("cases:case", case_id=case.pk)
    return render_form(
        request, case, form, title="Change the case details", tab="overview", submit_label="Save the details",
        back=_overview(case),
    )  # fmt: skip


@login_required
def change_lead(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id, work=True)
    form = LeadForm(posted(request), initial={"version": case.version})
    done = submit(
        request,
        form,
        lambda d: services.change_lead_professional(
            case=case, lead=d["lead"], by=request.user, reason=d["reason"], version=d["version"]
        ),
        _reload(case),
    )
    if done is not None:
        messages.success(
            request, f"{done.lead_professional.full_name} of {done.lead_agency.name} is now the lead professional."
        )
        return redirect("cases:case", case_id=case.pk)
    return render_form(
        request, case, form, title="Change the lead professional", tab="overview",
        submit_label="Change the lead professional", back=_overview(case),
    )  # fmt: skip


@login_required
def add_involvement(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id, work=True)
    form = InvolvementForm(posted(request))
    involvement = submit(
        request,
        form,
        lambda d: services.add_involvement(
            case=case, agency=d["agency"], by=request.user, key_worker=d["key_worker"], role=d["role"]
        ),
    )
    if involvement is not None:
        worker = f", key worker {involvement.key_worker.full_name}" if involvement.key_worker else ""
        messages.success(request, f"{involvement.agency.name} is involved in the case{worker}.")
        return redirect("cases:case", case_id=case.pk)
    return render_form(
        request, case, form, title="Add an organisation to the case", tab="overview",
        submit_label="Add the organisation", back=_overview(case),
    )  # fmt: skip


@login_required
def end_involvement(request: HttpRequest, case_id: int, involvement_id: int) -> HttpResponse:
    case = load_case(request, case_id, work=True)
    involvement = get_object_or_404(Involvement.objects.select_related("agency"), pk=involvement_id, case=case)
    form = EndInvolvementForm(posted(request))
    done = submit(
        request,
        form,
        lambda d: services.end_involvement(involvement=involvement, by=request.user, ended_on=d["ended_on"]),
    )
    if done is not None:
        messages.success(request, f"{involvement.agency.name} is no longer involved in the case.")
        return redirect("cases:case", case_id=case.pk)
    return render_form(
        request, case, form, title=f"End {involvement.agency.name}'s involvement", tab="overview",
        submit_label="End the involvement", back=_overview(case),
    )  # fmt: skip


@login_required
def add_membership(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id, work=True)
    form = MembershipForm(posted(request))
    membership = submit(
        request,
        form,
        lambda d: services.add_membership(
            case=case, cohort=d["cohort"], by=request.user, framework=d["framework"], started_on=d["started_on"]
        ),
    )
    if membership is not None:
        messages.success(request, f"The case is in the {membership.get_cohort_display()} cohort.")
        return redirect("cases:case", case_id=case.pk)
    return render_form(
        request, case, form, title="Add a cohort", tab="overview", submit_label="Add the cohort", back=_overview(case)
    )


@login_required
def end_membership(request: HttpRequest, case_id: int, membership_id: int) -> HttpResponse:
    case = load_case(request, case_id, work=True)
    membership = get_object_or_404(CohortMembership, pk=membership_id, case=case)
    form = EndMembershipForm(posted(request))
    done = submit(
        request,
        form,
        lambda d: services.end_membership(
            membership=membership, by=request.user, reason=d["reason"], ended_on=d["ended_on"]
        ),
    )
    if done is not None:
        messages.success(request, f"The case has left the {membership.get_cohort_display()} cohort.")
        return redirect("cases:case", case_id=case.pk)
    return render_form(
        request, case, form, title=f"End membership of the {membership.get_cohort_display()} cohort",
        tab="overview", submit_label="End the membership", back=_overview(case),
    )  # fmt: skip
