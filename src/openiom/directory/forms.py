from __future__ import annotations

from typing import Any

from django import forms

from openiom.cases.constants import Cohort, Pathway

from .selectors import ServiceSearch
from .services import MAX_AGE, ServiceData, ServiceError

GENDER_CHOICES = [("", "Everyone"), ("M", "Men only"), ("F", "Women only")]


def _age(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_AGE,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"invalid": f"{label} must be a whole number, like 18"},
    )


class ServiceForm(forms.Form):
    """Add or change a service. Checks beyond the field types are in `services.service_problems`."""

    name = forms.CharField(label="Name of the service", max_length=200, required=False)
    provider = forms.CharField(label="Provider", max_length=200, required=False, help_text="The organisation")
    description = forms.CharField(
        label="What it offers (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    pathways = forms.MultipleChoiceField(
        label="Pathways it works on",
        choices=Pathway.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    area = forms.CharField(
        label="Area (optional)", max_length=100, required=False, help_text="Leave blank if it is offered everywhere"
    )
    min_age = _age("Minimum age (optional)")
    max_age = _age("Maximum age (optional)")
    gender = forms.ChoiceField(label="Who it is for", choices=GENDER_CHOICES, required=False, widget=forms.RadioSelect)
    cohorts = forms.MultipleChoiceField(
        label="Cohorts (optional)",
        choices=Cohort.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unselected if it is for any cohort",
    )
    capacity = forms.IntegerField(
        label="Places (optional)",
        required=False,
        min_value=0,
        help_text="How many people referred by the partnership it can work with at any one time. "
        "Leave blank if you do not know.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"invalid": "Places must be a whole number, like 12", "min_value": "Places must be 0 or more"},
    )
    contact = forms.CharField(label="Contact (optional)", max_length=200, required=False)
    referral_route = forms.CharField(
        label="How to refer (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def data_for_service(self) -> ServiceData:
        c = self.cleaned_data
        return ServiceData(
            name=c["name"],
            provider=c["provider"],
            description=c["description"],
            pathways=list(c["pathways"]),
            area=c["area"],
            min_age=c["min_age"],
            max_age=c["max_age"],
            gender=c["gender"] or "",
            cohorts=list(c["cohorts"]),
            capacity=c["capacity"],
            contact=c["contact"],
            referral_route=c["referral_route"],
        )

    def add_service_errors(self, exc: ServiceError) -> None:
        for name, message in exc.problems.items():
            self.add_error(name if name in self.fields else None, message)

    @classmethod
    def initial_for(cls, data: ServiceData, version: int) -> dict[str, Any]:
        return {**data.__dict__, "version": version}


class SearchForm(forms.Form):
    """The directory's filters (GET). Unknown values are errors, shown in the error summary."""

    q = forms.CharField(label="Search", max_length=100, required=False, help_text="Name, provider or what it offers")
    pathway = forms.ChoiceField(label="Pathway", required=False, choices=[("", "Any pathway"), *Pathway.choices])
    area = forms.ChoiceField(label="Area", required=False)
    age = _age("Age of the person")
    gender = forms.ChoiceField(
        label="Gender of the person", required=False, choices=[("", "Any"), ("M", "Male"), ("F", "Female")]
    )
    cohort = forms.ChoiceField(label="Cohort", required=False, choices=[("", "Any cohort"), *Cohort.choices])
    available = forms.BooleanField(label="Only services with places free", required=False)
    inactive = forms.BooleanField(label="Include services no longer taking referrals", required=False)

    def __init__(self, *args: Any, areas: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "Any area"), *((a, a) for a in areas)]  # type: ignore[attr-defined]

    def search(self) -> ServiceSearch:
        c: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            c = self.cleaned_data  # the fields that are valid; a wrong one is ignored and reported
        return ServiceSearch(
            words=c.get("q", ""),
            pathway=c.get("pathway", ""),
            area=c.get("area", ""),
            age=c.get("age"),
            gender=c.get("gender", ""),
            cohort=c.get("cohort", ""),
            available=bool(c.get("available")),
            include_inactive=bool(c.get("inactive")),
        )


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="UTF-8 CSV with a header row, no more than 1 MB")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".csv"):
            raise forms.ValidationError("The file must be a CSV file (.csv)")
        if upload.size > 1_000_000:
            raise forms.ValidationError("The file must be smaller than 1 MB")
        return upload


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        label="Why does it no longer take referrals?",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
