"""The Panels section: panels and their terms of reference, the meetings calendar, scheduling, "My actions".

The meeting pages are in `views_meeting.py` and `views_minutes.py`; referrals in `views_referrals.py`.
URLs carry ids only.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from openiom.accounts.constants import Capability

from . import selectors
from .forms import MeetingForm, MemberForm, SeriesForm, TermsForm
from .ical import meetings_ical
from .models import ActionPoint, Panel, PanelMember
from .pages import audit_reads, can_edit_terms, can_manage, can_view, safe_next, sentence
from .services import PanelError, StaleEdit, schedule_meeting, schedule_series, set_action_status
from .terms import add_member, remove_member, save_terms

VOTING = "A simple majority of the organisations present; the chair, or the acting chair, has a casting vote."


@can_view
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "panels/index.html",
        {
            "page_title": "Panels",
            "panels": selectors.active_panels(),
            "upcoming": selectors.upcoming_meetings(),
            "recent": selectors.recent_meetings(),
            "voting": VOTING,
        },
    )


@can_view
def calendar(request: HttpRequest) -> HttpResponse:
    text = meetings_ical(selectors.calendar_meetings(), host=request.get_host().split(":")[0] or "openiom")
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="panel-meetings.ics"'
    return response


# ---- terms of reference and members ----------------------------------------------------------------
@can_edit_terms
def terms_list(request: HttpRequest) -> HttpResponse:
    panels = Panel.objects.select_related("chair_agency").prefetch_related("members").order_by("name")
    return render(request, "panels/terms_list.html", {"page_title": "Panels' terms of reference", "panels": panels})


@can_edit_terms
def terms_edit(request: HttpRequest, panel_id: int) -> HttpResponse:
    panel = get_object_or_404(Panel, pk=panel_id)
    form = TermsForm(request.POST if request.method == "POST" else None, instance=panel)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_terms(panel=panel, changes=form.cleaned_data, by=request.user)
        except PanelError as exc:
            form.add_error(None, sentence(str(exc)))
        else:
            messages.success(request, f"The terms of reference of the {saved.name} have been saved.")
            return redirect("panels:terms")
    panel.refresh_from_db()  # the form changed the instance in memory; show the stored name
    return render(
        request,
        "panels/terms_edit.html",
        {"page_title": f"Terms of reference of the {panel.name}", "panel": panel, "form": form},
    )


@can_edit_terms
def members(request: HttpRequest, panel_id: int) -> HttpResponse:
    panel = get_object_or_404(Panel, pk=panel_id)
    form = MemberForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            member = add_member(panel=panel, by=request.user, **form.cleaned_data)
        except PanelError as exc:
            form.add_error(None, sentence(str(exc)))
        else:
            messages.success(request, f"{member.post} ({member.agency.name}) has been added to the {panel.name}.")
            return redirect("panels:members", panel_id=panel.pk)
    return render(
        request,
        "panels/members.html",
        {
            "page_title": f"Members of the {panel.name}",
            "panel": panel,
            "members": panel.members.select_related("agency", "user"),
            "form": form,
        },
    )


@can_edit_terms
@require_POST
def member_remove(request: HttpRequest, member_id: int) -> HttpResponse:
    member = get_object_or_404(PanelMember.objects.select_related("panel", "agency"), pk=member_id)
    remove_member(member=member, by=request.user)
    messages.success(request, f"{member.post} ({member.agency.name}) is no longer a member of the {member.panel.name}.")
    return redirect("panels:members", panel_id=member.panel_id)


# ---- scheduling ------------------------------------------------------------------------------------
@can_manage
def schedule_series_view(request: HttpRequest, panel_id: int) -> HttpResponse:
    panel = get_object_or_404(Panel, pk=panel_id)
    form = SeriesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            made = schedule_series(
                panel=panel, first_month=form.first_day(), months=form.cleaned_data["months"], by=request.user
            )
        except PanelError as exc:
            form.add_error(None, sentence(str(exc)))
        else:
            if made:
                messages.success(
                    request,
                    f"{len(made)} meeting{'s' if len(made) != 1 else ''} of the {panel.name} scheduled, from "
                    f"{made[0].date:%-d %B %Y} to {made[-1].date:%-d %B %Y}.",
                )
            else:
                messages.info(request, "No meetings were added: every month chosen already has its meeting or is past.")
            return redirect("panels:index")
    return render(
        request,
        "panels/schedule_series.html",
        {"page_title": f"Schedule meetings of the {panel.name}", "panel": panel, "form": form},
    )


@can_manage
def schedule_meeting_view(request: HttpRequest, panel_id: int) -> HttpResponse:
    panel = get_object_or_404(Panel, pk=panel_id)
    form = MeetingForm(request.POST if request.method == "POST" else None, panel=panel)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = schedule_meeting(
                panel=panel, day=d["day"], by=request.user, start_time=d["start_time"], location=d["location"]
            )
        except PanelError as exc:
            form.add_error(None, sentence(str(exc)))
        else:
            messages.success(
                request,
                f"The {panel.name} meets on {meeting.date:%A %-d %B %Y}. Referrals are due by "
                f"{meeting.referral_deadline:%-d %B %Y} and the papers by {meeting.papers_due:%-d %B %Y}.",
            )
            return redirect("panels:meeting", meeting_id=meeting.pk)
    return render(
        request,
        "panels/schedule_meeting.html",
        {"page_title": f"Schedule one meeting of the {panel.name}", "panel": panel, "form": form},
    )


# ---- my actions ------------------------------------------------------------------------------------
@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    actions = list(selectors.open_actions_for(request.user))
    audit_reads(request, actions)
    return render(
        request,
        "panels/my_actions.html",
        {
            "page_title": "My actions",
            "actions": actions,
            "overdue": sum(1 for a in actions if a.is_overdue),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def action_done(request: HttpRequest, action_id: int) -> HttpResponse:
    """The owner, or a co-ordinator, marks an action done."""
    action = get_object_or_404(ActionPoint, pk=action_id)
    if action.owner_id != request.user.pk and not request.user.has_capability(Capability.PANELS_MANAGE):  # type: ignore[union-attr]
        raise PermissionDenied
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        set_action_status(action=action, status="done", by=request.user, version=version)
    except StaleEdit:
        messages.error(request, "Someone else changed this action since you opened the page: check it and try again.")
    except PanelError as exc:
        messages.error(request, sentence(str(exc)))
    else:
        messages.success(request, "The action is marked as done.")
    return redirect(safe_next(request, reverse("panels:my-actions")))
