"""The cases API redacts as the pages do: a review prompt raised by a sexual offence names it only to
the agencies the matrix allows; intervention notes on the health and drugs pathways likewise."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.test import Client

from openiom.cases.plans import move_intervention, refer_to_service
from openiom.cases.reminders import run_reminders
from openiom.directory.models import Service
from openiom.offending.models import Offence
from openiom.sharing.constants import RESTRICTED_PROMPT

from .conftest import SharingWorld, text


def test_a_prompt_naming_a_sexual_offence_is_restricted_for_housing(
    api_for: Callable[[str], Client], world: SharingWorld
) -> None:
    record = world.person.records.get()
    Offence.objects.create(
        source=record.source, event_id="E-new", record=record, offence_code="other_sexual",
        offence_date=date(2026, 11, 20), outcome="arrest", outcome_date=date(2026, 11, 20),
    )  # fmt: skip
    run_reminders(date(2026, 11, 24))
    housing = api_for("partner_practitioner").get(f"/api/v1/cases/{world.case.pk}").json()
    police = api_for("police_officer").get(f"/api/v1/cases/{world.case.pk}").json()
    assert [p["reason"] for p in housing["review_prompts"]] == [RESTRICTED_PROMPT]
    assert police["review_prompts"][0]["reason"].startswith("Arrested on 20 November 2026 for Other sexual offences")


def test_intervention_notes_on_the_drugs_pathway_are_withheld_from_housing(
    api_for: Callable[[str], Client], world: SharingWorld
) -> None:
    om = world.users["offender_manager"]
    service = Service.objects.create(name="Recovery hub", provider="Riverside Substance Misuse Service",
                                     pathways=["drugs_alcohol"], capacity=10)  # fmt: skip
    intervention = refer_to_service(case=world.case, service=service, pathway="drugs_alcohol", by=om,
                                    notes="Started on methadone")  # fmt: skip
    move_intervention(intervention=intervention, status="ongoing", by=om, version=intervention.version)
    url = f"/api/v1/cases/{world.case.pk}/interventions"
    housing = api_for("partner_practitioner").get(url)
    assert "methadone" not in text(housing)
    assert housing.json()[0]["notes_withheld"] is True
    assert "Started on methadone" in text(api_for("offender_manager").get(url))
