"""Forms for the panels pages. Rules live in the services; these check what was typed and say so in words."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from openiom.accounts.models import Agency, User
from openiom.cases.models import Tier
from openiom.cohort.constants import Cohort, Framework
from openiom.people.constants import Gender
from openiom.web.forms import GovukDateField

from .constants import Capacity, Membership, Outcome
from .governance import VoteChoice
from .models import AgendaItem, Meeting, Panel
from .referrals import NewPerson
from .services import ALLOWED, MAX_SERIES_MONTHS
from .terms import TERMS_FIELDS


class UserChoiceField(forms.ModelChoiceField):
    """An active user, shown with their organisation so namesakes can be told apart."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", User.objects.active().select_related("agency").order_by("full_name"))
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name}, {obj.agency.name}" + (f" ({obj.job_title})" if obj.job_title else "")


def _agencies() -> Any:
    return Agency.objects.active().order_by("name")


def _text(label: str, *, required: bool = True, rows: int = 4, max_length: int = 5000, **kwargs: Any) -> forms.Field:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


# ---- terms of reference and members ----------------------------------------------------------------
class TermsForm(forms.ModelForm):
    meeting_time = forms.TimeField(
        label="Usual start time",
        widget=forms.TimeInput(format="%H:%M"),
        help_text="For example, 10:00",
        error_messages={"required": "Enter the usual start time", "invalid": "Enter the start time like 10:00"},
    )
    selects_cohorts = forms.MultipleChoiceField(
        label="Cohorts a selection opens a case in",
        choices=Cohort.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked for a panel that discusses cases but selects no one into IOM.",
    )

    class Meta:
        model = Panel
        fields = list(TERMS_FIELDS)
        labels = {
            "chair_agency": "Chair's organisation",
            "chair_post": "Chair's post",
            "vice_chair_agency": "Vice chair's organisation",
            "vice_chair_post": "Vice chair's post",
            "meeting_week": "Week of the month",
            "meeting_weekday": "Day of the week",
            "is_active": "The panel is active (takes referrals and meets)",
            "coordinator_email": "Co-ordinator's e-mail address",
        }
        help_texts = {
            "quorum": "The number of different organisations that must be present before any decision.",
            "meeting_week": "",
        }
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair_agency"].queryset = _agencies()  # type: ignore[attr-defined]
        self.fields["vice_chair_agency"].queryset = _agencies()  # type: ignore[attr-defined]
        self.fields["vice_chair_agency"].empty_label = "No vice chair"  # type: ignore[attr-defined]
        for name in ("referral_cutoff_days", "papers_days", "minutes_days", "quorum", "review_every_days"):
            self.fields[name].error_messages["required"] = f"Enter the {self.fields[name].label.lower()}"  # type: ignore[union-attr]

    def clean_quorum(self) -> int:
        quorum: int = self.cleaned_data["quorum"]
        if quorum < 1:
            raise forms.ValidationError("The quorum must be at least 1 organisation")
        return quorum


class MemberForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Organisation",
        queryset=Agency.objects.none(),
        empty_label="Choose an organisation",
        error_messages={"required": "Choose the organisation"},
    )
    post = forms.CharField(
        label="Post", max_length=150, help_text="For example, Detective Inspector",
        error_messages={"required": "Enter the member's post"},
    )  # fmt: skip
    membership = forms.ChoiceField(
        label="Membership", choices=Membership.choices, initial=Membership.PERMANENT, widget=forms.RadioSelect
    )
    user = UserChoiceField(
        label="The member's OpenIOM account (optional)",
        required=False,
        empty_label="Not linked",
        help_text="Linked members receive the papers and minutes by e-mail.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _agencies()  # type: ignore[attr-defined]


# ---- scheduling ------------------------------------------------------------------------------------
def _months_ahead(today: date, count: int = MAX_SERIES_MONTHS) -> list[tuple[str, str]]:
    out = []
    year, month = today.year, today.month
    for _ in range(count):
        out.append((f"{year:04d}-{month:02d}", date(year, month, 1).strftime("%B %Y")))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


class SeriesForm(forms.Form):
    first_month = forms.ChoiceField(label="First month", choices=())
    months = forms.IntegerField(
        label="Number of months",
        min_value=1,
        max_value=MAX_SERIES_MONTHS,
        initial=12,
        error_messages={
            "required": "Enter the number of months",
            "invalid": "Enter the number of months as a whole number",
            "min_value": f"Schedule between 1 and {MAX_SERIES_MONTHS} months",
            "max_value": f"Schedule between 1 and {MAX_SERIES_MONTHS} months",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        months = _months_ahead(timezone.localdate())
        self.fields["first_month"].choices = months  # type: ignore[attr-defined]
        self.fields["first_month"].initial = months[1][0]

    def first_day(self) -> date:
        year, month = (int(part) for part in self.cleaned_data["first_month"].split("-"))
        return date(year, month, 1)


class MeetingForm(forms.Form):
    day = GovukDateField(
        label="Date of the meeting", noun="the date of the meeting", help_text="For example, 12 1 2027"
    )
    start_time = forms.TimeField(
        label="Start time (optional)",
        required=False,
        widget=forms.TimeInput(format="%H:%M"),
        error_messages={"invalid": "Enter the start time like 10:00"},
    )
    location = forms.CharField(label="Location (optional)", required=False, max_length=200)

    def __init__(self, *args: Any, panel: Panel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_time"].help_text = f"Leave empty for the panel's usual time, {panel.meeting_time:%H:%M}"
        if panel.location:
            self.fields["location"].help_text = f"Leave empty for the panel's usual place, {panel.location}"


# ---- referrals -------------------------------------------------------------------------------------
class PanelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} (referrals {obj.referral_cutoff_days} working days before each meeting)"


class ReferralForm(forms.Form):
    given_name = forms.CharField(
        label="Given name", max_length=100, error_messages={"required": "Enter the person's given name"}
    )
    family_name = forms.CharField(
        label="Family name", max_length=100, error_messages={"required": "Enter the person's family name"}
    )
    date_of_birth = GovukDateField(label="Date of birth", noun="the date of birth", help_text="For example, 27 3 1995")
    gender = forms.ChoiceField(
        label="Gender", choices=Gender.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the person's gender"},
    )  # fmt: skip
    panel = PanelChoiceField(
        label="Which panel should consider the referral?",
        queryset=Panel.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the panel", "invalid_choice": "Select one of the panels"},
    )
    reason = _text(
        "Why are you referring this person?",
        help_text="The offending, the harm it causes and what you hope IOM will achieve.",
        error_messages={"required": "Enter the reason for the referral"},
    )
    supporting_information = _text(
        "Supporting information (optional)",
        required=False,
        max_length=20000,
        rows=6,
        help_text="Anything the panel should read before the meeting. It goes in the papers sent to every member, "
        "so leave out health, substance misuse treatment, domestic abuse and victims' details: share those at "
        "the meeting.",
    )
    nominating_officer = UserChoiceField(
        label="Nominating officer",
        empty_label="Choose the nominating officer",
        help_text="The officer the panel will invite to the meeting and send its decision to.",
        error_messages={"required": "Choose the nominating officer"},
    )
    urgent = forms.BooleanField(
        label="Urgent: the panel must consider this at its next meeting",
        required=False,
        help_text="Only when it cannot wait, for example a release from custody this week. An urgent referral "
        "received after the cut-off still goes to the next meeting, and the co-ordinator is told at once.",
    )

    NEW_PERSON_FIELDS = ("given_name", "family_name", "date_of_birth", "gender")

    def __init__(self, *args: Any, existing_person: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = Panel.objects.filter(is_active=True).order_by("name")  # type: ignore[attr-defined]
        if existing_person:
            for name in self.NEW_PERSON_FIELDS:
                del self.fields[name]

    def clean_date_of_birth(self) -> date:
        born: date = self.cleaned_data["date_of_birth"]
        if born >= timezone.localdate():
            raise forms.ValidationError("The date of birth must be in the past")
        if born.year < 1900:
            raise forms.ValidationError("The date of birth must be after 1900")
        return born

    def new_person(self) -> NewPerson:
        if "given_name" not in self.fields:
            raise ValueError("this form refers someone OpenIOM already knows")
        d = self.cleaned_data
        return NewPerson(d["given_name"], d["family_name"], d["date_of_birth"], d["gender"])

    def referral_arguments(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "panel": d["panel"],
            "reason": d["reason"],
            "supporting_information": d["supporting_information"],
            "nominating_officer": d["nominating_officer"],
            "urgent": d["urgent"],
        }


# ---- the meeting -----------------------------------------------------------------------------------
class AttendanceForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Organisation",
        queryset=Agency.objects.none(),
        empty_label="Choose an organisation",
        error_messages={"required": "Choose the organisation they represent"},
    )
    name = forms.CharField(label="Name", max_length=150, error_messages={"required": "Enter their name"})
    post = forms.CharField(label="Post (optional)", max_length=150, required=False)
    capacity = forms.ChoiceField(
        label="Attending as",
        choices=Capacity.choices,
        initial=Capacity.MEMBER,
        widget=forms.RadioSelect,
        help_text="Members and deputies count towards the quorum and vote; nominating officers and guests do not.",
    )
    deputy_for = forms.CharField(
        label="Deputy for (only for a deputy)",
        max_length=150,
        required=False,
        help_text="The member they attend in place of, for example Senior Probation Officer",
    )
    user = UserChoiceField(
        label="Their OpenIOM account (optional)",
        required=False,
        empty_label="None",
        help_text="Linked attendees receive the minutes by e-mail.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _agencies()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("capacity") == Capacity.DEPUTY and not (data.get("deputy_for") or "").strip():
            self.add_error("deputy_for", "Enter the member the deputy attends for")
        return data


VOTE_CHOICES = [
    (VoteChoice.FOR.value, "For"),
    (VoteChoice.AGAINST.value, "Against"),
    (VoteChoice.ABSTAIN.value, "Abstain"),
]


class DecisionForm(forms.Form):
    """The panel's decision on one agenda item: the outcome, reasons, one vote per organisation present."""

    outcome = forms.ChoiceField(
        label="What did the panel decide?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the panel's decision"},
    )
    reasons = _text("Reasons", error_messages={"required": "Enter the reasons for the decision"})
    casting_vote = forms.ChoiceField(
        label="Chair's casting vote (only if the vote is tied)",
        required=False,
        choices=VOTE_CHOICES[:2],
        widget=forms.RadioSelect,
        help_text="When as many organisations vote for as against, the chair (or the vice chair in the chair's "
        "absence) decides.",
    )
    cohort = forms.ChoiceField(label="Cohort", required=False)
    tier = forms.ModelChoiceField(
        label="Service level (tier)", queryset=Tier.objects.filter(is_active=True), required=False,
        empty_label="Choose a tier",
    )  # fmt: skip
    lead_professional = UserChoiceField(label="Lead professional", required=False, empty_label="Choose a person")
    framework = forms.ChoiceField(
        label="National framework stream (optional)", required=False, choices=[("", "Not set"), *Framework.choices]
    )

    SELECTION_FIELDS = ("cohort", "tier", "lead_professional", "framework")

    def __init__(
        self, *args: Any, item: AgendaItem, agencies: list[Agency], lead: User | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        panel = item.meeting.panel
        allowed = [o for o in ALLOWED.get(item.kind, ()) if o != Outcome.SELECT or panel.selects_cohorts]  # type: ignore[call-overload]
        self.fields["outcome"].choices = [(o.value, o.label) for o in allowed]  # type: ignore[attr-defined]
        self.vote_names: list[str] = []
        for agency in agencies:
            name = f"vote_{agency.pk}"
            self.fields[name] = forms.ChoiceField(
                label=agency.name,
                choices=VOTE_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select how {agency.name} voted"},
            )
            self.vote_names.append(name)
        self.agency_for = {f"vote_{a.pk}": a.pk for a in agencies}
        self.can_select = Outcome.SELECT in allowed
        if self.can_select:
            cohorts = panel.selects_cohorts
            self.fields["cohort"].choices = [("", "Choose a cohort")] + [  # type: ignore[attr-defined]
                (c, Cohort(c).label) for c in cohorts if c in Cohort.values
            ]
            if len(cohorts) == 1:
                self.fields["cohort"].initial = cohorts[0]
            self.fields["lead_professional"].initial = lead
            self.fields["lead_professional"].help_text = "Usually a probation offender manager for statutory cases."
        else:
            for name in self.SELECTION_FIELDS:
                del self.fields[name]

    def vote_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.vote_names]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Outcome.SELECT:
            for name, message in (
                ("cohort", "Choose the cohort the case opens in"),
                ("tier", "Choose the service level"),
                ("lead_professional", "Choose the lead professional"),
            ):
                if not data.get(name):
                    self.add_error(name, message)
        return data

    def decision_arguments(self) -> dict[str, Any]:
        d = self.cleaned_data
        selecting = d["outcome"] == Outcome.SELECT
        return {
            "outcome": d["outcome"],
            "reasons": d["reasons"],
            "votes": {self.agency_for[name]: d[name] for name in self.vote_names},
            "casting_vote": d.get("casting_vote") or None,
            "cohort": d.get("cohort", "") if selecting else "",
            "tier": d.get("tier") if selecting else None,
            "lead_professional": d.get("lead_professional") if selecting else None,
            "framework": d.get("framework", "") if selecting else "",
        }


class MinutesForm(forms.Form):
    text = forms.CharField(
        label="Minutes",
        widget=forms.Textarea(attrs={"rows": 24}),
        max_length=100000,
        strip=False,
        error_messages={"required": "The minutes are empty: write them or draft them from the meeting's record"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ActionForm(forms.Form):
    description = _text("Action", rows=3, error_messages={"required": "Describe the action"})
    owner = UserChoiceField(
        label="Who will do it", empty_label="Choose a person", error_messages={"required": "Choose who will do it"}
    )
    due_date = GovukDateField(label="Due by", noun="the due date", help_text="For example, 26 1 2027")
    item = forms.ModelChoiceField(
        label="Agenda item (optional)", queryset=AgendaItem.objects.none(), required=False, empty_label="None"
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.items.order_by("position")  # type: ignore[attr-defined]
        self.fields["item"].label_from_instance = lambda item: f"{item.position}. {item.title}"  # type: ignore[attr-defined]
