"""Cohort pages: who may see and do what, results with filters and sorting, explanations, fairness, compare."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.test import Client

from openiom.accounts.services import create_api_token
from openiom.cohort.models import SelectionRun
from tests.conftest import PERSONAS

CAN_VIEW = {"iom_coordinator", "police_officer", "analyst"}
CAN_RUN = {"iom_coordinator", "analyst"}

# (what, method, path, capability needed). {run} and {person} are filled in; "view" or "run".
PAGES = (
    ("runs list", "get", "/cohort/", "view"),
    ("new run form", "get", "/cohort/runs/new/", "run"),
    ("run results", "get", "/cohort/runs/{run}/", "view"),
    ("exclusions", "get", "/cohort/runs/{run}/exclusions/", "view"),
    ("fairness", "get", "/cohort/runs/{run}/fairness/", "view"),
    ("settings and data", "get", "/cohort/runs/{run}/settings/", "view"),
    ("explanation", "get", "/cohort/runs/{run}/people/{person}/", "view"),
    ("compare", "get", "/cohort/compare/?a={run}&b={run2}", "view"),
    ("export", "post", "/cohort/runs/{run}/export/", "run"),
)
API = (
    ("api runs", "get", "/api/v1/selection-runs", "view"),
    ("api run", "get", "/api/v1/selection-runs/{run}", "view"),
    ("api nominations", "get", "/api/v1/selection-runs/{run}/nominations", "view"),
    ("api explanation", "get", "/api/v1/selection-runs/{run}/people/{person}/explanation", "view"),
    ("api start run", "post", "/api/v1/selection-runs", "run"),
)


def _allowed(persona: str, needs: str) -> bool:
    return persona in (CAN_VIEW if needs == "view" else CAN_RUN)


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix_for_pages_and_api(client_for, partnership, borough, start_run, persona: str) -> None:
    run, run2 = start_run(), start_run(label="second")
    fill = {"run": run.pk, "run2": run2.pk, "person": borough.key("Adam")}
    client = client_for(persona)
    seen, expected = {}, {}
    for what, method, path, needs in PAGES:
        url = path.format(**fill)
        response = client.post(url, {"export": "all"}) if method == "post" else client.get(url)
        seen[what] = response.status_code
        expected[what] = 200 if _allowed(persona, needs) else 403
    _t, raw = create_api_token(user=partnership[persona], name="matrix")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    for what, method, path, needs in API:
        url = path.format(**fill)
        if method == "post":
            response = api.post(url, {"as_of": "2026-06-30"}, content_type="application/json")
            ok = 201
        else:
            response = api.get(url)
            ok = 200
        seen[what] = response.status_code
        expected[what] = ok if _allowed(persona, needs) else 403
    assert seen == expected


def test_anonymous_users_are_sent_to_sign_in(db) -> None:
    response = Client().get("/cohort/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_runs_list_shows_each_run_with_its_counts(client_for, borough, start_run) -> None:
    start_run(label="October panel")
    html = client_for("police_officer").get("/cohort/").content.decode()
    assert "October panel" in html
    assert "Start a new selection run" not in html  # police officers see runs but do not start them
    assert "Finished" in html
    assert client_for("analyst").get("/cohort/").content.decode().count("Start a new selection run") == 1


def test_results_default_to_the_nominations_and_filter_and_sort(client_for, borough, start_run) -> None:
    run = start_run()
    client = client_for("analyst")

    def names(query: str = "") -> list[str]:
        response = client.get(f"/cohort/runs/{run.pk}/{query}")
        return [s.person.given_name for s in response.context["page_obj"]]

    assert names() == ["Adam", "Gina", "Dan"]
    assert names("?outcome=all") == ["Adam", "Gina", "Bella", "Eve", "Carl", "Fred", "Dan"]
    assert names("?outcome=excluded") == ["Carl"]
    assert names("?outcome=eligible") == ["Bella", "Eve"]
    assert names("?outcome=not_eligible") == ["Fred"]
    assert names("?outcome=all&route=DYO") == ["Dan"]
    assert names("?outcome=all&cohort=PPO") == ["Bella"]
    assert names("?outcome=all&cohort=none") == ["Fred"]
    assert names("?outcome=all&framework=Flex") == ["Carl"]
    assert names("?outcome=all&custody=in") == ["Eve"]
    assert names("?outcome=all&sort=harm_days&dir=desc") == ["Eve", "Carl", "Adam", "Gina", "Dan", "Fred", "Bella"]
    assert names("?sort=rfg_score&dir=asc") == ["Dan", "Gina", "Adam"]
    assert names("?outcome=all&sort=rank") == ["Adam", "Dan", "Gina", "Bella", "Eve", "Carl", "Fred"]
    assert names("?outcome=all&sort=person&dir=desc&route=IOM")[0] == "Gina"  # then by given name: same family
    assert names("?sort=nonsense&outcome=nonsense") == ["Adam", "Gina", "Dan"]  # unknown values are ignored


def test_results_page_links_sort_headings_without_javascript_and_audits_who_is_shown(
    client_for, partnership, borough, start_run
) -> None:
    run = start_run()
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__purpose="selection").count()
    html = client_for("iom_coordinator").get(f"/cohort/runs/{run.pk}/?sort=rfg_score&dir=desc").content.decode()
    assert (
        'aria-sort="descending"><a class="govuk-link govuk-link--no-visited-state" href="?sort=rfg_score&amp;dir=asc"'
        in html
    )
    assert 'href="?sort=harm_days&amp;dir=desc"' in html  # numbers sort highest first
    assert 'href="?sort=person&amp;dir=asc"' in html
    assert 'data-module="moj-sortable-table"' in html  # one page: the browser may sort it too
    assert "Refer chosen nominations to the panel" in html
    assert f'name="person" type="checkbox" value="{borough.key("Adam")}"' in html
    assert "ADAM" not in html.upper().split("<TITLE>")[1].split("</TITLE>")[0]  # no names in the title
    after = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__purpose="selection")
    assert after.count() == before + 3  # the three nominated people shown
    assert {int(e.object_pk) for e in after.order_by("-pk")[:3]} == {
        borough.key("Adam"),
        borough.key("Gina"),
        borough.key("Dan"),
    }


def test_exclusions_page_gives_the_reason(client_for, borough, start_run) -> None:
    run = start_run()
    html = client_for("police_officer").get(f"/cohort/runs/{run.pk}/exclusions/").content.decode()
    assert "TESTPERSON, Carl" in html
    assert "MAPPA level 2: managed under MAPPA arrangements" in html
    assert "1 person excluded" in html


def test_explanation_page_explains_and_is_audited(client_for, partnership, borough, start_run) -> None:
    run = start_run()
    response = client_for("iom_coordinator").get(f"/cohort/runs/{run.pk}/people/{borough.key('Adam')}/")
    html = response.content.decode()
    assert "Adam TESTPERSON" in html
    assert "12 of 15: recency 5 × 1 + frequency 3 × 1 + gravity 4 × 1." in html
    assert "Ranked 1st of 3 ranked on the IOM route" in html
    assert f'href="/people/{borough.key("Adam")}/"' in html  # the co-ordinator may read people
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).latest("pk")
    assert (entry.content_type.model, entry.object_pk, entry.actor) == (
        "person",
        str(borough.key("Adam")),
        partnership["iom_coordinator"],
    )
    assert entry.additional_data == {"purpose": "selection"}
    analyst_html = client_for("analyst").get(f"/cohort/runs/{run.pk}/people/{borough.key('Adam')}/").content.decode()
    assert "/people/" not in analyst_html.split("main-content")[1]  # analysts cannot open person records
    assert client_for("analyst").get(f"/cohort/runs/{run.pk}/people/{borough.key('Hal')}/").status_code == 404


def test_settings_page_describes_the_configuration_in_words(client_for, borough, start_run) -> None:
    run = start_run(cohorts={"hcc_min_rfg_score": 8.5})
    html = client_for("analyst").get(f"/cohort/runs/{run.pk}/settings/").content.decode()
    assert "An RFG score of 8.5 or more" in html
    assert "2 IOM and 15 Deter Young Offenders" in html
    assert run.inputs_fingerprint in html
    assert "people managed under MAPPA at level 2 or 3" in html


def test_an_unfinished_run_shows_progress_and_polls(client_for, partnership) -> None:
    from openiom.jobs.models import Job

    job = Job.objects.create(
        owner=partnership["analyst"], kind="selection_run", title="Run", progress_done=1, progress_total=4
    )
    run = SelectionRun.objects.create(
        as_of="2026-06-30", config={}, created_by=partnership["analyst"], status="running", job=job
    )
    client = client_for("analyst")
    html = client.get(f"/cohort/runs/{run.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert 'value="25"' in html
    assert "your background jobs page" in html  # the analyst started it
    assert (
        "your background jobs page" not in client_for("iom_coordinator").get(f"/cohort/runs/{run.pk}/").content.decode()
    )
    fragment = client.get(f"/cohort/runs/{run.pk}/", headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith("{") is False
    assert '<div id="run-progress"' in fragment.content.decode()
    SelectionRun.objects.filter(pk=run.pk).update(status="succeeded")
    done = client.get(f"/cohort/runs/{run.pk}/", headers={"HX-Request": "true"})
    assert done.headers["HX-Refresh"] == "true"  # the whole page reloads with the results


def test_failed_run_page_says_why(client_for, partnership) -> None:
    run = SelectionRun.objects.create(
        as_of="2026-06-30",
        config={},
        created_by=partnership["analyst"],
        status="failed",
        error_message="The data changed while the run was scoring.",
    )
    html = client_for("analyst").get(f"/cohort/runs/{run.pk}/").content.decode()
    assert "This run failed and nothing from it was kept. The data changed while the run was scoring." in html
    assert f"/cohort/runs/new/?from={run.pk}" in html


def test_long_results_are_paged_and_sorted_by_the_server_only(client_for, borough, start_run, monkeypatch) -> None:
    monkeypatch.setattr("openiom.cohort.views.PAGE_SIZE", 2)
    run = start_run()
    client = client_for("analyst")
    first = client.get(f"/cohort/runs/{run.pk}/?outcome=all&sort=rfg_score&dir=desc")
    html = first.content.decode()
    assert [s.person.given_name for s in first.context["page_obj"]] == ["Eve", "Adam"]  # 12 each: more harm first
    # Sorting in the browser would sort this page only, so the enhancement is left off.
    assert "moj-sortable-table" not in html
    assert 'href="?outcome=all&amp;sort=rfg_score&amp;dir=desc&amp;page=2"' in html  # the next page keeps it all
    second = client.get(f"/cohort/runs/{run.pk}/?outcome=all&sort=rfg_score&dir=desc&page=2")
    assert [s.person.given_name for s in second.context["page_obj"]] == ["Carl", "Gina"]
