"""What the system raises by itself, every day: tier review prompts, transition and release tasks.

`run_reminders(today)` is idempotent: each prompt and task carries a key naming the event that
raised it, unique per case, so running it twice (or after a re-imported delivery) raises nothing
new. It runs from `openiom case_reminders` (daily, from cron or the scheduler) and after imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from openiom.accounts.constants import AgencyType
from openiom.accounts.models import Agency
from openiom.offending.constants import Disposal, Outcome
from openiom.offending.models import CustodyPeriod, Offence

from .constants import (
    RELEASE_NOTICE_DAYS,
    THROUGH_THE_GATE,
    TRANSITION_NOTICE_MONTHS,
    Pathway,
    PromptKind,
    PromptStatus,
    TaskKind,
    TaskStatus,
)
from .contacts import compliance
from .locking import CaseError, claim
from .models import Case, ReviewPrompt, Task, Tier

# The offending that prompts an escalation review: a new arrest, or a new proven offence.
ESCALATING_OUTCOMES = (Outcome.ARREST, Outcome.CONVICTION, Outcome.CAUTION)
# The fewest counted appointments over the quiet period for its compliance to mean anything.
MIN_CONTACTS_FOR_DEESCALATION = 3


@dataclass
class ReminderCounts:
    escalation: int = 0
    deescalation: int = 0
    transition: int = 0
    release: int = 0

    def __str__(self) -> str:
        return (
            f"{self.escalation} escalation and {self.deescalation} de-escalation review prompts, "
            f"{self.transition} transition tasks and {self.release} through-the-gate tasks raised"
        )


def run_reminders(today: date | None = None) -> ReminderCounts:
    today = today or timezone.localdate()
    counts = ReminderCounts()
    cases = list(Case.objects.open().select_related("person", "tier", "lead_agency"))
    for case in cases:
        counts.escalation += raise_escalation_prompts(case, today)
        counts.deescalation += raise_deescalation_prompt(case, today)
        counts.transition += raise_transition_tasks(case, today)
        counts.release += raise_release_tasks(case, today)
    return counts


def _create_once(model: Any, **fields: Any) -> bool:
    """Create unless the (case, key) already exists; True when created."""
    if model.objects.filter(case=fields["case"], key=fields["key"]).exists():
        return False
    try:
        with transaction.atomic():
            model.objects.create(**fields)
    except IntegrityError:  # raised by a parallel run
        return False
    return True


def _person_offences(case: Case) -> Any:
    return Offence.objects.filter(record__person_id=case.person_id)


def raise_escalation_prompts(case: Case, today: date) -> int:
    """One prompt per arrest or proven offence dated after the case opened."""
    raised = 0
    events = (
        _person_offences(case)
        .filter(outcome__in=ESCALATING_OUTCOMES, outcome_date__gt=case.opened_on, outcome_date__lte=today)
        .order_by("outcome_date", "pk")
    )
    for offence in events:
        what = "arrested" if offence.outcome == Outcome.ARREST else f"{offence.get_outcome_display().lower()}"
        reason = (
            f"{what.capitalize()} on {offence.outcome_date:%-d %B %Y} for {offence.offence_label} "
            f"(offence date {offence.offence_date:%-d %B %Y}): review whether the case should move up the pyramid."
        )
        raised += _create_once(
            ReviewPrompt,
            case=case,
            kind=PromptKind.ESCALATION,
            key=f"offence:{offence.pk}:{offence.outcome}",
            offence=offence,
            reason=reason,
            raised_on=today,
        )
    return raised


def raise_deescalation_prompt(case: Case, today: date) -> int:
    """A prompt when the case has had the tier's quiet period with no offending and good compliance."""
    tier: Tier = case.tier
    lower = Tier.objects.filter(is_active=True, level__gt=tier.level).exists()
    if not lower or case.prompts.filter(kind=PromptKind.DEESCALATION, status=PromptStatus.OPEN).exists():
        return 0
    start = today - timedelta(days=tier.quiet_days)
    last_move = case.tier_changes.order_by("-at").values_list("at", flat=True).first()
    if case.opened_on > start or (last_move is not None and timezone.localdate(last_move) > start):
        return 0  # not yet a full quiet period at this tier
    if _person_offences(case).filter(offence_date__gt=start, offence_date__lte=today).exists():
        return 0
    if _person_offences(case).filter(outcome__in=ESCALATING_OUTCOMES, outcome_date__gt=start).exists():
        return 0
    recent = case.prompts.filter(kind=PromptKind.DEESCALATION, resolved_at__date__gt=start)
    if recent.exists():
        return 0  # reviewed within the period: ask again after another quiet period
    rate = compliance(case, start, today)
    if rate.counted < MIN_CONTACTS_FOR_DEESCALATION or rate.percent is None or rate.percent < tier.min_compliance:
        return 0
    reason = (
        f"No offending for {tier.quiet_days} days and compliance of {rate.percent}% "
        f"({rate.kept} of {rate.counted} appointments kept): review whether the case can move down the pyramid."
    )
    return int(
        _create_once(
            ReviewPrompt,
            case=case,
            kind=PromptKind.DEESCALATION,
            key=f"quiet:{start.isoformat()}",
            reason=reason,
            raised_on=today,
        )
    )


