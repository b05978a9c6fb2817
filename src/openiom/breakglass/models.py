"""Break-glass grants: temporary full access to one case, asked for with a reason, reviewed afterwards."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from openiom.cases.models import Case

from .constants import Outcome


class GrantQuerySet(models.QuerySet["Grant"]):
    def active(self) -> GrantQuerySet:
        """Grants that give access now: not ended early, not yet expired."""
        return self.filter(ended_at__isnull=True, expires_at__gt=timezone.now())

    def for_case(self, user: object, case_id: int) -> GrantQuerySet:
        return self.filter(user=user, case_id=case_id)

    def awaiting_review(self) -> GrantQuerySet:
        return self.filter(reviewed_at__isnull=True)


class Grant(models.Model):
    """One user's temporary full access to one case, with the reason they gave."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="break_glass_grants")
    reason = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the grant is ended early, by its holder or a reviewer."
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reads = models.PositiveIntegerField(default=0, help_text="Requests that used the grant while it lasted.")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    review_notes = models.TextField(blank=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-pk"]
        indexes = [models.Index(fields=["user", "case", "expires_at"])]

    def __str__(self) -> str:
        return f"Break-glass grant {self.pk}"

    @property
    def ends_at(self) -> datetime:
        """When the access stopped or will stop."""
        return min(self.expires_at, self.ended_at) if self.ended_at else self.expires_at

    @property
    def is_active(self) -> bool:
        return self.ended_at is None and self.expires_at > timezone.now()
