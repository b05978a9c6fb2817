"""Intervention impact (propensity score matching) and the local offender profile, as reports."""

from __future__ import annotations

from datetime import date

import ibis
import polars as pl
from django.db.models import Count, Min

from openiom.analytics.impact import LABELS, ImpactResult, estimate_impact
from openiom.analytics.profile import build_profile, offender_rows, summary_text, year_label
from openiom.analytics.stats import SMALL_NUMBER, small
from openiom.cases.constants import NeedLevel, Pathway
from openiom.cases.models import Intervention, PathwayNeed
from openiom.cohort.adapter import scoring_inputs
from openiom.directory.models import Service
from openiom.offending.models import Offence
from openiom.people.models import PersonRecord

from .charts import Bar, bar_chart
from .data import data_cutoff, impact_population, measure
from .reports import Report, Section, Table, count, pct

# ---- intervention impact ------------------------------------------------------------------------


def impact_services() -> list[Service]:
    """Services someone has started, most used first."""
    used = (
        Intervention.objects.filter(started_on__isnull=False)
        .values("service_id")
        .annotate(n=Count("case__person_id", distinct=True))
    )
    counts = {r["service_id"]: r["n"] for r in used}
    services = list(Service.objects.filter(pk__in=counts))
    for s in services:
        s.people_started = counts[s.pk]  # type: ignore[attr-defined]
    return sorted(services, key=lambda s: (-counts[s.pk], s.name))


def impact_report(service_id: int) -> Report:
    service = Service.objects.get(pk=service_id)
    population = impact_population(service_id)
    measured = measure(population)
    rows = measured.rows.filter(pl.col("complete")) if measured.rows.height else measured.rows
    waiting = int(population.filter(pl.col("treated")).height) - int(
        rows.filter(pl.col("treated")).height if rows.height else 0
    )
    result = estimate_impact(rows, intervention=service.name) if rows.height else None
    section = impact_section(service.name, result, waiting)
    return Report("impact", f"Intervention impact: {service.name}", "Against a matched comparison group",
                  measured.cutoff, [section])  # fmt: skip


def _small_split(treated_rate: float, comparison_rate: float, pairs: int) -> bool:
    """Whether a group's reoffenders, or its non-reoffenders, number from 1 to 4."""
    counts = []
    for rate in (treated_rate, comparison_rate):
        k = round(rate * pairs)
        counts += [k, pairs - k]
    return any(small(k) for k in counts)


def impact_section(name: str, r: ImpactResult | None, waiting: int) -> Section:
    section = Section("impact", "Impact on proven reoffending", "intervention-impact")
    if waiting:
        section.paragraphs.append(
            f"{count(waiting)} people who started {name} are not counted yet: their 18 months of follow-up "
            "are not over, or they are in custody with no release recorded."
        )
    if r is None or r.refusal:
        section.warnings.append(r.statement if r else "No one who started it has a complete follow-up yet.")
        return section
    section.warnings.extend(r.warnings)
    if r.treated_matched < SMALL_NUMBER:
        section.warnings.append("Fewer than 5 people could be matched: the figures are not shown.")
        return section
    if r.rate is not None and _small_split(r.rate.treated, r.rate.comparison, r.treated_matched):
        section.warnings.append(
            "Fewer than 5 people in one group reoffended, or fewer than 5 did not: so that no one can be identified, "
            "the rates and the comparison are not shown."
        )
        return section
    section.paragraphs.append(r.statement)
    estimates = [e for e in (r.rate, r.frequency) if e is not None]
    table_rows = []
    for e in estimates:
        is_rate = e.outcome == "rate"
        fmt = pct if is_rate else (lambda v: f"{v:.2f}")
        if is_rate:
            diff = f"{100 * e.difference:+.1f} points"
            ci = "–" if e.ci_low is None else f"{100 * e.ci_low:+.1f} to {100 * (e.ci_high or 0):+.1f} points"
        else:
            diff = f"{e.difference:+.2f}"
            ci = "–" if e.ci_low is None else f"{e.ci_low:+.2f} to {(e.ci_high or 0):+.2f}"
        table_rows.append(
            [e.outcome.capitalize(), fmt(e.treated), fmt(e.comparison), diff, ci, "Yes" if e.significant else "No"]
        )
    section.tables.append(
        Table(
            f"{name}: {count(r.treated_matched)} matched pairs",
            ["Outcome", "Received it", "Comparison group", "Difference", "95% confidence interval", "Significant"],
            table_rows,
        )
    )
    section.tables.append(
        Table(
            "Who was compared",
            ["Group", "People"],
            [
                ["Started the intervention, follow-up complete", count(r.treated_total)],
                ["Matched to a comparison person", count(r.treated_matched)],
                ["No comparison person close enough (left out)", count(r.treated_unmatched)],
                ["Comparison pool (sanctioned in the same period)", count(r.pool_size)],
            ],
        )
    )
    balance = []
    for b in r.balance:
        name = LABELS.get(b.covariate, b.covariate.replace("_", " "))
        label = name[:1].upper() + name[1:] + (f": {b.level}" if b.level else "")
        balance.append(
            [
                label,
                "–" if b.smd_before is None else f"{b.smd_before:+.1f}%",
                "–" if b.smd_after is None else f"{b.smd_after:+.1f}%",
                "Imbalanced" if b.imbalanced else "Balanced",
            ]
        )
    section.tables.append(
        Table(
            "Balance: standardised differences before and after matching (within ±10% is balanced)",
            ["Characteristic", "Before matching", "After matching", "After"],
            balance,
        )
    )
    if r.rate is not None:
        section.chart = bar_chart(
            "impact-chart",
            f"Proven reoffending: {name} against the matched comparison group",
            "Two bars: the proven reoffending rate of the people who received the intervention and of their matched "
            "comparison group. The figures are in the table.",
            [("Reoffended", [Bar("Received it", r.rate.treated), Bar("Comparison group", r.rate.comparison)])],
            pct,
            maximum=1.0,
        )
    section.paragraphs.append(r.method)
    return section


