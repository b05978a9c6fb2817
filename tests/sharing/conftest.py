"""A person with something in every special category, for the permission-matrix tests.

Robin Sharefield's PPO case is led by probation (Olu Mensah); the police and housing are involved,
the YOT is not. The police hold a record with a burglary and a sexual offence, and MAPPA level 1
and MARAC flags. The needs assessment has health and drugs-and-alcohol notes; a victim is linked;
the person consented (to all partners) to share health information.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client

from openiom.accounts.models import Agency, User
from openiom.accounts.services import create_api_token
from openiom.cases import plans, services
from openiom.cases.constants import Pathway
from openiom.cases.models import Case, Tier
from openiom.cases.plans import NeedInput
from openiom.cases.victims import add_victim
from openiom.offending.models import Flag, Offence
from openiom.people.models import Person, PersonRecord
from openiom.sharing.constants import Category
from openiom.sharing.models import Consent
from openiom.sharing.services import record_consent

# Fixtures shared with the case tests (imported, not changed).
from tests.cases.conftest import make_case, make_person, tiers, today  # noqa: F401

HEALTH_NOTE = "Sees the community psychiatric nurse fortnightly"
DRUG_NOTE = "On a methadone script at the treatment service"
ACCOMMODATION_NOTE = "Sofa surfing at a friends flat"
VICTIM_NOTE = "Former partner: never share her new address"
SEXUAL_OFFENCE = "Other sexual offences"
BURGLARY = "Residential burglary"


@dataclass
class SharingWorld:
    person: Person
    case: Case
    users: dict[str, User]
    consent: Consent

    def url(self, tail: str = "") -> str:
        return f"/cases/{self.case.pk}/{tail}"


@pytest.fixture(name="world")
def world_fixture(
    today: date,  # noqa: F811
    partnership: dict[str, User],
    tiers: dict[int, Tier],  # noqa: F811
    make_person: Callable[..., Person],  # noqa: F811
    make_case: Callable[..., Case],  # noqa: F811
) -> SharingWorld:
    om = partnership["offender_manager"]
    person = make_person(given_name="Robin", family_name="Sharefield", date_of_birth=date(1990, 2, 3))
    case = make_case(person=person)
    police, housing = Agency.objects.get(code="police"), Agency.objects.get(code="housing")
    services.add_involvement(case=case, agency=police, key_worker=partnership["police_officer"], by=om, role="PPO")
    services.add_involvement(case=case, agency=housing, by=om, role="Housing support")
    notes = {Pathway.HEALTH: HEALTH_NOTE, Pathway.DRUGS_ALCOHOL: DRUG_NOTE, Pathway.ACCOMMODATION: ACCOMMODATION_NOTE}
    plans.record_assessment(
        case=case,
        by=om,
        assessed_on=date(2026, 6, 10),
        needs={p: NeedInput("high", notes=notes.get(p, "")) for p in Pathway.values},
    )
    add_victim(case=case, by=om, label="Victim R", relationship="Former partner", repeat=True, safety_notes=VICTIM_NOTE)
    record = PersonRecord.objects.create(
        source=police, source_person_id="P-777", person=person, given_name="Robin", family_name="Sharefield",
        date_of_birth=date(1990, 2, 3), gender="M", ethnicity=person.ethnicity,
    )  # fmt: skip
    for n, (code, day) in enumerate([("burglary_residential", date(2026, 3, 2)), ("other_sexual", date(2026, 4, 9))]):
        Offence.objects.create(
            source=police, event_id=f"E{n}", record=record, offence_code=code, offence_date=day,
            outcome="conviction", outcome_date=day, disposal="community_order",
        )  # fmt: skip
    Flag.objects.create(source=police, record=record, flag="mappa_1", value="category 1", start_date=date(2026, 4, 20))
    Flag.objects.create(source=police, record=record, flag="marac", value="", start_date=date(2026, 5, 1))
    Flag.objects.create(source=police, record=record, flag="ppo", value="", start_date=date(2026, 6, 1))
    consent = record_consent(person=person, category=Category.HEALTH, by=om, given_on=date(2026, 6, 10))
    return SharingWorld(person=person, case=case, users=partnership, consent=consent)


@pytest.fixture
def api_for(partnership: dict[str, User]) -> Callable[[str], Client]:
    """A test client that calls the API with a token of the named persona."""

    def make(persona: str) -> Client:
        return Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(user=partnership[persona], name='test')[1]}")

    return make


def text(response: Any) -> str:
    return response.content.decode()
