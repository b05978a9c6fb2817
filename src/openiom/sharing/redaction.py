"""Showing case records as a user may read them: the one place pages and the API redact from.

Levels of need and the existence of a prompt are never special categories; the notes on the
health and drugs-and-alcohol pathways are, and so are the descriptions and outcomes of plan actions
on those pathways (except for the action's owner and the owner's agency, who must be able to do
it), and so is the offence named in a review prompt when it is in a special category (a sexual
offence, for example). The notes of a drug test contact are substance misuse treatment information
(except for the agency that recorded it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from .constants import (
    CONTACT_KIND_CATEGORIES,
    PATHWAY_CATEGORIES,
    RESTRICTED_ACTION,
    RESTRICTED_CONTACT_NOTES,
    RESTRICTED_PROMPT,
)
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


def may_read_action(user: Any, action: Any, hidden: set[str] | None = None) -> bool:
    """Whether the user may read a plan action's description and outcome."""
    if action.owner_id == getattr(user, "pk", None) or action.owner_agency_id == getattr(user, "agency_id", None):
        return True
    hidden = hidden_note_pathways(user, action.case) if hidden is None else hidden
    return action.pathway not in hidden


def shown_actions(user: Any, actions: Iterable[P]) -> list[P]:
    """Plan actions as this user may read them: on a special-category pathway the user may not read,
    the description and outcome are replaced on the copies shown (never saved)."""
    hidden_by_case: dict[int, set[str]] = {}
    shown = list(actions)
    for action in shown:
        case_id = action.case_id  # type: ignore[attr-defined]
        if case_id not in hidden_by_case:
            hidden_by_case[case_id] = hidden_note_pathways(user, action.case)  # type: ignore[attr-defined]
        if not may_read_action(user, action, hidden_by_case[case_id]):
            action.description = RESTRICTED_ACTION  # type: ignore[attr-defined]
            action.outcome = ""  # type: ignore[attr-defined]
    return shown


def shown_contacts(user: Any, case: Any, contacts: Iterable[P]) -> list[P]:
    """Contacts as this user may read them: the notes of a contact whose kind is a special category
    (a drug test) are replaced on the copies shown, unless the user's agency recorded it."""
    shown = list(contacts)
    readable: frozenset[str] | None = None
    for contact in shown:
        category = CONTACT_KIND_CATEGORIES.get(contact.kind)  # type: ignore[attr-defined]
        if category is None or not contact.notes:  # type: ignore[attr-defined]
            continue
        if contact.agency_id == getattr(user, "agency_id", None):  # type: ignore[attr-defined]
            continue
        readable = readable_categories(user, case) if readable is None else readable
        if category not in readable:
            contact.notes = RESTRICTED_CONTACT_NOTES  # type: ignore[attr-defined]
    return shown
