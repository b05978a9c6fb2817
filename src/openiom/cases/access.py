"""Who may see and change which case, decided in one place.

- The IOM co-ordinator (who organises the panels) sees and works on every case.
- Agencies involved in a case (the lead agency and every current involvement) see it in full
  and may work on it when their role manages cases.
- Other partners with access to cases see a minimal view: who the person is, the cohort, the
  lead professional and the agencies involved, so they know whom to call.
- Linked victims (the special category "victim details") and every other special category are
  decided by `openiom.sharing.policy`: the sharing matrix, consent, and full access to the case.
"""

from __future__ import annotations

import enum
from typing import Any

from django.db.models import Q

from openiom.accounts.constants import Capability

from .models import Case, CaseQuerySet


class Access(enum.Enum):
    NONE = "none"
    MINIMAL = "minimal"
    FULL = "full"


def sees_all_cases(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_capability(Capability.PANELS_MANAGE))


def case_access(user: Any, case: Case) -> Access:
    if not getattr(user, "is_authenticated", False) or not user.has_capability(Capability.CASES_VIEW):
        return Access.NONE
    if sees_all_cases(user) or is_involved(user, case):
        return Access.FULL
    from openiom.breakglass.services import has_active_grant  # break-glass: temporary full access

    if has_active_grant(user, case):
        return Access.FULL
    return Access.MINIMAL


def is_involved(user: Any, case: Case) -> bool:
    agency_id = user.agency_id
    if case.lead_agency_id == agency_id:
        return True
    return case.involvements.filter(agency_id=agency_id, ended_on__isnull=True).exists()


def can_work_on(user: Any, case: Case) -> bool:
    """Record contacts, assessments, actions... on the case: the co-ordinator and the agencies involved.

    Break-glass gives full access for reading only, so it is not asked here.
    """
    return bool(
        (sees_all_cases(user) or is_involved(user, case))
        and user.has_capability(Capability.CASES_MANAGE)
        and case.is_open
    )


def can_work_on_open(user: Any, case: Case) -> bool:
    """Whether the user could record work on the case if it were open (to tell "closed" from "not yours")."""
    return bool((sees_all_cases(user) or is_involved(user, case)) and user.has_capability(Capability.CASES_MANAGE))


def can_see_victims(user: Any, case: Case) -> bool:
    from openiom.sharing.constants import Category
    from openiom.sharing.policy import may_read

    return may_read(user, Category.VICTIM_DETAILS, case)


def can_change_victims(user: Any, case: Case) -> bool:
    """Link, correct or refer victims: the sharing matrix lets the agency write victim details."""
    from openiom.sharing.constants import Category
    from openiom.sharing.policy import may_write

    return can_work_on(user, case) and may_write(user, Category.VICTIM_DETAILS, case)


def full_cases(user: Any) -> CaseQuerySet:
    """The cases the user sees in full."""
    if not getattr(user, "is_authenticated", False) or not user.has_capability(Capability.CASES_VIEW):
        return Case.objects.none()
    if sees_all_cases(user):
        return Case.objects.all()
    return Case.objects.filter(
        Q(lead_agency_id=user.agency_id)
        | Q(pk__in=Case.objects.filter(involvements__agency_id=user.agency_id, involvements__ended_on__isnull=True))
    )


def visible_cases(user: Any) -> CaseQuerySet:
    """The cases the user may find at all (in full or in the minimal view)."""
    if not getattr(user, "is_authenticated", False) or not user.has_capability(Capability.CASES_VIEW):
        return Case.objects.none()
    return Case.objects.all()
