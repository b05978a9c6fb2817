"""Number formats for the cohort pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    """0.1234 -> "12.3%"; empty stays empty."""
    if value is None:
        return ""
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.filter
def number(value: float | None) -> str:
    """12.0 -> "12", 12.5 -> "12.5", 1234.0 -> "1,234"."""
    if value is None:
        return ""
    value = float(value)
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


@register.filter
def pounds(value: float | None) -> str:
    if value is None:
        return ""
    return f"£{float(value):,.0f}"


@register.filter
def ratio(value: float | None) -> str:
    if value is None:
        return ""
    return f"{float(value):.2f}"
