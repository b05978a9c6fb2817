"""The fixed cast: the demo partnership, one user per persona, and helpers to act as them."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_migrate
from django.test import Client

from openiom.accounts.models import User
from openiom.demo import DEMO_PASSWORD, DEMO_USERS, seed_partnership

PERSONAS = [u.role_code for u in DEMO_USERS]
EMAIL_BY_PERSONA = {u.role_code: u.email for u in DEMO_USERS}


# The default rows the migrations create (tiers, sharing rules, retention periods). A transactional
# test empties every table when it ends; these are put back so later tests see the database as
# migrations left it.
DEFAULT_ROWS = [
    ("openiom.cases.migrations.0002_default_tiers", "create_tiers"),
    ("openiom.sharing.migrations.0002_default_rules", "seed"),
    ("openiom.retention.migrations.0002_default_periods", "seed"),
    ("openiom.retention.migrations.0003_more_record_types", "seed"),
]


def _restore_default_rows(**kwargs: Any) -> None:
    for module, function in DEFAULT_ROWS:
        getattr(importlib.import_module(module), function)(apps, None)


def pytest_configure() -> None:
    # Hashing passwords properly is slow by design; tests need speed, not resistance to cracking.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A flush (the end of a transactional test) sends post_migrate once per app: listen for the last.
    post_migrate.connect(_restore_default_rows, sender=apps.get_app_config("retention"), dispatch_uid="default-rows")


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
