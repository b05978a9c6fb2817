"""The case lists in the browser, with axe-core on every page: the police officer filters, sorts and
searches the case list (full rows for the cases the police work on, whom to contact for the rest) and
the offender manager looks at the team's caseloads. No clock is frozen: dates are relative to today."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from openiom.accounts.models import User
from openiom.cases.models import Tier
from openiom.cases.services import add_involvement, default_tiers, open_case
from openiom.demo import DEMO_PASSWORD
from openiom.people.models import Person

POLICE, OM = "police.officer@openiom.test", "offender.manager@openiom.test"


def _world() -> None:
    default_tiers()  # browser tests empty the database between tests
    today = timezone.localdate()
    om, police, yot = (User.objects.get(email=e) for e in (OM, POLICE, "yot.worker@openiom.test"))
    tiers = {t.level: t for t in Tier.objects.all()}
    for n, (given, family, tier, lead, cohort) in enumerate(
        [
            ("Dean", "Marsh", 1, om, "PPO"),
            ("Lee", "Carver", 2, police, "HCC"),
            ("Amir", "Bashir", 2, om, "HCC"),
            ("Tyler", "Quinn", 3, yot, "DYO"),
        ]
    ):
        person = Person.objects.create(
            given_name=given, family_name=family, gender="M", ethnicity="W",
            date_of_birth=f"{2009 if cohort == 'DYO' else 1990 + n}-03-0{n + 1}",
        )  # fmt: skip
        case = open_case(
            person=person, cohort=cohort, tier=tiers[tier], lead_professional=lead, by=om,
            statutory=lead != police, opened_on=today - timedelta(days=30 + n),
        )  # fmt: skip
        if family == "Marsh":
            add_involvement(case=case, agency=police.agency, key_worker=police, by=om)


def _rows(visitor: Any) -> list[str]:
    return visitor.page.locator("table.govuk-table tbody tr td:first-child").all_inner_texts()


def test_the_case_list_filters_sorts_and_searches(visitor: Any, partnership: Any) -> None:
    _world()
    page = visitor.page
    visitor.sign_in(POLICE, DEMO_PASSWORD)
    page.click("nav[aria-label='Primary navigation'] >> text=Cases")
    page.wait_for_load_state("networkidle")
    visitor.check("case list")
    texts = _rows(visitor)
    assert [t.split("\n")[0] for t in texts] == ["MARSH, Dean", "BASHIR, Amir", "CARVER, Lee", "QUINN, Tyler"]
    assert page.locator("a", has_text="BASHIR").count() == 0  # probation's case: whom to contact only
    assert page.get_by_text("Your agency is not involved: contact the lead professional.", exact=True).count() == 2

    page.select_option("#id_tier", "2")
    page.click("button:has-text('Apply filters')")
    page.wait_for_load_state("networkidle")
    visitor.check("case list filtered by tier")
    assert [t.split("\n")[0] for t in _rows(visitor)] == ["BASHIR, Amir", "CARVER, Lee"]

    page.click("th >> text=Name")
    page.wait_for_load_state("networkidle")
    assert page.locator("th[aria-sort='ascending']").inner_text() == "Name"

    page.fill("#id_name", "carver")
    page.click("button:has-text('Search')")
    page.wait_for_load_state("networkidle")
    visitor.check("case list searched by name")
    assert "carver" not in page.url.lower()
    assert [t.split("\n")[0] for t in _rows(visitor)] == ["CARVER, Lee"]
    page.click("a.moj-filter__tag:has-text('carver')")
    page.wait_for_load_state("networkidle")
    assert [t.split("\n")[0] for t in _rows(visitor)] == ["BASHIR, Amir", "CARVER, Lee"]


def test_the_team_caseloads(visitor: Any, partnership: Any) -> None:
    _world()
    visitor.sign_in(OM, DEMO_PASSWORD)
    visitor.goto("/cases/caseloads/")
    visitor.check("team caseloads")
    row = visitor.page.locator("tbody tr", has_text="Olu Mensah").all_inner_texts()[0]
    assert "\t2\t1\t1\t0\t" in row  # two open cases: one at tier 1, one at tier 2
    visitor.goto("/")
    visitor.check("home with my cases")
    assert visitor.page.get_by_text("2 open cases you lead or are key worker on").count() == 1
