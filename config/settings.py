"""Doorstroom settings: one module, every value from a validated environment variable.

The defaults are the embedded mode (SQLite in var/, console e-mail, debug off unless asked).
``DOORSTROOM_ENV=production`` demands a secret key, a database URL and allowed hosts, and
switches on the secure transport settings; see README "Configuration" and .env.example.
"""

from __future__ import annotations

import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

ENVIRONMENTS = ("development", "test", "production")
DOORSTROOM_ENV = env.str("DOORSTROOM_ENV", default="development")
if DOORSTROOM_ENV not in ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"DOORSTROOM_ENV must be one of {', '.join(ENVIRONMENTS)}, not {DOORSTROOM_ENV!r}."
    )
PRODUCTION = DOORSTROOM_ENV == "production"
TESTING = DOORSTROOM_ENV == "test" or "pytest" in sys.modules


def _required_in_production(name: str) -> str:
    value = env.str(name, default="")
    if PRODUCTION and not value:
        raise ImproperlyConfigured(
            f"{name} must be set when DOORSTROOM_ENV=production (see README, Configuration)."
        )
    return value


SECRET_KEY = _required_in_production("SECRET_KEY") or (
    "django-insecure-embedded-mode-only-never-use-in-production"
)
# Rotation (docs/security.md): the previous key(s) keep sessions and reset links valid a while.
SECRET_KEY_FALLBACKS = [k for k in env.list("SECRET_KEY_FALLBACKS", default=[]) if k]
DEBUG = env.bool("DEBUG", default=False) and not PRODUCTION
ALLOWED_HOSTS = [
    h
    for h in env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
    if h
]
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DOORSTROOM_ENV=production.")
CSRF_TRUSTED_ORIGINS = [o for o in env.list("CSRF_TRUSTED_ORIGINS", default=[]) if o]

# Applications ---------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "doorstroom.core",
    "doorstroom.accounts",
    "doorstroom.clients",
    "doorstroom.trajectories",
    "doorstroom.plans",
    "doorstroom.employers",
    "doorstroom.instruments",
    "doorstroom.evaluations",
    "doorstroom.reports",
    "doorstroom.library",
    "doorstroom.imports",
    "doorstroom.api",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "doorstroom.core.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "doorstroom.accounts.middleware.LanguageMiddleware",
    "doorstroom.core.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "doorstroom.accounts.middleware.SessionActivityMiddleware",
    "doorstroom.accounts.middleware.TwoFactorEnrolmentMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
FORM_RENDERER = "doorstroom.core.forms.BootstrapFormRenderer"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "doorstroom.core.context_processors.shell",
                "doorstroom.accounts.context_processors.session_timeout",
            ],
            # Strict templates in tests: an unknown variable is a bug, not an empty string.
            "string_if_invalid": "INVALID[%s]" if TESTING else "",
        },
    }
]

# Database -------------------------------------------------------------------------------

DATABASE_URL = _required_in_production("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'doorstroom.db'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, plus the planner statistics SQLite advises keeping (PRAGMA optimize).
    DATABASES["default"]["ENGINE"] = "doorstroom.core.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server and the worker read while the other writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation: our queries are short, and PostgreSQL 15 compiled one scoped
    # dashboard query for 4 s when its cost estimate crossed jit_above_cost (issue 11).
    # random_page_cost 1.1 rather than 4 (PostgreSQL's advice for SSDs and data held in memory):
    # with 4 the planner read all 100,000 placements and outflows to find one organisation's
    # 2,000, where the index gets them directly; the dashboard at scale l went 220 -> 165 ms.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", env.str("DB_SESSION_OPTIONS", default="-c jit=off -c random_page_cost=1.1")
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Authentication -------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2  # two hours
# Passwords are stored with the first hasher (Argon2id, doorstroom/accounts/hashers.py); hashes made
# by the others still verify and are stored again with the first at the next login (security.md).
STORED_PASSWORD_HASHERS = [
    "doorstroom.accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
PASSWORD_HASHERS = STORED_PASSWORD_HASHERS
if TESTING:  # a deliberately slow hash makes no sense in tests (test_passwords uses the real list)
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Lockout after repeated failed logins (django-axes): per user name and address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0) or None

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
SESSION_COOKIE_HTTPONLY = True
# Where to report a vulnerability in this installation (RFC 9116 security.txt, served at
# /.well-known/security.txt): "mailto:…", "https://…" or "tel:…" values, comma-separated.
# `manage.py check --deploy` warns while it is empty (docs/security.md).
DOORSTROOM_SECURITY_CONTACT = env.list("DOORSTROOM_SECURITY_CONTACT", default=[])
# Signed out after this many minutes without a request (a warning shows 2 minutes before).
DOORSTROOM_IDLE_TIMEOUT_MINUTES = env.int("DOORSTROOM_IDLE_TIMEOUT_MINUTES", default=30)
# Two-factor authentication (TOTP) is required for these roles: those that can open protected
# sections or exports. Users others authorised for a client's protected section need it too
# (DOORSTROOM_2FA_REQUIRED_FOR_PROTECTED_GRANTS); everyone else may enable it.
DOORSTROOM_2FA_REQUIRED_ROLES = [
    r
    for r in env.list(
        "DOORSTROOM_2FA_REQUIRED_ROLES", default=["team_lead", "admin", "privacy_officer"]
    )
    if r
]
DOORSTROOM_2FA_REQUIRED_FOR_PROTECTED_GRANTS = env.bool(
    "DOORSTROOM_2FA_REQUIRED_FOR_PROTECTED_GRANTS", default=True
)
_ROLES = {"coach", "social_worker", "counsellor", "team_lead", "admin", "privacy_officer"}
if _unknown_roles := sorted(set(DOORSTROOM_2FA_REQUIRED_ROLES) - _ROLES):
    raise ImproperlyConfigured(
        f"DOORSTROOM_2FA_REQUIRED_ROLES: unknown role(s) {', '.join(_unknown_roles)}; "
        f"use {', '.join(sorted(_ROLES))}."
    )
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Internationalisation -------------------------------------------------------------------

LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English with Belgian dates (day first, 24-hour clock): config/formats/en/formats.py.
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_NAME = "doorstroom_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

# Static files and uploads -----------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default="") or VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# E-mail -----------------------------------------------------------------------------------

EMAIL_URL = env.str("EMAIL_URL", default="consolemail://")
_email = env.email_url_config(EMAIL_URL)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Doorstroom <noreply@doorstroom.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work (Django tasks API with the database backend) ---------------------------

TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")
        if not TESTING
        else "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}

# Cache and rate limits (doorstroom/core/ratelimit.py) ---------------------------------------

# The default cache is per process. Rate limits count in the database (core.RateCounter), so
# that every gunicorn worker and the embedded mode share the counters without another service.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rates as <hits>/<period> (30/10m, 5/h, 600/min); 0/h switches a limit off.
DOORSTROOM_RATELIMIT_LINKS = env.str("RATELIMIT_LINKS", default="30/10m")
DOORSTROOM_RATELIMIT_PASSWORD_RESET_IP = env.str("RATELIMIT_PASSWORD_RESET_IP", default="20/h")
DOORSTROOM_RATELIMIT_PASSWORD_RESET_ADDRESS = env.str(
    "RATELIMIT_PASSWORD_RESET_ADDRESS", default="5/h"
)

# Security headers ---------------------------------------------------------------------------

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Sent by doorstroom.core.headers (Django has no setting for them).
DOORSTROOM_PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), browsing-topics=()"
)
DOORSTROOM_CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    if SECURE_HSTS_PRELOAD is False:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Logging ------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.request": {"level": "ERROR"}, "axes": {"level": "WARNING"}},
}

# Doorstroom ---------------------------------------------------------------------------------

