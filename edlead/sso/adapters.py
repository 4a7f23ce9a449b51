"""allauth's social-account hooks: single sign-on opens only an existing, active account of the
provider's district whose e-mail the provider verified, from an allowed domain. Nothing is ever
created; every sign-in and every refusal reaches the audit log."""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from allauth.socialaccount.providers.base import AuthError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from edlead.sso import invitations, services
from edlead.sso.models import DistrictSso


def refusal_response(request: HttpRequest, *, message: str, provider_name: str = "") -> HttpResponse:
    return render(
        request,
        "sso/sign_in_refused.html",
        {"message": message, "provider_name": provider_name},
        status=403,
    )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def list_apps(self, request: HttpRequest, provider: Any = None, client_id: Any = None) -> list[SocialApp]:
        """allauth's apps, less those of districts that switched their SSO off."""
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        db_ids = [app.pk for app in apps if app.pk is not None]
        if not db_ids:
            return apps
        off = set(
            DistrictSso.objects.filter(social_app_id__in=db_ids, enabled=False).values_list(
                "social_app_id", flat=True
            )
        )
        return [app for app in apps if app.pk not in off]

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        app = sociallogin.account.get_provider().app
        token = request.session.pop(invitations.SESSION_KEY, None)
        try:
            if token:
                user = invitations.invitation_sso_accept(
                    request=request, sociallogin=sociallogin, token=token
                )
            else:
                user = services.sso_sign_in_resolve(sociallogin=sociallogin)
        except services.SsoRefused as refused:
            services.sso_refusal_record(
                request=request,
                app=app,
                code=refused.code,
                message=refused.message,
                attempted=str(sociallogin.user.email or "") if sociallogin.user else "",
            )
            raise ImmediateHttpResponse(
                refusal_response(request, message=refused.message, provider_name=app.name)
            ) from refused
        if not sociallogin.is_existing:
            sociallogin.connect(request, user)  # links the provider's subject to the existing account

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        """A token that failed verification (signature, issuer, audience, expiry), a cancelled or
        failed exchange: audited, and shown as a refusal."""
        app = getattr(provider, "app", None)
        if error == AuthError.CANCELLED:
            message = "Sign-in at the identity provider was cancelled, so EdLead did not sign you in."
        else:
            message = "The identity provider’s answer could not be verified, so EdLead did not sign you in."
        saml_reason = (extra_context or {}).get("saml_last_error_reason")
        saml_reason = f": {saml_reason}" if saml_reason else ""
        services.sso_refusal_record(
            request=request,
            app=app,
            code=f"authentication_error:{error}",
            message=f"{message} ({_cause(exception) if exception else error}{saml_reason})"[:500],
        )
        raise ImmediateHttpResponse(
            refusal_response(request, message=message, provider_name=getattr(app, "name", ""))
        )


def _cause(exception: BaseException) -> str:
    """The error and what caused it ("Invalid id_token ← InvalidSignatureError: …")."""
    text = f"{type(exception).__name__}: {exception}"
    if exception.__cause__ is not None:
        text += f" ← {type(exception.__cause__).__name__}: {exception.__cause__}"
    return text
