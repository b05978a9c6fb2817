"""The main sections of OpenIOM, who can reach each, and what each will hold."""

from __future__ import annotations

from dataclasses import dataclass

from openiom.accounts.constants import Capability


@dataclass(frozen=True)
class Section:
    slug: str
    label: str
    capability: Capability
    summary: str
    url_name: str = ""  # a page of its own; otherwise the section's placeholder page


SECTIONS: tuple[Section, ...] = (
    Section(
        "people",
        "People",
        Capability.PEOPLE_VIEW,
        "Find a person and see what each agency holds about them: identifiers, offending history, custody and flags.",
        "people:search",
    ),
    Section(
        "cohort",
        "Cohort",
        Capability.COHORT_VIEW,
        "Find the offenders who cause most harm: scoring (OGRS3, recency, frequency and gravity, harm, cost), "
        "selection rules, explanations and the fairness view.",
        "cohort:runs",
    ),
    Section(
        "panels",
        "Panels",
        Capability.PANELS_VIEW,
        "IOM, ASB and Deter Young Offenders panels: referrals, meetings, quorum, decisions, minutes and packs.",
        "panels:index",
    ),
    Section(
        "cases",
        "Cases",
        Capability.CASES_VIEW,
        "Case management: the pyramid of service levels, the seven pathways, plans, interventions, contacts "
        "and compliance.",
        "cases:list",
    ),
    Section(
        "services",
        "Services",
        Capability.SERVICES_VIEW,
        "The directory of local services by pathway, and the gaps against the cohort's needs.",
        "directory:list",
    ),
    Section(
        "reports",
        "Reports",
        Capability.REPORTS_VIEW,
        "Proven reoffending, before and after, harm and cost, intervention impact and the local offender profile.",
        "evaluation:index",
    ),
    Section(
        "imports",
        "Data",
        Capability.DATA_IMPORT,
        "Upload partners' data deliveries, see every import and its problems.",
        "imports:history",
    ),
    Section(
        "administration",
        "Administration",
        Capability.ADMINISTER,
        "Agencies, users, roles and the audit trail.",
        "admin_pages:index",
    ),
)

SECTIONS_BY_SLUG = {s.slug: s for s in SECTIONS}


def sections_for(user: object) -> list[Section]:
    has = getattr(user, "has_capability", None)
    if not callable(has):
        return []
    return [s for s in SECTIONS if has(s.capability)]


def section_url(section: Section) -> str:
    from django.urls import reverse

    return reverse(section.url_name) if section.url_name else reverse("web:section", args=[section.slug])
