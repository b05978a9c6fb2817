"""Performance against targets: set a target, measure it, and say whether it is met.

A target is one measure of the people who entered a cohort in a period (see `models.Target`),
measured exactly as the Cohort outcomes report measures it (`data.measure`,
`analytics.outcomes`). Its status is:

- **Met** / **Not met**: everyone who entered in the period has been measured (their 18 months
  are over by the data cut-off), and the figure is at or below the target;
- **On track** / **Not on track**: an interim figure, while some are still being followed (or
  are in custody with no release recorded);
- **Not yet measurable**: no one has been measured yet, the figure is built on a count from 1
  to 4 (never stated, not even as met or not met), there was nothing before entry to compare
  with, or a baseline period is not measurable yet.

Changes to targets are checked here, once, and said in words (`TargetError`); edits name the
version they started from (`cases.locking.claim`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl
from django.db import transaction

from openiom.analytics.outcomes import before_after, summarise_reoffending
from openiom.analytics.stats import small
from openiom.cases.locking import claim

from .data import COHORT_CHOICES, CohortFilter, cohort_entries, cohort_entries_of, data_cutoff, measure, measure_each
from .models import CHANGE_MEASURES, Measure, Target, TargetKind, TargetStatus
from .reports import SUPPRESSED, Report, Section, Table, change, count, number, pct

__all__ = [
    "Reading",
    "TargetData",
    "TargetError",
    "TargetResult",
    "create_target",
    "deactivate_target",
    "evaluate",
    "read",
    "target_changes",
    "target_problems",
    "targets_report",
    "update_target",
]

MAX_VALUE = Decimal("9999999.99")
TOLERANCE = 1e-9  # a figure exactly on the target meets it, whatever the floating point says


# ---- measuring --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reading:
    """One measure of one cohort: the figure in the measure's unit, or None and why not."""

    value: float | None
    text: str  # as published ("58.3%", "not shown", "–")
    measured: int
    pending: int  # still being followed, or in custody with no release recorded
    reason: str = ""  # why there is no figure
    detail: str = ""  # what the figure is made of, in words (counts suppressed)


def unit(measure_code: str, value: float) -> str:
    """A value in the measure's unit, as the report shows it."""
    if measure_code == Measure.REOFFENDING_RATE:
        return f"{value:.1f}%"
    if measure_code == Measure.REOFFENCES_PER_OFFENDER:
        return f"{value:.2f}"
    return f"{value:+.1f}%"


def read(measure_code: str, f: CohortFilter, measured: Mapping[CohortFilter, pl.DataFrame] | None = None) -> Reading:
    """The measure of those who entered `f`'s cohort in `f`'s period (from `measured` when given)."""
    rows = measured[f] if measured is not None else measure(cohort_entries(f), with_characteristics=False).rows
    if rows.height == 0:
        return Reading(None, "–", 0, 0, "No one entered the cohort in the period.")
    s = summarise_reoffending(rows)
    pending = s.incomplete + s.no_index
    if s.measured == 0:
        return Reading(
            None,
            "–",
            0,
            pending,
            "No one's follow-up is complete yet: a person is measured 18 months after entry (12 months, and 6 "
            "more for the courts).",
        )
    too_small = (
        "Too few people to publish a figure: counts from 1 to 4 are suppressed, and so is every figure built on "
        "them, including whether the target is met."
    )
    if measure_code in (Measure.REOFFENDING_RATE, Measure.REOFFENCES_PER_OFFENDER):
        if s.suppressed or small(s.measured - s.reoffenders) or s.rate is None or s.per_offender is None:
            return Reading(None, SUPPRESSED, s.measured, pending, too_small)
        detail = (
            f"{count(s.reoffenders)} of the {count(s.measured)} people measured were proven to have reoffended, "
            f"with {count(s.reoffences)} proven reoffences."
        )
        if measure_code == Measure.REOFFENDING_RATE:
            return Reading(100 * s.rate.value, pct(s.rate.value), s.measured, pending, detail=detail)
        return Reading(s.per_offender.value, number(s.per_offender.value), s.measured, pending, detail=detail)
    ba = before_after(rows)
    if small(ba.people) or small(ba.offences_before) or small(ba.offences_after):
        return Reading(None, SUPPRESSED, s.measured, pending, too_small)
    relative = {
        Measure.OFFENCES_CHANGE: ba.offences_change,
        Measure.HARM_CHANGE: ba.harm_change,
        Measure.COST_CHANGE: ba.cost_change,
    }[Measure(measure_code)]
    what = {Measure.OFFENCES_CHANGE: "proven offences", Measure.HARM_CHANGE: "harm", Measure.COST_CHANGE: "known cost"}
    if relative is None:
        return Reading(
            None,
            "–",
            s.measured,
            pending,
            f"No {what[Measure(measure_code)]} in the 12 months before entry, so no change can be worked out.",
        )
    detail = (
        f"The {count(ba.people)} people measured: {count(ba.offences_before)} proven offences in the 12 months "
        f"before entry, {count(ba.offences_after)} in the 12 months after."
    )
    if measure_code == Measure.COST_CHANGE and (ba.cost_unknown_before or ba.cost_unknown_after):
        detail += (
            f" {count(ba.cost_unknown_before + ba.cost_unknown_after)} offences have no known unit cost and are "
            "left out of the cost."
        )
    return Reading(100 * relative, change(relative), s.measured, pending, detail=detail)