# A user without a recorded privacy training reaches no dossier (R-PRV-2).
DOORSTROOM_SITE_NAME = env.str("DOORSTROOM_SITE_NAME", default="Doorstroom")
DOORSTROOM_RULESETS_DIR = env.str("DOORSTROOM_RULESETS_DIR", default="")
DOORSTROOM_AUDIT_PAGE_SIZE = 50
DOORSTROOM_PAGE_SIZE = 50
# R-PRV-6: closed dossiers are anonymised this many years after their last activity.
DOORSTROOM_RETENTION_YEARS = env.int("DOORSTROOM_RETENTION_YEARS", default=10)
# Unusual access (R-PRV-4): a user who reads more than N distinct dossiers outside their own
# caseload within M minutes is flagged to the privacy officer; the pages look back D days.
DOORSTROOM_UNUSUAL_ACCESS_DOSSIERS = env.int("DOORSTROOM_UNUSUAL_ACCESS_DOSSIERS", default=20)
DOORSTROOM_UNUSUAL_ACCESS_MINUTES = env.int("DOORSTROOM_UNUSUAL_ACCESS_MINUTES", default=60)
DOORSTROOM_UNUSUAL_ACCESS_DAYS = env.int("DOORSTROOM_UNUSUAL_ACCESS_DAYS", default=30)
# Kennisbank: the largest file one may upload, and the organisation named as the author of the
# starter documents (default: the installation's first organisation).
DOORSTROOM_LIBRARY_MAX_UPLOAD_MB = env.int("DOORSTROOM_LIBRARY_MAX_UPLOAD_MB", default=10)
DOORSTROOM_LIBRARY_STARTER_ORGANISATION = env.str(
    "DOORSTROOM_LIBRARY_STARTER_ORGANISATION", default=""
)
# The address users open the app at, for links in e-mails (the daily digest).
DOORSTROOM_BASE_URL = env.str("DOORSTROOM_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# R-PRV-3: Fernet keys for the protected notes, newest first (rotation: add a new key in front,
# run `manage.py rotate_encryption_keys`, then drop the old key). Outside production a key is
# derived from SECRET_KEY so that the embedded mode works without configuration.
DOORSTROOM_ENCRYPTION_KEYS = [
    k for k in env.list("DOORSTROOM_ENCRYPTION_KEYS", default=[]) if k
] or ([] if PRODUCTION else [""])
if PRODUCTION and not DOORSTROOM_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "DOORSTROOM_ENCRYPTION_KEYS must be set when DOORSTROOM_ENV=production "
        "(see README, Configuration)."
    )


# REST API v1 (doorstroom/api): personal tokens, the same scoping, problem details (RFC 9457).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["doorstroom.api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [
        "doorstroom.accounts.api_permissions.TwoFactorEnrolled",
        "doorstroom.api.policies.DossierAccess",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["doorstroom.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "doorstroom.api.policies.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "doorstroom.api.problems.problem_handler",
    "UNAUTHENTICATED_USER": None,
    # Per API user, counted in the database like the other rate limits; 429 as problem details.
    "DEFAULT_THROTTLE_CLASSES": ["doorstroom.core.ratelimit.ApiThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env.str("API_THROTTLE_RATE", default="600/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Doorstroom API",
    "DESCRIPTION": "REST API v1 of Doorstroom: the same data, rules and access as the app.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["doorstroom.api.schema.document_problems"],
    # One name per choice set that several serializers share (no auto-named duplicates).
    "ENUM_NAME_OVERRIDES": {
        "StopReasonEnum": "doorstroom.trajectories.choices.StopReason",
        "TrajectoryKindEnum": "doorstroom.trajectories.choices.TrajectoryKind",
        "TrajectoryStatusEnum": "doorstroom.trajectories.choices.Status",
        "OrientationDecisionEnum": "doorstroom.trajectories.choices.OrientationDecision",
        "EvaluationKindEnum": "doorstroom.evaluations.models.EvaluationKind",
        "EvaluationStatusEnum": "doorstroom.evaluations.models.EvaluationStatus",
        "ActionStatusEnum": "doorstroom.plans.models.ActionStatus",
        "EmployerKindEnum": "doorstroom.employers.models.EmployerKind",
        "PlacementKindEnum": "doorstroom.employers.models.PlacementKind",
        "PlacementEndReasonEnum": "doorstroom.employers.models.PlacementEndReason",
        "WorkDemandEnum": "doorstroom.clients.models.WorkDemand",
        "IntakeDecisionEnum": "doorstroom.clients.models.IntakeDecision",
        "OutflowKindEnum": "doorstroom.reports.models.OutflowKind",
        "EndReportStatusEnum": "doorstroom.reports.models.EndReportStatus",
    },
}
