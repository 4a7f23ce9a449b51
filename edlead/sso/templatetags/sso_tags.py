from __future__ import annotations

from typing import Any

from django import template

from edlead.sso.selectors import sso_buttons

register = template.Library()


@register.inclusion_tag("sso/sign_in_buttons.html", takes_context=True)
def sso_sign_in_buttons(context: Any) -> dict[str, Any]:
    """The "Sign in with …" buttons of the sign-in page (each a POST form, as allauth asks)."""
    request = context.get("request")
    return {
        "buttons": sso_buttons(request),
        "csrf_token": context.get("csrf_token"),
        "next": context.get("redirect_field_value") or "",
    }
