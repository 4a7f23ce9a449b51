from __future__ import annotations

import re
from typing import Any

from cryptography import x509
from django import forms

from edlead.core.forms import UswdsFormMixin
from edlead.sso.models import DistrictSso

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def _https_or_loopback(url: str, label: str) -> str:
    """Identity providers answer over HTTPS; plain HTTP only on this machine (tests, trials)."""
    if url.startswith("https://"):
        return url
    host = url.removeprefix("http://").split("/", 1)[0].rsplit(":", 1)[0]
    if url.startswith("http://") and (host in _LOOPBACK_HOSTS or host.startswith("[::1]")):
        return url
    raise forms.ValidationError(f"The {label} must start with https://.")


def pem_certificate(text: str) -> str:
    """The certificate as PEM, or a ValidationError for anything that is not an X.509 certificate."""
    body = text.strip()
    if body and "BEGIN CERTIFICATE" not in body:
        body = "-----BEGIN CERTIFICATE-----\n" + "\n".join(body.split()) + "\n-----END CERTIFICATE-----"
    try:
        x509.load_pem_x509_certificate(body.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise forms.ValidationError("This is not a PEM-encoded X.509 certificate.") from exc
    return body


class DistrictSsoForm(UswdsFormMixin, forms.Form):
    enabled = forms.BooleanField(
        required=False,
        label="Allow people to sign in with this provider",
        help_text="Accounts still have to exist in EdLead: single sign-on never creates one.",
    )
    protocol = forms.ChoiceField(
        choices=DistrictSso.Protocol.choices,
        label="Protocol",
        help_text="OpenID Connect for Google Workspace, Microsoft Entra ID and most others; SAML 2.0 for ADFS, Shibboleth and the like.",
    )
    button_label = forms.CharField(
        max_length=80,
        required=False,
        label="Name on the sign-in button",
        help_text="For example “Google Workspace” or “Springfield Microsoft account”.",
    )
    allowed_domains = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Allowed e-mail domains",
        help_text="One per line, e.g. springfield.k12.ma.us. Only accounts at these domains may sign in this way.",
    )
    issuer_url = forms.URLField(
        assume_scheme="https",
        required=False,
        label="Issuer URL (OpenID Connect)",
        help_text="E.g. https://accounts.google.com or https://login.microsoftonline.com/<tenant>/v2.0",
    )
    client_id = forms.CharField(max_length=255, required=False, label="Client ID (OpenID Connect)")
    client_secret = forms.CharField(
        max_length=500,
        required=False,
        label="Client secret (OpenID Connect)",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Stored, never shown again. Leave empty to keep the stored secret.",
    )
    trust_email_claim = forms.BooleanField(
        required=False,
        label="Trust this provider's e-mail addresses (Microsoft Entra ID)",
        help_text=(
            "Entra ID does not mark addresses as verified. Turn this on only with your tenant's own issuer "
            "(https://login.microsoftonline.com/<tenant id>/v2.0), whose addresses your administrators control."
        ),
    )
    idp_entity_id = forms.CharField(
        max_length=255, required=False, label="Identity provider entity ID (SAML)"
    )
    idp_sso_url = forms.URLField(assume_scheme="https", required=False, label="Single sign-on URL (SAML)")
    idp_x509cert = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Identity provider certificate (SAML, X.509 PEM)",
    )

    def __init__(self, *args: Any, has_secret: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_secret = has_secret

    def clean_allowed_domains(self) -> list[str]:
        domains = [
            d.strip().lower().lstrip("@") for d in re.split(r"[\s,;]+", self.cleaned_data["allowed_domains"])
        ]
        domains = [d for d in domains if d]
        bad = [d for d in domains if not _DOMAIN.match(d)]
        if bad:
            raise forms.ValidationError(f"Not an e-mail domain: {', '.join(bad)}.")
        if not domains:
            raise forms.ValidationError("Name at least one e-mail domain.")
        return domains

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("protocol") == DistrictSso.Protocol.OIDC:
            for name, label in (("issuer_url", "issuer URL"), ("client_id", "client ID")):
                if not data.get(name):
                    self.add_error(name, f"OpenID Connect needs the {label}.")
            if data.get("issuer_url"):
                try:
                    data["issuer_url"] = _https_or_loopback(data["issuer_url"].rstrip("/"), "issuer URL")
                except forms.ValidationError as exc:
                    self.add_error("issuer_url", exc)
            issuer = str(data.get("issuer_url") or "").lower()
            if data.get("trust_email_claim") and any(
                f"/{shared}/" in f"{issuer}/" for shared in ("common", "organizations", "consumers")
            ):
                self.add_error(
                    "trust_email_claim",
                    "Only a single-tenant issuer may be trusted: use your tenant's ID in the issuer URL, "
                    "not /common, /organizations or /consumers.",
                )
            if not data.get("client_secret") and not self.has_secret:
                self.add_error("client_secret", "OpenID Connect needs the client secret.")
        elif data.get("protocol") == DistrictSso.Protocol.SAML:
            for name, label in (
                ("idp_entity_id", "identity provider's entity ID"),
                ("idp_sso_url", "single sign-on URL"),
                ("idp_x509cert", "identity provider's certificate"),
            ):
                if not data.get(name):
                    self.add_error(name, f"SAML needs the {label}.")
            if data.get("idp_sso_url"):
                try:
                    _https_or_loopback(data["idp_sso_url"], "single sign-on URL")
                except forms.ValidationError as exc:
                    self.add_error("idp_sso_url", exc)
            if data.get("idp_x509cert"):
                try:
                    data["idp_x509cert"] = pem_certificate(data["idp_x509cert"])
                except forms.ValidationError as exc:
                    self.add_error("idp_x509cert", exc)
        return data