@dataclass(frozen=True)
class TargetResult:
    target: Target
    cohort_label: str
    status: TargetStatus
    reason: str
    current: float | None
    current_text: str
    baseline: float | None
    baseline_text: str
    threshold: float | None  # the figure to be at or below
    target_text: str


def _period(start: date | None, end: date | None) -> str:
    if start and end:
        return f"entered {start:%-d %B %Y} to {end:%-d %B %Y}"
    return "no period"


def _filters(target: Target) -> list[CohortFilter]:
    """The cohorts `target` is measured on: its period, and its baseline period when it has one."""
    found = [CohortFilter(target.cohort, target.entered_from, target.entered_to)]
    if target.kind == TargetKind.REDUCE_BY and target.baseline_value is None:
        found.append(CohortFilter(target.cohort, target.baseline_from, target.baseline_to))
    return found


def measure_targets(targets: Sequence[Target]) -> dict[CohortFilter, pl.DataFrame]:
    """Every cohort the targets are measured on, measured in one pass over the data."""
    entries = cohort_entries_of(f for t in targets for f in _filters(t))
    measured = measure_each(list(entries.values()), with_characteristics=False)
    return {f: m.rows for f, m in zip(entries, measured, strict=True)}


def evaluate(target: Target, measured: Mapping[CohortFilter, pl.DataFrame] | None = None) -> TargetResult:
    """Measure `target` now and say whether it is met (see the module's notes on the statuses).
    `measured`: the cohorts already measured (`measure_targets`), when several targets are shown."""
    f = CohortFilter(target.cohort, target.entered_from, target.entered_to)
    current = read(target.measure, f, measured)
    baseline: float | None = None
    baseline_text = "12 months before entry" if target.measure in CHANGE_MEASURES else "–"
    baseline_problem = ""
    threshold: float | None
    goal = float(target.target_value)
    if target.kind == TargetKind.REDUCE_BY:
        if target.baseline_value is not None:
            baseline = float(target.baseline_value)
            baseline_text = f"{unit(target.measure, baseline)} (set)"
        else:
            b = read(target.measure, CohortFilter(target.cohort, target.baseline_from, target.baseline_to), measured)
            baseline_text = f"{b.text} ({_period(target.baseline_from, target.baseline_to)})"
            if b.value is None:
                baseline_problem = f"The baseline period cannot be measured: {b.reason}"
            elif b.pending:
                baseline_problem = (
                    f"The baseline period is not fully measured yet: {count(b.pending)} of its entrants are still "
                    "being followed or are in custody."
                )
                baseline_text = f"{SUPPRESSED}, not final ({_period(target.baseline_from, target.baseline_to)})"
            else:
                baseline = b.value
        threshold = None if baseline is None else baseline * (1 - goal / 100)
        target_text = (
            f"{goal:g}% below the baseline"
            if threshold is None
            else f"{unit(target.measure, threshold)} or lower ({goal:g}% below the baseline)"
        )
    else:
        threshold = goal
        target_text = f"{unit(target.measure, goal)} or lower"

    status: TargetStatus
    if baseline_problem:
        status, reason = TargetStatus.NOT_MEASURABLE, baseline_problem
    elif current.value is None or threshold is None:
        status, reason = TargetStatus.NOT_MEASURABLE, current.reason
    else:
        within = current.value <= threshold + TOLERANCE
        verdict = f"{current.text} against a target of {target_text}."
        if current.pending:
            status = TargetStatus.ON_TRACK if within else TargetStatus.NOT_ON_TRACK
            reason = (
                f"Interim: {verdict} {current.detail} {count(current.pending)} more people who entered in the period "
                "are still being followed or are in custody, so the final figure may differ."
            )
        else:
            status = TargetStatus.MET if within else TargetStatus.NOT_MET
            reason = f"{verdict} {current.detail}"
    return TargetResult(
        target=target,
        cohort_label=f.label,
        status=status,
        reason=reason.strip(),
        current=current.value,
        current_text=current.text,
        baseline=baseline,
        baseline_text=baseline_text,
        threshold=threshold,
        target_text=target_text,
    )


