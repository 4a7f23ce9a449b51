"""A district administrator invites a principal; the principal opens the link from the e-mail, sets a
password and lands on the home page, whose work queue has an item for them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from e2e.helpers import base_url
from edlead.access.models import RoleGrant, User
from edlead.accounts.models import Invitation
from edlead.people.models import Position
from edlead.testing import make_district, make_person, make_position, make_school, make_user

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
    page.get_by_role("link", name="Accounts").first.click()
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
