"""Selection runs, rejected or withdrawn referrals and decided possible matches: queued after their period,
removed whole (or anonymised where something needs them), recorded, nothing orphaned."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
import time_machine

from openiom.cohort.models import ScoredPerson, SelectionRun
from openiom.panels import models as pm
from openiom.people.models import MatchCandidate, Person, PersonMerge, PersonRecord
from openiom.retention.models import RetentionAction
from openiom.retention.selectors import review_queue
from openiom.retention.services import RetentionRefused, apply_retention
from tests.retention.test_case_retention import orphans

WHEN = "2020-03-02 12:00:00+00:00"


def queued(record_type: str, today: date) -> list[int]:
    group = next(g for g in review_queue(today) if g.rule.record_type == record_type)
    return [i.object_id for i in group.items]


def retain(record_type: str, obj: Any, partnership: dict[str, Any], today: date) -> RetentionAction:
    return apply_retention(
        record_type=record_type, object_id=obj.pk, by=partnership["administrator"], reason="Annual review",
        today=today,
    )  # fmt: skip


def person(n: int) -> Person:
    return Person.objects.create(
        given_name=f"Sam{n}", family_name="Example", date_of_birth=date(1990, 4, 5), gender="M", ethnicity="W"
    )


def record(p: Person, source: Any, n: int) -> PersonRecord:
    return PersonRecord.objects.create(
        source=source, source_person_id=f"R-{n}", person=p, given_name=p.given_name, family_name=p.family_name,
        date_of_birth=p.date_of_birth, gender="M", ethnicity="W",
    )  # fmt: skip


# --- Selection runs ---------------------------------------------------------------------------------


def score(run: SelectionRun, p: Person) -> ScoredPerson:
    return ScoredPerson.objects.create(
        run=run, person=p, person_key=p.pk, route="IOM", rank=1, nominated=True, eligible=True, outcome="nominated",
        framework="fixed", pre_release_planning=False, in_custody=False, rfg_score=1.0, harm_days=2.0, cost_gbp=3.0,
        age=30, components={"person_id": p.pk},
    )  # fmt: skip


@pytest.fixture
def old_run(partnership, agency) -> SelectionRun:
    with time_machine.travel(WHEN, tick=False):
        run = SelectionRun.objects.create(
            as_of=date(2020, 3, 1), config={}, status="succeeded", created_by=partnership["iom_coordinator"]
        )
        for n in range(3):
            p = person(n)
            record(p, agency("police"), n)
            score(run, p)
    return run


def test_a_run_enters_the_queue_six_years_after_it_was_made(old_run) -> None:
    assert old_run.pk not in queued("selection_run", date(2026, 3, 1))
    assert old_run.pk in queued("selection_run", date(2026, 3, 2))


def test_an_unfinished_run_is_never_due(old_run, partnership) -> None:
    SelectionRun.objects.filter(pk=old_run.pk).update(status="running")
    assert old_run.pk not in queued("selection_run", date(2040, 1, 1))
    with pytest.raises(RetentionRefused, match="no such record"):
        retain("selection_run", old_run, partnership, date(2040, 1, 1))


def test_a_run_goes_with_everyone_it_scored_and_decided_referrals_stop_pointing_at_it(
    old_run, partnership, panel_referral
) -> None:
    pm.Referral.objects.filter(pk=panel_referral.pk).update(selection_run=old_run)
    people_before = Person.objects.count()
    action = retain("selection_run", old_run, partnership, date(2026, 3, 2))
    assert not SelectionRun.objects.filter(pk=old_run.pk).exists()
    assert not ScoredPerson.objects.filter(run_id=old_run.pk).exists()
    panel_referral.refresh_from_db()
    assert panel_referral.selection_run is None
    assert Person.objects.count() == people_before  # the people scored are not the run's to delete
    assert orphans() == []
    assert (action.action, action.label) == ("deleted", f"Selection run {old_run.pk}")
    assert action.counts == {
        "cohort.ScoredPerson": 3, "cohort.SelectionRun": 1, "panels.Referral (unlinked)": 1,
    }  # fmt: skip
    with pytest.raises(RetentionRefused, match="no such record"):  # repeat-safe
        retain("selection_run", old_run, partnership, date(2026, 3, 2))
    assert RetentionAction.objects.count() == 1


def test_a_run_with_a_referral_still_waiting_for_the_panel_is_refused(old_run, partnership, panel_referral) -> None:
    pm.Referral.objects.filter(pk=panel_referral.pk).update(selection_run=old_run, status="on_agenda")
    with pytest.raises(RetentionRefused, match="still waiting for the panel's decision"):
        retain("selection_run", old_run, partnership, date(2030, 1, 1))
    assert ScoredPerson.objects.filter(run=old_run).count() == 3
    assert not RetentionAction.objects.exists()


# --- Referrals that never became cases ---------------------------------------------------------------


@pytest.fixture
def panel_referral(partnership, agency) -> pm.Referral:
    """A referral rejected by the panel on 2 March 2020, with its papers, decision, votes and an action."""
    users = partnership
    with time_machine.travel("2020-02-03 12:00:00+00:00", tick=False):
        panel = pm.Panel.objects.create(code="retention", name="Retention panel", chair_agency=agency("police"),
                                        chair_post="Inspector")  # fmt: skip
        meeting = pm.Meeting.objects.create(panel=panel, date=date(2020, 3, 2), start_time=time(10))
        p = person(99)
        referral = pm.Referral.objects.create(
            panel=panel, person=p, reason="Prolific", nominating_officer=users["offender_manager"],
            referred_by=users["offender_manager"], meeting=meeting, status="on_agenda",
        )  # fmt: skip
        pm.ReferralEvent.objects.create(referral=referral, by=users["offender_manager"], status="received")
        pm.Circulation.objects.create(kind="acknowledgement", referral=referral, meeting=meeting, subject="Ack")
        item = pm.AgendaItem.objects.create(meeting=meeting, position=1, kind="new_referral", referral=referral,
                                            title="New referral")  # fmt: skip
    with time_machine.travel(WHEN, tick=False):
        decision = pm.Decision.objects.create(
            item=item, outcome="reject", reasons="Not enough offending", votes_for=0, votes_against=4, abstentions=0,
            organisations_present=4, decided_by=users["iom_coordinator"],
        )  # fmt: skip
        pm.Vote.objects.create(decision=decision, agency=agency("police"), choice="against")
        pm.ActionPoint.objects.create(
            meeting=meeting, item=item, description="Tell the referrer", owner=users["iom_coordinator"],
            owner_agency=agency("police"), due_date=date(2020, 3, 9), created_by=users["iom_coordinator"],
        )  # fmt: skip
        pm.Referral.objects.filter(pk=referral.pk).update(status="rejected")
        pm.ReferralEvent.objects.create(referral=referral, by=users["iom_coordinator"], status="rejected")
    return referral


def test_a_rejected_referral_enters_the_queue_two_years_after_the_decision(panel_referral) -> None:
    assert panel_referral.pk not in queued("unselected_referral", date(2022, 3, 1))
    assert panel_referral.pk in queued("unselected_referral", date(2022, 3, 2))


def test_a_decision_after_the_last_status_change_is_what_counts(panel_referral) -> None:
    pm.Decision.objects.filter(item__referral=panel_referral).update(decided_at="2020-06-01T12:00:00+00:00")
    assert panel_referral.pk not in queued("unselected_referral", date(2022, 5, 31))
    assert panel_referral.pk in queued("unselected_referral", date(2022, 6, 1))


@pytest.mark.parametrize("status", ["received", "on_agenda", "deferred", "selected"])
def test_open_or_selected_referrals_are_never_due(panel_referral, partnership, status) -> None:
    pm.Referral.objects.filter(pk=panel_referral.pk).update(status=status)
    assert panel_referral.pk not in queued("unselected_referral", date(2040, 1, 1))
    with pytest.raises(RetentionRefused, match="no such record"):
        retain("unselected_referral", panel_referral, partnership, date(2040, 1, 1))


def test_a_rejected_referral_goes_with_its_history_decision_and_papers(panel_referral, partnership) -> None:
    meeting, person_id = panel_referral.meeting, panel_referral.person_id
    action = retain("unselected_referral", panel_referral, partnership, date(2022, 3, 2))
    assert not pm.Referral.objects.filter(pk=panel_referral.pk).exists()
    assert not pm.ReferralEvent.objects.filter(referral_id=panel_referral.pk).exists()
    assert not pm.AgendaItem.objects.filter(meeting=meeting).exists()
    assert not pm.Decision.objects.exists()
    assert not pm.Vote.objects.exists()
    assert not pm.Circulation.objects.filter(referral_id=panel_referral.pk).exists()
    # The meeting and its action points are the meeting's record and stay.
    assert pm.ActionPoint.objects.get().item is None
    # The person referred had nothing else held on them.
    assert not Person.objects.filter(pk=person_id).exists()
    assert orphans() == []
    assert (action.action, action.label, action.due_on) == ("deleted", f"Panel referral {panel_referral.pk}",
                                                             date(2022, 3, 2))  # fmt: skip
    assert action.counts == {
        "panels.ActionPoint (unlinked)": 1, "panels.AgendaItem": 1, "panels.Circulation": 1, "panels.Decision": 1,
        "panels.Referral": 1, "panels.ReferralEvent": 2, "panels.Vote": 1, "people.Person": 1,
    }  # fmt: skip
    with pytest.raises(RetentionRefused, match="no such record"):  # repeat-safe
        retain("unselected_referral", panel_referral, partnership, date(2022, 3, 2))


def test_a_referred_person_with_agency_records_stays(panel_referral, partnership, agency) -> None:
    record(panel_referral.person, agency("police"), 1)
    retain("unselected_referral", panel_referral, partnership, date(2022, 3, 2))
    assert Person.objects.filter(pk=panel_referral.person_id).exists()


def test_a_withdrawn_referral_too_but_not_before_its_period(panel_referral, partnership) -> None:
    pm.Referral.objects.filter(pk=panel_referral.pk).update(status="withdrawn")
    with pytest.raises(RetentionRefused, match="Not yet past its retention period: kept 24 months from 2 March 2020"):
        retain("unselected_referral", panel_referral, partnership, date(2022, 3, 1))
    assert pm.Referral.objects.filter(pk=panel_referral.pk).exists()
    retain("unselected_referral", panel_referral, partnership, date(2022, 3, 2))
    assert not pm.Referral.objects.filter(pk=panel_referral.pk).exists()


# --- Decided possible matches ------------------------------------------------------------------------


@pytest.fixture
def pair(db, agency) -> MatchCandidate:
    with time_machine.travel(WHEN, tick=False):
        a, b = person(1), person(2)
        ra, rb = record(a, agency("police"), 1), record(b, agency("probation"), 2)
        return MatchCandidate.objects.create(record_a=ra, record_b=rb, probability=0.8)


def decide(candidate: MatchCandidate, status: str) -> None:
    MatchCandidate.objects.filter(pk=candidate.pk).update(
        status=status, reason="Same date of birth, different middle name", decided_at="2020-03-02T12:00:00+00:00"
    )


def test_an_open_match_is_never_due(pair, partnership) -> None:
    assert pair.pk not in queued("match_candidate", date(2040, 1, 1))
    with pytest.raises(RetentionRefused, match="no such record"):
        retain("match_candidate", pair, partnership, date(2040, 1, 1))


def test_a_same_person_decision_goes_a_year_on_and_the_merge_stops_pointing_at_it(pair, partnership) -> None:
    decide(pair, "same")
    merge = PersonMerge.objects.create(kept=pair.record_a.person, candidate=pair)
    assert pair.pk not in queued("match_candidate", date(2021, 3, 1))
    assert pair.pk in queued("match_candidate", date(2021, 3, 2))
    action = retain("match_candidate", pair, partnership, date(2021, 3, 2))
    assert not MatchCandidate.objects.filter(pk=pair.pk).exists()
    merge.refresh_from_db()
    assert merge.candidate is None
    assert PersonRecord.objects.count() == 2
    assert orphans() == []
    assert action.counts == {"people.MatchCandidate": 1, "people.PersonMerge (unlinked)": 1}
    with pytest.raises(RetentionRefused, match="no such record"):
        retain("match_candidate", pair, partnership, date(2021, 3, 2))


def test_a_different_people_decision_is_kept_without_its_reasons(pair, partnership) -> None:
    decide(pair, "different")
    action = retain("match_candidate", pair, partnership, date(2021, 3, 2))
    pair.refresh_from_db()
    # Still "different": the linkage run reads it to keep the two records apart.
    assert (pair.status, pair.reason) == ("different", "Anonymised")
    assert (action.action, action.counts) == ("anonymised", {"people.MatchCandidate (anonymised)": 1})
    assert pair.pk not in queued("match_candidate", date(2040, 1, 1))  # done: out of the queue
    with pytest.raises(RetentionRefused, match="no such record"):
        retain("match_candidate", pair, partnership, date(2021, 3, 2))


def test_the_new_types_are_on_the_queue_page(pair, partnership, client_for) -> None:
    decide(pair, "same")
    with time_machine.travel("2021-04-01 12:00:00+00:00", tick=False):
        html = client_for("administrator").get("/administration/retention/").content.decode()
        review = client_for("administrator").get(f"/administration/retention/match_candidate/{pair.pk}/")
    assert "Finished selection runs" in html
    assert "Panel referrals rejected or withdrawn" in html
    assert f'href="/administration/retention/match_candidate/{pair.pk}/"' in html
    assert f"Possible match {pair.pk}" in review.content.decode()
