"""Vocabularies for cohort selection."""

from django.db import models


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed"


FINISHED_RUN_STATUSES = (RunStatus.SUCCEEDED, RunStatus.FAILED)


class Route(models.TextChoices):
    IOM = "IOM", "IOM (adults)"
    DYO = "DYO", "Deter Young Offenders (under 18)"


class Cohort(models.TextChoices):
    PPO = "PPO", "Prolific and Priority Offender"
    HCC = "HCC", "High Crime Causer"
    DIP = "DIP", "Drug Interventions Programme"
    DYO = "DYO", "Deter Young Offenders"


class Framework(models.TextChoices):
    FIXED = "Fixed", "Fixed (neighbourhood crime)"
    FLEX = "Flex", "Flex (local priorities)"
    FREE = "Free", "Free (other offending)"


class Outcome(models.TextChoices):
    """Where a scored person ended up: derived once, from the scores, when the run is stored."""

    NOMINATED = "nominated", "Nominated"
    ELIGIBLE = "eligible", "Eligible, not nominated"
    EXCLUDED = "excluded", "Excluded"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"


def outcome_of(*, nominated: bool, eligible: bool, exclusion: str | None) -> Outcome:
    if exclusion:
        return Outcome.EXCLUDED
    if nominated:
        return Outcome.NOMINATED
    if eligible:
        return Outcome.ELIGIBLE
    return Outcome.NOT_ELIGIBLE
