"""Single sign-on end to end against a real OpenID Connect provider (django-oauth-toolkit, started by
the test on 127.0.0.1): EdLead's client asks it for a sign-in, the provider signs in and consents,
and EdLead's callback exchanges the code, verifies the ID token and decides."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from edlead.access.models import RoleGrant, User
from edlead.core.models import AuditEvent
from edlead.orgs.models import Organization
from edlead.sso import services
from edlead.sso.models import DistrictSso
from edlead.sso.tests.oidc_provider.harness import OidcTestProvider, provider_sign_in
from edlead.testing import make_district, make_school, make_user

pytestmark = pytest.mark.django_db

DOMAIN = "springfield.k12.example"
PAT = f"pat@{DOMAIN}"


def callback_uri(district: Organization, host: str = "http://testserver") -> str:
    return f"{host}/sso/oidc/district-{district.pk}/login/callback/"


def configure(district: Organization, provider: OidcTestProvider, **overrides: Any) -> DistrictSso:
    admin = make_user(grants=[(RoleGrant.Role.DISTRICT_ADMIN, district)], password=None)
    fields: dict[str, Any] = {
        "protocol": DistrictSso.Protocol.OIDC,
        "enabled": True,
        "button_label": "Springfield Google",
        "allowed_domains": [DOMAIN],
        "issuer_url": provider.issuer,
        "client_id": provider.client_id,
        "client_secret": provider.client_secret,
        **overrides,
    }
    return services.district_sso_save(district=district, actor=admin, **fields)


def sso_sign_in(client: Client, provider_id: str, username: str) -> Any:
    """Press "Sign in with …" on EdLead, sign in and consent at the provider, come back."""
    started = client.post(f"/sso/oidc/{provider_id}/login/")
    assert started.status_code == 302, started.content[:500]
    back = urlsplit(provider_sign_in(started["Location"], username=username))
    assert back.path == f"/sso/oidc/{provider_id}/login/callback/"
    return client.get(f"{back.path}?{back.query}")


@pytest.fixture
def district() -> Organization:
    return make_district("Springfield")


@pytest.fixture
def school(district: Organization) -> Organization:
    return make_school(district, "Lincoln Elementary")


def refusals() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=services.SSO_REFUSED))


def test_existing_account_signs_in_through_the_district_provider(
    client: Client, district: Organization, school: Organization, oidc_provider: Any
) -> None:
    pat = make_user(email=PAT, grants=[(RoleGrant.Role.SCHOOL_LEADER, school)], password=None)
    provider = oidc_provider(redirect_uris=[callback_uri(district)], emails=[PAT])
    config = configure(district, provider)
    users_before = User.objects.count()
    login_page = client.get("/accounts/login/").content.decode()
    assert f'href="/sso/oidc/{config.provider_id}/login/"' in login_page
    confirm = client.get(f"/sso/oidc/{config.provider_id}/login/")
    assert "Continue to Springfield Google" in confirm.content.decode()
    assert f"form-action 'self' {provider.base_url}" in confirm["Content-Security-Policy"]

    response = sso_sign_in(client, config.provider_id, "pat")

    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(pat.pk)
    home = client.get("/")
    assert home.status_code == 200 and PAT in home.content.decode()
    assert User.objects.count() == users_before
    link = SocialAccount.objects.get(user=pat)
    assert link.provider == config.provider_id
    event = AuditEvent.objects.get(action=services.SSO_SIGN_IN)
    assert event.actor == pat and event.detail["provider"] == config.provider_id
    assert district.path in event.scope

    # The second time the provider's subject is already linked; an account switched off since is refused.
    client.logout()
    User.objects.filter(pk=pat.pk).update(is_active=False)
    again = sso_sign_in(client, config.provider_id, "pat")
    assert again.status_code == 403
    assert "has been deactivated" in again.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_email_is_refused_and_nothing_is_created(
    client: Client, district: Organization, school: Organization, oidc_provider: Any
) -> None:
    stranger = f"stranger@{DOMAIN}"
    provider = oidc_provider(redirect_uris=[callback_uri(district)], emails=[stranger])
    config = configure(district, provider)
    users_before = User.objects.count()

    response = sso_sign_in(client, config.provider_id, "stranger")

    assert response.status_code == 403
    assert f"There is no EdLead account for {stranger}" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == users_before
    assert not SocialAccount.objects.exists()
    (event,) = refusals()
    assert event.detail["reason"] == "no_account" and event.detail["attempted"] == stranger
    assert district.path in event.scope


def test_email_outside_the_allowed_domains_is_refused(
    client: Client, district: Organization, school: Organization, oidc_provider: Any
) -> None:
    outsider = "pat@gmail.example"
    make_user(email=outsider, grants=[(RoleGrant.Role.SCHOOL_LEADER, school)], password=None)
    provider = oidc_provider(redirect_uris=[callback_uri(district)], emails=[outsider])
    config = configure(district, provider)

    response = sso_sign_in(client, config.provider_id, "pat")

    assert response.status_code == 403
    assert "E-mail addresses at gmail.example may not sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()
    assert refusals()[0].detail["reason"] == "domain_not_allowed"


def test_inactive_account_is_refused(
    client: Client, district: Organization, school: Organization, oidc_provider: Any
) -> None:
    make_user(email=PAT, grants=[(RoleGrant.Role.SCHOOL_LEADER, school)], password=None, is_active=False)
    provider = oidc_provider(redirect_uris=[callback_uri(district)], emails=[PAT])
    config = configure(district, provider)

    response = sso_sign_in(client, config.provider_id, "pat")

    assert response.status_code == 403
    assert "has been deactivated" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert refusals()[0].detail["reason"] == "inactive"


def test_account_of_another_district_is_refused(
    client: Client, district: Organization, oidc_provider: Any
) -> None:
    """A district controls its identity provider, so it must not be able to open another district's
    accounts by asserting their addresses."""
    elsewhere = make_school(make_district("Shelbyville"), "Shelbyville High")
    make_user(email=PAT, grants=[(RoleGrant.Role.SCHOOL_LEADER, elsewhere)], password=None)
    provider = oidc_provider(redirect_uris=[callback_uri(district)], emails=[PAT])
    config = configure(district, provider)

    response = sso_sign_in(client, config.provider_id, "pat")

    assert response.status_code == 403
    assert "does not belong to Springfield" in response.content.decode()
    assert refusals()[0].detail["reason"] == "other_district"


def test_unverified_email_claim_is_refused(
    client: Client, district: Organization, school: Organization, oidc_provider: Any
) -> None:
    make_user(email=PAT, grants=[(RoleGrant.Role.SCHOOL_LEADER, school)], password=None)
    provider = oidc_provider(redirect_uris=[callback_uri(district)], emails=[PAT], unverified=(PAT,))
    config = configure(district, provider)

    response = sso_sign_in(client, config.provider_id, "pat")

    assert response.status_code == 403
    assert "has not verified the e-mail address" in response.content.decode()
    assert refusals()[0].detail["reason"] == "email_unverified"


def test_an_entra_like_provider_without_email_verified_signs_in_only_when_the_district_trusts_it(
    client: Client, district: Organization, school: Organization, oidc_provider: Any
) -> None:
    """Microsoft Entra ID sends no `email_verified`: refused by default, accepted once the district's
    administrator trusts its single-tenant issuer; an explicit `email_verified: false` stays refused."""
    user = make_user(email=PAT, grants=[(RoleGrant.Role.SCHOOL_LEADER, school)], password=None)
    provider = oidc_provider(redirect_uris=[callback_uri(district)], emails=[PAT], entra=(PAT,))
    config = configure(district, provider)
    refused = sso_sign_in(client, config.provider_id, "pat")
    assert refused.status_code == 403 and refusals()[0].detail["reason"] == "email_unverified"
    config = configure(district, provider, trust_email_claim=True)
    assert config.trust_email_claim
    signed_in = sso_sign_in(Client(), config.provider_id, "pat")
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"
    assert AuditEvent.objects.filter(action="sso_sign_in", actor=user).exists()


def test_trusting_the_e_mail_claim_needs_a_single_tenant_issuer(district: Organization) -> None:
    from edlead.sso.forms import DistrictSsoForm

    data = {
        "enabled": "on",
        "protocol": "oidc",
        "allowed_domains": DOMAIN,
        "issuer_url": "https://login.microsoftonline.com/common/v2.0",
        "client_id": "abc",
        "client_secret": "s3cret",
        "trust_email_claim": "on",
    }
    form = DistrictSsoForm(data)
    assert not form.is_valid() and "single-tenant issuer" in str(form.errors["trust_email_claim"])
    data["issuer_url"] = "https://login.microsoftonline.com/0d1e2f3a-4b5c-6d7e-8f90-123456789abc/v2.0"
    assert DistrictSsoForm(data).is_valid()


@pytest.mark.parametrize(
    ("mode", "cause"),
    [("wrong-audience", "InvalidAudienceError"), ("foreign-key", "InvalidSignatureError")],
)
def test_id_token_for_another_audience_or_with_a_bad_signature_is_refused(
    mode: str, cause: str, client: Client, district: Organization, school: Organization, oidc_provider: Any
) -> None:
    pat = make_user(email=PAT, grants=[(RoleGrant.Role.SCHOOL_LEADER, school)], password=None)
    provider = oidc_provider(redirect_uris=[callback_uri(district)], emails=[PAT], mode=mode)
    config = configure(district, provider)

    response = sso_sign_in(client, config.provider_id, "pat")

    assert response.status_code == 403
    assert "could not be verified" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.filter(user=pat).exists()
    (event,) = refusals()
    assert event.detail["reason"].startswith("authentication_error")
    assert "Invalid id_token" in event.detail["message"] and cause in event.detail["message"]
    assert district.path in event.scope


def test_disabled_provider_offers_no_button_and_no_sign_in(
    client: Client, district: Organization, school: Organization, oidc_provider: Any
) -> None:
    make_user(email=PAT, grants=[(RoleGrant.Role.SCHOOL_LEADER, school)], password=None)
    provider = oidc_provider(redirect_uris=[callback_uri(district)], emails=[PAT])
    config = configure(district, provider)
    assert "Sign in with Springfield Google" in client.get("/accounts/login/").content.decode()

    configure(district, provider, enabled=False)

    assert "Sign in with Springfield Google" not in client.get("/accounts/login/").content.decode()
    assert client.post(f"/sso/oidc/{config.provider_id}/login/").status_code == 404


def test_provider_configured_from_environment_variables(
    client: Client, settings: Any, district: Organization, school: Organization, oidc_provider: Any
) -> None:
    pat = make_user(email=PAT, grants=[(RoleGrant.Role.SCHOOL_LEADER, school)], password=None)
    provider = oidc_provider(
        redirect_uris=["http://testserver/sso/oidc/edlead-oidc/login/callback/"],
        emails=[PAT, "x@other.example"],
    )
    settings.EDLEAD_OIDC_ALLOWED_DOMAINS = [DOMAIN]
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            **settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
            "APPS": [
                {
                    "provider_id": services.ENV_PROVIDER_ID,
                    "name": "Springfield Microsoft",
                    "client_id": provider.client_id,
                    "secret": provider.client_secret,
                    "settings": {"server_url": provider.issuer, "oauth_pkce_enabled": True},
                }
            ],
        }
    }
    assert "Sign in with Springfield Microsoft" in client.get("/accounts/login/").content.decode()

    response = sso_sign_in(client, services.ENV_PROVIDER_ID, "pat")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(pat.pk)
    assert SocialAccount.objects.get(user=pat).provider == services.ENV_PROVIDER_ID


# --- invitations: "Continue with <provider>" on the invitation page ------------------------------------
NEWBIE = f"newbie@{DOMAIN}"


@pytest.fixture
def invitation_token(
    district: Organization, school: Organization, django_capture_on_commit_callbacks: Any
) -> str:
    """NEWBIE invited as school leader by the district's administrator: the e-mailed link's token."""
    from django.core import mail

    from edlead.accounts import services as accounts

    admin = make_user(grants=[(RoleGrant.Role.DISTRICT_ADMIN, district)], password=None)
    with django_capture_on_commit_callbacks(execute=True):
        accounts.invitation_create(
            actor=admin, role=RoleGrant.Role.SCHOOL_LEADER, organization=school, email=NEWBIE
        )
    found = re.search(r"/invitations/accept/([^/\s]+)/", str(mail.outbox[-1].body))
    assert found, mail.outbox[-1].body
    return found.group(1)


def test_invited_person_accepts_by_signing_in_with_the_district_provider(
    client: Client, district: Organization, school: Organization, oidc_provider: Any, invitation_token: str
) -> None:
    token = invitation_token
    provider = oidc_provider(redirect_uris=[callback_uri(district)], emails=[NEWBIE])
    config = configure(district, provider)
    page = client.get(reverse("accounts:invitation-accept", args=[token])).content.decode()
    start = f"/sso/invitations/{token}/{config.provider_id}/"
    assert f'href="{start}"' in page and "Continue with Springfield Google" in page

    assert client.get(start)["Location"] == f"/sso/oidc/{config.provider_id}/login/"
    response = sso_sign_in(client, config.provider_id, "newbie")

    assert response.status_code == 302 and response["Location"] == "/"
    newbie = User.objects.get(email=NEWBIE)
    assert client.session["_auth_user_id"] == str(newbie.pk)
    assert newbie.is_active and not newbie.has_usable_password()
    assert newbie.role_grants.get().organization == school
    assert SocialAccount.objects.get(user=newbie).provider == config.provider_id
    # The link is used up: a second use opens nothing.
    assert client.get(reverse("accounts:invitation-accept", args=[token])).status_code == 410


def test_invitation_is_not_accepted_for_another_address(
    client: Client, district: Organization, oidc_provider: Any, invitation_token: str
) -> None:
    token = invitation_token
    provider = oidc_provider(redirect_uris=[callback_uri(district)], emails=[f"someone@{DOMAIN}"])
    config = configure(district, provider)
    users_before = User.objects.count()

    client.get(f"/sso/invitations/{token}/{config.provider_id}/")
    response = sso_sign_in(client, config.provider_id, "someone")

    assert response.status_code == 403
    assert f"The invitation is for {NEWBIE}" in response.content.decode()
    assert User.objects.count() == users_before
    assert "_auth_user_id" not in client.session
    assert refusals()[0].detail["reason"] == "invitation_other_email"
