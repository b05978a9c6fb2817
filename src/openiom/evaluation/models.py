"""Performance targets the partnership sets itself (NI30-style: "reduce the reoffending rate of
PPOs by 10% against the baseline"). Not personal data: a target names a cohort and a period,
never a person. Changes go through `targets.py` (checked there, once); edits are optimistic-locked.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .data import COHORT_CHOICES


class Measure(models.TextChoices):
    """What a target measures. Lower is better for every one of them."""

    REOFFENDING_RATE = "reoffending_rate", "Binary proven reoffending rate"
    REOFFENCES_PER_OFFENDER = "reoffences_per_offender", "Proven reoffences per offender"
    OFFENCES_CHANGE = "offences_change", "Proven offences after entry against before (% change)"
    HARM_CHANGE = "harm_change", "Harm after entry against before (% change)"
    COST_CHANGE = "cost_change", "Cost of crime after entry against before (% change)"


# Measures that already compare with the 12 months before entry: their baseline is built in.
CHANGE_MEASURES = frozenset({Measure.OFFENCES_CHANGE, Measure.HARM_CHANGE, Measure.COST_CHANGE})


class TargetKind(models.TextChoices):
    REDUCE_BY = "reduce_by", "Reduce by a percentage against a baseline"
    AT_MOST = "at_most", "At most a value"


class TargetStatus(models.TextChoices):
    MET = "met", "Met"
    NOT_MET = "not_met", "Not met"
    ON_TRACK = "on_track", "On track"
    NOT_ON_TRACK = "not_on_track", "Not on track"
    NOT_MEASURABLE = "not_measurable", "Not yet measurable"


class TargetQuerySet(models.QuerySet["Target"]):
    def active(self) -> TargetQuerySet:
        return self.filter(is_active=True)


class Target(models.Model):
    """A target on one measure of one cohort's entrants in one period.

    Values are in the measure's own unit: a rate or a change as a percentage (63 for 63%,
    -20 for a fifth fewer), reoffences per offender as a number. For "reduce by", `target_value`
    is the percentage reduction and the baseline is `baseline_value`, or the same measure of
    those who entered in `baseline_from`..`baseline_to`.
    """

    name = models.CharField(max_length=200)
    measure = models.CharField(max_length=32, choices=Measure.choices)
    cohort = models.CharField(max_length=8, choices=COHORT_CHOICES, default="IOM")
    entered_from = models.DateField(help_text="The first day of the period whose entrants are measured.")
    entered_to = models.DateField(help_text="The last day of that period.")
    kind = models.CharField(max_length=16, choices=TargetKind.choices)
    target_value = models.DecimalField(max_digits=9, decimal_places=2)
    baseline_value = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    baseline_from = models.DateField(null=True, blank=True)
    baseline_to = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    is_active = models.BooleanField("active", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name