def targets_report() -> Report:
    """Every active target, measured now: one section, one table, a paragraph per target."""
    targets = list(Target.objects.active())
    measured = measure_targets(targets)
    results = [evaluate(t, measured) for t in targets]
    section = Section("targets", "Performance against targets", "performance-against-targets")
    section.paragraphs.append(
        "The targets the partnership has set, each measured on the people who entered the cohort in the target's "
        "period, as in the Cohort outcomes report. A target is met when the figure is at or below it. While some "
        "of those people are still being followed the figure is interim (on track or not); a figure built on "
        "fewer than 5 people is not shown, and neither is whether it meets the target."
    )
    if not results:
        section.paragraphs.append("No targets have been set yet.")
    for r in results:
        section.paragraphs.append(f"{r.target.name}: {r.status.label}. {r.reason}")
    section.tables.append(
        Table(
            "Performance against targets",
            ["Target", "Measure", "Cohort and period", "Baseline", "Target", "Actual", "Status"],
            [
                [
                    r.target.name,
                    Measure(r.target.measure).label,
                    r.cohort_label,
                    r.baseline_text,
                    r.target_text,
                    r.current_text,
                    r.status.label,
                ]
                for r in results
            ],
            numeric_from=7,
        )
    )
    return Report(
        "targets", "Performance against targets", "The partnership's active targets", data_cutoff(), [section]
    )


