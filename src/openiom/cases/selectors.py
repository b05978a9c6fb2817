"""Named read queries for case management: lists, the timeline, needs, caseloads, "my" pages.

Scoping to what a user may see is in `access.py`; these take an already-scoped queryset or a
case the caller has checked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .access import full_cases
from .constants import NEED_RANK, NEED_THRESHOLD, OPEN_ACTION_STATUSES, Pathway, PromptStatus, TaskStatus
from .models import Assessment, Case, PathwayNeed, PlanAction, ReviewPrompt, Task

CASE_LIST_RELATED = ("person", "tier", "lead_professional", "lead_agency")


def case_list(
    cases: QuerySet[Case],
    *,
    status: str = "open",
    tier: str = "",
    cohort: str = "",
    agency: str = "",
    query: str = "",
    sort: str = "tier",
) -> QuerySet[Case]:
    """Filter and sort a (scoped) list of cases. Unknown filter values match nothing rather than everything."""
    if status in ("open", "closed"):
        cases = cases.filter(status=status)
    if tier:
        cases = cases.filter(tier__level=tier) if tier.isdigit() else cases.none()
    if cohort:
        cases = cases.filter(memberships__cohort=cohort, memberships__ended_on__isnull=True)
    if agency:
        cases = cases.filter(
            Q(lead_agency__code=agency) | Q(involvements__agency__code=agency, involvements__ended_on__isnull=True)
        )
    if query:
        for word in query.split()[:4]:
            cases = cases.filter(Q(person__family_name__icontains=word) | Q(person__given_name__icontains=word))
    orders = {
        "tier": ("tier__level", "person__family_name", "pk"),
        "name": ("person__family_name", "person__given_name", "pk"),
        "opened": ("-opened_on", "pk"),
        "lead": ("lead_professional__full_name", "tier__level", "pk"),
    }
    return with_counts(cases.distinct().select_related(*CASE_LIST_RELATED)).order_by(*orders.get(sort, orders["tier"]))


def with_counts(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Each case with `open_prompts` (reviews waiting) and `overdue_actions` (plan actions past due).

    Subqueries, not joins: joining a case's reviews and actions at once multiplies its rows
    (reviews x actions) before DISTINCT and GROUP BY fold them back, which at a force's caseload
    made the list's one query most of the page's time.
    """
    return cases.annotate(
        open_prompts=_count_of(ReviewPrompt.objects.filter(status=PromptStatus.OPEN)),
        overdue_actions=_count_of(
            PlanAction.objects.filter(status__in=OPEN_ACTION_STATUSES, due_on__lt=timezone.localdate())
        ),
    )


def _count_of(rows: QuerySet[Any]) -> Coalesce:
    """How many of `rows` belong to each case of the outer query (0 when none)."""
    per_case = rows.filter(case=OuterRef("pk")).order_by().values("case").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(per_case, output_field=IntegerField()), 0)


def my_cases(user: Any) -> QuerySet[Case]:
    """Open cases the user leads or is a key worker on."""
    return case_list(full_cases(user).worked_by(user), status="open")


@dataclass
class MyActions:
    """What the user has to do: their plan actions, overdue actions on cases they lead, their agency's tasks."""

    owned: list[PlanAction]
    overdue_on_my_cases: list[PlanAction]
    tasks: list[Task]
    today: date

    @property
    def overdue_count(self) -> int:
        return sum(a.is_overdue(self.today) for a in self.owned) + sum(t.due_on < self.today for t in self.tasks)


def my_actions(user: Any, today: date | None = None) -> MyActions:
    today = today or timezone.localdate()
    related = ("case__person", "owner", "owner_agency")
    owned = list(PlanAction.objects.open().filter(owner=user, case__status="open").select_related(*related))
    others = list(
        PlanAction.objects.overdue(today)
        .filter(case__lead_professional=user, case__status="open")
        .exclude(owner=user)
        .select_related(*related)
    )
    tasks = list(
        Task.objects.open()
        .filter(case__status="open")
        .filter(Q(agency_id=user.agency_id, case__in=full_cases(user)) | Q(case__lead_professional=user))
        .select_related("case__person", "agency")
        .distinct()
    )
    return MyActions(owned=owned, overdue_on_my_cases=others, tasks=tasks, today=today)


