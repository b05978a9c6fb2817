"""The case management API: cases (full and minimal), the pyramid, assessments, the plan, interventions,
contacts and tasks, each write through the same service function as the pages, with its refusals."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client

from openiom.accounts.models import User
from openiom.accounts.services import create_api_token
from openiom.cases.constants import PromptKind, TaskKind
from openiom.cases.models import Case, PlanAction, ReviewPrompt, Task, Victim
from openiom.cases.services import add_involvement, close_case
from openiom.directory.models import Service

pytestmark = pytest.mark.django_db

Api = Callable[..., Any]


@pytest.fixture
def api_for(partnership: dict[str, User]) -> Callable[[str], Api]:
    def make(persona: str) -> Api:
        token = create_api_token(user=partnership[persona], name="test")[1]
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

        def call(method: str, path: str, body: dict[str, Any] | None = None) -> Any:
            if method == "get":
                return client.get(f"/api/v1{path}")
            return getattr(client, method)(f"/api/v1{path}", json.dumps(body or {}), content_type="application/json")

        return call

    return make


@pytest.fixture
def case(make_case, make_person, partnership, agency, today) -> Case:
    """Adams: tier 2 PPO led by the offender manager, with the police involved."""
    found = make_case(person=make_person(given_name="Alan", family_name="Adams"))
    add_involvement(case=found, agency=agency("police"), key_worker=partnership["police_officer"], by=None)
    return found


@pytest.fixture
def yot_case(make_case, make_person) -> Case:
    """Clark: a DYO case the YOT leads and no one else works on."""
    return make_case(
        person=make_person(given_name="Carl", family_name="Clark", date_of_birth=date(2009, 1, 20)),
        lead="yot_worker",
        cohort="DYO",
        tier=3,
    )


NEEDS = {
    p: {"level": "none"} for p in ("ete", "health", "drugs_alcohol", "finance", "children_families", "attitudes")
} | {"accommodation": {"level": "high", "linked_to_offending": True, "notes": "Sofa surfing"}}


# ---- cases ---------------------------------------------------------------------------------------------
def test_the_list_gives_minimal_fields_for_cases_the_agency_is_not_involved_in(api_for, case, yot_case):
    body = api_for("police_officer")("get", "/cases").json()
    assert body["total"] == 2
    by_id = {c["id"]: c for c in body["results"]}
    full, minimal = by_id[case.pk], by_id[yot_case.pk]
    assert full["access"] == "full"
    assert (full["tier_level"], full["statutory"], full["version"]) == (2, True, 1)
    assert minimal["access"] == "minimal"
    assert minimal["person"]["family_name"] == "Clark"
    assert (minimal["lead_professional"], minimal["cohort"]) == ("Yasmin Hart", "DYO")
    for field in ("tier_level", "tier", "statutory", "rosh_level", "opened_on", "memberships", "version"):
        assert minimal[field] is None


def test_the_list_filters_and_refuses_unknown_parameters(api_for, case, yot_case):
    call = api_for("iom_coordinator")
    assert [c["id"] for c in call("get", "/cases?cohort=DYO").json()["results"]] == [yot_case.pk]
    assert [c["id"] for c in call("get", "/cases?agency=police").json()["results"]] == [case.pk]
    assert call("get", "/cases?status=closed").json()["total"] == 0
    assert call("get", "/cases?name=Adams").status_code == 422  # names are never query parameters


def test_search_by_name_is_a_post(api_for, case, yot_case):
    response = api_for("offender_manager")("post", "/cases/search", {"name": "clark"})
    assert response.status_code == 200
    assert [(c["id"], c["access"]) for c in response.json()["results"]] == [(yot_case.pk, "minimal")]


def test_a_minimal_view_persona_gets_no_detail(api_for, yot_case):
    call = api_for("police_officer")
    body = call("get", f"/cases/{yot_case.pk}").json()
    assert body["access"] == "minimal"
    assert body["review_prompts"] is None
    assert body["compliance_percent"] is None
    assert body["tier_level"] is None
    for path in ("assessments", "actions", "interventions", "contacts", "tasks", "tier-changes"):
        response = call("get", f"/cases/{yot_case.pk}/{path}")
        assert response.status_code == 403, path
        assert "not involved" in response.json()["message"]


def test_detail_for_the_agencies_working_on_it(api_for, case):
    ReviewPrompt.objects.create(case=case, kind=PromptKind.ESCALATION, reason="Arrested", key="offence:1:arrest")
    body = api_for("police_officer")("get", f"/cases/{case.pk}").json()
    assert body["access"] == "full"
    assert [p["reason"] for p in body["review_prompts"]] == ["Arrested"]
    assert body["open_review_prompts"] == 1
    assert [a["agency"] for a in body["agencies_involved"]] == ["Riverside Police"]
    assert body["agencies_involved"][0]["key_worker"] == "PC Dev Patel"


@pytest.mark.parametrize(
    ("persona", "status"),
    [("analyst", 403), ("strategic_member", 403), ("administrator", 403), ("partner_practitioner", 200)],
)
def test_reading_cases_needs_the_cases_capability(api_for, case, persona, status):
    assert api_for(persona)("get", "/cases").status_code == status
    assert api_for(persona)("get", f"/cases/{case.pk}").status_code == status


def test_unknown_ids_are_404(api_for, case):
    call = api_for("iom_coordinator")
    assert call("get", "/cases/999999").status_code == 404
    assert call("post", "/actions/999999/status", {"version": 1, "status": "done"}).status_code == 404
    assert call("post", "/tasks/999999/finish", {"version": 1, "status": "done"}).status_code == 404
    assert call("post", "/contacts/999999/outcome", {"version": 1, "outcome": "missed"}).status_code == 404


def test_reads_are_audited(api_for, case, partnership):
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__purpose="api").count()
    api_for("police_officer")("get", f"/cases/{case.pk}")
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__purpose="api").latest("pk")
    assert (entry.content_type.model, entry.object_pk, entry.actor) == (
        "case",
        str(case.pk),
        partnership["police_officer"],
    )
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__purpose="api").count() == before + 1


def test_patch_changes_the_details_naming_the_version(api_for, case):
    call = api_for("offender_manager")
    response = call("patch", f"/cases/{case.pk}", {"version": 1, "rosh_level": "high"})
    assert response.status_code == 200, response.content
    assert (response.json()["rosh_level"], response.json()["statutory"], response.json()["version"]) == (
        "high",
        True,
        2,
    )


def test_a_stale_patch_is_refused_and_changes_nothing(api_for, case):
    call = api_for("offender_manager")
    assert call("patch", f"/cases/{case.pk}", {"version": 1, "rosh_level": "medium"}).status_code == 200
    stale = call("patch", f"/cases/{case.pk}", {"version": 1, "rosh_level": "very_high", "statutory": False})
    assert stale.status_code == 409
    assert "Someone else changed this case" in stale.json()["message"]
    case.refresh_from_db()
    assert (case.rosh_level, case.statutory, case.version) == ("medium", True, 2)


def test_writes_need_the_role_and_the_involvement(api_for, case, yot_case):
    # The panel chair sees every case but does not manage cases; the police are not on the YOT case.
    assert api_for("panel_chair")("patch", f"/cases/{case.pk}", {"version": 1}).status_code == 403
    refused = api_for("police_officer")("patch", f"/cases/{yot_case.pk}", {"version": 1, "rosh_level": "low"})
    assert refused.status_code == 403
    yot_case.refresh_from_db()
    assert yot_case.rosh_level == ""


def test_a_closed_case_takes_no_more_work(api_for, case, partnership):
    close_case(case=case, reason="Licence ended", by=partnership["iom_coordinator"])
    response = api_for("offender_manager")("post", f"/cases/{case.pk}/assessments", {"needs": NEEDS})
    assert response.status_code == 409
    assert response.json()["message"] == "The case is closed"


def test_requests_refuse_unknown_fields_and_nul_characters(api_for, case):
    call = api_for("offender_manager")
    assert call("patch", f"/cases/{case.pk}", {"version": 1, "tier": 1}).status_code == 422
    bad = {"version": 1, "tier_level": 1, "reason": "bad\u0000reason"}
    assert call("post", f"/cases/{case.pk}/tier", bad).status_code == 422


# ---- the pyramid -----------------------------------------------------------------------------------------
def test_tiers_are_listed(api_for, tiers):
    body = api_for("partner_practitioner")("get", "/tiers").json()
    assert [t["level"] for t in body] == [1, 2, 3]


def test_a_tier_change_with_its_reason_and_version(api_for, case):
    ReviewPrompt.objects.create(case=case, kind=PromptKind.ESCALATION, reason="Arrested", key="offence:1:arrest")
    call = api_for("offender_manager")
    response = call("post", f"/cases/{case.pk}/tier", {"version": 1, "tier_level": 1, "reason": "Re-arrested"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["from_level"], body["to_level"], body["direction"], body["case_version"]) == (2, 1, "escalated", 2)
    assert case.prompts.get().status == "resolved"
    same = call("post", f"/cases/{case.pk}/tier", {"version": 2, "tier_level": 1, "reason": "again"})
    assert same.status_code == 409
    assert same.json()["message"].startswith("The case is already at Tier 1")
    history = call("get", f"/cases/{case.pk}/tier-changes").json()
    assert [(h["direction"], h["to_level"]) for h in history] == [("placed", 2), ("escalated", 1)]


def test_a_stale_tier_change_is_refused(api_for, case):
    call = api_for("offender_manager")
    assert call("patch", f"/cases/{case.pk}", {"version": 1, "rosh_level": "low"}).status_code == 200
    stale = call("post", f"/cases/{case.pk}/tier", {"version": 1, "tier_level": 3, "reason": "Doing well"})
    assert stale.status_code == 409
    case.refresh_from_db()
    assert case.tier.level == 2


def test_an_unknown_tier_is_404(api_for, case):
    response = api_for("offender_manager")(
        "post", f"/cases/{case.pk}/tier", {"version": 1, "tier_level": 9, "reason": "x"}
    )
    assert response.status_code == 404


# ---- assessments -----------------------------------------------------------------------------------------
def test_assessments_are_recorded_and_listed(api_for, case):
    call = api_for("police_officer")
    response = call("post", f"/cases/{case.pk}/assessments", {"needs": NEEDS, "summary": "First"})
    assert response.status_code == 201, response.content
    needs = {n["pathway"]: n for n in response.json()["needs"]}
    assert needs["accommodation"]["level"] == "high"
    assert needs["accommodation"]["linked_to_offending"] is True
    assert response.json()["agency"] == "Riverside Police"
    listed = call("get", f"/cases/{case.pk}/assessments").json()
    assert [a["summary"] for a in listed] == ["First"]


def test_an_assessment_must_cover_every_pathway_and_follow_the_rules(api_for, case):
    call = api_for("offender_manager")
    partial = {k: v for k, v in NEEDS.items() if k != "health"}
    assert call("post", f"/cases/{case.pk}/assessments", {"needs": partial}).status_code == 422
    linked = NEEDS | {"health": {"level": "none", "linked_to_offending": True}}
    refused = call("post", f"/cases/{case.pk}/assessments", {"needs": linked})
    assert refused.status_code == 409
    assert "no need cannot be linked" in refused.json()["message"]
    future = call("post", f"/cases/{case.pk}/assessments", {"needs": NEEDS, "assessed_on": "2027-01-01"})
    assert future.status_code == 409


# ---- plan actions ----------------------------------------------------------------------------------------
def test_an_action_is_added_updated_and_finished(api_for, case, partnership, today):
    call = api_for("offender_manager")
    owner = partnership["partner_practitioner"]
    created = call(
        "post",
        f"/cases/{case.pk}/actions",
        {"pathway": "accommodation", "description": "Find a tenancy", "owner_id": owner.pk, "due_on": "2026-12-15"},
    )
    assert created.status_code == 201, created.content
    action = created.json()
    assert (action["owner"], action["owner_agency"], action["version"]) == (
        "Priya Shah",
        "Riverside Housing Partnership",
        1,
    )
    assert case.involvements.filter(agency__code="housing").exists()  # the owner's agency is now involved
    moved = call("patch", f"/actions/{action['id']}", {"version": 1, "due_on": "2026-12-20"})
    assert moved.status_code == 200
    assert (moved.json()["due_on"], moved.json()["version"]) == ("2026-12-20", 2)
    stale = call("post", f"/actions/{action['id']}/status", {"version": 1, "status": "done"})
    assert stale.status_code == 409
    done = call("post", f"/actions/{action['id']}/status", {"version": 2, "status": "done"})
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["completed_on"]) == ("done", "2026-11-24")
    illegal = call("post", f"/actions/{action['id']}/status", {"version": 3, "status": "cancelled"})
    assert illegal.status_code == 409
    assert "cannot be marked cancelled" in illegal.json()["message"]
    assert [a["status"] for a in call("get", f"/cases/{case.pk}/actions").json()] == ["done"]


def test_an_action_cannot_be_due_in_the_past_or_owned_by_someone_who_does_not_manage_cases(api_for, case, partnership):
    call = api_for("offender_manager")
    body = {"pathway": "ete", "description": "CV", "owner_id": partnership["offender_manager"].pk}
    assert call("post", f"/cases/{case.pk}/actions", body | {"due_on": "2026-11-01"}).status_code == 409
    analyst = body | {"owner_id": partnership["analyst"].pk, "due_on": "2026-12-01"}
    assert call("post", f"/cases/{case.pk}/actions", analyst).status_code == 409
    assert (
        call("post", f"/cases/{case.pk}/actions", body | {"owner_id": 999999, "due_on": "2026-12-01"}).status_code
        == 404
    )


def test_only_the_agencies_on_the_case_change_its_actions(api_for, yot_case, partnership, agency, today):
    action = PlanAction.objects.create(
        case=yot_case, pathway="ete", description="College place", owner=partnership["yot_worker"],
        owner_agency=agency("yot"), due_on=today + timedelta(days=5), created_by=partnership["yot_worker"],
    )  # fmt: skip
    response = api_for("police_officer")("post", f"/actions/{action.pk}/status", {"version": 1, "status": "done"})
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == "open"


# ---- interventions ---------------------------------------------------------------------------------------
@pytest.fixture
def service(db) -> Service:
    return Service.objects.create(
        name="Riverside Tenancy Support", provider="Riverside Housing", pathways=["accommodation"]
    )


def test_a_referral_is_made_started_and_its_sessions_recorded(api_for, case, service):
    call = api_for("offender_manager")
    created = call("post", f"/cases/{case.pk}/interventions", {"service_id": service.pk, "pathway": "accommodation"})
    assert created.status_code == 201, created.content
    referral = created.json()
    assert (referral["status"], referral["service"]) == ("referred", "Riverside Tenancy Support (Riverside Housing)")
    twice = call("post", f"/cases/{case.pk}/interventions", {"service_id": service.pk, "pathway": "accommodation"})
    assert twice.status_code == 409
    wrong = call("post", f"/cases/{case.pk}/interventions", {"service_id": service.pk, "pathway": "health"})
    assert wrong.status_code == 409
    early = call("post", f"/interventions/{referral['id']}/sessions", {"version": 1, "offered": 2, "attended": 1})
    assert early.status_code == 409  # attendance only while ongoing
    started = call("post", f"/interventions/{referral['id']}/move", {"version": 1, "status": "ongoing"})
    assert started.status_code == 200
    assert (started.json()["status"], started.json()["started_on"]) == ("ongoing", "2026-11-24")
    sessions = call("post", f"/interventions/{referral['id']}/sessions", {"version": 2, "offered": 4, "attended": 3})
    assert sessions.status_code == 200
    assert (sessions.json()["sessions_offered"], sessions.json()["sessions_attended"]) == (4, 3)
    too_many = call("post", f"/interventions/{referral['id']}/sessions", {"version": 3, "offered": 1, "attended": 2})
    assert too_many.status_code == 409
    back = call("post", f"/interventions/{referral['id']}/move", {"version": 3, "status": "declined"})
    assert back.status_code == 409
    assert [i["status"] for i in call("get", f"/cases/{case.pk}/interventions").json()] == ["ongoing"]


# ---- contacts --------------------------------------------------------------------------------------------
def test_contacts_are_booked_and_their_outcomes_recorded(api_for, case):
    call = api_for("police_officer")
    booked = call("post", f"/cases/{case.pk}/contacts", {"kind": "home_visit", "scheduled_at": "2026-11-26T10:00"})
    assert booked.status_code == 201, booked.content
    contact = booked.json()
    assert (contact["outcome"], contact["agency"], contact["scheduled_at"]) == (
        "scheduled",
        "Riverside Police",
        "2026-11-26T10:00:00Z",
    )
    too_soon = call("post", f"/contacts/{contact['id']}/outcome", {"version": 1, "outcome": "attended"})
    assert too_soon.status_code == 409
    assert "once the appointment time has passed" in too_soon.json()["message"]
    excused = call("post", f"/contacts/{contact['id']}/outcome", {"version": 1, "outcome": "excused", "notes": "Ill"})
    assert excused.status_code == 200
    assert excused.json()["version"] == 2
    past = call(
        "post",
        f"/cases/{case.pk}/contacts",
        {"kind": "office", "scheduled_at": "2026-11-20T09:30:00+00:00", "outcome": "missed"},
    )
    assert past.status_code == 201
    listed = call("get", f"/cases/{case.pk}/contacts").json()
    assert [c["outcome"] for c in listed] == ["excused", "missed"]


def test_a_contact_time_must_be_an_iso_date_time(api_for, case):
    response = api_for("police_officer")("post", f"/cases/{case.pk}/contacts", {"kind": "office", "scheduled_at": 1})
    assert response.status_code == 422


# ---- tasks -----------------------------------------------------------------------------------------------
def test_a_task_is_finished_by_its_agency_once(api_for, case, agency, today):
    task = Task.objects.create(
        case=case, kind=TaskKind.THROUGH_THE_GATE, pathway="accommodation", title="Secure accommodation",
        agency=agency("probation"), due_on=today + timedelta(days=10), key="release:x:accommodation",
    )  # fmt: skip
    call = api_for("offender_manager")
    listed = call("get", f"/cases/{case.pk}/tasks").json()
    assert [(t["title"], t["overdue"]) for t in listed] == [("Secure accommodation", False)]
    by_police = api_for("police_officer")("post", f"/tasks/{task.pk}/finish", {"version": 1, "status": "done"})
    assert by_police.status_code == 409  # the police are involved, but the task is probation's
    no_reason = call("post", f"/tasks/{task.pk}/finish", {"version": 1, "status": "cancelled"})
    assert no_reason.status_code == 409
    done = call("post", f"/tasks/{task.pk}/finish", {"version": 1, "status": "done", "note": "Approved premises"})
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["done_by"]) == ("done", "Olu Mensah")
    again = call("post", f"/tasks/{task.pk}/finish", {"version": 2, "status": "done"})
    assert again.status_code == 409


# ---- victims never leave through the API -----------------------------------------------------------------
def test_no_response_ever_carries_a_victim(api_for, case, partnership, service, today):
    Victim.objects.create(
        case=case, label="Victim Zephyrine", relationship="Former partner", repeat=True, vulnerable=True,
        safety_notes="Lives at 12 Secret Lane", added_by=partnership["offender_manager"],
    )  # fmt: skip
    call = api_for("offender_manager")  # probation is entitled to see victims on the pages
    call("post", f"/cases/{case.pk}/assessments", {"needs": NEEDS})
    call("post", f"/cases/{case.pk}/interventions", {"service_id": service.pk, "pathway": "accommodation"})
    call(
        "post",
        f"/cases/{case.pk}/contacts",
        {"kind": "office", "scheduled_at": "2026-11-20T09:30", "outcome": "attended"},
    )
    paths = ["/cases", f"/cases/{case.pk}"] + [
        f"/cases/{case.pk}/{p}"
        for p in ("assessments", "actions", "interventions", "contacts", "tasks", "tier-changes")
    ]
    bodies = [call("get", p) for p in paths]
    bodies.append(call("post", "/cases/search", {"name": "Adams"}))
    bodies.append(call("patch", f"/cases/{case.pk}", {"version": case.version}))
    for response in bodies:
        assert response.status_code == 200, response.content
        text = response.content.decode()
        assert "Zephyrine" not in text
        assert "Secret Lane" not in text
        assert "victim" not in text.lower()
    schema = Client().get("/api/v1/openapi.json").content.decode().lower()
    assert "/victims" not in schema
    assert "safety_notes" not in schema
