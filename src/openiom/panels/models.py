"""Panels, their terms of reference, meetings, referrals, agendas, attendance, decisions, minutes, actions.

State changes are in `services.py`; the deadlines are England and Wales working days
(`workingdays.py`); quorum and voting are `governance.py`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from openiom.accounts.models import Agency
from openiom.people.models import Person

from .constants import (
    ORDINALS,
    WEEKDAYS,
    ActionStatus,
    AgendaKind,
    Capacity,
    CirculationKind,
    MeetingStatus,
    Membership,
    MinutesStatus,
    Outcome,
    ReferralKind,
    ReferralStatus,
)
from .workingdays import add_working_days

USER = settings.AUTH_USER_MODEL


class Panel(models.Model):
    """A panel and its terms of reference. Administrators may change every field."""

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=100, unique=True)
    purpose = models.TextField(blank=True)
    chair_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    chair_post = models.CharField(max_length=150)
    vice_chair_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    vice_chair_post = models.CharField(max_length=150, blank=True)
    meeting_week = models.SmallIntegerField(
        default=2, choices=[(k, v.capitalize()) for k, v in ORDINALS.items()], help_text="Which week of the month"
    )
    meeting_weekday = models.PositiveSmallIntegerField(default=1, choices=list(enumerate(WEEKDAYS)))
    meeting_time = models.TimeField(default="10:00")
    location = models.CharField(max_length=200, blank=True)
    referral_cutoff_days = models.PositiveSmallIntegerField("referral cut-off (working days before)", default=10)
    papers_days = models.PositiveSmallIntegerField("papers circulated (working days before)", default=5)
    minutes_days = models.PositiveSmallIntegerField("minutes circulated (working days after)", default=5)
    quorum = models.PositiveSmallIntegerField("quorum (organisations present)", default=4)
    review_every_days = models.PositiveSmallIntegerField(
        "cases reviewed every (days)", default=90, help_text="Open cases come back to the agenda this often."
    )
    selects_cohorts = models.JSONField(
        default=list, blank=True, help_text="Cohorts a selection by this panel may open a case in (empty: none)."
    )
    coordinator_email = models.EmailField(blank=True, help_text="Told at once of urgent late referrals.")
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def pattern(self) -> str:
        return f"The {ORDINALS[self.meeting_week]} {WEEKDAYS[self.meeting_weekday]} of every month"

    def referral_deadline(self, meeting_date: dt.date) -> dt.date:
        return add_working_days(meeting_date, -self.referral_cutoff_days)

    def papers_due(self, meeting_date: dt.date) -> dt.date:
        return add_working_days(meeting_date, -self.papers_days)

    def minutes_due(self, meeting_date: dt.date) -> dt.date:
        return add_working_days(meeting_date, self.minutes_days)


class PanelMember(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    post = models.CharField(max_length=150)
    membership = models.CharField(max_length=12, choices=Membership.choices, default=Membership.PERMANENT)
    user = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="panel_seats")

    class Meta:
        ordering = ["panel", "agency__name", "post"]
        constraints = [models.UniqueConstraint(fields=["panel", "agency", "post"], name="unique_panel_post")]

    def __str__(self) -> str:
        return f"{self.agency}: {self.post}"


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def upcoming(self, today: dt.date | None = None) -> MeetingQuerySet:
        return self.filter(date__gte=today or timezone.localdate(), status=MeetingStatus.SCHEDULED)


class Meeting(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    start_time = models.TimeField()
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    series_key = models.CharField(max_length=40, blank=True, help_text="Meetings scheduled together share a key.")
    acting_chair = models.ForeignKey("Attendance", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    papers_circulated_at = models.DateTimeField(null=True, blank=True)
    minutes_text = models.TextField(blank=True)
    minutes_status = models.CharField(max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.NONE)
    minutes_approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    minutes_approved_at = models.DateTimeField(null=True, blank=True)
    minutes_circulated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["date", "panel__name"]
        constraints = [models.UniqueConstraint(fields=["panel", "date"], name="one_meeting_per_panel_per_day")]

    def __str__(self) -> str:
        return f"{self.panel.name}, {self.date:%d %B %Y}"

    @property
    def referral_deadline(self) -> dt.date:
        return self.panel.referral_deadline(self.date)

    @property
    def papers_due(self) -> dt.date:
        return self.panel.papers_due(self.date)

    @property
    def minutes_due(self) -> dt.date:
        return self.panel.minutes_due(self.date)

    @property
    def minutes_late(self) -> bool:
        circulated = self.minutes_circulated_at
        if circulated is None:
            return timezone.localdate() > self.minutes_due
        return timezone.localtime(circulated).date() > self.minutes_due

    @property
    def papers_late(self) -> bool:
        circulated = self.papers_circulated_at
        if circulated is None:
            return self.status == MeetingStatus.SCHEDULED and timezone.localdate() > self.papers_due
        return timezone.localtime(circulated).date() > self.papers_due


class ReferralQuerySet(models.QuerySet["Referral"]):
    def open(self) -> ReferralQuerySet:
        from .constants import OPEN_REFERRAL_STATUSES

        return self.filter(status__in=OPEN_REFERRAL_STATUSES)


class Referral(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="referrals")
    kind = models.CharField(max_length=12, choices=ReferralKind.choices, default=ReferralKind.SELECTION)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="referrals",
        help_text="For a proposed de-selection, the case to close.",
    )  # fmt: skip
    reason = models.TextField()
    supporting_information = models.TextField(blank=True)
    suggested_cohort = models.CharField(max_length=5, blank=True)
    nominating_officer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="nominations")
    referred_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(default=timezone.now)
    urgent = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED)
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals")
    selection_run = models.ForeignKey(
        "cohort.SelectionRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    version = models.PositiveIntegerField(default=1)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"Referral {self.pk} to the {self.panel.name}"


class ReferralEvent(models.Model):
    """The status history of a referral: every change, who made it and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=ReferralStatus.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} at {self.at:%d %b %Y %H:%M}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=15, choices=AgendaKind.choices)
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    title = models.CharField(max_length=200)
    late = models.BooleanField(default=False, help_text="An urgent referral received after the cut-off.")

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="unique_agenda_position")]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=150)
    post = models.CharField(max_length=150, blank=True)
    user = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    capacity = models.CharField(max_length=20, choices=Capacity.choices, default=Capacity.MEMBER)
    deputy_for = models.CharField(max_length=150, blank=True, help_text="The member a deputy attends for.")

    class Meta:
        ordering = ["meeting", "agency__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class Decision(models.Model):
    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reasons = models.TextField()
    cohort = models.CharField(max_length=5, blank=True)
    tier = models.ForeignKey("cases.Tier", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    lead_professional = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="decisions")
    votes_for = models.PositiveSmallIntegerField()
    votes_against = models.PositiveSmallIntegerField()
    abstentions = models.PositiveSmallIntegerField()
    casting_vote_used = models.BooleanField(default=False)
    organisations_present = models.PositiveSmallIntegerField()
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.item})"


class Vote(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["decision", "agency"], name="one_vote_per_organisation")]

    def __str__(self) -> str:
        return f"{self.choice} ({self.agency_id})"


class ActionPointQuerySet(models.QuerySet["ActionPoint"]):
    def open(self) -> ActionPointQuerySet:
        return self.filter(status=ActionStatus.OPEN)

    def overdue(self, today: dt.date | None = None) -> ActionPointQuerySet:
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def for_owner(self, user: object) -> ActionPointQuerySet:
        return self.filter(owner=user)


class ActionPoint(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="panel_actions")
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = ActionPointQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return f"Action {self.pk} due {self.due_date:%d %b %Y}"

    @property
    def is_overdue(self) -> bool:
        return self.status == ActionStatus.OPEN and self.due_date < timezone.localdate()


class Circulation(models.Model):
    """A record that papers, minutes, a notice or a form were sent, when and to whom."""

    kind = models.CharField(max_length=20, choices=CirculationKind.choices)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="circulations")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="circulations")
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recipients = models.JSONField(default=list)
    subject = models.CharField(max_length=200)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} sent {self.sent_at:%d %b %Y %H:%M}"
