"""The personas of OpenIOM as role definitions.

Roles are data (the `Role` table). This module is the source that
`openiom sync_roles` reconciles the table with: it creates missing system roles
and resets their name, description and capabilities, and never touches the
custom roles an administrator has added.
"""

from __future__ import annotations

from dataclasses import dataclass

from .constants import Capability as C


@dataclass(frozen=True)
class RoleDefinition:
    code: str
    name: str
    description: str
    capabilities: frozenset[str]


def _role(code: str, name: str, description: str, *caps: C) -> RoleDefinition:
    return RoleDefinition(code, name, description, frozenset(str(c) for c in caps))


SYSTEM_ROLES: tuple[RoleDefinition, ...] = (
    _role(
        "iom_coordinator",
        "IOM co-ordinator",
        "Runs cohort selection, panels, the cohort list and reports for the partnership.",
        C.COHORT_VIEW,
        C.COHORT_RUN,
        C.DATA_IMPORT,
        C.PEOPLE_VIEW,
        C.REFER,
        C.PANELS_VIEW,
        C.PANELS_MANAGE,
        C.CASES_VIEW,
        C.CASES_MANAGE,
        C.SERVICES_VIEW,
        C.SERVICES_MANAGE,
        C.REPORTS_VIEW,
        C.REPORTS_MANAGE,
        C.BREAK_GLASS_REVIEW,
    ),
    _role(
        "police_officer",
        "Police IOM / PPO officer",
        "Offending data, enforcement, intelligence and referrals.",
        C.COHORT_VIEW,
        C.PEOPLE_VIEW,
        C.REFER,
        C.PANELS_VIEW,
        C.CASES_VIEW,
        C.CASES_MANAGE,
        C.SERVICES_VIEW,
        C.REPORTS_VIEW,
    ),
    _role(
        "offender_manager",
        "Offender manager",
        "Probation's single lead professional for most cases: plans, compliance and enforcement.",
        C.PEOPLE_VIEW,
        C.REFER,
        C.PANELS_VIEW,
        C.CASES_VIEW,
        C.CASES_MANAGE,
        C.SERVICES_VIEW,
        C.REPORTS_VIEW,
    ),
    _role(
        "yot_worker",
        "YOT worker",
        "Works with young people (Deter Young Offenders) and their move to adult services at 18.",
        C.PEOPLE_VIEW,
        C.REFER,
        C.PANELS_VIEW,
        C.CASES_VIEW,
        C.CASES_MANAGE,
        C.SERVICES_VIEW,
        C.REPORTS_VIEW,
    ),
    _role(
        "partner_practitioner",
        "Partner practitioner",
        "Sees the cases they work on; owns actions and interventions.",
        C.REFER,
        C.CASES_VIEW,
        C.CASES_MANAGE,
        C.SERVICES_VIEW,
    ),
    _role(
        "panel_chair",
        "Panel chair",
        "Chairs panel meetings, has the casting vote and signs off minutes.",
        C.PEOPLE_VIEW,
        C.REFER,
        C.PANELS_VIEW,
        C.PANELS_MANAGE,
        C.PANELS_CHAIR,
        C.CASES_VIEW,
        C.SERVICES_VIEW,
        C.REPORTS_VIEW,
    ),
    _role(
        "analyst",
        "Analyst",
        "Performance, evaluation and the annual strategic assessment profile.",
        C.COHORT_VIEW,
        C.COHORT_RUN,
        C.DATA_IMPORT,
        C.SERVICES_VIEW,
        C.REPORTS_VIEW,
        C.REPORTS_MANAGE,
    ),
    _role(
        "strategic_member",
        "Strategic group member",
        "Dashboards and reports, with no case detail.",
        C.REPORTS_VIEW,
    ),
    _role(
        "administrator",
        "Administrator",
        "Agencies, users, roles, sharing rules and reference data; the audit trail.",
        C.ADMINISTER,
        C.AUDIT_VIEW,
        C.BREAK_GLASS_REVIEW,
    ),
)

SYSTEM_ROLE_CODES = frozenset(r.code for r in SYSTEM_ROLES)
