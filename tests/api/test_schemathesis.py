"""Fuzz the whole API schema: no server errors, no responses outside the schema."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from openiom.accounts.services import create_api_token

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def token(partnership) -> str:
    _t, raw = create_api_token(user=partnership["iom_coordinator"], name="fuzz")
    return raw


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})
