"""Who reaches each directory page and action: the persona x page matrix, as a table.

VIEW: every role with the service directory (co-ordinator, police, offender manager, YOT, partner
practitioner, panel chair, analyst). MANAGE: the IOM co-ordinator only. The strategic group member
and the administrator get 403 everywhere.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from openiom.directory.models import Service
from tests.conftest import PERSONAS

VIEW = {
    "iom_coordinator", "police_officer", "offender_manager", "yot_worker", "partner_practitioner", "panel_chair",
    "analyst",
}  # fmt: skip
MANAGE = {"iom_coordinator"}

PAGES = [
    ("directory", "/services/", VIEW),
    ("directory filtered", "/services/?pathway=finance&age=30", VIEW),
    ("a service", "/services/{pk}/", VIEW),
    ("gaps", "/services/gaps/", VIEW),
    ("add a service", "/services/new/", MANAGE),
    ("change a service", "/services/{pk}/edit/", MANAGE),
    ("import", "/services/import/", MANAGE),
    ("example file", "/services/import/example.csv", MANAGE),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("page", "address", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_page_access(
    client_for: Callable[[str], Client],
    make_service: Callable[..., Service],
    persona: str,
    page: str,
    address: str,
    allowed: set[str],
) -> None:
    service = make_service()
    response = client_for(persona).get(address.format(pk=service.pk))
    assert response.status_code == (200 if persona in allowed else 403)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_managers_change_services(
    client_for: Callable[[str], Client], make_service: Callable[..., Service], persona: str
) -> None:
    service = make_service()
    client = client_for(persona)
    form = {
        "name": "Debt advice",
        "provider": "Citizens Advice",
        "pathways": ["finance"],
        "capacity": "40",
        "version": "1",
    }
    edited = client.post(f"/services/{service.pk}/edit/", form)
    added = client.post("/services/new/", {**form, "name": "Money clinic"})
    stopped = client.post(f"/services/{service.pk}/deactivate/", {"reason": "Closed", "version": "2"})
    service.refresh_from_db()
    if persona in MANAGE:
        assert (edited.status_code, added.status_code, stopped.status_code) == (302, 302, 302)
        assert (service.capacity, service.is_active) == (40, False)
        assert Service.objects.filter(name="Money clinic").exists()
    else:
        assert (edited.status_code, added.status_code, stopped.status_code) == (403, 403, 403)
        assert (service.capacity, service.is_active, service.version) == (None, True, 1)
        assert not Service.objects.filter(name="Money clinic").exists()


def test_signed_out_visitors_are_sent_to_sign_in(make_service: Callable[..., Service]) -> None:
    response = Client().get("/services/")
    assert response.status_code == 302
    assert "/services/" in response["Location"]
    assert "next=" in response["Location"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_services_section_is_in_the_navigation_for_viewers(
    client_for: Callable[[str], Client], persona: str
) -> None:
    response = client_for(persona).get("/")
    assert (b'href="/services/"' in response.content) is (persona in VIEW)
