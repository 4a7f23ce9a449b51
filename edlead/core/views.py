"""Branded error pages: the site's header and navigation, a plain explanation, a way on."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.cache import patch_cache_control

log = logging.getLogger(__name__)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """With the navigation when the page can still be drawn; without it when drawing it fails too
    (the error may be the database itself)."""
    try:
        return render(request, "errors/500.html", status=500)
    except Exception:  # noqa: BLE001 — the error page must answer whatever broke
        log.exception("The branded error page failed; serving the plain one")
        return HttpResponseServerError(loader.get_template("errors/500.html").render({}))


def own_person_id(request: HttpRequest) -> int:
    """The signed-in account's person, for the "my …" pages (404 for an account without a person record,
    such as a state administrator's)."""
    from django.http import Http404

    person_id = getattr(request.user, "person_id", None)
    if not person_id:
        raise Http404("Your account is not linked to a person record.")
    return int(person_id)


def private(response: HttpResponse) -> HttpResponse:
    """A page about people or their records: no browser or proxy keeps a copy."""
    patch_cache_control(response, no_store=True, private=True)
    return response
