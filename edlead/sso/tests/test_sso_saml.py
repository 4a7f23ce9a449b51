"""SAML 2.0 sign-in with assertions built and signed here (python3-saml's xmlsec signing), posted to
allauth's assertion consumer service like an IdP's auto-submitting form: a correctly signed assertion
for this SP opens the existing account; one signed by another key or addressed to another SP is
refused, audited, and opens nothing."""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.test import Client
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from edlead.access.models import RoleGrant, User
from edlead.core.models import AuditEvent
from edlead.sso import services
from edlead.sso.models import DistrictSso
from edlead.testing import make_district, make_school, make_user

pytestmark = pytest.mark.django_db

HOST = "edlead.example.org"  # python3-saml wants a dotted host name
IDP = "https://idp.springfield.example/adfs"
PAT = "pat@springfield.example"


def key_and_cert() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.springfield.example")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    pem_key = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return pem_key, cert.public_bytes(serialization.Encoding.PEM).decode()


def _instant(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def signed_response(*, key: str, cert: str, in_response_to: str, acs: str, audience: str, email: str) -> str:
    """A SAML Response whose Assertion is signed with `key` (the Response itself is not)."""
    now = dt.datetime.now(dt.UTC)
    xml = f"""<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"
 xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r{now.timestamp():.0f}" Version="2.0"
 IssueInstant="{_instant(now)}" Destination="{acs}" InResponseTo="{in_response_to}">
<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
<saml:Assertion ID="_a{now.timestamp():.0f}" Version="2.0" IssueInstant="{_instant(now)}">
<saml:Issuer>{IDP}</saml:Issuer>
<saml:Subject>
<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{email}</saml:NameID>
<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
<saml:SubjectConfirmationData NotOnOrAfter="{_instant(now + dt.timedelta(minutes=5))}"
 Recipient="{acs}" InResponseTo="{in_response_to}"/>
</saml:SubjectConfirmation>
</saml:Subject>
<saml:Conditions NotBefore="{_instant(now - dt.timedelta(minutes=1))}"
 NotOnOrAfter="{_instant(now + dt.timedelta(minutes=5))}">
<saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction>
</saml:Conditions>
<saml:AuthnStatement AuthnInstant="{_instant(now)}" SessionIndex="_s1">
<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</saml:AuthnContextClassRef></saml:AuthnContext>
</saml:AuthnStatement>
<saml:AttributeStatement>
<saml:Attribute Name="urn:oid:0.9.2342.19200300.100.1.3"><saml:AttributeValue>{email}</saml:AttributeValue></saml:Attribute>
</saml:AttributeStatement>
</saml:Assertion>
</samlp:Response>"""
    signed = OneLogin_Saml2_Utils.add_sign(xml, key, cert)
    return base64.b64encode(signed if isinstance(signed, bytes) else signed.encode()).decode()


@pytest.fixture
def setup(settings: Any) -> dict[str, Any]:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    district = make_district("Springfield")
    school = make_school(district, "Lincoln Elementary")
    pat = make_user(email=PAT, grants=[(RoleGrant.Role.SCHOOL_LEADER, school)], password=None)
    key, cert = key_and_cert()
    admin = make_user(grants=[(RoleGrant.Role.DISTRICT_ADMIN, district)], password=None)
    config = services.district_sso_save(
        district=district,
        actor=admin,
        protocol=DistrictSso.Protocol.SAML,
        enabled=True,
        button_label="Springfield ADFS",
        allowed_domains=["springfield.example"],
        idp_entity_id=IDP,
        idp_sso_url=f"{IDP}/ls/",
        idp_x509cert=cert,
    )
    return {"district": district, "pat": pat, "key": key, "cert": cert, "config": config}


def saml_sign_in(client: Client, config: DistrictSso, *, key: str, cert: str, **overrides: str) -> Any:
    """Start the sign-in at EdLead, answer as the IdP, post the answer back, follow to the end."""
    slug = config.provider_id
    started = client.post(f"/sso/saml/{slug}/login/", HTTP_HOST=HOST)
    assert started.status_code == 302
    request_xml = OneLogin_Saml2_Utils.decode_base64_and_inflate(
        parse_qs(urlsplit(started["Location"]).query)["SAMLRequest"][0]
    )
    request_id = re.search(rb'ID="([^"]+)"', request_xml)
    assert request_id is not None
    base = f"http://{HOST}/accounts/saml/{slug}"
    fields = {"acs": f"{base}/acs/", "audience": f"{base}/metadata/", "email": PAT, **overrides}
    answer = signed_response(key=key, cert=cert, in_response_to=request_id.group(1).decode(), **fields)
    posted = client.post(f"/accounts/saml/{slug}/acs/", {"SAMLResponse": answer}, HTTP_HOST=HOST)
    assert posted.status_code == 302
    return client.get(posted["Location"], HTTP_HOST=HOST)


def test_signed_assertion_for_this_sp_signs_the_existing_account_in(
    client: Client, setup: dict[str, Any]
) -> None:
    users_before = User.objects.count()

    response = saml_sign_in(client, setup["config"], key=setup["key"], cert=setup["cert"])

    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(setup["pat"].pk)
    assert User.objects.count() == users_before
    assert SocialAccount.objects.get(user=setup["pat"]).provider == setup["config"].provider_id
    assert AuditEvent.objects.filter(action=services.SSO_SIGN_IN, actor=setup["pat"]).exists()


def test_assertion_signed_with_another_key_is_refused(client: Client, setup: dict[str, Any]) -> None:
    other_key, other_cert = key_and_cert()

    response = saml_sign_in(client, setup["config"], key=other_key, cert=other_cert)

    assert response.status_code == 403
    assert "could not be verified" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()
    event = AuditEvent.objects.get(action=services.SSO_REFUSED)
    assert event.detail["reason"].startswith("authentication_error")
    assert "Signature validation failed" in event.detail["message"], event.detail["message"]


def test_assertion_for_another_service_provider_is_refused(client: Client, setup: dict[str, Any]) -> None:
    response = saml_sign_in(
        client,
        setup["config"],
        key=setup["key"],
        cert=setup["cert"],
        audience="https://another-app.example/saml/metadata/",
    )

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()
    event = AuditEvent.objects.get(action=services.SSO_REFUSED)
    assert "is not a valid audience for this Response" in event.detail["message"], event.detail["message"]


def test_signed_assertion_for_an_unknown_address_is_refused(client: Client, setup: dict[str, Any]) -> None:
    response = saml_sign_in(
        client, setup["config"], key=setup["key"], cert=setup["cert"], email="nobody@springfield.example"
    )

    assert response.status_code == 403
    assert "There is no EdLead account for nobody@springfield.example" in response.content.decode()
    assert AuditEvent.objects.get(action=services.SSO_REFUSED).detail["reason"] == "no_account"
