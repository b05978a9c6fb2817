"""Showing case records as a user may read them: the one place pages and the API redact from.

Levels of need and the existence of a prompt are never special categories; the notes on the
health and drugs-and-alcohol pathways are, and so is the offence named in a review prompt when
it is in a special category (a sexual offence, for example).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from .constants import PATHWAY_CATEGORIES, RESTRICTED_PROMPT
from .policy import offence_category, readable_categories

P = TypeVar("P")


def hidden_note_pathways(user: Any, case: Any) -> set[str]:
    """Pathways whose notes are a special category this user may not read (the level stays visible)."""
    readable = readable_categories(user, case)
    return {pathway for pathway, category in PATHWAY_CATEGORIES.items() if category not in readable}


def prompt_reason(user: Any, case: Any, prompt: Any, readable: frozenset[str] | None = None) -> str:
    """The prompt's reason, or a restricted wording when it names an offence the user may not read about."""
    offence = prompt.offence if prompt.offence_id else None
    category = offence_category(offence.offence_code) if offence is not None else None
    if category is None:
        return str(prompt.reason)
    readable = readable_categories(user, case) if readable is None else readable
    return str(prompt.reason) if category in readable else RESTRICTED_PROMPT


def shown_prompts(user: Any, case: Any, prompts: Iterable[P]) -> list[P]:
    """Review prompts as this user may read them; the reason is changed on the copies shown, never saved."""
    readable = readable_categories(user, case)
    shown = list(prompts)
    for prompt in shown:
        prompt.reason = prompt_reason(user, case, prompt, readable)  # type: ignore[attr-defined]
    return shown
