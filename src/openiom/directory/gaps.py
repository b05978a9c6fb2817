"""The gaps view: for each pathway, the cohort's need against the services and free places.

`service_gaps()` is a pure function over small typed inputs (no Django, no database), so it can be
checked on a hand-made example; `gaps_from_database()` gathers those inputs. The definitions of
every figure are in docs/metrics.md, section "Service gaps", and in the page's "How these figures
are worked out".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

__all__ = ["PathwayGap", "ServiceOffer", "gaps_from_database", "overlap", "service_gaps"]


@dataclass(frozen=True)
class ServiceOffer:
    """An active service as the gaps calculation sees it."""

    id: int
    name: str
    provider: str
    pathways: tuple[str, ...]
    capacity: int | None = None  # places at any one time; None: unknown
    live: Mapping[str, int] = field(default_factory=dict)  # live referrals (referred or ongoing) by pathway
    area: str = ""  # blank: everywhere
    min_age: int | None = None
    max_age: int | None = None
    gender: str = ""  # blank: everyone
    cohorts: tuple[str, ...] = ()  # empty: any cohort

    @property
    def live_total(self) -> int:
        return sum(self.live.values())

    @property
    def free(self) -> int | None:
        """Places not taken by a live referral on any pathway (never below 0); None when capacity is unknown."""
        return None if self.capacity is None else max(0, self.capacity - self.live_total)


def overlap(a: ServiceOffer, b: ServiceOffer) -> bool:
    """Whether some person could be eligible for both services: areas, ages, gender and cohorts all overlap."""
    areas = not a.area or not b.area or a.area.casefold() == b.area.casefold()
    low = max(a.min_age or 0, b.min_age or 0)
    high = min(a.max_age if a.max_age is not None else 10**6, b.max_age if b.max_age is not None else 10**6)
    genders = not a.gender or not b.gender or a.gender == b.gender
    cohorts = not a.cohorts or not b.cohorts or bool(set(a.cohorts) & set(b.cohorts))
    return areas and low <= high and genders and cohorts


@dataclass(frozen=True)
class PathwayGap:
    pathway: str
    label: str
    need: int  # open cases with this pathway as a need (medium or high) at their latest assessment
    served: int  # of those, cases with a live referral on this pathway
    services: tuple[ServiceOffer, ...]  # active services working on this pathway
    places: int  # sum of the known capacities of those services
    taken: int  # live referrals on this pathway at the services with known capacity
    free: int  # free places at the services with known capacity (a place is free for every pathway of its service)
    duplicates: tuple[tuple[ServiceOffer, ServiceOffer], ...]  # pairs of services whose eligibility overlaps

    @property
    def unknown_capacity(self) -> tuple[ServiceOffer, ...]:
        return tuple(s for s in self.services if s.capacity is None)

    @property
    def service_rows(self) -> tuple[tuple[ServiceOffer, int], ...]:
        """Each service with its live referrals on this pathway."""
        return tuple((s, s.live.get(self.pathway, 0)) for s in self.services)

    @property
    def waiting(self) -> int:
        """Cases with the need and no live referral on this pathway."""
        return max(0, self.need - self.served)

    @property
    def unmet(self) -> int:
        """Cases waiting that the free places could not take, even if every free place went to them."""
        return max(0, self.waiting - self.free)

    @property
    def has_unmet_need(self) -> bool:
        return self.unmet > 0

    @property
    def has_duplication(self) -> bool:
        return bool(self.duplicates)

    @property
    def verdict(self) -> str:
        """The pathway's status in a few words."""
        if self.unmet and not self.services:
            return "Unmet need: no services"
        if self.unmet and self.unknown_capacity:
            return "Unmet need (some places unknown)"
        if self.unmet:
            return "Unmet need"
        if not self.need:
            return "No need recorded"
        return "Need met by free places"


def service_gaps(
    pathways: Sequence[tuple[str, str]],
    needs: Mapping[str, int],
    served: Mapping[str, int],
    services: Sequence[ServiceOffer],
) -> list[PathwayGap]:
    """One row per pathway, in the order given (`pathways` is (code, label) pairs)."""
    rows = []
    for code, label in pathways:
        offers = tuple(sorted((s for s in services if code in s.pathways), key=lambda s: (s.name, s.provider, s.id)))
        known = [s for s in offers if s.capacity is not None]
        rows.append(
            PathwayGap(
                pathway=code,
                label=label,
                need=needs.get(code, 0),
                served=min(served.get(code, 0), needs.get(code, 0)),
                services=offers,
                places=sum(s.capacity or 0 for s in known),
                taken=sum(s.live.get(code, 0) for s in known),
                free=sum(s.free or 0 for s in known),
                duplicates=tuple((a, b) for a, b in combinations(offers, 2) if overlap(a, b)),
            )
        )
    return rows


def gaps_from_database() -> list[PathwayGap]:
    """The gaps for the open cases and the active services now."""
    from django.db.models import Count, Q

    from openiom.cases.constants import LIVE_INTERVENTION_STATUSES, Pathway
    from openiom.cases.models import Case, Intervention
    from openiom.cases.selectors import cohort_needs

    from .models import Service

    live: dict[int, dict[str, int]] = {}
    for row in (
        Intervention.objects.filter(status__in=LIVE_INTERVENTION_STATUSES, service__is_active=True)
        .values("service_id", "pathway")
        .annotate(n=Count("pk"))
    ):
        live.setdefault(row["service_id"], {})[row["pathway"]] = row["n"]
    offers = [
        ServiceOffer(
            id=s.pk,
            name=s.name,
            provider=s.provider,
            pathways=tuple(s.pathways),
            capacity=s.capacity,
            live=live.get(s.pk, {}),
            area=s.area,
            min_age=s.min_age,
            max_age=s.max_age,
            gender=s.gender,
            cohorts=tuple(s.cohorts),
        )
        for s in Service.objects.active()
    ]
    needs = cohort_needs()
    served: dict[str, int] = {}
    for code in Pathway.values:
        with_referral = Case.objects.open().filter(
            Q(interventions__pathway=code, interventions__status__in=LIVE_INTERVENTION_STATUSES)
        )
        served[code] = cohort_needs(with_referral.distinct())[code]
    return service_gaps(Pathway.choices, needs, served, offers)
