"""The demo's case history: closed cases of earlier years, selected by the real scoring each quarter, with
complete follow-up, Deter Young Offenders entries each January and SHIFT care farm placements; it leaves the
current demo as it was and runs once.

Built on a small synthetic borough (300 people; the data end on 31 October 2026) and, to stay fast, half-yearly
entries from January 2022 rather than the demo's quarterly entries from 2019.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db.models import Max

from openiom.analytics import SelectionConfig, run_scores
from openiom.cases.constants import Cohort, InterventionStatus, PromptStatus
from openiom.cases.demo import seed_demo_cases
from openiom.cases.demo_history import HISTORY_REASONS, SHIFT, entry_dates, seed_demo_history
from openiom.cases.models import (
    Assessment,
    Case,
    CohortMembership,
    Intervention,
    Involvement,
    PlanAction,
    ReviewPrompt,
    Task,
)
from openiom.cases.reminders import add_months, run_reminders
from openiom.cases.selectors import my_cases
from openiom.cohort.adapter import scoring_inputs
from openiom.demo import load_demo_data
from openiom.offending.models import Offence

pytestmark = pytest.mark.django_db

FIRST = date(2022, 1, 15)
ENTRIES = [date(2022, 1, 15), date(2022, 7, 15), date(2023, 1, 15), date(2023, 7, 15), date(2024, 1, 15),
           date(2024, 7, 15), date(2025, 1, 15)]  # fmt: skip


@pytest.fixture
def borough(partnership, today, tmp_path: Path) -> date:
    """The small synthetic borough, imported and linked; returns the latest outcome date in it."""
    load_demo_data(tmp_path / "borough", people=300, seed=7)
    latest = Offence.objects.aggregate(latest=Max("outcome_date"))["latest"]
    assert latest == date(2026, 10, 31)
    return latest


def _history() -> list[Case]:
    return list(Case.objects.filter(close_reason__in=HISTORY_REASONS).order_by("opened_on", "pk"))


def test_entries_are_quarterly_from_2019_until_eighteen_months_before_the_data_end() -> None:
    days = entry_dates(date(2026, 10, 31))
    # 18 months before 31 October 2026 is 30 April 2025: the last entry is 15 April 2025.
    assert (days[0], days[-1], len(days)) == (date(2019, 1, 15), date(2025, 4, 15), 26)
    assert days[:5] == [date(2019, 1, 15), date(2019, 4, 15), date(2019, 7, 15), date(2019, 10, 15), date(2020, 1, 15)]
    # Data ending on 14 October 2026: 14 April 2025 is too early for 15 April.
    assert entry_dates(date(2026, 10, 14))[-1] == date(2025, 1, 15)
    assert entry_dates(date(2026, 10, 31), first=FIRST, months_between=6) == ENTRIES
    assert entry_dates(date(2020, 7, 14)) == []  # 14 January 2019 is before the first entry
    assert entry_dates(date(2020, 7, 15)) == [date(2019, 1, 15)]


def test_history_is_closed_cases_with_complete_follow_up_chosen_by_the_scoring(borough, today) -> None:
    latest = borough
    summary = seed_demo_history(first_entry=FIRST, months_between=6)
    cases = _history()
    assert summary.created == len(cases) >= 20
    assert summary.selection_runs == len(ENTRIES)
    assert (summary.first_entry, summary.last_entry) == (ENTRIES[0], ENTRIES[-1])
    assert summary.people == len({c.person_id for c in cases})
    # Every case opened on an entry date and closed 9 to 24 months later, before the data end.
    for case in cases:
        assert case.status == "closed"
        assert case.opened_on in ENTRIES
        assert add_months(case.opened_on, 9) <= case.closed_on <= min(latest, add_months(case.opened_on, 25))
        assert add_months(case.opened_on, 18) <= latest  # the reoffending follow-up is complete
    # The membership of the main cohort starts on entry and ends when the case closed; so do the others.
    memberships = list(CohortMembership.objects.filter(case__in=cases).select_related("case"))
    by_case = {m.case_id: m for m in memberships if m.cohort == m.case.cohort and m.started_on == m.case.opened_on}
    assert set(by_case) == {c.pk for c in cases}
    assert all(m.ended_on == m.case.closed_on and m.case.opened_on <= m.started_on for m in memberships)
    assert sum(summary.memberships_by_cohort.values()) == len(memberships)
    # Adults on the IOM route every entry; young people for Deter Young Offenders in January (and one in July).
    dyo = [m for m in memberships if m.cohort == Cohort.DYO]
    # (A borough this small has few young people to nominate and they stay in their cases for a year or
    # more: not every January finds one free. The demo's borough has four every January.)
    january = [m for m in dyo if m.started_on.month == 1]
    assert len({m.started_on.year for m in january}) >= 2
    assert all(m.started_on.month in (1, 7) for m in dyo)
    assert len(january) > len(dyo) - len(january)
    assert all(m.case.person.age_on(m.started_on) < 18 for m in dyo)
    assert {c.opened_on for c in cases if c.cohort != Cohort.DYO} == set(ENTRIES)
    # No one is in two cases at once.
    periods: dict[int, list[tuple[date, date]]] = {}
    for case in cases:
        assert all(case.opened_on > closed for _opened, closed in periods.get(case.person_id, []))
        periods.setdefault(case.person_id, []).append((case.opened_on, case.closed_on))
    # Those who entered on the first date were nominated by the selection scoring as of the day before.
    with scoring_inputs() as scoring:
        frame = run_scores(scoring.con, scoring.inputs, ENTRIES[0] - timedelta(days=1), SelectionConfig())
    nominated = {int(k) for k in frame.filter(frame["nominated"])["person_key"]}
    assert {c.person_id for c in cases if c.opened_on == ENTRIES[0]} <= nominated
    # A needs assessment dated at entry for most cases.
    assessments = list(Assessment.objects.filter(case__in=cases).select_related("case"))
    assert all(a.assessed_on == a.case.opened_on for a in assessments)
    assert len({a.case_id for a in assessments}) >= 0.8 * len(cases)
    assert summary.assessments == len(assessments)


def test_interventions_start_after_entry_and_end_before_the_case_closed(borough, today) -> None:
    summary = seed_demo_history(first_entry=FIRST, months_between=6)
    interventions = list(Intervention.objects.filter(case__close_reason__in=HISTORY_REASONS).select_related("case"))
    shift = [i for i in interventions if i.service.name == SHIFT]
    assert summary.interventions == len(interventions) > len(shift) == summary.shift > 0
    for i in shift:
        entry = i.case.opened_on
        assert i.case.memberships.filter(cohort=Cohort.PPO).exists()  # the care farm takes PPO only
        assert entry < i.referred_on
        if i.status == InterventionStatus.DECLINED:
            assert i.started_on is None
            continue
        assert i.started_on is not None
        assert entry + timedelta(weeks=2) <= i.started_on <= entry + timedelta(weeks=10)
    for i in interventions:
        assert i.status in (InterventionStatus.COMPLETED, InterventionStatus.DROPPED_OUT, InterventionStatus.DECLINED)
        if i.status != InterventionStatus.DECLINED:
            assert i.case.opened_on < i.started_on < i.ended_on <= i.case.closed_on
            assert 0 < i.sessions_attended <= i.sessions_offered


def test_history_leaves_the_current_demo_alone_and_runs_once(borough, today, partnership) -> None:
    seed_demo_cases(today=today)
    current = {c.pk: (c.person_id, c.opened_on, c.version) for c in Case.objects.open()}
    prompts, tasks = ReviewPrompt.objects.filter(status=PromptStatus.OPEN).count(), Task.objects.open().count()
    mine = {persona: list(my_cases(user).values_list("pk", flat=True)) for persona, user in partnership.items()}
    first = seed_demo_history(first_entry=FIRST, months_between=6)
    assert first.created > 0
    history = _history()
    # The current cases are unchanged, and their people have no history (open_case refuses them).
    assert {c.pk: (c.person_id, c.opened_on, c.version) for c in Case.objects.open()} == current
    assert not {c.person_id for c in history} & {person for person, _o, _v in current.values()}
    assert {persona: list(my_cases(user).values_list("pk", flat=True)) for persona, user in partnership.items()} == mine
    # Nothing open on a closed case, even after the daily reminders.
    run_reminders(today)
    assert not ReviewPrompt.objects.filter(case__in=history).exists()
    assert not Task.objects.filter(case__in=history).exists()
    assert not PlanAction.objects.filter(case__in=history).exists()
    assert not Involvement.objects.filter(case__in=history, ended_on__isnull=True).exists()
    assert not CohortMembership.objects.filter(case__in=history, ended_on__isnull=True).exists()
    assert ReviewPrompt.objects.filter(status=PromptStatus.OPEN).count() == prompts
    assert Task.objects.open().count() == tasks
    # A second set-up recognises the history and creates nothing.
    counts = [m.objects.count() for m in (Case, CohortMembership, Assessment, Intervention)]
    second = seed_demo_history(first_entry=FIRST, months_between=6)
    assert (second.created, second.kept) == (0, first.created)
    assert [m.objects.count() for m in (Case, CohortMembership, Assessment, Intervention)] == counts
    assert "kept as they are" in str(second)
