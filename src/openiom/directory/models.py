"""The service directory: what partners and providers offer, for whom, where, and how many places."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from openiom.cases.constants import Cohort, Pathway


class ServiceQuerySet(models.QuerySet["Service"]):
    def active(self) -> ServiceQuerySet:
        return self.filter(is_active=True)


class Service(models.Model):
    """A service people can be referred to. Not personal data."""

    name = models.CharField(max_length=200)
    provider = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    pathways = models.JSONField(default=list, help_text="The pathways the service addresses (codes of `Pathway`).")
    area = models.CharField(max_length=100, blank=True, help_text="Where it is offered; blank means everywhere.")
    min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(null=True, blank=True)
    gender = models.CharField(
        max_length=1, blank=True, help_text="M or F for a single-gender service; blank for everyone."
    )
    cohorts = models.JSONField(default=list, blank=True, help_text="Cohorts it is for; empty means any cohort.")
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Places at any one time; blank: unknown.")
    contact = models.CharField(max_length=200, blank=True)
    referral_route = models.TextField(blank=True)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    inactive_reason = models.CharField(max_length=500, blank=True, help_text="Why it no longer takes referrals.")
    version = models.PositiveIntegerField(default=1)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "provider"]
        constraints = [models.UniqueConstraint(fields=["name", "provider"], name="one_service_per_name_and_provider")]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider})"

    def pathway_labels(self) -> list[str]:
        labels = dict(Pathway.choices)
        return [labels.get(p, p) for p in self.pathways]

    def cohort_labels(self) -> list[str]:
        labels = dict(Cohort.choices)
        return [labels.get(c, c) for c in self.cohorts]