@dataclass
class CaseloadRow:
    worker: Any
    cases: int = 0
    by_tier: dict[int, int] = field(default_factory=dict)
    overdue_actions: int = 0
    open_prompts: int = 0


def caseloads(user: Any, today: date | None = None) -> list[CaseloadRow]:
    """Open cases per lead professional, by tier, for the user's agency (every agency for the co-ordinator)."""
    from .access import sees_all_cases

    today = today or timezone.localdate()
    cases = Case.objects.open()
    if not sees_all_cases(user):
        cases = cases.filter(lead_agency_id=user.agency_id)
    rows: dict[int, CaseloadRow] = {}
    for case in cases.select_related("lead_professional__agency", "tier").annotate(
        overdue=Count(
            "actions", filter=Q(actions__status__in=OPEN_ACTION_STATUSES, actions__due_on__lt=today), distinct=True
        ),
        prompts_open=Count("prompts", filter=Q(prompts__status=PromptStatus.OPEN), distinct=True),
    ):
        row = rows.setdefault(case.lead_professional_id, CaseloadRow(worker=case.lead_professional))
        row.cases += 1
        row.by_tier[case.tier.level] = row.by_tier.get(case.tier.level, 0) + 1
        row.overdue_actions += case.overdue
        row.open_prompts += case.prompts_open
    return sorted(rows.values(), key=lambda r: (r.worker.agency.name, r.worker.full_name))


# ---- needs ---------------------------------------------------------------------------------------
def latest_assessment(case: Case) -> Assessment | None:
    return case.assessments.select_related("by", "agency").prefetch_related("needs").first()


def needs_history(case: Case) -> tuple[list[Assessment], list[tuple[str, list[PathwayNeed | None]]]]:
    """Assessments oldest first, and for each pathway its need at each assessment (change over time)."""
    assessments = list(
        case.assessments.select_related("by", "agency")
        .prefetch_related(Prefetch("needs", queryset=PathwayNeed.objects.order_by("pk")))
        .order_by("assessed_on", "pk")
    )
    rows = []
    for value, label in Pathway.choices:
        rows.append((label, [next((n for n in a.needs.all() if n.pathway == value), None) for a in assessments]))
    return assessments, rows


def is_need(level: str) -> bool:
    return NEED_RANK.get(level, 0) >= NEED_RANK[NEED_THRESHOLD]


def cohort_needs(cases: QuerySet[Case] | None = None) -> Counter[str]:
    """How many open cases have each pathway as a need (medium or high) at their latest assessment."""
    cases = Case.objects.open() if cases is None else cases
    latest: dict[int, int] = {}
    for case_id, assessment_id in (
        Assessment.objects.filter(case__in=cases).order_by("case_id", "assessed_on", "pk").values_list("case_id", "pk")
    ):
        latest[case_id] = assessment_id  # the last one per case wins
    counts: Counter[str] = Counter()
    for pathway, level in PathwayNeed.objects.filter(assessment_id__in=latest.values()).values_list("pathway", "level"):
        if is_need(level):
            counts[pathway] += 1
    return counts


def cases_not_assessed(cases: QuerySet[Case] | None = None) -> int:
    """Open cases with no needs assessment yet: counted apart, never as "no need"."""
    cases = Case.objects.open() if cases is None else cases
    return cases.filter(assessments__isnull=True).count()


RESTRICTED = "an offence in a restricted category"


# ---- the timeline --------------------------------------------------------------------------------
@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str  # offence, decision, tier, assessment, contact, action, intervention, enforcement, cohort, task
    title: str
    detail: str = ""
    by: str = ""
    agency: str = ""


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0, 0)))


