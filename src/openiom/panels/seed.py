"""The three panels of the Richmond upon Thames IOM model, as a partnership's starting point.

Terms of reference from the seed document: monthly meetings (the three on the same day),
referrals 10 working days before, agenda and papers 5 working days before, minutes 5 working
days after, a quorum of 4 organisations, simple majority with the chair's casting vote.
Administrators change all of it afterwards; seeding again never overwrites their changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from openiom.accounts.models import Agency

from .constants import Membership
from .models import Panel, PanelMember

P, AAR = Membership.PERMANENT, Membership.AS_REQUIRED


@dataclass(frozen=True)
class PanelSpec:
    code: str
    name: str
    purpose: str
    chair: tuple[str, str]  # agency code, post
    vice_chair: tuple[str, str]
    time: str
    cohorts: list[str]
    members: list[tuple[str, str, str]]  # agency code, post, membership


PANELS = tuple(
    PanelSpec(**spec)  # type: ignore[arg-type]
    for spec in (
        {
            "code": "iom",
            "name": "IOM Panel",
            "purpose": "Assesses referrals and agrees the selection and de-selection of IOM cases, action plans and "
            "interventions to reduce or stop reoffending.",
            "chair": ("probation", "Senior Probation Officer"),
            "vice_chair": ("police", "Detective Inspector"),
            "time": "10:00",
            "cohorts": ["PPO", "HCC", "DIP"],
            "members": [
                ("probation", "Senior Probation Officer", P),
                ("police", "PPO Officer", P),
                ("police", "Detective Inspector", P),
                ("yot", "Operations Manager", AAR),
                ("csp", "Community Safety Data Analyst", P),
                ("csp", "Anti-Social Behaviour Officer", P),
                ("csp", "Community Safety Officer", P),
                ("housing", "Head of Housing Operations", P),
                ("substance", "Service Manager or IOM/PPO Worker", P),
                ("mental-health", "Senior Social Worker", P),
                ("prison", "PPO Officer", AAR),
                ("jobcentre", "Jobcentre Manager", P),
                ("victim-support", "Manager", P),
            ],
        },
        {
            "code": "asb",
            "name": "ASB Panel",
            "purpose": "A multi-agency discussion of anti-social behaviour cases, their underlying reasons and an "
            "agreed intervention plan.",
            "chair": ("police", "Acting Chief Inspector for Safer Neighbourhood Teams"),
            "vice_chair": ("csp", "Anti-Social Behaviour Officer"),
            "time": "13:30",
            "cohorts": [],
            "members": [
                ("probation", "Probation Officer", P),
                ("police", "Nominated SNT sergeant", P),
                ("police", "Acting Chief Inspector for Safer Neighbourhood Teams", P),
                ("yot", "YOT Manager", P),
                ("csp", "Anti-Social Behaviour Officer", P),
                ("housing", "Head of Housing Operations", P),
                ("housing", "Senior Neighbourhood Nuisance Officer", P),
                ("substance", "Service Manager", P),
                ("mental-health", "Senior Social Worker", P),
                ("victim-support", "Manager", P),
            ],
        },
        {
            "code": "dyo",
            "name": "Deter Young Offenders Panel",
            "purpose": "Manages the Deter Young Offenders cohort: young people on the YOT caseload with an Asset score "
            "of 24 or more, or at high or very high risk of serious harm.",
            "chair": ("yot", "YOT Assistant Manager/Manager"),
            "vice_chair": ("csp", "IOM Co-ordinator"),
            "time": "09:00",
            "cohorts": ["DYO"],
            "members": [
                ("police", "YOT Police Sergeant", P),
                ("yot", "YOT Assistant Manager/Manager", P),
                ("yot", "YOT Deter Worker", P),
                ("yot", "YOT Nurse", P),
                ("csp", "IOM Co-ordinator", P),
            ],
        },
    )
)


def seed_panels(*, coordinator_email: str = "") -> list[Panel]:
    """Create the three panels if they do not exist (idempotent; existing panels are left alone)."""
    agencies = {a.code: a for a in Agency.objects.all()}
    made = []
    for spec in PANELS:
        codes = {spec.chair[0], spec.vice_chair[0]} | {m[0] for m in spec.members}
        if not codes <= set(agencies):
            continue  # the partnership lacks an agency this panel needs: an administrator sets it up
        panel, created = Panel.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "purpose": spec.purpose,
                "chair_agency": agencies[spec.chair[0]],
                "chair_post": spec.chair[1],
                "vice_chair_agency": agencies[spec.vice_chair[0]],
                "vice_chair_post": spec.vice_chair[1],
                "meeting_week": 2,
                "meeting_weekday": 1,
                "meeting_time": spec.time,
                "location": "Civic Centre, Committee Room 2",
                "selects_cohorts": spec.cohorts,
                "coordinator_email": coordinator_email,
            },
        )
        if created:
            for agency_code, post, membership in spec.members:
                PanelMember.objects.create(panel=panel, agency=agencies[agency_code], post=post, membership=membership)
        made.append(panel)
    return made
