"""State changes for agencies, users, roles and API tokens.

Each function is the one place its change happens; the HTML views, the API and
the management commands all call these.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from typing import Any

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from . import notify
from .constants import Capability, TokenScope
from .models import Agency, ApiToken, Role, User
from .roles import SYSTEM_ROLES

logger = logging.getLogger(__name__)

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
            revoke_api_token(token=token, via="account closed")
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
    *,
    user: User,
    name: str,
    expires_at: datetime | None = None,
    scopes: list[str] | None = None,
    by: User | None = None,
    via: str = "",
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is shown once and never stored.

    `scopes` (read, write, ingest) limit what the token may do; the user's role limits it too.
    Without scopes the token gets all three: the pages and the command ask, and default to read.
    The creation is written to the audit trail (owner, agency, the system it is for, scopes; `by`
    whom and `via` what) and the owner is e-mailed.
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
    with transaction.atomic(), disable_auditlog():  # one entry, written below, instead of the automatic one
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=raw[: len(TOKEN_PREFIX) + 4],
            token_hash=_hash_token(raw),
            expires_at=expires_at,
            scopes=wanted,
        )
        changes = {
            "name": [None, token.name],
            "prefix": [None, token.prefix],
            "scopes": [None, token.scopes],
            "expires_at": [None, token.expires_at.isoformat() if token.expires_at else None],
        }
        _log_event(
            token,
            event="api_token_created",
            action=LogEntry.Action.CREATE,
            actor=by,
            changes=changes,
            details=_token_details(token, via),
        )
    _notify(notify.token_created, token)
    return token, raw


def revoke_api_token(*, token: ApiToken, by: User | None = None, via: str = "") -> ApiToken:
    """Revoke a token (once: revoking a revoked token changes nothing), audited, and tell its owner."""
    if token.revoked_at is not None:
        return token
    with transaction.atomic(), disable_auditlog():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        _log_event(
            token,
            event="api_token_revoked",
            action=LogEntry.Action.UPDATE,
            actor=by,
            changes={"revoked_at": [None, token.revoked_at.isoformat()]},
            details=_token_details(token, via),
        )
    if token.user.is_active:  # a closed account's tokens are revoked with it; nobody to warn
        _notify(notify.token_revoked, token)
    return token


def _token_details(token: ApiToken, via: str) -> dict[str, Any]:
    owner = token.user
    details: dict[str, Any] = {
        "owner_id": owner.pk,
        "owner": owner.email,
        "agency": owner.agency.code if owner.agency_id else "",
        "system": token.name,
        "scopes": list(token.scopes),
    }
    if via:
        details["via"] = via
    return details


def _log_event(
    obj: models.Model,
    *,
    event: str,
    action: int,
    actor: User | None,
    changes: dict[str, Any],
    details: dict[str, Any] | None = None,
) -> LogEntry:
    """One entry in the audit trail for a change to credentials (hash-chained like every entry).

    `actor` None: whoever the request is from (django-auditlog's middleware fills it in), or
    nobody for a management command. `details` name no secret.
    """
    entry: LogEntry | None = LogEntry.objects.log_create(
        obj,
        force_log=True,
        action=action,
        changes=changes,
        actor=actor,
        additional_data={**(details or {}), "event": event},
    )
    if entry is None:  # force_log always creates one
        raise RuntimeError("The audit entry was not written")
    return entry


def _notify(send: Any, *args: Any, **kwargs: Any) -> None:
    """Send a notice; a mail failure does not undo the change (it is audited), it is logged."""
    try:
        send(*args, **kwargs)
    except notify.NotificationError:
        logger.exception("Credential notice not sent (%s)", getattr(send, "__name__", "notice"))


# --- Changing one's own password ------------------------------------------------------------


class PasswordChangeLockedError(Exception):
    """Too many wrong current passwords: changing the password is blocked for the cool-off time."""


def _failures_key(user: User) -> str:
    return f"openiom:password-change-failures:{user.pk}"


def password_change_locked(user: User) -> bool:
    return int(cache.get(_failures_key(user), 0)) >= settings.AXES_FAILURE_LIMIT


def _count_failure(user: User) -> None:
    key, timeout = _failures_key(user), int(settings.AXES_COOLOFF_TIME.total_seconds())
    if not cache.add(key, 1, timeout=timeout):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=timeout)


def end_other_sessions(user: User, *, keep: str | None = None) -> int:
    """End every session of `user` except the one keyed `keep`. Returns how many were ended.

    Only database-backed sessions can be found; with any session engine, Django also refuses a
    session whose password hash is out of date, so other sessions end after a password change
    regardless.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not issubclass(store, DbSessionStore):
        return 0
    ended = 0
    rows = Session.objects.filter(expire_date__gt=timezone.now()).exclude(session_key=keep or "")
    for key, data in rows.values_list("session_key", "session_data").iterator():
        if store().decode(data).get(SESSION_KEY) == str(user.pk):
            store(session_key=key).delete()
            ended += 1
    return ended


def change_password(*, user: User, current_password: str, new_password: str, keep_session: str | None) -> int:
    """Change the user's own password, given their current one; end their other sessions, audit
    it and e-mail them. Returns how many other sessions were ended.

    Refused (ValidationError, by field) for a wrong current password, which is counted, and a new
    password the validators refuse; PasswordChangeLockedError after `AXES_FAILURE_LIMIT` wrong
    current passwords within `AXES_COOLOFF_TIME`. The caller keeps its own session signed in
    (`update_session_auth_hash`).
    """
    if password_change_locked(user):
        raise PasswordChangeLockedError
    if not user.check_password(current_password):
        _count_failure(user)
        if password_change_locked(user):
            raise PasswordChangeLockedError
        raise ValidationError({"current_password": "Your current password is not correct"})
    if new_password == current_password:
        raise ValidationError({"new_password": "Your new password must be different from your current password"})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.error_list}) from None
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])  # the hash is not in the change history; the entry below is
        ended = end_other_sessions(user, keep=keep_session)
        _log_event(
            user,
            event="password_changed",
            action=LogEntry.Action.UPDATE,
            actor=user,
            changes={"password": ["(not recorded)", "(changed)"]},
            details={"other_sessions_ended": ended},
        )
    cache.delete(_failures_key(user))
    _notify(notify.password_changed, user, when=timezone.now(), other_sessions_ended=ended)
    return ended


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
