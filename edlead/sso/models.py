"""Single sign-on configured per district: which identity provider signs its people in."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from edlead.core.models import TimeStampedModel


class DistrictSso(TimeStampedModel):
    """A district's identity provider (OpenID Connect or SAML 2.0) and the e-mail domains it may vouch
    for. allauth does the protocol work from the linked `SocialApp`, which the services keep in step
    with this row (and which alone holds the OIDC client secret)."""

    class Protocol(models.TextChoices):
        OIDC = "oidc", "OpenID Connect"
        SAML = "saml", "SAML 2.0"

    district = models.OneToOneField("orgs.Organization", on_delete=models.CASCADE, related_name="sso_config")
    protocol = models.CharField(max_length=8, choices=Protocol.choices, default=Protocol.OIDC)
    enabled = models.BooleanField(default=False)
    button_label = models.CharField(
        max_length=80, blank=True, help_text="Shown on the sign-in button, e.g. “Google Workspace”."
    )
    allowed_domains = models.TextField(
        blank=True, help_text="E-mail domains this provider may sign in, one per line."
    )
    issuer_url = models.URLField(blank=True)
    trust_email_claim = models.BooleanField(
        default=False,
        help_text="Accept the provider's e-mail claim without email_verified (Microsoft Entra ID, one tenant).",
    )
    client_id = models.CharField(max_length=255, blank=True)
    idp_entity_id = models.CharField(max_length=255, blank=True)
    idp_sso_url = models.URLField(blank=True)
    idp_x509cert = models.TextField(blank=True)
    social_app = models.OneToOneField(
        "socialaccount.SocialApp",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="district_sso",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "district single sign-on"

    def __str__(self) -> str:
        return f"Single sign-on of {self.district}"

    @property
    def provider_id(self) -> str:
        """The provider's id in allauth (and in its sign-in URLs)."""
        return f"district-{self.district_id}"

    @property
    def domains(self) -> list[str]:
        return [d for d in self.allowed_domains.split() if d]
