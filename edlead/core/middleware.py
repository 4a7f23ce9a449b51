"""Request context for the audit log: the client address of the request being served, so every
service that writes an audit event records where it came from without each one taking `request`."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

current_ip: ContextVar[str | None] = ContextVar("edlead_current_ip", default=None)
current_path: ContextVar[str | None] = ContextVar("edlead_current_path", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind `EDLEAD_TRUSTED_PROXIES` proxies, the address the outermost
    trusted proxy saw (counted from the right of X-Forwarded-For, as sign-in throttling counts it);
    a header shorter than that, or not an address, falls back to the connection's address."""
    trusted = getattr(settings, "EDLEAD_TRUSTED_PROXIES", 0)
    candidate = request.META.get("REMOTE_ADDR") or None
    forwarded = request.headers.get("x-forwarded-for", "")
    if trusted > 0 and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= trusted:
            candidate = hops[-trusted]
    if candidate is None:
        return None
    try:
        return str(ipaddress.ip_address(candidate.strip("[]")))
    except ValueError:
        return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        path_token = current_path.set(request.path)
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
            current_path.reset(path_token)


class ExportAuditMiddleware:
    """Every download (a response sent as an attachment to a signed-in user) is one audit event, so
    no export can be added without being audited. A view can name what the export is about with
    `response.audit_scope = [organization paths]` and `response.audit_label = "…"`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        disposition = response.get("Content-Disposition", "")
        if (
            response.status_code == 200
            and disposition.startswith("attachment")
            and getattr(user, "is_authenticated", False)
            and not getattr(response, "audit_done", False)
        ):
            from edlead.core.models import AuditEvent
            from edlead.core.services import audit_record

            filename = disposition.partition("filename=")[2].strip('"')
            audit_record(
                action=AuditEvent.Action.EXPORTED,
                actor=user,
                target_label=getattr(response, "audit_label", "") or filename,
                request=request,
                detail={"path": request.path, "query": request.GET.urlencode()[:500], "file": filename},
                scope=getattr(response, "audit_scope", None),
            )
        return response
