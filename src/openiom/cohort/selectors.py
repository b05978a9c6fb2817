"""Reading selection runs: lists, filtered and sorted results, comparisons, fairness, explanations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db.models import Case, Count, F, IntegerField, OrderBy, Q, QuerySet, Value, When

from openiom.analytics import ConfigError, Explanation, FairnessRow, SelectionConfig, explain_row, fairness_table

from .constants import Outcome
from .models import ScoredPerson, SelectionRun


def run_list() -> QuerySet[SelectionRun]:
    return SelectionRun.objects.select_related("created_by")


def latest_config() -> SelectionConfig:
    """The configuration of the latest run that finished (else the latest run), or the defaults."""
    for runs in (SelectionRun.objects.succeeded(), SelectionRun.objects.all()):
        run = runs.order_by("-created_at", "-pk").first()
        if run is not None:
            try:
                return SelectionConfig.from_dict(run.config)
            except ConfigError:  # saved under an older configuration version
                break
    return SelectionConfig()


def ranked_by_route(run: SelectionRun) -> dict[str, int]:
    """How many people each route ranked (the eligible, less any held back for pre-release planning)."""
    ranked = run.scores.filter(rank__isnull=False)
    return {r["route"]: r["n"] for r in ranked.values("route").annotate(n=Count("pk")).order_by("route")}


def route_summary(run: SelectionRun) -> dict[str, dict[str, int]]:
    """For each route: how many were ranked and how many nominated."""
    ranked = run.scores.filter(rank__isnull=False).values("route")
    rows = ranked.annotate(ranked=Count("pk"), nominated=Count("pk", filter=Q(nominated=True))).order_by("route")
    return {r["route"]: {"ranked": r["ranked"], "nominated": r["nominated"]} for r in rows}


# ---- results: filters and sorting -----------------------------------------------------------

# Public sort key -> (the fields it sorts by, in the chosen direction; fixed tie-breaks, most harmful first).
SORTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "rank": (("rank",), ("-rfg_score", "person_key")),
    "person": (("person__family_name", "person__given_name"), ("person_key",)),
    "route": (("route",), ("rank", "-rfg_score", "person_key")),
    "cohort": (("cohort",), ("rank", "-rfg_score", "person_key")),
    "framework": (("framework",), ("rank", "-rfg_score", "person_key")),
    "rfg_score": (("rfg_score",), ("-harm_days", "person_key")),
    "harm_days": (("harm_days",), ("-rfg_score", "person_key")),
    "cost_gbp": (("cost_gbp",), ("-rfg_score", "person_key")),
    "ogrs3_2yr": (("ogrs3_2yr",), ("-rfg_score", "person_key")),
    "age": (("age",), ("-rfg_score", "person_key")),
    "in_custody": (("in_custody",), ("rank", "-rfg_score", "person_key")),
    "outcome": (("outcome_order",), ("rank", "-rfg_score", "person_key")),
}
# Outcomes sort from the nominated to the excluded, not alphabetically.
OUTCOME_ORDER = Case(*[When(outcome=o, then=Value(i)) for i, o in enumerate(Outcome)], output_field=IntegerField())
# IOM first, then by rank; the unranked last, most harmful first.
DEFAULT_ORDER = ("-route", "rank", "-rfg_score", "person_key")


@dataclass(frozen=True)
class ResultFilters:
    route: str = ""
    cohort: str = ""  # a cohort code, "none" for people with no cohort, or "" for any
    framework: str = ""
    outcome: str = Outcome.NOMINATED  # an Outcome, or "" for everyone scored
    custody: str = ""  # "in", "out" or ""
    sort: str = ""
    descending: bool = False


def _by(field: str, descending: bool = False) -> OrderBy:
    # Empty values (no rank, no OGRS3 score) go last whichever way a column is sorted, on every database.
    return OrderBy(F(field.lstrip("-")), descending=descending != field.startswith("-"), nulls_last=True)


def _ordering(sort: str, descending: bool) -> list[OrderBy]:
    if sort not in SORTS:
        return [_by(f) for f in DEFAULT_ORDER]
    directed, tie_breaks = SORTS[sort]
    return [*[_by(f, descending) for f in directed], *[_by(f) for f in tie_breaks]]


def scored_people(run: SelectionRun, filters: ResultFilters) -> QuerySet[ScoredPerson]:
    found = run.scores.select_related("person")
    if filters.sort == "outcome":
        found = found.annotate(outcome_order=OUTCOME_ORDER)
    if filters.route:
        found = found.filter(route=filters.route)
    if filters.cohort == "none":
        found = found.filter(cohort="")
    elif filters.cohort:
        found = found.filter(cohort=filters.cohort)
    if filters.framework:
        found = found.filter(framework=filters.framework)
    if filters.outcome:
        found = found.filter(outcome=filters.outcome)
    if filters.custody:
        found = found.filter(in_custody=filters.custody == "in")
    return found.order_by(*_ordering(filters.sort, filters.descending))


def scored_person(run: SelectionRun, person_key: int) -> ScoredPerson | None:
    return run.scores.select_related("person", "run").filter(person_key=person_key).first()


def explanation_for(scored: ScoredPerson, row: dict[str, Any] | None = None) -> list[Explanation]:
    """The plain-English explanation, rebuilt from the stored row (or the row as a reader may see it,
    `cohort.redaction`) and the run's own configuration."""
    config = SelectionConfig.from_dict(scored.run.config)
    ranked = ranked_by_route(scored.run).get(scored.route) if scored.rank is not None else None
    return explain_row(scored.row() if row is None else row, config, ranked)


