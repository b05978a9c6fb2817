"""The case itself: opening, cohorts, agencies, the lead professional and the pyramid, with their guards."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from openiom.cases.constants import CaseStatus, PromptKind, PromptStatus
from openiom.cases.locking import CaseError, StaleEditError
from openiom.cases.models import Case, ReviewPrompt
from openiom.cases.services import (
    add_involvement,
    add_membership,
    change_lead_professional,
    change_tier,
    close_case,
    end_involvement,
    end_membership,
    open_case,
    resolve_prompt,
    update_case,
)

pytestmark = pytest.mark.django_db


def test_opening_records_the_first_membership_and_placement(make_case, partnership, today):
    case = make_case(cohort="HCC", framework="Fixed")
    membership = case.memberships.get()
    assert (membership.cohort, membership.framework, membership.started_on) == ("HCC", "Fixed", date(2026, 6, 1))
    placement = case.tier_changes.get()
    assert placement.from_tier is None
    assert placement.to_tier.level == 2
    assert placement.direction == "placed"
    assert timezone.localdate(placement.at) == date(2026, 6, 1), "placed on the day the case opened"
    assert case.lead_agency.code == "probation"


def test_a_second_open_case_for_the_same_person_is_refused(make_case, make_person, today):
    person = make_person()
    make_case(person=person)
    with pytest.raises(CaseError, match="already has an open IOM case"):
        make_case(person=person)


def test_the_lead_professional_must_manage_cases(make_person, tiers, partnership, today):
    with pytest.raises(CaseError, match="role that manages cases"):
        open_case(person=make_person(), cohort="PPO", tier=tiers[1], lead_professional=partnership["analyst"])


def test_closing_ends_memberships_and_resolves_prompts(make_case, partnership, today):
    case = make_case()
    ReviewPrompt.objects.create(case=case, kind=PromptKind.ESCALATION, reason="r", key="k")
    with pytest.raises(CaseError, match="give the reason"):
        close_case(case=case, reason="  ")
    close_case(case=case, reason="Completed licence", by=partnership["iom_coordinator"])
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closed_on == today
    assert case.memberships.get().ended_on == today
    assert case.prompts.get().status == PromptStatus.RESOLVED
    with pytest.raises(CaseError, match="already closed"):
        close_case(case=case, reason="again")
    with pytest.raises(CaseError, match="the case is closed"):
        add_membership(case=case, cohort="DIP", by=partnership["iom_coordinator"])


def test_memberships_in_several_cohorts_and_the_main_cohort_moving_on(make_case, partnership, today):
    by = partnership["offender_manager"]
    case = make_case(cohort="PPO")
    dip = add_membership(case=case, cohort="DIP", by=by, started_on=date(2026, 7, 1))
    with pytest.raises(CaseError, match="already in the Drug Interventions Programme cohort"):
        add_membership(case=case, cohort="DIP", by=by)
    with pytest.raises(CaseError, match="before the case opened"):
        add_membership(case=case, cohort="HCC", by=by, started_on=date(2026, 5, 31))
    with pytest.raises(CaseError, match="in the future"):
        add_membership(case=case, cohort="HCC", by=by, started_on=date(2026, 11, 25))
    ppo = case.memberships.get(cohort="PPO")
    end_membership(membership=ppo, by=by, reason="No longer meets the PPO criteria")
    case.refresh_from_db()
    assert case.cohort == "DIP", "the main cohort moves to the one still current"
    with pytest.raises(CaseError, match="at least one cohort"):
        end_membership(membership=dip, by=by, reason="x")
    with pytest.raises(CaseError, match="already ended"):
        end_membership(membership=ppo, by=by, reason="x")


def test_involvements_and_key_workers(make_case, partnership, agency, today):
    by = partnership["offender_manager"]
    case = make_case()
    housing = agency("housing")
    involvement = add_involvement(case=case, agency=housing, by=by, role="Resettlement")
    assert Case.objects.involving(housing).filter(pk=case.pk).exists()
    with pytest.raises(CaseError, match="already involved"):
        add_involvement(case=case, agency=housing, by=by)
    with pytest.raises(CaseError, match="does not work for"):
        add_involvement(case=case, agency=agency("police"), by=by, key_worker=partnership["partner_practitioner"])
    named = add_involvement(case=case, agency=housing, by=by, key_worker=partnership["partner_practitioner"])
    assert named.pk == involvement.pk
    assert named.key_worker == partnership["partner_practitioner"]
    assert Case.objects.worked_by(partnership["partner_practitioner"]).filter(pk=case.pk).exists()
    end_involvement(involvement=involvement, by=by)
    assert not Case.objects.involving(housing).filter(pk=case.pk).exists()
    with pytest.raises(CaseError, match="no longer involved"):
        end_involvement(involvement=involvement, by=by)


def test_changing_the_lead_keeps_the_old_agency_involved(make_case, partnership, today):
    case = make_case()
    police = partnership["police_officer"]
    with pytest.raises(CaseError, match="give the reason"):
        change_lead_professional(case=case, lead=police, by=police, reason="", version=case.version)
    case = change_lead_professional(case=case, lead=police, by=police, reason="Off licence", version=case.version)
    assert case.lead_agency.code == "police"
    assert case.involvements.filter(agency__code="probation", ended_on__isnull=True).exists()
    with pytest.raises(CaseError, match="already the lead professional"):
        change_lead_professional(case=case, lead=police, by=police, reason="x", version=case.version)


def test_moving_up_the_pyramid_resolves_the_escalation_prompt_only(make_case, tiers, partnership, today):
    by = partnership["offender_manager"]
    case = make_case(tier=2)
    up = ReviewPrompt.objects.create(case=case, kind=PromptKind.ESCALATION, reason="arrest", key="a")
    down = ReviewPrompt.objects.create(case=case, kind=PromptKind.DEESCALATION, reason="quiet", key="q")
    change = change_tier(case=case, tier=tiers[1], by=by, reason="Arrested for burglary", version=case.version)
    assert change.direction == "escalated"
    assert change.from_tier == tiers[2]
    up.refresh_from_db()
    down.refresh_from_db()
    assert up.status == PromptStatus.RESOLVED
    assert "Escalated from Tier 2" in up.resolution
    assert down.status == PromptStatus.OPEN
    case.refresh_from_db()
    assert case.tier == tiers[1]
    assert [t.direction for t in case.tier_changes.all()] == ["placed", "escalated"]


@pytest.mark.parametrize(
    ("level", "reason", "message"),
    [(2, "x", "already at Tier 2"), (1, " ", "give the reason"), (3, "x", "not in use")],
)
def test_illegal_tier_moves_are_refused(make_case, tiers, partnership, today, level, reason, message):
    case = make_case(tier=2)
    tiers[3].is_active = False
    tiers[3].save()
    with pytest.raises(CaseError, match=message):
        change_tier(case=case, tier=tiers[level], by=partnership["offender_manager"], reason=reason, version=1)
    assert case.tier_changes.count() == 1


def test_resolving_a_prompt_without_a_move(make_case, partnership, today):
    case = make_case()
    prompt = ReviewPrompt.objects.create(case=case, kind=PromptKind.ESCALATION, reason="arrest", key="a")
    with pytest.raises(CaseError, match="say what the review decided"):
        resolve_prompt(prompt=prompt, by=partnership["offender_manager"], resolution="")
    resolve_prompt(prompt=prompt, by=partnership["offender_manager"], resolution="NFA; stays at tier 2")
    with pytest.raises(CaseError, match="already been recorded"):
        resolve_prompt(prompt=prompt, by=partnership["offender_manager"], resolution="again")


def test_two_edits_from_the_same_version_the_second_is_refused(make_case, tiers, partnership, today):
    """Optimistic locking: both start from version 1; the second save would silently undo the first."""
    case = make_case()
    seen_by_both = case.version
    update_case(case=case, version=seen_by_both, by=partnership["offender_manager"], statutory=True,
                rosh_level="high", framework="Fixed")  # fmt: skip
    with pytest.raises(StaleEditError, match="Someone else changed this case"):
        update_case(case=case, version=seen_by_both, by=partnership["police_officer"], statutory=False,
                    rosh_level="low", framework="")  # fmt: skip
    with pytest.raises(StaleEditError):
        change_tier(case=case, tier=tiers[1], by=partnership["police_officer"], reason="x", version=seen_by_both)
    case.refresh_from_db()
    assert (case.statutory, case.rosh_level, case.framework, case.tier.level) == (True, "high", "Fixed", 2)
    assert case.version == seen_by_both + 1
