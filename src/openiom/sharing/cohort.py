"""Special categories in cohort selection results: decided by the reader's agency type and the matrix.

A selection run scores the whole offending population at once, and what leaves the server is a
list (nominations, exclusions, a comparison of runs, the CSV export, the API), many of whose people
have no case, and some of whom have since been merged away by record linkage. `policy.may_read`
asks about one person (case access, consent, break-glass); the cohort surfaces ask instead, once per
request, what the reader's *agency type* may read under the sharing matrix:

- a category is readable when the matrix has a rule for the agency type that reads it;
- a rule that rests on consent gives no access here. Consent is recorded person by person, for
  health and substance-misuse treatment, to share for their care; the categories a run's rows
  carry (MAPPA, MARAC as domestic abuse, sexual offending) do not rest on consent in the defaults,
  and if an administrator makes one of them do so, the cohort surfaces withhold it from that agency
  type (failing closed) rather than read each person's consent for every row of a list;
- a break-glass grant opens one case or person's record, on that record: it does not open the
  partnership's lists.

The scoring keeps using every fact (a MAPPA level 2 or 3 still excludes); only what is shown changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .constants import RESTRICTED_OFFENCE, SEXUAL_OFFENCE_CODES, Category
from .models import SharingRule

__all__ = [
    "RESTRICTED_EXCLUSION",
    "exclusion_category",
    "readable_for_agency",
    "shown_exclusion",
    "shown_row",
]

RESTRICTED_EXCLUSION = "managed under a restricted multi-agency arrangement (ask probation or the police)"
RESTRICTED_OFFENCE_WORDS = RESTRICTED_OFFENCE[0].lower() + RESTRICTED_OFFENCE[1:]
RESTRICTED_VALUE = "restricted"

# Columns of a scored row that name an offence (its code), and the OGRS3 category of the current
# offence, which names a sexual offence as plainly as its code ("Sexual (against child)").
OFFENCE_COLUMNS = ("latest_offence_code", "gravity_code", "current_offence_code")
# Columns of a scored row that are a flag in a special category: left out for a reader who may not read it.
FLAG_COLUMNS: dict[str, Category] = {"mappa_level": Category.MAPPA, "marac_flag": Category.DOMESTIC_ABUSE}


def readable_for_agency(user: Any) -> frozenset[str]:
    """The special categories the user's agency type may read under the matrix, without consent."""
    agency = getattr(user, "agency", None)
    if agency is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return frozenset()
    rules = SharingRule.objects.filter(agency_type=agency.agency_type, can_read=True, needs_consent=False)
    return frozenset(rules.values_list("category", flat=True))


def exclusion_category(exclusion: str) -> Category | None:
    """The category of a run's exclusion reason: the scoring's "MAPPA level N: …" is MAPPA; under 10s are not."""
    return Category.MAPPA if "mappa" in exclusion.lower() else None


def shown_exclusion(exclusion: str, readable: frozenset[str]) -> str:
    category = exclusion_category(exclusion or "")
    return RESTRICTED_EXCLUSION if category is not None and category not in readable else exclusion


def _restricted_offence(code: Any, readable: frozenset[str]) -> bool:
    return code in SEXUAL_OFFENCE_CODES and Category.SEXUAL_OFFENDING not in readable


def shown_row(row: Mapping[str, Any], readable: frozenset[str]) -> dict[str, Any]:
    """A copy of a scored row as this reader may see it (the stored components or the decoded row alike).

    An offence in a category they may not read is named "an offence in a restricted category" (and the
    current offence's OGRS3 category is "restricted"); a flag column in such a category is left out for
    everyone scored, so its absence says nothing; a MAPPA exclusion is given in neutral words.
    """
    hidden = {column for column, category in FLAG_COLUMNS.items() if category not in readable}
    shown = {key: value for key, value in row.items() if key not in hidden}
    for column in OFFENCE_COLUMNS:
        if _restricted_offence(shown.get(column), readable):
            shown[column] = RESTRICTED_OFFENCE_WORDS
    if _restricted_offence(row.get("current_offence_code"), readable) and "offence_category" in shown:
        shown["offence_category"] = RESTRICTED_VALUE
    if shown.get("exclusion"):
        shown["exclusion"] = shown_exclusion(str(shown["exclusion"]), readable)
    return shown
