"""Shared fixtures for case management: a person, an open case led by the offender manager, a clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
import time_machine

from openiom.accounts.models import Agency, User
from openiom.cases.models import Case, Tier
from openiom.cases.services import default_tiers, open_case
from openiom.people.models import Person

TODAY = date(2026, 11, 24)


@pytest.fixture
def today() -> Iterator[date]:
    """Freeze the clock at noon on 24 November 2026 (a Tuesday)."""
    with time_machine.travel("2026-11-24 12:00:00+00:00", tick=False):
        yield TODAY


@pytest.fixture
def tiers(db: None) -> dict[int, Tier]:
    default_tiers()
    return {t.level: t for t in Tier.objects.all()}


@pytest.fixture
def make_person(db: None) -> Callable[..., Person]:
    counter = iter(range(1, 10_000))

    def make(**fields: Any) -> Person:
        n = next(counter)
        values: dict[str, Any] = {
            "given_name": f"Casey{n}",
            "family_name": "Testperson",
            "date_of_birth": date(1995, 5, 17),
            "gender": "M",
            "ethnicity": "W",
        }
        values.update(fields)
        return Person.objects.create(**values)

    return make


@pytest.fixture
def make_case(
    partnership: dict[str, User], tiers: dict[int, Tier], make_person: Callable[..., Person]
) -> Callable[..., Case]:
    """An open case, by default PPO at tier 2, statutory, led by the probation offender manager."""

    def make(*, person: Person | None = None, lead: str = "offender_manager", tier: int = 2, **fields: Any) -> Case:
        values: dict[str, Any] = {"cohort": "PPO", "statutory": True, "opened_on": date(2026, 6, 1)}
        values.update(fields)
        return open_case(
            person=person or make_person(),
            tier=tiers[tier],
            lead_professional=partnership[lead],
            by=partnership["iom_coordinator"],
            **values,
        )

    return make


@pytest.fixture
def agency() -> Callable[[str], Agency]:
    return lambda code: Agency.objects.get(code=code)
