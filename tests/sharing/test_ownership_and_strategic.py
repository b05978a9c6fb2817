"""The originating organisation keeps ownership of what it recorded; strategic members see no person."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from openiom.cases.contacts import add_contact, record_outcome
from openiom.cases.locking import CaseError
from openiom.cases.victims import refer_to_victim_support, update_victim
from tests.sharing.conftest import SharingWorld, text

LONDON = ZoneInfo("Europe/London")


def test_only_the_agency_that_recorded_a_contact_changes_its_outcome(world: SharingWorld) -> None:
    om, police, chair = (world.users[p] for p in ("offender_manager", "police_officer", "panel_chair"))
    contact = add_contact(case=world.case, kind="office", scheduled_at=datetime(2026, 11, 2, 10, tzinfo=LONDON), by=om,
                          outcome="attended")  # fmt: skip
    with pytest.raises(CaseError, match="only they may change it"):
        record_outcome(contact=contact, outcome="missed", by=police, version=contact.version)
    assert record_outcome(contact=contact, outcome="late", by=chair, version=contact.version).outcome == "late"


def test_only_the_agency_that_linked_a_victim_corrects_them(world: SharingWorld) -> None:
    victim = world.case.victims.get()
    police = world.users["police_officer"]
    fields = {"label": "Victim R", "relationship": "Ex", "repeat": True, "vulnerable": False, "safety_notes": ""}
    with pytest.raises(CaseError, match="only they may change the record"):
        update_victim(victim=victim, version=victim.version, by=police, **fields)
    victim.refresh_from_db()
    assert victim.relationship == "Former partner"
    # a referral to Victim Support is an action any entitled agency takes
    assert refer_to_victim_support(victim=victim, by=police, version=victim.version).victim_support_referred_on


def test_the_contact_page_offers_changes_only_on_the_agencys_own_contacts(
    client_for: Callable[[str], Client], world: SharingWorld
) -> None:
    add_contact(case=world.case, kind="office", scheduled_at=datetime(2026, 11, 2, 10, tzinfo=LONDON),
                by=world.users["offender_manager"], outcome="attended")  # fmt: skip
    police_page = text(client_for("police_officer").get(world.url("contacts/")))
    assert "Recorded by Probation Service" in police_page
    assert "/outcome/" not in police_page


def _pages_without_arguments() -> list[str]:
    found: list[str] = []

    def walk(patterns: list[object], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and not p.pattern.converters and "<" not in str(p.pattern):
                route = prefix + str(p.pattern)
                if "api/" not in route and "django-admin" not in route and "^" not in route:
                    found.append("/" + route.replace("$", ""))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def test_no_page_a_strategic_member_reaches_shows_a_person(
    client_for: Callable[[str], Client], world: SharingWorld
) -> None:
    client = client_for("strategic_member")
    reached = []
    for url in _pages_without_arguments():
        if "logout" in url or "sign-out" in url:
            continue
        response = client.get(url)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            reached.append(url)
            page = text(response)
            assert "sharefield" not in page.lower(), url
    assert "/" in reached  # the home page at least
    for url in (f"/people/{world.person.pk}/", world.url(), f"/api/v1/people/{world.person.pk}"):
        assert client.get(url).status_code in (302, 401, 403), url
