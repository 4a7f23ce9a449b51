"""Signing in, in a real browser: the pages are accessible and two-factor enrolment works end to end."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import base_url, check_axe, screenshot, sign_in
from edlead.testing import PASSWORD, make_user

pytestmark = pytest.mark.browser


def test_sign_in_page_is_accessible(page: Page, live_server) -> None:
    page.goto(f"{base_url(live_server)}/accounts/login/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to EdLead")
    expect(page.get_by_text("created by your district", exact=False)).to_be_visible()
    check_axe(page)
    screenshot(page, "signin")


def test_sign_in_page_on_a_phone_is_accessible(page: Page, live_server) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{base_url(live_server)}/accounts/login/")

    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    check_axe(page)
    screenshot(page, "signin-phone")


def test_sign_in_page_with_errors_is_accessible(page: Page, live_server) -> None:
    make_user(email="someone@example.org")
    page.goto(f"{base_url(live_server)}/accounts/login/")
    page.get_by_label("Email").fill("someone@example.org")
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert")).to_contain_text("not correct")
    check_axe(page)
    screenshot(page, "signin-error")


def test_signing_in_with_a_test_user_lands_on_home(page: Page, live_server) -> None:
    user = make_user(email="principal@example.org")

    sign_in(page, live_server, user.email, PASSWORD)

    assert page.url == f"{base_url(live_server)}/"
    expect(page.get_by_role("navigation", name="Primary navigation")).to_contain_text("principal@example.org")


def test_two_factor_enrolment_and_sign_in_with_a_code(page: Page, live_server) -> None:
    url = base_url(live_server)
    user = make_user(email="supervisor@example.org")
    sign_in(page, live_server, user.email)

    page.goto(f"{url}/accounts/2fa/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication")
    check_axe(page)
    screenshot(page, "mfa-index")

    page.get_by_role("link", name="Set up an authenticator app").click()
    # Changing how one signs in asks for the password again.
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    check_axe(page)
    screenshot(page, "mfa-reauthenticate")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    qr = page.get_by_role("img", name=re.compile("QR code"))
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), (
        "the QR code image did not load under the CSP"
    )
    secret = page.locator("#authenticator-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{16,}=*", secret), secret
    check_axe(page)
    screenshot(page, "mfa-activate")

    page.get_by_label("Authenticator code").fill(
        "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    )
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.locator("#id_code-error")).to_be_visible()
    check_axe(page)
    screenshot(page, "mfa-activate-error")

    page.get_by_label("Authenticator code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    check_axe(page)
    screenshot(page, "mfa-recovery-codes")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to EdLead")

    sign_in(page, live_server, user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    check_axe(page)
    screenshot(page, "mfa-authenticate")
    # A code that the enrolment above already used cannot be replayed, so wait for a fresh one if needed.
    code = _fresh_code(secret)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(f"{url}/")
    expect(page.get_by_role("navigation", name="Primary navigation")).to_contain_text(
        "supervisor@example.org"
    )

    page.goto(f"{url}/accounts/2fa/")
    expect(page.get_by_text("You sign in with a code from your authenticator app")).to_be_visible()
    check_axe(page)
    screenshot(page, "mfa-index-on")
    page.get_by_role("link", name="Turn off the authenticator app").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Turn off the authenticator app")
    check_axe(page)
    screenshot(page, "mfa-deactivate")


def _fresh_code(secret: str) -> str:
    """A TOTP code with at least 5 seconds of validity left, so it does not expire on its way."""
    totp = pyotp.TOTP(secret)
    remaining = totp.interval - time.time() % totp.interval
    if remaining < 5:
        time.sleep(remaining + 0.5)
    return totp.now()


def test_password_reset_sign_up_and_sign_out_pages_are_accessible(page: Page, live_server) -> None:
    url = base_url(live_server)
    user = make_user(email="forgetful@example.org")

    page.goto(f"{url}/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    check_axe(page)
    screenshot(page, "password-reset")
    page.get_by_label("Email").fill(user.email)
    page.get_by_role("button", name="Send the reset link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    check_axe(page)

    page.goto(f"{url}/accounts/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accounts are created by your district")
    check_axe(page)

    sign_in(page, live_server, user.email)
    page.goto(f"{url}/accounts/logout/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign out")
    check_axe(page)
    screenshot(page, "sign-out")
    page.get_by_role("main").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to EdLead")
