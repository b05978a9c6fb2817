"""Who sees what of a case: the persona x page table, the minimal view, victims, audit of reads, addresses.

On Jordan Quill's case the lead agency is probation and the police and housing are involved.
FULL: the co-ordinator, probation (offender manager, panel chair), police, housing. MINIMAL: the YOT.
NONE: analyst, strategic member, administrator (no case capability). Victims: police and probation
only. Forms: those in FULL whose role manages cases (not the panel chair).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern

from openiom.cases import urls_case
from openiom.cases.models import Case
from tests.cases.case_world import RISK_WORD, VICTIM_NOTE, CaseWorld, text, world_fixture  # noqa: F401
from tests.conftest import PERSONAS

FULL = {"iom_coordinator", "police_officer", "offender_manager", "partner_practitioner", "panel_chair"}
MINIMAL = {"yot_worker"}
VICTIMS = {"police_officer", "offender_manager", "panel_chair"}
WORK = FULL - {"panel_chair"}

# (page, address under the case, who gets it in full)
PAGES = [
    ("timeline", "timeline/", FULL),
    ("needs and plan", "needs/", FULL),
    ("contacts", "contacts/", FULL),
    ("victims", "victims/", VICTIMS),
    ("change the service level", "tier/", WORK),
    ("add a contact", "contacts/add/", WORK),
    ("record a needs assessment", "assessments/new/", WORK),
    ("link a victim", "victims/add/", VICTIMS & WORK),
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_case_page_is_full_minimal_or_refused(
    client_for: Callable[[str], Client], world: CaseWorld, persona: str
) -> None:
    response = client_for(persona).get(world.url())
    if persona in FULL:
        assert response.status_code == 200
        page = text(response)
        assert "Jordan QUILL" in page
        assert RISK_WORD in page
        assert "High" in page
        assert "Arrested on 20 November 2026 for burglary" in page  # the review prompt and what raised it
        assert "Secure accommodation for the day of release" in page  # an open task
        assert 'aria-label="This case"' in page  # the sub-navigation
        assert (f'href="/cases/{world.case.pk}/victims/"' in page) is (persona in VICTIMS)
        assert (f'href="/cases/{world.case.pk}/tier/"' in page) is (persona in WORK)
    elif persona in MINIMAL:
        assert response.status_code == 200
        page = text(response)
        assert "Jordan QUILL" in page
        assert "offender.manager@openiom.test" in page  # how to reach the lead professional
        assert "Riverside Police" in page
        assert "Riverside Housing Partnership" in page
        assert "Prolific and Priority Offender" in page or "PPO" in page
        for hidden in (RISK_WORD, "burglary", "Victim A", "Find a hostel place", "/tier/", 'aria-label="This case"'):
            assert hidden not in page
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("page", "address", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_who_reaches_each_part_of_the_case(
    client_for: Callable[[str], Client], world: CaseWorld, persona: str, page: str, address: str, allowed: set[str]
) -> None:
    response = client_for(persona).get(world.url(address))
    assert response.status_code == (200 if persona in allowed else 403)
    if persona in allowed:
        assert "Jordan QUILL" in text(response)


def test_a_partner_whose_agency_is_not_involved_gets_the_minimal_view(
    client_for: Callable[[str], Client], world: CaseWorld
) -> None:
    client = client_for("partner_practitioner")  # housing: involved in Jordan's case, not in the other
    page = text(client.get(f"/cases/{world.other.pk}/"))
    assert "Your organisation is not involved in this case" in page
    assert RISK_WORD not in page
    assert "Olu Mensah" in page
    for address in ("timeline/", "needs/", "contacts/", "victims/", "tier/", "contacts/add/"):
        assert client.get(f"/cases/{world.other.pk}/{address}").status_code == 403
    before = Case.objects.get(pk=world.other.pk).tier_id
    response = client.post(f"/cases/{world.other.pk}/tier/", {"tier": world.tiers[1].pk, "reason": "x", "version": 1})
    assert response.status_code == 403
    assert Case.objects.get(pk=world.other.pk).tier_id == before


def test_an_involved_partner_sees_everything_but_victims(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    client = client_for("partner_practitioner")
    assert "Find a hostel place" in text(client.get(world.url("needs/")))
    assert "Did not come" in text(client.get(world.url("contacts/")))
    overview = text(client.get(world.url()))
    assert "Victims" not in overview
    assert client.get(world.url("victims/")).status_code == 403
    assert VICTIM_NOTE not in overview


def test_the_police_see_the_victims_and_their_safety_notes(
    client_for: Callable[[str], Client], world: CaseWorld
) -> None:
    page = text(client_for("police_officer").get(world.url("victims/")))
    assert "Victim A" in page
    assert VICTIM_NOTE in page
    assert "Refer to Victim Support" in page


def test_victims_are_never_on_the_timeline(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    page = text(client_for("police_officer").get(world.url("timeline/")))
    assert "Office appointment: missed" in page
    assert "Victim A" not in page
    assert VICTIM_NOTE not in page


def test_the_chair_sees_the_case_but_may_not_change_it(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    client = client_for("panel_chair")
    page = text(client.get(world.url("needs/")))
    assert "Find a hostel place" in page
    assert "Add an action" not in page
    assert "Reassess needs" not in page
    response = client.post(world.url("actions/add/"), {"pathway": "health", "description": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["analyst", "strategic_member", "administrator"])
def test_roles_without_cases_are_refused_everywhere(
    client_for: Callable[[str], Client], world: CaseWorld, persona: str
) -> None:
    client = client_for(persona)
    for address in ("", "timeline/", "victims/", "tier/"):
        assert client.get(world.url(address)).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(world: CaseWorld) -> None:
    for address in ("", "needs/", "tier/"):
        response = Client().get(world.url(address))
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")


def test_another_cases_records_cannot_be_reached_through_this_case(
    client_for: Callable[[str], Client], world: CaseWorld
) -> None:
    response = client_for("offender_manager").get(f"/cases/{world.other.pk}/actions/{world.action.pk}/edit/")
    assert response.status_code == 404


def _reads(case: Case, actor_pk: int) -> list[LogEntry]:
    return list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Case),
            object_pk=str(case.pk),
            action=LogEntry.Action.ACCESS,
            actor_id=actor_pk,
        )
    )


@pytest.mark.parametrize("address", ["", "timeline/", "needs/", "contacts/", "tier/"])
def test_every_view_of_a_case_is_in_the_audit_trail(
    client_for: Callable[[str], Client], world: CaseWorld, address: str
) -> None:
    officer = world.users["police_officer"]
    assert _reads(world.case, officer.pk) == []
    client_for("police_officer").get(world.url(address))
    (entry,) = _reads(world.case, officer.pk)
    assert entry.additional_data == {"purpose": "case_management"}


def test_the_minimal_view_is_in_the_audit_trail_too(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    client_for("yot_worker").get(world.url())
    assert len(_reads(world.case, world.users["yot_worker"].pk)) == 1


def test_reading_the_victims_page_logs_each_victim(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    from openiom.cases.models import Victim

    client_for("police_officer").get(world.url("victims/"))
    logged = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Victim), object_pk=str(world.victim.pk), action=3
    )
    assert logged.count() == 1


def test_addresses_carry_ids_only() -> None:
    for pattern in urls_case.urlpatterns:
        assert isinstance(pattern, URLPattern)
        converters = pattern.pattern.converters  # type: ignore[attr-defined]
        assert converters, pattern
        assert all(type(c).__name__ == "IntConverter" for c in converters.values()), pattern


def test_no_name_appears_in_any_link_on_the_case_pages(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    import re

    client = client_for("offender_manager")
    for address in ("", "timeline/", "needs/", "contacts/", "victims/"):
        links = re.findall(r'href="([^"]*)"', text(client.get(world.url(address))))
        assert links
        for link in links:
            assert "quill" not in link.lower()
            assert "jordan" not in link.lower()
            assert "victim a" not in link.lower()


def test_the_timeline_filters_by_kind(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    client = client_for("offender_manager")
    everything = text(client.get(world.url("timeline/")))
    assert "Office appointment: missed" in everything
    assert "Placed: Tier 2: enhanced" in everything
    only_contacts = text(client.get(world.url("timeline/") + "?kind=contact"))
    assert "Office appointment: missed" in only_contacts
    assert "Placed: Tier 2: enhanced" not in only_contacts
    assert 'value="contact" checked' in only_contacts
    assert "1 event of the kinds chosen" in only_contacts


def test_opening_an_edit_form_logs_the_record_shown(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    from openiom.cases.models import PlanAction

    client_for("offender_manager").get(world.url("actions/", world.action.pk) + "edit/")
    logged = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(PlanAction),
        object_pk=str(world.action.pk),
        action=LogEntry.Action.ACCESS,
    )
    assert logged.count() == 1
