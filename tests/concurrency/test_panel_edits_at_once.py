"""Two people change the same referral, minutes or action point at the same moment, through the real pages.

The first is held inside its transaction once it holds the row; the second has to wait for it, and then
finds the record changed: one decision per agenda item (so one case opened, one set of votes, one status
change of the referral), one saved text of the minutes with the other person's text kept in their form,
minutes approved only as the chair read them, and an action point marked done once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from openiom.cases.models import Case, Tier
from openiom.panels.constants import ActionStatus, MinutesStatus, ReferralStatus
from openiom.panels.models import ActionPoint, Decision, Meeting, Vote
from openiom.panels.services import add_action, save_minutes
from tests.concurrency.conftest import changed, changes_to, last_entry
from tests.concurrency.racing import Hold, race, requires_postgresql
from tests.panels.conftest import PanelMonth

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]

FOUR = ("probation", "police", "housing", "substance")
MEETING_TAKEN = Hold(r'FROM "panels_meeting" .*FOR UPDATE')


def _page(response: Any) -> str:
    """The page as text. (Not `response.context`: the test client collects the contexts of every template
    rendered while its request runs, in any thread, so beside another request it would read theirs.)"""
    return str(response.content.decode()).replace("&#x27;", "'")


def _decision(month: PanelMonth, outcome: str, reasons: str) -> dict[str, Any]:
    data: dict[str, Any] = {"outcome": outcome, "reasons": reasons}
    if outcome == "select":
        data |= {"cohort": "PPO", "tier": Tier.objects.get(level=2).pk,
                 "lead_professional": month.users["offender_manager"].pk}  # fmt: skip
    return data | {f"vote_{month.agency(code).pk}": "for" for code in FOUR}


def test_two_people_changing_the_same_referral_minutes_or_action_point_at_once(
    subtests: Any, month: PanelMonth, tiers: dict[int, Tier], client_for: Callable[[str], Client]
) -> None:
    coordinator_user = month.users["iom_coordinator"]
    meeting = save_minutes(meeting=month.meeting, text="Draft", by=coordinator_user)
    address = f"/panels/meetings/{meeting.pk}/minutes/"
    coordinator, chair = client_for("iom_coordinator"), client_for("panel_chair")

    with subtests.test("two edits of the minutes' text"):
        opened, since = meeting.version, last_entry()
        result = race(
            lambda: coordinator.post(address, {"text": "Draft. Present: four members", "version": opened}),
            lambda: chair.post(address, {"text": "Draft. Apologies: jobcentre", "version": opened}),
            hold=MEETING_TAKEN,
        )
        assert result.second_waited
        assert result.first.outcome().status_code == 302
        refused = result.second.outcome()
        html = _page(refused)
        assert "Someone else changed the minutes since you opened them." in html
        assert "Apologies: jobcentre</textarea>" in html  # theirs, kept
        assert "Present: four members" in html  # what is saved now, shown to compare
        saved = Meeting.objects.get(pk=meeting.pk)
        assert (saved.minutes_text, saved.version) == ("Draft. Present: four members", opened + 1)
        assert f'name="version" value="{saved.version}"' in html  # saving again is a choice
        (entry,) = changes_to(saved, since)
        assert changed(entry)["minutes_text"][1] == "Draft. Present: four members"
        assert entry.actor == coordinator_user

    with subtests.test("approval while the text is being changed"):
        opened = Meeting.objects.get(pk=meeting.pk).version
        result = race(
            lambda: coordinator.post(address, {"text": "Draft. Present: five members", "version": opened}),
            lambda: chair.post(f"{address}approve/", {"version": opened}, follow=True),
            hold=MEETING_TAKEN,
        )
        assert result.second_waited
        assert result.first.outcome().status_code == 302
        assert "Someone changed the minutes since you opened the page: read them again before approving." in _page(
            result.second.outcome()
        )
        saved = Meeting.objects.get(pk=meeting.pk)
        assert (saved.minutes_status, saved.minutes_text) == (MinutesStatus.DRAFT, "Draft. Present: five members")
        assert saved.minutes_approved_by is None  # never approved unread

    with subtests.test("two decisions on the same referral"):
        month.attend(*FOUR)
        address = f"/panels/items/{month.item.pk}/decision/"
        chair, coordinator = client_for("panel_chair"), client_for("iom_coordinator")
        result = race(
            lambda: chair.post(address, _decision(month, "select", "Five burglaries since July")),
            lambda: coordinator.post(address, _decision(month, "reject", "Not prolific enough")),
            hold=Hold(r'FROM "panels_agendaitem" .*FOR UPDATE'),
        )
        assert result.second_waited
        assert result.first.outcome().status_code == 302
        refused = result.second.outcome()
        page = _page(refused)
        assert refused.status_code == 200
        assert "This item has already been decided." in page
        assert "Not prolific enough</textarea>" in page  # what the second typed is kept
        decision = Decision.objects.get(item=month.item)
        assert (decision.outcome, decision.reasons, decision.organisations_present) == (
            "select",
            "Five burglaries since July",
            4,
        )
        assert Vote.objects.filter(decision=decision).count() == 4  # one set of votes
        assert Case.objects.filter(person=month.person).count() == 1  # one case opened
        month.referral.refresh_from_db()
        assert month.referral.status == ReferralStatus.SELECTED
        assert [e.status for e in month.referral.events.all()] == ["received", "on_agenda", "selected"]

    with subtests.test("an action point marked done twice"):
        owner = month.users["partner_practitioner"]
        action = add_action(meeting=month.meeting, description="Find a hostel place.", owner=owner,
                            due_date=date(2027, 1, 26), by=month.users["iom_coordinator"])  # fmt: skip
        address = f"/panels/actions/{action.pk}/done/"
        since = last_entry()
        result = race(
            lambda: client_for("partner_practitioner").post(address, {"version": action.version}, follow=True),
            lambda: client_for("iom_coordinator").post(address, {"version": action.version}, follow=True),
            hold=Hold(r'FROM "panels_actionpoint" .*FOR UPDATE'),
        )
        assert result.second_waited
        stale = "Someone else changed this action since you opened the page: check it and try again."
        first, second = _page(result.first.outcome()), _page(result.second.outcome())
        assert "The action is marked as done." in first
        assert stale not in first
        assert stale in second
        assert "The action is marked as done." not in second
        saved = ActionPoint.objects.get(pk=action.pk)
        assert (saved.status, saved.version) == (ActionStatus.DONE, action.version + 1)
        (entry,) = changes_to(saved, since)
        assert changed(entry)["status"] == ["open", "done"]
        assert entry.actor == owner
