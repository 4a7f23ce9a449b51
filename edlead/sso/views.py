"""Single sign-on: each district's configuration page, and the OpenID Connect sign-in and callback
(allauth's views with EdLead's verifying adapter, see `edlead.sso.oidc`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests
from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.saml import views as allauth_saml_views
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.orgs.models import Organization
from edlead.sso import invitations, selectors, services
from edlead.sso.forms import DistrictSsoForm
from edlead.sso.models import DistrictSso
from edlead.sso.oidc import VerifyingOIDCAdapter


@login_required
def district_list(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, policy.ROLE_MANAGE):
        raise PermissionDenied
    districts = list(selectors.sso_districts_for(request.user)[:500])
    if len(districts) == 1:
        return redirect("sso:district-edit", pk=districts[0].pk)
    return render(request, "sso/district_list.html", {"districts": districts})


@login_required
def district_edit(request: HttpRequest, pk: int) -> HttpResponse:
    district = policy.get_for_user(request.user, Organization.objects.districts(), policy.ROLE_MANAGE, pk=pk)
    config = DistrictSso.objects.select_related("social_app").filter(district=district).first()
    has_secret = bool(config and config.social_app and config.social_app.secret)
    initial: dict[str, Any] = {"protocol": DistrictSso.Protocol.OIDC}
    if config is not None:
        initial = {
            "enabled": config.enabled,
            "protocol": config.protocol,
            "button_label": config.button_label,
            "allowed_domains": config.allowed_domains,
            "issuer_url": config.issuer_url,
            "client_id": config.client_id,
            "trust_email_claim": config.trust_email_claim,
            "idp_entity_id": config.idp_entity_id,
            "idp_sso_url": config.idp_sso_url,
            "idp_x509cert": config.idp_x509cert,
        }
    form = DistrictSsoForm(request.POST or None, initial=initial, has_secret=has_secret)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.district_sso_save(
            district=district,
            actor=request.user,
            protocol=data["protocol"],
            enabled=data["enabled"],
            button_label=data["button_label"],
            allowed_domains=data["allowed_domains"],
            issuer_url=data["issuer_url"],
            client_id=data["client_id"],
            client_secret=data["client_secret"] or None,
            trust_email_claim=data["trust_email_claim"],
            idp_entity_id=data["idp_entity_id"],
            idp_sso_url=data["idp_sso_url"],
            idp_x509cert=data["idp_x509cert"],
        )
        messages.success(request, f"Single sign-on for {district.name} saved.")
        return redirect("sso:district-edit", pk=district.pk)
    callback_url = None
    if config is not None:
        callback_url = request.build_absolute_uri(_callback_path(config))
    return render(
        request,
        "sso/district_edit.html",
        {
            "district": district,
            "config": config,
            "form": form,
            "has_secret": has_secret,
            "callback_url": callback_url,
        },
    )


def _callback_path(config: DistrictSso) -> str:
    if config.protocol == DistrictSso.Protocol.SAML:
        return reverse("saml_acs", kwargs={"organization_slug": config.provider_id})
    return reverse("sso:oidc-callback", kwargs={"provider_id": config.provider_id})


def _allow_form_to(response: HttpResponse, url: str) -> HttpResponse:
    """The sign-in confirmation page posts to EdLead, which redirects to the identity provider:
    the Content-Security-Policy's form-action must name the provider's origin for that redirect."""
    parts = urlsplit(url)
    if parts.scheme in {"http", "https"} and parts.netloc:
        response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}  # type: ignore[attr-defined]
    return response


@login_not_required
def oidc_login(request: HttpRequest, provider_id: str) -> HttpResponse:
    """GET: a page that confirms the sign-in (allauth's, as it asks a POST to start); POST: off to
    the provider."""
    adapter = VerifyingOIDCAdapter(request, provider_id)
    try:
        response = OAuth2LoginView.adapter_view(adapter)(request)
        if request.method == "GET" and response.status_code == 200:
            _allow_form_to(response, adapter.authorize_url)
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc
    except requests.RequestException:
        messages.error(request, "The identity provider does not answer; try again later.")
        return redirect("account_login")
    return response  # type: ignore[no-any-return]


@login_not_required
def oidc_callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        return OAuth2CallbackView.adapter_view(VerifyingOIDCAdapter(request, provider_id))(request)  # type: ignore[no-any-return]
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc


@login_not_required
def invitation_start(request: HttpRequest, token: str, provider_id: str) -> HttpResponse:
    """ "Continue with <provider>" on an invitation: keep the invitation for the provider's return."""
    try:
        return redirect(invitations.invitation_start_url(request, token=token, provider_id=provider_id))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("account_login")


@login_not_required
def saml_login(request: HttpRequest, organization_slug: str) -> HttpResponse:
    """allauth's SAML sign-in, its confirmation page allowed to post on to the district's IdP."""
    response = allauth_saml_views.login(request, organization_slug=organization_slug)
    if request.method == "GET" and response.status_code == 200:
        app = get_adapter().get_app(request, provider="saml", client_id=organization_slug)
        _allow_form_to(response, app.settings.get("idp", {}).get("sso_url", ""))
    return response  # type: ignore[no-any-return]
