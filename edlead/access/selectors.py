"""Readers for the access pages: the audit log, scoped by what each event is about."""

from __future__ import annotations

import datetime as dt
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


def record_events_about(user: Any) -> QuerySet[AuditEvent]:
    """Who has seen (or changed) the signed-in person's record: every audit event about them caused by
    someone else — personnel details read, exports and downloads of their files, changes — newest first.
    Empty for an account with no person record."""
    if not getattr(user, "person_id", None):
        return AuditEvent.objects.none()
    return (
        AuditEvent.objects.filter(subject_person_id=user.person_id)
        .exclude(actor_id=user.pk)
        .select_related("actor__person")
        .order_by("-at", "-id")
    )


RECORD_EVENTS_HEADER = ["When", "Who", "What", "Page"]


def record_event_rows(events: QuerySet[AuditEvent], limit: int = 100_000) -> list[list[Any]]:
    return [
        [e.at.isoformat(), viewer_label(e), e.get_action_display(), e.detail.get("page", "")]
        for e in events[:limit]
    ]


def viewer_label(event: AuditEvent) -> str:
    """The name of whoever caused the event (their e-mail when the account has no person; "EdLead" for
    the system)."""
    actor = event.actor
    if actor is not None and actor.person is not None:
        return actor.person.display_name
    return event.actor_label if event.actor_label != "system" else "EdLead (automatic)"


def relationships_of(user: Any, person: Any) -> dict[str, Any]:
    """The working relationships around `person` in force today or later (two queries), and whether
    `user` may record or end them (the person's districts where the user manages people)."""
    from edlead.access.models import Relationship

    today = dt.date.today()
    running = Relationship.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    received = list(
        running.filter(person=person).select_related("holder", "organization").order_by("kind", "starts_on")
    )
    held = list(
        running.filter(holder=person).select_related("person", "organization").order_by("kind", "starts_on")
    )
    from edlead.access import groups

    groups.label(held, user)
    manageable = [
        r.organization_id for r in [*received, *held] if policy.may_manage_relationships(user, r.organization)
    ]
    return {
        "received": received,
        "held": held,
        "manageable": set(manageable),
        "may_add": policy.can(user, policy.PERSON_EDIT, person),
        "today": today,
    }
