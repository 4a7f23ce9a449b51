"""Writers of single sign-on: a district's configuration (kept in step with allauth's SocialApp) and
the decision, at each SSO sign-in, whether the identity it asserts may open an EdLead account."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from allauth.socialaccount.models import SocialApp, SocialLogin
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from edlead.access import policy
from edlead.core.services import audit_record, audit_scope_of
from edlead.orgs.models import Organization
from edlead.people.models import Position
from edlead.sso.models import DistrictSso

SSO_CONFIGURED = "sso_configured"
SSO_SIGN_IN = "sso_sign_in"
SSO_REFUSED = "sso_sign_in_refused"
AUDIT_VERBS = {
    SSO_CONFIGURED: "Single sign-on configured",
    SSO_SIGN_IN: "Signed in with single sign-on",
    SSO_REFUSED: "Single sign-on refused",
}
# Fields of DistrictSso a change is reported by (the secret is reported as changed, never shown).
_AUDITED_FIELDS = (
    "protocol",
    "enabled",
    "button_label",
    "allowed_domains",
    "issuer_url",
    "client_id",
    "idp_entity_id",
    "idp_sso_url",
    "idp_x509cert",
    "trust_email_claim",
)


@transaction.atomic
def district_sso_save(
    *,
    district: Organization,
    actor: Any,
    protocol: str,
    enabled: bool,
    button_label: str = "",
    allowed_domains: list[str],
    issuer_url: str = "",
    client_id: str = "",
    client_secret: str | None = None,
    idp_entity_id: str = "",
    idp_sso_url: str = "",
    idp_x509cert: str = "",
    trust_email_claim: bool = False,
) -> DistrictSso:
    """Create or change a district's SSO and the allauth SocialApp behind it. `client_secret=None`
    keeps the stored secret."""
    config = DistrictSso.objects.select_for_update().filter(district=district).first()
    created = config is None
    if config is None:
        config = DistrictSso(district=district)
    before = {f: getattr(config, f) for f in _AUDITED_FIELDS}
    config.protocol = protocol
    config.enabled = enabled
    config.button_label = button_label.strip()
    config.allowed_domains = "\n".join(sorted({d.strip().lower() for d in allowed_domains if d.strip()}))
    oidc = protocol == DistrictSso.Protocol.OIDC
    config.issuer_url = issuer_url.strip() if oidc else ""
    config.client_id = client_id.strip() if oidc else ""
    config.trust_email_claim = bool(trust_email_claim and oidc)
    config.idp_entity_id = "" if oidc else idp_entity_id.strip()
    config.idp_sso_url = "" if oidc else idp_sso_url.strip()
    config.idp_x509cert = "" if oidc else idp_x509cert.strip()
    config.changed_by = actor
    config.full_clean(exclude=["social_app"])
    secret_changed = _sync_social_app(config, client_secret=client_secret)
    config.save()
    changes = {f: getattr(config, f) for f in _AUDITED_FIELDS if getattr(config, f) != before[f]}
    if "idp_x509cert" in changes:
        changes["idp_x509cert"] = "(changed)"
    if secret_changed:
        changes["client_secret"] = "(changed)"  # noqa: S105 (a marker, not a secret)
    audit_record(
        action=SSO_CONFIGURED,
        actor=actor,
        target=district,
        detail={"created": created, "changes": changes},
        scope=[district.path],
    )
    return config


def _sync_social_app(config: DistrictSso, *, client_secret: str | None) -> bool:
    """Write the allauth SocialApp the configuration describes; True if the secret changed."""
    app = config.social_app or SocialApp(provider_id=config.provider_id)
    old_secret = app.secret
    app.name = config.button_label or config.district.name
    if config.protocol == DistrictSso.Protocol.OIDC:
        app.provider = "openid_connect"
        app.client_id = config.client_id
        if client_secret is not None:
            app.secret = client_secret
        app.settings = {"server_url": config.issuer_url, "oauth_pkce_enabled": True}
    else:
        app.provider = "saml"
        app.client_id = config.provider_id  # allauth's "organization slug" in the SAML URLs
        app.secret = ""
        app.settings = {
            "idp": {
                "entity_id": config.idp_entity_id,
                "sso_url": config.idp_sso_url,
                "x509cert": config.idp_x509cert,
            },
            # Only signed assertions, for this SP only (python3-saml checks audience and signature).
            "advanced": {"strict": True, "want_assertion_signed": True, "reject_deprecated_algorithm": True},
        }
    app.save()
    config.social_app = app
    return bool(app.secret != old_secret)


# --- Signing in ------------------------------------------------------------------------------------


class SsoRefused(Exception):
    """An SSO sign-in EdLead will not accept; `message` is written for the person signing in."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ProviderRules:
    """What an identity provider may vouch for: e-mail domains, and (for a district's provider) the
    district whose accounts it signs in."""

    provider_id: str
    label: str
    domains: frozenset[str]
    district: Organization | None
    enabled: bool
    trust_email_claim: bool = False  # Microsoft Entra ID: its tokens carry no email_verified


ENV_PROVIDER_ID = "edlead-oidc"


