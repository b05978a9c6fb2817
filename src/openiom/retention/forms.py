from __future__ import annotations

from django import forms


class RetentionForm(forms.Form):
    reason = forms.CharField(
        label="Why are you deleting this record?",
        help_text="For example, 'Annual retention review, approved by the information governance lead'",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Give the reason for the deletion"},
    )


class PeriodForm(forms.Form):
    months = forms.IntegerField(
        label="Retention period in months",
        min_value=1,
        max_value=1200,
        error_messages={
            "required": "Enter the retention period in months",
            "invalid": "Enter the period as a whole number of months, like 72",
            "min_value": "Enter a period between 1 and 1,200 months",
            "max_value": "Enter a period between 1 and 1,200 months",
        },
    )
    basis = forms.CharField(
        label="What the period rests on",
        help_text="The law, guidance or agreement, so the next reviewer knows why",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say what the period rests on"},
    )
