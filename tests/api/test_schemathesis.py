"""Fuzz the whole API schema: no server errors, no responses outside the schema."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from openiom.accounts.services import create_api_token
from tests.conftest import PERSONAS

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_test_connection_open() -> Iterator[None]:
    # schemathesis calls the WSGI application directly. Django would close the database
    # connection at the end of each request (it is inside the test's transaction), so do
    # what Django's own test client does: leave connections alone during the test.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings) -> None:
    # Fuzzing sends many calls a minute, some with a deliberately wrong token (schemathesis checks
    # that they are refused): the limits would answer 429. tests/security tests the limits themselves.
    settings.API_RATE_LIMIT_PER_MINUTE = 100_000
    settings.API_ANON_RATE_LIMIT_PER_MINUTE = 100_000


@pytest.fixture
def token(partnership) -> str:
    _t, raw = create_api_token(user=partnership["iom_coordinator"], name="fuzz")
    return raw


def _excluded_checks(case) -> list:
    excluded = []
    if case.operation.path == "/api/v1/deliveries" and case.method.upper() == "POST":
        # Every multipart value arrives as text, so "true" or "1" for a file part is a valid
        # (if useless) CSV file: the delivery is rejected in its report, not by the schema.
        excluded.append(negative_data_rejection)
    if case.operation.path == "/api/v1/selection-runs" and case.method.upper() == "POST":
        # A schema-valid run can still be refused with a 400 and the reason: an as-of date in the
        # future, or a configuration the analytics core's rules refuse (neither fits in JSON Schema).
        excluded.append(positive_data_acceptance)
    return excluded


@schema.parametrize()
@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, excluded_checks=_excluded_checks(case))


# Every other persona fuzzes every endpoint too, with fewer examples each so the suite stays fast:
# what their role refuses must be a documented 403 (or 404), never a server error. Schemathesis's
# coverage phase (about 100 boundary and malformed requests an endpoint, whatever max_examples
# says) runs for the co-ordinator above; run for eight more personas it was a quarter of the suite.
OTHER_PERSONAS = [p for p in PERSONAS if p != "iom_coordinator"]
persona_schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json",
    get_wsgi_application(),
    config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}}),
)


@pytest.fixture(params=OTHER_PERSONAS)
def persona_token(request, partnership) -> str:
    _t, raw = create_api_token(user=partnership[request.param], name=f"fuzz {request.param}")
    return raw


@persona_schema.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema_for_every_persona(case, persona_token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {persona_token}"}, excluded_checks=_excluded_checks(case))
