"""Readers of visits, through the access chokepoint. Notes and feedback stay with the visitor until
released; a read of one visit is audited about the educator visited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from edlead.access import policy
from edlead.core.models import AuditEvent
from edlead.core.services import audit_record
from edlead.visits.models import Visit
from edlead.visits.services import VISIT_VIEW


def visits_for(user: Any) -> QuerySet[Visit]:
    """Visits about people `user` may read (the visit's rule), newest first; an unannounced visit still
    to come is hidden from the educator it is for."""
    qs = Visit.objects.select_related("organization", "visitor", "educator", "cycle")
    visible = policy.visible_to(user, qs, VISIT_VIEW)
    pid = getattr(user, "person_id", None)
    if pid:
        visible = visible.exclude(educator_id=pid, announced=False, date__gt=timezone.localdate())
    return visible.order_by("-date", "-pk")


def visit_get_for_user(user: Any, pk: int) -> Visit:
    """One visit the user made or may read, else 404 (not 403: its existence is not told)."""
    pid = getattr(user, "person_id", None)
    qs = Visit.objects.select_related("organization__district", "visitor", "educator", "cycle__framework")
    visit = qs.filter(pk=pk, visitor_id=pid).first() if pid else None
    if visit is None:
        visit = (
            visits_for(user)
            .select_related("organization__district", "cycle__framework")
            .filter(pk=pk)
            .first()
        )
    if visit is None:
        raise Http404
    return visit


def school_year_start(day: dt.date) -> dt.date:
    return dt.date(day.year if day.month >= 7 else day.year - 1, 7, 1)


def visits_due_by(target: int, day: dt.date) -> int:
    """How many of the year's target visits are due by `day`: the target spread evenly over the school
    days from 1 September to 15 June (none before, all after)."""
    start = school_year_start(day)
    first, last = dt.date(start.year, 9, 1), dt.date(start.year + 1, 6, 15)
    share = min(1.0, max(0.0, (day - first).days / (last - first).days))
    return round(target * share)


@dataclass(frozen=True)
class Coverage:
    """A school's visits by its supervisor: the last one and how many this school year."""

    last: dt.date | None
    this_year: int
    upcoming: dt.date | None

    def days_since(self, today: dt.date) -> int | None:
        return (today - self.last).days if self.last else None


def coverage(
    school_ids: Iterable[int], visitor_id: int | None, today: dt.date | None = None
) -> dict[int, Coverage]:
    """For each school, the visitor's last visit made, visits made this school year and the next one
    scheduled (cancelled visits never count). One query however many schools."""
    day = today or timezone.localdate()
    ids = list(school_ids)
    if not ids or not visitor_id:
        return {}
    start = school_year_start(day)
    rows = (
        Visit.objects.filter(organization_id__in=ids, visitor_id=visitor_id, cancelled_at__isnull=True)
        .values("organization_id")
        .annotate(
            last=Max("date", filter=Q(date__lte=day)),
            year=Count("pk", filter=Q(date__gte=start, date__lte=day)),
            nxt=Min("date", filter=Q(date__gt=day)),
        )
    )
    return {r["organization_id"]: Coverage(r["last"], r["year"], r["nxt"]) for r in rows}


def calendar_visits(user: Any, today: dt.date | None = None) -> list[Visit]:
    """The visits of the user's calendar: those they make and the announced ones to them (an unannounced
    one once it has happened), from 90 days back to a year ahead. One query."""
    day = today or timezone.localdate()
    pid = getattr(user, "person_id", None)
    if not pid:
        return []
    window = Q(date__gte=day - dt.timedelta(days=90), date__lte=day + dt.timedelta(days=366))
    mine = Q(visitor_id=pid) | (Q(educator_id=pid) & (Q(announced=True) | Q(date__lte=day)))
    return list(
        Visit.objects.filter(window & mine)
        .select_related("organization", "visitor", "educator")
        .order_by("date", "start_time", "pk")
    )


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
