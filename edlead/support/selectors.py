"""Readers of support requests, already scoped to the user (through `rules.readable`) and loaded with
what the pages show, so a page issues a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from edlead.access.models import Relationship
from edlead.orgs.models import Organization
from edlead.support import departments, rules
from edlead.support.models import SupportRequest

S = SupportRequest.Status
LIST_LIMIT = 500


@dataclass(frozen=True)
class Filters:
    status: str = ""
    department: str = ""
    school: int | None = None
    priority: str = ""
    open_only: bool = False


def requests_for_user(user: Any, filters: Filters | None = None) -> QuerySet[SupportRequest]:
    """The requests the user reads, newest first, with their school, district, requester and assignee."""
    f = filters or Filters()
    rows = SupportRequest.objects.select_related("organization", "district", "requester", "assignee")
    if f.status == "open":
        rows = rows.exclude(status=S.RESOLVED)
    elif f.status in S.values:
        rows = rows.filter(status=f.status)
    if f.department:
        rows = rows.filter(department=f.department)
    if f.school:
        rows = rows.filter(organization_id=f.school)
    if f.priority in SupportRequest.Priority.values:
        rows = rows.filter(priority=f.priority)
    return rules.readable(user, rows).order_by("-routed_at", "-pk")


def open_requests_by_school(school_ids: Iterable[int]) -> dict[int, int]:
    """How many requests are open (not resolved) at each school: one query. Not scoped to a user — the
    caller has already chosen schools the user may see (the supervisor's home)."""
    rows = (
        SupportRequest.objects.filter(organization_id__in=list(school_ids))
        .exclude(status=S.RESOLVED)
        .values("organization_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["organization_id"]: row["n"] for row in rows}


def open_counts_by_department(district: Organization) -> dict[str, dict[str, int]]:
    """Department name → {"open": …, "unassigned": …, "overdue": …} in the district (one query)."""
    now = timezone.now()
    rows = (
        SupportRequest.objects.filter(district=district)
        .exclude(status=S.RESOLVED)
        .values("department")
        .annotate(
            open=Count("pk"),
            unassigned=Count("pk", filter=Q(status__in=[S.NEW, S.TRIAGED])),
            overdue=Count("pk", filter=Q(status__in=[S.NEW, S.TRIAGED, S.ASSIGNED], due_at__lt=now)),
        )
        .order_by()
    )
    return {
        r["department"]: {"open": r["open"], "unassigned": r["unassigned"], "overdue": r["overdue"]}
        for r in rows
    }


def responders_by_department(district: Organization) -> dict[str, list[Relationship]]:
    """Department name → its responders in force today (one query)."""
    keys = {d.group_key: d.name for d in departments.of_district(district)}
    found: dict[str, list[Relationship]] = {name: [] for name in keys.values()}
    for rel in departments.responder_relationships(keys):
        found[keys[rel.group]].append(rel)
    return found


def responder_candidates(district: Organization) -> list[tuple[int, str]]:
    """People working in the district's own offices (the district and its networks, not a school) today:
    who may be named a department responder (one query)."""
    from edlead.people.models import Person, Position

    ids = (
        Position.objects.current(timezone.localdate())
        .filter(organization__path__startswith=district.path)
        .exclude(organization__kind=Organization.Kind.SCHOOL)
        .values("person_id")
    )
    people = Person.objects.filter(pk__in=ids).order_by("last_name", "first_name", "pk")[:500]
    return [(p.pk, f"{p.display_name}") for p in people]


def routable_schools(user: Any) -> list[Organization]:
    """Schools the user may route requests for: those they lead or supervise (one query)."""
    from edlead.access import policy

    if not policy.can(user, policy.SUPPORT_ROUTE):
        return []
    schools = Organization.objects.schools().select_related("district").order_by("name")
    return list(policy.visible_to(user, schools, policy.SUPPORT_ROUTE)[:300])


def ageing(req: SupportRequest, now: dt.datetime | None = None) -> str:
    """ "open 3 days", "open 5 hours", "resolved after 2 days"."""
    now = now or timezone.now()
    end = req.resolved_at if req.status == S.RESOLVED and req.resolved_at else now
    span = end - req.routed_at
    days = span.days
    text = f"{days} day{'s' if days != 1 else ''}" if days >= 1 else _hours(span)
    return f"resolved after {text}" if req.status == S.RESOLVED else f"open {text}"


def _hours(span: dt.timedelta) -> str:
    hours = int(span.total_seconds() // 3600)
    if hours < 1:
        return "less than an hour"
    return f"{hours} hour{'s' if hours != 1 else ''}"


def is_overdue(req: SupportRequest, now: dt.datetime | None = None) -> bool:
    return req.awaits_answer and req.due_at < (now or timezone.now())