# ---- setting targets --------------------------------------------------------------------------
class TargetError(ValueError):
    """A target that cannot be saved, with the problem for each field in words."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


@dataclass(frozen=True)
class TargetData:
    """What a person says about a target."""

    name: str
    measure: str
    cohort: str
    entered_from: date | None
    entered_to: date | None
    kind: str
    target_value: Decimal | None
    baseline_value: Decimal | None = None
    baseline_from: date | None = None
    baseline_to: date | None = None
    notes: str = ""

    @classmethod
    def of(cls, target: Target) -> TargetData:
        return cls(**{f.name: getattr(target, f.name) for f in fields(cls)})

    def cleaned(self) -> TargetData:
        def money(v: Decimal | None) -> Decimal | None:
            return None if v is None else Decimal(v).quantize(Decimal("0.01"))

        return TargetData(
            name=" ".join(self.name.split()),
            measure=self.measure.strip(),
            cohort=self.cohort.strip(),
            entered_from=self.entered_from,
            entered_to=self.entered_to,
            kind=self.kind.strip(),
            target_value=money(self.target_value),
            baseline_value=money(self.baseline_value),
            baseline_from=self.baseline_from,
            baseline_to=self.baseline_to,
            notes=self.notes.strip(),
        )


def _value_problem(measure_code: str, value: Decimal, what: str) -> str:
    """Why `value` is not a possible figure of the measure ("" when it is)."""
    if abs(value) > MAX_VALUE:
        return f"The {what} is too large"
    if measure_code == Measure.REOFFENDING_RATE and not 0 <= value <= 100:
        return f"The {what} is a rate: a percentage from 0 to 100, like 63 for 63%"
    if measure_code == Measure.REOFFENCES_PER_OFFENDER and value < 0:
        return f"The {what} is reoffences per offender: 0 or more, like 1.5"
    if measure_code in CHANGE_MEASURES and value < -100:
        return f"The {what} is a change: -100% (none at all after entry) or more, like -20 for a fifth fewer"
    return ""


def target_problems(data: TargetData, *, existing: Target | None = None) -> dict[str, str]:
    """Every reason `data` cannot be saved, by field, in words (empty when it can)."""
    p: dict[str, str] = {}
    if not data.name:
        p["name"] = "Enter a name for the target, like NI30 PPO reoffending 2024"
    elif len(data.name) > Target._meta.get_field("name").max_length:  # type: ignore[operator]
        p["name"] = "The name must be 200 characters or fewer"
    else:
        clash = Target.objects.active().filter(name__iexact=data.name)
        if existing is not None:
            clash = clash.exclude(pk=existing.pk)
        if clash.exists():
            p["name"] = f"There is already a target called {data.name}"
    if data.measure not in Measure.values:
        p["measure"] = "Choose what the target measures"
    if data.cohort not in dict(COHORT_CHOICES):
        p["cohort"] = "Choose the cohort the target is for"
    if data.entered_from is None:
        p["entered_from"] = "Enter the first day of the period whose entrants are measured"
    if data.entered_to is None:
        p["entered_to"] = "Enter the last day of the period whose entrants are measured"
    if data.entered_from and data.entered_to and data.entered_from > data.entered_to:
        p["entered_to"] = "The end of the period must be on or after its start"
    if data.kind not in TargetKind.values:
        p["kind"] = "Choose the kind of target"
    if data.target_value is None:
        p["target_value"] = "Enter the target"
    has_period = data.baseline_from is not None or data.baseline_to is not None
    if data.kind == TargetKind.REDUCE_BY:
        if data.measure in CHANGE_MEASURES:
            p["kind"] = (
                "A change against before entry already compares with the 12 months before: set it as at most a "
                "value, like -20 for a fifth fewer"
            )
        if data.target_value is not None and not 0 < data.target_value < 100:
            p["target_value"] = "The reduction is a percentage more than 0 and less than 100, like 10"
        if data.baseline_value is not None and has_period:
            p["baseline_value"] = "Give a baseline value or a baseline period, not both"
        elif data.baseline_value is None and not has_period:
            p["baseline_value"] = "Give the baseline: a value, or the period whose entrants it is measured on"
        elif data.baseline_value is not None and data.measure in Measure.values:
            problem = _value_problem(data.measure, data.baseline_value, "baseline")
            if problem:
                p["baseline_value"] = problem
            elif data.baseline_value <= 0:
                p["baseline_value"] = "The baseline must be more than 0 for a reduction against it"
        elif has_period:
            if data.baseline_from is None:
                p["baseline_from"] = "Enter the first day of the baseline period"
            if data.baseline_to is None:
                p["baseline_to"] = "Enter the last day of the baseline period"
            if data.baseline_from and data.baseline_to:
                if data.baseline_from > data.baseline_to:
                    p["baseline_to"] = "The end of the baseline period must be on or after its start"
                elif data.entered_from and data.baseline_to >= data.entered_from:
                    p["baseline_to"] = "The baseline period must end before the period the target measures starts"
    elif data.kind == TargetKind.AT_MOST:
        if data.baseline_value is not None or has_period:
            p["baseline_value"] = "A target of at most a value has no baseline: clear the baseline value and period"
        if data.target_value is not None and data.measure in Measure.values:
            problem = _value_problem(data.measure, data.target_value, "target")
            if problem:
                p["target_value"] = problem
    return p


def _check(data: TargetData, existing: Target | None = None) -> TargetData:
    data = data.cleaned()
    problems = target_problems(data, existing=existing)
    if problems:
        raise TargetError(problems)
    return data


def _apply(target: Target, data: TargetData, by: Any) -> Target:
    for f in fields(TargetData):
        setattr(target, f.name, getattr(data, f.name))
    user = by if getattr(by, "is_authenticated", False) else None
    if target.pk is None:
        target.created_by = user
    target.updated_by = user
    target.save()
    return target


def target_changes(target: Target, data: TargetData) -> list[str]:
    """The fields an edit would change (to show beside a refused stale edit)."""
    data = data.cleaned()
    return [f.name for f in fields(TargetData) if getattr(target, f.name) != getattr(data, f.name)]


@transaction.atomic
def create_target(data: TargetData, *, by: Any) -> Target:
    return _apply(Target(), _check(data), by)


@transaction.atomic
def update_target(target: Target, data: TargetData, *, by: Any, version: int | None) -> Target:
    """Save an edit made from `version`; `StaleEditError` if someone saved since (nothing is changed)."""
    if not target.is_active:
        raise TargetError({"target": f"{target.name} is no longer reported, so it cannot be changed"})
    data = _check(data, existing=target)
    target = claim(target, version, "target")
    return _apply(target, data, by)


@transaction.atomic
def deactivate_target(target: Target, *, by: Any, version: int | None) -> Target:
    """Stop reporting a target (it is kept, with its history)."""
    if not target.is_active:
        raise TargetError({"target": f"{target.name} is already no longer reported"})
    target = claim(target, version, "target")
    target.is_active = False
    target.updated_by = by if getattr(by, "is_authenticated", False) else None
    target.save()
    return target
