"""E-mails telling users about changes to their own credentials (ASVS 2.2.3).

Each e-mail goes to the account's own address only. It names what changed and when, never a
secret: no password, and for API tokens only their purpose, first characters and scopes. If the
change was not theirs, the user knows to tell their administrator at once.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from .models import ApiToken, User

NOT_YOU = (
    "If you did not do this, someone else may be using your account: tell your administrator or IOM co-ordinator now."
)


class NotificationError(Exception):
    """The e-mail could not be handed to the mail server."""


def _account_url() -> str:
    base = getattr(settings, "OPENIOM_SITE_URL", "").rstrip("/")
    return f"{base}{reverse('accounts:account')}"


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%d %B %Y at %H:%M %Z}"


def _send(user: User, subject: str, body: str) -> int:
    try:
        return send_mail(f"OpenIOM: {subject}", body, None, [user.email], fail_silently=False)
    except OSError as exc:  # smtplib errors are OSErrors
        raise NotificationError(f"The e-mail about '{subject}' could not be sent") from exc


def password_changed(user: User, *, when: datetime, other_sessions_ended: int) -> int:
    ended = (
        f"You were signed out everywhere else ({other_sessions_ended} other session"
        f"{'' if other_sessions_ended == 1 else 's'}).\n\n"
        if other_sessions_ended
        else ""
    )
    body = (
        f"The password of your OpenIOM account was changed on {_when(when)}.\n\n"
        f"{ended}{NOT_YOU}\n\nYour account: {_account_url()}\n"
    )
    return _send(user, "your password has been changed", body)


def _token_lines(token: ApiToken) -> str:
    return f"What it is for: {token.name}\nIt starts with: {token.prefix}…\nIt may: {token.scope_labels()}\n" + (
        f"It expires: {_when(token.expires_at)}\n" if token.expires_at else ""
    )


def token_created(token: ApiToken) -> int:
    body = (
        f"An API token was created for your OpenIOM account on {_when(token.created_at)}. "
        f"It lets a system use the API as you.\n\n{_token_lines(token)}\n"
        f"{NOT_YOU} Revoke the token on your account page: {_account_url()}\n"
    )
    return _send(token.user, "an API token was created for your account", body)


def token_revoked(token: ApiToken) -> int:
    when = token.revoked_at or timezone.now()
    body = (
        f"An API token of your OpenIOM account was revoked on {_when(when)}. "
        f"Systems using it can no longer call the API.\n\n{_token_lines(token)}\n"
        f"If you did not expect this, ask your administrator.\n\nYour account: {_account_url()}\n"
    )
    return _send(token.user, "an API token of your account was revoked", body)
