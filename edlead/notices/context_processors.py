"""The unread count in the header of every page: one query, and only when a page shows it."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest


def inbox(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from edlead.notices.selectors import unread_count

    # A callable: the template calls it when it renders the badge, once (cached) however often it is read.
    return {"inbox_unread": cache(lambda: unread_count(user.person_id))}
