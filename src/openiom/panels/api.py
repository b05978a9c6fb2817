"""API for panels: terms of reference, meetings and their deadlines, referrals, attendance, decisions.

Every endpoint calls the same service functions as the pages (`services.py`).
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from openiom.accounts.constants import Capability
from openiom.accounts.models import Agency, User
from openiom.accounts.permissions import require_api_capability
from openiom.accounts.schemas import OPTIONAL_TEXT, TEXT, ErrorOut
from openiom.audit.constants import Purpose
from openiom.audit.services import client_address, record_access
from openiom.cases.models import Tier
from openiom.people.api import IsoDate
from openiom.people.models import Person

from .constants import Capacity, Outcome
from .models import AgendaItem, Meeting, Panel, Referral
from .services import PanelError, decide, meeting_quorum, record_attendance, refer, schedule_meeting

router = Router(tags=["panels"])
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class MemberOut(Schema):
    agency: str
    post: str
    membership: str


class PanelOut(Schema):
    id: int
    code: str
    name: str
    chair: str
    vice_chair: str
    meeting_pattern: str
    referral_cutoff_working_days: int
    papers_working_days_before: int
    minutes_working_days_after: int
    quorum_organisations: int
    voting: str
    members: list[MemberOut]


def _panel_out(panel: Panel) -> PanelOut:
    vice = f"{panel.vice_chair_post}, {panel.vice_chair_agency.name}" if panel.vice_chair_agency else ""
    return PanelOut(
        id=panel.pk,
        code=panel.code,
        name=panel.name,
        chair=f"{panel.chair_post}, {panel.chair_agency.name}",
        vice_chair=vice,
        meeting_pattern=panel.pattern,
        referral_cutoff_working_days=panel.referral_cutoff_days,
        papers_working_days_before=panel.papers_days,
        minutes_working_days_after=panel.minutes_days,
        quorum_organisations=panel.quorum,
        voting="Simple majority of the organisations present; the chair or acting chair has a casting vote.",
        members=[
            MemberOut(agency=m.agency.name, post=m.post, membership=m.membership)
            for m in panel.members.select_related("agency")
        ],
    )


class MeetingIn(Schema):
    model_config = ConfigDict(extra="forbid")
    date: IsoDate


class MeetingOut(Schema):
    id: int
    panel_id: int
    panel: str
    date: dt.date
    start_time: str
    location: str
    status: str
    referral_deadline: dt.date
    papers_due: dt.date
    minutes_due: dt.date
    organisations_present: int
    quorate: bool


def _meeting_out(m: Meeting) -> MeetingOut:
    q = meeting_quorum(m)
    return MeetingOut(
        id=m.pk, panel_id=m.panel_id, panel=m.panel.name, date=m.date, start_time=m.start_time.strftime("%H:%M"),
        location=m.location, status=m.status, referral_deadline=m.referral_deadline, papers_due=m.papers_due,
        minutes_due=m.minutes_due, organisations_present=q.organisations_present, quorate=q.met,
    )  # fmt: skip


def _fail(exc: PanelError) -> HttpError:
    """A well-formed request the panel's rules refuse now (no quorum, a past date...): 409, with the reason."""
    return HttpError(409, str(exc))


@router.get("/panels", response={200: list[PanelOut], **ERRORS}, summary="Panels with their terms of reference")
def list_panels(request: HttpRequest) -> list[PanelOut]:
    require_api_capability(request, Capability.PANELS_VIEW)
    return [
        _panel_out(p) for p in Panel.objects.filter(is_active=True).select_related("chair_agency", "vice_chair_agency")
    ]


