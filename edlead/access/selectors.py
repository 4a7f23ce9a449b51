"""Readers for the access pages: the audit log, scoped by what each event is about."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from edlead.access import policy
from edlead.access.models import RoleGrant
from edlead.core.models import AuditEvent


def audit_events_for(user: Any) -> QuerySet[AuditEvent]:
    """The audit events a reader may see: every event about the people and organizations in their
    scope, whoever caused it, and only those. A state administrator sees the whole log."""
    events = AuditEvent.objects.select_related("actor")
    grants = policy.grants_for(user, policy.AUDIT_VIEW)
    whole_log = getattr(user, "is_superuser", False) or any(
        g.role == RoleGrant.Role.STATE_ADMIN for g in grants
    )
    if not whole_log:
        scope = Q(pk__in=[])
        for g in grants:
            scope |= Q(scope__contains=f"|{g.path}")
        events = events.filter(scope)
    return events


def audit_rows(events: QuerySet[AuditEvent], limit: int = 100_000) -> list[list[Any]]:
    return [
        [
            e.at.isoformat(),
            e.actor_label,
            e.get_action_display(),
            e.target_type,
            e.target_id,
            e.target_label,
            e.ip_address,
            e.detail,
        ]
        for e in events[:limit]
    ]


AUDIT_HEADER = ["When", "Who", "What", "Record type", "Record id", "Record", "From", "Detail"]
