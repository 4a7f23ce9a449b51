"""Start the test OpenID Connect provider in a subprocess on 127.0.0.1 and stop it again.

    provider = OidcTestProvider.start(tmp_path, redirect_uris=[...], mode="normal")
    provider.issuer, provider.client_id, provider.client_secret, provider.users
    provider.stop()

Each provider has its own SQLite file and RSA key (generated here) in `tmp_path`. `provider_sign_in`
drives its sign-in and consent pages with `requests`, like a browser would, and returns the URL the
provider redirects to (EdLead's callback with the code and state).
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

REPO = Path(__file__).resolve().parents[4]
SETTINGS = "edlead.sso.tests.oidc_provider.settings"
PASSWORD = "provider-password-1"  # noqa: S105 (test provider only)
CLIENT_ID = "edlead-test-client"
CLIENT_SECRET = "edlead-test-secret-0123456789"  # noqa: S105


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _write_key(path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


_MIGRATED: dict[str, Path] = {}


def _migrated_database(env: dict[str, str]) -> Path:
    """An empty, migrated provider database, made once per test process and copied per provider."""
    if "db" not in _MIGRATED:
        folder = tempfile.mkdtemp(prefix="oidc-provider-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        target = Path(folder) / "migrated.sqlite3"
        subprocess.run(
            [sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"],
            env={**env, "OIDC_TEST_DB": str(target)},
            cwd=REPO,
            check=True,
        )
        _MIGRATED["db"] = target
    return _MIGRATED["db"]


@dataclass
class OidcTestProvider:
    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    users: list[dict[str, str]] = field(default_factory=list)

    @property
    def issuer(self) -> str:
        return f"{self.base_url}/o"

    @classmethod
    def start(
        cls,
        workdir: Path,
        *,
        redirect_uris: list[str],
        emails: list[str],
        mode: str = "normal",
        unverified: tuple[str, ...] = (),
        entra: tuple[str, ...] = (),
    ) -> OidcTestProvider:
        workdir.mkdir(parents=True, exist_ok=True)
        key_file, foreign_key_file = workdir / "signing.pem", workdir / "foreign.pem"
        _write_key(key_file)
        _write_key(foreign_key_file)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "OIDC_TEST_DB": str(workdir / "provider.sqlite3"),
            "OIDC_TEST_KEY_FILE": str(key_file),
            "OIDC_TEST_FOREIGN_KEY_FILE": str(foreign_key_file),
            "OIDC_TEST_MODE": mode,
            "PYTHONPATH": str(REPO),
        }
        env.pop("DATABASE_URL", None)
        users = [
            {
                "username": email.split("@")[0],
                "password": PASSWORD,
                "email": email,
                "first_name": "Test",
                "last_name": "unverified" if email in unverified else "entra" if email in entra else "User",
            }
            for email in emails
        ]
        spec = workdir / "spec.json"
        spec.write_text(
            json.dumps(
                {
                    "users": users,
                    "applications": [
                        {
                            "client_id": CLIENT_ID,
                            "client_secret": CLIENT_SECRET,
                            "redirect_uris": redirect_uris,
                        }
                    ],
                }
            )
        )
        python = sys.executable
        shutil.copyfile(_migrated_database(env), workdir / "provider.sqlite3")
        subprocess.run(
            [python, "-m", "edlead.sso.tests.oidc_provider.seed", str(spec)], env=env, cwd=REPO, check=True
        )
        port = _free_port()
        log_path = workdir / "provider.log"
        log = log_path.open("wb")
        process = subprocess.Popen(
            [python, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
            env=env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        provider = cls(base_url=f"http://127.0.0.1:{port}", process=process, log_path=log_path, users=users)
        provider._wait_until_up()
        return provider

    def _wait_until_up(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the test OIDC provider exited:\n{self.log_path.read_text()}")
            try:
                response = requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=2)
                if response.status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"the test OIDC provider did not answer in {timeout}s:\n{self.log_path.read_text()}"
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


class _Forms(HTMLParser):
    """The forms of a page: action and input name → value (the last submit button kept by name)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "fields": {}})
        elif tag == "input" and self.forms and a.get("name"):
            if a.get("type") in {"submit", "checkbox"}:
                return
            self.forms[-1]["fields"][a["name"]] = a.get("value") or ""


def _form(response: requests.Response) -> tuple[str, dict[str, str]]:
    parser = _Forms()
    parser.feed(response.text)
    if not parser.forms:
        raise AssertionError(f"no form on {response.url}: {response.text[:500]}")
    form = parser.forms[0]
    return urljoin(response.url, form["action"] or response.url), dict(form["fields"])


def provider_sign_in(authorize_url: str, *, username: str, password: str = PASSWORD) -> str:
    """Follow EdLead's redirect to the provider, sign in there and consent; return the URL the
    provider sends the browser back to (EdLead's callback), without following it."""
    session = requests.Session()
    response = session.get(authorize_url, timeout=10)  # → the provider's sign-in page
    action, fields = _form(response)
    fields.update({"username": username, "password": password})
    response = session.post(action, data=fields, headers={"Referer": response.url}, timeout=10)
    response.raise_for_status()
    action, fields = _form(response)  # the consent page
    fields["allow"] = "Authorize"
    response = session.post(
        action, data=fields, headers={"Referer": response.url}, allow_redirects=False, timeout=10
    )
    if response.status_code != 302:
        raise AssertionError(f"consent did not redirect ({response.status_code}): {response.text[:500]}")
    return str(response.headers["Location"])


@pytest.fixture
def oidc_provider(tmp_path: Path) -> Iterator[Callable[..., OidcTestProvider]]:
    """`oidc_provider(redirect_uris=[...], emails=[...], mode="normal")` starts a provider; every
    provider a test started is stopped when the test ends."""
    started: list[OidcTestProvider] = []

    def start(**kwargs: Any) -> OidcTestProvider:
        provider = OidcTestProvider.start(tmp_path / f"provider-{len(started)}", **kwargs)
        started.append(provider)
        return provider

    try:
        yield start
    finally:
        for provider in started:
            provider.stop()
