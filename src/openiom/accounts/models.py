"""The partnership: agencies, the people who work for them, their roles and API tokens."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from .constants import AgencyType, Capability, TokenScope

code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]{1,39}$",
    "Use 2 to 40 lower-case letters, digits, hyphens or underscores, starting with a letter or digit.",
)


class AgencyQuerySet(models.QuerySet["Agency"]):
    def active(self) -> AgencyQuerySet:
        return self.filter(is_active=True)


class Agency(models.Model):
    """An organisation in the Community Safety Partnership."""

    code = models.CharField(
        max_length=40,
        unique=True,
        validators=[code_validator],
        help_text="Short code used in data deliveries (the `source` column), for example 'police'.",
    )
    name = models.CharField(max_length=200, unique=True)
    agency_type = models.CharField("type", max_length=30, choices=AgencyType.choices)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """A set of capabilities. System roles (the personas) are reconciled from roles.py."""

    code = models.CharField(max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    capabilities = models.JSONField(default=list)
    is_system = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def capability_labels(self) -> list[str]:
        labels = dict(Capability.choices)
        return [labels.get(c, c) for c in self.capabilities]


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def active(self) -> models.QuerySet[User]:
        return self.get_queryset().filter(is_active=True)


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff of one partner agency. Signs in with their e-mail address."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="users")
    roles = models.ManyToManyField(Role, blank=True, related_name="users")
    is_active = models.BooleanField("active", default=True)
    is_staff = models.BooleanField(
        "Django admin access", default=False, help_text="Technical access to the Django admin site."
    )
    date_joined = models.DateTimeField(default=timezone.now, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name", "agency"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def capabilities(self) -> frozenset[str]:
        """The union of the capabilities of the user's roles, cached per instance."""
        cached: frozenset[str] | None = getattr(self, "_capabilities", None)
        if cached is None:
            caps: set[str] = set()
            for role in self.roles.all():
                caps.update(role.capabilities)
            cached = frozenset(caps)
            self._capabilities = cached
        return cached

    def has_capability(self, capability: str) -> bool:
        return self.is_active and capability in self.capabilities()

    def role_names(self) -> str:
        return ", ".join(r.name for r in self.roles.all()) or "No role"


def all_token_scopes() -> list[str]:
    return list(TokenScope.values)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal access token for the API. Only a SHA-256 hash of the token is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="The first characters of the token, to recognise it.")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    scopes = models.JSONField(
        default=all_token_scopes, help_text="What the token may be used for: read, write and/or ingest."
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def allows(self, scope: str) -> bool:
        return scope in self.scopes

    def scope_labels(self) -> str:
        return ", ".join(s for s in TokenScope.values if s in self.scopes)

    @property
    def is_usable(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
