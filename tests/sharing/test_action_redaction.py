"""Plan actions on the health and drugs-and-alcohol pathways: their descriptions are special-category
information. The owner and the owner's agency read them (they must do the action); other agencies
involved see that an action exists, not what it is; pages, "My actions", the API and the change
forms alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date

import pytest
from django.test import Client

from openiom.cases import plans
from openiom.cases.constants import Pathway
from openiom.sharing.constants import RESTRICTED_ACTION
from tests.sharing.conftest import SharingWorld, text

DRUG_ACTION = "Collect the methadone prescription from the treatment service every Monday"
HOUSING_ACTION = "Complete the supported housing application"

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions(world: SharingWorld) -> dict[str, object]:
    om = world.users["offender_manager"]
    drugs = plans.add_action(
        case=world.case, pathway=Pathway.DRUGS_ALCOHOL, description=DRUG_ACTION, owner=om,
        due_on=date(2026, 12, 1), by=om,
    )  # fmt: skip
    housing = plans.add_action(
        case=world.case, pathway=Pathway.ACCOMMODATION, description=HOUSING_ACTION,
        owner=world.users["partner_practitioner"], due_on=date(2026, 12, 1), by=om,
    )  # fmt: skip
    return {"drugs": drugs, "housing": housing}


@pytest.mark.parametrize(
    ("persona", "reads"),
    [("offender_manager", True), ("panel_chair", True), ("police_officer", False), ("partner_practitioner", False)],
)
def test_needs_page_and_api(
    world: SharingWorld,
    actions: dict[str, object],
    client_for: Callable[[str], Client],
    api_for: Callable[[str], Client],
    persona: str,
    reads: bool,
) -> None:
    page = text(client_for(persona).get(world.url("needs/")))
    assert HOUSING_ACTION in page  # the control: the page shows actions
    assert (DRUG_ACTION in page) is reads
    assert (RESTRICTED_ACTION in page) is not reads
    timeline = text(client_for(persona).get(world.url("timeline/")))
    assert HOUSING_ACTION in timeline
    assert (DRUG_ACTION in timeline) is reads
    api = text(api_for(persona).get(f"/api/v1/cases/{world.case.pk}/actions"))
    assert HOUSING_ACTION in api
    assert (DRUG_ACTION in api) is reads


def test_the_change_forms_are_refused_to_those_who_may_not_read(
    world: SharingWorld,
    actions: dict[str, object],
    client_for: Callable[[str], Client],
    api_for: Callable[[str], Client],
) -> None:
    drugs = actions["drugs"]
    police = client_for("police_officer")
    for tail in (f"actions/{drugs.pk}/edit/", f"actions/{drugs.pk}/status/"):  # type: ignore[attr-defined]
        response = police.get(world.url(tail))
        assert response.status_code == 403, tail
        assert DRUG_ACTION not in text(response)
    response = api_for("police_officer").patch(
        f"/api/v1/actions/{drugs.pk}",
        {"version": 1, "description": "x"},
        content_type="application/json",  # type: ignore[attr-defined]
    )
    assert response.status_code == 403
    assert client_for("offender_manager").get(world.url(f"actions/{drugs.pk}/edit/")).status_code == 200  # type: ignore[attr-defined]


def test_break_glass_holder_may_not_change_a_case(world: SharingWorld, api_for: Callable[[str], Client]) -> None:
    from openiom.breakglass.services import ask_for_access

    yot = world.users["yot_worker"]
    ask_for_access(user=yot, case=world.case, reason="Out of hours: he has turned up at the YOT office")
    body = {"kind": "office", "scheduled_at": "2026-11-25T10:00:00+00:00"}
    response = api_for("yot_worker").post(
        f"/api/v1/cases/{world.case.pk}/contacts", body, content_type="application/json"
    )
    assert response.status_code == 403, response.content
    assert world.case.contacts.count() == 0
    assert text(api_for("yot_worker").get(f"/api/v1/cases/{world.case.pk}")).count("Sharefield") >= 1  # it reads


DRUG_TEST_NOTE = "Positive for opiates and cocaine"


@pytest.mark.parametrize(
    ("persona", "reads"),
    [("offender_manager", True), ("panel_chair", True), ("police_officer", False), ("partner_practitioner", False)],
)
def test_drug_test_notes(
    world: SharingWorld,
    client_for: Callable[[str], Client],
    api_for: Callable[[str], Client],
    persona: str,
    reads: bool,
) -> None:
    from datetime import datetime

    from openiom.cases.contacts import add_contact

    om = world.users["offender_manager"]
    when = datetime(2026, 11, 20, 10, tzinfo=UTC)
    add_contact(case=world.case, kind="drug_test", scheduled_at=when, by=om, outcome="attended", notes=DRUG_TEST_NOTE)
    add_contact(case=world.case, kind="office", scheduled_at=when, by=om, outcome="attended", notes="Talked about work")
    for address in (world.url("contacts/"), world.url("timeline/"), f"/api/v1/cases/{world.case.pk}/contacts"):
        client = api_for(persona) if address.startswith("/api/") else client_for(persona)
        body = text(client.get(address))
        assert "Talked about work" in body, address
        assert (DRUG_TEST_NOTE in body) is reads, address
