"""Changing one's own password (ASVS 2.1.5, 2.1.6, 2.1.12, 2.2.3, 3.3.3): the current password
first, the project's validators, this session kept and every other ended, audited and e-mailed."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django.contrib.sessions.models import Session
from django.test import Client

from openiom.demo import DEMO_PASSWORD

URL = "/account/password/"
NEW = "ribbon kettle mango lantern"


def _sessions_of(user) -> int:
    return sum(1 for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk))


def test_the_account_page_links_to_the_change_password_page(client_for) -> None:
    assert f'href="{URL}"' in client_for("analyst").get("/account/").content.decode()


def test_the_page_needs_sign_in(db: None) -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_the_fields_are_govuk_password_inputs_with_a_show_button(client_for) -> None:
    html = client_for("analyst").get(URL).content.decode()
    assert html.count('data-module="govuk-password-input"') == 2
    assert html.count("govuk-js-password-input-toggle") == 2
    assert 'autocomplete="current-password"' in html
    assert 'autocomplete="new-password"' in html
    assert "onpaste" not in html


def test_a_wrong_current_password_is_refused_and_nothing_typed_is_shown_again(client_for, partnership) -> None:
    typed_current, typed_new = "not-my-password-Zq81", "walnut piano seagull"
    response = client_for("analyst").post(URL, {"current_password": typed_current, "new_password": typed_new})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your current password is not correct" in html
    assert 'class="govuk-error-summary"' in html
    assert typed_current not in html
    assert typed_new not in html
    user = partnership["analyst"]
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)
    assert not user.check_password(typed_new)


@pytest.mark.parametrize(
    ("weak", "message"),
    [
        ("short-pw", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("Sunshine!2025", "This password is a common password with small changes."),
        ("qwertyuiopasdf", "This password is a keyboard or alphabet sequence."),
    ],
)
def test_a_weak_new_password_is_refused_with_the_validators_message(client_for, partnership, weak, message) -> None:
    response = client_for("analyst").post(URL, {"current_password": DEMO_PASSWORD, "new_password": weak})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert weak not in html
    assert DEMO_PASSWORD not in html
    partnership["analyst"].refresh_from_db()
    assert partnership["analyst"].check_password(DEMO_PASSWORD)


def test_the_new_password_must_differ_from_the_current_one(client_for) -> None:
    response = client_for("analyst").post(URL, {"current_password": DEMO_PASSWORD, "new_password": DEMO_PASSWORD})
    assert "must be different from your current password" in response.content.decode()


def test_success_keeps_this_session_ends_the_others_and_is_audited_and_emailed(
    client_for, partnership, mailoutbox
) -> None:
    user = partnership["analyst"]
    here, elsewhere, other_user = client_for("analyst"), client_for("analyst"), client_for("police_officer")
    assert elsewhere.get("/account/").status_code == 200
    assert _sessions_of(user) == 2

    response = here.post(URL, {"current_password": DEMO_PASSWORD, "new_password": NEW})
    assert response.status_code == 302
    assert response["Location"] == "/account/"

    user.refresh_from_db()
    assert user.check_password(NEW)
    page = here.get("/account/")
    assert page.status_code == 200  # this session stays signed in
    assert "Your password has been changed. You have been signed out everywhere else." in page.content.decode()
    assert _sessions_of(user) == 1  # the other session is gone from the database, not just refused on its next use
    signed_out = elsewhere.get("/account/")
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/sign-in/")
    assert other_user.get("/account/").status_code == 200  # other users keep their sessions

    entry = LogEntry.objects.get(additional_data__event="password_changed")
    assert entry.actor == user
    assert entry.object_pk == str(user.pk)
    assert entry.additional_data["other_sessions_ended"] == 1
    assert NEW not in str(entry.changes)
    assert user.password not in str(entry.changes)

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [user.email]
    assert mail.subject == "OpenIOM: your password has been changed"
    assert "tell your administrator" in mail.body
    assert NEW not in mail.body
    assert DEMO_PASSWORD not in mail.body


def test_repeated_wrong_current_passwords_block_changing_for_the_cool_off_time(
    settings, client_for, partnership
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=5)
    with time_machine.travel("2026-11-24 09:00:00+00:00", tick=False) as clock:
        client = client_for("analyst")
        wrong = {"current_password": "guess-number-one", "new_password": NEW}
        assert client.post(URL, wrong).status_code == 200
        assert client.post(URL, wrong).status_code == 200
        locked = client.post(URL, wrong)
        assert locked.status_code == 429
        assert "blocked for 5 minutes" in locked.content.decode()
        right = {"current_password": DEMO_PASSWORD, "new_password": NEW}
        assert client.post(URL, right).status_code == 429  # even the right password, until the cool-off ends
        partnership["analyst"].refresh_from_db()
        assert partnership["analyst"].check_password(DEMO_PASSWORD)

        clock.shift(timedelta(minutes=6))
        assert client.post(URL, right).status_code == 302
        partnership["analyst"].refresh_from_db()
        assert partnership["analyst"].check_password(NEW)


def test_the_failures_of_one_user_do_not_block_another(settings, client_for, partnership) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client_for("analyst").post(URL, {"current_password": "wrong-wrong-wrong", "new_password": NEW})
    response = client_for("police_officer").post(URL, {"current_password": DEMO_PASSWORD, "new_password": NEW})
    assert response.status_code == 302