# ---- comparing two runs -----------------------------------------------------------------


@dataclass(frozen=True)
class RankChange:
    person_key: int
    person: Any
    route: str
    rank_a: int
    rank_b: int

    @property
    def change(self) -> int:
        """Places moved up (positive) or down (negative)."""
        return self.rank_a - self.rank_b


@dataclass
class Comparison:
    a: SelectionRun
    b: SelectionRun
    entered: list[ScoredPerson] = field(default_factory=list)  # nominated in B, not in A
    left: list[tuple[ScoredPerson, ScoredPerson | None]] = field(default_factory=list)  # (A's row, B's row)
    rank_changes: list[RankChange] = field(default_factory=list)
    unchanged: int = 0
    config_changes: list[tuple[str, Any, Any]] = field(default_factory=list)

    @property
    def same_data(self) -> bool:
        return bool(self.a.inputs_fingerprint) and self.a.inputs_fingerprint == self.b.inputs_fingerprint


def _flatten(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key in value:
            yield from _flatten(value[key], f"{path}.{key}" if path else str(key))
    else:
        yield path, value


_MISSING = "(not set)"


def config_differences(a: dict[str, Any], b: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(setting path, value in A, value in B) for every setting that differs; lists compare whole."""
    flat_a, flat_b = dict(_flatten(a)), dict(_flatten(b))
    paths = list(flat_a) + [p for p in flat_b if p not in flat_a]
    return [(p, flat_a.get(p, _MISSING), flat_b.get(p, _MISSING)) for p in paths if flat_a.get(p) != flat_b.get(p)]


def compare_runs(a: SelectionRun, b: SelectionRun) -> Comparison:
    """Who entered and who left the nominations from run A to run B, rank changes, and settings changed."""
    comparison = Comparison(a=a, b=b, config_changes=config_differences(a.config, b.config))
    if a.as_of != b.as_of:
        comparison.config_changes.insert(0, ("as-of date", a.as_of, b.as_of))
    in_a = {s.person_key: s for s in a.scores.nominations().select_related("person")}
    in_b = {s.person_key: s for s in b.scores.nominations().select_related("person")}
    others_b = {s.person_key: s for s in b.scores.filter(person_key__in=set(in_a) - set(in_b))}
    comparison.entered = [s for key, s in in_b.items() if key not in in_a]
    comparison.left = [(s, others_b.get(key)) for key, s in in_a.items() if key not in in_b]
    for key, sa in in_a.items():
        sb = in_b.get(key)
        if sb is None:
            continue
        if sa.rank != sb.rank or sa.route != sb.route:
            comparison.rank_changes.append(
                RankChange(key, sb.person or sa.person, sb.route, int(sa.rank or 0), int(sb.rank or 0))
            )
        else:
            comparison.unchanged += 1
    comparison.rank_changes.sort(key=lambda c: (-abs(c.change), c.rank_b))
    return comparison


# ---- fairness -----------------------------------------------------------------------------


def fairness_for(run: SelectionRun) -> dict[str, list[FairnessRow]]:
    """Selection rates by gender, ethnicity and age band, small numbers suppressed, by dimension."""
    rows = list(run.scores.values_list("gender", "ethnicity", "age", "nominated"))
    frame = pl.DataFrame(
        rows,
        schema={"gender": pl.Utf8, "ethnicity": pl.Utf8, "age": pl.Int64, "nominated": pl.Boolean},
        orient="row",
    )
    table: dict[str, list[FairnessRow]] = {}
    if frame.height == 0:
        return table
    for row in fairness_table(frame, run.small_number):
        table.setdefault(row.dimension, []).append(row)
    return table
