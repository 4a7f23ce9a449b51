"""Two-factor sign-in required by role.

EDLEAD_MFA_REQUIRED_ROLES lists the roles (RoleGrant.Role values) whose holders must set up an
authenticator app before they use EdLead (default: state and district administrators, superintendents
and HR). `TwoFactorRequiredMiddleware` sends a signed-in holder of such a role (an effective role: a
grant or one that follows from a position) who has no TOTP or security key to allauth's set-up page,
until they have one; the set-up pages, signing out and static files stay open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from edlead.access import policy

DEFAULT_REQUIRED_ROLES = ("state_admin", "district_admin", "superintendent", "hr")
_CACHE_ATTR = "_edlead_has_mfa"
REQUIRED_MESSAGE = (
    "Your role requires two-factor sign-in: set up an authenticator app to go on. "
    "You can sign out and come back to it."
)


def required_roles() -> frozenset[str]:
    return frozenset(getattr(settings, "EDLEAD_MFA_REQUIRED_ROLES", DEFAULT_REQUIRED_ROLES))


def requiring_roles(user: Any) -> set[str]:
    """The user's effective roles for which two-factor sign-in is required."""
    return policy.roles(user) & required_roles()


def has_mfa(user: Any) -> bool:
    """Has an authenticator that proves a second factor (an app's codes or a security key; recovery
    codes alone do not count). Remembered on the user object for the request."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from allauth.mfa.models import Authenticator

        cached = Authenticator.objects.filter(
            user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists()
        setattr(user, _CACHE_ATTR, cached)
    return bool(cached)


def mfa_required(user: Any) -> bool:
    """Must this user set up two-factor sign-in before going on?"""
    if not required_roles() or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False  # nothing required: not a single query
    return bool(requiring_roles(user)) and not has_mfa(user)


def _open_prefixes() -> tuple[str, ...]:
    return (
        reverse("mfa_index"),  # /accounts/2fa/: set-up, authenticate, recovery codes
        reverse("account_logout"),
        reverse("account_reauthenticate"),
        str(settings.STATIC_URL),
        "/favicon.ico",
    )


class TwoFactorRequiredMiddleware:
    """After AuthenticationMiddleware: the set-up page until the user has a second factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not mfa_required(user):
            return self.get_response(request)
        setup = reverse("mfa_activate_totp")
        if request.path.startswith(_open_prefixes()):
            if request.path == setup and request.method == "GET" and not request.headers.get("HX-Request"):
                messages.info(
                    request, REQUIRED_MESSAGE
                )  # why they are here (also on allauth's password check)
            return self.get_response(request)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = setup
            return response
        return redirect(setup)
