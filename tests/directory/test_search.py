"""Search and filters: words, pathway, area, age, gender, cohort, places free, inactive services."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from openiom.directory.models import Service
from openiom.directory.selectors import ServiceSearch, areas, search_services
from openiom.directory.services import deactivate_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(make_service: Callable[..., Service]) -> dict[str, Service]:
    return {
        "debt": make_service(description="Fines and priority bills", area="", capacity=2),
        "hostel": make_service(
            name="Hostel", provider="Homeless Partnership", pathways=["accommodation", "health"], area="North",
            min_age=18, capacity=0,
        ),
        "women": make_service(
            name="Women's centre", provider="Women's Trust", pathways=["health", "children_families"], gender="F",
            area="South",
        ),
        "youth": make_service(
            name="Young people's drugs service", provider="Recovery Partnership", pathways=["drugs_alcohol"],
            min_age=10, max_age=17, cohorts=["DYO"], capacity=5,
        ),
        "farm": make_service(
            name="Care farm", provider="SHIFT", pathways=["attitudes", "ete"], cohorts=["PPO"], min_age=18,
        ),
    }  # fmt: skip


def names(**search: object) -> list[str]:
    return [s.name for s in search_services(ServiceSearch(**search))]  # type: ignore[arg-type]


def test_no_filters_lists_every_active_service_by_name(directory: dict[str, Service]) -> None:
    assert names() == ["Care farm", "Debt advice", "Hostel", "Women's centre", "Young people's drugs service"]


def test_words_search_name_provider_and_description_and_all_must_match(directory: dict[str, Service]) -> None:
    assert names(words="priority") == ["Debt advice"]
    assert names(words="shift") == ["Care farm"]
    assert names(words="PARTNERSHIP") == ["Hostel", "Young people's drugs service"]
    assert names(words="partnership drugs") == ["Young people's drugs service"]
    assert names(words="nothing-like-this") == []


def test_pathway(directory: dict[str, Service]) -> None:
    assert names(pathway="health") == ["Hostel", "Women's centre"]
    assert names(pathway="finance") == ["Debt advice"]


def test_area_includes_services_offered_everywhere(directory: dict[str, Service]) -> None:
    assert names(area="north") == ["Care farm", "Debt advice", "Hostel", "Young people's drugs service"]
    assert areas() == ["North", "South"]


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (9, ["Debt advice", "Women's centre"]),
        (10, ["Debt advice", "Women's centre", "Young people's drugs service"]),
        (17, ["Debt advice", "Women's centre", "Young people's drugs service"]),
        (18, ["Care farm", "Debt advice", "Hostel", "Women's centre"]),
    ],
)
def test_age_keeps_services_whose_range_includes_it(
    directory: dict[str, Service], age: int, expected: list[str]
) -> None:
    assert names(age=age) == expected


def test_gender_excludes_services_for_the_other_gender_only(directory: dict[str, Service]) -> None:
    assert "Women's centre" not in names(gender="M")
    assert "Women's centre" in names(gender="F")
    assert len(names(gender="F")) == 5


def test_cohort_keeps_services_for_any_cohort(directory: dict[str, Service]) -> None:
    assert names(cohort="DYO") == ["Debt advice", "Hostel", "Women's centre", "Young people's drugs service"]


def test_places_free_leaves_out_full_and_unknown_capacity(directory: dict[str, Service]) -> None:
    assert names(available=True) == ["Debt advice", "Young people's drugs service"]


def test_inactive_services_only_on_request(directory: dict[str, Service]) -> None:
    deactivate_service(directory["debt"], by=None, version=1, reason="Funding ended")
    assert "Debt advice" not in names()
    assert "Debt advice" in names(include_inactive=True)


def test_filters_combine(directory: dict[str, Service]) -> None:
    assert names(pathway="health", age=30, gender="M", area="South") == []
    assert names(pathway="health", age=30, gender="F", area="South") == ["Women's centre"]
