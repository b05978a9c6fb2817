"""Forms for consent and for one category's row of the sharing matrix."""

from __future__ import annotations

from typing import Any

from django import forms

from openiom.accounts.constants import AgencyType
from openiom.accounts.models import Agency

from .constants import CONSENT_CATEGORIES, Category
from .services import RuleInput


class ConsentForm(forms.Form):
    category = forms.ChoiceField(
        label="What the person consents to share",
        choices=[(c.value, c.label) for c in CONSENT_CATEGORIES],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the person consents to share"},
    )
    agency = forms.ModelChoiceField(
        label="Shared with",
        queryset=Agency.objects.active().order_by("name"),
        required=False,
        empty_label="All partners",
        help_text="Leave as 'All partners' when the person agreed to share with every partner agency.",
    )
    given_on = forms.DateField(
        label="Date consent was given",
        required=False,
        help_text="For example, 24/11/2026. Leave empty for today.",
        error_messages={"invalid": "Enter the date consent was given as a real date, for example 24/11/2026"},
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    notes = forms.CharField(
        label="How the person withdrew consent (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CategoryRulesForm(forms.Form):
    """One category: for each type of agency, may read, may write, and (where allowed) needs consent."""

    fingerprint = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, category: Category, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category = category
        self.rows: list[tuple[str, str, list[str]]] = []
        for value, label in AgencyType.choices:
            names = [f"{value}__read", f"{value}__write"]
            self.fields[names[0]] = forms.BooleanField(label=f"{label}: may read", required=False)
            self.fields[names[1]] = forms.BooleanField(label=f"{label}: may write", required=False)
            if category in CONSENT_CATEGORIES:
                names.append(f"{value}__consent")
                self.fields[names[2]] = forms.BooleanField(label=f"{label}: only with consent", required=False)
            self.rows.append((value, label, names))

    def bound_rows(self) -> list[tuple[str, list[Any]]]:
        return [(label, [self[name] for name in names]) for _, label, names in self.rows]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for value, label, names in self.rows:
            if data.get(f"{value}__write") and not data.get(f"{value}__read"):
                self.add_error(names[1], f"{label}: an agency that may not read a category may not write it")
            if data.get(f"{value}__consent") and not data.get(f"{value}__read"):
                self.add_error(names[2], f"{label}: consent only matters to an agency that may read the category")
        return data

    def rules(self) -> dict[str, RuleInput]:
        d = self.cleaned_data
        return {
            value: RuleInput(
                can_read=bool(d.get(f"{value}__read")),
                can_write=bool(d.get(f"{value}__write")),
                needs_consent=bool(d.get(f"{value}__consent")),
            )
            for value, _, _ in self.rows
        }
