from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .constants import AgencyType, Capability, TokenScope
from .models import Agency, Role, User


class SignInForm(AuthenticationForm):
    """E-mail and password. django-axes counts the failures."""

    username = forms.EmailField(
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": "Enter a correct e-mail address and password. Both are case-sensitive.",
        "inactive": "This account has been closed. Ask your administrator.",
    }


class OtpCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app or a backup code",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"required": "Enter the code from your authenticator app"},
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).replace(" ", "").strip()


class AgencyForm(forms.ModelForm[Agency]):
    class Meta:
        model = Agency
        fields = ["name", "code", "agency_type", "is_active"]
        labels = {"name": "Name", "code": "Code", "agency_type": "Type of agency", "is_active": "Active"}
        error_messages = {
            "name": {"required": "Enter the agency's name", "unique": "An agency with this name already exists"},
            "code": {"required": "Enter a short code", "unique": "An agency with this code already exists"},
            "agency_type": {"required": "Select the type of agency"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency_type"].choices = [("", "Select a type"), *AgencyType.choices]  # type: ignore[attr-defined]


class UserForm(forms.Form):
    email = forms.EmailField(label="E-mail address", error_messages={"required": "Enter the user's e-mail address"})
    full_name = forms.CharField(label="Full name", max_length=150, error_messages={"required": "Enter a full name"})
    job_title = forms.CharField(label="Job title (optional)", max_length=150, required=False)
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.active(),
        empty_label="Select an agency",
        error_messages={"required": "Select the agency the user works for"},
    )
    roles = forms.ModelMultipleChoiceField(
        label="Roles",
        queryset=Role.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    is_active = forms.BooleanField(label="Account is active", required=False, initial=True)
    password = forms.CharField(
        label="Initial password",
        help_text="At least 12 characters. Give it to the user securely; they can change it after signing in.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
        required=False,
    )

    def __init__(self, *args: Any, editing: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing is not None:
            self.fields["email"].disabled = True
            self.fields["email"].help_text = "E-mail addresses cannot be changed; create a new account instead."
            del self.fields["password"]
            self.fields["agency"].queryset = Agency.objects.all()  # type: ignore[attr-defined]
        else:
            del self.fields["is_active"]
            self.fields["password"].required = True
            self.fields["password"].error_messages["required"] = "Enter an initial password"

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip().lower()
        if self.editing is None and User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("A user with this e-mail address already exists")
        return email


class RoleForm(forms.Form):
    name = forms.CharField(label="Name", max_length=100, error_messages={"required": "Enter the role's name"})
    code = forms.SlugField(
        label="Code",
        max_length=40,
        help_text="Lower-case letters, digits, hyphens or underscores.",
        error_messages={"required": "Enter a short code"},
    )
    description = forms.CharField(
        label="Description (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    capabilities = forms.MultipleChoiceField(
        label="What people with this role can do",
        choices=Capability.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one capability"},
    )

    def __init__(self, *args: Any, editing: Role | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing is not None:
            self.fields["code"].disabled = True

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        clash = Role.objects.filter(name__iexact=name)
        if self.editing is not None:
            clash = clash.exclude(pk=self.editing.pk)
        if clash.exists():
            raise forms.ValidationError("A role with this name already exists")
        return name

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"])
        if self.editing is None and Role.objects.filter(code=code).exists():
            raise forms.ValidationError("A role with this code already exists")
        return code


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="What the token is for",
        max_length=100,
        help_text="For example, 'Police records system nightly export'.",
        error_messages={"required": "Enter what the token is for"},
    )
    scopes = forms.MultipleChoiceField(
        label="What the token may do",
        help_text="Give it only what the system needs. It can never do more than your role allows.",
        choices=TokenScope.choices,
        initial=[TokenScope.READ],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select what the token may do"},
    )


class ChangePasswordForm(forms.Form):
    """The current password and a new one. The checks are in `services.change_password`; a
    password is never rendered back into the page (PasswordInput leaves the value out)."""

    current_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your current password"},
    )
    new_password = forms.CharField(
        label="New password",
        strip=False,
        help_text=(
            "At least 12 characters. Three random words make a good password. It cannot be a common "
            "password, a common password with small changes, a sequence or the name of the service."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a new password"},
    )
