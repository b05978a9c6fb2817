"""The "My cases" and "My actions" notice on the home page."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("cases/lists/_home.html", takes_context=True)
def cases_on_home(context: dict[str, Any]) -> dict[str, Any]:
    """How many open cases the user works on, their open case actions and tasks, and how many are overdue."""
    from openiom.cases.views_lists import home_counts

    user = context["request"].user
    if not user.is_authenticated:
        return {}
    return {"counts": home_counts(user)}
