"""Needs and plan forms: the assessment over seven pathways, actions, referrals to services, interventions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from openiom.cases.constants import ActionStatus, InterventionStatus, Pathway
from openiom.cases.models import Assessment, Intervention, PlanAction
from openiom.directory.models import Service
from tests.cases.case_world import CaseWorld, date_fields, text, world_fixture  # noqa: F401


def _om(client_for: Callable[[str], Client]) -> Client:
    return client_for("offender_manager")


def _levels(**changes: str) -> dict[str, Any]:
    data: dict[str, Any] = {f"{p}_level": "low" for p in Pathway.values}
    data.update({f"{p}_level": level for p, level in changes.items()})
    return data


def test_the_assessment_form_starts_from_the_previous_levels(
    client_for: Callable[[str], Client], world: CaseWorld
) -> None:
    page = text(_om(client_for).get(world.url("assessments/new/")))
    assert 'name="accommodation_level" type="radio" value="high" checked' in page
    assert 'name="health_level" type="radio" value="low" checked' in page
    assert "Last time: high" in page


def test_a_reassessment_is_added_and_shows_change_over_time(
    client_for: Callable[[str], Client], world: CaseWorld
) -> None:
    client = _om(client_for)
    data = _levels(accommodation="medium", drugs_alcohol="high") | {
        "drugs_alcohol_linked": "on",
        "drugs_alcohol_notes": "Crack use, daily",
        **date_fields("assessed_on", date(2026, 11, 20)),
    }
    response = client.post(world.url("assessments/new/"), data)
    assert response.status_code == 302
    assert Assessment.objects.filter(case=world.case).count() == 2
    latest = Assessment.objects.filter(case=world.case).first()
    assert latest is not None
    needs = {n.pathway: n for n in latest.needs.all()}
    assert (needs["drugs_alcohol"].level, needs["drugs_alcohol"].linked_to_offending) == ("high", True)
    page = text(client.get(world.url("needs/")))
    assert "Needs assessment of 20 November 2026 recorded." in page
    assert "Change over time" in page
    assert 'Medium <span class="app-secondary-text">(down)</span>' in page  # accommodation high -> medium
    assert 'High <span class="app-secondary-text">(up)</span>' in page  # drugs and alcohol low -> high


def test_no_need_linked_to_offending_is_refused_with_everything_kept(
    client_for: Callable[[str], Client], world: CaseWorld
) -> None:
    data = _levels(finance="none") | {"finance_linked": "on", "ete_notes": "Wants a CSCS card"}
    response = _om(client_for).post(world.url("assessments/new/"), data)
    page = text(response)
    assert "Finance, benefits and debt: a pathway with no need cannot be linked to offending" in page
    assert "Wants a CSCS card" in page
    assert 'name="finance_level" type="radio" value="none" checked' in page
    assert Assessment.objects.filter(case=world.case).count() == 1


def test_an_assessment_missing_a_pathway_is_refused(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    data = _levels()
    del data["health_level"]
    page = text(_om(client_for).post(world.url("assessments/new/"), data))
    assert "Choose the level of need for health" in page


def test_adding_an_action(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    client = _om(client_for)
    officer = world.users["police_officer"]
    response = client.post(
        world.url("actions/add/"),
        {
            "pathway": "ete",
            "description": "Book a CSCS course",
            "owner": officer.pk,
            **date_fields("due_on", date(2027, 1, 8)),
        },
    )
    assert response.status_code == 302
    action = PlanAction.objects.get(case=world.case, description="Book a CSCS course")
    assert (action.owner, action.owner_agency.code, action.due_on) == (officer, "police", date(2027, 1, 8))
    page = text(client.get(world.url("needs/")))
    assert "Action added for PC Dev Patel, due by 8 January 2027." in page
    assert "Education, training and employment" in page  # grouped under its pathway


def test_an_action_due_in_the_past_is_refused_and_keeps_the_description(
    client_for: Callable[[str], Client], world: CaseWorld
) -> None:
    response = _om(client_for).post(
        world.url("actions/add/"),
        {
            "pathway": "ete",
            "description": "Book a CSCS course",
            "owner": world.users["offender_manager"].pk,
            **date_fields("due_on", date(2026, 11, 1)),
        },
    )
    page = text(response)
    assert "The due date has already passed." in page
    assert "Book a CSCS course" in page
    assert 'value="2026"' in page
    assert not PlanAction.objects.filter(description="Book a CSCS course").exists()


def test_overdue_actions_are_marked(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    PlanAction.objects.filter(pk=world.action.pk).update(due_on=date(2026, 11, 1))
    page = text(_om(client_for).get(world.url("needs/")))
    assert "1 action is overdue." in page
    assert "Overdue</strong>" in page


def test_editing_an_action(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    client = _om(client_for)
    form = text(client.get(world.url("actions/", world.action.pk) + "edit/"))
    assert "Find a hostel place" in form
    response = client.post(
        world.url("actions/", world.action.pk) + "edit/",
        {
            "description": "Find a supported hostel place",
            "owner": world.users["offender_manager"].pk,
            "version": world.action.version,
            **date_fields("due_on", date(2026, 12, 20)),
        },
    )
    assert response.status_code == 302
    action = PlanAction.objects.get(pk=world.action.pk)
    assert (action.description, action.due_on) == ("Find a supported hostel place", date(2026, 12, 20))


def test_changing_an_actions_status(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    client = _om(client_for)
    address = world.url("actions/", world.action.pk) + "status/"
    refused = text(client.post(address, {"status": "cancelled", "outcome": "", "version": world.action.version}))
    assert "Say why the action is cancelled." in refused
    assert 'value="cancelled" checked' in refused
    response = client.post(address, {"status": "done", "outcome": "Bed at Elm House", "version": world.action.version})
    assert response.status_code == 302
    action = PlanAction.objects.get(pk=world.action.pk)
    assert (action.status, action.completed_on) == (ActionStatus.DONE, date(2026, 11, 24))


@pytest.fixture
def hostel(db: None) -> Service:
    return Service.objects.create(name="Elm House", provider="Riverside Housing", pathways=["accommodation"])


def test_referring_to_a_service_in_two_steps(
    client_for: Callable[[str], Client], world: CaseWorld, hostel: Service
) -> None:
    client = _om(client_for)
    Service.objects.create(name="Gym Pass", provider="Council", pathways=["health"])
    Service.objects.create(name="Closed Hostel", provider="Old", pathways=["accommodation"], is_active=False)
    step_one = text(client.get(world.url("interventions/refer/")))
    assert "Which pathway is the referral for?" in step_one
    assert "Choose the pathway" not in step_one
    assert "Choose the pathway" in text(client.get(world.url("interventions/refer/") + "?step=service"))
    step_two = text(client.get(world.url("interventions/refer/") + "?pathway=accommodation"))
    assert "Elm House (Riverside Housing)" in step_two
    assert "Gym Pass" not in step_two  # works on another pathway
    assert "Closed Hostel" not in step_two  # not active
    response = client.post(
        world.url("interventions/refer/"), {"pathway": "accommodation", "service": hostel.pk, "notes": "Urgent"}
    )
    assert response.status_code == 302
    intervention = Intervention.objects.get(case=world.case)
    assert (intervention.service, intervention.status, intervention.notes) == (hostel, "referred", "Urgent")


def test_an_ineligible_referral_is_refused_with_the_notes_kept(
    client_for: Callable[[str], Client], world: CaseWorld
) -> None:
    young = Service.objects.create(name="Youth Hostel", provider="YMCA", pathways=["accommodation"], max_age=25)
    response = _om(client_for).post(
        world.url("interventions/refer/"), {"pathway": "accommodation", "service": young.pk, "notes": "Keep me"}
    )
    page = text(response)
    assert "The service is for people aged up to 25 (they are 31)." in page
    assert "Keep me" in page
    assert not Intervention.objects.filter(case=world.case).exists()


def test_starting_and_ending_an_intervention_and_its_sessions(
    client_for: Callable[[str], Client], world: CaseWorld, hostel: Service
) -> None:
    client = _om(client_for)
    i = Intervention.objects.create(
        case=world.case, service=hostel, pathway="accommodation", referred_on=date(2026, 11, 2),
        referred_by=world.users["offender_manager"],
    )  # fmt: skip
    address = world.url("interventions/", i.pk)
    refused = text(
        client.post(address + "status/", {"status": "ongoing", "version": 1, **date_fields("on", date(2026, 10, 1))})
    )
    assert "The date cannot be before the referral." in refused
    assert 'value="ongoing" checked' in refused
    assert client.post(address + "status/", {"status": "ongoing", "version": 1}).status_code == 302
    assert Intervention.objects.get(pk=i.pk).status == InterventionStatus.ONGOING
    too_many = text(client.post(address + "sessions/", {"offered": "3", "attended": "4", "version": 2}))
    assert "More sessions attended than offered." in too_many
    assert 'value="4"' in too_many
    assert client.post(address + "sessions/", {"offered": "4", "attended": "3", "version": 2}).status_code == 302
    assert client.post(address + "status/", {"status": "completed", "version": 3}).status_code == 302
    i.refresh_from_db()
    assert (i.status, i.sessions_attended, i.ended_on) == (InterventionStatus.COMPLETED, 3, date(2026, 11, 24))
    page = text(client.get(world.url("needs/")))
    assert "3 of 4" in page
    assert "Completed</strong>" in page
