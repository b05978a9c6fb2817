from django.db import models


class Purpose(models.TextChoices):
    """Why a user looked at a record. Shown in the audit trail."""

    CASE_MANAGEMENT = "case_management", "Case management"
    PANEL = "panel", "Panel business"
    SELECTION = "selection", "Cohort selection"
    ADMINISTRATION = "administration", "Administration"
    SUBJECT_ACCESS = "subject_access", "Subject access request"
    API = "api", "API request"
    BREAK_GLASS = "break_glass", "Break-glass access"
    OTHER = "other", "Other"
