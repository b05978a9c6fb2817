from __future__ import annotations

from django import forms

from .constants import Outcome
from .services import BreakGlassError, check_reason


class AskForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need full access to this case?",
        help_text=(
            "Explain in at least a sentence. The IOM co-ordinator is told at once and reviews every use. "
            "Every page you open is logged."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={"required": "Explain why you need full access to this case"},
    )

    def clean_reason(self) -> str:
        try:
            return check_reason(str(self.cleaned_data["reason"]))
        except BreakGlassError as exc:
            raise forms.ValidationError(str(exc)) from None


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Was the access justified?",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the access was justified"},
    )
    notes = forms.CharField(
        label="Notes",
        help_text="Required when the access was not justified. Ending the review ends any access left.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )
