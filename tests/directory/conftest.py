"""Services for the directory tests, and open cases with needs and referrals for the gaps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from openiom.accounts.models import User
from openiom.cases.constants import NeedLevel, Pathway
from openiom.cases.models import Case, Tier
from openiom.cases.plans import NeedInput, record_assessment
from openiom.cases.services import default_tiers, open_case
from openiom.directory.models import Service
from openiom.directory.services import ServiceData, create_service
from openiom.people.models import Person


def service_data(**fields: Any) -> ServiceData:
    values: dict[str, Any] = {"name": "Debt advice", "provider": "Citizens Advice", "pathways": ["finance"]}
    values.update(fields)
    return ServiceData(**values)


@pytest.fixture
def make_service(db: None) -> Callable[..., Service]:
    def make(**fields: Any) -> Service:
        return create_service(service_data(**fields), by=None)

    return make


@pytest.fixture
def make_case(partnership: dict[str, User]) -> Callable[..., Case]:
    """An open PPO case of a man born in 1990, with one assessment giving `needs` (pathway: level)."""
    default_tiers()
    counter = iter(range(1, 1000))

    def make(needs: dict[str, str], *, cohort: str = "PPO", gender: str = "M") -> Case:
        n = next(counter)
        person = Person.objects.create(
            given_name=f"Gap{n}", family_name="Example", date_of_birth=date(1990, 1, 1), gender=gender, ethnicity="W"
        )
        case = open_case(
            person=person,
            cohort=cohort,
            tier=Tier.objects.get(level=2),
            lead_professional=partnership["offender_manager"],
            by=partnership["iom_coordinator"],
        )
        levels = {p: NeedInput(needs.get(p, NeedLevel.NONE)) for p in Pathway.values}
        record_assessment(case=case, by=partnership["offender_manager"], needs=levels)
        return case

    return make
