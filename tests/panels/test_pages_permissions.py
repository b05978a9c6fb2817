"""Who reaches each panels page: the persona x page matrix, as a table.

VIEW: panel members' roles (co-ordinator, police, offender manager, YOT, chair). MANAGE: the
co-ordinator and the chair. CHAIR: the chair only. REFER: everyone who refers, the housing
practitioner included. Terms of reference: co-ordinators, chairs and administrators. A referral's
page: panel members, and whoever referred or nominated (the practitioner sees their own only).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client

from openiom.panels.models import ActionPoint
from openiom.panels.referrals import NewPerson, refer_new_person
from openiom.panels.services import add_action
from tests.conftest import PERSONAS
from tests.panels.conftest import PanelMonth

VIEW = {"iom_coordinator", "police_officer", "offender_manager", "yot_worker", "panel_chair"}
MANAGE = {"iom_coordinator", "panel_chair"}
CHAIR = {"panel_chair"}
REFER = VIEW | {"partner_practitioner"}
TERMS = MANAGE | {"administrator"}
EVERYONE = set(PERSONAS)

# (page, address, who gets the page; everyone else gets 403)
PAGES = [
    ("panels and calendar", "/panels/", VIEW),
    ("iCalendar file", "/panels/calendar.ics", VIEW),
    ("terms of reference list", "/panels/terms/", TERMS),
    ("change terms of reference", "/panels/{panel}/terms/", TERMS),
    ("members", "/panels/{panel}/members/", TERMS),
    ("schedule a series", "/panels/{panel}/schedule/series/", MANAGE),
    ("schedule one meeting", "/panels/{panel}/schedule/meeting/", MANAGE),
    ("meeting: agenda and papers", "/panels/meetings/{meeting}/", VIEW),
    ("meeting: attendance", "/panels/meetings/{meeting}/attendance/", VIEW),
    ("meeting: minutes", "/panels/meetings/{meeting}/minutes/", VIEW),
    ("meeting: actions", "/panels/meetings/{meeting}/actions/", VIEW),
    ("papers pack PDF", "/panels/meetings/{meeting}/papers.pdf", VIEW),
    ("minutes PDF", "/panels/meetings/{meeting}/minutes.pdf", VIEW),
    ("decision on an item", "/panels/items/{item}/decision/", MANAGE),
    ("referrals list", "/panels/referrals/", VIEW),
    ("referral form", "/panels/referrals/new/", REFER),
    ("referral by the police", "/panels/referrals/{referral}/", VIEW),
    ("acknowledgement PDF", "/panels/referrals/{referral}/acknowledgement.pdf", VIEW),
    ("referral by the practitioner", "/panels/referrals/{own_referral}/", VIEW | {"partner_practitioner"}),
    ("my actions", "/panels/my-actions/", EVERYONE),
]

# Actions (POST): who may do them. Everyone else gets 403 and nothing changes.
ACTIONS = [
    ("build the agenda", "/panels/meetings/{meeting}/agenda/build/", MANAGE),
    ("circulate papers", "/panels/meetings/{meeting}/papers/circulate/", MANAGE),
    ("record attendance", "/panels/meetings/{meeting}/attendance/", MANAGE),
    ("draft minutes", "/panels/meetings/{meeting}/minutes/draft/", MANAGE),
    ("approve minutes", "/panels/meetings/{meeting}/minutes/approve/", CHAIR),
    ("circulate minutes", "/panels/meetings/{meeting}/minutes/circulate/", MANAGE),
    ("send the acknowledgement", "/panels/referrals/{referral}/acknowledgement/send/", MANAGE),
    ("add an action", "/panels/meetings/{meeting}/actions/", MANAGE),
    ("mark the offender manager's action done", "/panels/actions/{action}/done/", MANAGE | {"offender_manager"}),
]


def _address(template: str, month: PanelMonth, own_referral: int, action: int) -> str:
    return template.format(
        panel=month.panel.pk, meeting=month.meeting.pk, item=month.item.pk, referral=month.referral.pk,
        own_referral=own_referral, action=action,
    )  # fmt: skip


@pytest.fixture
def extras(month: PanelMonth) -> tuple[int, int]:
    """A referral the practitioner made themselves, and an action owned by the offender manager."""
    practitioner = month.users["partner_practitioner"]
    own = refer_new_person(
        new=NewPerson("Lee", "Marsh", date(2001, 2, 3), "M"), referred_by=practitioner, panel=month.panel,
        reason="Rough sleeping and shoplifting", nominating_officer=practitioner,
    )  # fmt: skip
    action = add_action(
        meeting=month.meeting, description="Check the licence conditions", owner=month.users["offender_manager"],
        due_date=date(2027, 1, 19), by=month.users["iom_coordinator"],
    )  # fmt: skip
    return own.referral.pk, action.pk


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("page", "address", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_who_reaches_each_page(
    client_for: Callable[[str], Client], month: PanelMonth, extras: tuple[int, int], persona: str, page: str,
    address: str, allowed: set[str],
) -> None:  # fmt: skip
    response = client_for(persona).get(_address(address, month, *extras))
    assert response.status_code == (200 if persona in allowed else 403)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("action", "address", "allowed"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_who_may_act(
    client_for: Callable[[str], Client], month: PanelMonth, extras: tuple[int, int], persona: str, action: str,
    address: str, allowed: set[str],
) -> None:  # fmt: skip
    response = client_for(persona).post(_address(address, month, *extras), {})
    if persona in allowed:
        assert response.status_code in (200, 302)  # done, refused in words, or the form shown again
    else:
        assert response.status_code == 403
        assert ActionPoint.objects.get(pk=extras[1]).status == "open"


@pytest.mark.parametrize(("page", "address", "allowed"), PAGES + ACTIONS, ids=[p[0] for p in PAGES + ACTIONS])
def test_signed_out_visitors_are_sent_to_sign_in(
    month: PanelMonth, extras: tuple[int, int], page: str, address: str, allowed: set[str]
) -> None:
    response = Client().get(_address(address, month, *extras))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_only_the_owner_or_a_coordinator_marks_an_action_done(
    client_for: Callable[[str], Client], month: PanelMonth, extras: tuple[int, int]
) -> None:
    address = f"/panels/actions/{extras[1]}/done/"
    assert client_for("police_officer").post(address).status_code == 403
    assert client_for("offender_manager").post(address).status_code == 302
    assert ActionPoint.objects.get(pk=extras[1]).status == "done"


def test_the_panels_section_opens_the_panels_page(client_for: Callable[[str], Client], month: PanelMonth) -> None:
    nav = client_for("police_officer").get("/panels/").context["nav_sections"]
    assert [item["url"] for item in nav if item["label"] == "Panels"] == ["/panels/"]
