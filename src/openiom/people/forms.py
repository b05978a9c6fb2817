from __future__ import annotations

from django import forms

from .selectors import PersonSearch


class PersonSearchForm(forms.Form):
    name = forms.CharField(label="Name", required=False, max_length=100, help_text="Any part of a given or family name")
    date_of_birth = forms.DateField(
        label="Date of birth",
        required=False,
        help_text="For example, 1999-04-02",
        error_messages={"invalid": "Enter the date of birth as a real date, like 1999-04-02"},
    )
    identifier = forms.CharField(
        label="Identifier", required=False, max_length=40, help_text="A PNC id or an agency's own id for the person"
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not self.errors and self.to_search(data).is_empty:
            raise forms.ValidationError("Enter a name, a date of birth or an identifier")
        return data

    def to_search(self, data: dict[str, object] | None = None) -> PersonSearch:
        d = data if data is not None else self.cleaned_data
        return PersonSearch(
            name=str(d.get("name") or ""),
            date_of_birth=d.get("date_of_birth"),  # type: ignore[arg-type]
            identifier=str(d.get("identifier") or ""),
        )


class MatchDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Are these records the same person?",
        choices=[("same", "Yes, the same person"), ("different", "No, different people")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether these records are the same person"},
    )
    reason = forms.CharField(
        label="Why (optional)", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
