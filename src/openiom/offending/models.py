"""Offending histories, custody periods and flags, as the agencies send them."""

from __future__ import annotations

from django.db import models

from openiom.accounts.models import Agency
from openiom.people.models import PersonRecord
from openiom.reference import offence_categories

from .constants import SANCTION_OUTCOMES, Disposal, FlagType, Outcome


class OffenceQuerySet(models.QuerySet["Offence"]):
    def sanctions(self) -> OffenceQuerySet:
        return self.filter(outcome__in=SANCTION_OUTCOMES)

    def for_person(self, person_id: int) -> OffenceQuerySet:
        return self.filter(record__person_id=person_id)


class Offence(models.Model):
    source = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    event_id = models.CharField(max_length=40)
    record = models.ForeignKey(PersonRecord, on_delete=models.PROTECT, related_name="offences")
    offence_code = models.CharField(max_length=40)
    offence_date = models.DateField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    outcome_date = models.DateField()
    disposal = models.CharField(max_length=30, choices=Disposal.choices, blank=True)
    sentence_days = models.PositiveIntegerField(null=True, blank=True)
    ward = models.CharField(max_length=100, blank=True)
    delivery = models.ForeignKey("imports.Delivery", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = OffenceQuerySet.as_manager()

    STANDARD_FIELDS = ("offence_code", "offence_date", "outcome", "outcome_date", "disposal", "sentence_days", "ward")

    class Meta:
        ordering = ["offence_date", "event_id"]
        constraints = [models.UniqueConstraint(fields=["source", "event_id"], name="unique_event_per_source")]
        indexes = [models.Index(fields=["record", "offence_date"]), models.Index(fields=["outcome_date"])]

    def __str__(self) -> str:
        return f"{self.offence_label} on {self.offence_date:%d %b %Y}"

    @property
    def offence_label(self) -> str:
        category = offence_categories().get(self.offence_code)
        return category.label if category else self.offence_code

    @property
    def is_sanction(self) -> bool:
        return self.outcome in SANCTION_OUTCOMES


class CustodyPeriod(models.Model):
    source = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    record = models.ForeignKey(PersonRecord, on_delete=models.PROTECT, related_name="custody_periods")
    reception_date = models.DateField()
    release_date = models.DateField(null=True, blank=True)
    delivery = models.ForeignKey("imports.Delivery", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    STANDARD_FIELDS = ("release_date",)

    class Meta:
        ordering = ["reception_date"]
        constraints = [
            models.UniqueConstraint(fields=["source", "record", "reception_date"], name="unique_custody_reception")
        ]

    def __str__(self) -> str:
        return f"Custody from {self.reception_date:%d %b %Y}"


class Flag(models.Model):
    source = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    record = models.ForeignKey(PersonRecord, on_delete=models.PROTECT, related_name="flags")
    flag = models.CharField(max_length=20, choices=FlagType.choices)
    value = models.CharField(max_length=20, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    delivery = models.ForeignKey("imports.Delivery", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    STANDARD_FIELDS = ("value", "end_date")

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(fields=["source", "record", "flag", "start_date"], name="unique_flag_start")
        ]

    def __str__(self) -> str:
        return f"{self.get_flag_display()} from {self.start_date:%d %b %Y}"
