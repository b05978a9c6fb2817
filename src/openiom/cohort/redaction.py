"""Selection results as one reader may see them: the one place the pages, the API and the export redact.

What the reader's agency may read is decided by `openiom.sharing.cohort` (the sharing matrix, by
agency type); this module applies it to stored scores. Nothing is ever saved: the scores, the stored
row and the exclusions keep every fact, and the scoring keeps using them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from openiom.analytics import Explanation
from openiom.sharing.cohort import readable_for_agency, shown_exclusion, shown_row

from .models import ScoredPerson
from .selectors import explanation_for

__all__ = ["readable_for_agency", "shown_components", "shown_explanation", "with_shown_exclusions"]

S = TypeVar("S", bound=ScoredPerson)


def shown_components(scored: ScoredPerson, readable: frozenset[str]) -> dict[str, Any]:
    """The stored row (dates as ISO strings) as the reader may see it: the API's figures."""
    return shown_row(scored.components, readable)


def shown_explanation(scored: ScoredPerson, readable: frozenset[str]) -> tuple[dict[str, Any], list[Explanation]]:
    """The scored row and its plain-English explanation, both as the reader may see them."""
    row = shown_row(scored.row(), readable)
    return row, explanation_for(scored, row)


def with_shown_exclusions(scored: Iterable[S], readable: frozenset[str]) -> list[S]:
    """The rows with their exclusion reason as the reader may see it (changed on the copies shown, never saved)."""
    shown = list(scored)
    for s in shown:
        s.exclusion = shown_exclusion(s.exclusion, readable)
    return shown
