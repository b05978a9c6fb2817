"""Vocabularies for case management: the pyramid, the seven pathways, plans, contacts and tasks."""

from django.db import models

from openiom.accounts.constants import AgencyType

# A case's cohort and national framework stream use the cohort selection's vocabularies.
from openiom.cohort.constants import Cohort, Framework

__all__ = [
    "DEFAULT_TIERS",
    "ActionStatus",
    "CaseStatus",
    "Cohort",
    "ContactKind",
    "ContactOutcome",
    "EnforcementKind",
    "Framework",
    "InterventionStatus",
    "NeedLevel",
    "Pathway",
    "PromptKind",
    "PromptStatus",
    "RoshLevel",
    "TaskKind",
    "TaskStatus",
]


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


# The default pyramid of service levels: the most intensive management at the top.
DEFAULT_TIERS = (
    (1, "Tier 1: intensive", "The most intensive multi-agency management, reviewed at every panel."),
    (2, "Tier 2: enhanced", "Enhanced partnership working with a named lead professional and a plan."),
    (3, "Tier 3: standard", "Standard partnership working; offered support, monitored."),
)


class RoshLevel(models.TextChoices):
    """Risk of serious harm, as assessed by probation or the YOT (OASys / AssetPlus)."""

    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


class Pathway(models.TextChoices):
    """The seven resettlement pathways."""

    ACCOMMODATION = "accommodation", "Accommodation"
    ETE = "ete", "Education, training and employment"
    HEALTH = "health", "Health"
    DRUGS_ALCOHOL = "drugs_alcohol", "Drugs and alcohol"
    FINANCE = "finance", "Finance, benefits and debt"
    CHILDREN_FAMILIES = "children_families", "Children and families"
    ATTITUDES = "attitudes", "Attitudes, thinking and behaviour"


class NeedLevel(models.TextChoices):
    NONE = "none", "None"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


NEED_RANK: dict[str, int] = {NeedLevel.NONE: 0, NeedLevel.LOW: 1, NeedLevel.MEDIUM: 2, NeedLevel.HIGH: 3}
# A pathway counts as a need (for the gaps view and the plan prompts) at this level or above.
NEED_THRESHOLD = NeedLevel.MEDIUM


class ActionStatus(models.TextChoices):
    OPEN = "open", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
# Allowed moves of a plan action: anything open may finish or be cancelled; finished ones may be reopened.
ACTION_MOVES: dict[str, tuple[str, ...]] = {
    ActionStatus.OPEN: (ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.CANCELLED),
    ActionStatus.IN_PROGRESS: (ActionStatus.OPEN, ActionStatus.DONE, ActionStatus.CANCELLED),
    ActionStatus.DONE: (ActionStatus.IN_PROGRESS,),
    ActionStatus.CANCELLED: (ActionStatus.OPEN,),
}


class InterventionStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    ONGOING = "ongoing", "Ongoing"
    COMPLETED = "completed", "Completed"
    DROPPED_OUT = "dropped_out", "Dropped out"
    DECLINED = "declined", "Declined"


INTERVENTION_MOVES: dict[str, tuple[str, ...]] = {
    InterventionStatus.REFERRED: (InterventionStatus.ONGOING, InterventionStatus.DECLINED),
    InterventionStatus.ONGOING: (InterventionStatus.COMPLETED, InterventionStatus.DROPPED_OUT),
    InterventionStatus.COMPLETED: (),
    InterventionStatus.DROPPED_OUT: (),
    InterventionStatus.DECLINED: (),
}
LIVE_INTERVENTION_STATUSES = (InterventionStatus.REFERRED, InterventionStatus.ONGOING)


class ContactKind(models.TextChoices):
    OFFICE = "office", "Office appointment"
    HOME_VISIT = "home_visit", "Home visit"
    PHONE = "phone", "Telephone or video"
    GROUP = "group", "Group session"
    DRUG_TEST = "drug_test", "Drug test"
    OTHER = "other", "Other contact"


class ContactOutcome(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    ATTENDED = "attended", "Attended"
    LATE = "late", "Attended late"
    MISSED = "missed", "Missed"
    EXCUSED = "excused", "Excused absence"


# Compliance counts attended and late as complied, missed as not, and leaves out excused and scheduled.
COMPLIED_OUTCOMES = (ContactOutcome.ATTENDED, ContactOutcome.LATE)
COUNTED_OUTCOMES = (ContactOutcome.ATTENDED, ContactOutcome.LATE, ContactOutcome.MISSED)


class EnforcementKind(models.TextChoices):
    WARNING = "warning", "Warning"
    BREACH = "breach", "Breach action"
    RECALL = "recall", "Recall to custody"
    POLICE_ACTION = "police_action", "Police enforcement action"


# Breach and recall are only for people under statutory supervision, by the supervising agency.
STATUTORY_ENFORCEMENT = (EnforcementKind.BREACH, EnforcementKind.RECALL)
STATUTORY_AGENCY_TYPES = (AgencyType.PROBATION, AgencyType.YOUTH_OFFENDING)


class PromptKind(models.TextChoices):
    ESCALATION = "escalation", "Escalation review"
    DEESCALATION = "deescalation", "De-escalation review"


class PromptStatus(models.TextChoices):
    OPEN = "open", "Waiting for review"
    RESOLVED = "resolved", "Reviewed"


class TaskKind(models.TextChoices):
    TRANSITION = "transition", "Transition to adult services"
    THROUGH_THE_GATE = "through_the_gate", "Through the gate"


class TaskStatus(models.TextChoices):
    OPEN = "open", "To do"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


# Days before a release from custody that through-the-gate tasks are due, pathway by pathway: accommodation first.
THROUGH_THE_GATE = (
    (Pathway.ACCOMMODATION, "Secure accommodation for the day of release", 28),
    (Pathway.FINANCE, "Arrange ID, a bank account and a benefits claim for release", 21),
    (Pathway.DRUGS_ALCOHOL, "Book a treatment appointment for the first week after release", 14),
    (Pathway.HEALTH, "Register with a GP and hand over prescriptions", 14),
    (Pathway.ETE, "Line up education, training or work after release", 7),
)
RELEASE_NOTICE_DAYS = 42  # six weeks
TRANSITION_NOTICE_MONTHS = 3
