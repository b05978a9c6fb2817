"""People: one `Person` per real individual, linking the `PersonRecord`s each agency holds."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from openiom.accounts.models import Agency

from .constants import Ethnicity, Gender, MatchStatus


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


class MatchCandidateQuerySet(models.QuerySet["MatchCandidate"]):
    def open(self) -> MatchCandidateQuerySet:
        return self.filter(status=MatchStatus.OPEN)


class MatchCandidate(models.Model):
    """A pair of records that may be the same person, for a co-ordinator to decide."""

    record_a = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey(PersonRecord, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    status = models.CharField(max_length=10, choices=MatchStatus.choices, default=MatchStatus.OPEN)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = MatchCandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-probability", "pk"]
        constraints = [models.UniqueConstraint(fields=["record_a", "record_b"], name="unique_candidate_pair")]

    def __str__(self) -> str:
        return f"Possible match {self.record_a_id} / {self.record_b_id} ({self.probability:.2f})"


class PersonMerge(models.Model):
    """Records moved into one person: by the linkage run (automatic) or a co-ordinator. Can be undone."""

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges")
    moved_records = models.ManyToManyField(PersonRecord, related_name="+")
    probability = models.FloatField(null=True, blank=True)
    candidate = models.ForeignKey(MatchCandidate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Blank for an automatic merge by the linkage run.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Merge into person {self.kept_id}"
