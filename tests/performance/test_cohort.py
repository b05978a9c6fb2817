"""Cohort selection pages make as many queries for a run over many people as for a run over a few.

A run's results are fixed once it has run, so these tests compare two runs rather than one run
before and after: the first over the cohort tests' hand-made borough (eight people), the second
after twenty-four more people with recent offending were added, a third of them with a MAPPA flag
(excluded) and some of them young (the DYO route). Both runs ask for up to twenty nominations a
route, so the busier run nominates many more. The pages are read by the co-ordinator, the police
officer and the analyst.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from openiom.cohort.models import SelectionRun
from openiom.cohort.services import start_selection_run
from openiom.offending.models import Flag, Offence
from openiom.people.models import PersonRecord
from tests.cohort.conftest import AS_OF, make_borough

from .conftest import grows_flat

MORE = 24
CONFIG = {"nominations_wanted": 20}


class Borough:
    """The hand-made borough, made busier on demand, and runs over it."""

    def __init__(self, builder) -> None:
        self.cases = builder
        self.people = make_borough()
        self.coordinator = builder.users["iom_coordinator"]

    def run(self, label: str) -> SelectionRun:
        return start_selection_run(user=self.coordinator, as_of=AS_OF, config=dict(CONFIG), label=label)

    def grow(self, k: int = MORE) -> None:
        police = self.cases.agency("police")
        for n in range(k):
            person = self.cases.person(given=f"Cohortee{n}")
            if n % 4 == 3:  # a young person
                person.date_of_birth = date(2010, 1, 1) + timedelta(days=n)
                person.save()
                PersonRecord.objects.filter(person=person).update(date_of_birth=person.date_of_birth)
            record = PersonRecord.objects.get(person=person)
            for j in range(1 + n % 3):
                Offence.objects.create(
                    source=police, event_id=f"C{n}-{j}", record=record, offence_code="burglary_residential",
                    offence_date=AS_OF - timedelta(days=10 + 20 * j + n), outcome="arrest",
                    outcome_date=AS_OF - timedelta(days=10 + 20 * j + n),
                )  # fmt: skip
            if n % 3 == 0:
                Flag.objects.create(source=police, record=record, flag="mappa_2", start_date=date(2025, 6, 1))
        # Adam (nominated in both runs) has more offending in the second: his explanation has more to say
        adam = PersonRecord.objects.get(person=self.people["Adam"])
        for j in range(6):
            Offence.objects.create(
                source=police, event_id=f"A-{j}", record=adam, offence_code="shoplifting",
                offence_date=AS_OF - timedelta(days=30 + 7 * j), outcome="arrest",
                outcome_date=AS_OF - timedelta(days=30 + 7 * j),
            )  # fmt: skip


@pytest.fixture
def borough(builder) -> Borough:
    return Borough(builder)


def _between_runs(borough: Borough, client, tab: str, persona: str, query: str = ""):
    quiet = borough.run("Quiet")

    def busier() -> str:
        borough.grow()
        return f"/cohort/runs/{borough.run('Busy').pk}/{tab}{query}"

    return grows_flat(
        client, f"/cohort/runs/{quiet.pk}/{tab}{query}", busier, page=f"/cohort/runs/<run>/{tab}{query} as {persona}"
    )


PERSON_ROW = re.compile(r"Person \d+, age \d+")

# (tab, query, persona, how many people the busy run lists at least: nominations, everyone, exclusions)
RUN_PAGES = [
    ("", "", "iom_coordinator", 10),  # the nominations of both routes (25 a page)
    ("", "", "police_officer", 10),
    ("", "?outcome=all", "analyst", 25),  # everyone scored: a full first page
    ("exclusions/", "", "iom_coordinator", MORE // 3),
]


@pytest.mark.parametrize(("tab", "query", "persona", "at_least"), RUN_PAGES)
def test_run_pages_do_not_grow(borough, client_for, tab, query, persona, at_least) -> None:
    small, large = _between_runs(borough, client_for(persona), tab, persona, query)
    assert len(PERSON_ROW.findall(small.text)) < len(PERSON_ROW.findall(large.text))
    assert len(PERSON_ROW.findall(large.text)) >= at_least


@pytest.mark.parametrize("tab", ["fairness/", "settings/"])
def test_fairness_and_settings_do_not_grow(borough, client_for, tab) -> None:
    """The fairness view works out its tables from every score of the run; the settings page shows the run's."""
    small, large = _between_runs(borough, client_for("analyst"), tab, "analyst")
    if tab == "fairness/":
        population = SelectionRun.objects.get(label="Busy").population
        assert f"{population}" in large.text
        assert small.text != large.text


def test_explanation_does_not_grow(borough, client_for) -> None:
    """One nominee's explanation, with six more offences counted in the second run."""
    adam = borough.people["Adam"].pk
    quiet = borough.run("Quiet")

    def busier() -> str:
        borough.grow()
        return f"/cohort/runs/{borough.run('Busy').pk}/people/{adam}/"

    small, large = grows_flat(
        client_for("police_officer"), f"/cohort/runs/{quiet.pk}/people/{adam}/", busier, page="explanation"
    )
    counted = re.compile(r"Counted offences in the window</dt><dd class=\"govuk-summary-list__value\">(\d+)")
    assert int(counted.search(large.text).group(1)) == int(counted.search(small.text).group(1)) + 6


def test_compare_does_not_grow(borough, client_for) -> None:
    """Comparing two runs lists who entered, who left and who moved: many more in the busy borough."""
    first = start_selection_run(user=borough.coordinator, as_of=AS_OF, config={"nominations_wanted": 1}, label="A")
    second = borough.run("Quiet B")  # up to twenty a route: a few more enter

    def busier() -> str:
        a = borough.run("Busy A")  # the borough before it grew: few nominations
        borough.grow()
        b = borough.run("Busy B")  # after: many entered
        return f"/cohort/compare/?a={a.pk}&b={b.pk}"

    small, large = grows_flat(
        client_for("iom_coordinator"), f"/cohort/compare/?a={first.pk}&b={second.pk}", busier, page="/cohort/compare/"
    )
    assert 0 < small.text.count("/people/") < large.text.count("/people/")
    assert large.text.count("Cohortee") >= 10


def test_run_list_does_not_grow(borough, client_for) -> None:
    """The list of runs: two, then twelve (25 a page)."""
    for n in range(2):
        borough.run(f"Loadtest run {n}")

    def more() -> None:
        for n in range(2, 12):
            borough.run(f"Loadtest run {n}")

    small, large = grows_flat(client_for("analyst"), "/cohort/", more, page="/cohort/")
    assert small.text.count("Loadtest run") == 2
    assert large.text.count("Loadtest run") == 12


def test_export_does_not_grow(borough, client_for) -> None:
    """The CSV of every nomination: each row exported is an audited read, logged in one write."""
    quiet = borough.run("Quiet")

    def busier() -> str:
        borough.grow()
        return f"/cohort/runs/{borough.run('Busy').pk}/export/"

    small, large = grows_flat(
        client_for("analyst"), f"/cohort/runs/{quiet.pk}/export/", busier, page="/cohort/runs/<run>/export/",
        method="post", data={"export": "all"},
    )  # fmt: skip
    assert large.response["Content-Type"].startswith("text/csv")
    assert small.text.count("\n") < large.text.count("\n")
    assert large.text.count("Cohortee") >= 10
