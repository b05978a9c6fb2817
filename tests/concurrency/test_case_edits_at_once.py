"""Two people save the same case, or the same action of its plan, at the same moment, through the real pages.

Both opened the same version. The first is held inside its transaction just after it has taken the case's
row (the UPDATE that raises the version); the second submits then and has to wait for that row. When the
first commits, the second finds the version moved on: it is refused with "someone else changed this case",
keeps what was typed, and nothing of it is saved. The change history holds the first change only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from openiom.cases.models import Case, Involvement, PlanAction, TierChange
from tests.cases.case_world import CaseWorld, date_fields, text
from tests.concurrency.conftest import changed, changes_to, last_entry
from tests.concurrency.racing import Hold, Race, race, requires_postgresql

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]

STALE = "Someone else changed this case after you opened it, so your change has not been saved."
CASE_ROW_TAKEN = Hold(r'^UPDATE "cases_case" SET "version"')


ACTION_ROW_TAKEN = Hold(r'^UPDATE "cases_planaction" SET "version"')


def _both_post(
    one: Client, two: Client, url: str, first: dict[str, Any], second: dict[str, Any], hold: Hold = CASE_ROW_TAKEN
) -> Race:
    return race(lambda: one.post(url, first), lambda: two.post(url, second), hold=hold)


def _check_the_race(result: Race, *typed: str, stale: str = STALE) -> str:
    """The first saved; the second really waited, was refused and sees what it typed. Returns its page."""
    assert result.second_waited, "the second request never waited for the first's row lock"
    assert result.first.outcome().status_code == 302
    refused = result.second.outcome()
    page = text(refused)
    assert refused.status_code == 200
    assert stale in page
    assert "What is saved now" in page
    for value in typed:
        assert value in page
    return page


def test_two_people_saving_the_same_case_or_plan_action_at_once(
    subtests: Any, world: CaseWorld, client_for: Callable[[str], Client]
) -> None:
    om, police = world.users["offender_manager"], world.users["police_officer"]
    one, two = client_for("offender_manager"), client_for("police_officer")

    with subtests.test("case details"):
        opened, since = world.fresh().version, last_entry()
        result = _both_post(
            one, two, world.url("details/"),
            {"statutory": "yes", "rosh_level": "very_high", "version": opened},
            {"statutory": "no", "rosh_level": "low", "version": opened},
        )  # fmt: skip
        page = _check_the_race(result, '<option value="low" selected>', 'value="no" checked')
        case = world.fresh()
        assert (case.statutory, case.rosh_level, case.version) == (True, "very_high", opened + 1)
        assert f'name="version" value="{case.version}"' in page  # saving again is a choice, on top of theirs
        (entry,) = changes_to(case, since)  # one change in the history: the first
        assert changed(entry)["rosh_level"] == ["high", "very_high"]
        assert entry.actor == om

    with subtests.test("service level"):
        case = world.fresh()
        opened, since, moves = case.version, last_entry(), TierChange.objects.filter(case=case).count()
        result = _both_post(
            one, two, world.url("tier/"),
            {"tier": world.tiers[1].pk, "reason": "Arrested again", "version": opened},
            {"tier": world.tiers[3].pk, "reason": "Doing well at the hostel", "version": opened},
        )  # fmt: skip
        _check_the_race(result, "Doing well at the hostel")
        case = world.fresh()
        assert (case.tier, case.version) == (world.tiers[1], opened + 1)
        assert list(TierChange.objects.filter(case=case).order_by("pk").values_list("reason", flat=True))[moves:] == [
            "Arrested again"
        ]
        (entry,) = changes_to(case, since)
        assert [str(v) for v in changed(entry)["tier"]] == [str(world.tiers[2].pk), str(world.tiers[1].pk)]
        assert entry.actor == om

    with subtests.test("lead professional"):
        case = world.fresh()
        opened, since = case.version, last_entry()
        involved = set(Involvement.objects.filter(case=case).values_list("pk", flat=True))
        yot = world.users["yot_worker"]
        result = _both_post(
            one, two, world.url("lead/"),
            {"lead": police.pk, "reason": "Police lead from now on", "version": opened},
            {"lead": yot.pk, "reason": "Turning 18 soon", "version": opened},
        )  # fmt: skip
        _check_the_race(result, "Turning 18 soon")
        case = Case.objects.select_related("lead_agency").get(pk=case.pk)
        assert (case.lead_professional, case.lead_agency.code, case.version) == (police, "police", opened + 1)
        added = Involvement.objects.filter(case=case).exclude(pk__in=involved)
        assert [(i.agency.code, i.role) for i in added] == [("probation", "Former lead agency")]  # the first's only
        (entry,) = changes_to(case, since)
        assert str(changed(entry)["lead_professional"][1]) == str(police.pk)
        assert entry.actor == om

    stale = "Someone else changed this action after you opened it, so your change has not been saved."
    action = world.action

    with subtests.test("the action's description, owner and date"):
        opened, since = PlanAction.objects.get(pk=action.pk).version, last_entry()

        def edit(description: str) -> dict[str, Any]:
            return {"description": description, "owner": om.pk, "version": opened,
                    **date_fields("due_on", date(2026, 12, 15))}  # fmt: skip

        result = _both_post(
            one, two, world.url("actions/", action.pk) + "edit/",
            edit("Find a hostel place near the probation office"), edit("Ask the council about a flat"),
            hold=ACTION_ROW_TAKEN,
        )  # fmt: skip
        _check_the_race(result, "Ask the council about a flat", stale=stale)
        saved = PlanAction.objects.get(pk=action.pk)
        assert (saved.description, saved.version) == ("Find a hostel place near the probation office", opened + 1)
        (entry,) = changes_to(saved, since)
        assert changed(entry)["description"] == ["Find a hostel place", "Find a hostel place near the probation office"]
        assert entry.actor == om

    with subtests.test("the action's status"):
        opened, since = PlanAction.objects.get(pk=action.pk).version, last_entry()
        result = _both_post(
            one, two, world.url("actions/", action.pk) + "status/",
            {"status": "in_progress", "version": opened},
            {"status": "cancelled", "outcome": "A place was found another way", "version": opened},
            hold=ACTION_ROW_TAKEN,
        )  # fmt: skip
        _check_the_race(result, "A place was found another way", stale=stale)
        saved = PlanAction.objects.get(pk=action.pk)
        assert (saved.status, saved.outcome, saved.version) == ("in_progress", "", opened + 1)
        (entry,) = changes_to(saved, since)
        assert changed(entry)["status"] == ["open", "in_progress"]
