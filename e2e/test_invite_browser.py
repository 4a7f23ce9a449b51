"""A district administrator invites a principal; the principal opens the link from the e-mail, sets a
password and lands on the home page, whose work queue has an item for them."""

from __future__ import annotations

import re
import time
from typing import Any

import pyotp
import pytest
from django.core import mail

from e2e.helpers import base_url
from edlead.access.models import RoleGrant, User
from edlead.accounts.models import Invitation
from edlead.people.models import Position
from edlead.testing import PASSWORD, make_district, make_person, make_position, make_school, make_user

LINK = re.compile(r"https?://\S+/accounts/manage/invitations/accept/[\w-]+/")
NEW_PASSWORD = "lilac-harbour-compass-58"  # noqa: S105 (test-only)


@pytest.mark.browser
def test_district_admin_invites_a_principal_who_sets_a_password_and_lands_home(
    page: Any, browser: Any, live_server: Any, sign_in: Any, check_axe: Any, screenshot: Any
) -> None:
    district = make_district("Maplewood Public Schools", code="97500000")
    school = make_school(district, "Juniper Elementary", code="97500010")
    principal = make_person("Rosa", "Alvarez", email="rosa.alvarez@maplewood.example.org")
    make_position(principal, school, Position.Role.PRINCIPAL)
    admin = make_user(email="admin@maplewood.example.org", grants=[(RoleGrant.Role.DISTRICT_ADMIN, district)])
    url = base_url(live_server)

    sign_in(page, live_server, admin.email)
    page.get_by_role("button", name="Administration").click()
    page.get_by_role("link", name="Accounts and invitations").click()
    page.wait_for_url(f"{url}/accounts/manage/")
    check_axe(page)
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_role("combobox", name="Person").select_option(
        label="Alvarez, Rosa (rosa.alvarez@maplewood.example.org)"
    )
    page.get_by_role("combobox", name="Role").select_option(value=RoleGrant.Role.SCHOOL_LEADER)
    page.get_by_role("combobox", name="Organization").select_option(label="Juniper Elementary")
    check_axe(page)
    screenshot(page, "invite-form")
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_url(f"{url}/accounts/manage/")
    assert page.get_by_text("Invitation sent to rosa.alvarez@maplewood.example.org.").is_visible()
    assert page.get_by_role("cell", name="Waiting to be accepted", exact=False).first.is_visible()
    check_axe(page)
    screenshot(page, "invite-accounts-list")

    message = mail.outbox[-1]
    assert message.to == ["rosa.alvarez@maplewood.example.org"]
    assert "Maplewood Public Schools" in message.subject and message.subject.startswith("EdLead")
    link = LINK.search(message.body)
    assert link, message.body

    # The principal opens the link in their own browser (no session of the administrator's).
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    try:
        invitee = context.new_page()
        invitee.goto(link.group(0))
        assert invitee.get_by_role("heading", name="Welcome to EdLead, Maplewood Public Schools").is_visible()
        check_axe(invitee)
        screenshot(invitee, "invite-accept")
        invitee.locator("#id_password1").fill(NEW_PASSWORD)
        invitee.locator("#id_password2").fill(NEW_PASSWORD)
        invitee.get_by_role("button", name="Set password and sign in").click()
        invitee.wait_for_url(f"{url}/")
        assert invitee.get_by_text(
            "Successfully signed in as rosa.alvarez@maplewood.example.org."
        ).is_visible()
        queue = invitee.locator(".edlead-queue")
        assert queue.get_by_text("Set up two-factor sign-in").is_visible()
        check_axe(invitee)
        screenshot(invitee, "invite-home")

        # The same link a second time: a clear page, nothing changes.
        invitee.goto(link.group(0))
        assert invitee.get_by_role("heading", name="This invitation has already been used").is_visible()
        check_axe(invitee)
        screenshot(invitee, "invite-link-used")
    finally:
        context.close()

    user = User.objects.get(email="rosa.alvarez@maplewood.example.org")
    assert user.person == principal and user.check_password(NEW_PASSWORD)
    assert RoleGrant.objects.filter(
        user=user, role=RoleGrant.Role.SCHOOL_LEADER, organization=school
    ).exists()
    assert Invitation.objects.get().accepted_at is not None


