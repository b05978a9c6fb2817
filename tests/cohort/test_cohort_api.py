"""The selection-run API: the same services as the pages, JSON errors, audited reads."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from auditlog.models import LogEntry
from django.test import Client

from openiom.accounts.services import create_api_token
from openiom.cohort.models import SelectionRun


@pytest.fixture
def api_as(partnership) -> Callable[[str], Client]:
    def make(persona: str) -> Client:
        _t, raw = create_api_token(user=partnership[persona], name="t")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def test_start_a_run_then_read_it_list_it_and_its_nominations(api_as, borough, today) -> None:
    client = api_as("analyst")
    response = client.post(
        "/api/v1/selection-runs",
        {"as_of": "2026-06-30", "label": "API run", "config": {"nominations_wanted": 2}},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    run = response.json()
    assert (run["status"], run["population"], run["nominated"], run["label"]) == ("succeeded", 7, 3, "API run")
    assert run["config"]["nominations_wanted"] == 2
    assert run["config"]["lookback_days"] == 365  # the rest from the defaults
    assert len(run["inputs_fingerprint"]) == 64
    assert client.get(f"/api/v1/selection-runs/{run['id']}").json()["id"] == run["id"]
    assert [r["id"] for r in client.get("/api/v1/selection-runs").json()] == [run["id"]]

    nominations = client.get(f"/api/v1/selection-runs/{run['id']}/nominations").json()
    assert nominations["total"] == 3
    assert [(n["person_id"], n["route"], n["rank"]) for n in nominations["results"]] == [
        (borough.key("Adam"), "IOM", 1),
        (borough.key("Gina"), "IOM", 2),
        (borough.key("Dan"), "DYO", 1),
    ]
    assert "Testperson" not in str(nominations)  # ids and scores, no names
    dyo = client.get(f"/api/v1/selection-runs/{run['id']}/nominations?route=DYO").json()
    assert [n["person_id"] for n in dyo["results"]] == [borough.key("Dan")]
    page = client.get(f"/api/v1/selection-runs/{run['id']}/nominations?limit=1&offset=1").json()
    assert (page["total"], [n["person_id"] for n in page["results"]]) == (3, [borough.key("Gina")])
    assert client.get(f"/api/v1/selection-runs/{run['id']}/nominations?limit=500").status_code == 422


def test_explanation_endpoint_explains_with_figures_and_is_audited(api_as, borough, start_run) -> None:
    run = start_run()
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__purpose="api").count()
    body = (
        api_as("police_officer").get(f"/api/v1/selection-runs/{run.pk}/people/{borough.key('Dan')}/explanation").json()
    )
    assert (body["outcome"], body["route"], body["rank"], body["cohort"]) == ("nominated", "DYO", 1, "DYO")
    texts = {e["heading"]: e["text"] for e in body["explanation"]}
    assert "Asset score 30 is 24 or more" in texts["Cohort"]
    assert body["figures"]["asset_score"] == 30
    assert body["figures"]["window_end"] == "2026-06-30"
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__purpose="api").latest("pk")
    assert (entry.content_type.model, entry.object_pk) == ("person", str(borough.key("Dan")))
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__purpose="api").count() == before + 1
    missing = api_as("police_officer").get(f"/api/v1/selection-runs/{run.pk}/people/{borough.key('Hal')}/explanation")
    assert missing.status_code == 404
    assert missing.json() == {"message": "This person was not scored in this run"}


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({"as_of": "2026-07-02"}, 400, "The as-of date must be today or in the past"),
        ({"as_of": "1999-12-31"}, 400, "The as-of date must be 1 January 2000 or later"),
        ({"as_of": "2026-06-30", "config": {"cohorts": {"hcc_min_rfg_score": -1}}}, 400, "cohorts.hcc_min_rfg_score"),
        ({"as_of": "2026-06-30", "config": {"nonsense": 1}}, 400, "nonsense"),
        ({"as_of": "30/06/2026"}, 422, "The request is not valid"),
        ({"as_of": 0}, 422, "The request is not valid"),
        ({"as_of": "2026-06-30", "extra": 1}, 422, "The request is not valid"),
    ],
)
def test_bad_requests_say_why_and_start_nothing(api_as, today, payload, status: int, message: str) -> None:
    response = api_as("iom_coordinator").post("/api/v1/selection-runs", payload, content_type="application/json")
    assert response.status_code == status
    assert message in response.json()["message"]
    assert not SelectionRun.objects.exists()


def test_nominations_of_an_unfinished_run_are_a_conflict(api_as, partnership) -> None:
    run = SelectionRun.objects.create(as_of="2026-06-30", config={}, created_by=partnership["analyst"])
    response = api_as("analyst").get(f"/api/v1/selection-runs/{run.pk}/nominations")
    assert (response.status_code, response.json()["message"]) == (409, "The run has not finished")
