"""Changes to the service directory: add, edit (with optimistic locking), deactivate and reactivate.

Every change is checked here, once, and said in words; the pages, the API and the CSV import
all call these functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from django.db import IntegrityError, transaction

from openiom.cases.constants import Cohort, Pathway
from openiom.cases.locking import claim

from .models import Service

GENDERS = {"": "Everyone", "M": "Men only", "F": "Women only"}
MAX_AGE = 120


class ServiceError(ValueError):
    """A service that cannot be saved, with the problem for each field in words."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


@dataclass(frozen=True)
class ServiceData:
    """What a person (or a CSV row) says about a service."""

    name: str
    provider: str
    description: str = ""
    pathways: list[str] = field(default_factory=list)
    area: str = ""
    min_age: int | None = None
    max_age: int | None = None
    gender: str = ""
    cohorts: list[str] = field(default_factory=list)
    capacity: int | None = None
    contact: str = ""
    referral_route: str = ""

    @classmethod
    def of(cls, service: Service) -> ServiceData:
        return cls(**{f.name: getattr(service, f.name) for f in fields(cls)})

    def cleaned(self) -> ServiceData:
        """Spaces trimmed, pathways and cohorts de-duplicated in their vocabulary's order."""
        text = {f: " ".join(str(getattr(self, f)).split()) for f in ("name", "provider", "area", "contact", "gender")}
        return ServiceData(
            **text,
            description=self.description.strip(),
            referral_route=self.referral_route.strip(),
            pathways=_ordered(self.pathways, Pathway.values),
            cohorts=_ordered(self.cohorts, Cohort.values),
            min_age=self.min_age,
            max_age=self.max_age,
            capacity=self.capacity,
        )


def _ordered(values: list[str], vocabulary: list[str]) -> list[str]:
    """Known values in the vocabulary's order, then unknown ones (which validation reports)."""
    given = [str(v).strip() for v in values if str(v).strip()]
    return [v for v in vocabulary if v in given] + list(dict.fromkeys(v for v in given if v not in vocabulary))


def service_problems(data: ServiceData, *, existing: Service | None = None) -> dict[str, str]:
    """Every reason `data` cannot be saved, by field, in words (empty when it can)."""
    problems: dict[str, str] = {}
    limits = {f.name: getattr(f, "max_length", None) for f in Service._meta.get_fields()}
    if not data.name:
        problems["name"] = "Enter the name of the service"
    if not data.provider:
        problems["provider"] = "Enter the organisation that provides the service"
    for name in ("name", "provider", "area", "contact"):
        limit = limits.get(name)
        if limit and len(getattr(data, name)) > limit and name not in problems:
            problems[name] = f"The {name} must be {limit} characters or fewer"
    unknown = [p for p in data.pathways if p not in Pathway.values]
    if unknown:
        problems["pathways"] = f"{', '.join(unknown)} {'is not a pathway' if len(unknown) == 1 else 'are not pathways'}"
    elif not data.pathways:
        problems["pathways"] = "Choose at least one pathway the service works on"
    unknown = [c for c in data.cohorts if c not in Cohort.values]
    if unknown:
        problems["cohorts"] = f"{', '.join(unknown)} {'is not a cohort' if len(unknown) == 1 else 'are not cohorts'}"
    for name, label in (("min_age", "minimum age"), ("max_age", "maximum age")):
        value = getattr(data, name)
        if value is not None and not 0 <= value <= MAX_AGE:
            problems[name] = f"The {label} must be between 0 and {MAX_AGE}"
    low, high = data.min_age, data.max_age
    if low is not None and high is not None and not ({"min_age", "max_age"} & problems.keys()) and low > high:
        problems["max_age"] = f"The maximum age ({high}) must be the same as or more than the minimum age ({low})"
    if data.gender not in GENDERS:
        problems["gender"] = "Gender must be blank (everyone), M (men only) or F (women only)"
    if data.capacity is not None and data.capacity < 0:
        problems["capacity"] = "Places must be 0 or more; leave it blank if you do not know"
    if data.name and data.provider and "name" not in problems:
        clash = Service.objects.filter(name__iexact=data.name, provider__iexact=data.provider)
        if existing is not None:
            clash = clash.exclude(pk=existing.pk)
        if clash.exists():
            problems["name"] = f"{data.provider} already has a service called {data.name}"
    return problems


def _check(data: ServiceData, existing: Service | None = None) -> ServiceData:
    data = data.cleaned()
    problems = service_problems(data, existing=existing)
    if problems:
        raise ServiceError(problems)
    return data


def _apply(service: Service, data: ServiceData, by: Any) -> Service:
    for f in fields(ServiceData):
        setattr(service, f.name, getattr(data, f.name))
    service.updated_by = by if getattr(by, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            service.save()
    except IntegrityError as exc:  # a concurrent save of the same name and provider
        raise ServiceError({"name": f"{data.provider} already has a service called {data.name}"}) from exc
    return service


@transaction.atomic
def create_service(data: ServiceData, *, by: Any) -> Service:
    data = _check(data)
    return _apply(Service(), data, by)


@transaction.atomic
def update_service(service: Service, data: ServiceData, *, by: Any, version: int | None) -> Service:
    """Save an edit made from `version`; `StaleEditError` if someone saved since (nothing is changed)."""
    data = _check(data, existing=service)
    service = claim(service, version, "service")
    return _apply(service, data, by)


def service_changes(service: Service, data: ServiceData) -> list[str]:
    """The fields an edit would change (for the import's unchanged count)."""
    data = data.cleaned()
    return [f.name for f in fields(ServiceData) if getattr(service, f.name) != getattr(data, f.name)]


@transaction.atomic
def deactivate_service(service: Service, *, by: Any, version: int | None, reason: str) -> Service:
    """Stop new referrals to a service. Live referrals carry on; the gaps view no longer counts it."""
    if not service.is_active:
        raise ServiceError({"service": f"{service} is already inactive"})
    reason = " ".join(reason.split())
    if not reason:
        raise ServiceError({"reason": "Say why the service no longer takes referrals"})
    service = claim(service, version, "service")
    service.is_active = False
    service.inactive_reason = reason[:500]
    service.updated_by = by if getattr(by, "is_authenticated", False) else None
    service.save()
    return service


@transaction.atomic
def reactivate_service(service: Service, *, by: Any, version: int | None) -> Service:
    if service.is_active:
        raise ServiceError({"service": f"{service} is already active"})
    service = claim(service, version, "service")
    service.is_active = True
    service.inactive_reason = ""
    service.updated_by = by if getattr(by, "is_authenticated", False) else None
    service.save()
    return service
