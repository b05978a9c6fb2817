from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import PERSONAS

# Which main sections each persona reaches from the navigation (the capability matrix as a table).
EXPECTED_SECTIONS = {
    "iom_coordinator": {"People", "Cohort", "Panels", "Cases", "Services", "Reports", "Data"},
    "police_officer": {"People", "Cohort", "Panels", "Cases", "Services", "Reports"},
    "offender_manager": {"People", "Panels", "Cases", "Services", "Reports"},
    "yot_worker": {"People", "Panels", "Cases", "Services", "Reports"},
    "partner_practitioner": {"Cases", "Services"},
    "panel_chair": {"People", "Panels", "Cases", "Services", "Reports"},
    "analyst": {"Cohort", "Services", "Reports", "Data"},
    "strategic_member": {"Reports"},
    "administrator": {"Administration"},
}
ALL_SECTIONS = {"People", "Cohort", "Panels", "Cases", "Services", "Reports", "Data", "Administration"}
SECTION_URLS = {
    "People": "/people/",
    "Data": "/imports/",
    "Cohort": "/cohort/",
    "Panels": "/panels/",
    "Cases": "/cases/",
    "Services": "/services/",
    "Reports": "/reports/",
    "Administration": "/administration/",
}


def test_anonymous_home_redirects_to_sign_in(db: None) -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("persona", PERSONAS)
def test_home_says_who_the_user_is(client_for, partnership, persona: str) -> None:
    user = partnership[persona]
    html = client_for(persona).get("/").content.decode()
    assert user.full_name in html
    assert user.agency.name in html
    assert user.roles.get().name in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_navigation_shows_only_reachable_sections(client_for, persona: str) -> None:
    response = client_for(persona).get("/")
    nav = response.context["nav_sections"]
    labels = {item["label"] for item in nav} - {"Home"}
    assert labels == EXPECTED_SECTIONS[persona]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("section", sorted(ALL_SECTIONS))
def test_section_access_matches_navigation(client_for, persona: str, section: str) -> None:
    status = client_for(persona).get(SECTION_URLS[section]).status_code
    assert status == (200 if section in EXPECTED_SECTIONS[persona] else 403)


def test_unknown_section_is_404(client_for) -> None:
    assert client_for("iom_coordinator").get("/sections/nonsense/").status_code == 404
