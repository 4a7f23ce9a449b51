"""A district's single sign-on settings: who may change them, what is checked, the allauth SocialApp
kept in step, the secret never shown back, every change audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from allauth.socialaccount.models import SocialApp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.test import Client

from edlead.access.models import RoleGrant
from edlead.core.models import AuditEvent
from edlead.orgs.models import Organization
from edlead.sso import services
from edlead.sso.models import DistrictSso
from edlead.testing import make_district, make_school, make_user

pytestmark = pytest.mark.django_db

SECRET = "s3cret-value-never-shown-9f8e7d"  # noqa: S105 (test value)


def self_signed_pem(common_name: str = "idp.example") -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture
def district() -> Organization:
    return make_district("Springfield")


@pytest.fixture
def admin_client(client: Client, district: Organization) -> Client:
    admin = make_user(email="admin@springfield.example", grants=[(RoleGrant.Role.DISTRICT_ADMIN, district)])
    client.force_login(admin)
    return client


def oidc_form(**overrides: Any) -> dict[str, Any]:
    return {
        "enabled": "on",
        "protocol": "oidc",
        "button_label": "Springfield Google",
        "allowed_domains": "springfield.example\n@Staff.Springfield.Example",
        "issuer_url": "https://accounts.google.com",
        "client_id": "123.apps.googleusercontent.com",
        "client_secret": SECRET,
        **overrides,
    }


def test_district_admin_configures_openid_connect(admin_client: Client, district: Organization) -> None:
    url = f"/sso/districts/{district.pk}/"
    assert admin_client.get("/sso/")["Location"] == url  # one district: straight to its page

    response = admin_client.post(url, oidc_form())

    assert response.status_code == 302
    config = DistrictSso.objects.get(district=district)
    assert config.enabled and config.domains == ["springfield.example", "staff.springfield.example"]
    app = SocialApp.objects.get(pk=config.social_app_id)
    assert (app.provider, app.provider_id, app.client_id, app.secret) == (
        "openid_connect",
        f"district-{district.pk}",
        "123.apps.googleusercontent.com",
        SECRET,
    )
    assert app.settings["server_url"] == "https://accounts.google.com"
    page = admin_client.get(url).content.decode()
    assert SECRET not in page and "A client secret is stored." in page
    assert f"/sso/oidc/district-{district.pk}/login/callback/" in page
    event = AuditEvent.objects.get(action=services.SSO_CONFIGURED)
    assert event.detail["created"] is True and event.detail["changes"]["client_secret"] == "(changed)"
    assert SECRET not in str(event.detail) and district.path in event.scope

    # Saving again without a secret keeps the stored one; the change is audited field by field.
    admin_client.post(url, oidc_form(client_secret="", enabled=""))
    app.refresh_from_db()
    assert app.secret == SECRET
    last = AuditEvent.objects.filter(action=services.SSO_CONFIGURED).order_by("-id")[0]
    assert last.detail["changes"] == {"enabled": False}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"issuer_url": "http://idp.example.org"}, "issuer_url", "must start with https://"),
        ({"client_secret": ""}, "client_secret", "needs the client secret"),
        ({"client_id": ""}, "client_id", "needs the client ID"),
        ({"allowed_domains": "springfield.example, not a domain"}, "allowed_domains", "Not an e-mail domain"),
        ({"allowed_domains": ""}, "allowed_domains", "required"),
    ],
)
def test_bad_openid_connect_settings_are_refused(
    admin_client: Client, district: Organization, overrides: dict[str, str], field: str, message: str
) -> None:
    response = admin_client.post(f"/sso/districts/{district.pk}/", oidc_form(**overrides))

    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert not DistrictSso.objects.exists() and not SocialApp.objects.exists()


def test_district_admin_configures_saml(admin_client: Client, district: Organization, settings: Any) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "edlead.example.org"]  # SAML wants a dotted host
    cert = self_signed_pem()
    body = "".join(cert.strip().splitlines()[1:-1])  # pasted without the BEGIN/END lines
    response = admin_client.post(
        f"/sso/districts/{district.pk}/",
        {
            "enabled": "on",
            "protocol": "saml",
            "button_label": "Springfield ADFS",
            "allowed_domains": "springfield.example",
            "idp_entity_id": "https://idp.springfield.example/adfs",
            "idp_sso_url": "https://idp.springfield.example/adfs/ls/",
            "idp_x509cert": body,
        },
    )

    assert response.status_code == 302
    config = DistrictSso.objects.get(district=district)
    app = SocialApp.objects.get(pk=config.social_app_id)
    assert (app.provider, app.client_id, app.secret) == ("saml", f"district-{district.pk}", "")
    assert app.settings["idp"]["entity_id"] == "https://idp.springfield.example/adfs"
    assert app.settings["idp"]["x509cert"].startswith("-----BEGIN CERTIFICATE-----")
    assert app.settings["advanced"]["want_assertion_signed"] is True

    # The sign-in page offers it; pressing it sends the browser to the IdP with a SAML request.
    client = Client()
    login_page = client.get("/accounts/login/").content.decode()
    assert "Sign in with Springfield ADFS" in login_page
    confirm = client.get(f"/sso/saml/district-{district.pk}/login/", HTTP_HOST="edlead.example.org")
    assert confirm.status_code == 200 and "Continue to Springfield ADFS" in confirm.content.decode()
    assert "form-action 'self' https://idp.springfield.example" in confirm["Content-Security-Policy"]
    started = client.post(f"/accounts/saml/district-{district.pk}/login/", HTTP_HOST="edlead.example.org")
    assert started.status_code == 302
    assert started["Location"].startswith("https://idp.springfield.example/adfs/ls/?SAMLRequest=")


def test_saml_certificate_that_is_not_one_is_refused(admin_client: Client, district: Organization) -> None:
    response = admin_client.post(
        f"/sso/districts/{district.pk}/",
        {
            "protocol": "saml",
            "allowed_domains": "springfield.example",
            "idp_entity_id": "urn:idp",
            "idp_sso_url": "https://idp.springfield.example/sso",
            "idp_x509cert": "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----",
        },
    )
    assert response.status_code == 200
    assert "not a PEM-encoded X.509 certificate" in str(response.context["form"].errors["idp_x509cert"])
    assert not SocialApp.objects.exists()


@pytest.mark.parametrize(
    "role", [RoleGrant.Role.HR, RoleGrant.Role.SUPERINTENDENT, RoleGrant.Role.SCHOOL_LEADER]
)
def test_only_administrators_open_the_sso_settings(client: Client, district: Organization, role: str) -> None:
    org = make_school(district) if role == RoleGrant.Role.SCHOOL_LEADER else district
    client.force_login(make_user(grants=[(role, org)], password=None))

    assert client.get("/sso/").status_code == 403
    assert client.get(f"/sso/districts/{district.pk}/").status_code == 404
    assert client.post(f"/sso/districts/{district.pk}/", oidc_form()).status_code == 404
    assert not DistrictSso.objects.exists()


def test_administrator_of_another_district_gets_not_found(client: Client, district: Organization) -> None:
    other = make_district("Shelbyville")
    client.force_login(make_user(grants=[(RoleGrant.Role.DISTRICT_ADMIN, other)], password=None))

    assert client.get(f"/sso/districts/{district.pk}/").status_code == 404
    assert client.post(f"/sso/districts/{district.pk}/", oidc_form()).status_code == 404


def test_state_administrator_sees_every_district(client: Client, district: Organization) -> None:
    from edlead.testing import make_state

    make_district("Shelbyville")
    client.force_login(make_user(grants=[(RoleGrant.Role.STATE_ADMIN, make_state())], password=None))

    page = client.get("/sso/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Springfield" in text and "Shelbyville" in text
    assert client.post(f"/sso/districts/{district.pk}/", oidc_form()).status_code == 302


def test_provider_that_does_not_answer_sends_back_to_sign_in_with_a_message(district: Organization) -> None:
    admin = make_user(grants=[(RoleGrant.Role.DISTRICT_ADMIN, district)], password=None)
    config = services.district_sso_save(
        district=district,
        actor=admin,
        protocol=DistrictSso.Protocol.OIDC,
        enabled=True,
        button_label="Springfield Google",
        allowed_domains=["springfield.example"],
        issuer_url="http://127.0.0.1:9/o",  # the discard port: nothing listens
        client_id="edlead",
        client_secret=SECRET,
    )
    client = Client()
    for method in (client.get, client.post):
        response = method(f"/sso/oidc/{config.provider_id}/login/", follow=True)
        assert response.redirect_chain[-1][0] == "/accounts/login/"
        assert "The identity provider does not answer" in response.content.decode()
