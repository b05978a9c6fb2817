"""API for the service directory: search, read, add, change (with the version), stop referrals, gaps.

Every write calls the same service functions as the pages (`services.py`). A well-formed request
the directory's rules refuse (a duplicate name, a minimum age above the maximum, an edit started
from an old version) is a 409 with the reason in words.
"""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import BeforeValidator, ConfigDict, Field

from openiom.accounts.constants import Capability
from openiom.accounts.permissions import require_api_capability
from openiom.accounts.schemas import OPTIONAL_TEXT, TEXT, ErrorOut
from openiom.cases.locking import StaleEditError

from .gaps import PathwayGap, gaps_from_database
from .models import Service
from .selectors import ServiceSearch, free_places, search_services, with_places
from .services import (
    MAX_AGE,
    ServiceData,
    ServiceError,
    create_service,
    deactivate_service,
    reactivate_service,
    update_service,
)

router = Router(tags=["services"])
ServiceId = Annotated[int, Path(ge=1, le=2**63 - 1)]
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
PathwayCode = Literal[
    "accommodation", "ete", "health", "drugs_alcohol", "finance", "children_families", "attitudes"
]  # fmt: skip
CohortCode = Literal["PPO", "HCC", "DIP", "DYO"]


def _json_integer(value: object) -> object:
    """A JSON integer (88 or 88.0), never true/false or "88", which pydantic's lax mode would turn into one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a whole number")
    return value


Age = Annotated[int, Field(ge=0, le=MAX_AGE), BeforeValidator(_json_integer)]
Places = Annotated[int, Field(ge=0, le=100_000), BeforeValidator(_json_integer)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1), BeforeValidator(_json_integer)]
SEARCH_PARAMETERS = {"q", "pathway", "area", "age", "gender", "cohort", "available", "include_inactive"}


class ServiceIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200, pattern=TEXT)
    provider: str = Field(min_length=1, max_length=200, pattern=TEXT)
    description: str = Field("", max_length=5000, pattern=OPTIONAL_TEXT)
    pathways: list[PathwayCode] = Field(min_length=1, max_length=7)
    area: str = Field("", max_length=100, pattern=OPTIONAL_TEXT, description="Blank: offered everywhere")
    min_age: Age | None = None
    max_age: Age | None = None
    gender: Literal["", "M", "F"] = Field("", description="Blank: everyone; M: men only; F: women only")
    cohorts: list[CohortCode] = Field([], max_length=4, description="Empty: any cohort")
    capacity: Places | None = Field(
        None, description="Places for the partnership's referrals at any one time; null: not known"
    )
    contact: str = Field("", max_length=200, pattern=OPTIONAL_TEXT)
    referral_route: str = Field("", max_length=5000, pattern=OPTIONAL_TEXT)

    def data(self) -> ServiceData:
        return ServiceData(**self.model_dump(exclude={"version"}))


class ServiceUpdateIn(ServiceIn):
    version: Version = Field(description="The version the change was made from (from a read)")


class StopIn(Schema):
    model_config = ConfigDict(extra="forbid")
    version: Version
    reason: str = Field(min_length=1, max_length=500, pattern=TEXT)


class VersionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    version: Version


class ServiceOut(Schema):
    id: int
    name: str
    provider: str
    description: str
    pathways: list[str]
    area: str
    min_age: int | None
    max_age: int | None
    gender: str
    cohorts: list[str]
    capacity: int | None
    live_referrals: int
    free_places: int | None
    contact: str
    referral_route: str
    is_active: bool
    inactive_reason: str
    version: int


def _out(service: Service) -> ServiceOut:
    if not hasattr(service, "live_referrals"):
        service = with_places(Service.objects.filter(pk=service.pk)).get()
    return ServiceOut(
        id=service.pk, name=service.name, provider=service.provider, description=service.description,
        pathways=service.pathways, area=service.area, min_age=service.min_age, max_age=service.max_age,
        gender=service.gender, cohorts=service.cohorts, capacity=service.capacity,
        live_referrals=service.live_referrals,  # type: ignore[attr-defined]
        free_places=free_places(service), contact=service.contact, referral_route=service.referral_route,
        is_active=service.is_active, inactive_reason=service.inactive_reason, version=service.version,
    )  # fmt: skip


def _refused(exc: ServiceError | StaleEditError) -> HttpError:
    return HttpError(409, str(exc))


def _only_query(request: HttpRequest, allowed: set[str]) -> None:
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise HttpError(422, f"Unknown query parameter: {unknown[0][:40]}. Allowed: {', '.join(sorted(allowed))}")


@router.get("/services", response={200: list[ServiceOut], **ERRORS}, summary="Find services (every filter optional)")
def list_services(
    request: HttpRequest,
    q: Annotated[str, Query(max_length=100, pattern=OPTIONAL_TEXT, description="Words to find")] = "",
    pathway: PathwayCode | None = None,
    area: Annotated[str, Query(max_length=100, pattern=OPTIONAL_TEXT)] = "",
    age: Annotated[int | None, Query(ge=0, le=MAX_AGE, description="The person's age")] = None,
    gender: Literal["M", "F"] | None = None,
    cohort: CohortCode | None = None,
    available: bool = False,
    include_inactive: bool = False,
) -> list[ServiceOut]:  # fmt: skip
    require_api_capability(request, Capability.SERVICES_VIEW)
    _only_query(request, SEARCH_PARAMETERS)
    search = ServiceSearch(
        words=q, pathway=pathway or "", area=area, age=age, gender=gender or "", cohort=cohort or "",
        available=available, include_inactive=include_inactive,
    )  # fmt: skip
    return [_out(s) for s in search_services(search)]


class DuplicateOut(Schema):
    service_ids: list[int]
    names: list[str]


class GapOut(Schema):
    pathway: str
    label: str
    need: int = Field(description="Open cases with this pathway as a medium or high need at their latest assessment")
    referred: int = Field(description="Of those, cases with a live referral (referred or ongoing) on this pathway")
    waiting: int = Field(description="need - referred")
    services: int = Field(description="Active services working on the pathway")
    services_with_unknown_places: int
    places: int = Field(description="Sum of the known capacities of those services")
    taken: int = Field(description="Live referrals on this pathway at the services with known capacity")
    free: int = Field(description="Sum over those services of capacity minus live referrals on any pathway, >= 0")
    unmet: int = Field(description="max(0, waiting - free)")
    unmet_need: bool
    duplicated_provision: list[DuplicateOut]
    status: str


def _gap_out(r: PathwayGap) -> GapOut:
    return GapOut(
        pathway=r.pathway, label=r.label, need=r.need, referred=r.served, waiting=r.waiting,
        services=len(r.services), services_with_unknown_places=len(r.unknown_capacity), places=r.places,
        taken=r.taken, free=r.free, unmet=r.unmet, unmet_need=r.has_unmet_need, status=r.verdict,
        duplicated_provision=[
            DuplicateOut(service_ids=[a.id, b.id], names=[f"{a.name} ({a.provider})", f"{b.name} ({b.provider})"])
            for a, b in r.duplicates
        ],
    )  # fmt: skip


@router.get(
    "/services/gaps",
    response={200: list[GapOut], **ERRORS},
    summary="The cohort's needs by pathway against the active services and free places (docs/metrics.md)",
)
def service_gaps(request: HttpRequest) -> list[GapOut]:
    require_api_capability(request, Capability.SERVICES_VIEW)
    return [_gap_out(r) for r in gaps_from_database()]


@router.get("/services/{service_id}", response={200: ServiceOut, **ERRORS}, summary="A service")
def read_service(request: HttpRequest, service_id: ServiceId) -> ServiceOut:
    require_api_capability(request, Capability.SERVICES_VIEW)
    return _out(get_object_or_404(with_places(Service.objects.all()), pk=service_id))


@router.post("/services", response={201: ServiceOut, **ERRORS}, summary="Add a service")
def add_service(request: HttpRequest, payload: ServiceIn) -> tuple[int, ServiceOut]:
    require_api_capability(request, Capability.SERVICES_MANAGE)
    try:
        service = create_service(payload.data(), by=request.user)
    except ServiceError as exc:
        raise _refused(exc) from None
    return 201, _out(service)


@router.put(
    "/services/{service_id}",
    response={200: ServiceOut, **ERRORS},
    summary="Change a service; refused (409) if it has changed since the version given",
)
def change_service(request: HttpRequest, service_id: ServiceId, payload: ServiceUpdateIn) -> ServiceOut:
    require_api_capability(request, Capability.SERVICES_MANAGE)
    service = get_object_or_404(Service, pk=service_id)
    try:
        service = update_service(service, payload.data(), by=request.user, version=payload.version)
    except (ServiceError, StaleEditError) as exc:
        raise _refused(exc) from None
    return _out(service)


@router.post(
    "/services/{service_id}/deactivate",
    response={200: ServiceOut, **ERRORS},
    summary="Stop referrals to a service (live referrals carry on)",
)
def stop_referrals(request: HttpRequest, service_id: ServiceId, payload: StopIn) -> ServiceOut:
    require_api_capability(request, Capability.SERVICES_MANAGE)
    service = get_object_or_404(Service, pk=service_id)
    try:
        service = deactivate_service(service, by=request.user, version=payload.version, reason=payload.reason)
    except (ServiceError, StaleEditError) as exc:
        raise _refused(exc) from None
    return _out(service)


@router.post("/services/{service_id}/reactivate", response={200: ServiceOut, **ERRORS}, summary="Take referrals again")
def restart_referrals(request: HttpRequest, service_id: ServiceId, payload: VersionIn) -> ServiceOut:
    require_api_capability(request, Capability.SERVICES_MANAGE)
    service = get_object_or_404(Service, pk=service_id)
    try:
        service = reactivate_service(service, by=request.user, version=payload.version)
    except (ServiceError, StaleEditError) as exc:
        raise _refused(exc) from None
    return _out(service)
