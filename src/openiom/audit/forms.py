from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django import forms

from openiom.accounts.models import Agency, User

from .constants import Purpose
from .selectors import AuditFilter, audited_content_types


class AuditSearchForm(forms.Form):
    person = forms.IntegerField(
        label="Person number",
        help_text="The number on the person's page: shows entries about them and everything held on them",
        required=False,
        min_value=1,
        error_messages={"invalid": "Enter the person number as a whole number, like 1024"},
    )
    actor = forms.ModelChoiceField(
        label="User", queryset=User.objects.order_by("full_name"), required=False, empty_label="Anyone"
    )
    agency = forms.ModelChoiceField(
        label="User's agency", queryset=Agency.objects.order_by("name"), required=False, empty_label="Any agency"
    )
    record_type = forms.ChoiceField(label="Type of record", required=False)
    record_id = forms.CharField(label="Record number", required=False, max_length=40)
    action = forms.TypedChoiceField(
        label="What happened",
        choices=[("", "Anything")] + [(str(v), str(label).capitalize()) for v, label in LogEntry.Action.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    purpose = forms.ChoiceField(label="Purpose", choices=[("", "Any purpose"), *Purpose.choices], required=False)
    date_from = forms.DateField(
        label="From",
        help_text="For example, 2026-03-27",
        required=False,
        error_messages={"invalid": "Enter the start date as a real date, like 2026-03-27"},
    )
    date_to = forms.DateField(
        label="To",
        help_text="For example, 2026-04-30",
        required=False,
        error_messages={"invalid": "Enter the end date as a real date, like 2026-03-27"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [  # type: ignore[attr-defined]
            ("", "Any record"),
            *((str(ct.pk), str(ct.name).capitalize()) for ct in audited_content_types()),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return data

    def to_filter(self) -> AuditFilter:
        d = self.cleaned_data
        return AuditFilter(
            person_id=d.get("person"),
            actor_id=d["actor"].pk if d.get("actor") else None,
            agency_id=d["agency"].pk if d.get("agency") else None,
            content_type_id=int(d["record_type"]) if d.get("record_type") else None,
            object_pk=(d.get("record_id") or "").strip(),
            action=d.get("action"),
            purpose=d.get("purpose") or "",
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
        )


class SubjectAccessForm(forms.Form):
    person = forms.IntegerField(
        label="Person number",
        help_text="The number on the person's page",
        min_value=1,
        error_messages={
            "required": "Enter the person number",
            "invalid": "Enter the person number as a whole number, like 1024",
            "min_value": "Enter the person number as a whole number, like 1024",
        },
    )
    reference = forms.CharField(
        label="Request reference (optional)",
        help_text="Your reference for the request, for example SAR-2026-014. Do not enter a name.",
        required=False,
        max_length=40,
    )
    format = forms.ChoiceField(
        label="Format",
        choices=[("pdf", "PDF, to read"), ("json", "JSON, for another system")],
        initial="pdf",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose PDF or JSON"},
    )

    def clean_person(self) -> int:
        from openiom.people.models import Person

        pk = self.cleaned_data["person"]
        if not Person.objects.filter(pk=pk).exists():
            raise forms.ValidationError("There is no person with that number")
        return int(pk)
