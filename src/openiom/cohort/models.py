"""Selection runs and the people each one scored.

A `SelectionRun` keeps everything needed to explain it later: the as-of date, the whole
configuration (`SelectionConfig.as_dict()`), the fingerprint of the data it read and the
software that scored it. A `ScoredPerson` is one row of the analytics core's output: the
columns pages filter and sort on are typed; `components` holds the whole row (dates as ISO
strings) so an explanation can be rebuilt exactly, long after the data has changed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from openiom.people.models import Person

from .constants import FINISHED_RUN_STATUSES, Cohort, Framework, Outcome, Route, RunStatus


class SelectionRunQuerySet(models.QuerySet["SelectionRun"]):
    def succeeded(self) -> SelectionRunQuerySet:
        return self.filter(status=RunStatus.SUCCEEDED)

    def unfinished(self) -> SelectionRunQuerySet:
        return self.exclude(status__in=FINISHED_RUN_STATUSES)


class SelectionRun(models.Model):
    as_of = models.DateField("as-of date", help_text="Scores are worked out as they stood on this day.")
    label = models.CharField(max_length=100, blank=True, help_text="A short name the user gave the run.")
    config = models.JSONField(help_text="The whole SelectionConfig, as SelectionConfig.as_dict().")
    inputs_fingerprint = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the data read (see cohort.adapter.inputs_fingerprint)."
    )
    engine = models.CharField(max_length=20, blank=True, help_text="Where the scores were computed.")
    software_version = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    job = models.ForeignKey("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    population = models.PositiveIntegerField(default=0, help_text="People scored (the offending population).")
    eligible = models.PositiveIntegerField(default=0)
    nominated = models.PositiveIntegerField(default=0)
    excluded = models.PositiveIntegerField(default=0)
    error_message = models.CharField(max_length=300, blank=True)

    objects = SelectionRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"Run {self.pk}" + (f": {self.label}" if self.label else "")

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_RUN_STATUSES

    @property
    def succeeded(self) -> bool:
        return self.status == RunStatus.SUCCEEDED

    @property
    def small_number(self) -> int:
        return int(self.config.get("small_number", 5))


class ScoredPersonQuerySet(models.QuerySet["ScoredPerson"]):
    def nominations(self) -> ScoredPersonQuerySet:
        """Nominated people, IOM first, in rank order."""
        return self.filter(nominated=True).order_by("-route", "rank", "person_key")

    def exclusions(self) -> ScoredPersonQuerySet:
        return self.filter(outcome=Outcome.EXCLUDED).order_by("-route", "person_key")

    def eligible(self) -> ScoredPersonQuerySet:
        return self.filter(eligible=True)

    def for_route(self, route: str) -> ScoredPersonQuerySet:
        return self.filter(route=route)


class ScoredPerson(models.Model):
    run = models.ForeignKey(SelectionRun, on_delete=models.CASCADE, related_name="scores")
    # The person as they were when scored. Record linkage may later merge them into someone
    # else (the merged-away Person is deleted): `person` then becomes empty, and `person_key`
    # and `components` still say who was scored and why.
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    person_key = models.BigIntegerField(help_text="The person's id when the run scored them.")
    route = models.CharField(max_length=3, choices=Route.choices)
    rank = models.PositiveIntegerField(null=True, blank=True, help_text="Rank among the eligible of the route.")
    nominated = models.BooleanField()
    eligible = models.BooleanField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    cohort = models.CharField(max_length=3, choices=Cohort.choices, blank=True)
    framework = models.CharField(max_length=5, choices=Framework.choices)
    exclusion = models.CharField(max_length=200, blank=True)
    pre_release_planning = models.BooleanField()
    in_custody = models.BooleanField()
    rfg_score = models.FloatField()
    harm_days = models.FloatField()
    cost_gbp = models.FloatField()
    ogrs3_2yr = models.FloatField(null=True, blank=True)
    ogrs3_band = models.CharField(max_length=10, blank=True)
    age = models.PositiveSmallIntegerField()
    gender = models.CharField(max_length=2, blank=True)
    ethnicity = models.CharField(max_length=2, blank=True)
    components = models.JSONField(help_text="The whole output row of the scoring, dates as ISO strings.")

    objects = ScoredPersonQuerySet.as_manager()

    class Meta:
        ordering = ["-route", "rank", "person_key"]
        constraints = [models.UniqueConstraint(fields=["run", "person_key"], name="one_score_per_person_per_run")]
        indexes = [
            models.Index(fields=["run", "outcome", "route", "rank"]),
            models.Index(fields=["run", "route", "rank"]),
        ]

    def __str__(self) -> str:
        return f"Person {self.person_key} in run {self.run_id}"

    def row(self) -> dict[str, Any]:
        """The scoring's output row with its dates as dates again (what `explain_row` takes)."""
        from .adapter import decode_row

        return decode_row(self.components)
