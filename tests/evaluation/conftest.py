"""Shared fixtures for the reports: the case fixtures, and a hand-made cohort with its offending."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import count as counter

import pytest

from openiom.accounts.models import Agency
from openiom.cases.models import Case
from openiom.offending.models import Offence
from openiom.people.models import Person, PersonRecord
from tests.cases.conftest import make_case, make_person, tiers, today

__all__ = ["NAME", "cohort", "make_case", "make_person", "offence", "record", "tiers", "today"]

events = counter(1)
NAME = "Zebedee"


def record(person: Person) -> PersonRecord:
    return PersonRecord.objects.get_or_create(
        source=Agency.objects.get(code="police"), source_person_id=f"P-{person.pk}", person=person,
        defaults={"given_name": person.given_name, "family_name": person.family_name,
                  "date_of_birth": person.date_of_birth, "gender": person.gender, "ethnicity": person.ethnicity,
                  "ward": "Marsh Gate"},
    )[0]  # fmt: skip


def offence(person: Person, committed: date, outcome: str, decided: date, code: str = "shoplifting") -> None:
    Offence.objects.create(
        source=Agency.objects.get(code="police"), event_id=f"E{next(events)}", record=record(person),
        offence_code=code, offence_date=committed, outcome=outcome, outcome_date=decided,
    )  # fmt: skip


@pytest.fixture
def cohort(make_case: Callable[..., Case], make_person: Callable[..., Person]) -> list[Case]:
    """12 PPO entries on 1 March 2024: 7 reoffend within the year (proven in time), 5 do not.

    Person 8 reoffends on 1 March 2025 (the last day) but is convicted on 2 September 2025, a
    day after the 18 months: not a reoffence. Every person had one proven offence the year before.
    A 13th person entered in 2026: follow-up not complete. The cut-off is 31 October 2026.
    """
    cases = []
    for i in range(12):
        person = make_person(given_name=NAME, family_name=f"Quill{i}")
        case = make_case(person=person, cohort="PPO", opened_on=date(2024, 3, 1))
        offence(person, date(2023, 6, 1), "conviction", date(2023, 7, 1), "burglary_residential")
        if i < 7:
            offence(person, date(2024, 6, 1), "conviction", date(2024, 8, 1))
        if i == 7:
            offence(person, date(2025, 3, 1), "conviction", date(2025, 9, 2))
        cases.append(case)
    late = make_case(person=make_person(given_name=NAME), cohort="HCC", opened_on=date(2026, 1, 10))
    offence(late.person, date(2026, 10, 1), "conviction", date(2026, 10, 31))
    return cases
