"""The e-mail to the IOM co-ordinators when someone breaks the glass.

The subject and body carry ids and a link only: no name of the person whose case it is, and
not the reason (which may describe them). The reviewer reads those on the grant's page.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from openiom.accounts.constants import Capability
from openiom.accounts.models import User

from .models import Grant


class NotificationError(Exception):
    """The e-mail could not be handed to the mail server."""


def reviewers() -> list[User]:
    """Everyone who reviews break-glass access: the IOM co-ordinators and administrators."""
    users = User.objects.active().prefetch_related("roles").order_by("email")
    return [u for u in users if u.has_capability(Capability.BREAK_GLASS_REVIEW)]


def grant_url(grant: Grant) -> str:
    base = getattr(settings, "OPENIOM_SITE_URL", "").rstrip("/")
    return f"{base}{reverse('breakglass:grant', args=[grant.pk])}"


def notify_reviewers(grant: Grant) -> int:
    """E-mail every reviewer about a new grant. Returns how many were sent."""
    recipients = [u.email for u in reviewers()]
    if not recipients:
        return 0
    subject = f"OpenIOM: break-glass access granted (grant {grant.pk})"
    body = (
        f"A user asked for and was given temporary full access to IOM case {grant.case_id} "
        f"until {grant.expires_at:%d %B %Y %H:%M %Z}.\n\n"
        f"Review the reason and how the access was used:\n{grant_url(grant)}\n"
    )
    try:
        return send_mail(subject, body, None, recipients, fail_silently=False)
    except OSError as exc:  # smtplib errors are OSErrors
        raise NotificationError("The break-glass e-mail could not be sent") from exc
