"""A selection run end to end on the hand-made borough (see conftest): stored rows, counts, explanations.

Runs on the database the suite runs on: DuckDB over SQLite's tables, or inside PostgreSQL.
"""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from openiom.analytics import ConfigError
from openiom.cohort.adapter import inputs_fingerprint
from openiom.cohort.constants import Outcome, RunStatus
from openiom.cohort.models import ScoredPerson, SelectionRun
from openiom.cohort.selectors import explanation_for, scored_person
from openiom.cohort.services import start_selection_run
from openiom.jobs.constants import JobStatus
from openiom.people.linking import merge_people
from openiom.people.models import Person

# (name, route, rank, nominated, outcome, cohort, framework, RFG score, harm days, in custody, pre-release)
EXPECTED = {
    ("Adam", "IOM", 1, True, "nominated", "HCC", "Fixed", 12.0, 275.5, False, False),
    ("Gina", "IOM", 2, True, "nominated", "HCC", "Fixed", 11.0, 25.0, False, False),
    ("Bella", "IOM", 3, False, "eligible", "PPO", "Free", 5.0, 1.0, False, False),
    ("Carl", "IOM", None, False, "excluded", "HCC", "Flex", 11.0, 365.0, False, False),
    ("Dan", "DYO", 1, True, "nominated", "DYO", "Free", 6.0, 2.0, False, False),
    ("Eve", "IOM", None, False, "eligible", "HCC", "Fixed", 12.0, 367.0, True, True),
    ("Fred", "IOM", None, False, "not_eligible", "", "Free", 3.0, 2.0, False, False),
}


def test_run_stores_one_row_per_scored_person_as_worked_out_by_hand(borough, start_run) -> None:
    run = start_run(label="Hand-made")
    assert run.status == RunStatus.SUCCEEDED, run.error_message
    rows = {
        (
            s.person.given_name,
            s.route,
            s.rank,
            s.nominated,
            s.outcome,
            s.cohort,
            s.framework,
            s.rfg_score,
            s.harm_days,
            s.in_custody,
            s.pre_release_planning,
        )
        for s in run.scores.select_related("person")
    }
    assert rows == EXPECTED
    assert (run.population, run.eligible, run.nominated, run.excluded) == (7, 5, 3, 1)
    assert run.engine == ("postgresql" if connection.vendor == "postgresql" else "duckdb")
    assert run.label == "Hand-made"
    assert run.job is not None
    assert run.job.status == JobStatus.SUCCEEDED
    assert run.job.result["link_url"] == f"/cohort/runs/{run.pk}/"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: the scoring runs in the database")
def test_on_postgresql_the_scoring_runs_on_djangos_connection_and_leaves_no_tables(borough, start_run) -> None:
    def temporary_tables() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_class WHERE relpersistence = 't' AND relkind = 'r'")
            return int(cursor.fetchone()[0])

    before = temporary_tables()
    run = start_run()
    # The people were created in this test's transaction, which is not committed: a second
    # connection would not see them, so 7 scored people proves the scoring used this one.
    assert (run.engine, run.population) == ("postgresql", 7)
    assert temporary_tables() == before  # the offence vocabulary's temporary table is dropped


def test_named_queries_give_nominations_in_rank_order_and_exclusions(borough, start_run) -> None:
    run = start_run()
    assert [s.person.given_name for s in run.scores.nominations()] == ["Adam", "Gina", "Dan"]
    excluded = list(run.scores.exclusions())
    assert [(s.person.given_name, s.exclusion) for s in excluded] == [
        ("Carl", "MAPPA level 2: managed under MAPPA arrangements")
    ]


def test_run_keeps_its_configuration_fingerprint_and_whole_rows(borough, start_run) -> None:
    run = start_run(cohorts={"hcc_min_rfg_score": 10})
    assert run.config["nominations_wanted"] == 2
    assert run.config["cohorts"]["hcc_min_rfg_score"] == 10
    assert run.config["lookback_days"] == 365  # the defaults are stored too, not just what was changed
    assert run.inputs_fingerprint == inputs_fingerprint()
    adam = run.scores.get(person=borough["Adam"])
    assert adam.components["window_start"] == "2025-07-01"  # dates as ISO strings
    assert adam.row()["window_start"] == date(2025, 7, 1)  # and back again for the explanation
    assert adam.components["gender"] == "M"


