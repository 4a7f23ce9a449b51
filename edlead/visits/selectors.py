"""Readers of visits, through the access chokepoint. Notes and feedback stay with the visitor until
released; a read of one visit is audited about the educator visited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from edlead.access import policy
from edlead.core.models import AuditEvent
from edlead.core.services import audit_record
from edlead.visits.models import Visit
from edlead.visits.services import VISIT_VIEW


def visits_for(user: Any) -> QuerySet[Visit]:
    """Visits about people `user` may read (the visit's rule), newest first."""
    qs = Visit.objects.select_related("organization", "visitor", "educator", "cycle")
    return policy.visible_to(user, qs, VISIT_VIEW).order_by("-date", "-pk")


def visits_made_by(user: Any) -> QuerySet[Visit]:
    """The visits the user made themselves (their own notes), newest first."""
    pid = getattr(user, "person_id", None)
    return (
        Visit.objects.filter(visitor_id=pid)
        .select_related("organization", "educator", "cycle")
        .order_by("-date", "-pk")
    )


@dataclass(frozen=True)
class VisitShown:
    """A visit as one reader may see it: notes and feedback only for the visitor until released."""

    visit: Visit
    notes: str | None
    feedback: str | None


def visit_shown(user: Any, visit: Visit) -> VisitShown:
    """What `user` sees of a visit (they may read it: the caller fetched it through the policy or they
    made it); the read is audited about the educator."""
    if visit.educator_id:
        audit_record(
            action=AuditEvent.Action.RECORD_VIEWED,
            actor=user,
            target=visit,
            detail={"record": "visit"},
            subject_person_id=visit.educator_id,
        )
    return _shown(user, visit)


def _shown(user: Any, visit: Visit) -> VisitShown:
    open_ = visit.visitor_id == getattr(user, "person_id", None) or visit.released
    return VisitShown(visit, visit.notes if open_ else None, visit.feedback if open_ else None)


def visits_shown(user: Any, visits: Iterable[Visit]) -> list[VisitShown]:
    """What `user` sees of several visits (fetched through the policy, `organization` selected), for a
    page that lists them: the read is audited once per educator visited, naming every visit read — a
    fixed number of queries however many visits the educator had (one on a cycle's page)."""
    shown = [_shown(user, v) for v in visits]
    by_educator: dict[int, list[Visit]] = {}
    for s in shown:
        if s.visit.educator_id:
            by_educator.setdefault(s.visit.educator_id, []).append(s.visit)
    for educator_id, read in by_educator.items():
        audit_record(
            action=AuditEvent.Action.RECORD_VIEWED,
            actor=user,
            target_label=f"{len(read)} visit{'s' if len(read) != 1 else ''} to {read[0].educator}"[:255],
            detail={"record": "visit", "visits": [v.pk for v in read]},
            scope={v.organization.path for v in read},
            subject_person_id=educator_id,
        )
    return shown
