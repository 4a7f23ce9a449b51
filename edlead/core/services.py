"""Writers for the core app: the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from edlead.core.middleware import current_ip
from edlead.core.models import AuditEvent


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return current_ip.get()  # set by AuditContextMiddleware while a request is served
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | None = None,
    target_label: str = "",
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. `actor` is a user (or None for the system)."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_label=(actor.email if actor is not None else "system"),
        target_type=(target._meta.label_lower if target is not None else ""),
        target_id=(str(target.pk) if target is not None else ""),
        target_label=(target_label or (str(target) if target is not None else ""))[:255],
        ip_address=_client_ip(request),
        detail=detail or {},
    )
