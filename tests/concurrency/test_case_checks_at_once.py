"""Changes to one case whose check passed for both of two people at once (found by the gap check).

Each of these service functions checks something ("already involved", "already linked", "must stay in one
cohort") and then writes. Two people at once both passed the check before either wrote, so both wrote: a
duplicate, a case in no cohort, or an error page from the database's unique index. Each now takes the
case's row first (`cases.services.require_open`), so the second waits, then sees the first's change and
is refused in the same words as when it comes later.

The first is held just before its write (after its check); the second must wait for it.

Two more were deadlocks: a change that wrote to the audit trail and then wanted the case's row, beside
one that held the case's row and then wrote to the audit trail (whose head row every writer takes in
turn). PostgreSQL broke them by failing one with "deadlock detected". Taking the case first removes them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from openiom.accounts.models import Agency, User
from openiom.cases import plans, services, victims
from openiom.cases.constants import Pathway, PromptKind, PromptStatus
from openiom.cases.locking import CaseError
from openiom.cases.models import Case, CohortMembership, Intervention, Involvement, ReviewPrompt, Tier, Victim
from openiom.directory.models import Service
from openiom.sharing.constants import Category
from openiom.sharing.models import Consent
from openiom.sharing.services import SharingError, record_consent
from tests.cases.case_world import CaseWorld
from tests.concurrency.racing import Hold, Race, race, requires_postgresql

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]


def _second_offender_manager(om: User) -> User:
    """Another offender manager at probation: the same rights as `om` on the case."""
    colleague = User.objects.create(email="second.om@openiom.test", full_name="Second Officer", agency=om.agency)
    colleague.roles.set(om.roles.all())
    return colleague


def _one_refused(result: Race, error: type[Exception], words: str) -> None:
    """The first went through; the second waited for it and was then refused with `words`."""
    assert result.first.error is None, result.first.error
    assert isinstance(result.second.error, error), result.second.error
    assert words in str(result.second.error)
    assert result.second_waited


def test_two_changes_to_one_case_at_once_take_turns(
    subtests: Any, world: CaseWorld, make_case: Callable[..., Case], tiers: dict[int, Tier]
) -> None:
    om, police = world.users["offender_manager"], world.users["police_officer"]
    colleague = _second_offender_manager(om)

    with subtests.test("the last two cohorts ended at once"):
        case = make_case()
        services.add_membership(case=case, cohort="HCC", by=om, started_on=date(2026, 7, 1))
        ppo, hcc = CohortMembership.objects.filter(case=case).order_by("pk")
        result = race(
            lambda: services.end_membership(membership=ppo, by=om, reason="No longer prolific"),
            lambda: services.end_membership(membership=hcc, by=police, reason="No longer a high crime causer"),
            hold=Hold(r'^UPDATE "cases_cohortmembership"', after=False),
        )
        _one_refused(result, CaseError, "an open case must stay in at least one cohort")
        assert CohortMembership.objects.filter(case=case, ended_on__isnull=True).count() == 1

    with subtests.test("the same organisation added twice at once"):
        case, yot = make_case(), Agency.objects.get(code="yot")
        result = race(
            lambda: services.add_involvement(case=case, agency=yot, by=om, role="Transition"),
            lambda: services.add_involvement(case=case, agency=yot, by=police, role="Youth work"),
            hold=Hold(r'^INSERT INTO "cases_involvement"', after=False),
        )
        _one_refused(result, CaseError, "is already involved in this case")
        assert [i.role for i in Involvement.objects.filter(case=case, agency=yot)] == ["Transition"]

    with subtests.test("the same service referred to twice at once"):
        case = make_case()
        hostel = Service.objects.create(name="Night shelter", provider="Riverside Housing", pathways=["accommodation"])
        result = race(
            lambda: plans.refer_to_service(case=case, service=hostel, pathway=Pathway.ACCOMMODATION, by=om),
            lambda: plans.refer_to_service(case=case, service=hostel, pathway=Pathway.ACCOMMODATION, by=colleague),
            hold=Hold(r'^INSERT INTO "cases_intervention"', after=False),
        )
        _one_refused(result, CaseError, "there is already a live referral to Night shelter")
        assert Intervention.objects.filter(case=case, service=hostel).count() == 1

    with subtests.test("the same victim linked twice at once"):
        result = race(
            lambda: victims.add_victim(case=world.case, by=om, label="Victim B", repeat=True),
            lambda: victims.add_victim(case=world.case, by=colleague, label="victim b", vulnerable=True),
            hold=Hold(r'^INSERT INTO "cases_victim"', after=False),
        )
        _one_refused(result, CaseError, "a victim called 'victim b' is already linked to this case")
        assert Victim.objects.filter(case=world.case, label__iexact="victim b").count() == 1

    with subtests.test("the same consent recorded twice at once"):
        person = world.case.person
        result = race(
            lambda: record_consent(person=person, category=Category.HEALTH, by=om),
            lambda: record_consent(person=person, category=Category.HEALTH, by=colleague),
            hold=Hold(r'^INSERT INTO "sharing_consent"', after=False),
        )
        _one_refused(result, SharingError, "already recorded and has not been withdrawn")
        assert Consent.objects.current().filter(person=person, category=Category.HEALTH).count() == 1

    # Changes that take the case and the audit trail's head in either order: no deadlock.

    with subtests.test("a cohort ended while the case details are saved"):
        case = make_case()
        services.add_membership(case=case, cohort="HCC", by=om, started_on=date(2026, 7, 1))
        ppo = CohortMembership.objects.get(case=case, cohort="PPO")
        result = race(
            lambda: services.update_case(
                case=case, version=case.version, by=om, statutory=True, rosh_level="medium", framework=""
            ),
            lambda: services.end_membership(membership=ppo, by=police, reason="No longer prolific"),
            hold=Hold(r'^UPDATE "cases_case" SET "version"'),
        )
        assert result.first.error is None, result.first.error
        assert result.second.error is None, result.second.error
        assert result.second_waited
        case.refresh_from_db()
        assert (case.rosh_level, case.cohort, case.version) == ("medium", "HCC", 3)  # both changes, one after the other

    with subtests.test("a review recorded while the case moves up"):
        prompt = world.prompt
        result = race(
            lambda: services.resolve_prompt(prompt=prompt, by=police, resolution="Arrest was a mistake: no move"),
            lambda: services.change_tier(
                case=world.case, tier=tiers[1], by=om, reason="Arrested for burglary", version=world.case.version
            ),
            hold=Hold(r'FROM "cases_reviewprompt" .*FOR (NO KEY )?UPDATE'),
        )
        assert result.first.error is None, result.first.error
        assert result.second.error is None, result.second.error
        assert result.second_waited
        prompt = ReviewPrompt.objects.get(pk=prompt.pk)
        assert (prompt.status, prompt.resolution, prompt.kind) == (
            PromptStatus.RESOLVED,
            "Arrest was a mistake: no move",  # the review's own words, not overwritten by the move
            PromptKind.ESCALATION,
        )
        assert world.fresh().tier == tiers[1]
