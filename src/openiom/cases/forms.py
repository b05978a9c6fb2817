"""Forms for the case pages. The rules live in the service functions; these check what was typed.

Every form that edits something existing carries the `version` it started from in a hidden field
(`VersionedForm`), so the service can refuse a change made on top of someone else's. When that
happens the page shows the user's typed values and, beside them, what is saved now
(`saved_rows`), and the hidden version moves on so a second save goes through.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from openiom.accounts.constants import Capability
from openiom.accounts.models import Agency, User
from openiom.directory.models import Service
from openiom.web.forms import GovukDateField

from .constants import (
    ACTION_MOVES,
    INTERVENTION_MOVES,
    ActionStatus,
    Cohort,
    ContactKind,
    ContactOutcome,
    EnforcementKind,
    Framework,
    InterventionStatus,
    NeedLevel,
    Pathway,
    RoshLevel,
    TaskStatus,
)
from .models import Case, Contact, Intervention, PathwayNeed, PlanAction, Task, Tier, Victim
from .plans import NeedInput

Rows = list[tuple[str, str]]


def _text(label: str, *, required: bool = True, rows: int = 4, help_text: str = "", missing: str = "") -> forms.Field:
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={"required": missing or f"Enter the {label.lower()}"},
    )


def _optional_date(label: str, noun: str, help_text: str = "Leave empty for today. For example, 12 1 2027") -> Any:
    return GovukDateField(label=label, noun=noun, required=False, help_text=help_text)


def case_workers() -> Any:
    """Active users whose role manages cases: the people who can lead, own actions or be key workers."""
    users = User.objects.active().select_related("agency").prefetch_related("roles").order_by("full_name")
    return users.filter(pk__in=[u.pk for u in users if u.has_capability(Capability.CASES_MANAGE)])


class WorkerChoiceField(forms.ModelChoiceField):
    """A case worker, shown with their organisation so namesakes can be told apart."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", User.objects.none())
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name}, {obj.agency.name}" + (f" ({obj.job_title})" if obj.job_title else "")


