"""Template helpers for the panels pages: the "My actions" notice on the home page, the quorum in words,
cohort names and the minutes laid out in blocks for the PDF."""

from __future__ import annotations

from typing import Any

from django import template

from openiom.accounts.constants import Capability
from openiom.cohort.constants import Cohort
from openiom.panels.selectors import action_counts

register = template.Library()


@register.inclusion_tag("panels/_home.html", takes_context=True)
def panels_on_home(context: dict[str, Any]) -> dict[str, Any]:
    """On the home page: "My actions" for a user with open panel actions (saying how many are overdue), and
    the referral form for those who refer but do not see the Panels section (partner practitioners)."""
    user = context["request"].user
    if not user.is_authenticated:
        return {}
    return {
        "counts": action_counts(user),
        "refer_only": user.has_capability(Capability.REFER) and not user.has_capability(Capability.PANELS_VIEW),
    }


@register.filter
def after_label(message: str) -> str:
    """ "Not quorate: 3 organisations present; ..." -> "3 organisations present; ..." (the tag says the rest)."""
    return message.split(": ", 1)[-1]


@register.filter
def cohort_names(codes: list[str]) -> str:
    """["PPO", "HCC"] -> "Prolific and Priority Offender (PPO), High Crime Causer (HCC)"."""
    return ", ".join(f"{Cohort(c).label} ({c})" if c in Cohort.values else c for c in codes)


@register.filter
def minutes_blocks(text: str) -> list[dict[str, Any]]:
    """The minutes as blocks separated by blank lines, in order. A block's first line is its heading when
    more lines follow; consecutive lines starting "- " become one list."""
    blocks: list[dict[str, Any]] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.rstrip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        heading = lines[0] if len(lines) > 1 and not lines[0].startswith("- ") else ""
        parts: list[dict[str, Any]] = []
        for line in lines[1:] if heading else lines:
            if line.startswith("- "):
                if not parts or "bullets" not in parts[-1]:
                    parts.append({"bullets": []})
                parts[-1]["bullets"].append(line[2:])
            else:
                parts.append({"text": line})
        blocks.append({"heading": heading, "parts": parts})
    return blocks
