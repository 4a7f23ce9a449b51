"""Claims of the test provider: the user's e-mail (verified unless the user's last name says
"unverified"), names, and the misbehaviour the test asked for."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class EmailClaimsValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "email": "email",
        "email_verified": "email",
    }

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        if user.last_name == "entra":  # like Microsoft Entra ID: no email_verified claim at all
            return {"email": user.email, "preferred_username": user.email, "name": user.first_name}
        return {
            "email": user.email,
            "email_verified": user.last_name != "unverified",
            "given_name": user.first_name,
            "family_name": user.last_name,
            "name": f"{user.first_name} {user.last_name}".strip(),
        }

    def get_id_token_dictionary(self, token: Any, token_handler: Any, request: Any) -> Any:
        claims, expiration = super().get_id_token_dictionary(token, token_handler, request)
        if getattr(settings, "OIDC_TEST_MODE", "normal") == "wrong-audience":
            claims["aud"] = "another-relying-party"
        return claims, expiration
