"""The prompts and tasks the system raises: escalation and de-escalation reviews, transitions at 18, releases."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from openiom.accounts.models import Agency
from openiom.cases.constants import PromptKind, PromptStatus, TaskKind, TaskStatus
from openiom.cases.contacts import add_contact
from openiom.cases.locking import CaseError
from openiom.cases.models import Case, Task
from openiom.cases.reminders import (
    add_months,
    eighteenth_birthday,
    expected_release,
    finish_task,
    run_reminders,
)
from openiom.offending.models import CustodyPeriod, Offence
from openiom.people.models import PersonRecord

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
counter = iter(range(1, 100_000))


def record_for(case: Case) -> PersonRecord:
    person = case.person
    return PersonRecord.objects.get_or_create(
        source=Agency.objects.get(code="police"),
        source_person_id=f"P-{person.pk}",
        person=person,
        defaults={"given_name": person.given_name, "family_name": person.family_name,
                  "date_of_birth": person.date_of_birth, "gender": person.gender, "ethnicity": person.ethnicity},
    )[0]  # fmt: skip


def offence(case: Case, when: date, outcome: str = "arrest", decided: date | None = None, **more: object) -> Offence:
    return Offence.objects.create(
        source=Agency.objects.get(code="police"), event_id=f"E{next(counter)}", record=record_for(case),
        offence_code="burglary_residential", offence_date=when, outcome=outcome, outcome_date=decided or when, **more,
    )  # fmt: skip


def test_a_new_arrest_prompts_one_escalation_review(make_case, today):
    case = make_case(opened_on=date(2026, 6, 1))
    offence(case, date(2026, 5, 20))  # before the case: what got them selected
    arrest = offence(case, date(2026, 11, 20))
    offence(case, date(2026, 10, 1), outcome="no_further_action")
    counts = run_reminders(today)
    assert counts.escalation == 1
    prompt = case.prompts.get()
    assert (prompt.kind, prompt.offence, prompt.status) == (PromptKind.ESCALATION, arrest, PromptStatus.OPEN)
    assert prompt.reason.startswith("Arrested on 20 November 2026 for Residential burglary")
    assert run_reminders(today).escalation == 0, "running again raises nothing new"
    offence(case, date(2026, 11, 20), outcome="conviction", decided=date(2026, 11, 23))
    assert run_reminders(today).escalation == 1, "the conviction is a new event"


def _quiet_case(make_case, partnership, *, kept: int, missed: int) -> Case:
    """At tier 2 since June; appointments in the last 90 days (from 26 August)."""
    case = make_case(tier=2, opened_on=date(2026, 6, 1))
    case.tier_changes.update(at=datetime(2026, 6, 1, 9, tzinfo=LONDON))  # placed when it opened
    day = date(2026, 9, 1)
    for outcome in ["attended"] * kept + ["missed"] * missed:
        add_contact(case=case, kind="office", scheduled_at=datetime(day.year, day.month, day.day, 10, tzinfo=LONDON),
                    by=partnership["offender_manager"], outcome=outcome)  # fmt: skip
        day += timedelta(days=7)
    return case


def test_a_quiet_period_with_good_compliance_prompts_de_escalation(make_case, partnership, today):
    good = _quiet_case(make_case, partnership, kept=4, missed=1)  # 80%: the default threshold, met
    poor = _quiet_case(make_case, partnership, kept=3, missed=2)  # 60%
    counts = run_reminders(today)
    assert counts.deescalation == 1
    prompt = good.prompts.get()
    assert prompt.kind == PromptKind.DEESCALATION
    assert "No offending for 90 days and compliance of 80% (4 of 5 appointments kept)" in prompt.reason
    assert not poor.prompts.exists()
    assert run_reminders(today).deescalation == 0


def test_no_de_escalation_prompt_after_recent_offending_or_at_the_lowest_tier(make_case, tiers, partnership, today):
    offending = _quiet_case(make_case, partnership, kept=5, missed=0)
    offence(offending, date(2026, 10, 1), outcome="no_further_action")  # an offence, even unproven, in the period
    lowest = _quiet_case(make_case, partnership, kept=5, missed=0)
    lowest.tier = tiers[3]
    lowest.save()
    too_few = _quiet_case(make_case, partnership, kept=2, missed=0)
    assert run_reminders(today).deescalation == 0
    assert not (offending.prompts.exists())
    assert not (lowest.prompts.exists())
    assert not (too_few.prompts.exists())


def test_a_review_that_found_no_move_is_not_asked_again_within_the_period(make_case, partnership, today):
    from openiom.cases.services import resolve_prompt

    case = _quiet_case(make_case, partnership, kept=5, missed=0)
    run_reminders(today)
    resolve_prompt(prompt=case.prompts.get(), by=partnership["offender_manager"], resolution="Stays: DV risk")
    with time_machine.travel("2027-01-24 12:00:00+00:00", tick=False):
        assert run_reminders(date(2027, 1, 24)).deescalation == 0


@pytest.mark.parametrize(
    ("born", "birthday"), [(date(2009, 2, 28), date(2027, 2, 28)), (date(2008, 2, 29), date(2026, 3, 1))]
)
def test_eighteenth_birthday(born, birthday):
    assert eighteenth_birthday(born) == birthday


def test_add_months_keeps_to_the_end_of_short_months():
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 24), 3) == date(2027, 2, 24)


def test_turning_18_within_three_months_raises_tasks_for_the_yot_and_probation(make_case, make_person, today):
    soon = make_case(person=make_person(date_of_birth=date(2009, 2, 24)), cohort="DYO", lead="yot_worker")
    make_case(person=make_person(date_of_birth=date(2009, 2, 25)), cohort="DYO", lead="yot_worker")  # one day late
    assert run_reminders(today).transition == 2
    tasks = list(soon.tasks.order_by("position"))
    assert [(t.kind, t.agency.code, t.due_on) for t in tasks] == [
        (TaskKind.TRANSITION, "yot", date(2027, 1, 27)),
        (TaskKind.TRANSITION, "probation", date(2027, 1, 27)),
    ]
    assert "24 February 2027" in tasks[0].title
    assert run_reminders(today).transition == 0


def test_release_within_six_weeks_raises_through_the_gate_tasks_accommodation_first(make_case, agency, today):
    case = make_case()
    CustodyPeriod.objects.create(source=agency("prison"), record=record_for(case), reception_date=date(2026, 8, 1),
                                 release_date=date(2027, 1, 5))  # 42 days away  # fmt: skip
    later = make_case()
    CustodyPeriod.objects.create(source=agency("prison"), record=record_for(later), reception_date=date(2026, 8, 1),
                                 release_date=date(2027, 1, 6))  # 43 days  # fmt: skip
    assert run_reminders(today).release == 5
    tasks = list(case.tasks.all())
    assert tasks[0].pathway == "accommodation"
    assert tasks[0].due_on == date(2026, 12, 8)
    assert [t.pathway for t in tasks] == ["accommodation", "finance", "drugs_alcohol", "health", "ete"]
    assert not later.tasks.exists()


def test_expected_release_from_the_sentence_when_the_custody_period_is_open(make_case, agency, today):
    case = make_case()
    CustodyPeriod.objects.create(source=agency("prison"), record=record_for(case), reception_date=date(2026, 7, 1))
    offence(case, date(2026, 5, 1), outcome="conviction", decided=date(2026, 7, 1), disposal="immediate_custody",
            sentence_days=365)  # fmt: skip
    # Automatic release at the halfway point: 1 July 2026 + 183 days (365 / 2, rounded up).
    assert expected_release(case, today) == date(2026, 12, 31)


def test_finishing_a_task(make_case, make_person, partnership, today):
    case = make_case(person=make_person(date_of_birth=date(2009, 1, 10)), cohort="DYO", lead="yot_worker")
    run_reminders(today)
    task = case.tasks.get(agency__code="probation")
    with pytest.raises(CaseError, match="they, the lead agency or the IOM co-ordinator finish it"):
        finish_task(task=task, status=TaskStatus.DONE, by=partnership["police_officer"], version=task.version)
    with pytest.raises(CaseError, match="say why"):
        finish_task(task=task, status=TaskStatus.CANCELLED, by=partnership["offender_manager"], version=task.version)
    done = finish_task(task=task, status=TaskStatus.DONE, by=partnership["offender_manager"], version=task.version)
    assert done.done_by == partnership["offender_manager"]
    with pytest.raises(CaseError, match="already finished"):
        finish_task(task=done, status=TaskStatus.DONE, by=partnership["offender_manager"], version=done.version)
    yot_task = case.tasks.get(agency__code="yot")
    by_coordinator = finish_task(task=yot_task, status=TaskStatus.CANCELLED, by=partnership["iom_coordinator"],
                                 version=yot_task.version, note="Case transferring out of the area")  # fmt: skip
    assert by_coordinator.status == TaskStatus.CANCELLED


def test_the_command_reports_what_it_raised(make_case, make_person, capsys, today):
    make_case(person=make_person(date_of_birth=date(2009, 1, 10)), cohort="DYO", lead="yot_worker")
    call_command("case_reminders", "--date", "2026-11-24")
    assert "2 transition tasks" in capsys.readouterr().out
    assert Task.objects.count() == 2
    with pytest.raises(Exception, match="not a date"):
        call_command("case_reminders", "--date", "24/11/2026")
