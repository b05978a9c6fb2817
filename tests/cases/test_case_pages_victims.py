"""Linked victims: the pages and the service, for those entitled only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client

from openiom.cases.locking import CaseError
from openiom.cases.models import Victim
from openiom.cases.victims import add_victim, refer_to_victim_support, update_victim
from tests.cases.case_world import CaseWorld, date_fields, text, world_fixture  # noqa: F401


def test_linking_a_victim(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    client = client_for("police_officer")
    data = {"label": "Victim B", "relationship": "Shop", "repeat": "on", "safety_notes": "Staff know his face"}
    assert client.post(world.url("victims/add/"), data).status_code == 302
    victim = Victim.objects.get(case=world.case, label="Victim B")
    assert (victim.repeat, victim.vulnerable, victim.added_by) == (True, False, world.users["police_officer"])
    page = text(client.get(world.url("victims/")))
    assert "Victim B is linked to the case." in page
    assert "Staff know his face" in page


def test_a_victim_neither_repeat_nor_vulnerable_is_refused_with_the_input_kept(
    client_for: Callable[[str], Client], world: CaseWorld
) -> None:
    data = {"label": "Victim B", "relationship": "Neighbour"}
    page = text(client_for("offender_manager").post(world.url("victims/add/"), data))
    assert "Tick repeat victim, vulnerable victim or both" in page
    assert 'value="Neighbour"' in page
    assert not Victim.objects.filter(label="Victim B").exists()


def test_referring_a_victim_to_victim_support_once(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    client = client_for("police_officer")
    address = world.url("victims/", world.victim.pk) + "victim-support/"
    future = client.post(address, {"version": world.victim.version, **date_fields("referred_on", date(2027, 1, 1))})
    assert "A referral cannot be dated in the future." in text(future)
    assert client.post(address, {"version": world.victim.version}).status_code == 302
    victim = Victim.objects.get(pk=world.victim.pk)
    assert victim.victim_support_referred_on == date(2026, 11, 24)
    page = text(client.get(world.url("victims/")))
    assert "Referred 24 November 2026" in page
    again = text(client.post(address, {"version": victim.version}))
    assert "Victim A was already referred to Victim Support on 24 November 2026." in again


@pytest.mark.parametrize("persona", ["partner_practitioner", "iom_coordinator", "yot_worker", "panel_chair"])
def test_those_not_entitled_or_not_working_on_the_case_cannot_change_victims(
    client_for: Callable[[str], Client], world: CaseWorld, persona: str
) -> None:
    client = client_for(persona)
    data = {"label": "Victim C", "repeat": "on", "version": world.victim.version}
    assert client.post(world.url("victims/add/"), data).status_code == 403
    assert client.post(world.url("victims/", world.victim.pk) + "edit/", data).status_code == 403
    assert client.post(world.url("victims/", world.victim.pk) + "victim-support/", data).status_code == 403
    assert Victim.objects.get(pk=world.victim.pk).label == "Victim A"
    assert not Victim.objects.filter(label="Victim C").exists()


def test_the_service_refuses_those_not_entitled(world: CaseWorld) -> None:
    housing = world.users["partner_practitioner"]
    with pytest.raises(CaseError, match="not entitled to see the victims"):
        add_victim(case=world.case, by=housing, label="Victim C", repeat=True)
    with pytest.raises(CaseError, match="not entitled"):
        update_victim(
            victim=world.victim, version=1, by=housing, label="X", relationship="", repeat=True, vulnerable=False,
            safety_notes="",
        )  # fmt: skip
    with pytest.raises(CaseError, match="not entitled"):
        refer_to_victim_support(victim=world.victim, by=housing, version=1)
    with pytest.raises(CaseError, match="does not allow you to change"):
        add_victim(case=world.case, by=world.users["panel_chair"], label="Victim C", repeat=True)


def test_the_same_label_twice_is_refused(world: CaseWorld) -> None:
    with pytest.raises(CaseError, match="already linked"):
        add_victim(case=world.case, by=world.users["police_officer"], label="victim a", vulnerable=True)