@router.post(
    "/panels/{panel_id}/meetings",
    response={201: MeetingOut, **ERRORS},
    summary="Schedule a meeting; the response gives its deadlines in working days from the terms of reference",
)
def create_meeting(request: HttpRequest, panel_id: Id, payload: MeetingIn) -> tuple[int, MeetingOut]:
    require_api_capability(request, Capability.PANELS_MANAGE)
    panel = get_object_or_404(Panel, pk=panel_id)
    try:
        meeting = schedule_meeting(panel=panel, day=payload.date, by=request.user)
    except PanelError as exc:
        raise _fail(exc) from None
    return 201, _meeting_out(meeting)


@router.get("/meetings/{meeting_id}", response={200: MeetingOut, **ERRORS}, summary="A meeting and its deadlines")
def read_meeting(request: HttpRequest, meeting_id: Id) -> MeetingOut:
    require_api_capability(request, Capability.PANELS_VIEW)
    return _meeting_out(get_object_or_404(Meeting.objects.select_related("panel"), pk=meeting_id))


class ReferralIn(Schema):
    model_config = ConfigDict(extra="forbid")
    panel_id: int = Field(ge=1, le=2**63 - 1)
    person_id: int = Field(ge=1, le=2**63 - 1)
    reason: str = Field(min_length=1, max_length=5000, pattern=TEXT)
    supporting_information: str = Field("", max_length=20000, pattern=OPTIONAL_TEXT)
    nominating_officer_id: int | None = Field(None, ge=1, le=2**63 - 1)
    urgent: bool = False


class ReferralOut(Schema):
    id: int
    panel_id: int
    person_id: int
    status: str
    urgent: bool
    late: bool
    meeting_id: int | None
    received_at: datetime


@router.post("/referrals", response={201: ReferralOut, **ERRORS}, summary="Refer a person to a panel")
def create_referral(request: HttpRequest, payload: ReferralIn) -> tuple[int, ReferralOut]:
    require_api_capability(request, Capability.REFER)
    # The person is named by id, and the referrer then sees the referral: as on the referral page, only
    # someone who may see people's records may refer an existing person.
    require_api_capability(request, Capability.PEOPLE_VIEW)
    panel = get_object_or_404(Panel, pk=payload.panel_id)
    person = get_object_or_404(Person, pk=payload.person_id)
    officer = request.user
    if payload.nominating_officer_id is not None:
        officer = get_object_or_404(User, pk=payload.nominating_officer_id, is_active=True)
    try:
        result = refer(
            panel=panel, person=person, reason=payload.reason, supporting_information=payload.supporting_information,
            nominating_officer=officer, referred_by=request.user, urgent=payload.urgent,
        )  # fmt: skip
    except PanelError as exc:
        raise _fail(exc) from None
    record_access(user=request.user, obj=result.referral, purpose=Purpose.API, remote_addr=client_address(request))
    r = result.referral
    return 201, ReferralOut(
        id=r.pk, panel_id=r.panel_id, person_id=r.person_id, status=r.status, urgent=r.urgent, late=result.late,
        meeting_id=r.meeting_id, received_at=r.received_at,
    )  # fmt: skip


class AttendanceIn(Schema):
    model_config = ConfigDict(extra="forbid")
    agency_id: int = Field(ge=1, le=2**63 - 1)
    name: str = Field(min_length=1, max_length=150, pattern=TEXT)
    post: str = Field("", max_length=150, pattern=OPTIONAL_TEXT)
    capacity: Literal["member", "deputy", "nominating_officer", "guest"] = "member"
    deputy_for: str = Field("", max_length=150, pattern=OPTIONAL_TEXT)


class AttendanceOut(Schema):
    id: int
    agency_id: int
    name: str
    capacity: str
    organisations_present: int
    quorate: bool
    quorum_message: str


