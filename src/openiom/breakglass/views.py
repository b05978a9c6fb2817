"""Pages: ask for break-glass access to a case; one's own grants and ending one early; the report
of grants and their review."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from openiom.accounts.constants import Capability
from openiom.accounts.permissions import capability_required
from openiom.audit.constants import Purpose
from openiom.audit.services import client_address, record_access
from openiom.cases.models import Case

from .forms import AskForm, ReviewForm
from .models import Grant
from .selectors import grants_for_report, grants_of
from .services import (
    BreakGlassError,
    active_grant,
    ask_for_access,
    can_review,
    end_grant,
    may_ask,
    may_end,
    review_grant,
)


@capability_required(Capability.CASES_VIEW)
def ask(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(Case, pk=case_id)
    case_url = reverse("cases:case", args=[case.pk])
    if active_grant(request.user, case.pk) is not None:
        messages.info(request, "You already have full access to this case.")
        return redirect(case_url)
    if not may_ask(request.user, case):
        raise PermissionDenied
    form = AskForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = ask_for_access(user=request.user, case=case, reason=form.cleaned_data["reason"])
        except BreakGlassError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"You have full access to this case until {grant.expires_at:%H:%M on %d %B %Y}. "
                "The IOM co-ordinator has been told. End it early from ‘Your break-glass access’ on your account page.",
            )
            return redirect(case_url)
    return render(
        request,
        "breakglass/ask.html",
        {
            "page_title": "Ask for full access to this case",
            "case": case,
            "form": form,
            "back_url": case_url,
            "hours": settings.BREAK_GLASS_HOURS,
        },
    )


@login_required
def report(request: HttpRequest) -> HttpResponse:
    grants = grants_for_report(request.user)
    status = request.GET.get("status", "")
    if status == "awaiting":
        grants = grants.awaiting_review()
    page = Paginator(grants, 50).get_page(request.GET.get("page"))
    for grant in page.object_list:
        record_access(user=request.user, obj=grant, purpose=Purpose.ADMINISTRATION, remote_addr=client_address(request))
    return render(
        request,
        "breakglass/report.html",
        {"page_title": "Break-glass access", "page_obj": page, "grants": page.object_list, "status": status},
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own grants, the active ones first, each with a button to end it."""
    grants = list(grants_of(request.user))
    for grant in grants:
        record_access(user=request.user, obj=grant, purpose=Purpose.BREAK_GLASS, remote_addr=client_address(request))
    return render(
        request,
        "breakglass/mine.html",
        {
            "page_title": "Your break-glass access",
            "active": [g for g in grants if g.is_active],
            "ended": [g for g in grants if not g.is_active],
        },
    )


@login_required
@require_POST
def end(request: HttpRequest, grant_id: int) -> HttpResponse:
    """End a grant now: its holder, or a reviewer (403 for anyone else)."""
    grant = get_object_or_404(Grant, pk=grant_id)
    if not may_end(request.user, grant):
        raise PermissionDenied
    try:
        grant = end_grant(grant=grant, by=request.user)
    except BreakGlassError as exc:
        messages.info(request, f"{exc}.")
    else:
        messages.success(request, f"Full access to IOM case {grant.case_id} has ended (grant {grant.pk}).")
    if grant.user_id == request.user.pk:
        return redirect("breakglass:mine")
    return redirect("breakglass:grant", grant_id=grant.pk)


@login_required
def grant_detail(request: HttpRequest, grant_id: int) -> HttpResponse:
    """A grant in full, with the review form: for the reviewers only (holders see theirs on `mine`)."""
    if not can_review(request.user):
        raise PermissionDenied
    grant = get_object_or_404(
        Grant.objects.select_related("user__agency", "case", "reviewed_by", "ended_by"), pk=grant_id
    )
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            review_grant(
                grant=grant, by=request.user, outcome=form.cleaned_data["outcome"], notes=form.cleaned_data["notes"]
            )
        except BreakGlassError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Grant {grant.pk} has been reviewed.")
            return redirect("breakglass:report")
    record_access(user=request.user, obj=grant, purpose=Purpose.ADMINISTRATION, remote_addr=client_address(request))
    return render(
        request,
        "breakglass/grant.html",
        {
            "page_title": f"Break-glass grant {grant.pk}",
            "grant": grant,
            "form": form,
            "can_review_this": grant.reviewed_at is None and grant.user_id != request.user.pk,
            "can_end": grant.is_active,
        },
    )
