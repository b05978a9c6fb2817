"""Filters of the evaluation reports (GET: they hold no personal data)."""

from __future__ import annotations

from django import forms

from .data import COHORT_CHOICES, CohortFilter


class CohortFilterForm(forms.Form):
    cohort = forms.ChoiceField(label="Cohort", choices=COHORT_CHOICES, required=False)
    entered_from = forms.DateField(label="Entered from", required=False, help_text="For example, 2022-04-01")
    entered_to = forms.DateField(label="Entered up to", required=False, help_text="For example, 2023-03-31")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("entered_from"), data.get("entered_to")
        if start and end and start > end:
            self.add_error("entered_to", "The end of the period must be on or after its start")
        return data

    def cohort_filter(self) -> CohortFilter:
        if not self.is_bound or not self.is_valid():
            return CohortFilter()
        d = self.cleaned_data
        return CohortFilter(
            cohort=d.get("cohort") or "IOM", entered_from=d.get("entered_from"), entered_to=d.get("entered_to")
        )
