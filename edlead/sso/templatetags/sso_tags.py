from __future__ import annotations

from typing import Any

from django import template

from edlead.sso.selectors import sso_buttons

register = template.Library()


@register.inclusion_tag("sso/sign_in_buttons.html", takes_context=True)
def sso_sign_in_buttons(context: Any) -> dict[str, Any]:
    """The "Sign in with …" buttons of the sign-in page: links to a page that confirms and posts on
    to the provider (allauth starts a sign-in only on a POST)."""
    request = context.get("request")
    return {
        "buttons": sso_buttons(request),
        "next": context.get("redirect_field_value") or "",
    }
