"""Password rules as the NCSC recommends, two-factor in production, and the idle timeout."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from openiom.demo import DEMO_PASSWORD

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "openiom" / "templates"


@pytest.mark.parametrize(
    "password",
    [
        "eleven-char",  # too short: 12 at least
        "password1234",  # common
        "Password2024!",  # common, dressed up
        "P@ssw0rd1234",
        "Sunshine!2025",
        "aaaaaaaaaaaaaaaa",
        "abababababababab",
        "trustno1trustno1",
        "abcdefghijklmn",
        "qwertyuiopasdf",
        "0987654321098",
        "OpenIOM-is-great",
    ],
)
def test_short_common_and_guessable_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize(
    "password", ["ribbon kettle mango", "correct-horse-battery-staple", "a" + "Long passphrase, pasted. " * 10]
)
def test_long_passphrases_are_accepted_without_composition_rules(password: str) -> None:
    validate_password(password)  # no capitals, digits or symbols required; no maximum that bites


def test_no_page_blocks_pasting_a_password(db: None) -> None:
    for template in TEMPLATES.rglob("*.html"):
        assert "onpaste" not in template.read_text(), template  # no handlers that block pasting
    sign_in = Client().get("/sign-in/").content.decode()
    assert 'type="password"' in sign_in
    assert 'autocomplete="current-password"' in sign_in  # password managers may fill it


def test_passwords_never_expire(partnership) -> None:
    user = partnership["analyst"]
    with time_machine.travel("2031-01-01 09:00:00+00:00", tick=False):  # years later, same password
        client = Client()
        response = client.post("/sign-in/", {"username": user.email, "password": DEMO_PASSWORD})
        assert response.status_code == 302
        assert client.get("/").status_code == 200


def test_production_always_requires_two_factor() -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENIOM_", "DJANGO_"))}
    clean.pop("DATABASE_URL", None)
    env = {
        **clean,
        "OPENIOM_PRODUCTION": "true",
        "OPENIOM_REQUIRE_2FA": "false",  # cannot be turned off in production
        "OPENIOM_SECRET_KEY": "k" * 20 + "Zq9!xY2#vB7$mN4%pL6^tR8&wE1*uI3(oA5)" + "s" * 10,
        "OPENIOM_ALLOWED_HOSTS": "iom.example.org",
        "DJANGO_SETTINGS_MODULE": "openiom.settings",
    }
    code = "import django; django.setup(); from django.conf import settings; print(settings.REQUIRE_TWO_FACTOR)"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.stdout.strip() == "True", result.stderr


def test_with_two_factor_required_a_signed_in_user_reaches_nothing_before_enrolling(settings, partnership) -> None:
    settings.REQUIRE_TWO_FACTOR = True
    client = Client()
    client.post("/sign-in/", {"username": "police.officer@openiom.test", "password": DEMO_PASSWORD})
    for path in ("/", "/cases/", "/account/", "/break-glass/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/account/two-factor/setup/"), path


def test_the_session_ends_after_the_idle_timeout(settings, partnership) -> None:
    idle = timedelta(minutes=settings.IDLE_TIMEOUT_MINUTES)
    with time_machine.travel("2026-11-24 09:00:00+00:00", tick=False) as clock:
        client = Client()
        client.post("/sign-in/", {"username": "analyst@openiom.test", "password": DEMO_PASSWORD})
        assert client.get("/").status_code == 200
        clock.shift(idle - timedelta(minutes=1))
        assert client.get("/").status_code == 200  # activity keeps the session alive...
        clock.shift(idle - timedelta(minutes=1))
        assert client.get("/").status_code == 200
        clock.shift(idle + timedelta(seconds=1))  # ...inactivity ends it
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize(
    ("variable", "value"),
    [("OPENIOM_BREAK_GLASS_HOURS", "0"), ("OPENIOM_API_RATE_LIMIT", "many"), ("OPENIOM_CACHE", "redis")],
)
def test_security_settings_fail_loudly(variable: str, value: str) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENIOM_", "DJANGO_"))}
    env = {**clean, variable: value, "DJANGO_SETTINGS_MODULE": "openiom.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr
