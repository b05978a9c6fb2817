"""OpenIOM settings: one module, read from environment variables, failing loudly.

Every variable is listed with its meaning in `.env.example`. Nothing here turns a
missing or malformed value into a silent default: a bad value raises
`ImproperlyConfigured` at start-up with the variable's name.
"""

from __future__ import annotations

import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
# In a checkout (the src layout) the repository root sits two levels above the package.
REPO_DIR = PACKAGE_DIR.parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no/on/off, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int, maximum: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if not minimum <= value <= maximum:
        raise ImproperlyConfigured(f"{name} must be between {minimum} and {maximum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = os.environ.get(name, "").strip() or default
    if raw not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {raw!r}")
    return raw


# --- Mode ------------------------------------------------------------------
PRODUCTION = env_bool("OPENIOM_PRODUCTION", False)
DEBUG = env_bool("OPENIOM_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("OPENIOM_DEBUG cannot be true when OPENIOM_PRODUCTION is true")

_INSECURE_KEY = "openiom-demo-only-insecure-secret-key-never-use-in-production-0123456789"
SECRET_KEY = os.environ.get("OPENIOM_SECRET_KEY", "")
if PRODUCTION:
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY == _INSECURE_KEY:
        raise ImproperlyConfigured(
            "OPENIOM_SECRET_KEY must be set to a random value of at least 50 characters in production "
            '(python -c "import secrets; print(secrets.token_urlsafe(64))")'
        )
elif not SECRET_KEY:
    SECRET_KEY = _INSECURE_KEY

ALLOWED_HOSTS = env_list("OPENIOM_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("OPENIOM_ALLOWED_HOSTS must list the host names the site is served on")
CSRF_TRUSTED_ORIGINS = env_list("OPENIOM_CSRF_TRUSTED_ORIGINS", [])

# --- Applications ----------------------------------------------------------
INSTALLED_APPS = [
    "openiom.accounts",
    "openiom.audit",
    "openiom.jobs",
    "openiom.people",
    "openiom.offending",
    "openiom.imports",
    "openiom.cohort",
    "openiom.directory",
    "openiom.sharing",
    "openiom.cases",
    "openiom.panels",
    "openiom.breakglass",
    "openiom.retention",
    "openiom.evaluation",
    "openiom.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "auditlog",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "openiom.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "openiom.web.middleware.NoStoreMiddleware",
    "openiom.breakglass.middleware.BreakGlassUseMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "openiom.urls"
WSGI_APPLICATION = "openiom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "openiom.web.context_processors.navigation",
            ],
        },
    }
]

# --- Database --------------------------------------------------------------
_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    try:
        _db = dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
    if _db.get("ENGINE") not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgres://...) or SQLite (sqlite:///...)")
    if _db["ENGINE"] == "django.db.backends.postgresql":
        # Give up on an unreachable server quickly: the page says the service is unavailable (503).
        _db.setdefault("OPTIONS", {})["connect_timeout"] = env_int(
            "OPENIOM_DB_CONNECT_TIMEOUT", 5, minimum=1, maximum=120
        )
    DATABASES = {"default": _db}
else:
    _sqlite_path = Path(os.environ.get("OPENIOM_SQLITE_PATH", "") or REPO_DIR / "var" / "openiom.sqlite3")
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(_sqlite_path),
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and authentication ------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first, as django-axes requires
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "openiom.accounts.passwords.GuessablePasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:signed-out"

# Two-factor authentication: always required in production; optional otherwise
# (a user who has enrolled a device is always asked for a code).
REQUIRE_TWO_FACTOR = PRODUCTION or env_bool("OPENIOM_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "OpenIOM"

# Lockout after repeated failures (django-axes).
AXES_FAILURE_LIMIT = env_int("OPENIOM_LOCKOUT_FAILURES", 5, minimum=3, maximum=20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("OPENIOM_LOCKOUT_MINUTES", 30, minimum=1, maximum=1440))
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form field (Django names it so even for e-mail sign-in)
AXES_VERBOSE = False

# Break-glass: how long temporary full access to a case lasts once asked for (openiom.breakglass).
BREAK_GLASS_HOURS = env_int("OPENIOM_BREAK_GLASS_HOURS", 4, minimum=1, maximum=72)

# API rate limits (requests per minute): per token, and per client address for calls without a
# valid token. Counted in Django's cache, which must be shared by every worker in production.
API_RATE_LIMIT_PER_MINUTE = env_int("OPENIOM_API_RATE_LIMIT", 300, minimum=1, maximum=100_000)
API_ANON_RATE_LIMIT_PER_MINUTE = env_int("OPENIOM_API_ANON_RATE_LIMIT", 30, minimum=1, maximum=100_000)
# Reports are kept in the cache while the data they are built from is unchanged (openiom.evaluation.cache),
# for at most this many seconds; 0 builds every report on every request.
REPORT_CACHE_SECONDS = env_int("OPENIOM_REPORT_CACHE_SECONDS", 86400, minimum=0, maximum=7 * 86400)
_cache = env_choice("OPENIOM_CACHE", "locmem", ("locmem", "database"))
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "openiom_cache"}
        if _cache == "database"
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "openiom"}
    )
}


# Sessions end after a period of inactivity and when the browser closes.
IDLE_TIMEOUT_MINUTES = env_int("OPENIOM_IDLE_TIMEOUT_MINUTES", 30, minimum=5, maximum=480)
SESSION_COOKIE_AGE = IDLE_TIMEOUT_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers ------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("OPENIOM_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("OPENIOM_BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Static files ----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("OPENIOM_STATIC_ROOT", "") or REPO_DIR / "var" / "static")
STATICFILES_DIRS = [PACKAGE_DIR / "static"]  # built by scripts/build-assets.sh
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    # Outside production, static files come from the finders; STATIC_ROOT need not exist.
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")

# --- Forms -----------------------------------------------------------------
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Background tasks ------------------------------------------------------
_tasks_backend = env_choice("OPENIOM_TASKS_BACKEND", "database", ("database", "immediate"))
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if _tasks_backend == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default"],
    }
}

# A worker stamps its running job every JOB_HEARTBEAT_SECONDS; a running job not heard from for
# JOB_STALE_SECONDS is taken to be interrupted (its worker was stopped or killed) and can be run again.
JOB_HEARTBEAT_SECONDS = env_int("OPENIOM_JOB_HEARTBEAT_SECONDS", 15, minimum=1, maximum=600)
JOB_STALE_SECONDS = env_int("OPENIOM_JOB_STALE_SECONDS", 120, minimum=3, maximum=86400)
if JOB_STALE_SECONDS < 2 * JOB_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured("OPENIOM_JOB_STALE_SECONDS must be at least twice OPENIOM_JOB_HEARTBEAT_SECONDS")

# Files that background jobs produce (exports, packs): outside the web root, downloaded through the app.
OPENIOM_JOB_OUTPUT_DIR = Path(os.environ.get("OPENIOM_JOB_OUTPUT_DIR", "") or REPO_DIR / "var" / "job-output")
PARTNERSHIP_NAME = os.environ.get("OPENIOM_PARTNERSHIP_NAME", "").strip()

# --- E-mail ----------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("OPENIOM_EMAIL_BACKEND", "") or "django.core.mail.backends.console.EmailBackend"
EMAIL_HOST = os.environ.get("OPENIOM_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("OPENIOM_EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_USE_TLS = env_bool("OPENIOM_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("OPENIOM_FROM_EMAIL", "") or "openiom@localhost"

# --- Audit -----------------------------------------------------------------
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_DISABLE_REMOTE_ADDR = False

# --- Locale ----------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Logging: no personal data, ever. Request paths carry ids only. --------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("OPENIOM_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's request logger prints request objects on errors; keep messages only.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security.DisallowedHost": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

SILENCED_SYSTEM_CHECKS: list[str] = []
CSRF_FAILURE_VIEW = "openiom.web.views.csrf_failure"