def provider_rules(app: SocialApp) -> ProviderRules | None:
    """The rules for the app a sign-in came through (None: not an EdLead provider)."""
    if app.pk is None:  # configured from environment variables
        if app.provider_id != ENV_PROVIDER_ID:
            return None
        code = settings.EDLEAD_OIDC_DISTRICT
        district = Organization.objects.districts().filter(code=code).first() if code else None
        return ProviderRules(
            provider_id=ENV_PROVIDER_ID,
            label=app.name,
            domains=frozenset(d.lower() for d in settings.EDLEAD_OIDC_ALLOWED_DOMAINS),
            district=district,
            enabled=not code or district is not None,
            trust_email_claim=settings.EDLEAD_OIDC_TRUST_EMAIL,
        )
    config = DistrictSso.objects.select_related("district").filter(social_app=app).first()
    if config is None:
        return None
    return ProviderRules(
        provider_id=config.provider_id,
        label=app.name,
        domains=frozenset(config.domains),
        district=config.district,
        enabled=config.enabled,
        trust_email_claim=config.trust_email_claim,
    )


def asserted_email(sociallogin: SocialLogin, *, trust_email_claim: bool = False) -> str:
    """The e-mail address the identity provider vouches for, or refuse. A provider whose tokens carry
    no `email_verified` (Microsoft Entra ID) is believed only when the district said so for a
    single-tenant issuer (`trust_email_claim`); an explicit `email_verified: false` is always refused."""
    provider = sociallogin.account.provider
    extra = sociallogin.account.extra_data or {}
    if sociallogin.account.get_provider().id == "openid_connect":
        id_token, userinfo = extra.get("id_token") or {}, extra.get("userinfo") or {}
        if not id_token:
            raise SsoRefused("no_id_token", "The identity provider sent no verified identity.")
        if userinfo and str(userinfo.get("sub")) != str(id_token.get("sub")):
            raise SsoRefused("subject_mismatch", "The identity provider's answers did not agree.")
        claims = userinfo or id_token
        email = str(claims.get("email") or "").strip().lower()
        verified = claims.get("email_verified")
        if trust_email_claim and verified is None:
            # Entra ID puts the work address in `email` when configured, else in `preferred_username`.
            username = str(claims.get("preferred_username") or "").strip().lower()
            email = email or (username if "@" in username else "")
        elif email and verified is not True:
            raise SsoRefused(
                "email_unverified",
                f"The identity provider has not verified the e-mail address {email}.",
            )
    else:  # SAML: the address comes from an assertion the district's IdP signed for us
        email = str(sociallogin.user.email or "").strip().lower()
    if not email:
        raise SsoRefused("no_email", f"The identity provider ({provider}) sent no e-mail address.")
    return email


def _in_district(user: Any, district: Organization) -> bool:
    if any(g.path.startswith(district.path) for g in policy.effective_grants(user)):
        return True
    return bool(
        user.person_id
        and Position.objects.current(dt.date.today())
        .filter(person_id=user.person_id, organization__path__startswith=district.path)
        .exists()
    )


def sso_sign_in_resolve(*, sociallogin: SocialLogin) -> Any:
    """The existing EdLead account an SSO sign-in may open, or `SsoRefused`. Never creates one."""
    app = sociallogin.account.get_provider().app
    rules = provider_rules(app)
    if rules is None or not rules.enabled:
        raise SsoRefused("provider_disabled", "Single sign-on through this provider is not enabled.")
    email = asserted_email(sociallogin, trust_email_claim=rules.trust_email_claim)
    domain = email.rpartition("@")[2]
    if domain not in rules.domains:
        raise SsoRefused(
            "domain_not_allowed",
            f"E-mail addresses at {domain} may not sign in through {rules.label}.",
        )
    user = get_user_model().objects.filter(email__iexact=email).first()
    if user is None:
        raise SsoRefused(
            "no_account",
            f"There is no EdLead account for {email}. Accounts are created by your district’s "
            "EdLead administrator; ask them for an invitation.",
        )
    if not user.is_active:
        raise SsoRefused("inactive", f"The EdLead account for {email} has been deactivated.")
    if rules.district is not None and not _in_district(user, rules.district):
        raise SsoRefused(
            "other_district",
            f"The EdLead account for {email} does not belong to {rules.district.name}.",
        )
    if sociallogin.is_existing and sociallogin.user.pk != user.pk:
        raise SsoRefused("linked_elsewhere", "This sign-in is linked to a different EdLead account.")
    return user


def sso_refusal_record(
    *, request: Any, app: SocialApp | None, code: str, message: str, attempted: str = ""
) -> None:
    """Audit a refused SSO sign-in, scoped to the provider's district (and the account it named)."""
    rules = provider_rules(app) if app is not None else None
    account = get_user_model().objects.filter(email__iexact=attempted).first() if attempted else None
    scope = [rules.district.path] if rules is not None and rules.district is not None else []
    if account is not None:
        scope += audit_scope_of(account)
    audit_record(
        action=SSO_REFUSED,
        target=account,
        target_label=attempted or (app.name if app is not None else ""),
        request=request,
        detail={
            "reason": code,
            "message": message,
            "provider": app.provider_id if app is not None else "",
            "attempted": attempted,
        },
        scope=scope,
    )


def sso_sign_in_record(*, request: Any, user: Any, sociallogin: SocialLogin) -> None:
    app = sociallogin.account.get_provider().app
    audit_record(
        action=SSO_SIGN_IN,
        actor=user,
        target=user,
        request=request,
        detail={"provider": app.provider_id, "provider_name": app.name},
    )


def sso_login_url(app: SocialApp) -> str:
    if app.provider == "saml":
        return reverse("sso:saml-login", kwargs={"organization_slug": app.client_id})
    return reverse("sso:oidc-login", kwargs={"provider_id": app.provider_id})