class VersionedForm(forms.Form):
    """An edit of something that already exists: it names the version it started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    saved: Any = None  # set by the view when someone else's change got in first

    def saved_rows(self, obj: Any) -> Rows:
        """What is saved now, for the user to compare with what they typed."""
        raise NotImplementedError

    def comparison(self) -> Rows:
        return self.saved_rows(self.saved) if self.saved is not None else []


def narrow(form: forms.Form, **widths: str) -> None:
    """GOV.UK fixed input widths for short answers (read by the case form template)."""
    for name, width in widths.items():
        form.fields[name].govuk_width = width  # type: ignore[attr-defined]


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


# ---- the case ------------------------------------------------------------------------------------
class TierChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class TierForm(VersionedForm):
    tier = TierChoiceField(
        label="New service level",
        queryset=Tier.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the new service level"},
    )
    reason = _text("Reason for the move", missing="Enter the reason for the move")

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = Tier.objects.filter(is_active=True).exclude(pk=case.tier_id)  # type: ignore[attr-defined]

    def saved_rows(self, obj: Case) -> Rows:
        return [("Service level", str(obj.tier))]


class ReviewForm(forms.Form):
    resolution = _text(
        "What did the review decide?",
        help_text="For example, why the case stays at its service level for now.",
        missing="Say what the review decided",
    )


class CaseDetailsForm(VersionedForm):
    statutory = forms.TypedChoiceField(
        label="Is the person under statutory supervision (probation or YOT)?",
        choices=(("yes", "Yes"), ("no", "No")),
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the person is under statutory supervision"},
    )
    rosh_level = forms.ChoiceField(
        label="Risk of serious harm", choices=[("", "Not assessed"), *RoshLevel.choices], required=False
    )
    framework = forms.ChoiceField(
        label="National framework stream", choices=[("", "None"), *Framework.choices], required=False
    )

    def saved_rows(self, obj: Case) -> Rows:
        return [
            ("Statutory supervision", _yes(obj.statutory)),
            ("Risk of serious harm", obj.get_rosh_level_display() or "Not assessed"),
            ("National framework stream", obj.get_framework_display() or "None"),
        ]


class LeadForm(VersionedForm):
    lead = WorkerChoiceField(
        label="New lead professional",
        empty_label="Choose a person",
        error_messages={"required": "Choose the new lead professional"},
    )
    reason = _text("Reason for the change", missing="Enter the reason for the change")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = case_workers()  # type: ignore[attr-defined]

    def saved_rows(self, obj: Case) -> Rows:
        return [("Lead professional", f"{obj.lead_professional.full_name}, {obj.lead_agency.name}")]


class InvolvementForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Organisation",
        queryset=Agency.objects.none(),
        empty_label="Choose an organisation",
        error_messages={"required": "Choose the organisation"},
    )
    key_worker = WorkerChoiceField(
        label="Key worker (optional)",
        required=False,
        empty_label="No named key worker",
        help_text="Someone who works for that organisation. Naming a key worker for an organisation already "
        "involved changes its key worker.",
    )
    role = forms.CharField(
        label="What the organisation does on this case (optional)",
        max_length=150,
        required=False,
        help_text="For example, housing support on release",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.active().order_by("name")  # type: ignore[attr-defined]
        self.fields["key_worker"].queryset = case_workers()  # type: ignore[attr-defined]


class EndInvolvementForm(forms.Form):
    ended_on = _optional_date("Date the organisation stopped working on the case", "the end date")


class MembershipForm(forms.Form):
    cohort = forms.ChoiceField(
        label="Cohort", choices=Cohort.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose the cohort"},
    )  # fmt: skip
    framework = forms.ChoiceField(
        label="National framework stream (optional)", choices=[("", "None"), *Framework.choices], required=False
    )
    started_on = _optional_date("Date joined", "the date joined")


class EndMembershipForm(forms.Form):
    reason = _text("Reason the membership ends", rows=3, missing="Enter the reason the membership ends")
    ended_on = _optional_date("Date it ends", "the end date")


# ---- needs ---------------------------------------------------------------------------------------
class AssessmentForm(forms.Form):
    """One level of need for each of the seven pathways, prefilled with the previous assessment."""

    assessed_on = _optional_date("Date of the assessment", "the date of the assessment")
    summary = _text("Summary (optional)", required=False, rows=3)

    def __init__(self, *args: Any, previous: list[PathwayNeed] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        before = {n.pathway: n for n in previous or []}
        self.pathways: list[tuple[str, str, list[str]]] = []
        for value, label in Pathway.choices:
            old = before.get(value)
            level, linked, notes = f"{value}_level", f"{value}_linked", f"{value}_notes"
            self.fields[level] = forms.ChoiceField(
                label=f"{label}: level of need",
                choices=NeedLevel.choices,
                widget=forms.RadioSelect,
                initial=old.level if old else None,
                help_text=f"Last time: {old.get_level_display().lower()}" if old else "",
                error_messages={"required": f"Choose the level of need for {label.lower()}"},
            )
            self.fields[linked] = forms.BooleanField(
                label=f"{label}: linked to offending", required=False, initial=old.linked_to_offending if old else False
            )
            self.fields[notes] = _text(f"{label}: notes (optional)", required=False, rows=2)
            self.pathways.append((value, label, [level, linked, notes]))

    def pathway_fields(self) -> list[tuple[str, list[Any]]]:
        return [(label, [self[name] for name in names]) for _, label, names in self.pathways]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for _, label, (level, linked, _notes) in self.pathways:
            if data.get(level) == NeedLevel.NONE and data.get(linked):
                self.add_error(linked, f"{label}: a pathway with no need cannot be linked to offending")
        return data

    def needs(self) -> dict[str, NeedInput]:
        d = self.cleaned_data
        return {
            value: NeedInput(level=d[level], linked_to_offending=d[linked], notes=d[notes])
            for value, _, (level, linked, notes) in self.pathways
        }


# ---- the plan ------------------------------------------------------------------------------------
class ActionForm(forms.Form):
    pathway = forms.ChoiceField(
        label="Pathway", choices=[("", "Choose a pathway"), *Pathway.choices],
        error_messages={"required": "Choose the pathway"},
    )  # fmt: skip
    description = _text("Action", rows=3, missing="Describe the action")
    owner = WorkerChoiceField(
        label="Owner", empty_label="Choose a person", error_messages={"required": "Choose who owns the action"},
        help_text="Their organisation becomes involved in the case if it is not already.",
    )  # fmt: skip
    due_on = GovukDateField(label="Due by", noun="the due date", help_text="For example, 12 1 2027")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = case_workers()  # type: ignore[attr-defined]


class ActionEditForm(VersionedForm):
    description = _text("Action", rows=3, missing="Describe the action")
    owner = WorkerChoiceField(
        label="Owner", empty_label="Choose a person", error_messages={"required": "Choose who owns the action"}
    )
    due_on = GovukDateField(label="Due by", noun="the due date", help_text="For example, 12 1 2027")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = case_workers()  # type: ignore[attr-defined]

    def saved_rows(self, obj: PlanAction) -> Rows:
        return [
            ("Action", obj.description),
            ("Owner", f"{obj.owner.full_name}, {obj.owner_agency.name}"),
            ("Due by", f"{obj.due_on:%-d %B %Y}"),
            ("Status", obj.get_status_display()),
        ]


class ActionStatusForm(VersionedForm):
    status = forms.ChoiceField(
        label="New status", choices=(), widget=forms.RadioSelect, error_messages={"required": "Choose the new status"}
    )
    outcome = _text("Outcome or reason", required=False, rows=3, help_text="Needed when you cancel the action.")

    def __init__(self, *args: Any, action: PlanAction, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, ActionStatus(s).label) for s in ACTION_MOVES.get(action.status, ())]  # type: ignore[attr-defined]

    def saved_rows(self, obj: PlanAction) -> Rows:
        return [("Status", obj.get_status_display()), ("Outcome", obj.outcome or "None recorded")]


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


def services_on(pathway: str) -> Any:
    """Active services in the directory that work on the pathway."""
    active = Service.objects.active()
    return active.filter(pk__in=[s.pk for s in active if pathway in s.pathways])


class ReferToServiceForm(forms.Form):
    pathway = forms.ChoiceField(choices=Pathway.choices, widget=forms.HiddenInput)
    service = ServiceChoiceField(
        label="Service",
        queryset=Service.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the service"},
    )
    referred_on = _optional_date("Date of the referral", "the date of the referral")
    notes = _text("Notes (optional)", required=False, rows=3)

    def __init__(self, *args: Any, pathway: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services_on(pathway)  # type: ignore[attr-defined]
        self.fields["pathway"].initial = pathway


class InterventionMoveForm(VersionedForm):
    status = forms.ChoiceField(
        label="What happened?",
        choices=(),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened"},
    )
    on = _optional_date("Date", "the date")
    notes = _text("Notes (optional)", required=False, rows=3)

    def __init__(self, *args: Any, intervention: Intervention, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels: dict[str, str] = {
            InterventionStatus.ONGOING: "Started (ongoing)",
            InterventionStatus.DECLINED: "Declined",
            InterventionStatus.COMPLETED: "Completed",
            InterventionStatus.DROPPED_OUT: "Dropped out",
        }
        moves = INTERVENTION_MOVES.get(intervention.status, ())
        self.fields["status"].choices = [(s, labels.get(s, InterventionStatus(s).label)) for s in moves]  # type: ignore[attr-defined]

    def saved_rows(self, obj: Intervention) -> Rows:
        return [
            ("Status", obj.get_status_display()),
            ("Started", f"{obj.started_on:%-d %B %Y}" if obj.started_on else "Not started"),
            ("Ended", f"{obj.ended_on:%-d %B %Y}" if obj.ended_on else "Not ended"),
        ]


class SessionsForm(VersionedForm):
    offered = forms.IntegerField(
        label="Sessions offered so far", min_value=0, max_value=1000,
        error_messages={"required": "Enter the number of sessions offered", "invalid": "Enter a whole number",
                        "min_value": "Sessions cannot be negative"},
    )  # fmt: skip
    attended = forms.IntegerField(
        label="Sessions attended so far", min_value=0, max_value=1000,
        error_messages={"required": "Enter the number of sessions attended", "invalid": "Enter a whole number",
                        "min_value": "Sessions cannot be negative"},
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        narrow(self, offered="3", attended="3")

    def saved_rows(self, obj: Intervention) -> Rows:
        return [("Sessions offered", str(obj.sessions_offered)), ("Sessions attended", str(obj.sessions_attended))]


# ---- contacts and enforcement ---------------------------------------------------------------------
class ContactForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of contact", choices=[("", "Choose a kind"), *ContactKind.choices],
        error_messages={"required": "Choose the kind of contact"},
    )  # fmt: skip
    day = GovukDateField(label="Date", noun="the date", help_text="For example, 12 1 2027")
    at = forms.TimeField(
        label="Time",
        widget=forms.TimeInput(format="%H:%M"),
        help_text="For example, 14:30",
        error_messages={"required": "Enter the time", "invalid": "Enter the time like 14:30"},
    )
    outcome = forms.ChoiceField(
        label="Has it happened?",
        choices=[
            (ContactOutcome.SCHEDULED, "Not yet: book it as an appointment"),
            *[(o, f"Yes: {label.lower()}") for o, label in ContactOutcome.choices if o != ContactOutcome.SCHEDULED],
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the contact has happened"},
    )
    notes = _text("Notes (optional)", required=False, rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        narrow(self, at="5")

    def scheduled_at(self) -> datetime:
        d = self.cleaned_data
        return timezone.make_aware(datetime.combine(d["day"], d["at"]))


class OutcomeForm(VersionedForm):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[(o, label) for o, label in ContactOutcome.choices if o != ContactOutcome.SCHEDULED],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome"},
    )
    notes = _text("Notes (optional)", required=False, rows=3)

    def saved_rows(self, obj: Contact) -> Rows:
        return [("Outcome", obj.get_outcome_display()), ("Notes", obj.notes or "None")]


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        when = timezone.localtime(obj.scheduled_at)
        return f"{obj.get_kind_display()}, {when:%-d %B %Y %H:%M}: {obj.get_outcome_display().lower()}"


class EnforcementForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of enforcement", choices=EnforcementKind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of enforcement"},
    )  # fmt: skip
    taken_on = _optional_date("Date taken", "the date taken")
    details = _text("Details", missing="Give the details")
    contact = ContactChoiceField(
        label="The contact it follows (optional)", queryset=Contact.objects.none(), required=False,
        empty_label="Not about one contact",
    )  # fmt: skip

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = case.contacts.order_by("-scheduled_at")  # type: ignore[attr-defined]


# ---- tasks and victims -------------------------------------------------------------------------
class TaskForm(VersionedForm):
    status = forms.ChoiceField(
        label="Is the task done?",
        choices=((TaskStatus.DONE, "Done"), (TaskStatus.CANCELLED, "Cancelled: no longer needed")),
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the task is done or cancelled"},
    )
    note = _text("Note", required=False, rows=3, help_text="Needed when you cancel the task.")

    def saved_rows(self, obj: Task) -> Rows:
        return [("Status", obj.get_status_display()), ("Note", obj.note or "None")]


class VictimForm(forms.Form):
    label = forms.CharField(
        label="How partners refer to the victim", max_length=100,
        help_text="Initials or a label such as 'Victim A'. Never their full name or address.",
        error_messages={"required": "Enter how partners refer to the victim"},
    )  # fmt: skip
    relationship = forms.CharField(
        label="Relationship to the person (optional)", max_length=100, required=False,
        help_text="For example, ex-partner, neighbour, shop",
    )  # fmt: skip
    repeat = forms.BooleanField(label="Repeat victim", required=False)
    vulnerable = forms.BooleanField(label="Vulnerable victim", required=False)
    safety_notes = _text("Safety notes (optional)", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("repeat") or data.get("vulnerable")):
            self.add_error("repeat", "Tick repeat victim, vulnerable victim or both")
        return data


class VictimEditForm(VictimForm, VersionedForm):
    def saved_rows(self, obj: Victim) -> Rows:
        return [
            ("Label", obj.label),
            ("Relationship", obj.relationship or "Not given"),
            ("Repeat victim", _yes(obj.repeat)),
            ("Vulnerable victim", _yes(obj.vulnerable)),
            ("Safety notes", obj.safety_notes or "None"),
        ]


class VictimSupportForm(VersionedForm):
    referred_on = _optional_date("Date of the referral to Victim Support", "the date of the referral")

    def saved_rows(self, obj: Victim) -> Rows:
        when = obj.victim_support_referred_on
        return [("Referred to Victim Support", f"{when:%-d %B %Y}" if when else "Not referred")]
