"""A tiny OpenID Connect provider for EdLead's single sign-on tests (django-oauth-toolkit).

The tests start it in a subprocess on the loopback address (see `harness.py`); it is never part of
EdLead. Everything comes from environment variables the harness sets: the SQLite file, the RSA key
that signs ID tokens and, to prove EdLead refuses bad tokens, a misbehaviour `OIDC_TEST_MODE`:
`normal`, `wrong-audience` (ID tokens name another client) or `foreign-key` (the published key set
holds a different public key under the signing key's id, so signatures do not verify).
"""

from __future__ import annotations

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
SECRET_KEY = "test-oidc-provider-not-secret"  # noqa: S105 (a throwaway test server)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "edlead.sso.tests.oidc_provider.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("OIDC_TEST_DB", str(HERE / "provider.sqlite3")),
    }
}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; test users only
LOGIN_URL = "/accounts/login/"
STATIC_URL = "/static/"

_key_file = os.environ.get("OIDC_TEST_KEY_FILE", "")
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": Path(_key_file).read_text() if _key_file else "",
    "OAUTH2_VALIDATOR_CLASS": "edlead.sso.tests.oidc_provider.validators.EmailClaimsValidator",
    "SCOPES": {"openid": "OpenID Connect", "profile": "Your name", "email": "Your e-mail address"},
    "PKCE_REQUIRED": True,
}
OIDC_TEST_MODE = os.environ.get("OIDC_TEST_MODE", "normal")
OIDC_TEST_FOREIGN_KEY_FILE = os.environ.get("OIDC_TEST_FOREIGN_KEY_FILE", "")
