"""The demo's case management: built on a database with only the partnership and a few people, through
the service functions, the same every time, with something on every demo user's "My cases"."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from openiom.cases.constants import ContactOutcome, EnforcementKind, PromptKind, PromptStatus
from openiom.cases.demo import seed_demo_cases
from openiom.cases.models import Assessment, Case, Contact, Enforcement, Intervention, PlanAction, ReviewPrompt
from openiom.cases.selectors import my_cases
from openiom.directory.models import Service

pytestmark = pytest.mark.django_db

BIRTHS = [date(1988, 3, 1), date(1995, 7, 9), date(2010, 2, 2), date(1979, 11, 30), date(2001, 5, 5),
          date(1992, 1, 15), date(2009, 9, 9), date(1985, 6, 21)]  # fmt: skip


@pytest.fixture
def people(make_person, today):
    return [
        make_person(given_name=f"Demo{n}", family_name=f"Person{n}", date_of_birth=born, gender="MF"[n % 2])
        for n, born in enumerate(BIRTHS)
    ]


def _snapshot() -> list[tuple[object, ...]]:
    return [
        (
            c.person_id,
            c.cohort,
            c.tier.level,
            c.lead_professional.email,
            c.opened_on,
            c.assessments.count(),
            c.actions.count(),
            c.interventions.count(),
            c.contacts.count(),
        )
        for c in Case.objects.select_related("tier", "lead_professional").order_by("person_id")
    ]


def test_the_demo_cases_build_on_an_empty_database(people, partnership, today):
    assert not Case.objects.exists()
    summary = seed_demo_cases()
    cases = list(Case.objects.open())
    assert summary.created == len(cases) == len(people)
    # Young people are Deter Young Offenders cases led by the YOT; adults mostly by probation.
    young = {p.pk for p in people if p.age_on(today) < 18}
    assert {c.person_id for c in cases if c.cohort == "DYO"} == young
    assert {c.lead_professional.email for c in cases if c.cohort == "DYO"} == {partnership["yot_worker"].email}
    # Needs assessments, with a reassessment for most cases.
    assert all(c.assessments.exists() for c in cases)
    assert sum(c.assessments.count() > 1 for c in cases) >= len(cases) // 2
    # Plans with some actions overdue, referrals to the demo directory.
    assert PlanAction.objects.overdue(today).exists()
    assert Intervention.objects.exists()
    assert set(Intervention.objects.values_list("service_id", flat=True)) <= set(
        Service.objects.values_list("pk", flat=True)
    )
    # Contacts over months with a realistic mix of outcomes; the next appointment booked.
    outcomes = Counter(Contact.objects.values_list("outcome", flat=True))
    assert outcomes[ContactOutcome.ATTENDED] > outcomes[ContactOutcome.MISSED] > 0
    assert outcomes[ContactOutcome.LATE] > 0
    assert outcomes[ContactOutcome.SCHEDULED] == len(cases)
    assert Contact.objects.filter(outcome=ContactOutcome.SCHEDULED, scheduled_at__date__lt=today).count() == 0
    # A warning and then breach action on one statutory case.
    kinds = {e.kind: e for e in Enforcement.objects.select_related("case")}
    assert kinds[EnforcementKind.WARNING].case == kinds[EnforcementKind.BREACH].case
    assert kinds[EnforcementKind.BREACH].case.statutory
    assert kinds[EnforcementKind.WARNING].taken_on < kinds[EnforcementKind.BREACH].taken_on
    # At least one escalation review waiting.
    assert ReviewPrompt.objects.filter(kind=PromptKind.ESCALATION, status=PromptStatus.OPEN).exists()
    assert summary.assessments == Assessment.objects.count()


@pytest.mark.parametrize("persona", ["offender_manager", "police_officer", "yot_worker", "partner_practitioner"])
def test_every_demo_case_worker_has_cases(people, partnership, today, persona):
    seed_demo_cases()
    assert my_cases(partnership[persona]).exists()


def test_the_demo_cases_are_the_same_every_time_and_built_once(people, partnership, today):
    seed_demo_cases()
    first = _snapshot()
    again = seed_demo_cases()
    assert again.created == 0
    assert again.kept == len(first)
    Case.objects.all().delete()
    seed_demo_cases()
    assert _snapshot() == first
