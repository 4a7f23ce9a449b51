"""OpenID Connect through allauth, with the ID token's signature always checked.

allauth skips the signature of an ID token it fetched itself from the token endpoint (OIDC Core
3.1.3.7 allows it over TLS). EdLead checks it anyway — issuer, audience, expiry *and* signature
against the issuer's published keys — so a token from anyone but the district's issuer is refused
even over a plain connection or a misbehaving proxy. allauth's own OIDC views build their adapter
directly, so EdLead routes its providers' sign-in and callback through `edlead.sso.views`; the
provider class (set in `SOCIALACCOUNT_PROVIDERS["openid_connect"]["provider_class"]`) points
allauth's links there.
"""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode


class VerifyingOIDCAdapter(OpenIDConnectOAuth2Adapter):
    def complete_login(self, request: HttpRequest, app: Any, token: Any, **kwargs: Any) -> Any:
        if not kwargs["response"].get("id_token"):
            raise OAuth2Error("The identity provider sent no ID token")
        return super().complete_login(request, app, token, **kwargs)

    def _decode_id_token(self, app: Any, id_token: str) -> dict[str, Any]:
        return jwtkit.verify_and_decode(  # type: ignore[no-any-return]
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )

    def get_callback_url(self, request: HttpRequest, app: Any) -> str:
        url = reverse("sso:oidc-callback", kwargs={"provider_id": self.provider_id})
        return str(build_absolute_uri(request, url, self.redirect_uri_protocol))


class EdleadOIDCProvider(OpenIDConnectProvider):
    package = "allauth.socialaccount.providers.openid_connect"  # allauth's URL module, unchanged
    oauth2_adapter_class = VerifyingOIDCAdapter

    def get_login_url(self, request: HttpRequest, **kwargs: Any) -> str:
        url = reverse("sso:oidc-login", kwargs={"provider_id": self.app.provider_id})
        return f"{url}?{urlencode(kwargs)}" if kwargs else url

    def get_callback_url(self) -> str:
        return reverse("sso:oidc-callback", kwargs={"provider_id": self.app.provider_id})
