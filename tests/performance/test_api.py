"""The API's lists make as many queries for eight cases or people as for two.

A records system reads the API with a token: the case list (full view for the co-ordinator,
the minimal view for an agency not involved), a case, people search and a person's offences.
"""

from __future__ import annotations

import pytest
from django.test import Client

from openiom.accounts.services import create_api_token

from .case_builder import FAMILY
from .conftest import grows_flat
from .test_case_lists import FEW, MANY, _more_cases


def _api(partnership, persona: str) -> Client:
    _token, raw = create_api_token(user=partnership[persona], name="query count")
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.mark.parametrize("persona", ["iom_coordinator", "yot_worker"])
def test_api_case_list_does_not_grow(builder, partnership, persona) -> None:
    for _ in range(FEW):
        builder.loaded_case()
    small, large = grows_flat(
        _api(partnership, persona), "/api/v1/cases?limit=50", lambda: _more_cases(builder),
        page=f"/api/v1/cases as {persona}",
    )  # fmt: skip
    assert small.response.json()["total"] == FEW
    assert large.response.json()["total"] == MANY
    assert len(large.response.json()["results"]) == MANY


def test_api_case_does_not_grow(builder, partnership) -> None:
    case = builder.loaded_case()
    url = f"/api/v1/cases/{case.pk}"
    _small, large = grows_flat(_api(partnership, "iom_coordinator"), url, lambda: builder.grow(case, 10), page=url)
    assert large.response.json()["id"] == case.pk


def test_api_people_search_does_not_grow(builder, partnership) -> None:
    for _ in range(FEW):
        builder.loaded_case()
    small, large = grows_flat(
        _api(partnership, "iom_coordinator"), "/api/v1/people/search", lambda: _more_cases(builder),
        page="/api/v1/people/search", method="post", data={"name": FAMILY}, content_type="application/json",
    )  # fmt: skip
    assert len(small.response.json()["results"]) < len(large.response.json()["results"])
