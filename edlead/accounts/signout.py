"""Signing out leaves nothing of the person's work in the browser.

School visit pages work offline: a service worker keeps them in the browser's cache and unsaved notes sit
in local storage until the server has them. On a tablet that several people share, what one supervisor
kept must not stay for the next. Every sign-out (allauth's, or one made while accepting an invitation
as someone else) answers with `Clear-Site-Data: "storage"`, which makes the browser delete this site's
local storage, its caches and its service worker registrations. Notes written offline and not yet saved
would go too: the sign-out button asks first when the device holds any (`static/edlead/signout.js`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

CLEAR_SITE_DATA = '"storage"'
_FLAG = "_edlead_signed_out"


def mark_signed_out(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """`user_logged_out` receiver: the answer to this request clears the browser's stored data."""
    if request is not None:
        setattr(request, _FLAG, True)


class ClearSiteDataOnSignOut:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, _FLAG, False):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