@pytest.mark.browser
def test_hr_invites_a_selection_from_the_people_list_and_sees_it_in_the_queue(
    page: Any, live_server: Any, sign_in: Any, check_axe: Any, screenshot: Any
) -> None:
    district = make_district("Cedar Falls Public Schools", code="97600000")
    school = make_school(district, "Aspen Middle", code="97600010")
    for first, last in (("Lee", "Okafor"), ("Sam", "Brennan")):
        person = make_person(first, last, email=f"{first.lower()}@cedar.example.org")
        make_position(person, school, Position.Role.TEACHER)
    hr = make_user(email="hr@cedar.example.org", grants=[(RoleGrant.Role.HR, district)])
    url = base_url(live_server)

    sign_in(page, live_server, hr.email)
    page.goto(f"{url}/people/")
    for name in ("Okafor, Lee", "Brennan, Sam"):
        page.get_by_role("checkbox", name=f"Select {name}").check()
    screenshot(page, "invite-people-list")
    check_axe(page)
    page.get_by_role("button", name="Invite selected").click()
    page.wait_for_url(f"{url}/accounts/manage/invite/selection/")
    assert page.get_by_role("heading", name="2 people").is_visible()
    page.get_by_role("combobox", name="Role").select_option(value=RoleGrant.Role.EDUCATOR)
    check_axe(page)
    screenshot(page, "invite-selection")
    page.get_by_role("button", name="Send the invitations").click()
    page.wait_for_url(f"{url}/accounts/manage/")
    assert page.get_by_text("2 invitations sent.").is_visible()
    assert sorted(m.to[0] for m in mail.outbox) == ["lee@cedar.example.org", "sam@cedar.example.org"]
    assert all(i.organization == school for i in Invitation.objects.all())

    page.goto(f"{url}/")
    assert page.locator(".edlead-queue").get_by_text("2 invitations waiting to be accepted").is_visible()
    check_axe(page)
    screenshot(page, "invite-manager-home")


@pytest.mark.browser
def test_a_district_administrator_must_set_up_two_factor_first(
    page: Any, live_server: Any, sign_in: Any, check_axe: Any, screenshot: Any, settings: Any
) -> None:
    settings.EDLEAD_MFA_REQUIRED_ROLES = ["district_admin"]
    district = make_district("Birchwood Public Schools", code="97700000")
    admin = make_user(email="admin@birchwood.example.org", grants=[(RoleGrant.Role.DISTRICT_ADMIN, district)])

    sign_in(page, live_server, admin.email)
    page.goto(f"{base_url(live_server)}/people/")
    assert "/accounts/2fa/totp/activate/" in page.url or "/accounts/reauthenticate/" in page.url
    if "/accounts/reauthenticate/" in page.url:  # allauth confirms the password before a change
        page.get_by_label("Password", exact=False).first.fill(PASSWORD)
        page.get_by_role("button", name=re.compile("Confirm")).click()
    page.wait_for_url(re.compile(r".*/accounts/2fa/totp/activate/.*"))
    assert page.get_by_text("Your role requires two-factor sign-in").first.is_visible()
    check_axe(page)
    screenshot(page, "invite-two-factor-required")

    # With an authenticator app set up, the pages open.
    secret = page.locator("#authenticator-secret").inner_text().strip()
    if time.time() % 30 > 25:  # not at the edge of a 30-second code window
        time.sleep(30 - time.time() % 30 + 0.5)
    page.get_by_label("Authenticator code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    page.wait_for_url(re.compile(r".*/accounts/2fa/.*"))
    page.goto(f"{base_url(live_server)}/people/")
    assert page.url == f"{base_url(live_server)}/people/"
    assert page.get_by_role("heading", name="People", exact=True).is_visible()
