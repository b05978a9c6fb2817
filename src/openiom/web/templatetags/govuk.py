"""GOV.UK Design System form rendering for Django forms.

`{% govuk_error_summary form %}` and `{% govuk_field form.field %}` render the
GOV.UK markup (labels, hints, error messages, `aria-describedby`) for each kind
of widget, so pages never hand-copy field markup.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField

from openiom.web.forms import GovukDateWidget

register = template.Library()

_INPUT_WIDGETS = (
    forms.TextInput,
    forms.EmailInput,
    forms.PasswordInput,
    forms.NumberInput,
    forms.URLInput,
    forms.DateInput,
)


def _kind(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, GovukDateWidget):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, _INPUT_WIDGETS):
        return "input"
    raise TypeError(f"No GOV.UK rendering for {type(widget).__name__}")


_CLASSES = {
    "input": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "file": "govuk-file-upload",
}


@register.inclusion_tag("components/field.html")
def govuk_field(field: BoundField, width: str = "", inline: bool = False) -> dict[str, Any]:
    """`width` sizes a text input (GOV.UK's fixed widths: "2", "3", "4", "5", "10", "20", "30");
    `inline` puts a short set of radios side by side."""
    kind = _kind(field)
    field_id = field.auto_id or f"id_{field.html_name}"
    hint_id = f"{field_id}-hint" if field.help_text else ""
    error_id = f"{field_id}-error" if field.errors else ""
    described_by = " ".join(x for x in (hint_id, error_id) if x)
    context: dict[str, Any] = {
        "field": field,
        "kind": kind,
        "field_id": field_id,
        "hint_id": hint_id,
        "error_id": error_id,
        "described_by": described_by,
        "inline": inline and kind == "radios",
    }
    if kind in _CLASSES:
        css = _CLASSES[kind]
        if width and kind == "input":
            css += f" govuk-input--width-{width}"
        if field.errors:
            css += f" {css.split()[0]}--error"
        attrs: dict[str, Any] = {"class": css}
        if described_by:
            attrs["aria-describedby"] = described_by
        context["widget_html"] = field.as_widget(attrs=attrs)
    elif kind == "checkbox":
        attrs = {"class": "govuk-checkboxes__input"}
        if described_by:
            attrs["aria-describedby"] = described_by
        context["widget_html"] = field.as_widget(attrs=attrs)
    elif kind in {"checkboxes", "radios"}:
        context["options"] = list(field.subwidgets)
    elif kind == "date":
        value = field.value()
        if not isinstance(value, list | tuple):
            value = field.field.widget.decompress(value)
        context["parts"] = [
            {
                "label": label,
                "name": f"{field.html_name}_{i}",
                "id": f"{field_id}_{i}",
                "value": "" if value[i] is None else value[i],
                "width": width,
            }
            for i, (label, width) in enumerate((("Day", "2"), ("Month", "2"), ("Year", "4")))
        ]
    return context


@register.inclusion_tag("components/error_summary.html")
def govuk_error_summary(form: forms.BaseForm) -> dict[str, Any]:
    items: list[tuple[str, str]] = []
    visible = form.visible_fields()
    first_id = (visible[0].auto_id or "") if visible else ""
    for error in form.non_field_errors():
        items.append((first_id, str(error)))
    for field in visible:
        for error in field.errors:
            target = field.auto_id or ""
            if _kind(field) in {"checkboxes", "radios", "date"} and target:
                target = f"{target}_0"
            items.append((target, str(error)))
    return {"items": items}
