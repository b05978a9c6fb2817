"""API for selection runs: list and start runs, read a run, its nominations and one person's explanation.

The same services and selectors as the pages. Nominations carry person ids and scores, not
names (read a person through /people/{id}); every person returned is an audited read. An
explanation shows special categories as the pages do (`cohort.redaction`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict

from openiom.accounts.constants import Capability
from openiom.accounts.permissions import require_api_capability
from openiom.accounts.schemas import OPTIONAL_TEXT, ErrorOut
from openiom.analytics import ConfigError
from openiom.audit.constants import Purpose
from openiom.audit.services import client_address, record_access
from openiom.people.api import IsoDate

from .constants import Cohort, Outcome, Route
from .models import ScoredPerson, SelectionRun
from .redaction import readable_for_agency, shown_components, shown_explanation
from .selectors import ResultFilters, run_list, scored_people, scored_person
from .services import start_selection_run

router = Router(tags=["cohort selection"])

Id = Annotated[int, Path(ge=1, le=2**63 - 1)]


class RunIn(Schema):
    model_config = ConfigDict(extra="forbid")

    as_of: IsoDate
    label: str = Field("", max_length=100, pattern=OPTIONAL_TEXT)
    config: dict[str, Any] = Field(
        default_factory=dict,
        description="All or part of the selection configuration (see docs/metrics.md); "
        "settings not given take OpenIOM's defaults.",
    )


class RunOut(Schema):
    id: int
    label: str
    as_of: date
    status: str
    created_at: datetime
    created_by: str
    finished_at: datetime | None
    inputs_fingerprint: str
    engine: str
    population: int
    eligible: int
    nominated: int
    excluded: int
    error_message: str
    config: dict[str, Any]


class NominationOut(Schema):
    person_id: int
    route: str
    rank: int | None
    cohort: str
    framework: str
    pre_release_planning: bool
    in_custody: bool
    rfg_score: float
    harm_days: float
    cost_gbp: float
    ogrs3_2yr: float | None
    ogrs3_band: str


class NominationsOut(Schema):
    total: int
    results: list[NominationOut]


class ExplanationItemOut(Schema):
    heading: str
    text: str


class ExplanationOut(Schema):
    run_id: int
    person_id: int
    outcome: str
    route: str
    rank: int | None
    nominated: bool
    cohort: str
    exclusion: str
    explanation: list[ExplanationItemOut]
    figures: dict[str, Any] = Field(description="The scoring's whole output row as stored (dates as ISO strings).")


def _run_out(run: SelectionRun) -> RunOut:
    return RunOut(
        id=run.pk,
        label=run.label,
        as_of=run.as_of,
        status=run.status,
        created_at=run.created_at,
        created_by=run.created_by.full_name,
        finished_at=run.finished_at,
        inputs_fingerprint=run.inputs_fingerprint,
        engine=run.engine,
        population=run.population,
        eligible=run.eligible,
        nominated=run.nominated,
        excluded=run.excluded,
        error_message=run.error_message,
        config=run.config,
    )


def _readable_run(request: HttpRequest, run_id: int) -> SelectionRun:
    require_api_capability(request, Capability.COHORT_VIEW)
    return get_object_or_404(SelectionRun.objects.select_related("created_by"), pk=run_id)


def _only_query(request: HttpRequest, allowed: set[str]) -> None:
    """Refuse unknown query parameters: a misspelt filter must not quietly return everything."""
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise HttpError(422, f"Unknown query parameter: {unknown[0][:40]}. Allowed: {', '.join(sorted(allowed))}")


def _audit(request: HttpRequest, scored: ScoredPerson) -> None:
    record_access(
        user=request.user, obj=scored.person or scored, purpose=Purpose.API, remote_addr=client_address(request)
    )


@router.get(
    "/selection-runs",
    response={200: list[RunOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Selection runs, newest first",
)
def list_runs(
    request: HttpRequest,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[RunOut]:
    require_api_capability(request, Capability.COHORT_VIEW)
    _only_query(request, {"limit", "offset"})
    return [_run_out(r) for r in run_list()[offset : offset + limit]]


@router.post(
    "/selection-runs",
    response={201: RunOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Start a selection run",
    description="The run is carried out in the background: read it again until `status` is `succeeded` or "
    "`failed`. A configuration that cannot be used, or an as-of date in the future, is a 400 with the reason.",
)
def start_run(request: HttpRequest, payload: RunIn) -> tuple[int, RunOut]:
    require_api_capability(request, Capability.COHORT_RUN)
    try:
        run = start_selection_run(user=request.user, as_of=payload.as_of, config=payload.config, label=payload.label)
    except ConfigError as exc:
        raise HttpError(400, f"The configuration cannot be used: {exc}") from None
    except ValidationError as exc:
        raise HttpError(400, exc.messages[0]) from None
    return 201, _run_out(run)


@router.get(
    "/selection-runs/{run_id}",
    response={200: RunOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="A selection run: its status, counts, configuration and data fingerprint",
)
def read_run(request: HttpRequest, run_id: Id) -> RunOut:
    return _run_out(_readable_run(request, run_id))


@router.get(
    "/selection-runs/{run_id}/nominations",
    response={200: NominationsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="A finished run's nominations, IOM first, in rank order",
)
def nominations(
    request: HttpRequest,
    run_id: Id,
    route: Route | None = None,
    cohort: Cohort | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> NominationsOut:
    run = _readable_run(request, run_id)
    _only_query(request, {"route", "cohort", "limit", "offset"})
    if not run.succeeded:
        raise HttpError(409, "The run has not finished")
    found = scored_people(
        run, ResultFilters(outcome=Outcome.NOMINATED, route=route.value if route else "", cohort=cohort or "")
    )
    page = list(found[offset : offset + limit])
    for s in page:
        _audit(request, s)
    return NominationsOut(
        total=found.count(),
        results=[
            NominationOut(
                person_id=s.person_key,
                route=s.route,
                rank=s.rank,
                cohort=s.cohort,
                framework=s.framework,
                pre_release_planning=s.pre_release_planning,
                in_custody=s.in_custody,
                rfg_score=s.rfg_score,
                harm_days=s.harm_days,
                cost_gbp=s.cost_gbp,
                ogrs3_2yr=s.ogrs3_2yr,
                ogrs3_band=s.ogrs3_band,
            )
            for s in page
        ],
    )


@router.get(
    "/selection-runs/{run_id}/people/{person_id}/explanation",
    response={200: ExplanationOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Why a run scored and placed a person as it did, in plain English, with every figure",
)
def explanation(request: HttpRequest, run_id: Id, person_id: Id) -> ExplanationOut:
    run = _readable_run(request, run_id)
    scored = scored_person(run, person_id)
    if scored is None:
        raise HttpError(404, "This person was not scored in this run")
    _audit(request, scored)
    readable = readable_for_agency(request.user)
    row, explained = shown_explanation(scored, readable)
    return ExplanationOut(
        run_id=run.pk,
        person_id=scored.person_key,
        outcome=scored.outcome,
        route=scored.route,
        rank=scored.rank,
        nominated=scored.nominated,
        cohort=scored.cohort,
        exclusion=row.get("exclusion") or "",
        explanation=[ExplanationItemOut(heading=e.heading, text=e.text) for e in explained],
        figures=shown_components(scored, readable),
    )
