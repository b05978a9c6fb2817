from __future__ import annotations

import pytest
from django.test import Client

from openiom.demo import DEMO_PASSWORD

EMAIL = "offender.manager@openiom.test"


def _attempt(client: Client, password: str, email: str = EMAIL):
    return client.post("/sign-in/", {"username": email, "password": password})


def test_sign_in_with_email_and_password_reaches_home(partnership) -> None:
    client = Client()
    response = _attempt(client, DEMO_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "Olu Mensah" in client.get("/").content.decode()


def test_wrong_password_shows_error_summary_and_keeps_email(partnership) -> None:
    response = _attempt(Client(), "not-the-password")
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Enter a correct e-mail address and password" in html
    assert f'value="{EMAIL}"' in html  # what the user typed is kept


def test_lockout_after_five_failed_sign_ins(partnership) -> None:
    client = Client()
    for _ in range(4):
        assert _attempt(client, "wrong-password-123").status_code == 200
    fifth = _attempt(client, "wrong-password-123")
    assert fifth.status_code == 429
    assert "Your account is locked" in fifth.content.decode()
    # Even the right password is refused while locked.
    locked = _attempt(client, DEMO_PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_four_failures_then_success_is_not_locked(partnership) -> None:
    client = Client()
    for _ in range(4):
        _attempt(client, "wrong-password-123")
    assert _attempt(client, DEMO_PASSWORD).status_code == 302


def test_sign_out_needs_post_and_ends_session(client_for) -> None:
    client = client_for("analyst")
    assert client.get("/sign-out/").status_code == 405
    response = client.post("/sign-out/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # back to sign-in


def test_inactive_user_cannot_sign_in(partnership) -> None:
    user = partnership["offender_manager"]
    user.is_active = False
    user.save()
    assert _attempt(Client(), DEMO_PASSWORD).status_code == 200


@pytest.mark.parametrize("path", ["/", "/administration/", "/jobs/", "/account/"])
def test_pages_need_sign_in(db: None, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


def test_idle_timeout_is_set_on_the_session(client_for, settings) -> None:
    client = client_for("analyst")
    client.get("/")
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert client.session.get_expiry_age() == settings.IDLE_TIMEOUT_MINUTES * 60 == 30 * 60
