"""A delivery: one set of files an agency sent, checked and imported all or nothing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .constants import DeliveryStatus, Origin


class Delivery(models.Model):
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="deliveries"
    )
    command_user = models.CharField(
        max_length=100, blank=True, help_text="Operating-system user, for command-line imports."
    )
    origin = models.CharField(max_length=10, choices=Origin.choices)
    status = models.CharField(max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.CHECKING)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 over the files' names and contents.")
    file_names = models.JSONField(default=list)
    ignored_files = models.JSONField(default=list)
    row_counts = models.JSONField(default=dict, help_text="Rows per file in the delivery.")
    changes = models.JSONField(default=dict, help_text="{file: {created, updated, unchanged}}")
    errors = models.JSONField(default=list, help_text="The first 1,000 problems found.")
    error_count = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"Delivery {self.pk} ({self.get_status_display()})"

    @property
    def who(self) -> str:
        if self.imported_by_id:
            return str(self.imported_by)
        return f"{self.command_user or 'unknown'} (command line)"

    @property
    def total_rows(self) -> int:
        return sum(self.row_counts.values())
