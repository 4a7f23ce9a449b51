"""Invitations: scope, role escalation, the link's single use and expiry, resend and revoke, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from edlead.access.models import RoleGrant, User
from edlead.access.tests.conftest import World
from edlead.accounts import services
from edlead.accounts.models import Invitation
from edlead.accounts.tests.conftest import last_token
from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.testing import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.usefixtures("empty_cache")]

G = RoleGrant.Role
NEW_PASSWORD = "a-long-new-passphrase-73"  # noqa: S105 (test-only)


def invite(
    world: World, actor: str = "district_admin", person: str = "P3", org: str = "S3", **kw: Any
) -> Invitation:
    return services.invitation_create(
        actor=world.users[actor],
        role=kw.pop("role", G.SCHOOL_LEADER),
        organization=world.orgs[org],
        person=world.people[person] if person else None,
        **kw,
    )


@pytest.fixture
def sent(people: World, django_capture_on_commit_callbacks: Any) -> tuple[Invitation, str]:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(people)
    return invitation, last_token()


# --- creating -------------------------------------------------------------------------------------
def test_invitation_stores_only_the_hash_and_mails_a_link_naming_edlead_and_the_district(
    sent: tuple[Invitation, str],
) -> None:
    invitation, token = sent
    assert invitation.token_hash == services.token_hash(token)
    assert token not in invitation.token_hash
    assert not Invitation.objects.filter(token_hash=token).exists()
    message = mail.outbox[-1]
    assert message.to == ["p3@alpha.example.org"]
    assert message.subject == "EdLead · Alpha Public Schools: You are invited"
    assert "Alpha Public Schools" in message.body and "EdLead" in message.body
    assert "School leader at Birch High" in message.body
    assert (
        "has invited you, Pia Principal-Three, to EdLead, the leadership and personnel system of"
        in message.body
    )
    assert "testserver" not in message.subject and "example.com" not in message.body
    assert invitation.expires_at - timezone.now() > dt.timedelta(days=13, hours=23)
    invitation.refresh_from_db()
    assert invitation.sent_at is not None and invitation.send_count == 1
    event = AuditEvent.objects.get(action=services.INVITATION_SENT)
    assert event.actor_id == invitation.invited_by_id and event.target_id == str(invitation.pk)
    assert event.scope == f"|{invitation.organization.path}|"


def test_expiry_follows_the_setting(people: World, settings: Any) -> None:
    settings.EDLEAD_INVITATION_DAYS = 3
    invitation = invite(people)
    assert dt.timedelta(days=2, hours=23) < invitation.expires_at - timezone.now() <= dt.timedelta(days=3)


def test_nothing_is_mailed_when_the_invitation_is_rolled_back(
    people: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invite(people)
    assert len(callbacks) == 1 and mail.outbox == []


def test_district_admin_cannot_invite_outside_the_district(people: World) -> None:
    with pytest.raises(ApplicationError, match="do not manage accounts at Cedar Elementary"):
        invite(people, person="PT1", org="T1")
    with pytest.raises(ApplicationError, match="not among the people you may invite"):
        invite(people, person="PT1", org="S3")
    assert not Invitation.objects.exists()


def test_nobody_confers_a_role_they_could_not_grant(people: World) -> None:
    with pytest.raises(ApplicationError, match="may not give the District administrator role"):
        invite(people, actor="hr", role=G.DISTRICT_ADMIN, org="A")
    with pytest.raises(ApplicationError, match="do not manage accounts at"):
        invite(people, actor="district_admin", role=G.STATE_ADMIN, org="state", person="")
    # HR may invite to roles whose every action HR holds.
    assert invite(people, actor="hr", role=G.SCHOOL_LEADER, org="S3").role == G.SCHOOL_LEADER
    with pytest.raises(ApplicationError, match="do not manage accounts"):
        invite(people, actor="school_leader", person="TEA1", org="S1", role=G.EDUCATOR)


def test_an_existing_account_or_an_open_invitation_is_not_invited_twice(people: World) -> None:
    with pytest.raises(ApplicationError, match="already has an account"):
        invite(people, person="P1", org="S1")
    invite(people)
    with pytest.raises(ApplicationError, match="already has an invitation waiting"):
        invite(people)


def test_a_new_address_without_a_person(people: World, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(people, person="", email="New.Coach@Alpha.example.org", role=G.COACH, org="N1")
    assert invitation.email == "new.coach@alpha.example.org" and invitation.person is None
    assert mail.outbox[-1].to == ["new.coach@alpha.example.org"]


# --- the link -------------------------------------------------------------------------------------
def accept_url(token: str) -> str:
    return reverse("accounts:invitation-accept", args=[token])


def test_accepting_sets_the_password_grants_the_role_signs_in_and_lands_home(
    client: Client, sent: tuple[Invitation, str], people: World
) -> None:
    invitation, token = sent
    page = client.get(accept_url(token))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Welcome to EdLead, Alpha Public Schools" in html and "p3@alpha.example.org" in html
    assert page["Referrer-Policy"] == "same-origin"  # the token never leaves for another site

    response = client.post(accept_url(token), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302 and response["Location"] == reverse("home:home")
    user = User.objects.get(email="p3@alpha.example.org")
    assert user.person == people.people["P3"] and user.is_active and user.check_password(NEW_PASSWORD)
    assert RoleGrant.objects.filter(
        user=user, role=G.SCHOOL_LEADER, organization=people.orgs["S3"], revoked_at__isnull=True
    ).exists()
    assert client.session["_auth_user_id"] == str(user.pk)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None and invitation.user == user
    assert client.get(reverse("home:home")).status_code == 200
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        services.INVITATION_ACCEPTED,
        AuditEvent.Action.ROLE_GRANTED,
        AuditEvent.Action.SIGN_IN,
    } <= actions


def test_a_weak_or_mismatched_password_is_refused_and_changes_nothing(
    client: Client, sent: tuple[Invitation, str]
) -> None:
    _, token = sent
    weak = client.post(accept_url(token), {"password1": "password", "password2": "password"})
    differ = client.post(accept_url(token), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert weak.status_code == 200 and differ.status_code == 200
    assert "too common" in weak.content.decode() or "too short" in weak.content.decode()
    assert "The two passwords differ." in differ.content.decode()
    assert not User.objects.filter(email="p3@alpha.example.org").exists()


def _state() -> tuple[int, int, list[Any]]:
    return (
        User.objects.count(),
        RoleGrant.objects.count(),
        list(Invitation.objects.values_list("accepted_at", "revoked_at", "token_hash")),
    )


def test_a_used_link_is_refused_with_a_clear_page(client: Client, sent: tuple[Invitation, str]) -> None:
    _, token = sent
    client.post(accept_url(token), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    other = Client()
    before = _state()
    page = other.get(accept_url(token))
    again = other.post(
        accept_url(token), {"password1": "another-long-pass-99", "password2": "another-long-pass-99"}
    )
    assert page.status_code == 410 and again.status_code == 410
    assert "This invitation has already been used" in page.content.decode()
    assert "Nothing was changed." in page.content.decode()
    assert _state() == before
    assert User.objects.get(email="p3@alpha.example.org").check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action=services.INVITATION_REFUSED, detail__reason="used").exists()


def test_an_expired_link_is_refused(client: Client, sent: tuple[Invitation, str]) -> None:
    invitation, token = sent
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    before = _state()
    response = client.post(accept_url(token), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    assert _state() == before and "_auth_user_id" not in client.session


def test_a_forged_link_is_refused(client: Client, sent: tuple[Invitation, str]) -> None:
    _, token = sent
    before = _state()
    for forged in (
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        "x",
        services.token_hash(token),
    ):
        response = client.post(accept_url(forged), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
        assert response.status_code == 404
        assert "This invitation link is not valid" in response.content.decode()
    assert _state() == before


def test_a_revoked_link_is_refused(client: Client, sent: tuple[Invitation, str], people: World) -> None:
    invitation, token = sent
    services.invitation_revoke(invitation=invitation, actor=people.users["district_admin"])
    before = _state()
    response = client.get(accept_url(token))
    assert response.status_code == 410 and "This invitation was withdrawn" in response.content.decode()
    assert (
        client.post(accept_url(token), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code
        == 410
    )
    assert _state() == before
    assert AuditEvent.objects.filter(action=services.INVITATION_REVOKED).count() == 1


def test_resending_replaces_the_link(
    client: Client, sent: tuple[Invitation, str], people: World, django_capture_on_commit_callbacks: Any
) -> None:
    invitation, old = sent
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=invitation, actor=people.users["district_admin"])
    new = last_token()
    assert new != old and len(mail.outbox) == 2
    assert client.get(accept_url(old)).status_code == 404
    assert client.get(accept_url(new)).status_code == 200
    invitation.refresh_from_db()
    assert invitation.is_pending and invitation.send_count == 2
    assert AuditEvent.objects.filter(action=services.INVITATION_RESENT).count() == 1


def test_inviting_again_after_expiry_resends_the_same_invitation(
    people: World, sent: tuple[Invitation, str]
) -> None:
    invitation, _ = sent
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    again = invite(people)
    assert again.pk == invitation.pk and again.is_pending


def test_a_deactivated_account_is_not_reopened_by_an_invitation(people: World) -> None:
    user = User.objects.create_user(
        "p3@alpha.example.org", PASSWORD, person=people.people["P3"], is_active=False
    )
    assert user.has_usable_password()
    with pytest.raises(ApplicationError, match="deactivated account: reactivate it"):
        invite(people)


def test_an_account_provisioned_but_never_used_is_activated(
    client: Client, people: World, django_capture_on_commit_callbacks: Any
) -> None:
    provisioned = User.objects.create_user("p3@alpha.example.org", None, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        invite(people)
    client.post(accept_url(last_token()), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    provisioned.refresh_from_db()
    assert provisioned.is_active and provisioned.person == people.people["P3"]
    assert User.objects.filter(email="p3@alpha.example.org").count() == 1


def test_sign_in_choices_hook_lists_sso_buttons_and_accepts_without_a_password(
    client: Client, sent: tuple[Invitation, str]
) -> None:
    invitation, token = sent

    def choices(inv: Invitation, request: Any) -> list[tuple[str, str]]:
        return [("Continue with Alpha Google Workspace", "/sso/alpha/start/")]

    services.sign_in_choice_register(choices)
    try:
        assert "Continue with Alpha Google Workspace" in client.get(accept_url(token)).content.decode()
    finally:
        services._SIGN_IN_CHOICES.remove(choices)
    accepted = services.invitation_accept(token=token, password=None)
    assert accepted.created and not accepted.user.has_usable_password() and accepted.user.is_active


def test_the_accept_page_reads_well_without_an_inviter(
    client: Client, people: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=None, role=G.COACH, organization=people.orgs["N1"], email="coach@alpha.example.org"
        )
    html = client.get(accept_url(last_token())).content.decode()
    assert "coach@alpha.example.org is invited to EdLead as Coach / mentor at North Quadrant." in html
    assert "Hello from EdLead for Alpha Public Schools." in mail.outbox[-1].body
    assert "You are invited to EdLead, the leadership and personnel system of Alpha Public Schools" in (
        mail.outbox[-1].body
    )
