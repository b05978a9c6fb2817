"""State changes for agencies, users, roles and API tokens.

Each function is the one place its change happens; the HTML views, the API and
the management commands all call these.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .constants import Capability, TokenScope
from .models import Agency, ApiToken, Role, User
from .roles import SYSTEM_ROLES

TOKEN_PREFIX = "oiom_"  # noqa: S105 (a label, not a secret)


@dataclass(frozen=True)
class ReconcileSummary:
    created: list[str]
    updated: list[str]
    unchanged: list[str]


@transaction.atomic
def reconcile_roles() -> ReconcileSummary:
    """Make the system roles in the database match roles.py. Safe to run any number of times."""
    created, updated, unchanged = [], [], []
    for definition in SYSTEM_ROLES:
        wanted = sorted(definition.capabilities)
        role = Role.objects.filter(code=definition.code).first()
        if role is None:
            Role.objects.create(
                code=definition.code,
                name=definition.name,
                description=definition.description,
                capabilities=wanted,
                is_system=True,
            )
            created.append(definition.code)
            continue
        if (role.name, role.description, sorted(role.capabilities), role.is_system) == (
            definition.name,
            definition.description,
            wanted,
            True,
        ):
            unchanged.append(definition.code)
            continue
        role.name, role.description, role.capabilities, role.is_system = (
            definition.name,
            definition.description,
            wanted,
            True,
        )
        role.save()
        updated.append(definition.code)
    return ReconcileSummary(created, updated, unchanged)


def _check_capabilities(capabilities: list[str]) -> list[str]:
    valid = set(Capability.values)
    unknown = [c for c in capabilities if c not in valid]
    if unknown:
        raise ValidationError({"capabilities": f"Unknown capabilities: {', '.join(unknown)}"})
    return sorted(set(capabilities))


def save_custom_role(*, role: Role | None, code: str, name: str, description: str, capabilities: list[str]) -> Role:
    """Create or change a custom role. System roles are changed only by reconcile_roles."""
    if role is not None and role.is_system:
        raise ValidationError("System roles are defined by OpenIOM and cannot be edited here.")
    role = role or Role(code=code, is_system=False)
    role.name, role.description = name, description
    role.capabilities = _check_capabilities(capabilities)
    role.full_clean()
    role.save()
    return role


def save_agency(*, agency: Agency | None, code: str, name: str, agency_type: str, is_active: bool) -> Agency:
    agency = agency or Agency()
    agency.code, agency.name, agency.agency_type, agency.is_active = code, name, agency_type, is_active
    agency.full_clean()
    agency.save()
    return agency


@transaction.atomic
def create_user(
    *,
    email: str,
    full_name: str,
    agency: Agency,
    roles: list[Role],
    password: str,
    job_title: str = "",
) -> User:
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "A user with this e-mail address already exists."})
    user = User(email=email, full_name=full_name, agency=agency, job_title=job_title)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.roles.set(roles)
    return user


@transaction.atomic
def update_user(
    *, user: User, full_name: str, job_title: str, agency: Agency, roles: list[Role], is_active: bool
) -> User:
    user.full_name, user.job_title, user.agency, user.is_active = full_name, job_title, agency, is_active
    user.full_clean()
    user.save()
    user.roles.set(roles)
    if not is_active:
        for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
            revoke_api_token(token=token)
    return user


def reset_two_factor(*, user: User) -> int:
    """Remove a user's two-factor devices so that they enrol again. Returns how many were removed."""
    from django_otp import devices_for_user

    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    return removed


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_api_token(
    *, user: User, name: str, expires_at: datetime | None = None, scopes: list[str] | None = None
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is shown once and never stored.

    `scopes` (read, write, ingest) limit what the token may do; the user's role limits it too.
    Without scopes the token gets all three: the pages and the command ask, and default to read.
    """
    if not user.is_active:
        raise ValidationError("API tokens can only be created for active users.")
    wanted = list(TokenScope.values) if scopes is None else sorted(set(scopes))
    unknown = [s for s in wanted if s not in TokenScope.values]
    if unknown or not wanted:
        raise ValidationError(
            {
                "scopes": f"Choose one or more scopes from {', '.join(TokenScope.values)}"
                + (f" (not {', '.join(unknown)})" if unknown else "")
            }
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[: len(TOKEN_PREFIX) + 4],
        token_hash=_hash_token(raw),
        expires_at=expires_at,
        scopes=wanted,
    )
    return token, raw


def revoke_api_token(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_for_raw(raw: str) -> ApiToken | None:
    """The usable token (of an active user) a bearer secret belongs to, or None. Records when it was last used."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.usable().select_related("user__agency").filter(token_hash=_hash_token(raw)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def user_for_token(raw: str) -> User | None:
    """The active user a bearer token belongs to, or None."""
    token = token_for_raw(raw)
    return token.user if token is not None else None
