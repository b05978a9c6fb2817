"""Forms for cohort selection: a new run, filtering results, choosing two runs to compare."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from openiom.analytics import ConfigError, SelectionConfig
from openiom.web.forms import GovukDateField

from .constants import Cohort, Framework, Outcome, Route
from .models import SelectionRun
from .services import check_as_of

OUTCOME_WORDS = (
    ("arrest", "Arrests"),
    ("charge", "Charges"),
    ("conviction", "Convictions"),
    ("caution", "Cautions"),
    ("no_further_action", "No further action"),
)

# Form field -> where it lives in SelectionConfig.as_dict().
SETTINGS: dict[str, tuple[str, ...]] = {
    "lookback_days": ("lookback_days",),
    "counted_outcomes": ("counted_outcomes",),
    "nominations_wanted": ("nominations_wanted",),
    "dyo_nominations_wanted": ("dyo_nominations_wanted",),
    "hcc_min_rfg_score": ("cohorts", "hcc_min_rfg_score"),
    "ppo_min_sanction_occasions": ("cohorts", "ppo_min_sanction_occasions"),
    "dyo_min_asset_score": ("cohorts", "dyo_min_asset_score"),
    "recency_weight": ("rfg", "recency_weight"),
    "frequency_weight": ("rfg", "frequency_weight"),
    "gravity_weight": ("rfg", "gravity_weight"),
}
FIELD_FOR_PATH = {".".join(path): name for name, path in SETTINGS.items()}


def _field_for(where: str) -> str | None:
    """The form field for a setting path in a ConfigError (`counted_outcomes.0` -> counted_outcomes)."""
    for path, name in FIELD_FOR_PATH.items():
        if where == path or where.startswith(path + "."):
            return name
    return None


def _number(
    label: str, noun: str, *, low: float, high: float | None = None, whole: bool = True, hint: str = ""
) -> forms.Field:
    """A number field with GOV.UK error messages that name the setting."""
    high_words = f" and {high:,g}" if high is not None else ""
    range_words = f"between {low:,g}{high_words}" if high is not None else f"{low:,g} or more"
    messages = {
        "required": f"Enter {noun}",
        "invalid": f"Enter {noun} as a {'whole ' if whole else ''}number",
        "min_value": f"{noun[0].upper()}{noun[1:]} must be {range_words}",
        "max_value": f"{noun[0].upper()}{noun[1:]} must be {range_words}",
    }
    # A text box, as the GOV.UK Design System advises for numbers, with the right keyboard on phones.
    widget = forms.TextInput(attrs={"inputmode": "numeric" if whole else "decimal", "spellcheck": "false"})
    if whole:
        return forms.IntegerField(
            label=label,
            min_value=int(low),
            max_value=int(high) if high is not None else None,
            error_messages=messages,
            widget=widget,
            help_text=hint,
        )
    return forms.FloatField(
        label=label, min_value=low, max_value=high, error_messages=messages, widget=widget, help_text=hint
    )


class NewRunForm(forms.Form):
    as_of = GovukDateField(
        label="As-of date",
        noun="the as-of date",
        help_text="Scores are worked out as they stood on this day. For example, 31 10 2026",
    )
    label = forms.CharField(
        label="Name for this run (optional)",
        required=False,
        max_length=100,
        help_text="So you can find it again, for example ‘October panel’ or ‘HCC threshold 8’",
        error_messages={"max_length": "The name must be 100 characters or fewer"},
    )
    lookback_days = _number(
        "Look-back window in days",
        "the look-back window",
        low=30,
        high=3650,
        hint="Offences in this many days up to the as-of date are counted (usually 365)",
    )
    counted_outcomes = forms.MultipleChoiceField(
        label="What counts as an offence",
        choices=OUTCOME_WORDS,
        widget=forms.CheckboxSelectMultiple,
        help_text="Offences with these outcomes count towards recency, frequency and gravity",
        error_messages={"required": "Select at least one outcome to count"},
    )
    nominations_wanted = _number(
        "IOM nominations wanted",
        "the number of IOM nominations",
        low=0,
        high=100_000,
        hint="The highest ranked adults are nominated, up to this number",
    )
    dyo_nominations_wanted = _number(
        "Deter Young Offenders nominations wanted",
        "the number of Deter Young Offenders nominations",
        low=0,
        high=100_000,
        hint="The highest ranked under-18s are nominated, up to this number",
    )
    hcc_min_rfg_score = _number(
        "High Crime Causer: lowest RFG score",
        "the lowest RFG score for a High Crime Causer",
        low=0,
        whole=False,
        hint="Adults with an RFG score of at least this are High Crime Causers",
    )
    ppo_min_sanction_occasions = _number(
        "Prolific and Priority Offender: fewest sanction occasions in the window",
        "the fewest sanction occasions for a PPO",
        low=1,
        high=1000,
        hint="Convictions and cautions on different days. Anyone with a PPO flag in force also qualifies",
    )
    dyo_min_asset_score = _number(
        "Deter Young Offenders: lowest Asset score",
        "the lowest Asset score for Deter Young Offenders",
        low=0,
        high=64,
    )
    recency_weight = _number("Recency weight", "the recency weight", low=0, high=100, whole=False)
    frequency_weight = _number("Frequency weight", "the frequency weight", low=0, high=100, whole=False)
    gravity_weight = _number("Gravity weight", "the gravity weight", low=0, high=100, whole=False)
    config_json = forms.CharField(
        label="The whole configuration as JSON",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
        help_text="For settings not listed above (bands, offence lists, exclusions). If you change this, it is used "
        "exactly as written and the settings above are ignored.",
    )
    shown_config = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, base: SelectionConfig | None = None, today: date | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        base = base or SelectionConfig()
        shown = base.to_json()
        self.fields["shown_config"].initial = shown
        self.fields["config_json"].initial = shown
        self.fields["as_of"].initial = today or timezone.localdate()
        levels = [level.replace("_", " ") for level in base.cohorts.dyo_rosh_levels]
        rosh = (", or a risk of serious harm of " + " or ".join(levels)) if levels else ""
        self.fields["dyo_min_asset_score"].help_text = f"Under-18s with a DYO flag{rosh} also qualify"
        values = base.as_dict()
        for name, path in SETTINGS.items():
            value: Any = values
            for key in path:
                value = value[key]
            self.fields[name].initial = f"{value:g}" if isinstance(value, float) else value

    def clean_as_of(self) -> date:
        as_of = self.cleaned_data["as_of"]
        if as_of is not None:
            check_as_of(as_of)
        return as_of

    def _json_changed(self, typed: str, shown: str) -> bool:
        if not typed.strip():
            return False
        try:
            return bool(json.loads(typed) != json.loads(shown))
        except json.JSONDecodeError:
            return True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        shown = data.get("shown_config") or SelectionConfig().to_json()
        typed = data.get("config_json") or ""
        if self._json_changed(typed, shown):
            for name in SETTINGS:  # the JSON wins: the simple settings are not used
                self.errors.pop(name, None)
            try:
                data["config"] = SelectionConfig.from_json(typed)
            except ConfigError as exc:
                self.add_error("config_json", f"The configuration cannot be used: {exc}")
            return data
        if any(name in self.errors for name in SETTINGS):
            return data
        try:
            values = SelectionConfig.from_json(shown).as_dict()
        except ConfigError as exc:
            raise ValidationError(f"The configuration this form started from cannot be used: {exc}") from None
        for name, path in SETTINGS.items():
            target: Any = values
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = data[name]
        try:
            data["config"] = SelectionConfig.from_dict(values)
        except ConfigError as exc:
            for problem in str(exc).split("; "):
                where, _, message = problem.partition(": ")
                field_name = _field_for(where)
                self.add_error(field_name, message if field_name else problem)
        return data


def _choices(label_for_all: str, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", label_for_all), *choices]


class ResultsFilterForm(forms.Form):
    """Filters for a run's results (GET). The outcome defaults to the nominations."""

    outcome = forms.ChoiceField(label="Outcome", required=False, choices=[*Outcome.choices, ("all", "Everyone scored")])
    route = forms.ChoiceField(label="Route", required=False, choices=_choices("Both routes", Route.choices))
    cohort = forms.ChoiceField(
        label="Cohort",
        required=False,
        choices=_choices("Any cohort", [*Cohort.choices, ("none", "No cohort")]),
    )
    framework = forms.ChoiceField(
        label="National framework", required=False, choices=_choices("Any", Framework.choices)
    )
    custody = forms.ChoiceField(
        label="Custody",
        required=False,
        choices=[("", "In custody or not"), ("in", "In custody"), ("out", "In the community")],
    )

    def values(self) -> dict[str, str]:
        """The filters chosen (valid ones only; an unknown value is ignored, not an error)."""
        data = self.cleaned_data if self.is_valid() else {}
        outcome = data.get("outcome") or Outcome.NOMINATED
        return {
            "outcome": "" if outcome == "all" else outcome,
            "route": data.get("route") or "",
            "cohort": data.get("cohort") or "",
            "framework": data.get("framework") or "",
            "custody": data.get("custody") or "",
        }


class RunChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        run: SelectionRun = obj
        return f"{run.name} (as of {run.as_of:%-d %b %Y}, {run.nominated} nominated)"


class CompareForm(forms.Form):
    a = RunChoiceField(
        label="Run A (before)",
        queryset=SelectionRun.objects.none(),
        empty_label="Choose a run",
        error_messages={"required": "Choose run A", "invalid_choice": "Choose run A from the list"},
    )
    b = RunChoiceField(
        label="Run B (after)",
        queryset=SelectionRun.objects.none(),
        empty_label="Choose a run",
        error_messages={"required": "Choose run B", "invalid_choice": "Choose run B from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        runs = SelectionRun.objects.succeeded().order_by("-created_at", "-pk")
        self.fields["a"].queryset = runs  # type: ignore[attr-defined]
        self.fields["b"].queryset = runs  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("a") and data.get("a") == data.get("b"):
            self.add_error("b", "Choose two different runs")
        return data
