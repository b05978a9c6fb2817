"""A meeting: its deadlines, agenda and papers; attendance and quorum; a decision on each item; actions.

Everyone with the panels capability sees these pages; co-ordinators and chairs act on them.
The attendance form is enhanced by htmx (the quorum panel updates in place) and works without it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openiom.accounts.constants import Capability
from openiom.accounts.models import Agency
from openiom.accounts.permissions import require_capability

from . import selectors
from .circulation import circulate_papers
from .constants import MeetingStatus, Outcome
from .documents import papers_pack
from .forms import ActionForm, AttendanceForm, DecisionForm
from .models import AgendaItem, Attendance, Meeting
from .pages import audit_reads, can_manage, can_view, pdf_response, sentence
from .services import (
    ALLOWED,
    DecisionResult,
    PanelError,
    acting_chair_agency,
    add_action,
    build_agenda,
    decide,
    meeting_quorum,
    record_attendance,
    remove_attendance,
)


def meeting_context(request: HttpRequest, meeting: Meeting, tab: str) -> dict[str, Any]:
    """What every meeting page shows above its own content: the heading and the sub-navigation."""
    return {
        "meeting": meeting,
        "tab": tab,
        "attendance_count": meeting.attendance.count(),
        "action_count": meeting.actions.count(),
        "can_manage": request.user.has_perm("openiom.panels_manage"),
    }


AGENDA_PAGE_SIZE = 50


@can_view
def meeting_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting(meeting_id)
    # A long agenda (a force's panel reviewing hundreds of cases) is shown AGENDA_PAGE_SIZE items at a
    # time; the papers pack holds them all. Only the items shown are read, so only they are audited.
    page = Paginator(selectors.agenda(meeting), AGENDA_PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    audit_reads(request, items)
    context = meeting_context(request, meeting, "overview") | {
        "page_title": str(meeting),
        "items": items,
        "page_obj": page,
        "query_without_page": "",
        "decidable": {kind.value for kind in ALLOWED},
        "circulations": meeting.circulations.select_related("sent_by").order_by("-sent_at"),
        "quorum": meeting_quorum(meeting),
        "is_scheduled": meeting.status == MeetingStatus.SCHEDULED,
    }
    return render(request, "panels/meeting.html", context)


@can_manage
@require_POST
def build_agenda_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    try:
        added = build_agenda(meeting=meeting, by=request.user)
    except PanelError as exc:
        messages.error(request, sentence(str(exc)))
    else:
        if added:
            messages.success(
                request,
                f"{len(added)} item{'s' if len(added) != 1 else ''} added to the agenda. Nominating officers of new "
                "referrals have been invited to the meeting.",
            )
        else:
            messages.info(request, "Nothing new to add: everything due for this meeting is already on the agenda.")
    return redirect("panels:meeting", meeting_id=meeting.pk)


@can_view
def papers_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting(meeting_id)
    audit_reads(request, meeting.items.all())
    return pdf_response(papers_pack(meeting), f"papers-{meeting.panel.code}-{meeting.date:%Y-%m-%d}.pdf")


@can_manage
@require_POST
def circulate_papers_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    try:
        sent = circulate_papers(meeting=meeting, by=request.user)
    except PanelError as exc:
        messages.error(request, sentence(str(exc)))
    else:
        meeting.refresh_from_db()
        late = " They went after the due date, so they are marked late." if meeting.papers_late else ""
        messages.success(
            request, f"The agenda and papers were sent to {len(sent.recipients)} people by secure e-mail.{late}"
        )
    return redirect("panels:meeting", meeting_id=meeting.pk)


# ---- attendance ------------------------------------------------------------------------------------
@can_view
def attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting(meeting_id)
    form = AttendanceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        require_capability(request, Capability.PANELS_MANAGE)
        if form.is_valid():
            try:
                record_attendance(meeting=meeting, by=request.user, **form.cleaned_data)
            except PanelError as exc:
                form.add_error(None, sentence(str(exc)))
            else:
                return redirect("panels:attendance", meeting_id=meeting.pk)
    context = (
        meeting_context(request, meeting, "attendance")
        | _chair(meeting)
        | {
            "page_title": f"Attendance: {meeting}",
            "form": form,
            "present": meeting.attendance.select_related("agency", "user"),
            "quorum": meeting_quorum(meeting),
            "locked": meeting.items.filter(decision__isnull=False).exists(),
        }
    )
    return render(request, "panels/attendance.html", context)


def _chair(meeting: Meeting) -> dict[str, Any]:
    """Who chairs, so holds the casting vote: the chair's organisation, else the vice chair's."""
    agency_id = acting_chair_agency(meeting)
    panel = meeting.panel
    if agency_id == panel.chair_agency_id:
        role = "the chair's organisation"
    elif agency_id == panel.vice_chair_agency_id:
        role = "the vice chair's organisation, in the chair's absence"
    else:
        role = "acting chair"
    return {"chair_agency": Agency.objects.filter(pk=agency_id).first() if agency_id else None, "chair_role": role}


@can_manage
@require_POST
def attendance_remove(request: HttpRequest, attendance_id: int) -> HttpResponse:
    present = get_object_or_404(Attendance, pk=attendance_id)
    try:
        remove_attendance(attendance=present, by=request.user)
    except PanelError as exc:
        messages.error(request, sentence(str(exc)))
    return redirect("panels:attendance", meeting_id=present.meeting_id)


# ---- decisions -------------------------------------------------------------------------------------
@can_manage
def decision(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting__panel", "referral__person", "referral__nominating_officer__agency"),
        pk=item_id,
    )
    meeting = item.meeting
    audit_reads(request, [item, *([item.referral, item.referral.person] if item.referral else [])])
    decided = getattr(item, "decision", None)
    form = None
    if decided is None and item.kind in ALLOWED:
        form = DecisionForm(
            request.POST if request.method == "POST" else None,
            item=item,
            agencies=selectors.voting_agencies(meeting),
            lead=selectors.default_lead_professional(meeting.panel),
        )
        if request.method == "POST" and form.is_valid():
            try:
                result = decide(item=item, by=request.user, **form.decision_arguments())
            except PanelError as exc:
                form.add_error(None, sentence(str(exc)))
            else:
                messages.success(request, _decided(item, result))
                return redirect("panels:meeting", meeting_id=meeting.pk)
    context = (
        meeting_context(request, meeting, "overview")
        | _chair(meeting)
        | {
            "page_title": f"Decision on item {item.position}",
            "item": item,
            "decided": decided,
            "form": form,
            "quorum": meeting_quorum(meeting),
        }
    )
    return render(request, "panels/decision.html", context)


def _decided(item: AgendaItem, result: DecisionResult) -> str:
    d = result.decision
    said = f"Decision recorded on item {item.position}: {d.get_outcome_display().lower()}. {result.tally.message}"
    if d.outcome == Outcome.SELECT and d.case is not None:
        lead = d.lead_professional
        said += (
            f" IOM case {d.case.pk} is open ({d.case.get_cohort_display()}, {d.tier}), led by {lead} "
            f"of {lead.agency.name}."
            if lead
            else f" IOM case {d.case.pk} is open."
        )
    elif d.outcome == Outcome.DEFER:
        said += " The referral goes on the next meeting's agenda."
    elif d.outcome == Outcome.DESELECT:
        said += " The IOM case is closed."
    return said


# ---- actions ---------------------------------------------------------------------------------------
@can_view
def actions(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting(meeting_id)
    form = ActionForm(request.POST if request.method == "POST" else None, meeting=meeting)
    if request.method == "POST":
        require_capability(request, Capability.PANELS_MANAGE)
        if form.is_valid():
            d = form.cleaned_data
            try:
                action = add_action(
                    meeting=meeting, description=d["description"], owner=d["owner"], due_date=d["due_date"],
                    item=d["item"], by=request.user,
                )  # fmt: skip
            except PanelError as exc:
                form.add_error(None, sentence(str(exc)))
            else:
                messages.success(
                    request,
                    f"Action added for {action.owner}, due by {action.due_date:%-d %B %Y}. "
                    'It is on their "My actions" list.',
                )
                return redirect("panels:actions", meeting_id=meeting.pk)
    listed = list(selectors.meeting_actions(meeting))
    audit_reads(request, listed)
    outstanding = [a for a in listed if a.status == "open"]
    context = meeting_context(request, meeting, "actions") | {
        "page_title": f"Actions: {meeting}",
        "form": form,
        "actions": listed,
        "overdue": sum(1 for a in outstanding if a.is_overdue),
    }
    return render(request, "panels/actions.html", context)
