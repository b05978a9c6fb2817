"""Adding, changing, stopping and restarting services: every rule, in words, and the stale edit."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from openiom.cases.locking import StaleEditError
from openiom.directory.models import Service
from openiom.directory.services import (
    ServiceData,
    ServiceError,
    create_service,
    deactivate_service,
    reactivate_service,
    update_service,
)
from tests.directory.conftest import service_data

pytestmark = pytest.mark.django_db


def problems(**fields: object) -> dict[str, str]:
    with pytest.raises(ServiceError) as caught:
        create_service(service_data(**fields), by=None)
    assert not Service.objects.filter(name=str(fields.get("name", "Debt advice"))).exists()
    return caught.value.problems


def test_a_good_service_is_saved_tidied() -> None:
    service = create_service(
        service_data(
            name="  Debt   advice ", pathways=["finance", "ete", "finance"], cohorts=["DYO", "PPO"], gender="F"
        ),
        by=None,
    )
    assert service.name == "Debt advice"
    assert service.pathways == ["ete", "finance"]  # the pathways' order, once each
    assert service.cohorts == ["PPO", "DYO"]
    assert service.version == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": " "}, "name", "Enter the name of the service"),
        ({"provider": ""}, "provider", "Enter the organisation that provides the service"),
        ({"pathways": []}, "pathways", "Choose at least one pathway the service works on"),
        ({"pathways": ["finance", "housing"]}, "pathways", "housing is not a pathway"),
        ({"cohorts": ["PPO", "ASB", "XX"]}, "cohorts", "ASB, XX are not cohorts"),
        (
            {"min_age": 25, "max_age": 18},
            "max_age",
            "The maximum age (18) must be the same as or more than the minimum age (25)",
        ),
        ({"min_age": -1}, "min_age", "The minimum age must be between 0 and 120"),
        ({"gender": "X"}, "gender", "Gender must be blank (everyone), M (men only) or F (women only)"),
        ({"capacity": -3}, "capacity", "Places must be 0 or more; leave it blank if you do not know"),
        ({"area": "x" * 101}, "area", "The area must be 100 characters or fewer"),
    ],
)
def test_each_rule_is_said_in_words(fields: dict[str, object], field: str, message: str) -> None:
    assert problems(**fields) == {field: message}


def test_equal_ages_and_zero_places_are_allowed() -> None:
    service = create_service(service_data(min_age=18, max_age=18, capacity=0), by=None)
    assert (service.min_age, service.max_age, service.capacity) == (18, 18, 0)


def test_the_same_name_and_provider_twice_is_refused_whatever_the_case(make_service: Callable[..., Service]) -> None:
    make_service()
    assert problems(name="DEBT ADVICE", provider="citizens advice") == {
        "name": "citizens advice already has a service called DEBT ADVICE"
    }
    make_service(provider="Another provider")  # the same name elsewhere is fine


def test_an_edit_from_the_current_version_is_saved(make_service: Callable[..., Service]) -> None:
    service = make_service()
    changed = update_service(service, service_data(capacity=12), by=None, version=1)
    assert (changed.capacity, changed.version) == (12, 2)


def test_a_stale_edit_is_refused_and_the_other_change_kept(make_service: Callable[..., Service]) -> None:
    service = make_service()
    first_view = Service.objects.get(pk=service.pk)
    second_view = Service.objects.get(pk=service.pk)
    update_service(first_view, service_data(capacity=10), by=None, version=1)
    with pytest.raises(StaleEditError, match="Someone else changed this service after you opened it"):
        update_service(second_view, service_data(capacity=99, area="North"), by=None, version=1)
    service.refresh_from_db()
    assert (service.capacity, service.area, service.version) == (10, "", 2)


def test_an_edit_cannot_take_another_services_name(make_service: Callable[..., Service]) -> None:
    make_service(name="Money clinic")
    service = make_service()
    with pytest.raises(ServiceError, match="Citizens Advice already has a service called Money clinic"):
        update_service(service, service_data(name="Money clinic"), by=None, version=service.version)
    service.refresh_from_db()
    assert (service.name, service.version) == ("Debt advice", 1)


def test_an_edit_keeping_its_own_name_is_not_a_duplicate(make_service: Callable[..., Service]) -> None:
    service = make_service()
    assert update_service(service, ServiceData.of(service), by=None, version=1).version == 2


def test_stopping_and_restarting_referrals(make_service: Callable[..., Service]) -> None:
    service = make_service()
    with pytest.raises(ServiceError, match="Say why"):
        deactivate_service(service, by=None, version=1, reason="  ")
    stopped = deactivate_service(service, by=None, version=1, reason="Funding ended in March")
    assert (stopped.is_active, stopped.inactive_reason) == (False, "Funding ended in March")
    assert not Service.objects.active().filter(pk=service.pk).exists()
    with pytest.raises(ServiceError, match="already inactive"):
        deactivate_service(stopped, by=None, version=stopped.version, reason="again")
    with pytest.raises(StaleEditError):
        reactivate_service(stopped, by=None, version=1)
    restarted = reactivate_service(stopped, by=None, version=stopped.version)
    assert (restarted.is_active, restarted.inactive_reason) == (True, "")
