"""Add or change a performance target. Checks beyond the field types are in `targets.target_problems`."""

from __future__ import annotations

from typing import Any

from django import forms

from .data import COHORT_CHOICES
from .models import Measure, TargetKind
from .targets import TargetData, TargetError


def _date(label: str, help_text: str = "For example, 2024-01-31") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        error_messages={"invalid": f"{label.removesuffix(' (optional)')} must be a real date, like 2024-01-31"},
    )


def _value(label: str, help_text: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=9,
        decimal_places=2,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "invalid": f"{label.removesuffix(' (optional)')} must be a number, like 10 or -20.5",
            "max_decimal_places": "Use no more than 2 decimal places",
            "max_digits": "The number is too large",
            "max_whole_digits": "The number is too large",
        },
    )


class TargetForm(forms.Form):
    name = forms.CharField(label="Name of the target", max_length=200, required=False,
                           help_text="For example, NI30 PPO reoffending, 2024 entrants")  # fmt: skip
    measure = forms.ChoiceField(label="What it measures", choices=Measure.choices, required=False,
                                widget=forms.RadioSelect)  # fmt: skip
    cohort = forms.ChoiceField(label="Cohort", choices=COHORT_CHOICES, required=False)
    entered_from = _date("Entrants from", "The first day of the period whose entrants are measured, like 2024-01-01")
    entered_to = _date("Entrants up to", "The last day of that period, like 2024-12-31")
    kind = forms.ChoiceField(label="Kind of target", choices=TargetKind.choices, required=False,
                             widget=forms.RadioSelect)  # fmt: skip
    target_value = _value(
        "Target",
        "For a reduction, the percentage to reduce by (10 for 10% lower). For at most a value, the value in the "
        "measure's unit: a rate as a percentage (63 for 63%), a change as a percentage (-20 for a fifth fewer), "
        "reoffences per offender as a number (1.5).",
    )
    baseline_value = _value(
        "Baseline value (optional)",
        "For a reduction only: the baseline in the measure's unit (70 for a rate of 70%). Leave blank to measure "
        "the baseline on an earlier period's entrants instead.",
    )
    baseline_from = _date("Baseline period from (optional)", "For a reduction measured against an earlier period")
    baseline_to = _date("Baseline period up to (optional)", "It must end before the target's period starts")
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="Where the target comes from, like the Local Area Agreement")  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def data_for_target(self) -> TargetData:
        c = self.cleaned_data
        return TargetData(
            name=c["name"],
            measure=c["measure"] or "",
            cohort=c["cohort"] or "",
            entered_from=c["entered_from"],
            entered_to=c["entered_to"],
            kind=c["kind"] or "",
            target_value=c["target_value"],
            baseline_value=c["baseline_value"],
            baseline_from=c["baseline_from"],
            baseline_to=c["baseline_to"],
            notes=c["notes"],
        )

    def add_target_errors(self, exc: TargetError) -> None:
        for name, message in exc.problems.items():
            self.add_error(name if name in self.fields else None, message)

    @classmethod
    def initial_for(cls, data: TargetData, version: int) -> dict[str, Any]:
        return {**data.__dict__, "version": version}

    def shown(self, name: str, value: object) -> str:
        """A field's value in words, as the form would show it."""
        choices = dict(getattr(self.fields[name], "choices", []))
        if value in (None, ""):
            return "Blank"
        return str(choices.get(value, value))
