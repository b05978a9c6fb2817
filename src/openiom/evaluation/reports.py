"""The evaluation reports as sections of text, charts and tables, ready for a page, a
spreadsheet or a PDF (one structure, so the three always say the same thing).

Small numbers: every count from 1 to 4 is shown as "<5", and every figure built on such a
count (a rate, a mean, an interval, a change) as "suppressed" — in pages, exports and packs
alike (`openiom.analytics.stats.small`). Definitions: docs/metrics.md, linked from each section.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl
from django.utils.safestring import SafeString

from openiom.analytics.outcomes import (
    FOUR_MONTHS_DAYS,
    TWELVE_MONTHS_DAYS,
    BeforeAfter,
    ReoffendingSummary,
    Survival,
    before_after,
    by_year,
    national_rates,
    predicted_against_actual,
    summarise_reoffending,
    survival,
)
from openiom.analytics.stats import SMALL_NUMBER, Interval, small, survival_at

from .charts import Bar, bar_chart, step_chart
from .data import CohortFilter, Measured, cohort_entries, measure

SUPPRESSED = "not shown"
SMALL = f"fewer than {SMALL_NUMBER}"
METRICS = "docs/metrics.md"


@dataclass
class Table:
    caption: str
    head: list[str]
    rows: list[list[str]]
    numeric_from: int = 1  # columns from this one on are numbers (right-aligned)


@dataclass
class Section:
    ident: str
    title: str
    definition: str  # the anchor in docs/metrics.md
    paragraphs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    chart: SafeString | None = None
    tables: list[Table] = field(default_factory=list)


@dataclass
class Report:
    slug: str
    title: str
    subtitle: str
    cutoff: date
    sections: list[Section]


# ---- formatting, with suppression -------------------------------------------------------------
def count(n: int) -> str:
    return SMALL if small(n) else f"{n:,}"


def pct(value: float | None, hidden: bool = False) -> str:
    if hidden:
        return SUPPRESSED
    return "–" if value is None else f"{100 * value:.1f}%"


def points(value: float | None, hidden: bool = False) -> str:
    """A difference of two proportions in percentage points, signed."""
    if hidden:
        return SUPPRESSED
    return "–" if value is None else f"{100 * value:+.1f} points"


def interval(i: Interval | None, hidden: bool = False, as_pct: bool = True) -> str:
    if hidden:
        return SUPPRESSED
    if i is None:
        return "–"
    if as_pct:
        return f"{100 * i.lower:.1f}% to {100 * i.upper:.1f}%"
    return f"{i.lower:.2f} to {i.upper:.2f}"


def number(value: float | None, hidden: bool = False, places: int = 2) -> str:
    if hidden:
        return SUPPRESSED
    return "–" if value is None else f"{value:,.{places}f}"


def money(value: float) -> str:
    return f"£{value:,.0f}"


def change(value: float | None, hidden: bool = False) -> str:
    if hidden:
        return SUPPRESSED
    return "no baseline" if value is None else f"{100 * value:+.1f}%"


# ---- proven reoffending, before and after, time to reoffend, predicted against actual ---------
def outcomes_report(f: CohortFilter) -> Report:
    measured = measure(cohort_entries(f))
    rows = measured.rows
    summary = summarise_reoffending(rows) if rows.height else None
    sections = [
        reoffending_section(summary, f),
        before_after_section(before_after(rows) if rows.height else None),
        survival_section(survival(rows) if rows.height else None),
        predicted_section(rows),
    ]
    return Report("outcomes", "Cohort outcomes", f.label, measured.cutoff, sections)


def reoffending_section(s: ReoffendingSummary | None, f: CohortFilter) -> Section:
    section = Section("reoffending", "Proven reoffending", "proven-reoffending")
    if s is None or s.cohort == 0:
        section.paragraphs.append("No one entered this cohort in the period chosen.")
        return section
    hidden = s.suppressed or small(s.measured - s.reoffenders)
    section.paragraphs.append(
        f"{count(s.cohort)} people entered the cohort. {count(s.measured)} have a complete follow-up (12 months after "
        f"the index date and 6 more months for the courts) and are measured; {count(s.incomplete)} entered too "
        f"recently and {count(s.no_index)} are in custody with no release recorded."
    )
    if s.rate is not None and not hidden:
        section.paragraphs.append(
            f"{count(s.reoffenders)} of the {count(s.measured)} measured were proven to have reoffended: "
            f"{pct(s.rate.value)} (95% confidence interval {interval(s.rate)}), with {count(s.reoffences)} proven "
            "reoffences in all."
        )
    elif s.measured:
        section.warnings.append(
            "The numbers are too small to publish a rate: counts from 1 to 4 are suppressed, and so is every figure "
            "built on them."
        )
    else:
        section.warnings.append("No one's follow-up is complete yet: the rate can be measured 18 months after entry.")
    section.tables.append(
        Table(
            "Proven reoffending of the cohort",
            ["Measure", "Value", "95% confidence interval"],
            [
                ["People in the cohort", count(s.cohort), ""],
                ["Measured (follow-up complete)", count(s.measured), ""],
                ["Reoffenders", count(s.reoffenders), ""],
                ["Proven reoffences", count(s.reoffences), ""],
                ["Binary reoffending rate", pct(s.rate.value if s.rate else None, hidden), interval(s.rate, hidden)],
                [
                    "Reoffences per reoffender",
                    number(s.per_reoffender.value if s.per_reoffender else None, hidden),
                    interval(s.per_reoffender, hidden, as_pct=False),
                ],
                [
                    "Reoffences per offender",
                    number(s.per_offender.value if s.per_offender else None, hidden),
                    interval(s.per_offender, hidden, as_pct=False),
                ],
            ],
        )
    )
    groups = ("adults",) if f.cohort != "DYO" else ("juveniles",)
    national = [n for n in national_rates() if n.group in groups or n.group.startswith("all")]
    nat_rows = []
    shown = s.rate if s.rate is not None and not hidden else None
    own = Bar("Proven reoffending", shown.value, shown.lower, shown.upper) if shown else Bar("Proven reoffending", None)
    bars = [("This cohort", [own])]
    for n in national[:4]:
        difference = None if hidden or s.rate is None else s.rate.value - n.rate
        nat_rows.append([f"{n.cohort}: {n.group}", pct(n.rate), points(difference, hidden)])
        bars.append((_national_label(n.cohort, n.group), [Bar("Proven reoffending", n.rate)]))
    section.tables.append(
        Table(
            "National proven reoffending rates (Ministry of Justice) for comparison",
            ["National cohort", "Rate", "This cohort's difference"],
            nat_rows,
        )
    )
    section.paragraphs.append(
        "Compare with care: the national cohorts are everyone cautioned, convicted or released in a quarter, while "
        "an IOM cohort is chosen because its members are the most likely to reoffend. The fairer yardstick is the "
        "cohort's own predicted rate (see Predicted against actual)."
    )
    section.chart = bar_chart(
        "reoffending-chart",
        "Proven reoffending rate: this cohort and national rates",
        "Horizontal bars of the binary proven reoffending rate of this cohort, with its 95% confidence interval, "
        "and of national cohorts. The figures are in the tables.",
        bars,
        pct,
        maximum=1.0,
    )
    return section


MONTHS = {m: m[:3] for m in ("January", "February", "March", "April", "May", "June", "July", "August",
                              "September", "October", "November", "December")}  # fmt: skip


def _national_label(cohort: str, group: str) -> str:
    """ "April to June 2023", "adults" → "Apr-Jun 2023, adults" (a chart label that fits)."""
    short = cohort.split(" (")[0]
    for month, abbreviation in MONTHS.items():
        short = short.replace(month, abbreviation)
    return f"{short.replace(' to ', '-')}, {group.split(' (')[0]}"


def before_after_section(ba: BeforeAfter | None) -> Section:
    section = Section("before-after", "Before and after entry", "before-and-after")
    if ba is None or ba.people == 0:
        section.paragraphs.append("No one in the cohort has a complete follow-up yet.")
        return section
    hidden = small(ba.people)
    section.paragraphs.append(
        f"The {count(ba.people)} people with a complete follow-up: proven offences committed in the 12 months before "
        "they entered the cohort, against those in the 12 months after their index date, with the harm they did "
        "(Crime Harm Index days) and what they cost."
    )
    if hidden:
        section.warnings.append("The numbers are too small to publish.")
    unknown = ba.cost_unknown_before + ba.cost_unknown_after
    if unknown:
        section.warnings.append(
            f"{count(ba.cost_unknown_before)} offences before and {count(ba.cost_unknown_after)} after have no known "
            "unit cost: they are left out of the cost, not counted as costing nothing."
        )
    section.tables.append(
        Table(
            "Proven offending, harm and cost, 12 months before and after",
            ["Measure", "Before", "After", "Change"],
            [
                [
                    "Proven offences",
                    count(ba.offences_before),
                    count(ba.offences_after),
                    change(ba.offences_change, hidden or small(ba.offences_before) or small(ba.offences_after)),
                ],
                [
                    "Harm (Crime Harm Index days)",
                    number(ba.harm_before, hidden, 1),
                    number(ba.harm_after, hidden, 1),
                    change(ba.harm_change, hidden),
                ],
                [
                    "Cost of crime (2015/16 prices, known costs only)",
                    SUPPRESSED if hidden else money(ba.cost_before),
                    SUPPRESSED if hidden else money(ba.cost_after),
                    change(ba.cost_change, hidden),
                ],
                ["Offences of unknown cost", count(ba.cost_unknown_before), count(ba.cost_unknown_after), ""],
            ],
        )
    )
    section.tables.append(
        Table(
            "People by change in their proven offending",
            ["Change", "People"],
            [["Fewer offences after", count(ba.fewer)], ["The same", count(ba.same)], ["More after", count(ba.more)]],
        )
    )
    if not hidden:
        section.chart = bar_chart(
            "before-after-chart",
            "Proven offences before and after entry",
            "Bars of the cohort's proven offences in the 12 months before entry and in the 12 months after the index "
            "date. The figures are in the table.",
            [("Proven offences", [Bar("Before", ba.offences_before), Bar("After", ba.offences_after)])],
            lambda v: f"{v:,.0f}",
        )
    return section


KM_DAYS = (30, 61, 91, FOUR_MONTHS_DAYS, 183, 274, TWELVE_MONTHS_DAYS)


def survival_section(km: Survival | None) -> Section:
    section = Section("time-to-reoffend", "Time to first reoffence", "time-to-first-reoffence")
    if km is None or km.people == 0:
        section.paragraphs.append("No one in the cohort has been followed yet.")
        return section
    hidden = small(km.people)
    at4, at12 = km.at_4_months, km.at_12_months
    section.paragraphs.append(
        f"A Kaplan-Meier curve over the {count(km.people)} people with an index date: those whose follow-up is not "
        "over yet count for as long as they have been followed. Nationally, about half of the reoffending within a "
        "year happens in the first 4 months."
    )
    if not hidden and at4 is not None and at12 is not None:
        share = km.share_within_4_months
        section.paragraphs.append(
            f"By 4 months {pct(at4.reoffended)} had reoffended, and by 12 months {pct(at12.reoffended)}"
            + (f": {pct(share)} of the first year's reoffenders did so in the first 4 months." if share else ".")
        )
    rows = []
    for day in KM_DAYS:
        point = survival_at(km.curve, day)
        if point is None:
            rows.append([f"Day {day}", "not followed yet", "", ""])
            continue
        at_risk = next(p.at_risk for p in km.curve if p.day >= day)  # there is one: the point was found
        rows.append(
            [
                f"Day {day}" + (" (4 months)" if day == FOUR_MONTHS_DAYS else " (12 months)" if day == 365 else ""),
                pct(point.reoffended, hidden),
                SUPPRESSED if hidden else f"{100 * (1 - point.upper):.1f}% to {100 * (1 - point.lower):.1f}%",
                count(at_risk),
            ]
        )
    section.tables.append(
        Table(
            "Share reoffended by days after the index date",
            ["Day", "Reoffended", "95% interval", "Still followed"],
            rows,
        )
    )
    if not hidden:
        section.chart = step_chart(
            "survival-chart",
            "Time to first proven reoffence",
            "A rising step line of the share of the cohort proven to have reoffended, by days after the index date, "
            "with lines at 122 days (4 months) and 365 days (12 months). The figures are in the table.",
            [(p.day, p.reoffended) for p in km.curve],
            TWELVE_MONTHS_DAYS,
            marks=(FOUR_MONTHS_DAYS, TWELVE_MONTHS_DAYS),
        )
    return section


def predicted_section(rows: pl.DataFrame) -> Section:
    section = Section("predicted-actual", "Predicted against actual", "predicted-against-actual")
    if rows.height == 0 or "ogrs3_1yr" not in rows.columns:
        section.paragraphs.append("No one in the cohort has a complete follow-up yet.")
        return section
    bands = predicted_against_actual(rows)
    section.paragraphs.append(
        "Each person's OGRS3 one-year probability of proven reoffending, worked out from their record as it stood "
        "on the index date, against whether they were proven to reoffend. Fewer reoffending than predicted is "
        "what a partnership hopes to see; OGRS3 was built on all offenders, not on a selected cohort."
    )
    table_rows = []
    bars = []
    for b in bands:
        hidden = small(b.people) or small(b.reoffenders) or small(b.people - b.reoffenders)
        if b.people == 0:
            continue
        table_rows.append(
            [
                b.band,
                count(b.people),
                pct(b.predicted, hidden and b.band != "Not scored"),
                pct(b.actual.value if b.actual else None, hidden),
                interval(b.actual, hidden),
                points(b.difference, hidden),
            ]
        )
        if b.band != "Not scored":
            bars.append(
                (
                    b.band,
                    [
                        Bar("Predicted (OGRS3)", None if hidden else b.predicted),
                        Bar(
                            "Actual",
                            None if hidden or b.actual is None else b.actual.value,
                            None if hidden or b.actual is None else b.actual.lower,
                            None if hidden or b.actual is None else b.actual.upper,
                        ),
                    ],
                )
            )
    section.tables.append(
        Table(
            "OGRS3 predicted against actual proven reoffending, by OASys band",
            ["Band", "People", "Predicted", "Actual", "95% interval", "Difference"],
            table_rows,
        )
    )
    if bars:
        section.chart = bar_chart(
            "predicted-chart",
            "Predicted and actual reoffending by OGRS3 band",
            "Pairs of bars per band: the mean OGRS3 one-year probability and the actual proven reoffending rate with "
            "its 95% confidence interval. The figures are in the table.",
            bars,
            pct,
            maximum=1.0,
        )
    return section


# ---- the Deter Young Offenders snapshot -------------------------------------------------------
def dyo_report() -> Report:
    """Those who entered the DYO cohort from January to March each year, year against year."""
    entries = cohort_entries(CohortFilter(cohort="DYO"))
    entries = entries.filter(pl.col("entry_date").dt.month() <= 3)
    measured: Measured = measure(entries, with_characteristics=False)
    section = Section("dyo-snapshot", "Deter Young Offenders: the January to March snapshot", "dyo-snapshot")
    section.paragraphs.append(
        "Each year's snapshot is the young people who entered the DYO cohort from 1 January to 31 March; their proven "
        "reoffending is measured as for the whole cohort, so one year's rate can be compared with the next."
    )
    years = by_year(measured.rows) if measured.rows.height else []
    rows = []
    bars = []
    for y in years:
        s = y.summary
        hidden = s.suppressed or small(s.measured - s.reoffenders)
        rows.append(
            [
                str(y.year),
                count(s.cohort),
                count(s.measured),
                count(s.reoffenders),
                pct(s.rate.value if s.rate else None, hidden),
                interval(s.rate, hidden),
                points(y.change, hidden) if y.change is not None or hidden else "–",
            ]
        )
        if s.measured:
            bars.append(
                (
                    str(y.year),
                    [
                        Bar(
                            "Proven reoffending",
                            None if hidden or not s.rate else s.rate.value,
                            None if hidden or not s.rate else s.rate.lower,
                            None if hidden or not s.rate else s.rate.upper,
                        )
                    ],
                )
            )
    if not years:
        section.paragraphs.append("No young person has entered the DYO cohort between January and March yet.")
    section.tables.append(
        Table(
            "DYO snapshot by year of entry",
            ["Year", "Identified", "Measured", "Reoffenders", "Rate", "95% interval", "Change on previous year"],
            rows,
        )
    )
    national = [n for n in national_rates() if n.group == "juveniles"]
    if national:
        section.paragraphs.append(
            f"Nationally, {pct(national[0].rate)} of young people reoffended ({national[0].cohort} cohort)."
        )
    if bars:
        section.chart = bar_chart(
            "dyo-chart",
            "DYO snapshot: proven reoffending by year",
            "One bar per year of the DYO snapshot's proven reoffending rate with its 95% confidence interval. "
            "The figures are in the table.",
            bars,
            pct,
            maximum=1.0,
        )
    return Report("dyo", "Deter Young Offenders snapshot", "Entered January to March each year", measured.cutoff,
                  [section])  # fmt: skip
