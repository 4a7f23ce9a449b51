"""Readers of single sign-on: the districts a user configures, and the sign-in buttons to show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.socialaccount.adapter import get_adapter
from django.db import models
from django.http import HttpRequest

from edlead.access import policy
from edlead.orgs.models import Organization
from edlead.sso.services import sso_login_url


def sso_districts_for(user: Any) -> models.QuerySet[Organization]:
    """Districts whose SSO the user may configure, with their configuration (one query)."""
    return (
        policy.visible_to(user, Organization.objects.districts().open(), policy.ROLE_MANAGE)
        .select_related("sso_config")
        .order_by("name")
    )


@dataclass(frozen=True)
class SsoButton:
    label: str
    url: str


def sso_buttons(request: HttpRequest | None) -> list[SsoButton]:
    """One "Sign in with …" button per enabled provider (a district's or the environment's)."""
    apps = get_adapter().list_apps(request)
    return sorted(
        (
            SsoButton(label=f"Sign in with {app.name}", url=sso_login_url(app))
            for app in apps
            if app.provider in {"openid_connect", "saml"}
        ),
        key=lambda b: b.label,
    )