# ---- the local offender profile -----------------------------------------------------------------


def financial_year(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def profile_years() -> list[int]:
    """Complete financial years of proven offending in the data: from the first 1 April on or after
    its first outcome to the last 31 March on or before the cut-off (a part year would mislead)."""
    span = Offence.objects.filter(outcome__in=("conviction", "caution")).aggregate(first=Min("outcome_date"))
    if not span["first"]:
        return []
    first, cutoff = span["first"], data_cutoff()
    start = first.year if first <= date(first.year, 4, 1) else first.year + 1
    end = cutoff.year - 1 if cutoff >= date(cutoff.year, 3, 31) else cutoff.year - 2
    return list(range(start, end + 1))


def _wards() -> pl.DataFrame:
    rows = (
        PersonRecord.objects.exclude(ward="")
        .values("person_id")
        .annotate(ward=Min("ward"))
        .order_by("person_id")
        .values_list("person_id", "ward")
    )
    keys, wards = zip(*rows, strict=True) if rows else ((), ())
    return pl.DataFrame({"person_key": list(keys), "ward": list(wards)}, schema={"person_key": pl.Int64,
                                                                                "ward": pl.Utf8})  # fmt: skip


def _needs(years: list[int]) -> pl.DataFrame:
    """People assessed and people with a medium or high need, by pathway and financial year."""
    out = []
    start, end = date(years[0], 4, 1), date(years[-1] + 1, 3, 31)
    needs = PathwayNeed.objects.filter(assessment__assessed_on__range=(start, end)).values_list(
        "assessment__case__person_id", "assessment__assessed_on", "pathway", "level"
    )
    assessed: dict[int, set[int]] = {}
    with_need: dict[tuple[int, str], set[int]] = {}
    for person, on, pathway, level in needs:
        fy = financial_year(on)
        assessed.setdefault(fy, set()).add(person)
        if level in (NeedLevel.MEDIUM, NeedLevel.HIGH):
            with_need.setdefault((fy, pathway), set()).add(person)
    for fy in years:
        for pathway in Pathway:
            out.append(
                {
                    "year": fy,
                    "pathway": pathway.label,
                    "people_assessed": len(assessed.get(fy, ())),
                    "people_with_need": len(with_need.get((fy, pathway.value), ())),
                }
            )
    return pl.DataFrame(
        out, schema={"year": pl.Int64, "pathway": pl.Utf8, "people_assessed": pl.Int64, "people_with_need": pl.Int64}
    )


def profile_report(year: int) -> Report:
    years = [y for y in (year - 1, year) if y in profile_years()] or [year]
    with scoring_inputs() as s:
        wards = ibis.memtable(_wards().to_arrow())
        rows = pl.from_arrow(s.con.to_pyarrow(offender_rows(s.inputs, years, wards=wards)))
    assert isinstance(rows, pl.DataFrame)  # noqa: S101
    needs = _needs(years)
    profile = build_profile(rows, needs=needs if needs["people_assessed"].sum() else None)
    sections = [Section("summary", f"The typical offender, {year_label(year)}", "local-offender-profile",
                        paragraphs=summary_text(profile, year))]  # fmt: skip
    for dim in profile.dimensions:
        head = ["Group"]
        for y in years:
            head += [f"{year_label(y)} people", f"{year_label(y)} share"]
        head.append("Change in share")
        groups = list(dict.fromkeys(r.group for r in dim.rows))
        table_rows = []
        for g in groups:
            row = [g]
            last = None
            for y in years:
                cell = next((r for r in dim.rows if r.group == g and r.year == y), None)
                if cell is None:
                    row += ["0", "0.0%"]
                    continue
                row += [
                    "fewer than 5" if cell.suppressed else f"{cell.count or 0:,}",
                    "not shown" if cell.suppressed or cell.share is None else pct(cell.share),
                ]
                last = cell
            row.append(
                "not shown"
                if last is None or last.suppressed
                else ("–" if last.change is None else f"{last.change:+.1f} points")
            )
            table_rows.append(row)
        section = Section(
            "profile-" + dim.name.lower().replace(" ", "-"),
            dim.name,
            "local-offender-profile",
            tables=[Table(f"{dim.name}: share of {dim.base}", head, table_rows)],
        )
        latest = [r for r in dim.for_year(year) if not r.suppressed and r.share is not None]
        if latest and dim.name != "Ward":
            section.chart = bar_chart(
                f"profile-{dim.name.lower().replace(' ', '-')}-chart",
                f"{dim.name}, {year_label(year)}",
                f"Bars of the share of {dim.base} in each group in {year_label(year)}. The figures are in the table.",
                [(r.group[:24], [Bar(year_label(year), r.share)]) for r in latest[:10]],
                pct,
                maximum=1.0,
            )
        sections.append(section)
    return Report("profile", "Local offender profile", f"Financial year {year_label(year)}", data_cutoff(), sections)
