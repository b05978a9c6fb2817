"""A meeting's minutes: drafted from the record, edited (with a version against lost edits), approved by
the chair, downloaded as PDF and circulated."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openiom.accounts.constants import Capability
from openiom.accounts.permissions import require_capability

from . import selectors
from .circulation import circulate_minutes
from .constants import CirculationKind, MinutesStatus
from .documents import minutes_pdf
from .forms import MinutesForm
from .models import Meeting
from .pages import audit_reads, can_chair, can_manage, can_view, pdf_response, sentence
from .papers import draft_minutes
from .services import PanelError, StaleEdit, approve_minutes, save_minutes
from .views_meeting import meeting_context

STALE = (
    "Someone else changed the minutes since you opened them. Your text is kept below and theirs is shown "
    "under it: copy in anything of theirs you need, then save again."
)


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@can_view
def minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting(meeting_id)
    audit_reads(request, meeting.items.all())  # the minutes name the people discussed
    theirs = None
    if request.method == "POST":
        require_capability(request, Capability.PANELS_MANAGE)
        form = MinutesForm(request.POST)
        if form.is_valid():
            try:
                save_minutes(
                    meeting=meeting,
                    text=form.cleaned_data["text"],
                    by=request.user,
                    version=form.cleaned_data["version"],
                )
            except StaleEdit:
                meeting.refresh_from_db()
                theirs = meeting.minutes_text
                data = request.POST.copy()
                data["version"] = str(meeting.version)  # saving again, knowingly, replaces their text
                form = MinutesForm(data)
                form.is_valid()
                form.add_error(None, STALE)
            except PanelError as exc:
                form.add_error(None, sentence(str(exc)))
            else:
                messages.success(request, "The minutes have been saved as a draft.")
                return redirect("panels:minutes", meeting_id=meeting.pk)
    else:
        form = MinutesForm(initial={"text": meeting.minutes_text, "version": meeting.version})
    context = meeting_context(request, meeting, "minutes") | {
        "page_title": f"Minutes: {meeting}",
        "form": form,
        "theirs": theirs,
        "can_approve": request.user.has_perm("openiom.panels_chair"),
        "circulations": meeting.circulations.filter(kind=CirculationKind.MINUTES).select_related("sent_by"),
        "approved": meeting.minutes_status == MinutesStatus.APPROVED,
    }
    return render(request, "panels/minutes.html", context)


@can_manage
@require_POST
def minutes_draft(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    try:
        save_minutes(meeting=meeting, text=draft_minutes(meeting), by=request.user, version=_version(request))
    except StaleEdit:
        messages.error(request, "Someone else changed the minutes since you opened the page: nothing was replaced.")
    except PanelError as exc:
        messages.error(request, sentence(str(exc)))
    else:
        messages.success(
            request,
            "The minutes have been drafted from the meeting's record. Check and complete them, then ask the chair "
            "to approve them.",
        )
    return redirect("panels:minutes", meeting_id=meeting.pk)


@can_chair
@require_POST
def minutes_approve(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    try:
        approve_minutes(meeting=meeting, by=request.user, version=_version(request))
    except StaleEdit:
        messages.error(
            request, "Someone changed the minutes since you opened the page: read them again before approving."
        )
    except PanelError as exc:
        messages.error(request, sentence(str(exc)))
    else:
        messages.success(request, "You have approved the minutes. They can now be circulated.")
    return redirect("panels:minutes", meeting_id=meeting.pk)


@can_view
def minutes_download(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting(meeting_id)
    audit_reads(request, meeting.items.all())
    return pdf_response(minutes_pdf(meeting), f"minutes-{meeting.panel.code}-{meeting.date:%Y-%m-%d}.pdf")


@can_manage
@require_POST
def minutes_circulate(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    try:
        sent = circulate_minutes(meeting=meeting, by=request.user)
    except PanelError as exc:
        messages.error(request, sentence(str(exc)))
    else:
        meeting.refresh_from_db()
        late = " They went after the due date, so they are marked late." if meeting.minutes_late else ""
        messages.success(request, f"The minutes were sent to {len(sent.recipients)} people by secure e-mail.{late}")
    return redirect("panels:minutes", meeting_id=meeting.pk)
