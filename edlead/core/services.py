"""Writers for the core app: the audit log."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.http import HttpRequest

from edlead.core.middleware import client_ip, current_ip, current_path
from edlead.core.models import AuditEvent

# model label ("people.person") → the organization paths an event about such a record concerns.
# Apps register theirs in AppConfig.ready(), so core never imports the apps above it.
ScopeResolver = Callable[[Any], Iterable[str]]
_SCOPE_RESOLVERS: dict[str, ScopeResolver] = {}


def audit_scope_register(model_label: str, resolver: ScopeResolver) -> None:
    _SCOPE_RESOLVERS[model_label] = resolver


# model label → the person a record is about, for "who has seen my record" (a Person is about itself).
SubjectResolver = Callable[[Any], "int | None"]
_SUBJECT_RESOLVERS: dict[str, SubjectResolver] = {"people.person": lambda person: person.pk}


def audit_subject_register(model_label: str, resolver: SubjectResolver) -> None:
    """Declare which person an event about a `model_label` record concerns (an evaluation: its educator)."""
    _SUBJECT_RESOLVERS[model_label] = resolver


def audit_subject_of(obj: Any) -> int | None:
    if obj is None:
        return None
    resolver = _SUBJECT_RESOLVERS.get(obj._meta.label_lower)
    return resolver(obj) if resolver is not None else None


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
    subject_person_id: int | None = None,
) -> AuditEvent:
    """Append one audit event. `actor` is a user (or None for the system). `scope` (organization
    paths the event is about) defaults to the target's organizations, else the actor's."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    paths = list(scope) if scope is not None else audit_scope_of(target)
    detail = dict(detail or {})
    page = request.path if request is not None else current_path.get()
    if page and "page" not in detail:
        detail["page"] = page[:300]  # which page the event came from
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
        detail=detail,
        scope=_scope_text(paths),
        subject_person_id=subject_person_id if subject_person_id is not None else audit_subject_of(target),
    )
