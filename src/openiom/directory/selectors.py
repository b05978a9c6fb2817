"""Named read queries for the service directory: search and filters, places free, areas."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from openiom.cases.constants import LIVE_INTERVENTION_STATUSES

from .models import Service


@dataclass(frozen=True)
class ServiceSearch:
    """What the person is looking for. Blank or None means "any"."""

    words: str = ""
    pathway: str = ""
    area: str = ""
    age: int | None = None
    gender: str = ""
    cohort: str = ""
    available: bool = False  # only services known to have a free place
    include_inactive: bool = False


def with_places(services: QuerySet[Service]) -> QuerySet[Service]:
    """Each service with `live_referrals`: its referrals that are referred or ongoing."""
    return services.annotate(
        live_referrals=Count("interventions", filter=Q(interventions__status__in=LIVE_INTERVENTION_STATUSES))
    )


def free_places(service: Service) -> int | None:
    """Places not taken by a live referral; None when the capacity is unknown."""
    if service.capacity is None:
        return None
    live = getattr(service, "live_referrals", None)
    if live is None:
        live = service.interventions.filter(status__in=LIVE_INTERVENTION_STATUSES).count()
    return max(0, service.capacity - live)


def search_services(search: ServiceSearch) -> list[Service]:
    """The services matching every given filter, by name.

    Words match the name, provider or description (every word must appear somewhere). A service
    with no area, ages, gender or cohorts is for everyone, so it matches any value of that filter.
    Pathways and cohorts are JSON lists, filtered here in Python (the directory has hundreds of
    services, not millions), which keeps the query the same on SQLite and PostgreSQL.
    """
    services = Service.objects.all() if search.include_inactive else Service.objects.active()
    for word in search.words.split()[:6]:
        services = services.filter(
            Q(name__icontains=word) | Q(provider__icontains=word) | Q(description__icontains=word)
        )
    if search.area:
        services = services.filter(Q(area__iexact=search.area) | Q(area=""))
    if search.age is not None:
        services = services.filter(Q(min_age__isnull=True) | Q(min_age__lte=search.age))
        services = services.filter(Q(max_age__isnull=True) | Q(max_age__gte=search.age))
    if search.gender:
        services = services.filter(gender__in=["", search.gender])
    found = list(with_places(services).order_by("name", "provider"))
    if search.pathway:
        found = [s for s in found if search.pathway in s.pathways]
    if search.cohort:
        found = [s for s in found if not s.cohorts or search.cohort in s.cohorts]
    if search.available:
        found = [s for s in found if (free_places(s) or 0) > 0]
    return found


def areas() -> list[str]:
    """The named areas services are offered in (blank, "everywhere", is not an area)."""
    names = Service.objects.exclude(area="").values_list("area", flat=True)
    return sorted(set(names), key=str.casefold)
