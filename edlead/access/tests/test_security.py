"""The security baseline: production settings pass `check --deploy`, headers, no inline code, no secrets."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from edlead.testing import PASSWORD, make_user

REPO = Path(settings.BASE_DIR)

# Inline code a strict Content-Security-Policy would block: <script> without src (JSON data blocks are
# not executed, so they are allowed), style="" and on*="" attributes, javascript: URLs.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
INLINE_STYLE_ATTR = re.compile(r"<[^>]+\sstyle\s*=", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a production server: none of the caller's DJANGO_* variables leak in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EDLEAD_", "DATABASE_URL"))}
    env.update(
        DJANGO_PRODUCTION="1",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="edlead.example.org",
        DJANGO_DEBUG="0",
        EDLEAD_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'var' / 'edlead.sqlite3'}",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# --- Production settings ---------------------------------------------------------------------------


def test_check_deploy_is_clean_with_production_variables(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    assert len(env["DJANGO_SECRET_KEY"]) >= 50

    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    del env["DJANGO_SECRET_KEY"]

    result = manage(env, "check")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_the_development_key(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    env.pop("DJANGO_SECRET_KEY")
    dev_key = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "from edlead import settings; print(settings._DEV_KEY)"],
        cwd=REPO,
        env={k: v for k, v in env.items() if k != "DJANGO_PRODUCTION"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()

    result = manage({**env, "DJANGO_SECRET_KEY": dev_key}, "check")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


PRODUCTION_PROBE = """
import django, json
django.setup()
from django.conf import settings
from django.test import Client
response = Client(HTTP_HOST="edlead.example.org").get("/accounts/login/", secure=True)
print(json.dumps({
    "status": response.status_code,
    "hsts": response.get("Strict-Transport-Security", ""),
    "csp": response.get("Content-Security-Policy", ""),
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "debug": settings.DEBUG,
}))
"""


def test_production_serves_hsts_csp_and_secure_cookies(tmp_path: Path) -> None:
    import json

    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="edlead.settings")
    migrated = manage(env, "migrate", "--no-input", timeout=300)
    assert migrated.returncode == 0, migrated.stderr

    probe = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert probe.returncode == 0, probe.stderr
    seen = json.loads(probe.stdout.strip().splitlines()[-1])
    assert seen["status"] == 200
    assert "max-age=" in seen["hsts"] and "includeSubDomains" in seen["hsts"]
    assert "script-src 'self'" in seen["csp"]
    assert seen["session_secure"] and seen["csrf_secure"]
    assert seen["debug"] is False


# --- Content-Security-Policy -----------------------------------------------------------------------


@pytest.mark.django_db
def test_responses_carry_a_strict_content_security_policy(client: Client) -> None:
    response = client.get(reverse("account_login"))

    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "data:" in directives["img-src"], "the TOTP QR code is a data: image"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def assert_no_inline_code(html: str, url: str) -> None:
    problems = [
        f"{what}: {match.group(0)[:120]}"
        for what, pattern in [
            ("inline <script>", INLINE_SCRIPT),
            ("style attribute", INLINE_STYLE_ATTR),
            ("event handler attribute", INLINE_HANDLER),
            ("javascript: URL", JS_URL),
        ]
        for match in pattern.finditer(html)
    ]
    assert not problems, f"{url} has inline code the CSP would block:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_sign_in_and_account_pages_have_no_inline_scripts_or_styles(client: Client) -> None:
    cache.clear()
    for name in ["account_login", "account_reset_password", "account_signup"]:
        url = reverse(name)
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_inline_code(response.content.decode(), url)

    # A failed sign-in shows errors; that page too.
    make_user(email="someone@example.org")
    failed = client.post(reverse("account_login"), {"login": "someone@example.org", "password": "wrong"})
    assert_no_inline_code(failed.content.decode(), "failed sign-in")

    client.post(reverse("account_login"), {"login": "someone@example.org", "password": PASSWORD})
    reauth = client.get(reverse("mfa_activate_totp"), follow=True)
    client.post(reauth.redirect_chain[-1][0], {"password": PASSWORD})
    for name in ["mfa_index", "mfa_activate_totp", "account_logout"]:
        url = reverse(name)
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_inline_code(response.content.decode(), url)
    cache.clear()


def test_allauth_template_overrides_have_no_inline_code() -> None:
    templates = [
        path
        for folder in ("allauth", "account", "mfa")
        for path in (REPO / "templates" / folder).rglob("*.html")
        if (REPO / "templates" / folder).exists()
    ]
    assert templates, "EdLead overrides allauth's templates"
    for path in templates:
        assert_no_inline_code(path.read_text(), str(path.relative_to(REPO)))


# --- No secrets in the repository ------------------------------------------------------------------


def git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=60)  # noqa: S603,S607


@pytest.fixture
def git_repo() -> None:
    if shutil.which("git") is None or git("rev-parse", "--is-inside-work-tree").returncode != 0:
        pytest.skip("not a git checkout: cannot tell what is committed")


def test_env_file_is_git_ignored(git_repo: None) -> None:
    assert git("check-ignore", "-q", ".env").returncode == 0, ".env must be listed in .gitignore"
    tracked = git("ls-files", "--cached", ".env", "*.env", "**/.env").stdout.split()
    assert tracked == [], f"environment files are committed: {tracked}"


def test_env_example_documents_the_settings() -> None:
    example = REPO / ".env.example"
    if not example.exists():
        pytest.skip(".env.example has not been written yet")
    text = example.read_text()
    for variable in ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_DEBUG", "DATABASE_URL"]:
        assert variable in text, f".env.example does not mention {variable}"
    assigned_key = re.search(r"^\s*DJANGO_SECRET_KEY\s*=\s*(\S*)", text, re.M)
    if assigned_key:
        assert len(assigned_key.group(1)) < 50 or "change" in assigned_key.group(1).lower(), (
            ".env.example must not carry a real-looking secret key"
        )


SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP )?PRIVATE KEY"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abpr]-[A-Za-z0-9-]{10,}"),
    "password in a URL": re.compile(r"\b(?:postgres|postgresql|mysql|redis)://[^:@\s/]+:([^@\s/]{6,})@"),
}
# Documentation may show the shape of a value with an obvious placeholder.
PLACEHOLDERS = re.compile(
    r"^(?:password|passw0rd|secret|changeme|change-me|example|postgres|edlead|\$.*|<.*>|\{.*\}|x+|\*+)$", re.I
)


def test_no_secret_looking_text_is_committed(git_repo: None) -> None:
    files = [REPO / name for name in git("ls-files").stdout.splitlines()]
    found = []
    for path in files:
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue
        for what, pattern in SECRET_PATTERNS.items():
            for match in pattern.finditer(text):
                if match.groups() and PLACEHOLDERS.match(match.group(1)):
                    continue
                found.append(f"{path.relative_to(REPO)}: {what}")
    assert not found, "secret-looking text is committed:\n" + "\n".join(found)
