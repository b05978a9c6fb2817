"""A case with something on every page, for the case page tests (imported by tests/cases/test_case_pages_*.py).

Jordan Quill's PPO case, tier 2, statutory, high risk of serious harm, opened 1 June 2026 and led by
Olu Mensah (probation). The police (PC Dev Patel as key worker) and housing are involved; the YOT
is not. It has a needs assessment, one action, a contact that was missed, a linked victim and a
review prompt. A second case, led by probation with no one else involved, is there for the
partner practitioner's minimal view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from openiom.accounts.models import Agency, User
from openiom.cases import contacts, plans, services
from openiom.cases.constants import Pathway, PromptKind, TaskKind
from openiom.cases.models import Case, Contact, PlanAction, ReviewPrompt, Task, Tier, Victim
from openiom.cases.plans import NeedInput
from openiom.people.models import Person

LONDON = ZoneInfo("Europe/London")
VICTIM_NOTE = "Lives two streets away: never share her address"
RISK_WORD = "Risk of serious harm"


@dataclass
class CaseWorld:
    case: Case
    other: Case
    users: dict[str, User]
    tiers: dict[int, Tier]
    action: PlanAction
    contact: Contact
    victim: Victim
    prompt: ReviewPrompt
    task: Task

    def agency(self, code: str) -> Agency:
        return Agency.objects.get(code=code)

    def url(self, name: str = "", *ids: int) -> str:
        base = f"/cases/{self.case.pk}/"
        return base + name + "".join(f"{i}/" for i in ids)

    def fresh(self) -> Case:
        return Case.objects.get(pk=self.case.pk)


@pytest.fixture(name="world")
def world_fixture(
    today: date,
    partnership: dict[str, User],
    tiers: dict[int, Tier],
    make_person: Callable[..., Person],
    make_case: Callable[..., Case],
) -> CaseWorld:
    om = partnership["offender_manager"]
    person = make_person(given_name="Jordan", family_name="Quill", date_of_birth=date(1995, 3, 27))
    case = make_case(person=person, rosh_level="high")
    police, housing = Agency.objects.get(code="police"), Agency.objects.get(code="housing")
    services.add_involvement(case=case, agency=police, key_worker=partnership["police_officer"], by=om, role="PPO")
    services.add_involvement(case=case, agency=housing, by=om, role="Housing support")
    plans.record_assessment(
        case=case,
        by=om,
        assessed_on=date(2026, 6, 10),
        needs={p: NeedInput("high" if p == Pathway.ACCOMMODATION else "low") for p in Pathway.values},
    )
    action = plans.add_action(
        case=case, pathway=Pathway.ACCOMMODATION, description="Find a hostel place", owner=om,
        due_on=date(2026, 12, 15), by=om,
    )  # fmt: skip
    contact = contacts.add_contact(
        case=case, kind="office", scheduled_at=datetime(2026, 11, 3, 10, 0, tzinfo=LONDON), by=om, outcome="missed",
        notes="Did not come",
    )  # fmt: skip
    victim = Victim.objects.create(
        case=case, label="Victim A", relationship="Ex-partner", repeat=True, safety_notes=VICTIM_NOTE, added_by=om
    )
    prompt = ReviewPrompt.objects.create(
        case=case, kind=PromptKind.ESCALATION, key="offence:test", reason="Arrested on 20 November 2026 for burglary"
    )
    task = Task.objects.create(
        case=case, kind=TaskKind.THROUGH_THE_GATE, pathway=Pathway.ACCOMMODATION, agency=om.agency,
        title="Secure accommodation for the day of release", due_on=date(2026, 12, 1), key="release:test",
    )  # fmt: skip
    other = make_case()
    return CaseWorld(Case.objects.get(pk=case.pk), other, partnership, tiers, action, contact, victim, prompt, task)


def text(response: Any) -> str:
    return response.content.decode()


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data)


def date_fields(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}
