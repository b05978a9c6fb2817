"""Every state change of the panel cycle, written once and guarded.

Referring, scheduling, building the agenda, attendance, decisions (select opens an IOM
case, de-select closes one), minutes and action points. The HTML views, the API and the
demo all call these. Circulation by e-mail and the PDF documents are in `circulation.py`
and `documents.py`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from openiom.accounts.models import Agency
from openiom.cases.constants import CaseStatus
from openiom.cases.models import Case, Tier
from openiom.cases.services import CaseError, close_case, open_case
from openiom.people.models import Person

from .constants import (
    OPEN_REFERRAL_STATUSES,
    ActionStatus,
    AgendaKind,
    Capacity,
    MeetingStatus,
    MinutesStatus,
    Outcome,
    ReferralKind,
    ReferralStatus,
)
from .governance import Quorum, Tally, VoteChoice, VotingError, count_votes, quorum
from .models import ActionPoint, AgendaItem, Attendance, Decision, Meeting, Panel, Referral, ReferralEvent, Vote

MAX_SERIES_MONTHS = 24


class PanelError(ValueError):
    """A panel action that is not allowed now, with the reason in words."""


class StaleEdit(PanelError):
    """Someone else changed the record since it was opened."""


# ---- meetings --------------------------------------------------------------------------------------
def nth_weekday(year: int, month: int, weekday: int, week: int) -> date:
    """The `week`th (1-4, or -1 for the last) `weekday` (0 = Monday) of a month."""
    if week == -1:
        last = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))


@transaction.atomic
def schedule_meeting(
    *, panel: Panel, day: date, by: Any, start_time: Any = None, location: str = "", series_key: str = ""
) -> Meeting:
    if not panel.is_active:
        raise PanelError(f"the {panel.name} is not active")
    if day < timezone.localdate():
        raise PanelError("a meeting cannot be scheduled in the past")
    if Meeting.objects.filter(panel=panel, date=day).exists():
        raise PanelError(f"the {panel.name} already meets on {day:%d %B %Y}")
    try:
        with transaction.atomic():
            return Meeting.objects.create(
                panel=panel,
                date=day,
                start_time=start_time or panel.meeting_time,
                location=location or panel.location,
                series_key=series_key,
            )
    except IntegrityError:  # scheduled at the same moment by someone else
        raise PanelError(f"the {panel.name} already meets on {day:%d %B %Y}") from None


@transaction.atomic
def schedule_series(*, panel: Panel, first_month: date, months: int, by: Any) -> list[Meeting]:
    """A meeting on the panel's day (e.g. the second Tuesday) in each of `months` months.

    Months whose meeting day is past, or that already have a meeting on that day, are skipped.
    """
    if not 1 <= months <= MAX_SERIES_MONTHS:
        raise PanelError(f"schedule between 1 and {MAX_SERIES_MONTHS} months at a time")
    key = uuid.uuid4().hex[:12]
    made = []
    year, month = first_month.year, first_month.month
    for _ in range(months):
        day = nth_weekday(year, month, panel.meeting_weekday, panel.meeting_week)
        if day >= timezone.localdate() and not Meeting.objects.filter(panel=panel, date=day).exists():
            made.append(schedule_meeting(panel=panel, day=day, by=by, series_key=key))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return made


def next_meeting_for(panel: Panel, received: date, *, urgent: bool) -> tuple[Meeting | None, bool]:
    """The meeting a referral received on `received` goes to, and whether it is late for it.

    On time: the first scheduled meeting whose referral cut-off is on or after the day it was
    received. An urgent referral goes to the very next meeting even after its cut-off (late).
    """
    upcoming = list(Meeting.objects.filter(panel=panel, status=MeetingStatus.SCHEDULED, date__gt=received))
    for meeting in upcoming:
        if received <= meeting.referral_deadline:
            if urgent and upcoming[0] is not meeting:
                return upcoming[0], True
            return meeting, False
    if urgent and upcoming:
        return upcoming[0], True
    return None, False


# ---- referrals -------------------------------------------------------------------------------------
def _event(referral: Referral, status: str, by: Any, note: str = "") -> None:
    ReferralEvent.objects.create(referral=referral, status=status, by=by, note=note)


@dataclass(frozen=True)
class ReferralResult:
    referral: Referral
    late: bool  # after the cut-off of the meeting it goes to (urgent)


@transaction.atomic
def refer(
    *,
    panel: Panel,
    person: Person,
    reason: str,
    nominating_officer: Any,
    referred_by: Any,
    supporting_information: str = "",
    urgent: bool = False,
    kind: str = ReferralKind.SELECTION,
    case: Case | None = None,
    suggested_cohort: str = "",
    selection_run: Any = None,
) -> ReferralResult:
    if not panel.is_active:
        raise PanelError(f"the {panel.name} is not taking referrals")
    if not reason.strip():
        raise PanelError("give the reason for the referral")
    if not getattr(nominating_officer, "is_active", False):
        raise PanelError("the nominating officer must be an active user")
    # The person's row until the transaction ends: two referrals of the same person at once take turns,
    # and the second is refused below instead of leaving two open referrals.
    Person.objects.select_for_update(no_key=True).filter(pk=person.pk).first()
    if Referral.objects.open().filter(panel=panel, person=person, kind=kind).exists():
        raise PanelError(f"this person already has an open referral to the {panel.name}")
    if kind == ReferralKind.SELECTION and Case.objects.open().filter(person=person).exists():
        raise PanelError("this person already has an open IOM case; propose a de-selection or a review instead")
    if kind == ReferralKind.DESELECTION and (
        case is None or case.person_id != person.pk or case.status != CaseStatus.OPEN
    ):
        raise PanelError("a proposed de-selection needs the person's open case")
    now = timezone.now()
    meeting, late = next_meeting_for(panel, timezone.localdate(now), urgent=urgent)
    referral = Referral.objects.create(
        panel=panel,
        kind=kind,
        person=person,
        case=case,
        reason=reason.strip(),
        supporting_information=supporting_information.strip(),
        suggested_cohort=suggested_cohort,
        nominating_officer=nominating_officer,
        referred_by=referred_by,
        received_at=now,
        urgent=urgent,
        meeting=meeting,
        selection_run=selection_run,
    )
    note = f"for the meeting on {meeting.date:%d %B %Y}" if meeting else "no meeting is scheduled yet"
    if late:
        note += " (urgent, after the referral cut-off)"
    _event(referral, ReferralStatus.RECEIVED, referred_by, note)
    if late:  # the co-ordinator is told at once, once the referral is safely stored
        from .circulation import notify_urgent_referral

        transaction.on_commit(lambda: notify_urgent_referral(referral))
    return ReferralResult(referral=referral, late=late)


@transaction.atomic
def withdraw_referral(*, referral: Referral, by: Any, reason: str) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status not in (ReferralStatus.RECEIVED, ReferralStatus.ON_AGENDA, ReferralStatus.DEFERRED):
        raise PanelError(f"a referral that is {referral.get_status_display().lower()} cannot be withdrawn")
    if not reason.strip():
        raise PanelError("give the reason the referral is withdrawn")
    referral.status = ReferralStatus.WITHDRAWN
    referral.version += 1
    referral.save()
    _event(referral, ReferralStatus.WITHDRAWN, by, reason.strip())
    return referral


# ---- the agenda ------------------------------------------------------------------------------------
def cases_due_for_review(panel: Panel, meeting_date: date) -> list[Case]:
    """Open cases in the panel's cohorts not decided on or reviewed within `review_every_days`."""
    if not panel.selects_cohorts:
        return []
    cutoff = meeting_date - timedelta(days=panel.review_every_days)
    cases = Case.objects.open().filter(cohort__in=panel.selects_cohorts, opened_on__lte=cutoff)
    reviewed = set(
        AgendaItem.objects.filter(kind=AgendaKind.REVIEW, meeting__date__gt=cutoff, meeting__panel=panel)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .values_list("case_id", flat=True)
    )
    return [c for c in cases.select_related("person").order_by("opened_on", "pk") if c.pk not in reviewed]


