"""Form fields for GOV.UK patterns that Django has no widget for."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes (`{% govuk_field %}` renders it)."""

    def __init__(self) -> None:
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()])

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A real date from three boxes. Keeps what the user typed when it is not one."""

    widget = GovukDateWidget

    def __init__(self, *, noun: str = "the date", **kwargs: Any) -> None:
        self.noun = noun
        parts = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(
            fields=parts,
            require_all_fields=False,
            error_messages={"required": f"Enter {noun}", "incomplete": f"Enter {noun} with a day, month and year"},
            **kwargs,
        )

    def compress(self, data_list: list[str]) -> date | None:
        if not data_list or not any(data_list):
            return None
        try:
            day, month, year = (int(str(v).strip()) for v in data_list)
            if year < 1000:
                raise ValueError
            return date(year, month, day)
        except (TypeError, ValueError):
            message = f"{self.noun[0].upper()}{self.noun[1:]} must be a real date"
            raise forms.ValidationError(message, code="invalid") from None
