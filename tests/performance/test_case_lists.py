"""The case lists, My actions, team caseloads and the home page: as many queries for 8 cases as for 2.

Each list is read by the persona who uses it: the co-ordinator (every case), the police officer
(cases the police are involved in), the YOT worker (the minimal view of every case), the offender
manager (the cases they lead, their actions). The world grows from two loaded cases to eight,
led by several offender managers, each case with one of everything.

The case list shows 25 cases a page and My cases 50: eight cases fit on the first page, so the
rows counted are all the rows shown.
"""

from __future__ import annotations

import re

import pytest

from .case_builder import FAMILY
from .conftest import grows_flat

FEW, MANY = 2, 8


def _more_cases(builder, how_many: int = MANY - FEW) -> None:
    workers = [builder.worker() for _ in range(3)]
    for i in range(how_many):
        lead = "offender_manager" if i % 2 == 0 else workers[i % 3]
        builder.loaded_case(lead=lead)


# (address, persona, a text shown once per case, how many of it the page shows with eight cases)
LISTS = [
    ("/cases/", "iom_coordinator", FAMILY.upper(), MANY),
    ("/cases/", "police_officer", FAMILY.upper(), MANY),
    ("/cases/", "yot_worker", FAMILY.upper(), MANY),  # every case, in the minimal view
    ("/cases/?sort=lead", "iom_coordinator", FAMILY.upper(), MANY),
    ("/cases/?cohort=HCC&agency=housing", "iom_coordinator", FAMILY.upper(), MANY),
    ("/cases/mine/", "offender_manager", FAMILY.upper(), MANY // 2 + 1),
    ("/cases/mine/", "police_officer", FAMILY.upper(), MANY),  # the key worker on every case
    ("/cases/actions/", "offender_manager", "Loadtest action", MANY // 2 + 1),
]


@pytest.mark.parametrize(("url", "persona", "marker", "at_least"), LISTS)
def test_case_list_queries_do_not_grow(builder, client_for, url, persona, marker, at_least) -> None:
    for _ in range(FEW):
        builder.loaded_case()
    small, large = grows_flat(client_for(persona), url, lambda: _more_cases(builder), page=f"{url} as {persona}")
    assert small.text.count(marker) < large.text.count(marker)
    assert large.text.count(marker) >= at_least


@pytest.mark.parametrize("persona", ["iom_coordinator", "offender_manager"])
def test_caseloads_do_not_grow(builder, client_for, persona) -> None:
    """One row per lead professional: more workers and more cases, the same number of queries."""
    for _ in range(FEW):
        builder.loaded_case()
    url = "/cases/caseloads/"
    small, large = grows_flat(client_for(persona), url, lambda: _more_cases(builder), page=f"{url} as {persona}")
    assert small.text.count("Loadtest Worker") == 0
    assert large.text.count("Loadtest Worker") == 3


def test_name_search_does_not_grow(builder, client_for) -> None:
    """A name search (POST, then the list with the search token) finds every case of the family."""
    for _ in range(FEW):
        builder.loaded_case()
    client = client_for("iom_coordinator")
    response = client.post("/cases/search/", {"name": FAMILY})
    assert response.status_code == 302
    url = response["Location"]
    small, large = grows_flat(client, url, lambda: _more_cases(builder), page="/cases/ (name search)")
    assert small.text.count(FAMILY.upper()) >= FEW
    assert large.text.count(FAMILY.upper()) >= MANY


# (persona, the open cases the home page says they work on with eight cases)
HOME = [("offender_manager", FEW + (MANY - FEW) // 2), ("police_officer", MANY)]


@pytest.mark.parametrize(("persona", "cases"), HOME)
def test_home_page_does_not_grow(builder, client_for, persona, cases) -> None:
    """The home page counts the user's cases and actions: counts, not one query per case."""
    for _ in range(FEW):
        builder.loaded_case()
    small, large = grows_flat(client_for(persona), "/", lambda: _more_cases(builder), page=f"/ as {persona}")
    assert re.search(r"My cases</a>: (\d+) open", small.text).group(1) == str(FEW)
    assert re.search(r"My cases</a>: (\d+) open", large.text).group(1) == str(cases)
