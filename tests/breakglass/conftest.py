"""A case led by probation's offender manager: the housing partner practitioner sees only its minimal view."""

from __future__ import annotations

from datetime import date

import pytest

from openiom.accounts.models import User
from openiom.cases.models import Case, Tier
from openiom.cases.services import default_tiers, open_case
from openiom.people.models import Person

REASON = "Housing needs the licence conditions today to decide on an emergency placement tonight."


@pytest.fixture
def case(partnership: dict[str, User]) -> Case:
    default_tiers()
    person = Person.objects.create(
        given_name="Glenda",
        family_name="Brakeman",
        date_of_birth=date(1990, 3, 4),
        gender="F",
        ethnicity="W",
    )
    return open_case(
        person=person,
        tier=Tier.objects.get(level=2),
        lead_professional=partnership["offender_manager"],
        by=partnership["iom_coordinator"],
        cohort="PPO",
        statutory=True,
        opened_on=date(2026, 6, 1),
    )
