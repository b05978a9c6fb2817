"""The permission matrix: persona x page, API endpoint and document x special category -> sees it or not.

With the default sharing rules, on Robin Sharefield's case (led by probation; police and housing
involved; health consent given to all partners):

- who sees the case in full: the co-ordinator, police, probation (offender manager, panel chair), housing;
  the YOT gets the minimal view; the analyst, strategic member and administrator get nothing;
- who may open the person page (people's records): co-ordinator, police, probation, YOT, panel chair;
- who reads each category: health (probation, with consent), substance misuse treatment (probation),
  domestic abuse (co-ordinator, police, probation, YOT), sexual offending and MAPPA (police, probation,
  YOT), victim details (police, probation). Housing, though involved, reads no special category.

Every row also names a control text that the same persona sees on the same page, so a row cannot pass
because the page showed nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from openiom.panels.papers import person_summary
from tests.conftest import PERSONAS
from tests.sharing.conftest import (
    ACCOMMODATION_NOTE,
    BURGLARY,
    DRUG_NOTE,
    HEALTH_NOTE,
    SEXUAL_OFFENCE,
    VICTIM_NOTE,
    SharingWorld,
    text,
)

FULL = {"iom_coordinator", "police_officer", "offender_manager", "partner_practitioner", "panel_chair"}
PEOPLE = {"iom_coordinator", "police_officer", "offender_manager", "yot_worker", "panel_chair"}
PROBATION = {"offender_manager", "panel_chair"}
CJ = {"police_officer", *PROBATION}  # police and probation
HEALTH = PROBATION
SUBSTANCE = PROBATION
DOMESTIC_ABUSE = {"iom_coordinator", *CJ, "yot_worker"}
SEXUAL = {*CJ, "yot_worker"}
MAPPA = {*CJ, "yot_worker"}
VICTIMS = CJ

# (surface, category, address, who reaches the page, control text, restricted text, who sees it)
PAGES = [
    ("needs page", "health", "case:needs/", FULL, ACCOMMODATION_NOTE, HEALTH_NOTE, HEALTH),
    ("needs page", "substance_misuse_treatment", "case:needs/", FULL, ACCOMMODATION_NOTE, DRUG_NOTE, SUBSTANCE),
    ("case timeline", "sexual_offending", "case:timeline/", FULL, BURGLARY, SEXUAL_OFFENCE, SEXUAL),
    ("victims page", "victim_details", "case:victims/", VICTIMS, "Victim R", VICTIM_NOTE, VICTIMS),
    ("case overview", "victim_details", "case:", FULL, "Robin SHAREFIELD", "Victims</a>", VICTIMS),
    ("person page", "sexual_offending", "person:", PEOPLE, BURGLARY, SEXUAL_OFFENCE, SEXUAL),
    ("person page", "mappa", "person:", PEOPLE, "Prolific and priority offender", "MAPPA level 1", MAPPA),
    ("person page", "domestic_abuse", "person:", PEOPLE, "Prolific and priority offender", "MARAC", DOMESTIC_ABUSE),
    ("people API offences", "sexual_offending", "api:offences", PEOPLE, "burglary_residential", "other_sexual", SEXUAL),
]


def _address(world: SharingWorld, address: str) -> str:
    kind, _, tail = address.partition(":")
    if kind == "case":
        return world.url(tail)
    if kind == "person":
        return f"/people/{world.person.pk}/"
    return f"/api/v1/people/{world.person.pk}/offences"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("surface", "category", "address", "reaches", "control", "restricted", "sees"),
    PAGES,
    ids=[f"{p[0]}-{p[1]}" for p in PAGES],
)
def test_each_persona_sees_each_special_category_only_where_the_rules_allow(
    client_for: Callable[[str], Client],
    api_for: Callable[[str], Client],
    world: SharingWorld,
    persona: str,
    surface: str,
    category: str,
    address: str,
    reaches: set[str],
    control: str,
    restricted: str,
    sees: set[str],
) -> None:
    client = api_for(persona) if address.startswith("api:") else client_for(persona)
    response = client.get(_address(world, address))
    if persona not in reaches:
        assert response.status_code in (403, 200), response.status_code
        if response.status_code == 200:  # the minimal view of the case: no special category at all
            assert "Your organisation is not involved in this case" in text(response)
        assert restricted not in text(response)
        return
    assert response.status_code == 200
    page = text(response)
    assert control in page
    assert (restricted in page) is (persona in sees), f"{persona} on the {surface}: {category}"


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - FULL))
def test_who_does_not_see_the_case_in_full_gets_no_case_page_at_all(
    client_for: Callable[[str], Client], world: SharingWorld, persona: str
) -> None:
    client = client_for(persona)
    for tail in ("needs/", "timeline/", "victims/", "contacts/"):
        assert client.get(world.url(tail)).status_code == 403
    assert client.get(f"/sharing/cases/{world.case.pk}/consent/").status_code == 403


def test_a_partner_not_involved_gets_the_minimal_view_with_no_special_category(
    client_for: Callable[[str], Client], world: SharingWorld
) -> None:
    page = text(client_for("yot_worker").get(world.url()))
    assert "Robin SHAREFIELD" in page
    for restricted in (HEALTH_NOTE, DRUG_NOTE, VICTIM_NOTE, SEXUAL_OFFENCE, "MAPPA", "MARAC", ACCOMMODATION_NOTE):
        assert restricted not in page


def test_restricted_offences_are_named_as_such_not_left_out(client_for: Callable[[str], Client], world: SharingWorld):
    page = text(client_for("iom_coordinator").get(f"/people/{world.person.pk}/"))
    assert "An offence in a restricted category" in page
    assert "Offending history (2)" in page  # counted, so the sanction count stays honest
    timeline = text(client_for("partner_practitioner").get(world.url("timeline/")))
    assert "an offence in a restricted category" in timeline


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_papers_pack_keeps_every_special_category_out_whoever_reads_it(world: SharingWorld, persona: str) -> None:
    summary = person_summary(world.person, world.case.opened_on.replace(month=12))
    shown = " ".join(
        [summary.latest_offence, *summary.flags, *(label for label, _ in summary.offences_last_year), *summary.agencies]
    )
    assert BURGLARY in shown
    assert "Prolific and priority offender" in shown
    for restricted in (SEXUAL_OFFENCE, "MAPPA", "MARAC", HEALTH_NOTE, DRUG_NOTE, VICTIM_NOTE):
        assert restricted not in shown
    assert summary.restricted_offences == 1


def test_the_cases_api_hides_health_notes_from_housing(api_for: Callable[[str], Client], world: SharingWorld) -> None:
    response = api_for("partner_practitioner").get(f"/api/v1/cases/{world.case.pk}/assessments")
    assert response.status_code == 200
    assert HEALTH_NOTE not in text(response)
    assert DRUG_NOTE not in text(response)
    health = next(n for n in response.json()[0]["needs"] if n["pathway"] == "health")
    assert health["notes_withheld"] is True
    assert health["level"] != ""
    # The probation offender manager (health with consent; drugs always) sees the drugs note.
    assert DRUG_NOTE in text(api_for("offender_manager").get(f"/api/v1/cases/{world.case.pk}/assessments"))
