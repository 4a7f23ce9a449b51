"""Single sign-on in a real browser against a real OpenID Connect provider (django-oauth-toolkit,
started by the test on 127.0.0.1): a district administrator configures it, then a principal signs in
with it and lands on EdLead's home page signed in as their existing account."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.helpers import base_url
from edlead.access.models import RoleGrant, User
from edlead.sso.tests.oidc_provider.harness import PASSWORD as PROVIDER_PASSWORD
from edlead.sso.tests.oidc_provider.harness import oidc_provider  # noqa: F401 (a fixture)
from edlead.testing import make_district, make_school, make_user

PAT = "pat@springfield.k12.example"
STRANGER = "stranger@springfield.k12.example"  # known to the provider, not to EdLead


@pytest.mark.browser
def test_principal_signs_in_with_the_district_openid_connect_provider(
    page: Any,
    live_server: Any,
    sign_in: Any,
    check_axe: Any,
    screenshot: Any,
    oidc_provider: Any,  # noqa: F811
) -> None:
    root = base_url(live_server)
    district = make_district("Springfield Public Schools")
    school = make_school(district, "Lincoln Elementary")
    admin = make_user(
        email="admin@springfield.k12.example", grants=[(RoleGrant.Role.DISTRICT_ADMIN, district)]
    )
    pat = make_user(email=PAT, grants=[(RoleGrant.Role.SCHOOL_LEADER, school)], password=None)
    provider = oidc_provider(
        redirect_uris=[f"{root}/sso/oidc/district-{district.pk}/login/callback/"], emails=[PAT, STRANGER]
    )
    users_before = User.objects.count()

    # The district administrator configures single sign-on.
    sign_in(page, live_server, admin.email)
    page.get_by_role("button", name="Administration").click()
    page.get_by_role("link", name="Single sign-on").click()
    page.wait_for_url(f"{root}/sso/districts/{district.pk}/")
    page.locator("label[for=id_enabled]").click()  # USWDS draws the box on the label
    assert page.get_by_label("Allow people to sign in with this provider").is_checked()
    page.get_by_label("Protocol").select_option("oidc")
    page.get_by_label("Name on the sign-in button").fill("Springfield Google")
    page.get_by_label("Allowed e-mail domains").fill("springfield.k12.example")
    page.get_by_label("Issuer URL (OpenID Connect)").fill(provider.issuer)
    page.get_by_label("Client ID (OpenID Connect)").fill(provider.client_id)
    page.get_by_label("Client secret (OpenID Connect)").fill(provider.client_secret)
    page.get_by_role("button", name="Save single sign-on").click()
    page.get_by_text("Single sign-on for Springfield Public Schools saved.").wait_for()
    assert page.get_by_role("heading", name="Status: on").is_visible()
    assert provider.client_secret not in page.content()
    check_axe(page)
    screenshot(page, "sso-district-settings")
    page.context.clear_cookies()

    # The sign-in page offers the district's provider.
    page.goto(f"{root}/accounts/login/")
    assert page.get_by_role("link", name="Sign in with Springfield Google").is_visible()
    check_axe(page)
    screenshot(page, "sso-login")
    page.get_by_role("link", name="Sign in with Springfield Google").click()
    page.get_by_role("heading", name="Sign in with Springfield Google").wait_for()
    check_axe(page)

    # The principal signs in with it.
    sign_in_with_provider(page, root, provider.base_url, "pat")
    page.wait_for_url(f"{root}/")
    assert PAT in page.content()
    check_axe(page)
    assert User.objects.count() == users_before
    assert pat.socialaccount_set.get().provider == f"district-{district.pk}"

    # Someone the provider knows but EdLead does not is refused, with a page that says why.
    page.context.clear_cookies()
    sign_in_with_provider(page, root, provider.base_url, "stranger")
    page.get_by_role("heading", name="Single sign-on could not sign you in").wait_for()
    assert f"There is no EdLead account for {STRANGER}" in page.content()
    check_axe(page)
    screenshot(page, "sso-refused")
    assert User.objects.count() == users_before


def sign_in_with_provider(page: Any, root: str, provider_url: str, username: str) -> None:
    """EdLead's sign-in page → "Sign in with …" → confirm → the provider's sign-in and consent."""
    page.goto(f"{root}/accounts/login/")
    page.get_by_role("link", name="Sign in with Springfield Google").click()
    page.get_by_role("heading", name="Sign in with Springfield Google").wait_for()
    page.get_by_role("button", name="Continue to Springfield Google").click()
    page.wait_for_url(f"{provider_url}/accounts/login/**")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Authorize").click()  # consent at the provider
