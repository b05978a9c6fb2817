from __future__ import annotations

import pytest

from openiom.accounts.models import Agency, Role, User
from tests.conftest import PERSONAS

ADMIN_PAGES = [
    "/administration/",
    "/administration/agencies/",
    "/administration/agencies/add/",
    "/administration/users/",
    "/administration/users/add/",
    "/administration/roles/",
    "/administration/roles/add/",
    "/administration/tiers/",
    "/administration/tiers/add/",
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_administration_needs_the_administrator_role(client_for, persona: str, path: str) -> None:
    expected = 200 if persona == "administrator" else 403
    assert client_for(persona).get(path).status_code == expected


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "administrator"])
def test_non_administrators_cannot_change_anything(client_for, partnership, persona: str) -> None:
    target = partnership["analyst"]
    client = client_for(persona)
    assert (
        client.post("/administration/agencies/add/", {"name": "X", "code": "x1", "agency_type": "police"}).status_code
        == 403
    )
    assert client.post(f"/administration/users/{target.pk}/reset-two-factor/").status_code == 403
    assert not Agency.objects.filter(code="x1").exists()


def test_403_page_leaks_nothing(client_for, partnership) -> None:
    target = partnership["analyst"]
    response = client_for("strategic_member").get(f"/administration/users/{target.pk}/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "You do not have access to this page" in html
    assert target.full_name not in html
    assert target.email not in html


def test_administrator_adds_an_agency(client_for) -> None:
    response = client_for("administrator").post(
        "/administration/agencies/add/",
        {"name": "Riverside Adult Social Care", "code": "asc", "agency_type": "adult_social_care", "is_active": "on"},
    )
    assert response.status_code == 302
    assert Agency.objects.get(code="asc").agency_type == "adult_social_care"


def test_agency_form_errors_keep_what_was_typed(client_for) -> None:
    response = client_for("administrator").post(
        "/administration/agencies/add/", {"name": "Riverside Police", "code": "Bad Code!", "agency_type": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "An agency with this name already exists" in html
    assert "Select the type of agency" in html
    assert 'value="Bad Code!"' in html


def test_administrator_adds_a_user_who_can_sign_in(client_for, partnership) -> None:
    police = Agency.objects.get(code="police")
    role = Role.objects.get(code="police_officer")
    response = client_for("administrator").post(
        "/administration/users/add/",
        {
            "email": "New.Officer@openiom.test",
            "full_name": "Nia Officer",
            "agency": police.pk,
            "roles": [role.pk],
            "password": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.officer@openiom.test")
    assert user.agency == police
    assert user.has_capability("refer")
    assert user.check_password("a-long-enough-passphrase")


def test_weak_initial_password_is_refused_with_reason(client_for) -> None:
    police = Agency.objects.get(code="police")
    response = client_for("administrator").post(
        "/administration/users/add/",
        {"email": "weak@openiom.test", "full_name": "Weak", "agency": police.pk, "password": "short"},
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.filter(email="weak@openiom.test").exists()


def test_closing_an_account_revokes_its_api_tokens(client_for, partnership) -> None:
    from openiom.accounts.services import create_api_token

    target = partnership["analyst"]
    token, _raw = create_api_token(user=target, name="nightly")
    response = client_for("administrator").post(
        f"/administration/users/{target.pk}/change/",
        {"full_name": target.full_name, "agency": target.agency_id, "roles": [r.pk for r in target.roles.all()]},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    token.refresh_from_db()
    assert not target.is_active
    assert token.revoked_at is not None


def test_system_roles_cannot_be_edited_but_custom_roles_can(client_for) -> None:
    client = client_for("administrator")
    system = Role.objects.get(code="analyst")
    response = client.post(f"/administration/roles/{system.pk}/", {"name": "Hacked", "capabilities": ["administer"]})
    assert response.status_code == 302
    system.refresh_from_db()
    assert system.name == "Analyst"
    assert "administer" not in system.capabilities

    created = client.post(
        "/administration/roles/add/",
        {"name": "Housing manager", "code": "housing_manager", "capabilities": ["cases_view", "services_manage"]},
    )
    assert created.status_code == 302
    assert Role.objects.get(code="housing_manager").capabilities == ["cases_view", "services_manage"]
