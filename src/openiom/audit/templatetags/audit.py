from django import template

from openiom.audit.constants import Purpose

register = template.Library()


@register.filter
def purpose_label(value: str | None) -> str:
    """The readable name of a purpose code ('case_management' -> 'Case management')."""
    if not value:
        return "Not given"
    try:
        return str(Purpose(value).label)
    except ValueError:
        return value
