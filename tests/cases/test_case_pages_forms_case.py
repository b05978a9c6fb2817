"""The forms that change the case itself: each one's happy path and a refusal that keeps what was typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.test import Client

from openiom.cases.constants import PromptStatus, TaskStatus
from openiom.cases.models import CohortMembership, Involvement, ReviewPrompt, Task, TierChange
from tests.cases.case_world import CaseWorld, date_fields, text, world_fixture  # noqa: F401


def _om(client_for: Callable[[str], Client]) -> Client:
    return client_for("offender_manager")


def test_escalating_the_case_records_the_move_and_answers_the_review(
    client_for: Callable[[str], Client], world: CaseWorld
) -> None:
    client = _om(client_for)
    form = text(client.get(world.url("tier/")))
    assert "Arrested on 20 November 2026 for burglary" in form  # what raised the review is on the form
    response = client.post(
        world.url("tier/"), {"tier": world.tiers[1].pk, "reason": "Arrested again", "version": world.case.version}
    )
    assert response.status_code == 302
    assert response["Location"] == world.url()
    assert world.fresh().tier == world.tiers[1]
    change = TierChange.objects.filter(case=world.case).latest("pk")
    assert (change.reason, change.by) == ("Arrested again", world.users["offender_manager"])
    assert ReviewPrompt.objects.get(pk=world.prompt.pk).status == PromptStatus.RESOLVED
    page = text(client.get(world.url()))
    assert "Escalated from Tier 2: enhanced to Tier 1: intensive." in page  # the success notification
    assert "Review needed" not in page


def test_a_move_without_a_reason_is_refused_and_keeps_the_choice(
    client_for: Callable[[str], Client], world: CaseWorld
) -> None:
    response = _om(client_for).post(
        world.url("tier/"), {"tier": world.tiers[3].pk, "reason": "", "version": world.case.version}
    )
    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter the reason for the move" in page
    assert f'value="{world.tiers[3].pk}" checked' in page
    assert world.fresh().tier == world.tiers[2]


def test_a_review_that_needed_no_move_is_recorded(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    client = _om(client_for)
    address = world.url("reviews/", world.prompt.pk)
    refused = client.post(address, {"resolution": "  "})
    assert "Say what the review decided" in text(refused)
    response = client.post(address, {"resolution": "Arrest was not charged; stays at tier 2"})
    assert response.status_code == 302
    prompt = ReviewPrompt.objects.get(pk=world.prompt.pk)
    assert (prompt.status, prompt.resolution) == (PromptStatus.RESOLVED, "Arrest was not charged; stays at tier 2")
    assert world.fresh().tier == world.tiers[2]
    again = client.post(address, {"resolution": "Twice"})
    assert "That review has already been recorded." in text(again)


def test_changing_the_case_details(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    client = _om(client_for)
    form = text(client.get(world.url("details/")))
    assert 'value="yes" checked' in form
    assert '<option value="high" selected>' in form
    response = client.post(
        world.url("details/"),
        {"statutory": "no", "rosh_level": "medium", "framework": "", "version": world.case.version},
    )
    assert response.status_code == 302
    case = world.fresh()
    assert (case.statutory, case.rosh_level) == (False, "medium")


def test_case_details_refuse_an_unknown_level_and_keep_the_rest(
    client_for: Callable[[str], Client], world: CaseWorld
) -> None:
    response = _om(client_for).post(
        world.url("details/"), {"statutory": "no", "rosh_level": "extreme", "version": world.case.version}
    )
    page = text(response)
    assert "Select a valid choice" in page
    assert 'value="no" checked' in page
    assert world.fresh().statutory is True


def test_handing_the_case_to_a_new_lead_professional(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    client = _om(client_for)
    officer = world.users["police_officer"]
    response = client.post(
        world.url("lead/"), {"lead": officer.pk, "reason": "Police-led now", "version": world.case.version}
    )
    assert response.status_code == 302
    case = world.fresh()
    assert (case.lead_professional, case.lead_agency.code) == (officer, "police")
    assert "PC Dev Patel of Riverside Police is now the lead professional." in text(client.get(world.url()))


def test_the_same_lead_professional_is_refused_with_the_reason_kept(
    client_for: Callable[[str], Client], world: CaseWorld
) -> None:
    om = world.users["offender_manager"]
    response = _om(client_for).post(
        world.url("lead/"), {"lead": om.pk, "reason": "Keep it typed", "version": world.case.version}
    )
    page = text(response)
    assert "Olu Mensah is already the lead professional." in page
    assert "Keep it typed" in page
    assert world.fresh().version == world.case.version  # nothing saved


def test_adding_and_ending_an_involved_agency(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    client = _om(client_for)
    substance = world.agency("substance")
    response = client.post(world.url("agencies/add/"), {"agency": substance.pk, "role": "Treatment"})
    assert response.status_code == 302
    involvement = Involvement.objects.get(case=world.case, agency=substance, ended_on__isnull=True)
    assert "Riverside Substance Misuse Service is involved in the case." in text(client.get(world.url()))
    response = client.post(world.url("agencies/", involvement.pk) + "end/", {})
    assert response.status_code == 302
    involvement.refresh_from_db()
    assert involvement.ended_on == date(2026, 11, 24)


def test_a_key_worker_from_another_agency_is_refused(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    response = _om(client_for).post(
        world.url("agencies/add/"),
        {"agency": world.agency("substance").pk, "key_worker": world.users["yot_worker"].pk, "role": "Treatment"},
    )
    page = text(response)
    assert "Yasmin Hart does not work for Riverside Substance Misuse Service." in page
    assert 'value="Treatment"' in page
    assert not Involvement.objects.filter(case=world.case, agency__code="substance").exists()


def test_adding_and_ending_a_cohort(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    client = _om(client_for)
    only = CohortMembership.objects.get(case=world.case, cohort="PPO")
    refused = client.post(world.url("cohorts/", only.pk) + "end/", {"reason": "No longer prolific"})
    assert "An open case must stay in at least one cohort: close the case instead." in text(refused)
    assert "No longer prolific" in text(refused)
    response = client.post(world.url("cohorts/add/"), {"cohort": "HCC", **date_fields("started_on", date(2026, 9, 1))})
    assert response.status_code == 302
    assert CohortMembership.objects.get(case=world.case, cohort="HCC").started_on == date(2026, 9, 1)
    response = client.post(world.url("cohorts/", only.pk) + "end/", {"reason": "No longer prolific"})
    assert response.status_code == 302
    only.refresh_from_db()
    assert only.end_reason == "No longer prolific"
    assert world.fresh().cohort == "HCC"


def test_joining_a_cohort_twice_is_refused(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    response = _om(client_for).post(world.url("cohorts/add/"), {"cohort": "PPO"})
    page = text(response)
    assert "cohort." in page
    assert "already in the" in page
    assert 'value="PPO" checked' in page


def test_finishing_a_task(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    client = _om(client_for)
    address = world.url("tasks/", world.task.pk) + "finish/"
    refused = client.post(address, {"status": "cancelled", "note": "", "version": world.task.version})
    assert "Say why the task is cancelled." in text(refused)
    assert 'value="cancelled" checked' in text(refused)
    response = client.post(address, {"status": "done", "note": "Hostel bed booked", "version": world.task.version})
    assert response.status_code == 302
    task = Task.objects.get(pk=world.task.pk)
    assert (task.status, task.note) == (TaskStatus.DONE, "Hostel bed booked")
    assert task.done_by == world.users["offender_manager"]
