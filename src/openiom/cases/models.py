"""IOM cases: one open case per person selected by a panel, and everything partners do with it.

A case has its cohort memberships, lead professional and involved agencies, its place in the
pyramid of service levels (with the history of moves and the review prompts), needs assessments
over the seven pathways, an action plan, interventions, contacts, enforcement, tasks and linked
victims. Every state change is a guarded function in `services.py`; edits name the `version` they
started from, so that two people editing the same thing never silently lose a change.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from openiom.accounts.models import Agency
from openiom.people.models import Person

from .constants import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    CaseStatus,
    Cohort,
    ContactKind,
    ContactOutcome,
    EnforcementKind,
    Framework,
    InterventionStatus,
    NeedLevel,
    Pathway,
    PromptKind,
    PromptStatus,
    RoshLevel,
    TaskKind,
    TaskStatus,
)

USER = settings.AUTH_USER_MODEL


class Tier(models.Model):
    """A level of the service-level pyramid; level 1 is the most intensive."""

    level = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField("active", default=True)
    quiet_days = models.PositiveSmallIntegerField(
        "de-escalation review after (days without offending)",
        default=90,
        help_text="A case this long at this tier with no offence and good compliance is prompted for de-escalation.",
    )
    min_compliance = models.PositiveSmallIntegerField(
        "good compliance (per cent)", default=80, help_text="The compliance rate over that period that counts as good."
    )

    class Meta:
        ordering = ["level"]

    def __str__(self) -> str:
        return self.name


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(status=CaseStatus.OPEN)

    def for_person(self, person: Person | int) -> CaseQuerySet:
        return self.filter(person=person)

    def involving(self, agency: Agency | int) -> CaseQuerySet:
        """Cases the agency leads or is involved in (an active involvement)."""
        return self.filter(
            models.Q(lead_agency=agency) | models.Q(involvements__agency=agency, involvements__ended_on__isnull=True)
        ).distinct()

    def worked_by(self, user: object) -> CaseQuerySet:
        """Cases the user leads or is a named key worker on."""
        return self.filter(
            models.Q(lead_professional=user)
            | models.Q(involvements__key_worker=user, involvements__ended_on__isnull=True)
        ).distinct()


class Case(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    cohort = models.CharField("main cohort", max_length=5, choices=Cohort.choices)
    framework = models.CharField("national framework stream", max_length=5, choices=Framework.choices, blank=True)
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="cases")
    lead_professional = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="led_cases")
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="led_cases")
    statutory = models.BooleanField(default=False, help_text="Under statutory supervision (probation or YOT).")
    rosh_level = models.CharField("risk of serious harm", max_length=10, choices=RoshLevel.choices, blank=True)
    opened_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    close_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change: edits must name the version.")

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(status=CaseStatus.OPEN), name="one_open_case_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"IOM case {self.pk} ({self.get_cohort_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class CohortMembership(models.Model):
    """A period in a cohort (PPO, HCC, DYO, DIP) and its framework stream. A case may be in several."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="memberships")
    cohort = models.CharField(max_length=5, choices=Cohort.choices)
    framework = models.CharField(max_length=5, choices=Framework.choices, blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True)
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "cohort"], condition=models.Q(ended_on__isnull=True), name="one_current_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_cohort_display()} from {self.started_on:%d %b %Y}"


class Involvement(models.Model):
    """An agency working on a case, with its named key worker if there is one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="involvements")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="involvements")
    key_worker = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="involvements")
    role = models.CharField(max_length=150, blank=True, help_text="What the agency does on this case.")
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["agency__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "agency"], condition=models.Q(ended_on__isnull=True), name="one_current_involvement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} on case {self.case_id}"


class TierChange(models.Model):
    """A move in the pyramid (or the first placement, with `from_tier` empty)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tier_changes")
    from_tier = models.ForeignKey(Tier, on_delete=models.PROTECT, null=True, related_name="+")
    to_tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.direction.capitalize()} to {self.to_tier}"

    @property
    def direction(self) -> str:
        if self.from_tier is None:
            return "placed"
        return "escalated" if self.to_tier.level < self.from_tier.level else "de-escalated"


