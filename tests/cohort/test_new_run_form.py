"""The new-run form: starts from the latest run's settings, keeps what was typed, shows every problem."""

from __future__ import annotations

import json
import re

from openiom.analytics import SelectionConfig
from openiom.cohort.models import SelectionRun

GOOD = {
    "as_of_0": "30",
    "as_of_1": "6",
    "as_of_2": "2026",
    "label": "Threshold 10",
    "lookback_days": "365",
    "counted_outcomes": ["arrest", "charge", "conviction", "caution"],
    "nominations_wanted": "2",
    "dyo_nominations_wanted": "15",
    "hcc_min_rfg_score": "10",
    "ppo_min_sanction_occasions": "6",
    "dyo_min_asset_score": "24",
    "recency_weight": "1",
    "frequency_weight": "1",
    "gravity_weight": "1",
}


def _form(shown: SelectionConfig | None = None, **changes: object) -> dict[str, object]:
    text = (shown or SelectionConfig()).to_json()
    return {**GOOD, "shown_config": text, "config_json": text, **changes}


def _value(html: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    assert found, name
    return found.group(1)


def test_form_starts_from_the_latest_run_settings(client_for, borough, start_run) -> None:
    start_run(cohorts={"hcc_min_rfg_score": 7.5}, lookback_days=400)
    html = client_for("analyst").get("/cohort/runs/new/").content.decode()
    assert _value(html, "hcc_min_rfg_score") == "7.5"
    assert _value(html, "lookback_days") == "400"
    assert _value(html, "nominations_wanted") == "2"
    assert _value(html, "as_of_0") == "1"
    assert _value(html, "as_of_1") == "7"
    assert _value(html, "as_of_2") == "2026"


def test_simple_settings_start_a_run_with_them(client_for, borough, today) -> None:
    response = client_for("iom_coordinator").post("/cohort/runs/new/", _form())
    run = SelectionRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cohort/runs/{run.pk}/"
    assert run.label == "Threshold 10"
    assert run.config["cohorts"]["hcc_min_rfg_score"] == 10
    assert run.config["nominations_wanted"] == 2
    # With 10 as the HCC threshold, Gina (RFG 11) still qualifies; the cut of 2 keeps Adam and Gina.
    assert [s.person.given_name for s in run.scores.nominations()] == ["Adam", "Gina", "Dan"]


def test_changed_json_wins_over_the_simple_settings(client_for, borough, today) -> None:
    config = SelectionConfig().as_dict()
    config["cohorts"]["hcc_min_rfg_score"] = 12  # type: ignore[index]
    config["nominations_wanted"] = 5
    client_for("analyst").post("/cohort/runs/new/", _form(config_json=json.dumps(config), hcc_min_rfg_score="-5"))
    run = SelectionRun.objects.get()
    assert run.config["cohorts"]["hcc_min_rfg_score"] == 12  # not the (invalid) simple value
    assert run.config["nominations_wanted"] == 5


def test_errors_are_summarised_and_the_form_keeps_what_was_typed(client_for, today) -> None:
    response = client_for("analyst").post(
        "/cohort/runs/new/",
        _form(as_of_0="31", as_of_1="2", as_of_2="2026", lookback_days="ten", gravity_weight="-1", counted_outcomes=[]),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert '<a href="#id_as_of_0">The as-of date must be a real date</a>' in html
    assert '<a href="#id_lookback_days">Enter the look-back window as a whole number</a>' in html
    assert "The gravity weight must be between 0 and 100" in html
    assert '<a href="#id_counted_outcomes_0">Select at least one outcome to count</a>' in html
    assert _value(html, "as_of_0") == "31"
    assert _value(html, "lookback_days") == "ten"
    assert _value(html, "label") == "Threshold 10"
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Error: New selection run" in html
    assert not SelectionRun.objects.exists()


def test_a_future_date_is_refused_on_the_form(client_for, today) -> None:
    html = client_for("analyst").post("/cohort/runs/new/", _form(as_of_0="2", as_of_1="7")).content.decode()
    assert "The as-of date must be today or in the past" in html
    assert not SelectionRun.objects.exists()


def test_configuration_errors_from_the_json_are_shown_on_it(client_for, today) -> None:
    bad = SelectionConfig().as_dict()
    bad["cohorts"]["hcc_min_rfg_score"] = -2  # type: ignore[index]
    bad["rfg"]["colour"] = "blue"  # type: ignore[index]
    html = client_for("analyst").post("/cohort/runs/new/", _form(config_json=json.dumps(bad))).content.decode()
    assert "The configuration cannot be used: " in html
    assert "cohorts.hcc_min_rfg_score: Input should be greater than or equal to 0" in html
    assert "rfg.colour: Extra inputs are not permitted" in html
    assert '<a href="#id_config_json">The configuration cannot be used' in html
    assert '<details class="govuk-details" open>' in html  # the advanced section is opened to show it
    assert "&quot;colour&quot;: &quot;blue&quot;" in html  # what was typed is kept
    not_json = client_for("analyst").post("/cohort/runs/new/", _form(config_json="{nope")).content.decode()
    assert "The configuration cannot be used: not JSON" in not_json
    assert not SelectionRun.objects.exists()


def test_a_new_run_can_start_from_any_past_run(client_for, borough, start_run) -> None:
    old = start_run(cohorts={"hcc_min_rfg_score": 4})
    start_run(cohorts={"hcc_min_rfg_score": 11})
    html = client_for("analyst").get(f"/cohort/runs/new/?from={old.pk}").content.decode()
    assert _value(html, "hcc_min_rfg_score") == "4"
