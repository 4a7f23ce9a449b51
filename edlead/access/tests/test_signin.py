"""Signing in through allauth: password, throttling, two-factor authentication, sessions, auditing."""

from __future__ import annotations

import re
import time
import types
from typing import Any

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp_auth
from django.conf import settings
from django.test import Client
from django.urls import reverse

from edlead.access.models import User
from edlead.core.models import AuditEvent
from edlead.testing import PASSWORD, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def pinned_totp_clock(monkeypatch: pytest.MonkeyPatch) -> float:
    """Pin allauth's TOTP clock (only in its own module) so a code computed by the test cannot fall into
    the next 30-second window halfway through a request; returns the pinned Unix time."""
    now = float(int(time.time()))
    monkeypatch.setattr(totp_auth, "time", types.SimpleNamespace(time=lambda: now))
    return now


def sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def key_limit(rate_limits: str) -> int:
    """The number of failed attempts allowed per account in a rate such as "10/m/ip,5/300s/key"."""
    for part in rate_limits.split(","):
        amount, _duration, *per = part.strip().split("/")
        if per == ["key"]:
            return int(amount)
    raise AssertionError(f"no per-account limit in {rate_limits!r}")


# --- Password sign-in ------------------------------------------------------------------------------


def test_sign_in_page_is_edleads_own(client: Client) -> None:
    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Sign in to EdLead</h1>" in html
    assert "created by your district" in html
    assert 'class="usa-input"' in html
    assert '<label class="usa-label" for="id_login">' in html
    assert '<label class="usa-label" for="id_password">' in html
    assert reverse("account_signup") not in html, "the sign-in page must not offer sign-up"


def test_sign_in_with_email_and_password_signs_in_and_is_audited(client: Client) -> None:
    user = make_user(email="principal@example.org")

    response = sign_in(client, "Principal@Example.org")

    assert response.status_code == 302
    assert response["Location"] == reverse("home:home")
    assert signed_in_user_id(client) == str(user.pk)
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN)
    assert event.actor == user
    assert event.actor_label == "principal@example.org"
    assert event.ip_address == "127.0.0.1"


def test_signed_in_person_reaches_the_home_page(client: Client) -> None:
    make_user(email="someone@example.org")

    response = sign_in(client, "someone@example.org")
    home = client.get(response["Location"])

    assert home.status_code == 200


def test_failed_sign_in_is_refused_and_audited(client: Client) -> None:
    make_user(email="principal@example.org")

    response = sign_in(client, "principal@example.org", "not-the-password")

    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    html = response.content.decode()
    assert "usa-alert--error" in html and 'role="alert"' in html
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN_FAILED)
    assert event.actor is None
    assert event.target_label == "principal@example.org"
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN).exists()


def test_failed_sign_in_does_not_echo_the_password(client: Client) -> None:
    make_user(email="principal@example.org")

    response = sign_in(client, "principal@example.org", "Secret-typo-123")

    assert b"Secret-typo-123" not in response.content


def test_invalid_field_error_is_linked_to_its_input(client: Client) -> None:
    response = client.post(reverse("account_login"), {"login": "not-an-email", "password": ""})

    html = response.content.decode()
    assert 'id="id_login-error"' in html
    assert re.search(
        r'<input[^>]*id="id_login"[^>]*aria-describedby="id_login-error"[^>]*aria-invalid="true"', html
    )
    assert re.search(r'<input[^>]*id="id_password"[^>]*aria-describedby="id_password-error[^"]*"', html)


def test_sign_in_is_throttled_after_repeated_failures_for_one_account(client: Client) -> None:
    user = make_user(email="target@example.org")
    allowed = key_limit(settings.ACCOUNT_RATE_LIMITS["login_failed"])

    for _ in range(allowed):
        response = sign_in(client, "target@example.org", "wrong-password")
        assert response.status_code == 200
        assert b"Too many failed" not in response.content

    response = sign_in(client, "target@example.org", PASSWORD)

    assert response.status_code == 200
    assert b"Too many failed" in response.content
    assert signed_in_user_id(client) is None
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN, actor=user).exists()


def test_throttling_one_account_does_not_lock_out_another(client: Client) -> None:
    make_user(email="target@example.org")
    other = make_user(email="other@example.org")
    allowed = key_limit(settings.ACCOUNT_RATE_LIMITS["login_failed"])
    for _ in range(allowed):
        sign_in(client, "target@example.org", "wrong-password")

    response = sign_in(client, "other@example.org")

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(other.pk)


def test_inactive_account_cannot_sign_in(client: Client) -> None:
    make_user(email="gone@example.org", is_active=False)

    sign_in(client, "gone@example.org")

    assert signed_in_user_id(client) is None


# --- Sign-up is closed -----------------------------------------------------------------------------


def test_signup_is_closed(client: Client) -> None:
    url = reverse("account_signup")

    page = client.get(url)
    posted = client.post(url, {"email": "newcomer@example.org", "password1": "a-long-enough-password-1"})

    assert page.status_code == 200
    assert "Accounts are created by your district" in page.content.decode()
    assert b"<form" not in page.content.split(b"<main", 1)[1].split(b"</main>", 1)[0]
    assert posted.status_code == 200
    assert not User.objects.filter(email="newcomer@example.org").exists()
    assert signed_in_user_id(client) is None


# --- Sign-out --------------------------------------------------------------------------------------