def case_timeline(
    case: Case,
    *,
    kinds: set[str] | None = None,
    restricted_offence_codes: frozenset[str] = frozenset(),
    reader: Any = None,
) -> list[TimelineEvent]:
    """Everything on the case, newest first. Victims are never on the timeline. Offences whose code is
    in `restricted_offence_codes` (a special category the reader may not see) are not named, nor are
    plan actions whose pathway is one the `reader` may not read (`sharing.redaction.shown_actions`)."""
    from openiom.offending.models import Offence
    from openiom.panels.models import Decision

    events: list[TimelineEvent] = []
    for o in Offence.objects.filter(record__person_id=case.person_id).select_related("source"):
        events.append(
            TimelineEvent(
                _at(o.outcome_date),
                "offence",
                f"{o.get_outcome_display()}: "
                + (RESTRICTED if o.offence_code in restricted_offence_codes else o.offence_label),
                f"Offence date {o.offence_date:%-d %B %Y}" + (f"; {o.get_disposal_display()}" if o.disposal else ""),
                agency=o.source.name,
            )
        )
    decisions = Decision.objects.filter(Q(case=case) | Q(item__referral__person_id=case.person_id)).select_related(
        "item__meeting__panel", "decided_by"
    )
    for d in decisions.distinct():
        events.append(
            TimelineEvent(
                d.decided_at,
                "decision",
                f"{d.item.meeting.panel.name} panel: {d.get_outcome_display()}",
                d.reasons,
                by=str(d.decided_by),
            )
        )
    for t in case.tier_changes.select_related("from_tier", "to_tier", "by"):
        events.append(
            TimelineEvent(t.at, "tier", f"{t.direction.capitalize()}: {t.to_tier}", t.reason, by=str(t.by or ""))
        )
    for a in case.assessments.select_related("by", "agency").prefetch_related("needs"):
        high = [n.get_pathway_display() for n in a.needs.all() if is_need(n.level)]
        events.append(
            TimelineEvent(
                _at(a.assessed_on),
                "assessment",
                "Needs assessment",
                ("Needs: " + ", ".join(high)) if high else "No medium or high needs",
                by=str(a.by),
                agency=a.agency.name,
            )
        )
    contacts = list(case.contacts.select_related("by", "agency"))
    if reader is not None:
        from openiom.sharing.redaction import shown_contacts

        contacts = shown_contacts(reader, case, contacts)
    for c in contacts:
        events.append(
            TimelineEvent(
                c.scheduled_at,
                "contact",
                f"{c.get_kind_display()}: {c.get_outcome_display().lower()}",
                c.notes,
                by=str(c.by),
                agency=c.agency.name,
            )
        )
    actions = list(case.actions.select_related("owner", "owner_agency", "created_by__agency"))
    if reader is not None:
        from openiom.sharing.redaction import shown_actions

        actions = shown_actions(reader, actions)
    for p in actions:
        events.append(
            TimelineEvent(
                p.created_at,
                "action",
                f"Action ({p.get_pathway_display()}): {p.description}",
                f"Owner {p.owner}, due {p.due_on:%-d %B %Y}; {p.get_status_display().lower()}",
                by=str(p.created_by),
                agency=p.created_by.agency.name,
            )
        )
    for i in case.interventions.select_related("service", "referred_by"):
        events.append(
            TimelineEvent(
                _at(i.referred_on),
                "intervention",
                f"Referred to {i.service.name}",
                f"{i.get_pathway_display()}; now {i.get_status_display().lower()}",
                by=str(i.referred_by),
            )
        )
        if i.ended_on:
            events.append(
                TimelineEvent(_at(i.ended_on), "intervention", f"{i.service.name}: {i.get_status_display().lower()}")
            )
    for e in case.enforcements.select_related("by", "agency"):
        events.append(
            TimelineEvent(
                _at(e.taken_on), "enforcement", e.get_kind_display(), e.details, by=str(e.by), agency=e.agency.name
            )
        )
    for m in case.memberships.all():
        events.append(TimelineEvent(_at(m.started_on), "cohort", f"Joined the {m.get_cohort_display()} cohort"))
        if m.ended_on:
            events.append(
                TimelineEvent(_at(m.ended_on), "cohort", f"Left the {m.get_cohort_display()} cohort", m.end_reason)
            )
    for task in case.tasks.filter(status=TaskStatus.DONE).select_related("done_by", "agency"):
        if task.done_at:
            events.append(
                TimelineEvent(task.done_at, "task", f"Done: {task.title}", task.note, by=str(task.done_by or ""))
            )
    if kinds:
        events = [e for e in events if e.kind in kinds]
    return sorted(events, key=lambda e: e.at, reverse=True)


TIMELINE_KINDS = (
    ("offence", "Offending"),
    ("decision", "Panel decisions"),
    ("tier", "Tier changes"),
    ("assessment", "Assessments"),
    ("contact", "Contacts"),
    ("action", "Actions"),
    ("intervention", "Interventions"),
    ("enforcement", "Enforcement"),
    ("cohort", "Cohorts"),
    ("task", "Tasks"),
)
