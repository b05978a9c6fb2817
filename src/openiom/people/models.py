"""People: one `Person` per real individual, linking the `PersonRecord`s each agency holds."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone

from openiom.accounts.models import Agency

from .constants import Ethnicity, Gender


class PersonQuerySet(models.QuerySet["Person"]):
    def with_records(self) -> PersonQuerySet:
        return self.prefetch_related("records__source")


class Person(models.Model):
    """A real individual. Identity fields are the best of the linked records (see services)."""

    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(max_length=2, choices=Ethnicity.choices)
    pnc_id = models.CharField("PNC id", max_length=14, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name", "pk"]
        indexes = [models.Index(fields=["family_name", "given_name"]), models.Index(fields=["date_of_birth"])]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: date) -> int:
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class PersonRecord(models.Model):
    """A person as one agency knows them: one row of a delivery's people file."""

    source = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="person_records")
    source_person_id = models.CharField("id at the source", max_length=40)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="records")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(max_length=2, choices=Ethnicity.choices)
    pnc_id = models.CharField("PNC id", max_length=14, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    ward = models.CharField(max_length=100, blank=True)
    delivery = models.ForeignKey(
        "imports.Delivery",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The delivery that last created or changed this record.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    # The fields a delivery sets, in the data standard's order.
    STANDARD_FIELDS = (
        "given_name",
        "family_name",
        "date_of_birth",
        "gender",
        "ethnicity",
        "pnc_id",
        "postcode",
        "ward",
    )

    class Meta:
        ordering = ["source__name", "source_person_id"]
        constraints = [models.UniqueConstraint(fields=["source", "source_person_id"], name="unique_record_per_source")]
        indexes = [models.Index(fields=["family_name", "given_name"]), models.Index(fields=["pnc_id"])]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name} ({self.source_id}:{self.source_person_id})"
