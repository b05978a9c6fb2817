"""An import that brings a new arrest for someone on the cohort prompts an escalation review at once."""

from __future__ import annotations

from datetime import date

import pytest

from openiom.cases.constants import PromptKind
from openiom.imports.constants import DeliveryStatus, Origin
from openiom.imports.services import import_files
from openiom.people.models import PersonRecord
from tests.imports.test_import import delivery

pytestmark = pytest.mark.django_db


def test_importing_an_arrest_after_the_case_opened_raises_the_prompt(make_case, partnership):
    first = import_files(delivery(), origin=Origin.COMMAND, command_user="test")
    assert first.status == DeliveryStatus.IMPORTED
    jay = PersonRecord.objects.get(source__code="police", source_person_id="P1").person
    case = make_case(person=jay, opened_on=date(2025, 6, 1))  # the shoplifting arrest on 10 June 2025 is after
    again = import_files(delivery(), origin=Origin.COMMAND, command_user="test")
    assert again.status == DeliveryStatus.IMPORTED
    prompt = case.prompts.get()
    assert prompt.kind == PromptKind.ESCALATION
    assert prompt.reason.startswith("Arrested on 10 June 2025 for Shoplifting")
