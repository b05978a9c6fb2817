"""Needs assessments, the action plan and interventions, with their guards."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from openiom.cases.constants import ActionStatus, InterventionStatus, NeedLevel, Pathway
from openiom.cases.locking import CaseError, StaleEditError
from openiom.cases.plans import (
    NeedInput,
    add_action,
    eligibility_problems,
    move_intervention,
    record_assessment,
    record_sessions,
    refer_to_service,
    set_action_status,
    update_action,
)
from openiom.cases.selectors import cohort_needs, my_actions, needs_history
from openiom.directory.models import Service

pytestmark = pytest.mark.django_db

ALL_NONE = {p: NeedInput(NeedLevel.NONE) for p in Pathway.values}


def needs(**levels: str) -> dict[str, NeedInput]:
    return {**ALL_NONE, **{p: NeedInput(level, linked_to_offending=level != "none") for p, level in levels.items()}}


def test_an_assessment_needs_every_pathway(make_case, partnership, today):
    case = make_case()
    partial = {p: NeedInput("low") for p in Pathway.values if p != Pathway.HEALTH}
    with pytest.raises(CaseError, match="missing: Health"):
        record_assessment(case=case, by=partnership["offender_manager"], needs=partial)
    with pytest.raises(CaseError, match="no need cannot be linked"):
        record_assessment(
            case=case, by=partnership["offender_manager"], needs={**ALL_NONE, "ete": NeedInput("none", True)}
        )
    with pytest.raises(CaseError, match="in the future"):
        record_assessment(case=case, by=partnership["offender_manager"], needs=ALL_NONE, assessed_on=date(2026, 12, 1))
    assert case.assessments.count() == 0


def test_reassessment_shows_change_over_time_and_feeds_cohort_needs(make_case, partnership, today):
    om = partnership["offender_manager"]
    first, second = make_case(), make_case()
    record_assessment(case=first, by=om, needs=needs(accommodation="high", drugs_alcohol="medium"),
                      assessed_on=date(2026, 7, 1))  # fmt: skip
    record_assessment(case=first, by=om, needs=needs(accommodation="low", drugs_alcohol="high"))
    record_assessment(case=second, by=om, needs=needs(accommodation="medium", ete="low"))
    assessments, rows = needs_history(first)
    assert [a.assessed_on for a in assessments] == [date(2026, 7, 1), today]
    accommodation = dict(rows)["Accommodation"]
    assert [n.level for n in accommodation if n] == ["high", "low"]
    # Latest assessments only, medium or high: accommodation (second case), drugs (first case).
    assert cohort_needs() == {"accommodation": 1, "drugs_alcohol": 1}


def test_actions_owned_by_another_agency_involve_it(make_case, partnership, today):
    case = make_case()
    practitioner = partnership["partner_practitioner"]
    with pytest.raises(CaseError, match="already passed"):
        add_action(case=case, pathway="accommodation", description="Find a flat", owner=practitioner,
                   due_on=today - timedelta(days=1), by=partnership["offender_manager"])  # fmt: skip
    with pytest.raises(CaseError, match="role that manages cases"):
        add_action(case=case, pathway="accommodation", description="x", owner=partnership["analyst"], due_on=today,
                   by=partnership["offender_manager"])  # fmt: skip
    action = add_action(case=case, pathway="accommodation", description="Find a flat", owner=practitioner,
                        due_on=today + timedelta(days=14), by=partnership["offender_manager"])  # fmt: skip
    assert action.owner_agency.code == "housing"
    assert case.involvements.filter(agency__code="housing", ended_on__isnull=True).exists()


def test_action_status_moves_and_overdue_visibility(make_case, partnership, today):
    om, practitioner = partnership["offender_manager"], partnership["partner_practitioner"]
    case = make_case()
    action = add_action(case=case, pathway="ete", description="CV workshop", owner=practitioner, due_on=today, by=om)
    with pytest.raises(CaseError, match="say why"):
        set_action_status(action=action, status=ActionStatus.CANCELLED, by=om, version=action.version)
    action = set_action_status(action=action, status=ActionStatus.DONE, by=practitioner, version=action.version)
    assert action.completed_on == today
    with pytest.raises(CaseError, match="cannot be marked cancelled"):
        set_action_status(action=action, status=ActionStatus.CANCELLED, by=om, version=action.version, outcome="x")
    with pytest.raises(CaseError, match="only open actions"):
        update_action(action=action, version=action.version, by=om, description="x", owner=practitioner, due_on=today)
    action = set_action_status(action=action, status=ActionStatus.IN_PROGRESS, by=om, version=action.version)
    assert action.completed_on is None
    # Overdue tomorrow: the owner sees it as theirs, the lead professional as overdue on their case.
    tomorrow = today + timedelta(days=1)
    assert [a.pk for a in my_actions(practitioner, tomorrow).owned] == [action.pk]
    assert my_actions(practitioner, tomorrow).overdue_count == 1
    assert [a.pk for a in my_actions(om, tomorrow).overdue_on_my_cases] == [action.pk]
    assert my_actions(om, today).overdue_on_my_cases == []


def test_a_stale_action_edit_is_refused(make_case, partnership, today):
    om = partnership["offender_manager"]
    action = add_action(case=make_case(), pathway="ete", description="CV", owner=om, due_on=today, by=om)
    v = action.version
    update_action(action=action, version=v, by=om, description="CV and interview practice", owner=om, due_on=today)
    with pytest.raises(StaleEditError, match="this action"):
        set_action_status(action=action, status=ActionStatus.DONE, by=om, version=v)
    action.refresh_from_db()
    assert (action.status, action.description) == (ActionStatus.OPEN, "CV and interview practice")


@pytest.fixture
def care_farm(db: None) -> Service:
    return Service.objects.create(
        name="SHIFT care farm", provider="Riverside Care Farm", pathways=["ete", "attitudes"], min_age=18,
        max_age=30, cohorts=["PPO", "HCC"], capacity=8,
    )  # fmt: skip


def test_eligibility_is_said_in_words(make_case, make_person, care_farm, today):
    older = make_case(person=make_person(date_of_birth=date(1980, 1, 1)), cohort="DIP")
    assert eligibility_problems(care_farm, older) == [
        "the service is for people aged up to 30 (they are 46)",
        "the service is for the Prolific and Priority Offender, High Crime Causer cohort(s) only",
    ]
    care_farm.gender = "F"
    assert "the service is for women only" in eligibility_problems(care_farm, make_case())


def test_an_intervention_from_referral_to_completion(make_case, make_person, care_farm, partnership, today):
    om = partnership["offender_manager"]
    case = make_case(person=make_person(date_of_birth=date(2001, 3, 3)))
    with pytest.raises(CaseError, match="does not work on health"):
        refer_to_service(case=case, service=care_farm, pathway="health", by=om)
    intervention = refer_to_service(case=case, service=care_farm, pathway="ete", by=om, referred_on=date(2026, 9, 1))
    with pytest.raises(CaseError, match="already a live referral"):
        refer_to_service(case=case, service=care_farm, pathway="attitudes", by=om)
    with pytest.raises(CaseError, match="referred cannot become completed"):
        move_intervention(intervention=intervention, status="completed", by=om, version=intervention.version)
    with pytest.raises(CaseError, match="before the referral"):
        move_intervention(intervention=intervention, status="ongoing", by=om, version=1, on=date(2026, 8, 31))
    with pytest.raises(CaseError, match="while an intervention is ongoing"):
        record_sessions(intervention=intervention, offered=1, attended=1, by=om, version=intervention.version)
    intervention = move_intervention(intervention=intervention, status=InterventionStatus.ONGOING, by=om,
                                     version=intervention.version, on=date(2026, 9, 8))  # fmt: skip
    with pytest.raises(CaseError, match="more sessions attended than offered"):
        record_sessions(intervention=intervention, offered=4, attended=5, by=om, version=intervention.version)
    intervention = record_sessions(intervention=intervention, offered=10, attended=8, by=om,
                                   version=intervention.version)  # fmt: skip
    intervention = move_intervention(intervention=intervention, status=InterventionStatus.COMPLETED, by=om,
                                     version=intervention.version, notes="Got a level 2 certificate")  # fmt: skip
    assert (intervention.started_on, intervention.ended_on) == (date(2026, 9, 8), today)
    assert intervention.notes == "Got a level 2 certificate"
    with pytest.raises(CaseError, match="completed cannot become ongoing"):
        move_intervention(intervention=intervention, status="ongoing", by=om, version=intervention.version)


def test_an_inactive_service_takes_no_referrals(make_case, care_farm, partnership, today):
    care_farm.is_active = False
    care_farm.save()
    with pytest.raises(CaseError, match="no longer takes referrals"):
        refer_to_service(case=make_case(), service=care_farm, pathway="ete", by=partnership["offender_manager"])
    assert not care_farm.interventions.exists()


def test_nothing_changes_on_a_closed_case(make_case, make_person, care_farm, partnership, today):
    from openiom.cases.services import close_case

    om = partnership["offender_manager"]
    case = make_case(person=make_person(date_of_birth=date(2001, 3, 3)))
    intervention = refer_to_service(case=case, service=care_farm, pathway="ete", by=om)
    intervention = move_intervention(intervention=intervention, status="ongoing", by=om, version=1)
    close_case(case=case, reason="Moved away", by=om)
    intervention.refresh_from_db()
    with pytest.raises(CaseError, match="the case is closed"):
        record_sessions(intervention=intervention, offered=2, attended=2, by=om, version=intervention.version)
    with pytest.raises(CaseError, match="the case is closed"):
        add_action(case=case, pathway="ete", description="x", owner=om, due_on=today, by=om)
