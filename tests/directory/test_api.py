"""The services API: search, read, add, change with the version (409 when stale or refused), stop, gaps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from openiom.accounts.models import User
from openiom.accounts.services import create_api_token
from openiom.cases.models import Case
from openiom.cases.plans import refer_to_service
from openiom.directory.models import Service
from tests.conftest import PERSONAS
from tests.directory.test_pages_permissions import MANAGE, VIEW

pytestmark = pytest.mark.django_db
NEW = {"name": "Hostel", "provider": "Homeless Partnership", "pathways": ["accommodation", "health"], "capacity": 24}


@pytest.fixture
def api_for(partnership: dict[str, User]) -> Callable[[str], Callable[..., Any]]:
    def make(persona: str) -> Callable[..., Any]:
        token = create_api_token(user=partnership[persona], name="test")[1]
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

        def call(method: str, path: str, body: dict[str, Any] | None = None) -> Any:
            if method == "get":
                return client.get(f"/api/v1{path}")
            return getattr(client, method)(f"/api/v1{path}", body or {}, content_type="application/json")

        return call

    return make


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_reads_and_who_writes(
    api_for: Callable[[str], Callable[..., Any]], make_service: Callable[..., Service], persona: str
) -> None:
    service = make_service()
    call = api_for(persona)
    reads = [call("get", "/services").status_code, call("get", f"/services/{service.pk}").status_code,
             call("get", "/services/gaps").status_code]  # fmt: skip
    assert reads == [200 if persona in VIEW else 403] * 3
    created = call("post", "/services", NEW)
    changed = call("put", f"/services/{service.pk}", {**NEW, "name": "Debt advice", "version": 1})
    assert (created.status_code, changed.status_code) == ((201, 200) if persona in MANAGE else (403, 403))
    assert Service.objects.filter(name="Hostel").exists() is (persona in MANAGE)


def test_search_with_filters(
    api_for: Callable[[str], Callable[..., Any]], make_service: Callable[..., Service]
) -> None:
    make_service(capacity=3)
    make_service(name="Youth drugs", provider="Recovery", pathways=["drugs_alcohol"], min_age=10, max_age=17)
    call = api_for("offender_manager")
    assert [s["name"] for s in call("get", "/services?pathway=drugs_alcohol&age=15").json()] == ["Youth drugs"]
    assert call("get", "/services?age=30").json()[0] | {"id": 0} == {
        "id": 0, "name": "Debt advice", "provider": "Citizens Advice", "description": "", "pathways": ["finance"],
        "area": "", "min_age": None, "max_age": None, "gender": "", "cohorts": [], "capacity": 3,
        "live_referrals": 0, "free_places": 3, "contact": "", "referral_route": "", "is_active": True,
        "inactive_reason": "", "version": 1,
    }  # fmt: skip
    assert call("get", "/services?q=recovery").json()[0]["name"] == "Youth drugs"
    assert call("get", "/services?pathway=housing").status_code == 422
    wrong = call("get", "/services?pathways=ete")
    assert wrong.status_code == 422
    assert "Unknown query parameter: pathways" in wrong.json()["message"]


def test_add_refused_with_the_reason(api_for: Callable[[str], Callable[..., Any]]) -> None:
    call = api_for("iom_coordinator")
    assert call("post", "/services", NEW).status_code == 201
    duplicate = call("post", "/services", NEW)
    assert duplicate.status_code == 409
    assert duplicate.json()["message"] == "Homeless Partnership already has a service called Hostel"
    ages = call("post", "/services", {**NEW, "name": "Other", "min_age": 30, "max_age": 20})
    assert ages.status_code == 409
    assert "maximum age (20)" in ages.json()["message"]
    assert call("post", "/services", {**NEW, "name": "X", "pathways": ["housing"]}).status_code == 422
    assert call("post", "/services", {**NEW, "name": "X", "colour": "red"}).status_code == 422
    assert call("post", "/services", {**NEW, "name": "X", "capacity": False}).status_code == 422
    assert call("post", "/services", {**NEW, "name": "X", "capacity": "5"}).status_code == 422
    assert call("post", "/services", {**NEW, "name": "Y", "capacity": 5.0}).status_code == 201
    assert Service.objects.count() == 2


def test_change_needs_the_current_version(
    api_for: Callable[[str], Callable[..., Any]], make_service: Callable[..., Service]
) -> None:
    service = make_service()
    call = api_for("iom_coordinator")
    body = {"name": "Debt advice", "provider": "Citizens Advice", "pathways": ["finance"], "capacity": 8}
    first = call("put", f"/services/{service.pk}", {**body, "version": 1})
    assert (first.status_code, first.json()["version"], first.json()["capacity"]) == (200, 2, 8)
    stale = call("put", f"/services/{service.pk}", {**body, "capacity": 50, "version": 1})
    assert stale.status_code == 409
    assert stale.json()["message"].startswith("Someone else changed this service after you opened it")
    service.refresh_from_db()
    assert (service.capacity, service.version) == (8, 2)
    assert call("put", "/services/999999", {**body, "version": 1}).status_code == 404


def test_stop_and_restart_referrals(
    api_for: Callable[[str], Callable[..., Any]], make_service: Callable[..., Service]
) -> None:
    service = make_service()
    call = api_for("iom_coordinator")
    stopped = call("post", f"/services/{service.pk}/deactivate", {"version": 1, "reason": "Funding ended"})
    assert (stopped.status_code, stopped.json()["is_active"]) == (200, False)
    assert call("post", f"/services/{service.pk}/deactivate", {"version": 2, "reason": "Again"}).status_code == 409
    assert call("get", "/services").json() == []
    assert len(call("get", "/services?include_inactive=true").json()) == 1
    restarted = call("post", f"/services/{service.pk}/reactivate", {"version": 2})
    assert (restarted.status_code, restarted.json()["is_active"]) == (200, True)


def test_gaps(
    api_for: Callable[[str], Callable[..., Any]],
    make_service: Callable[..., Service],
    make_case: Callable[..., Case],
    partnership: dict[str, User],
) -> None:
    """Two cases need help with debt; one is referred to the 1-place clinic: 1 waiting, 0 free, 1 unmet."""
    clinic = make_service(capacity=1)
    money = make_service(name="Money clinic", provider="Council")  # same people, unknown places
    first, _ = make_case({"finance": "medium"}), make_case({"finance": "high"})
    refer_to_service(case=first, service=clinic, pathway="finance", by=partnership["offender_manager"])
    rows = {r["pathway"]: r for r in api_for("analyst")("get", "/services/gaps").json()}
    finance = rows["finance"]
    assert {k: finance[k] for k in ("need", "referred", "waiting", "services", "services_with_unknown_places",
                                    "places", "taken", "free", "unmet", "unmet_need")} == {
        "need": 2, "referred": 1, "waiting": 1, "services": 2, "services_with_unknown_places": 1, "places": 1,
        "taken": 1, "free": 0, "unmet": 1, "unmet_need": True,
    }  # fmt: skip
    assert finance["duplicated_provision"] == [
        {
            "service_ids": [clinic.pk, money.pk],
            "names": ["Debt advice (Citizens Advice)", "Money clinic (Council)"],
        }
    ]
    assert rows["health"]["need"] == 0
    assert rows["health"]["status"] == "No need recorded"