def cases_prompted_for_review(panel: Panel) -> dict[Case, str]:
    """Open cases in the panel's cohorts with a tier review prompt waiting, and what to call the item."""
    from openiom.cases.constants import PromptStatus

    if not panel.selects_cohorts:
        return {}
    cases = (
        Case.objects.open()
        .filter(cohort__in=panel.selects_cohorts, prompts__status=PromptStatus.OPEN)
        .select_related("person")
        .prefetch_related("prompts")
        .distinct()
        .order_by("opened_on", "pk")
    )
    labels = {}
    for case in cases:
        kinds = sorted({p.get_kind_display() for p in case.prompts.all() if p.status == PromptStatus.OPEN})
        labels[case] = " and ".join(kinds)
    return labels


@transaction.atomic
def build_agenda(*, meeting: Meeting, by: Any) -> list[AgendaItem]:
    """Add to the agenda what is due and not yet on it. Safe to repeat: nothing is listed twice."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise PanelError("the agenda can only be built for a scheduled meeting")
    panel = meeting.panel
    listed_referrals = set(meeting.items.exclude(referral=None).values_list("referral_id", flat=True))
    listed_cases = set(meeting.items.filter(kind=AgendaKind.REVIEW).values_list("case_id", flat=True))
    position = (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
    added: list[AgendaItem] = []
    invited: list[Referral] = []

    def add(kind: str, title: str, **links: Any) -> None:
        nonlocal position
        added.append(AgendaItem.objects.create(meeting=meeting, position=position, kind=kind, title=title, **links))
        position += 1

    # Referrals for this meeting (on time, or urgent and late), and deferred ones from earlier meetings.
    candidates = (
        Referral.objects.filter(panel=panel, status__in=[ReferralStatus.RECEIVED, ReferralStatus.DEFERRED])
        .filter(Q(meeting=meeting) | Q(meeting__isnull=True))  # not `meeting__in=[meeting, None]`: never NULL
        .select_related("person")
        .select_for_update(of=("self",))  # one withdrawn meanwhile is left off, not put back on the agenda
        .order_by("received_at", "pk")
    )
    for referral in candidates:
        if referral.pk in listed_referrals:
            continue
        received = timezone.localdate(referral.received_at)
        late = received > meeting.referral_deadline
        if late and not referral.urgent and referral.status == ReferralStatus.RECEIVED:
            continue  # goes to the next meeting
        kind = AgendaKind.DESELECTION if referral.kind == ReferralKind.DESELECTION else AgendaKind.NEW_REFERRAL
        label = "Proposed de-selection" if kind == AgendaKind.DESELECTION else "New referral"
        add(kind, f"{label}: {referral.person}", referral=referral, case=referral.case)
        if late:
            added[-1].late = True
            added[-1].save(update_fields=["late"])
        referral.status = ReferralStatus.ON_AGENDA
        referral.meeting = meeting
        referral.version += 1
        referral.save()
        _event(referral, ReferralStatus.ON_AGENDA, by, f"listed for the meeting on {meeting.date:%d %B %Y}")
        invited.append(referral)
    if invited:  # the nominating officers are invited to the meeting
        from .circulation import invite_nominating_officer

        transaction.on_commit(lambda: [invite_nominating_officer(r) for r in invited])
    prompted = cases_prompted_for_review(panel)
    due = {case.pk: case for case in cases_due_for_review(panel, meeting.date)}
    for case in [*due.values(), *(c for c in prompted if c.pk not in due)]:
        if case.pk not in listed_cases:
            label = prompted.get(case, "Review")
            add(AgendaKind.REVIEW, f"{label}: {case.person} ({case.get_cohort_display()})", case=case)
    outstanding = ActionPoint.objects.open().filter(meeting__panel=panel, meeting__date__lt=meeting.date)
    if outstanding.exists() and not meeting.items.filter(kind=AgendaKind.ACTIONS).exists():
        add(AgendaKind.ACTIONS, f"Outstanding actions from earlier meetings ({outstanding.count()})")
    return added


# ---- attendance and quorum -------------------------------------------------------------------------
@transaction.atomic
def record_attendance(
    *, meeting: Meeting, agency: Agency, name: str, by: Any, user: Any = None, post: str = "",
    capacity: str = Capacity.MEMBER, deputy_for: str = "",
) -> Attendance:  # fmt: skip
    meeting = Meeting.objects.select_for_update(no_key=True).get(pk=meeting.pk)  # see `decide`
    if meeting.status == MeetingStatus.CANCELLED:
        raise PanelError("the meeting was cancelled")
    if not name.strip():
        raise PanelError("give the name of the person attending")
    if capacity == Capacity.DEPUTY and not deputy_for.strip():
        raise PanelError("say which member the deputy attends for")
    if user is not None and meeting.attendance.filter(user=user).exists():
        raise PanelError(f"{user} is already recorded as attending")
    return Attendance.objects.create(
        meeting=meeting, agency=agency, name=name.strip(), post=post, user=user, capacity=capacity,
        deputy_for=deputy_for.strip(),
    )  # fmt: skip


@transaction.atomic
def remove_attendance(*, attendance: Attendance, by: Any) -> None:
    Meeting.objects.select_for_update(no_key=True).filter(pk=attendance.meeting_id).first()  # see `decide`
    if Decision.objects.filter(item__meeting=attendance.meeting).exists():
        raise PanelError("attendance cannot change after the first decision; record a correction in the minutes")
    attendance.delete()


def _voting_organisations(meeting: Meeting) -> set[int]:
    """Organisations that count for quorum and vote: members and their deputies, not guests."""
    return set(
        meeting.attendance.filter(capacity__in=[Capacity.MEMBER, Capacity.DEPUTY]).values_list("agency_id", flat=True)
    )


def meeting_quorum(meeting: Meeting) -> Quorum:
    return quorum(_voting_organisations(meeting), meeting.panel.quorum)


def acting_chair_agency(meeting: Meeting) -> int | None:
    """The chair's organisation if present; else the vice chair's; else the chair chosen at the meeting."""
    present = _voting_organisations(meeting)
    panel = meeting.panel
    if panel.chair_agency_id in present:
        return panel.chair_agency_id
    if panel.vice_chair_agency_id in present:
        return panel.vice_chair_agency_id
    if meeting.acting_chair is not None:
        return meeting.acting_chair.agency_id
    return None


# ---- decisions -------------------------------------------------------------------------------------
ALLOWED = {
    AgendaKind.NEW_REFERRAL: (Outcome.SELECT, Outcome.REJECT, Outcome.DEFER),
    AgendaKind.DESELECTION: (Outcome.DESELECT, Outcome.REJECT, Outcome.DEFER),
    AgendaKind.REVIEW: (Outcome.DESELECT, Outcome.DEFER),
}


@dataclass(frozen=True)
class DecisionResult:
    decision: Decision
    tally: Tally


@transaction.atomic
def decide(
    *,
    item: AgendaItem,
    outcome: str,
    reasons: str,
    votes: Mapping[int, str],
    by: Any,
    casting_vote: str | None = None,
    cohort: str = "",
    tier: Tier | None = None,
    lead_professional: Any = None,
    framework: str = "",
) -> DecisionResult:
    """Record the panel's decision on an agenda item, with each organisation's vote.

    Refused without quorum, when the proposal is not carried, or when the outcome does not
    fit the item. Select opens the IOM case; de-select closes it.

    Rows are taken in one order, the same everywhere: the meeting (so attendance, and with it the
    quorum, cannot change while the decision is recorded), the item, then its referral (so a referral
    withdrawn meanwhile is not decided).
    """
    Meeting.objects.select_for_update(no_key=True).filter(pk=item.meeting_id).first()
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting__panel", "referral", "case")
        .get(pk=item.pk)
    )
    meeting = item.meeting
    if meeting.status == MeetingStatus.CANCELLED:
        raise PanelError("the meeting was cancelled")
    if hasattr(item, "decision"):
        raise PanelError("this item has already been decided")
    if item.referral_id is not None:
        item.referral = Referral.objects.select_for_update().get(pk=item.referral_id)
        if item.referral.status not in OPEN_REFERRAL_STATUSES:
            raise PanelError(
                f"the referral has been {item.referral.get_status_display().lower()} meanwhile, "
                "so no decision was recorded"
            )
    allowed = ALLOWED.get(AgendaKind(item.kind), ())
    if outcome not in allowed:
        raise PanelError(
            f"{Outcome(outcome).label if outcome in Outcome.values else outcome!r} is not a decision for this item"
        )
    if not reasons.strip():
        raise PanelError("give the reasons for the decision")
    q = meeting_quorum(meeting)
    if not q.met:
        raise PanelError(f"No decision can be recorded: {q.message}")
    try:
        tally = count_votes(
            {org: VoteChoice(choice) for org, choice in votes.items()},
            organisations_present=_voting_organisations(meeting),
            acting_chair_organisation=acting_chair_agency(meeting),
            casting_vote=VoteChoice(casting_vote) if casting_vote else None,
        )
    except (VotingError, ValueError) as exc:
        raise PanelError(f"No decision was recorded: {exc}") from None
    if not tally.carried:
        raise PanelError(f"The proposal to {Outcome(outcome).label.lower()} was not carried ({tally.message}) "
                         "Nothing was recorded: put another proposal.")  # fmt: skip
    case = _apply(item, outcome, reasons, cohort=cohort, tier=tier, lead=lead_professional, framework=framework, by=by)
    decision = Decision.objects.create(
        item=item,
        outcome=outcome,
        reasons=reasons.strip(),
        cohort=cohort if outcome == Outcome.SELECT else "",
        tier=tier if outcome == Outcome.SELECT else None,
        lead_professional=lead_professional if outcome == Outcome.SELECT else None,
        case=case,
        votes_for=tally.votes_for,
        votes_against=tally.votes_against,
        abstentions=tally.abstentions,
        casting_vote_used=tally.casting_vote_used,
        organisations_present=q.organisations_present,
        decided_by=by,
    )
    Vote.objects.bulk_create([Vote(decision=decision, agency_id=org, choice=choice) for org, choice in votes.items()])
    if meeting.status == MeetingStatus.SCHEDULED:
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status"])
    return DecisionResult(decision=decision, tally=tally)


def _apply(
    item: AgendaItem, outcome: str, reasons: str, *, cohort: str, tier: Tier | None, lead: Any, framework: str, by: Any
) -> Case | None:
    referral = item.referral
    panel = item.meeting.panel
    case: Case | None = None
    if outcome == Outcome.SELECT:
        if referral is None:
            raise PanelError("only a referral can be selected")
        if cohort not in panel.selects_cohorts:
            allowed = ", ".join(panel.selects_cohorts) or "none"
            raise PanelError(f"the {panel.name} selects into these cohorts only: {allowed}")
        if tier is None or lead is None:
            raise PanelError("a selection needs a tier and a lead professional")
        try:
            case = open_case(
                person=referral.person,
                cohort=cohort,
                tier=tier,
                lead_professional=lead,
                framework=framework,
                statutory=lead.agency.agency_type in ("probation", "youth_offending"),
                opened_on=item.meeting.date,
            )
        except CaseError as exc:
            raise PanelError(str(exc)) from None
        new_status = ReferralStatus.SELECTED
    elif outcome == Outcome.DESELECT:
        case = item.case or (referral.case if referral else None)
        if case is None:
            raise PanelError("there is no case to de-select")
        try:
            close_case(case=case, reason=reasons, closed_on=item.meeting.date)
        except CaseError as exc:
            raise PanelError(str(exc)) from None
        new_status = ReferralStatus.DESELECTED
    elif outcome == Outcome.REJECT:
        new_status = ReferralStatus.REJECTED
    else:
        new_status = ReferralStatus.DEFERRED
    if referral is not None:
        referral.status = new_status
        if outcome == Outcome.DEFER:
            referral.meeting = None  # goes on the next agenda
        referral.version += 1
        referral.save()
        _event(referral, new_status, by, reasons.strip())
    return case


# ---- minutes and actions ---------------------------------------------------------------------------
def _check_version(current: int, expected: int | None, what: str) -> None:
    if expected is not None and current != expected:
        raise StaleEdit(f"someone else changed the {what} since you opened it; reload to see their change")


@transaction.atomic
def save_minutes(*, meeting: Meeting, text: str, by: Any, version: int | None = None) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_version(meeting.version, version, "minutes")
    if meeting.minutes_status == MinutesStatus.APPROVED:
        raise PanelError("approved minutes cannot be edited")
    if not text.strip():
        raise PanelError("the minutes are empty")
    meeting.minutes_text = text
    meeting.minutes_status = MinutesStatus.DRAFT
    meeting.version += 1
    meeting.save()
    return meeting


@transaction.atomic
def approve_minutes(*, meeting: Meeting, by: Any, version: int | None = None) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_version(meeting.version, version, "minutes")
    if meeting.minutes_status != MinutesStatus.DRAFT:
        raise PanelError("only draft minutes can be approved")
    if not by.has_capability("panels_chair"):
        raise PanelError("only a panel chair can approve minutes")
    meeting.minutes_status = MinutesStatus.APPROVED
    meeting.minutes_approved_by = by
    meeting.minutes_approved_at = timezone.now()
    meeting.version += 1
    meeting.save()
    return meeting


@transaction.atomic
def add_action(
    *, meeting: Meeting, description: str, owner: Any, due_date: date, by: Any, item: AgendaItem | None = None
) -> ActionPoint:
    if not description.strip():
        raise PanelError("describe the action")
    if not getattr(owner, "is_active", False):
        raise PanelError("the owner must be an active user")
    if due_date < meeting.date:
        raise PanelError("an action cannot be due before the meeting that set it")
    if item is not None and item.meeting_id != meeting.pk:
        raise PanelError("the agenda item belongs to another meeting")
    return ActionPoint.objects.create(
        meeting=meeting, item=item, description=description.strip(), owner=owner, owner_agency=owner.agency,
        due_date=due_date, created_by=by,
    )  # fmt: skip


@transaction.atomic
def set_action_status(*, action: ActionPoint, status: str, by: Any, version: int | None = None) -> ActionPoint:
    action = ActionPoint.objects.select_for_update().get(pk=action.pk)
    _check_version(action.version, version, "action")
    if status not in ActionStatus.values:
        raise PanelError(f"{status!r} is not an action status")
    if action.status != ActionStatus.OPEN:
        raise PanelError(f"the action is already {action.get_status_display().lower()}")
    if status == ActionStatus.OPEN:
        raise PanelError("the action is already open")
    action.status = status
    action.completed_at = timezone.now()
    action.version += 1
    action.save()
    return action


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, by: Any, reason: str) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise PanelError("only a scheduled meeting can be cancelled")
    if Decision.objects.filter(item__meeting=meeting).exists():
        raise PanelError("a meeting with decisions cannot be cancelled")
    if not reason.strip():
        raise PanelError("give the reason for cancelling")
    meeting.status = MeetingStatus.CANCELLED
    meeting.version += 1
    meeting.save()
    for referral in Referral.objects.select_for_update().filter(
        meeting=meeting, status__in=[ReferralStatus.RECEIVED, ReferralStatus.ON_AGENDA]
    ):
        referral.meeting = None
        referral.status = ReferralStatus.RECEIVED
        referral.version += 1
        referral.save()
        _event(referral, ReferralStatus.RECEIVED, by, f"meeting cancelled: {reason.strip()}")
    meeting.items.filter(decision__isnull=True).delete()
    return meeting


# ---- referrals from a cohort selection run ---------------------------------------------------------
@dataclass(frozen=True)
class BulkReferral:
    referred: list[Referral]
    skipped: list[tuple[int, str]]  # (person id, why)


def refer_from_selection(
    *, run: Any, person_keys: list[int], panel: Panel, nominating_officer: Any, by: Any
) -> BulkReferral:
    """Refer chosen nominations of a selection run to a panel, each with its scores as the reason.

    `person_keys` are the people as the run scored them. Those who cannot be referred (an
    open referral or case already, not in the run, merged into someone else since) are listed
    with the reason and the others are referred.
    """
    from openiom.analytics import COHORT_LABELS

    scored = {s.person_key: s for s in run.scores.filter(person_key__in=person_keys).select_related("person")}
    referred: list[Referral] = []
    skipped: list[tuple[int, str]] = []
    for key in person_keys:
        s = scored.get(key)
        if s is None:
            skipped.append((key, "not scored in this run"))
            continue
        if s.person is None:
            skipped.append((key, "merged into another person since the run: refer them from their person page"))
            continue
        cohort = COHORT_LABELS.get(s.cohort, "no cohort")
        rank = f"ranked {s.rank} on the {s.route} route" if s.rank else "not ranked"
        band = f", OGRS3 {s.ogrs3_band}" if s.ogrs3_band else ""
        reason = (
            f"Nominated by the cohort selection run of {run.as_of:%d %B %Y} ({run.name}): suggested cohort {cohort}, "
            f"{rank}, RFG score {s.rfg_score:g}{band}. The run's explanation gives the details."
        )
        try:
            with transaction.atomic():
                result = refer(
                    panel=panel, person=s.person, reason=reason, nominating_officer=nominating_officer,
                    referred_by=by, suggested_cohort=s.cohort, selection_run=run,
                )  # fmt: skip
        except PanelError as exc:
            skipped.append((key, str(exc)))
            continue
        referred.append(result.referral)
    return BulkReferral(referred=referred, skipped=skipped)