def test_sign_out_asks_for_confirmation_then_signs_out_and_is_audited(client: Client) -> None:
    make_user(email="principal@example.org")
    sign_in(client, "principal@example.org")

    confirm = client.get(reverse("account_logout"))
    response = client.post(reverse("account_logout"))

    assert confirm.status_code == 200
    assert "<h1>Sign out</h1>" in confirm.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert signed_in_user_id(client) is None
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_OUT).count() == 1


# --- Password reset --------------------------------------------------------------------------------


def test_password_reset_sends_a_link_that_sets_a_new_password(client: Client, mailoutbox: list) -> None:
    user = make_user(email="forgetful@example.org")

    form = client.get(reverse("account_reset_password"))
    sent = client.post(reverse("account_reset_password"), {"email": "forgetful@example.org"})

    assert form.status_code == 200 and "<h1>Reset your password</h1>" in form.content.decode()
    assert sent.status_code == 302
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", mailoutbox[0].body)
    assert link is not None
    path = "/" + link.group(0).split("/", 3)[3]
    set_password_page = client.get(path, follow=True)
    assert "<h1>Choose a new password</h1>" in set_password_page.content.decode()
    action = set_password_page.redirect_chain[-1][0] if set_password_page.redirect_chain else path
    new_password = "a-brand-new-passphrase-77"
    done = client.post(action, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


# --- Two-factor authentication ---------------------------------------------------------------------


def enrol_totp(client: Client, now: float) -> str:
    """Turn on TOTP through allauth's own pages; returns the secret. The client must be signed in."""
    activate_url = reverse("mfa_activate_totp")
    # Changing how one signs in asks for the password again first (allauth's reauthentication).
    asked = client.get(activate_url)
    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    reauth_page = client.get(asked["Location"])
    assert "<h1>Confirm it is you</h1>" in reauth_page.content.decode()
    confirmed = client.post(asked["Location"], {"password": PASSWORD})
    assert confirmed.status_code == 302 and confirmed["Location"] == activate_url

    page = client.get(activate_url)
    assert page.status_code == 200, page
    secret = page.context["form"].secret
    html = page.content.decode()
    assert secret in html, "the secret is shown as text for people who cannot scan the QR code"
    assert 'src="data:image/svg+xml;base64,' in html
    response = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).at(now)})
    assert response.status_code == 302, response.content.decode()
    return secret


def test_totp_enrolment_then_sign_in_asks_for_and_accepts_a_code(
    client: Client, pinned_totp_clock: float
) -> None:
    user = make_user(email="supervisor@example.org")
    sign_in(client, "supervisor@example.org")

    secret = enrol_totp(client, pinned_totp_clock)

    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    # allauth shows the new recovery codes straight after activation.
    codes_page = client.get(reverse("mfa_view_recovery_codes"))
    assert codes_page.status_code == 200
    assert "<h1>Recovery codes</h1>" in codes_page.content.decode()

    client.post(reverse("account_logout"))
    assert signed_in_user_id(client) is None
    sign_ins_before = AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN).count()

    password_step = sign_in(client, "supervisor@example.org")

    assert password_step.status_code == 302
    assert password_step["Location"] == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None, "a password alone must not sign in once TOTP is on"
    code_page = client.get(reverse("mfa_authenticate"))
    assert "<h1>Enter your code</h1>" in code_page.content.decode()

    code_step = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).at(pinned_totp_clock)})

    assert code_step.status_code == 302
    assert code_step["Location"] == reverse("home:home")
    assert signed_in_user_id(client) == str(user.pk)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN).count() == sign_ins_before + 1
    assert client.get(reverse("home:home")).status_code == 200


def test_wrong_or_replayed_totp_code_is_refused(client: Client, pinned_totp_clock: float) -> None:
    make_user(email="supervisor@example.org")
    sign_in(client, "supervisor@example.org")
    secret = enrol_totp(client, pinned_totp_clock)
    client.post(reverse("account_logout"))
    code = pyotp.TOTP(secret).at(pinned_totp_clock)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    sign_in(client, "supervisor@example.org")
    refused = client.post(reverse("mfa_authenticate"), {"code": wrong})

    assert refused.status_code == 200
    assert signed_in_user_id(client) is None
    assert 'id="id_code-error"' in refused.content.decode()

    client.post(reverse("mfa_authenticate"), {"code": code})
    assert signed_in_user_id(client) is not None
    client.post(reverse("account_logout"))

    sign_in(client, "supervisor@example.org")
    replayed = client.post(reverse("mfa_authenticate"), {"code": code})

    assert replayed.status_code == 200
    assert signed_in_user_id(client) is None


def test_mfa_index_page_offers_to_set_up_an_authenticator(client: Client) -> None:
    make_user(email="principal@example.org")
    sign_in(client, "principal@example.org")

    response = client.get(reverse("mfa_index"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Two-factor authentication</h1>" in html
    assert f'href="{reverse("mfa_activate_totp")}"' in html


# --- Sessions and passwords ------------------------------------------------------------------------


def test_sessions_expire_within_a_working_day_and_at_browser_close() -> None:
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_passwords_are_hashed_with_argon2(settings: Any) -> None:
    from edlead import settings as edlead_settings

    settings.PASSWORD_HASHERS = edlead_settings.PASSWORD_HASHERS  # the suite runs a fast hasher
    user = make_user()

    assert user.password.startswith("argon2$")
    assert user.check_password(PASSWORD)
