"""IOM cases: one open case per person selected by a panel, with its cohort, tier and lead professional.

The panels issue creates and closes cases through `services.open_case` and
`services.close_case`; the case-management issue builds plans, contacts and the rest on them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from openiom.accounts.models import Agency
from openiom.people.models import Person

from .constants import CaseStatus, Cohort, Framework


class Tier(models.Model):
    """A level of the service-level pyramid; level 1 is the most intensive."""

    level = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["level"]

    def __str__(self) -> str:
        return self.name


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(status=CaseStatus.OPEN)

    def for_person(self, person: Person | int) -> CaseQuerySet:
        return self.filter(person=person)


class Case(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    cohort = models.CharField(max_length=5, choices=Cohort.choices)
    framework = models.CharField("national framework stream", max_length=5, choices=Framework.choices, blank=True)
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="cases")
    lead_professional = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_cases")
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="led_cases")
    statutory = models.BooleanField(default=False, help_text="Under statutory supervision (probation or YOT).")
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
