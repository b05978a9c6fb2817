"""Settings come from the environment and fail loudly; production mode is hardened."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

STRONG_KEY = "k" * 20 + "Zq9!xY2#vB7$mN4%pL6^tR8&wE1*uI3(oA5)" + "s" * 10
PRODUCTION = {
    "OPENIOM_PRODUCTION": "true",
    "OPENIOM_SECRET_KEY": STRONG_KEY,
    "OPENIOM_ALLOWED_HOSTS": "iom.example.org",
}


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENIOM_", "DJANGO_"))}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "openiom", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy_with_no_warnings() -> None:
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"OPENIOM_PRODUCTION": "true", "OPENIOM_ALLOWED_HOSTS": "x.org"}, "OPENIOM_SECRET_KEY must be set"),
        ({**PRODUCTION, "OPENIOM_SECRET_KEY": "short"}, "OPENIOM_SECRET_KEY must be set"),
        ({**PRODUCTION, "OPENIOM_ALLOWED_HOSTS": ""}, "OPENIOM_ALLOWED_HOSTS must list"),
        ({**PRODUCTION, "OPENIOM_DEBUG": "true"}, "OPENIOM_DEBUG cannot be true"),
        ({"OPENIOM_DEBUG": "perhaps"}, "OPENIOM_DEBUG must be one of"),
        ({"OPENIOM_IDLE_TIMEOUT_MINUTES": "ten"}, "OPENIOM_IDLE_TIMEOUT_MINUTES must be a whole number"),
        ({"OPENIOM_IDLE_TIMEOUT_MINUTES": "1"}, "OPENIOM_IDLE_TIMEOUT_MINUTES must be between 5 and 480"),
        ({"OPENIOM_TASKS_BACKEND": "celery"}, "OPENIOM_TASKS_BACKEND must be one of"),
        ({"DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL must point to PostgreSQL"),
    ],
)
def test_bad_settings_stop_start_up_with_the_variable_named(env: dict[str, str], message: str) -> None:
    result = _run(["check"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_requires_two_factor_for_everyone() -> None:
    result = _run(
        ["shell", "--no-imports", "-c", "from django.conf import settings; print(settings.REQUIRE_TWO_FACTOR)"],
        PRODUCTION,
    )
    assert result.stdout.strip() == "True", result.stderr


def test_production_has_secure_cookies_and_hsts() -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS > 0, s.DEBUG)"
    )
    result = _run(["shell", "--no-imports", "-c", code], PRODUCTION)
    assert result.stdout.split() == ["True", "True", "True", "True", "False"], result.stderr


def test_env_example_lists_every_variable_the_settings_read() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    settings_src = (root / "src/openiom/settings.py").read_text()
    read = set(re.findall(r'"((?:OPENIOM_|DATABASE_URL)[A-Z0-9_]*)"', settings_src))
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (root / ".env.example").read_text(), re.M))
    assert read <= listed, f"missing from .env.example: {sorted(read - listed)}"
