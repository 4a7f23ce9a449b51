"""EdLead settings: every value comes from an environment variable (see .env.example)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from edlead.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("EDLEAD_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DJANGO_DEBUG", False)
# A development key is only acceptable while DEBUG is on or for the embedded default; production
# (DJANGO_PRODUCTION=1) refuses to start without a real one.
PRODUCTION = env_bool("DJANGO_PRODUCTION", False)
_DEV_KEY = "edlead-development-key-not-for-production-use-0123456789abcdefghijklmnop"  # noqa: S105
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "" if PRODUCTION else _DEV_KEY)
MIN_SECRET_KEY_LENGTH = 50
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEV_KEY or len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH):
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY must be set to a random value of at least {MIN_SECRET_KEY_LENGTH} characters "
        "in production (python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "DJANGO_DEBUG=1 is refused in production: it shows settings and data in error pages."
    )
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "csp",
    "django_htmx",
    "django_filters",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "edlead.core",
    "edlead.orgs",
    "edlead.people",
    "edlead.access",
    "edlead.metrics",
    "edlead.imports",
    "edlead.config",
    "edlead.accounts",
    "edlead.sso",
    "edlead.notices",
    "edlead.schedules",
    "edlead.files",
    "edlead.reports",
    "edlead.evaluations",
    "edlead.visits",
    "edlead.credentials",
    "edlead.learning",
    "edlead.plans",
    "edlead.support",
    "edlead.coaching",
    "edlead.networks",
    "edlead.pipeline",
    "edlead.teacherleaders",
    "edlead.communications",
    "edlead.library",
    "edlead.home",
    "edlead.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "edlead.core.middleware.AuditContextMiddleware",
    "edlead.core.middleware.ExportAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "edlead.accounts.mfa.TwoFactorRequiredMiddleware",
    "edlead.accounts.signout.ClearSiteDataOnSignOut",
]

ROOT_URLCONF = "edlead.urls"
WSGI_APPLICATION = "edlead.wsgi.application"
ASGI_APPLICATION = "edlead.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "edlead.core.context_processors.navigation",
                "edlead.notices.context_processors.inbox",
            ],
        },
    }
]
# Django's form renderer, with plain selects drawn in Python (a few hundred options cost tens of ms as
# one template include each): edlead.core.forms.EdleadFormRenderer.
FORM_RENDERER = "edlead.core.forms.EdleadFormRenderer"

# --- Database -----------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'edlead.sqlite3'}")
# Connections are kept between requests by served processes (edlead/wsgi.py sets 60 s), checked before reuse.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers (a person signing in) work while the worker writes an import; the busy
    # timeout and IMMEDIATE transactions make writers queue instead of failing with "locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every process (web servers and workers), so sign-in throttling counts attempts
# across all of them: the database by default (its table is created by a core migration), Redis when
# REDIS_URL is set.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "edlead_cache",
    }
}
if env_str("REDIS_URL", ""):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("REDIS_URL", ""),
    }

# --- Background work ----------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("EDLEAD_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Auth ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "access.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "edlead.access.adapters.AccountAdapter"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# Sign-in throttling: failed attempts per IP per minute and per account within a window.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("EDLEAD_LOGIN_RATE_LIMIT", "10/m/ip,5/300s/key"),
}
# Behind a reverse proxy: how many proxies append to X-Forwarded-For. The client address (audit log,
# sign-in throttling) is the one the outermost trusted proxy saw; 0 uses the connection's address.
EDLEAD_TRUSTED_PROXIES = env_int("EDLEAD_TRUSTED_PROXIES", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = EDLEAD_TRUSTED_PROXIES
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]

# --- Single sign-on (edlead.sso) ----------------------------------------------------------------------
# Each district configures its own OpenID Connect or SAML provider in EdLead (Single sign-on page);
# a single-district install can configure one OpenID Connect provider here instead. SSO never
# creates an account: it opens an existing, active one at an allowed domain.
SOCIALACCOUNT_ADAPTER = "edlead.sso.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # EdLead's adapter matches accounts itself, with its rules
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # sign-in starts with a POST from the sign-in page (CSRF)
EDLEAD_OIDC_ISSUER = env_str("EDLEAD_OIDC_ISSUER", "")
EDLEAD_OIDC_CLIENT_ID = env_str("EDLEAD_OIDC_CLIENT_ID", "")
EDLEAD_OIDC_CLIENT_SECRET = env_str("EDLEAD_OIDC_CLIENT_SECRET", "")
EDLEAD_OIDC_ALLOWED_DOMAINS = env_list("EDLEAD_OIDC_ALLOWED_DOMAINS", [])
# Microsoft Entra ID (one tenant's issuer): believe the e-mail claim, which Entra does not mark verified.
EDLEAD_OIDC_TRUST_EMAIL = env_bool("EDLEAD_OIDC_TRUST_EMAIL", False)
EDLEAD_OIDC_NAME = env_str("EDLEAD_OIDC_NAME", "your organization’s account")
EDLEAD_OIDC_DISTRICT = env_str("EDLEAD_OIDC_DISTRICT", "")  # DESE code; empty: any district
if EDLEAD_OIDC_ISSUER and not (
    EDLEAD_OIDC_CLIENT_ID and EDLEAD_OIDC_CLIENT_SECRET and EDLEAD_OIDC_ALLOWED_DOMAINS
):
    raise ImproperlyConfigured(
        "EDLEAD_OIDC_ISSUER needs EDLEAD_OIDC_CLIENT_ID, EDLEAD_OIDC_CLIENT_SECRET and "
        "EDLEAD_OIDC_ALLOWED_DOMAINS"
    )
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "provider_class": "edlead.sso.oidc.EdleadOIDCProvider",
        "OAUTH_PKCE_ENABLED": True,
        "APPS": (
            [
                {
                    "provider_id": "edlead-oidc",
                    "name": EDLEAD_OIDC_NAME,
                    "client_id": EDLEAD_OIDC_CLIENT_ID,
                    "secret": EDLEAD_OIDC_CLIENT_SECRET,
                    "settings": {"server_url": EDLEAD_OIDC_ISSUER, "oauth_pkce_enabled": True},
                }
            ]
            if EDLEAD_OIDC_ISSUER
            else []
        ),
    },
}
MFA_TOTP_ISSUER = "EdLead"
# Accept the code of the 30-second step before or after this one too (RFC 6238 §5.2: a code typed at
# the end of its step often reaches the server in the next one). allauth refuses a code used twice.
MFA_TOTP_TOLERANCE = 1
# Holders of these roles (grants or roles that follow from positions) must set up two-factor sign-in
# before they use EdLead. Empty: nobody is made to (`make run` does that for the demo).
EDLEAD_MFA_REQUIRED_ROLES = env_list(
    "EDLEAD_MFA_REQUIRED_ROLES", ["state_admin", "district_admin", "superintendent", "hr"]
)
# An invitation link works once, for this many days (resending issues a new one).
EDLEAD_INVITATION_DAYS = env_int("EDLEAD_INVITATION_DAYS", 14)
# The address people reach EdLead at: links in e-mails sent outside a request (imports, the worker).
EDLEAD_SITE_URL = env_str("EDLEAD_SITE_URL", "http://127.0.0.1:8000")

SESSION_COOKIE_AGE = env_int("EDLEAD_SESSION_SECONDS", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security headers -----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
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

# --- E-mail -------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "EdLead <edlead@localhost>")

# --- Locale -------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

# --- Static files (front-end packages come from npm into node_modules; nothing is vendored) -------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("uswds", NODE_MODULES / "@uswds" / "uswds" / "dist"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "uploads"

# --- Attachments (edlead.files): one store, local by default, S3-compatible when a bucket is named ----
EDLEAD_S3_BUCKET = env_str("EDLEAD_S3_BUCKET", "")
if EDLEAD_S3_BUCKET:
    STORAGES["attachments"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": EDLEAD_S3_BUCKET,
            "endpoint_url": env_str("EDLEAD_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("EDLEAD_S3_REGION", "") or None,
            "access_key": env_str("EDLEAD_S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("EDLEAD_S3_SECRET_ACCESS_KEY", "") or None,
            "location": env_str("EDLEAD_S3_PREFIX", "attachments"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    STORAGES["attachments"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(VAR_DIR / "files"),
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
EDLEAD_FILES_MAX_BYTES = env_int("EDLEAD_FILES_MAX_BYTES", 20 * 1024 * 1024)
# The kinds accepted, checked from the file's bytes: pdf png jpeg docx xlsx csv txt (edlead.files.content).
EDLEAD_FILES_ALLOWED_TYPES = env_list(
    "EDLEAD_FILES_ALLOWED_TYPES", ["pdf", "png", "jpeg", "docx", "xlsx", "csv", "txt"]
)

# --- EdLead -------------------------------------------------------------------------------------
# Uploaded imports larger than this run in the background worker with visible progress.
EDLEAD_IMPORT_BACKGROUND_BYTES = env_int("EDLEAD_IMPORT_BACKGROUND_BYTES", 5 * 1024 * 1024)
EDLEAD_IMPORT_MAX_BYTES = env_int("EDLEAD_IMPORT_MAX_BYTES", 200 * 1024 * 1024)
# A spreadsheet is refused before it is parsed when its parts would expand past this (a "zip bomb").
EDLEAD_IMPORT_MAX_EXPANDED_BYTES = env_int("EDLEAD_IMPORT_MAX_EXPANDED_BYTES", 256 * 1024 * 1024)
# A running import stamps a heartbeat; one silent for this long is marked failed and can be applied again.
EDLEAD_IMPORT_HEARTBEAT_SECONDS = env_int("EDLEAD_IMPORT_HEARTBEAT_SECONDS", 30)
EDLEAD_IMPORT_STALE_MINUTES = env_int("EDLEAD_IMPORT_STALE_MINUTES", 10)
# Uploaded files of finished or abandoned imports are deleted after this many days.
EDLEAD_IMPORT_STALE_FILE_DAYS = env_int("EDLEAD_IMPORT_STALE_FILE_DAYS", 7)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Small groups are suppressed in every view and export (DOMAIN.md §6).
EDLEAD_SUPPRESS_MIN_STUDENTS = env_int("EDLEAD_SUPPRESS_MIN_STUDENTS", 10)
EDLEAD_SUPPRESS_MIN_STAFF = env_int("EDLEAD_SUPPRESS_MIN_STAFF", 6)
# Student IDs in monitoring files are dropped, or kept only as HMAC-SHA256 under this key (never SECRET_KEY).
EDLEAD_STUDENT_ID_KEY = env_str("EDLEAD_STUDENT_ID_KEY", "")
# Interim assessments: the score that counts as meeting the benchmark when a file gives none.
EDLEAD_INTERIM_DEFAULT_BENCHMARK = env_int("EDLEAD_INTERIM_DEFAULT_BENCHMARK", 70)

# --- Notifications, schedules, serving (edlead.notices, edlead.schedules) ----------------------------
# Links in notice e-mails start with EDLEAD_SITE_URL (see Auth above).
# The worker (`manage.py run_worker`) writes a heartbeat this often; /healthz answers 503 when the
# newest one is older than EDLEAD_WORKER_MAX_AGE_SECONDS.
EDLEAD_WORKER_HEARTBEAT_SECONDS = env_int("EDLEAD_WORKER_HEARTBEAT_SECONDS", 30)
EDLEAD_WORKER_MAX_AGE_SECONDS = env_int("EDLEAD_WORKER_MAX_AGE_SECONDS", 120)
# A recurring job's run still "running" this long after it started is marked failed (its worker died).
EDLEAD_JOB_STALE_MINUTES = env_int("EDLEAD_JOB_STALE_MINUTES", 60)
# Cron expressions of the recurring jobs are read in this time zone.
EDLEAD_SCHEDULE_TIME_ZONE = env_str("EDLEAD_SCHEDULE_TIME_ZONE", TIME_ZONE)
# A load balancer probes /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}