class ReviewPrompt(models.Model):
    """The system asking for a tier review: after new offending (escalation) or a quiet period (de-escalation)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="prompts")
    kind = models.CharField(max_length=15, choices=PromptKind.choices)
    reason = models.TextField()
    key = models.CharField(max_length=80, help_text="What raised it, so the same event never prompts twice.")
    offence = models.ForeignKey("offending.Offence", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    raised_on = models.DateField(default=timezone.localdate)
    status = models.CharField(max_length=10, choices=PromptStatus.choices, default=PromptStatus.OPEN)
    resolved_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="one_prompt_per_event")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} raised {self.raised_on:%d %b %Y}"


class Assessment(models.Model):
    """A needs assessment over the seven pathways. Reassessment adds a new one; none is edited afterwards."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(default=timezone.localdate)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"Needs assessment of {self.assessed_on:%d %b %Y}"


class PathwayNeed(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="needs")
    pathway = models.CharField(max_length=20, choices=Pathway.choices)
    level = models.CharField(max_length=10, choices=NeedLevel.choices)
    linked_to_offending = models.BooleanField(default=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "pk"]
        constraints = [models.UniqueConstraint(fields=["assessment", "pathway"], name="one_need_per_pathway")]

    def __str__(self) -> str:
        return f"{self.get_pathway_display()}: {self.get_level_display()}"


class PlanActionQuerySet(models.QuerySet["PlanAction"]):
    def open(self) -> PlanActionQuerySet:
        return self.filter(status__in=OPEN_ACTION_STATUSES)

    def overdue(self, today: date | None = None) -> PlanActionQuerySet:
        return self.open().filter(due_on__lt=today or timezone.localdate())


class PlanAction(models.Model):
    """An action in the case's plan, under one pathway, owned by a person and agency."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    pathway = models.CharField(max_length=20, choices=Pathway.choices)
    description = models.TextField()
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="plan_actions")
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    outcome = models.TextField(blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    completed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = PlanActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_pathway_display()}: {self.description[:60]}"

    def is_overdue(self, today: date | None = None) -> bool:
        return self.status in OPEN_ACTION_STATUSES and self.due_on < (today or timezone.localdate())


class Intervention(models.Model):
    """A referral to a service in the directory and what came of it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interventions")
    service = models.ForeignKey("directory.Service", on_delete=models.PROTECT, related_name="interventions")
    pathway = models.CharField(max_length=20, choices=Pathway.choices)
    status = models.CharField(max_length=12, choices=InterventionStatus.choices, default=InterventionStatus.REFERRED)
    referred_on = models.DateField(default=timezone.localdate)
    referred_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    sessions_offered = models.PositiveSmallIntegerField(default=0)
    sessions_attended = models.PositiveSmallIntegerField(default=0)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-referred_on", "-pk"]

    def __str__(self) -> str:
        return f"Referral to {self.service} ({self.get_status_display()})"


class ContactQuerySet(models.QuerySet["Contact"]):
    def counted(self) -> ContactQuerySet:
        from .constants import COUNTED_OUTCOMES

        return self.filter(outcome__in=COUNTED_OUTCOMES)


class Contact(models.Model):
    """An appointment or contact by any agency, and whether the person kept it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=ContactKind.choices)
    scheduled_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=ContactOutcome.choices, default=ContactOutcome.SCHEDULED)
    outcome_recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.scheduled_at:%d %b %Y}"


class Enforcement(models.Model):
    """A warning, breach action, recall or police enforcement action."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="enforcements")
    kind = models.CharField(max_length=15, choices=EnforcementKind.choices)
    taken_on = models.DateField(default=timezone.localdate)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    details = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-taken_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.taken_on:%d %b %Y}"


class TaskQuerySet(models.QuerySet["Task"]):
    def open(self) -> TaskQuerySet:
        return self.filter(status=TaskStatus.OPEN)


class Task(models.Model):
    """Work the system raises: a transition at 18 or through-the-gate work before a release."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=20, choices=TaskKind.choices)
    pathway = models.CharField(max_length=20, choices=Pathway.choices, blank=True)
    title = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="tasks")
    due_on = models.DateField()
    position = models.PositiveSmallIntegerField(default=1)
    key = models.CharField(max_length=80, help_text="What raised it, so it is raised once.")
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    done_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="one_task_per_event")]

    def __str__(self) -> str:
        return self.title


class Victim(models.Model):
    """A linked repeat or vulnerable victim. Seen only by the agencies entitled (see `access.py`)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="victims")
    label = models.CharField(max_length=100, help_text="How partners refer to the victim, e.g. initials or 'Victim A'.")
    relationship = models.CharField(max_length=100, blank=True)
    repeat = models.BooleanField("repeat victim", default=False)
    vulnerable = models.BooleanField(default=False)
    safety_notes = models.TextField(blank=True)
    victim_support_referred_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label
