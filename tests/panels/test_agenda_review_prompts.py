"""A tier review prompt puts the case on the next agenda of the panel that manages its cohort."""

from __future__ import annotations

from datetime import date

import pytest

from openiom.cases.constants import PromptKind
from openiom.cases.models import ReviewPrompt, Tier
from openiom.cases.services import default_tiers, open_case, resolve_prompt
from openiom.panels.constants import AgendaKind
from openiom.panels.services import build_agenda, schedule_meeting
from openiom.people.models import Person

from .conftest import PanelMonth

pytestmark = pytest.mark.django_db


def test_prompted_cases_are_listed_once_and_not_after_the_review(month: PanelMonth) -> None:
    default_tiers()
    om = month.users["offender_manager"]
    person = Person.objects.create(
        given_name="Rory", family_name="Vance", date_of_birth=date(1990, 1, 2), gender="M", ethnicity="W"
    )
    # Opened recently: not yet due for its regular review, so only the prompt can list it.
    case = open_case(person=person, cohort="PPO", tier=Tier.objects.get(level=2), lead_professional=om,
                     opened_on=date(2026, 11, 1))  # fmt: skip
    prompt = ReviewPrompt.objects.create(case=case, kind=PromptKind.ESCALATION, reason="Arrested", key="k")
    added = build_agenda(meeting=month.meeting, by=month.users["iom_coordinator"])
    assert [(i.kind, i.title, i.case) for i in added] == [
        (AgendaKind.REVIEW, "Escalation review: Rory Vance (Prolific and Priority Offender)", case)
    ]
    assert build_agenda(meeting=month.meeting, by=month.users["iom_coordinator"]) == []
    resolve_prompt(prompt=prompt, by=om, resolution="No change")
    later = schedule_meeting(panel=month.panel, day=date(2027, 2, 9), by=month.users["iom_coordinator"])
    assert all(i.case != case for i in build_agenda(meeting=later, by=month.users["iom_coordinator"]))