@router.post("/meetings/{meeting_id}/attendance", response={201: AttendanceOut, **ERRORS}, summary="Record who attends")
def add_attendance(request: HttpRequest, meeting_id: Id, payload: AttendanceIn) -> tuple[int, AttendanceOut]:
    require_api_capability(request, Capability.PANELS_MANAGE)
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    agency = get_object_or_404(Agency, pk=payload.agency_id)
    try:
        a = record_attendance(
            meeting=meeting, agency=agency, name=payload.name, post=payload.post, by=request.user,
            capacity=Capacity(payload.capacity), deputy_for=payload.deputy_for,
        )  # fmt: skip
    except PanelError as exc:
        raise _fail(exc) from None
    q = meeting_quorum(meeting)
    return 201, AttendanceOut(
        id=a.pk, agency_id=a.agency_id, name=a.name, capacity=a.capacity, organisations_present=q.organisations_present,
        quorate=q.met, quorum_message=q.message,
    )  # fmt: skip


class VoteIn(Schema):
    model_config = ConfigDict(extra="forbid")
    agency_id: int = Field(ge=1, le=2**63 - 1)
    vote: Literal["for", "against", "abstain"]


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    outcome: Literal["select", "reject", "defer", "deselect"]
    reasons: str = Field(min_length=1, max_length=5000, pattern=TEXT)
    votes: list[VoteIn] = Field(min_length=1, max_length=50)
    casting_vote: Literal["for", "against"] | None = None
    cohort: Literal["PPO", "HCC", "DIP", "DYO", ""] = ""
    tier_level: int | None = Field(None, ge=1, le=20)
    lead_professional_id: int | None = Field(None, ge=1, le=2**63 - 1)


class DecisionOut(Schema):
    id: int
    item_id: int
    outcome: str
    carried: bool
    votes_for: int
    votes_against: int
    abstentions: int
    casting_vote_used: bool
    message: str
    case_id: int | None


@router.post(
    "/agenda-items/{item_id}/decision",
    response={201: DecisionOut, **ERRORS},
    summary="Record the panel's decision on an agenda item with each organisation's vote (refused without quorum)",
)
def record_decision(request: HttpRequest, item_id: Id, payload: DecisionIn) -> tuple[int, DecisionOut]:
    require_api_capability(request, Capability.PANELS_MANAGE)
    item = get_object_or_404(AgendaItem, pk=item_id)
    tier = get_object_or_404(Tier, level=payload.tier_level) if payload.tier_level else None
    lead = get_object_or_404(User, pk=payload.lead_professional_id) if payload.lead_professional_id else None
    votes = {v.agency_id: v.vote for v in payload.votes}
    if len(votes) != len(payload.votes):
        raise HttpError(400, "each organisation votes once")
    try:
        result = decide(
            item=item, outcome=Outcome(payload.outcome), reasons=payload.reasons, votes=votes, by=request.user,
            casting_vote=payload.casting_vote, cohort=payload.cohort, tier=tier, lead_professional=lead,
        )  # fmt: skip
    except PanelError as exc:
        raise _fail(exc) from None
    d = result.decision
    return 201, DecisionOut(
        id=d.pk, item_id=item.pk, outcome=d.outcome, carried=True, votes_for=d.votes_for,
        votes_against=d.votes_against, abstentions=d.abstentions, casting_vote_used=d.casting_vote_used,
        message=result.tally.message, case_id=d.case_id,
    )  # fmt: skip


class ReferralStatusOut(Schema):
    id: int
    status: str
    meeting_id: int | None
    history: list[dict[str, str]]


@router.get(
    "/referrals/{referral_id}", response={200: ReferralStatusOut, **ERRORS}, summary="A referral's status history"
)
def read_referral(request: HttpRequest, referral_id: Id) -> ReferralStatusOut:
    require_api_capability(request, Capability.PANELS_VIEW)
    r = get_object_or_404(Referral, pk=referral_id)
    record_access(user=request.user, obj=r, purpose=Purpose.API, remote_addr=client_address(request))
    history = [{"at": e.at.isoformat(), "status": e.status, "note": e.note} for e in r.events.all()]
    return ReferralStatusOut(id=r.pk, status=r.status, meeting_id=r.meeting_id, history=history)
