"""Accepting an invitation through single sign-on (the hook `edlead.accounts` offers).

The invitation page lists "Continue with <district's provider>" when the district's provider may vouch
for the invited address. That link (`sso:invitation-start`) checks the invitation, keeps its token in
the session across the provider's round trip and sends the browser to the provider. When the provider
comes back, the adapter calls `invitation_sso_accept`: the provider must vouch (verified) for exactly
the invited address, at an allowed domain, for an invitation in its own district; then
`edlead.accounts.services.invitation_accept(password=None)` opens the account, without a password.
"""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialLogin
from django.http import HttpRequest
from django.urls import reverse

from edlead.accounts import services as accounts
from edlead.accounts.models import Invitation
from edlead.core.errors import ApplicationError
from edlead.sso.services import (
    SsoRefused,
    asserted_email,
    provider_rules,
    sso_login_url,
)

SESSION_KEY = "edlead_sso_invitation_token"


def invitation_sign_in_choices(invitation: Invitation, request: HttpRequest) -> list[tuple[str, str]]:
    """The enabled providers whose district holds the invitation's organization and whose domains
    include the invited address."""
    token = (request.resolver_match.kwargs.get("token") if request.resolver_match else None) or ""
    if not token:
        return []
    domain = invitation.email.rpartition("@")[2].lower()
    choices = []
    for app in get_adapter().list_apps(request):
        rules = provider_rules(app)
        if rules is None or not rules.enabled or domain not in rules.domains:
            continue
        if rules.district is not None and not invitation.organization.path.startswith(rules.district.path):
            continue
        url = reverse("sso:invitation-start", kwargs={"token": token, "provider_id": app.provider_id})
        choices.append((f"Continue with {app.name}", url))
    return choices


def invitation_start_url(request: HttpRequest, *, token: str, provider_id: str) -> str:
    """Check the invitation, keep its token for the provider's return; the provider's sign-in URL."""
    accounts.invitation_check(token=token, request=request)  # InvitationRefused for a bad link
    app = next((a for a in get_adapter().list_apps(request) if a.provider_id == provider_id), None)
    if app is None:
        raise ApplicationError("Single sign-on through this provider is not enabled.")
    request.session[SESSION_KEY] = token
    return sso_login_url(app)


def invitation_sso_accept(*, request: HttpRequest, sociallogin: SocialLogin, token: str) -> Any:
    """Open the invited account for the identity the provider vouched for, or `SsoRefused`."""
    app = sociallogin.account.get_provider().app
    rules = provider_rules(app)
    if rules is None or not rules.enabled:
        raise SsoRefused("provider_disabled", "Single sign-on through this provider is not enabled.")
    email = asserted_email(sociallogin, trust_email_claim=rules.trust_email_claim)
    try:
        invitation = accounts.invitation_check(token=token, request=request)
    except accounts.InvitationRefused as refused:
        raise SsoRefused(f"invitation_{refused.reason}", refused.message) from refused
    if invitation.email.lower() != email:
        raise SsoRefused(
            "invitation_other_email",
            f"The invitation is for {invitation.email}, but {rules.label} signed you in as {email}.",
        )
    if email.rpartition("@")[2] not in rules.domains:
        raise SsoRefused(
            "domain_not_allowed",
            f"E-mail addresses at {email.rpartition('@')[2]} may not sign in through {rules.label}.",
        )
    if rules.district is not None and not invitation.organization.path.startswith(rules.district.path):
        raise SsoRefused("other_district", f"This invitation is not for {rules.district.name}.")
    try:
        return accounts.invitation_accept(token=token, password=None, request=request).user
    except ApplicationError as exc:
        raise SsoRefused("invitation_not_accepted", exc.message) from exc
