"""Signing in and out, two-factor authentication and the user's own account page."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import ApiTokenForm, ChangePasswordForm, OtpCodeForm, SignInForm
from .models import ApiToken, User
from .services import (
    PasswordChangeLockedError,
    change_password,
    create_api_token,
    password_change_locked,
    revoke_api_token,
)


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True
    extra_context = {"page_title": "Sign in"}


class SignOutView(auth_views.LogoutView):
    pass


def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html", {"page_title": "You have signed out"})


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not any(devices_for_user(user, confirmed=True)):
        return redirect("accounts:two-factor-setup")
    form = OtpCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_safe_next(request))
        form.add_error("code", "The code is not correct or has expired. Enter the latest code from your app.")
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"page_title": "Enter your security code", "form": form, "next": _safe_next(request)},
    )


def _pending_device(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        messages.info(request, "Two-factor authentication is already set up for your account.")
        return redirect("accounts:account")
    device = _pending_device(user)
    form = OtpCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save()
            backup = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
            codes = [StaticToken.random_token() for _ in range(10)]
            for code in codes:
                backup.token_set.create(token=code)
            otp_login(request, device)
            return render(
                request,
                "accounts/two_factor_done.html",
                {"page_title": "Two-factor authentication is set up", "codes": codes, "next": _safe_next(request)},
            )
        form.add_error("code", "The code is not correct. Check the time on your phone and enter the latest code.")
    qr = segno.make(device.config_url, error="m")
    context: dict[str, Any] = {
        "page_title": "Set up two-factor authentication",
        "form": form,
        "qr_svg": qr.svg_inline(scale=4, title="QR code for your authenticator app"),
        "secret": b32encode(device.bin_key).decode("ascii"),
        "required": settings.REQUIRE_TWO_FACTOR,
        "next": _safe_next(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ApiTokenForm()
    new_token, new_token_scopes = None, ""
    if request.method == "POST":
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            token, new_token = create_api_token(
                user=user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                by=user,
                via="account page",
            )
            new_token_scopes = token.scope_labels()
            form = ApiTokenForm()
    return render(
        request,
        "accounts/account.html",
        {
            "page_title": "Your account",
            "has_two_factor": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "tokens": user.api_tokens.all(),
            "form": form,
            "new_token": new_token,
            "new_token_scopes": new_token_scopes,
        },
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    revoke_api_token(token=token, by=request.user, via="account page")  # type: ignore[arg-type]
    messages.success(request, f"The token “{token.name}” has been revoked.")
    return redirect("accounts:account")


def _locked(request: HttpRequest) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"page_title": "Changing your password is blocked for now", "cooloff_minutes": minutes}
    return render(request, "accounts/password_change_locked.html", context, status=429)


@login_required
def change_password_view(request: HttpRequest) -> HttpResponse:
    """Change one's own password: the current one first; this session stays, every other ends."""
    user: User = request.user  # type: ignore[assignment]
    form = ChangePasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if password_change_locked(user):
            return _locked(request)
        if form.is_valid():
            try:
                ended = change_password(
                    user=user,
                    current_password=form.cleaned_data["current_password"],
                    new_password=form.cleaned_data["new_password"],
                    keep_session=request.session.session_key,
                )
            except PasswordChangeLockedError:
                return _locked(request)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                update_session_auth_hash(request, user)
                elsewhere = " You have been signed out everywhere else." if ended else ""
                messages.success(request, f"Your password has been changed.{elsewhere} We have e-mailed you to say so.")
                return redirect("accounts:account")
    return render(
        request,
        "accounts/change_password.html",
        {"page_title": "Change your password", "form": form, "failure_limit": settings.AXES_FAILURE_LIMIT},
    )