def test_explanation_is_rebuilt_from_the_stored_row_with_the_right_numbers(borough, start_run) -> None:
    run = start_run()
    adam = {e.heading: e.text for e in explanation_for(scored_person(run, borough.key("Adam")))}
    assert "residential burglary on 20 Jun 2026, 10 days before the end of the window" in adam["Recency"]
    assert "3 counted offences" in adam["Frequency"]
    assert adam["RFG score"].startswith("12 of 15: recency 5 × 1 + frequency 3 × 1 + gravity 4 × 1")
    assert "Ranked 1st of 3 ranked on the IOM route" in adam["Outcome"]
    assert "nominated" in adam["Outcome"]
    bella = {e.heading: e.text for e in explanation_for(scored_person(run, borough.key("Bella")))}
    assert "Ranked 3rd of 3" in bella["Outcome"]
    assert "below the cut" in bella["Outcome"]
    dan = {e.heading: e.text for e in explanation_for(scored_person(run, borough.key("Dan")))}
    assert "Asset score 30 is 24 or more" in dan["Cohort"]
    carl = {e.heading: e.text for e in explanation_for(scored_person(run, borough.key("Carl")))}
    assert carl["Outcome"].startswith("Excluded: MAPPA level 2")
    eve = {e.heading: e.text for e in explanation_for(scored_person(run, borough.key("Eve")))}
    assert "pre-release planning" in eve["Outcome"]
    assert scored_person(run, borough.key("Hal")) is None  # nothing counted: not in the offending population


def test_a_past_run_explains_itself_the_same_after_the_data_and_defaults_change(borough, start_run) -> None:
    run = start_run()
    before = explanation_for(scored_person(run, borough.key("Adam")))
    borough["Adam"].records.get().offences.filter(offence_code="shoplifting").update(offence_code="homicide")
    assert explanation_for(scored_person(run, borough.key("Adam"))) == before


def test_a_merge_after_the_run_keeps_the_scores_and_the_merge_works(borough, start_run) -> None:
    run = start_run()
    fred_key = borough.key("Fred")
    merge_people(borough["Adam"], borough["Fred"])  # Fred's Person is deleted by the merge
    assert not Person.objects.filter(pk=fred_key).exists()
    fred = scored_person(run, fred_key)
    assert fred is not None
    assert fred.person is None
    assert "Not eligible" in explanation_for(fred)[-1].text
    assert run.inputs_fingerprint != inputs_fingerprint()


def test_future_as_of_date_is_refused_before_anything_is_stored(partnership, today) -> None:
    with pytest.raises(ValidationError, match="today or in the past"):
        start_selection_run(user=partnership["analyst"], as_of=date(2026, 7, 2), config={})
    assert not SelectionRun.objects.exists()


def test_bad_configuration_is_refused_with_a_readable_message(partnership, today) -> None:
    with pytest.raises(ConfigError, match=r"cohorts\.hcc_min_rfg_score"):
        start_selection_run(
            user=partnership["analyst"], as_of=date(2026, 6, 30), config={"cohorts": {"hcc_min_rfg_score": -1}}
        )
    assert not SelectionRun.objects.exists()


def test_a_failed_run_keeps_no_rows_and_says_so_safely(borough, start_run) -> None:
    real_bulk_create = ScoredPerson.objects.bulk_create
    calls = []

    def fail_on_second_batch(objs, *args, **kwargs):
        calls.append(len(objs))
        if len(calls) == 2:
            raise RuntimeError("Adam Testperson broke it")
        return real_bulk_create(objs, *args, **kwargs)

    with (
        mock.patch("openiom.cohort.services.WRITE_BATCH", 3),
        mock.patch.object(ScoredPerson.objects, "bulk_create", side_effect=fail_on_second_batch),
    ):
        run = start_run()
    assert calls == [3, 3]
    assert run.status == RunStatus.FAILED
    assert "RuntimeError" in run.error_message
    assert "Adam" not in run.error_message
    assert not ScoredPerson.objects.filter(run=run).exists()  # the first batch was rolled back too
    assert run.job.status == JobStatus.FAILED


def test_data_changing_while_scoring_fails_the_run(borough, start_run) -> None:
    fingerprints = iter(["before", "after"])
    with mock.patch("openiom.cohort.services.inputs_fingerprint", side_effect=lambda: next(fingerprints)):
        run = start_run()
    assert run.status == RunStatus.FAILED
    assert run.error_message.startswith("The data changed while the run was scoring")
    assert not run.scores.exists()


def test_a_run_is_carried_out_once(borough, start_run) -> None:
    from openiom.cohort.services import execute_selection_run

    run = start_run()
    with pytest.raises(Exception, match="already been started"):
        execute_selection_run(run.pk, lambda *a: None)
    assert run.scores.count() == 7


def test_outcome_is_derived_once_from_the_scores() -> None:
    from openiom.cohort.constants import outcome_of

    assert outcome_of(nominated=False, eligible=False, exclusion="MAPPA level 2") == Outcome.EXCLUDED
    assert outcome_of(nominated=True, eligible=True, exclusion=None) == Outcome.NOMINATED
    assert outcome_of(nominated=False, eligible=True, exclusion=None) == Outcome.ELIGIBLE
    assert outcome_of(nominated=False, eligible=False, exclusion=None) == Outcome.NOT_ELIGIBLE


def _jit() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        return str(cursor.fetchone()[0])


def test_postgresql_jit_is_off_while_scoring_and_restored_after(db: None) -> None:
    from django.db import connection

    from openiom.cohort.adapter import scoring_inputs

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    before = _jit()
    with scoring_inputs():
        assert _jit() == "off"
    assert _jit() == before
