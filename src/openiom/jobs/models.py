"""A user-visible record of a piece of background work and its progress."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from .constants import FINISHED_STATUSES, JobStatus


class JobQuerySet(models.QuerySet["Job"]):
    def for_owner(self, user: object) -> JobQuerySet:
        return self.filter(owner=user)

    def unfinished(self) -> JobQuerySet:
        return self.exclude(status__in=FINISHED_STATUSES)

    def stalled(self, before: datetime) -> JobQuerySet:
        """Running jobs whose worker has not been heard from since `before`: it was stopped or killed."""
        return self.filter(status=JobStatus.RUNNING).filter(
            models.Q(heartbeat_at__lt=before) | models.Q(heartbeat_at__isnull=True, started_at__lt=before)
        )


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=50)
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs")
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    result = models.JSONField(default=dict, blank=True)
    output_file = models.CharField(max_length=300, blank=True)
    output_name = models.CharField(max_length=200, blank=True)
    output_content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from the worker running the job."
    )

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(100 * self.progress_done / self.progress_total))
