"""The sharing matrix (agency type x special category) and the consents that sharing may rest on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from openiom.accounts.constants import AgencyType
from openiom.accounts.models import Agency
from openiom.people.models import Person

from .constants import Category

USER = settings.AUTH_USER_MODEL


class SharingRule(models.Model):
    """What one type of agency may do with one special category. No row means no access."""

    agency_type = models.CharField(max_length=30, choices=AgencyType.choices)
    category = models.CharField(max_length=30, choices=Category.choices)
    can_read = models.BooleanField(default=False)
    can_write = models.BooleanField(default=False)
    needs_consent = models.BooleanField(
        default=False, help_text="Reading rests on the person's consent: without a current consent, no access."
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["category", "agency_type"]
        constraints = [
            models.UniqueConstraint(fields=["agency_type", "category"], name="one_rule_per_agency_type_and_category"),
            models.CheckConstraint(condition=Q(can_read=True) | Q(can_write=False), name="writing_needs_reading"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} for {self.get_agency_type_display()}"


class ConsentQuerySet(models.QuerySet["Consent"]):
    def current(self) -> ConsentQuerySet:
        """Given and not withdrawn: withdrawal takes effect the moment it is recorded."""
        return self.filter(withdrawn_on__isnull=True, given_on__lte=timezone.localdate())

    def covering(self, category: str, agency: Agency) -> ConsentQuerySet:
        """Consents for the category given to this agency or to all partners."""
        return self.filter(category=category).filter(Q(agency__isnull=True) | Q(agency=agency))


class Consent(models.Model):
    """A person's consent to share one category of their information, with one agency or all partners."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    category = models.CharField(max_length=30, choices=Category.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", help_text="Empty: all partners."
    )
    given_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    withdrawn_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-pk"]
        indexes = [models.Index(fields=["person", "category"])]

    def __str__(self) -> str:
        return f"Consent to share {self.get_category_display().lower()} from {self.given_on:%d %b %Y}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_on is None and self.given_on <= timezone.localdate()

    @property
    def given_to(self) -> str:
        return self.agency.name if self.agency is not None else "All partners"
