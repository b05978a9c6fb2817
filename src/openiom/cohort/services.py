"""Selection runs: start one, carry it out in the background, export its nominations.

Every state change is here and called alike by the pages, the API and the demo set-up.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from importlib import metadata
from typing import Any

import polars as pl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from openiom.analytics import SelectionConfig, explanation_text, run_scores
from openiom.audit.constants import Purpose
from openiom.audit.services import record_accesses
from openiom.jobs.models import Job
from openiom.jobs.services import run_job, start_job
from openiom.people.models import Person
from openiom.sharing.cohort import readable_for_agency, shown_row

from .adapter import encode_row, inputs_fingerprint, scoring_inputs
from .constants import RunStatus, outcome_of
from .models import ScoredPerson, SelectionRun
from .selectors import ranked_by_route

logger = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]

JOB_KIND = "selection_run"
EARLIEST_AS_OF = date(2000, 1, 1)
WRITE_BATCH = 2000


class SelectionRunError(Exception):
    """A run failed for a reason that is safe to show to the user as it is."""


def check_as_of(as_of: date) -> None:
    """Scores are worked out as they stood on a day that has happened (and not in the distant past)."""
    if as_of > timezone.localdate():
        raise ValidationError("The as-of date must be today or in the past", code="future")
    if as_of < EARLIEST_AS_OF:
        raise ValidationError(f"The as-of date must be {EARLIEST_AS_OF:%-d %B %Y} or later", code="too_early")


def start_selection_run(
    *,
    user: Any,
    as_of: date,
    config: SelectionConfig | Mapping[str, Any],
    label: str = "",
    in_background: bool = True,
) -> SelectionRun:
    """Check the request, store the run and queue the job that carries it out.

    Raises `ConfigError` for a configuration that cannot be used and `ValidationError`
    for an as-of date in the future. `in_background=False` carries the job out before
    returning (commands such as the demo set-up, which have no worker running yet).
    """
    if not isinstance(config, SelectionConfig):
        config = SelectionConfig.from_dict(dict(config))
    check_as_of(as_of)
    run = SelectionRun.objects.create(
        as_of=as_of, config=config.as_dict(), label=label.strip()[:100], created_by=user, status=RunStatus.QUEUED
    )
    title, params = f"Cohort selection run {run.pk}", {"run_id": run.pk}
    if in_background:
        job = start_job(owner=user, kind=JOB_KIND, title=title, params=params)
    else:
        job = Job.objects.create(owner=user, kind=JOB_KIND, title=title, params=params)
        run_job(str(job.pk))
    # With the immediate task backend the job has already run: update, never save a stale copy.
    SelectionRun.objects.filter(pk=run.pk).update(job=job)
    run.refresh_from_db()
    return run


def execute_selection_run(run_id: int, progress: Progress) -> SelectionRun:
    """Score everyone, then store every row in one transaction: all of the run or none of it."""
    run = SelectionRun.objects.get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        raise SelectionRunError(f"Run {run.pk} has already been started")
    SelectionRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=timezone.now())
    try:
        config = SelectionConfig.from_dict(run.config)
        progress(0, 3, "Reading the data")
        fingerprint = inputs_fingerprint()
        with scoring_inputs() as scoring:
            progress(1, 3, "Scoring the offending population")
            frame = run_scores(scoring.con, scoring.inputs, run.as_of, config)
            engine = scoring.engine
        if inputs_fingerprint() != fingerprint:
            raise SelectionRunError(
                "The data changed while the run was scoring (an import or a record-linkage merge). Start it again."
            )
        _store(run, frame, fingerprint=fingerprint, engine=engine, progress=progress)
    except Exception as exc:
        logger.exception("Selection run %s failed", run.pk)
        message = (
            str(exc)
            if isinstance(exc, SelectionRunError)
            else f"The run failed ({type(exc).__name__}). Ask an administrator to check the server log."
        )
        SelectionRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error_message=message[:300]
        )
        raise
    run.refresh_from_db()
    return run


def _software_version() -> str:
    try:
        return metadata.version("openiom")
    except metadata.PackageNotFoundError:  # pragma: no cover - a checkout that was never installed
        return ""


def _scored(run: SelectionRun, row: dict[str, Any], existing: set[int]) -> ScoredPerson:
    key = int(row["person_key"])
    return ScoredPerson(
        run=run,
        person_id=key if key in existing else None,
        person_key=key,
        route=row["route"],
        rank=row["rank"],
        nominated=bool(row["nominated"]),
        eligible=bool(row["eligible"]),
        outcome=outcome_of(
            nominated=bool(row["nominated"]), eligible=bool(row["eligible"]), exclusion=row["exclusion"]
        ),
        cohort=row["cohort"] or "",
        framework=row["framework"],
        exclusion=row["exclusion"] or "",
        pre_release_planning=bool(row["pre_release_planning"]),
        in_custody=bool(row["in_custody"]),
        rfg_score=float(row["rfg_score"]),
        harm_days=float(row["harm_days"]),
        cost_gbp=float(row["cost_gbp"]),
        ogrs3_2yr=row["ogrs3_2yr"],
        ogrs3_band=row["ogrs3_band"] or "",
        age=int(row["age"]),
        gender=row["gender"] or "",
        ethnicity=row["ethnicity"] or "",
        components=encode_row(row),
    )


def _store(run: SelectionRun, frame: pl.DataFrame, *, fingerprint: str, engine: str, progress: Progress) -> None:
    total = frame.height
    batches = max(1, -(-total // WRITE_BATCH))
    steps = 2 + batches
    with transaction.atomic():
        for index, start in enumerate(range(0, total, WRITE_BATCH)):
            rows = frame.slice(start, WRITE_BATCH).to_dicts()
            keys = [int(r["person_key"]) for r in rows]
            # A person merged away by record linkage since the scoring is stored without a link.
            existing = set(Person.objects.filter(pk__in=keys).values_list("pk", flat=True))
            ScoredPerson.objects.bulk_create([_scored(run, r, existing) for r in rows])
            progress(2 + index + 1, steps, f"Saved {min(start + WRITE_BATCH, total):,} of {total:,} people")
        SelectionRun.objects.filter(pk=run.pk).update(
            status=RunStatus.SUCCEEDED,
            finished_at=timezone.now(),
            inputs_fingerprint=fingerprint,
            engine=engine,
            software_version=_software_version(),
            population=total,
            eligible=int(frame["eligible"].sum()) if total else 0,
            nominated=int(frame["nominated"].sum()) if total else 0,
            excluded=int(frame["exclusion"].is_not_null().sum()) if total else 0,
        )
    progress(steps, steps, f"{total:,} people scored")


# ---- exporting nominations --------------------------------------------------------------

EXPORT_COLUMNS = (
    "Rank",
    "Route",
    "Cohort",
    "Framework",
    "Pre-release planning",
    "Person id",
    "Given name",
    "Family name",
    "Date of birth",
    "Age",
    "RFG score",
    "Recency points",
    "Frequency points",
    "Gravity points",
    "Harm (CCHI days)",
    "Cost of crime (GBP)",
    "OGRS3 2-year (%)",
    "OGRS3 band",
    "Explanation",
)


def _cell(value: object) -> object:
    """Spreadsheets run text that starts with = + - @ as a formula: keep it text."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return value