def _agency_for(case: Case, *types: str) -> Agency | None:
    """The involved agency of one of these types, else the partnership's first active one."""
    if case.lead_agency.agency_type in types:
        return case.lead_agency
    involved = case.involvements.filter(ended_on__isnull=True, agency__agency_type__in=types).select_related("agency")
    first = involved.first()
    if first is not None:
        return first.agency
    return Agency.objects.active().filter(agency_type__in=types).order_by("pk").first()


def eighteenth_birthday(dob: date) -> date:
    """The day a person turns 18; someone born on 29 February turns 18 on 1 March in a common year."""
    try:
        return dob.replace(year=dob.year + 18)
    except ValueError:
        return date(dob.year + 18, 3, 1)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 May + 3 = 31 August)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def raise_transition_tasks(case: Case, today: date) -> int:
    """A young person turning 18 within three months: a transition task for the YOT and one for probation."""
    birthday = eighteenth_birthday(case.person.date_of_birth)
    if not (today < birthday <= add_months(today, TRANSITION_NOTICE_MONTHS)):
        return 0
    raised = 0
    for position, agency_type, title in (
        (1, AgencyType.YOUTH_OFFENDING, "Plan the transition to adult services before the 18th birthday"),
        (2, AgencyType.PROBATION, "Accept the transition from the youth offending team before the 18th birthday"),
    ):
        agency = _agency_for(case, agency_type)
        if agency is None:
            continue
        raised += _create_once(
            Task,
            case=case,
            kind=TaskKind.TRANSITION,
            title=f"{title} ({birthday:%-d %B %Y})",
            agency=agency,
            due_on=birthday - timedelta(days=28) if birthday - timedelta(days=28) > today else birthday,
            position=position,
            key=f"transition:{birthday.isoformat()}:{agency_type}",
        )
    return raised


def expected_release(case: Case, today: date) -> date | None:
    """The release date of a person in custody today: the custody period's release date when it is
    known, else automatic release at the halfway point of the latest immediate custodial sentence."""
    periods = CustodyPeriod.objects.filter(record__person_id=case.person_id, reception_date__lte=today)
    current = [p for p in periods if p.release_date is None or p.release_date >= today]
    if not current:
        return None
    known = [p.release_date for p in current if p.release_date is not None]
    if known and len(known) == len(current):
        return min(known)
    sentence = (
        _person_offences(case)
        .filter(disposal=Disposal.IMMEDIATE_CUSTODY, sentence_days__isnull=False, outcome_date__lte=today)
        .order_by("-outcome_date", "-pk")
        .first()
    )
    if sentence is None or sentence.sentence_days is None:
        return None
    release = sentence.outcome_date + timedelta(days=-(-sentence.sentence_days // 2))
    return release if release >= today else None


_PATHWAY_AGENCIES: dict[str, tuple[str, ...]] = {
    Pathway.ACCOMMODATION: (AgencyType.HOUSING,),
    Pathway.FINANCE: (AgencyType.JOBCENTRE,),
    Pathway.DRUGS_ALCOHOL: (AgencyType.SUBSTANCE_MISUSE,),
    Pathway.HEALTH: (AgencyType.HEALTH, AgencyType.MENTAL_HEALTH),
    Pathway.ETE: (AgencyType.JOBCENTRE, AgencyType.EDUCATION),
}


def raise_release_tasks(case: Case, today: date) -> int:
    """Release within six weeks: through-the-gate tasks, accommodation first."""
    release = expected_release(case, today)
    if release is None or release > today + timedelta(days=RELEASE_NOTICE_DAYS):
        return 0
    raised = 0
    for position, (pathway, title, days_before) in enumerate(THROUGH_THE_GATE, start=1):
        involved = case.involvements.filter(
            ended_on__isnull=True, agency__agency_type__in=_PATHWAY_AGENCIES.get(pathway, ())
        ).first()
        agency = involved.agency if involved is not None else case.lead_agency
        due = max(release - timedelta(days=days_before), today)
        raised += _create_once(
            Task,
            case=case,
            kind=TaskKind.THROUGH_THE_GATE,
            pathway=pathway,
            title=f"{title} ({release:%-d %B %Y})",
            agency=agency,
            due_on=due,
            position=position,
            key=f"release:{release.isoformat()}:{pathway}",
        )
    return raised


@transaction.atomic
def finish_task(*, task: Task, status: str, by: Any, version: int | None, note: str = "") -> Task:
    if task.status != TaskStatus.OPEN:
        raise CaseError("the task is already finished")
    if status not in (TaskStatus.DONE, TaskStatus.CANCELLED):
        raise CaseError("a task is either done or cancelled")
    if status == TaskStatus.CANCELLED and not note.strip():
        raise CaseError("say why the task is cancelled")
    from .access import sees_all_cases

    if by.agency_id not in (task.agency_id, task.case.lead_agency_id) and not sees_all_cases(by):
        raise CaseError(f"the task is for {task.agency}: they, the lead agency or the IOM co-ordinator finish it")
    task = claim(task, version, "task")
    if task.status != TaskStatus.OPEN:
        raise CaseError("the task is already finished")
    task.status = status
    task.done_by = by
    task.done_at = timezone.now()
    task.note = note.strip()
    task.save()
    return task
