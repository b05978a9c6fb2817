"""Two people add things to the same case or meeting at the same moment, through the real pages: both
additions are saved, none is refused or lost, and what is worked out from them is right.

Additions to one case take turns on the case's row (the first is held just before it writes, so the
second waits), which is what keeps "the owner's organisation becomes involved" to one involvement when
two actions for a new organisation are added at once: before, the second failed with an error page
from the database's unique index and its action was lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from openiom.cases.contacts import compliance
from openiom.cases.models import Contact, Involvement, PlanAction, Tier
from openiom.panels.constants import MeetingStatus
from openiom.panels.models import Decision, Meeting, Vote
from openiom.panels.services import build_agenda, meeting_quorum, refer
from openiom.people.models import Person
from tests.cases.case_world import CaseWorld, date_fields
from tests.concurrency.racing import Hold, race, requires_postgresql
from tests.panels.conftest import PanelMonth

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]

FOUR = ("probation", "police", "housing", "substance")


def _both_saved(result: Any) -> None:
    assert result.first.outcome().status_code == 302
    assert result.second.outcome().status_code == 302
    assert result.second_waited


def test_two_people_adding_to_the_same_case_or_meeting_at_once(
    subtests: Any, month: PanelMonth, world: CaseWorld, tiers: dict[int, Tier], client_for: Callable[[str], Client]
) -> None:  # the month first: its agenda is built before the world's case is due for review
    one, two = client_for("offender_manager"), client_for("police_officer")

    with subtests.test("two contacts"):
        version, before = world.fresh().version, compliance(world.case)

        def contact(at: str, outcome: str, notes: str) -> dict[str, Any]:
            return {"kind": "office", **date_fields("day", date(2026, 11, 23)), "at": at, "outcome": outcome,
                    "notes": notes}  # fmt: skip

        result = race(
            lambda: one.post(world.url("contacts/add/"), contact("10:00", "attended", "Came on time")),
            lambda: two.post(world.url("contacts/add/"), contact("15:00", "missed", "Not at home")),
            hold=Hold(r'^INSERT INTO "cases_contact"', after=False),
        )
        _both_saved(result)
        added = Contact.objects.filter(case=world.case, notes__in=["Came on time", "Not at home"])
        assert sorted((c.agency.code, c.outcome) for c in added) == [("police", "missed"), ("probation", "attended")]
        after = compliance(world.case)
        assert (after.kept, after.counted) == (before.kept + 1, before.counted + 2)
        assert world.fresh().version == version  # an addition does not make anyone's open edit stale

    with subtests.test("two plan actions for an organisation not yet involved"):
        yot = world.users["yot_worker"]
        involved = Involvement.objects.filter(case=world.case, agency=yot.agency)
        assert not involved.exists()

        def action(description: str) -> dict[str, Any]:
            return {"pathway": "ete", "description": description, "owner": yot.pk,
                    **date_fields("due_on", date(2026, 12, 18))}  # fmt: skip

        result = race(
            lambda: one.post(world.url("actions/add/"), action("Enrol on the construction course")),
            lambda: two.post(world.url("actions/add/"), action("Check attendance at college")),
            hold=Hold(r'^INSERT INTO "cases_planaction"', after=False),
        )
        _both_saved(result)
        assert sorted(PlanAction.objects.filter(case=world.case, owner=yot).values_list("description", flat=True)) == [
            "Check attendance at college",
            "Enrol on the construction course",
        ]
        assert [i.role for i in involved.filter(ended_on__isnull=True)] == ["Owns actions in the plan"]  # once

    coordinator, chair = client_for("iom_coordinator"), client_for("panel_chair")

    with subtests.test("two people recorded as attending"):
        month.attend("probation", "police")
        address = f"/panels/meetings/{month.meeting.pk}/attendance/"

        def attendee(code: str, name: str) -> dict[str, Any]:
            return {"agency": month.agency(code).pk, "name": name, "post": "", "capacity": "member", "deputy_for": ""}

        result = race(
            lambda: coordinator.post(address, attendee("housing", "Priya Shah")),
            lambda: chair.post(address, attendee("substance", "Sam Reid")),
            hold=Hold(r'^INSERT INTO "panels_attendance"', after=False),
        )
        _both_saved(result)
        assert month.meeting.attendance.count() == 4
        quorum = meeting_quorum(month.meeting)
        assert (quorum.met, quorum.organisations_present) == (True, 4)

    with subtests.test("two decisions with every organisation's vote, on two items"):
        officer = month.users["police_officer"]
        person = Person.objects.create(
            given_name="Avery", family_name="Testperson", date_of_birth=date(1990, 1, 1), gender="M", ethnicity="W"
        )
        referral = refer(panel=month.panel, person=person, reason="Prolific", nominating_officer=officer,
                         referred_by=officer).referral  # fmt: skip
        added = build_agenda(meeting=month.meeting, by=month.users["iom_coordinator"])
        second_item = next(item for item in added if item.referral_id == referral.pk)

        def decision(votes: tuple[str, ...], reasons: str) -> dict[str, Any]:
            data = {"outcome": "select", "reasons": reasons, "cohort": "PPO", "tier": tiers[2].pk,
                    "lead_professional": month.users["offender_manager"].pk}  # fmt: skip
            return data | {f"vote_{month.agency(code).pk}": vote for code, vote in zip(FOUR, votes, strict=True)}

        result = race(
            lambda: chair.post(f"/panels/items/{month.item.pk}/decision/",
                               decision(("for", "for", "for", "against"), "Five burglaries")),
            lambda: coordinator.post(f"/panels/items/{second_item.pk}/decision/",
                                     decision(("for", "against", "for", "for"), "Three robberies")),
            hold=Hold(r'^INSERT INTO "panels_decision"', after=False),
        )  # fmt: skip
        _both_saved(result)
        first, second = Decision.objects.get(item=month.item), Decision.objects.get(item=second_item)
        assert (first.votes_for, first.votes_against, first.reasons) == (3, 1, "Five burglaries")
        assert (second.votes_for, second.votes_against, second.reasons) == (3, 1, "Three robberies")
        police = month.agency("police").pk
        assert Vote.objects.get(decision=second, agency_id=police).choice == "against"
        assert Vote.objects.filter(decision__item__meeting=month.meeting).count() == 8
        assert {d.case.person for d in (first, second)} == {month.person, person}  # two cases opened
        assert Meeting.objects.get(pk=month.meeting.pk).status == MeetingStatus.HELD
