from django.db import models


class Membership(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    AS_REQUIRED = "as_required", "Attend as required"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class MinutesStatus(models.TextChoices):
    NONE = "none", "Not started"
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


class ReferralKind(models.TextChoices):
    SELECTION = "selection", "Referral for selection"
    DESELECTION = "deselection", "Proposed de-selection"


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    ON_AGENDA = "on_agenda", "On an agenda"
    SELECTED = "selected", "Selected"
    REJECTED = "rejected", "Rejected"
    DEFERRED = "deferred", "Deferred"
    DESELECTED = "deselected", "De-selected"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_REFERRAL_STATUSES = (ReferralStatus.RECEIVED, ReferralStatus.ON_AGENDA, ReferralStatus.DEFERRED)


class AgendaKind(models.TextChoices):
    NEW_REFERRAL = "new_referral", "New referral"
    REVIEW = "review", "Case due for review"
    DESELECTION = "deselection", "Proposed de-selection"
    ACTIONS = "actions", "Outstanding actions"


class Outcome(models.TextChoices):
    SELECT = "select", "Select"
    REJECT = "reject", "Reject"
    DEFER = "defer", "Defer"
    DESELECT = "deselect", "De-select"


class Capacity(models.TextChoices):
    MEMBER = "member", "Member"
    DEPUTY = "deputy", "Deputy for a member"
    NOMINATING_OFFICER = "nominating_officer", "Nominating officer"
    GUEST = "guest", "Guest"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class CirculationKind(models.TextChoices):
    PAPERS = "papers", "Agenda and papers"
    MINUTES = "minutes", "Minutes"
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement response form"
    URGENT_REFERRAL = "urgent_referral", "Urgent late referral notice"
    INVITATION = "invitation", "Invitation to the nominating officer"


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
