"""Navigation by role: the links a signed-in person sees in the header."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from edlead.access import policy


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": []}
    links = [("Home", reverse("home:home"))]
    if policy.can(user, policy.ORG_VIEW):
        links.append(("Organizations", reverse("orgs:organization-list")))
    if policy.can(user, policy.PERSON_VIEW):
        links.append(("People", reverse("people:person-list")))
    if policy.can(user, policy.IMPORT_RUN):
        links.append(("Imports", reverse("imports:run-list")))
    if policy.can(user, policy.ROLE_MANAGE):
        links.append(("Access", reverse("access:grant-list")))
        links.append(("Single sign-on", reverse("sso:district-list")))
    if policy.can(user, policy.ROLE_MANAGE) or policy.can(user, policy.PERSON_EDIT):
        links.append(("Accounts", reverse("accounts:account-list")))
    if policy.can(user, policy.AUDIT_VIEW):
        links.append(("Audit log", reverse("access:audit-list")))
    if policy.can(user, policy.ORG_MANAGE) or policy.can(user, policy.AUDIT_VIEW):
        links.append(("Settings", reverse("config:home")))  # edit: ORG_MANAGE; read: superintendents
    current = request.path
    return {
        "nav_links": [
            {
                "label": label,
                "url": url,
                "current": (url == "/" and current == "/") or (url != "/" and current.startswith(url)),
            }
            for label, url in links
        ]
    }
