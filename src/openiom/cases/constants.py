from django.db import models

# A case's cohort and national framework stream use the cohort selection's vocabularies.
from openiom.cohort.constants import Cohort, Framework

__all__ = ["DEFAULT_TIERS", "CaseStatus", "Cohort", "Framework"]


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


# The default pyramid of service levels: the most intensive management at the top.
DEFAULT_TIERS = (
    (1, "Tier 1: intensive", "The most intensive multi-agency management, reviewed at every panel."),
    (2, "Tier 2: enhanced", "Enhanced partnership working with a named lead professional and a plan."),
    (3, "Tier 3: standard", "Standard partnership working; offered support, monitored."),
)
