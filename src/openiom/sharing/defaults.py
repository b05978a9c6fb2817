"""The sharing matrix the product ships with. `docs/sharing.md` gives the reasoning for every row.

Migration 0002 seeds these rows (a frozen copy); administrators then maintain the matrix
on /administration/sharing/. An agency type with no row for a category has no access to it.
"""

from __future__ import annotations

from typing import NamedTuple

from openiom.accounts.constants import AgencyType as A

from .constants import Category as C


class DefaultRule(NamedTuple):
    category: str
    agency_type: str
    can_read: bool
    can_write: bool
    needs_consent: bool = False


READ, WRITE = True, True

DEFAULT_RULES: tuple[DefaultRule, ...] = (
    # Health: the NHS holds it; probation and the YOT see it with the person's consent.
    DefaultRule(C.HEALTH, A.HEALTH, READ, WRITE),
    DefaultRule(C.HEALTH, A.MENTAL_HEALTH, READ, WRITE),
    DefaultRule(C.HEALTH, A.PROBATION, READ, WRITE, needs_consent=True),
    DefaultRule(C.HEALTH, A.YOUTH_OFFENDING, READ, WRITE, needs_consent=True),
    # Substance misuse treatment: the treatment service, the supervising agencies and health.
    DefaultRule(C.SUBSTANCE_MISUSE_TREATMENT, A.SUBSTANCE_MISUSE, READ, WRITE),
    DefaultRule(C.SUBSTANCE_MISUSE_TREATMENT, A.PROBATION, READ, WRITE),
    DefaultRule(C.SUBSTANCE_MISUSE_TREATMENT, A.YOUTH_OFFENDING, READ, WRITE),
    DefaultRule(C.SUBSTANCE_MISUSE_TREATMENT, A.HEALTH, READ, False),
    # Domestic abuse: the MARAC agencies.
    DefaultRule(C.DOMESTIC_ABUSE, A.POLICE, READ, WRITE),
    DefaultRule(C.DOMESTIC_ABUSE, A.PROBATION, READ, WRITE),
    DefaultRule(C.DOMESTIC_ABUSE, A.YOUTH_OFFENDING, READ, WRITE),
    DefaultRule(C.DOMESTIC_ABUSE, A.VICTIM_SERVICES, READ, WRITE),
    DefaultRule(C.DOMESTIC_ABUSE, A.COMMUNITY_SAFETY, READ, WRITE),
    DefaultRule(C.DOMESTIC_ABUSE, A.CHILDREN_SERVICES, READ, False),
    # Sexual offending: the criminal justice agencies.
    DefaultRule(C.SEXUAL_OFFENDING, A.POLICE, READ, WRITE),
    DefaultRule(C.SEXUAL_OFFENDING, A.PROBATION, READ, WRITE),
    DefaultRule(C.SEXUAL_OFFENDING, A.YOUTH_OFFENDING, READ, WRITE),
    DefaultRule(C.SEXUAL_OFFENDING, A.PRISON, READ, False),
    # MAPPA: the responsible authority (police, probation, prisons) and the YOT.
    DefaultRule(C.MAPPA, A.POLICE, READ, WRITE),
    DefaultRule(C.MAPPA, A.PROBATION, READ, WRITE),
    DefaultRule(C.MAPPA, A.PRISON, READ, WRITE),
    DefaultRule(C.MAPPA, A.YOUTH_OFFENDING, READ, False),
    # Victim details: the agencies with duties to victims.
    DefaultRule(C.VICTIM_DETAILS, A.POLICE, READ, WRITE),
    DefaultRule(C.VICTIM_DETAILS, A.PROBATION, READ, WRITE),
    DefaultRule(C.VICTIM_DETAILS, A.YOUTH_OFFENDING, READ, WRITE),
    DefaultRule(C.VICTIM_DETAILS, A.VICTIM_SERVICES, READ, WRITE),
)


def seed_defaults(*, using: str = "default", only_if_empty: bool = False) -> int:
    """Create the default rows that are missing (all of them, or none when `only_if_empty` and any exist)."""
    from django.db.utils import OperationalError, ProgrammingError

    from .models import SharingRule

    rules = SharingRule.objects.using(using)
    try:
        if only_if_empty and rules.exists():
            return 0
    except (OperationalError, ProgrammingError):  # the table is not there yet (migrating backwards)
        return 0
    created = 0
    for rule in DEFAULT_RULES:
        _, made = rules.get_or_create(
            category=rule.category,
            agency_type=rule.agency_type,
            defaults={"can_read": rule.can_read, "can_write": rule.can_write, "needs_consent": rule.needs_consent},
        )
        created += made
    return created
