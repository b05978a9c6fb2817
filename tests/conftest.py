"""The fixed cast: the demo partnership, one user per persona, and helpers to act as them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from openiom.accounts.models import User
from openiom.demo import DEMO_PASSWORD, DEMO_USERS, seed_partnership

PERSONAS = [u.role_code for u in DEMO_USERS]
EMAIL_BY_PERSONA = {u.role_code: u.email for u in DEMO_USERS}


def pytest_configure() -> None:
    # Hashing passwords properly is slow by design; tests need speed, not resistance to cracking.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Seed the cast once; each test's transaction is rolled back, so every test sees it unchanged."""
    with django_db_blocker.unblock():
        seed_partnership(DEMO_PASSWORD)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Django's cache (API rate-limit counters) is per process: empty it so no test sees another's counts."""
    cache.clear()


@pytest.fixture
def partnership(db: None) -> dict[str, User]:
    """The demo agencies and one user per persona, keyed by role code."""
    if User.objects.filter(email__in=EMAIL_BY_PERSONA.values()).count() != len(EMAIL_BY_PERSONA):
        seed_partnership(DEMO_PASSWORD)  # after a transactional test emptied the database
    return {code: User.objects.get(email=email) for code, email in EMAIL_BY_PERSONA.items()}


@pytest.fixture
def client_for(partnership: dict[str, User]) -> Callable[[str], Client]:
    """A test client signed in as the named persona."""

    def make(persona: str) -> Client:
        client = Client()
        client.force_login(partnership[persona])
        return client

    return make
