"""`{% govuk_password_field form.field %}`: the GOV.UK password input, with its Show button.

The button is hidden until GOV.UK Frontend's `initAll()` (in the page's static module) starts
the `govuk-password-input` component, so without JavaScript the field is a plain password field.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField

register = template.Library()


@register.inclusion_tag("accounts/_password_input.html")
def govuk_password_field(field: BoundField) -> dict[str, Any]:
    if not isinstance(field.field.widget, forms.PasswordInput):
        raise TypeError(f"{field.name} is not a password field")
    field_id = field.auto_id or f"id_{field.html_name}"
    hint_id = f"{field_id}-hint" if field.help_text else ""
    error_id = f"{field_id}-error" if field.errors else ""
    described_by = " ".join(x for x in (hint_id, error_id) if x)
    css = "govuk-input govuk-password-input__input govuk-js-password-input-input"
    attrs: dict[str, Any] = {
        "class": css + (" govuk-input--error" if field.errors else ""),
        "spellcheck": "false",
        "autocapitalize": "none",
    }
    if described_by:
        attrs["aria-describedby"] = described_by
    return {
        "field": field,
        "field_id": field_id,
        "hint_id": hint_id,
        "error_id": error_id,
        "widget_html": field.as_widget(attrs=attrs),
    }
