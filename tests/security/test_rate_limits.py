"""Rate limits: the API per token and per address without a token (429 with Retry-After); sign-in by django-axes."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client

from openiom.accounts.services import create_api_token
from openiom.demo import DEMO_PASSWORD


def _me(token: str | None = None, addr: str = "192.0.2.10"):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client(REMOTE_ADDR=addr).get("/api/v1/me", headers=headers)


def test_a_token_over_its_limit_gets_429_with_retry_after_until_the_minute_is_over(settings, partnership) -> None:
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    _t, raw = create_api_token(user=partnership["analyst"], name="t")
    _t2, other = create_api_token(user=partnership["analyst"], name="another system")
    with time_machine.travel("2026-11-24 09:00:10+00:00", tick=False) as clock:
        assert [_me(raw).status_code for _ in range(3)] == [200, 200, 200]
        refused = _me(raw)
        assert refused.status_code == 429
        assert refused["Retry-After"] == "50"
        assert refused.json() == {"message": "Too many requests: slow down and try again"}
        assert _me(other).status_code == 200  # each token has its own allowance
        clock.shift(timedelta(seconds=50))
        assert _me(raw).status_code == 200


def test_calls_without_a_valid_token_are_limited_per_address(settings, partnership) -> None:
    settings.API_ANON_RATE_LIMIT_PER_MINUTE = 2
    with time_machine.travel("2026-11-24 09:00:00+00:00", tick=False):
        assert [_me("oiom_guess").status_code for _ in range(2)] == [401, 401]
        refused = _me("oiom_guess")
        assert refused.status_code == 429
        assert refused["Retry-After"] == "60"
        assert _me(None).status_code == 429  # no token at all counts the same
        assert _me("oiom_guess", addr="198.51.100.7").status_code == 401  # another address is not affected
        # A valid token is counted on its own allowance, not the address's.
        _t, raw = create_api_token(user=partnership["analyst"], name="t")
        assert _me(raw).status_code == 200


def test_sign_in_locks_after_the_configured_number_of_failures(settings, partnership) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    client = Client(REMOTE_ADDR="192.0.2.20")
    for _ in range(2):
        response = client.post("/sign-in/", {"username": "analyst@openiom.test", "password": "wrong-password-1"})
        assert response.status_code == 200
    third = client.post("/sign-in/", {"username": "analyst@openiom.test", "password": "wrong-password-1"})
    assert third.status_code == 429
    right = client.post("/sign-in/", {"username": "analyst@openiom.test", "password": DEMO_PASSWORD})
    assert right.status_code == 429  # locked even with the right password
    assert "_auth_user_id" not in client.session