def export_nominations(
    run: SelectionRun, *, user: Any, person_keys: Iterable[int] | None = None, remote_addr: str | None = None
) -> bytes:
    """The run's nominations (all, or the chosen ones) as CSV; each person exported is an audited read."""
    if not run.succeeded:
        raise ValidationError("Only the nominations of a finished run can be exported")
    chosen = run.scores.nominations().select_related("person")
    if person_keys is not None:
        keys = {int(k) for k in person_keys}
        chosen = chosen.filter(person_key__in=keys)
        if not keys or not chosen.exists():
            raise ValidationError("Choose at least one nominated person to export")
    config = SelectionConfig.from_dict(run.config)
    ranked = ranked_by_route(run)
    readable = readable_for_agency(user)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    exported = list(chosen)
    record_accesses(
        user=user, objects=[s.person or s for s in exported], purpose=Purpose.SELECTION, remote_addr=remote_addr
    )
    for scored in exported:
        person = scored.person
        row = shown_row(scored.row(), readable)  # special categories as the user may read them
        writer.writerow(
            [
                _cell(v)
                for v in (
                    scored.rank,
                    scored.route,
                    scored.cohort,
                    scored.framework,
                    "yes" if scored.pre_release_planning else "no",
                    scored.person_key,
                    person.given_name if person else "",
                    person.family_name if person else "",
                    person.date_of_birth.isoformat() if person else "",
                    scored.age,
                    f"{scored.rfg_score:g}",
                    f"{row['recency_points']:g}",
                    f"{row['frequency_points']:g}",
                    f"{row['gravity_points']:g}",
                    f"{scored.harm_days:g}",
                    f"{scored.cost_gbp:.0f}",
                    "" if scored.ogrs3_2yr is None else f"{scored.ogrs3_2yr * 100:.1f}",
                    scored.ogrs3_band,
                    explanation_text(row, config, ranked.get(scored.route)),
                )
            ]
        )
    return out.getvalue().encode("utf-8-sig")  # the byte-order mark lets spreadsheets read names correctly
