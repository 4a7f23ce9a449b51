"""The accounts pages: who sees them, the list's scope, inviting through the form and from the people
list, deactivating and reactivating, password-reset e-mails, and the managers' work-queue items."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from edlead.access.models import RoleGrant, User
from edlead.access.tests.conftest import World
from edlead.accounts import services
from edlead.accounts import workqueue as account_items
from edlead.accounts.models import Invitation
from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.testing import PASSWORD, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

G = RoleGrant.Role
LIST = reverse("accounts:account-list")


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "who", ["school_leader", "principal_supervisor", "superintendent", "educator", "cabinet"]
)
def test_only_account_managers_open_the_pages_or_see_the_link(world: World, who: str) -> None:
    client = as_user(world.users[who])
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("accounts:invitation-create")).status_code == 403
    assert client.post(reverse("accounts:invitation-selection"), {"people": [1]}).status_code == 403
    assert f'href="{LIST}"' not in client.get(reverse("home:home")).content.decode()


def test_managers_see_the_link_and_accounts_in_their_scope_only(people: World) -> None:
    TOTP.activate(people.users["school_leader"], "JBSWY3DPEHPK3PXP")
    beta_admin = make_user(
        email="admin@beta.example.org", grants=[(G.DISTRICT_ADMIN, people.orgs["B"])], password=None
    )
    client = as_user(people.users["district_admin"])
    assert f'href="{LIST}"' in client.get(reverse("home:home")).content.decode()
    page = client.get(LIST)
    html = page.content.decode()
    shown = {a.email for a in page.context["page"]}
    assert people.users["school_leader"].email in shown and people.users["hr"].email in shown
    assert beta_admin.email not in shown and people.users["state_admin"].email not in shown
    row = html[html.index(people.users["school_leader"].email) :]
    assert '<td data-label="Two-factor">On</td>' in row[:2000]
    assert as_user(people.users["hr"]).get(LIST).status_code == 200
    assert beta_admin.email in {
        a.email for a in as_user(people.users["state_admin"]).get(LIST).context["page"]
    }


def test_the_list_page_has_a_fixed_number_of_queries(people: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(people.users["district_admin"])
    client.get(LIST)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    few = count()
    for n in range(15):
        extra = make_user(
            email=f"extra{n}@alpha.example.org", grants=[(G.EDUCATOR, people.orgs["S1"])], password=None
        )
        services.invitation_create(
            actor=people.users["district_admin"],
            role=G.COACH,
            organization=people.orgs["S2"],
            email=f"new{n}@alpha.example.org",
        )
        assert extra.pk
    assert count() == few


def test_inviting_through_the_form(people: World, django_capture_on_commit_callbacks: Any) -> None:
    client = as_user(people.users["district_admin"])
    form = client.get(reverse("accounts:invitation-create"))
    assert people.orgs["T1"] not in form.context["form"].fields["organization"].queryset
    assert people.people["PT1"] not in form.context["form"].fields["person"].queryset
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invitation-create"),
            {
                "person": people.people["P3"].pk,
                "email": "",
                "role": G.SCHOOL_LEADER,
                "organization": people.orgs["S3"].pk,
            },
        )
    assert response.status_code == 302 and response["Location"] == LIST
    assert mail.outbox[-1].to == ["p3@alpha.example.org"]
    assert "http://testserver/accounts/manage/invitations/accept/" in mail.outbox[-1].body
    listed = client.get(LIST).content.decode()
    assert "p3@alpha.example.org" in listed and "Waiting to be accepted" in listed

    out_of_scope = client.post(
        reverse("accounts:invitation-create"),
        {"person": people.people["PT1"].pk, "role": G.SCHOOL_LEADER, "organization": people.orgs["T1"].pk},
    )
    assert out_of_scope.status_code == 200 and out_of_scope.context["form"].errors
    escalated = as_user(people.users["hr"]).post(
        reverse("accounts:invitation-create"),
        {"email": "boss@alpha.example.org", "role": G.DISTRICT_ADMIN, "organization": people.orgs["A"].pk},
    )
    assert "may not give the District administrator role" in escalated.content.decode()
    assert Invitation.objects.count() == 1


def test_inviting_a_selection_from_the_people_list(
    people: World, django_capture_on_commit_callbacks: Any
) -> None:
    client = as_user(people.users["district_admin"])
    listing = client.get(reverse("people:person-list")).content.decode()
    assert 'form="invite-selection"' in listing and "Invite selected" in listing
    assert (
        'form="invite-selection"'
        not in as_user(people.users["school_leader"]).get(reverse("people:person-list")).content.decode()
    )
    chosen = [
        people.people["P3"].pk,
        people.people["SUP2"].pk,
        people.people["AP1"].pk,
        people.people["PT1"].pk,
    ]
    confirm = client.post(reverse("accounts:invitation-selection"), {"people": chosen})
    assert confirm.status_code == 200
    names = [p.pk for p in confirm.context["chosen"]]
    assert people.people["PT1"].pk not in names and len(names) == 3  # Beta's principal is not theirs
    assert "no e-mail address in EdLead" in confirm.content.decode()  # AP1
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse("accounts:invitation-selection"),
            {"people": chosen, "role": G.SCHOOL_LEADER, "organization": ""},
            follow=True,
        )
    invitations = {i.person_id: i for i in Invitation.objects.all()}
    assert set(invitations) == {people.people["P3"].pk, people.people["SUP2"].pk}
    assert invitations[people.people["P3"].pk].organization == people.orgs["S3"]
    assert invitations[people.people["SUP2"].pk].organization == people.orgs["N2"]
    assert "2 invitations sent." in done.content.decode()
    assert "not invited — " in done.content.decode() and len(mail.outbox) == 2


def test_resend_and_revoke_from_the_list_stay_in_scope(people: World) -> None:
    invitation = services.invitation_create(
        actor=people.users["district_admin"],
        role=G.SCHOOL_LEADER,
        organization=people.orgs["S3"],
        person=people.people["P3"],
    )
    beta_admin = make_user(grants=[(G.DISTRICT_ADMIN, people.orgs["B"])], password=None)
    assert (
        as_user(beta_admin).post(reverse("accounts:invitation-revoke", args=[invitation.pk])).status_code
        == 404
    )
    client = as_user(people.users["hr"])
    assert client.post(reverse("accounts:invitation-resend", args=[invitation.pk])).status_code == 302
    assert client.post(reverse("accounts:invitation-revoke", args=[invitation.pk])).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert {
        AuditEvent.objects.filter(action=a).count()
        for a in (services.INVITATION_RESENT, services.INVITATION_REVOKED)
    } == {1}


# --- deactivating ---------------------------------------------------------------------------------
def test_a_deactivated_account_cannot_sign_in_and_its_session_ends(people: World) -> None:
    educator = people.users["educator"]
    educator.set_password(PASSWORD)
    educator.save()
    session = Client()
    session.post(reverse("account_login"), {"login": educator.email, "password": PASSWORD})
    assert session.get(reverse("home:home")).status_code == 200

    response = as_user(people.users["district_admin"]).post(
        reverse("accounts:account-deactivate", args=[educator.pk])
    )
    assert response.status_code == 302
    educator.refresh_from_db()
    assert not educator.is_active
    assert session.get(reverse("home:home")).status_code == 302  # back to sign-in
    refused = Client().post(reverse("account_login"), {"login": educator.email, "password": PASSWORD})
    assert "_auth_user_id" not in Client().session
    assert refused.status_code in (200, 302) and refused.get("Location", "") != reverse("home:home")
    event = AuditEvent.objects.get(action=services.ACCOUNT_DEACTIVATED)
    assert event.target_id == str(educator.pk) and event.actor_id == people.users["district_admin"].pk

    as_user(people.users["district_admin"]).post(reverse("accounts:account-reactivate", args=[educator.pk]))
    educator.refresh_from_db()
    assert educator.is_active and AuditEvent.objects.filter(action=services.ACCOUNT_REACTIVATED).count() == 1
    ok = Client()
    ok.post(reverse("account_login"), {"login": educator.email, "password": PASSWORD})
    assert ok.get(reverse("home:home")).status_code == 200


def test_nobody_deactivates_themselves_or_an_account_above_them(people: World) -> None:
    admin, hr = people.users["district_admin"], people.users["hr"]
    with pytest.raises(ApplicationError, match="your own account"):
        services.account_deactivate(account=admin, actor=admin)
    with pytest.raises(ApplicationError, match="could not grant"):
        services.account_deactivate(account=admin, actor=hr)
    outside = make_user(grants=[(G.DISTRICT_ADMIN, people.orgs["B"])], password=None)
    assert as_user(admin).post(reverse("accounts:account-deactivate", args=[outside.pk])).status_code == 404
    assert as_user(admin).post(reverse("accounts:account-deactivate", args=[admin.pk])).status_code == 302
    for user in (admin, hr, outside):
        user.refresh_from_db()
        assert user.is_active
    assert not AuditEvent.objects.filter(action=services.ACCOUNT_DEACTIVATED).exists()


# --- e-mails --------------------------------------------------------------------------------------
def test_password_reset_mail_names_edlead_and_the_district_not_the_host(people: World) -> None:
    leader = people.users["school_leader"]  # principal of Oak Elementary, Alpha Public Schools
    Client().post(reverse("account_reset_password"), {"email": leader.email})
    message = mail.outbox[-1]
    assert message.subject == "EdLead · Alpha Public Schools: Reset your password"
    assert "Hello from EdLead for Alpha Public Schools." in message.body
    assert "EdLead account at Alpha Public Schools" in message.body
    assert "/accounts/password/reset/key/" in message.body
    assert "testserver" not in message.subject and "example.com" not in message.body


def test_password_reset_for_an_unknown_address_still_names_edlead(db: Any) -> None:
    Client().post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    message = mail.outbox[-1]
    assert message.subject == "EdLead: Password reset requested"
    assert "no EdLead account uses this address" in message.body


# --- work queue -----------------------------------------------------------------------------------
def test_managers_queue_lists_waiting_and_expiring_invitations(people: World) -> None:
    admin = people.users["district_admin"]
    soon = services.invitation_create(
        actor=admin, role=G.SCHOOL_LEADER, organization=people.orgs["S3"], person=people.people["P3"]
    )
    services.invitation_create(
        actor=admin, role=G.COACH, organization=people.orgs["N2"], person=people.people["SUP2"]
    )
    Invitation.objects.filter(pk=soon.pk).update(expires_at=timezone.now() + dt.timedelta(days=1))
    items = list(account_items.items(admin, timezone.localdate()))
    titles = [i.title for i in items]
    assert "1 invitation expiring soon: send again if needed" in titles
    assert "1 invitation waiting to be accepted" in titles
    expiring = next(i for i in items if "expiring" in i.title)
    assert expiring.organization == "Birch High" and expiring.url == LIST + "#invitations"
    waiting = next(i for i in items if "waiting" in i.title)
    assert waiting.due is None and waiting.detail.startswith("The first expires on ")
    assert expiring.state(timezone.localdate()) == "due" and waiting.state(timezone.localdate()) == "later"
    assert not [
        i
        for i in account_items.items(people.users["school_leader"], timezone.localdate())
        if "invitation" in i.title
    ]


def test_accepting_creates_no_duplicate_account_for_a_person(people: World) -> None:
    assert User.objects.filter(person=people.people["P1"]).count() == 1
    with pytest.raises(ApplicationError):
        services.invitation_create(
            actor=people.users["district_admin"],
            role=G.COACH,
            organization=people.orgs["S1"],
            person=people.people["P1"],
            email="other@alpha.example.org",
        )
