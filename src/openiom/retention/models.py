"""Retention periods by record type, and the record of every deletion or anonymisation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .constants import ActionKind, RecordType


class RetentionRule(models.Model):
    record_type = models.CharField(max_length=20, choices=RecordType.choices, unique=True)
    months = models.PositiveSmallIntegerField(help_text="How long the record is kept after the date it counts from.")
    basis = models.TextField(help_text="Why this period: the law, guidance or agreement it rests on.")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["record_type"]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()}: {self.months} months"


class RetentionAction(models.Model):
    """One record deleted or anonymised: who, when, what (ids and counts, nothing personal) and why."""

    record_type = models.CharField(max_length=20, choices=RecordType.choices)
    object_id = models.BigIntegerField()
    action = models.CharField(max_length=12, choices=ActionKind.choices)
    label = models.CharField(max_length=200, help_text="What it was, without personal data (e.g. 'IOM case 12').")
    counts = models.JSONField(default=dict, help_text="{model: rows deleted or changed}")
    period_months = models.PositiveSmallIntegerField(help_text="The retention period in force.")
    due_on = models.DateField(help_text="When the record passed its retention period.")
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.label}"
