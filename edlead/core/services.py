"""Writers for the core app: the audit log."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.http import HttpRequest

from edlead.core.middleware import client_ip, current_ip
from edlead.core.models import AuditEvent

# model label ("people.person") → the organization paths an event about such a record concerns.
# Apps register theirs in AppConfig.ready(), so core never imports the apps above it.
ScopeResolver = Callable[[Any], Iterable[str]]
_SCOPE_RESOLVERS: dict[str, ScopeResolver] = {}


def audit_scope_register(model_label: str, resolver: ScopeResolver) -> None:
    _SCOPE_RESOLVERS[model_label] = resolver


def audit_scope_of(obj: Any) -> list[str]:
    """The organization paths an event about `obj` concerns (empty when unknown)."""
    if obj is None:
        return []
    resolver = _SCOPE_RESOLVERS.get(obj._meta.label_lower)
    if resolver is not None:
        return sorted({p for p in resolver(obj) if p})
    organization = getattr(obj, "organization", None)
    path = getattr(organization, "path", "")
    return [path] if path else []


def _scope_text(paths: Iterable[str]) -> str:
    unique = sorted({p for p in paths if p})
    return ("|" + "|".join(unique) + "|") if unique else ""


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return current_ip.get()  # set by AuditContextMiddleware while a request is served
    return client_ip(request)


def audit_record(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | None = None,
    target_label: str = "",
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
    scope: Iterable[str] | None = None,
) -> AuditEvent:
    """Append one audit event. `actor` is a user (or None for the system). `scope` (organization
    paths the event is about) defaults to the target's organizations, else the actor's."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    paths = list(scope) if scope is not None else audit_scope_of(target)
    if not paths and target is None and actor is not None:
        paths = audit_scope_of(actor)
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_label=(actor.email if actor is not None else "system"),
        target_type=(target._meta.label_lower if target is not None else ""),
        target_id=(str(target.pk) if target is not None else ""),
        target_label=(target_label or (str(target) if target is not None else ""))[:255],
        ip_address=_client_ip(request),
        detail=detail or {},
        scope=_scope_text(paths),
    )
