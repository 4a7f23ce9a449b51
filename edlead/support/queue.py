"""The support items of the work queue, in one query: for a department's responders the requests
waiting for triage or assignment and those assigned to them; for the requester their answered requests
waiting to be resolved; for a principal supervisor (and, later, the superintendent) the safety and crisis
requests escalated to them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, Value
from django.utils import timezone

from edlead.access import policy
from edlead.access.models import Relationship, RoleGrant
from edlead.core import workqueue
from edlead.support.models import SupportRequest

S = SupportRequest.Status
SOURCE = "support"
LIMIT = 50
UNANSWERED = (S.NEW, S.TRIAGED, S.ASSIGNED)


def items(user: Any, today: dt.date) -> list[workqueue.WorkItem]:
    pid = getattr(user, "person_id", None)
    wanted = Q(pk__in=[])
    mine = Relationship.objects.active(today).filter(holder_id=pid, kind=Relationship.Kind.RESPONDER)
    if pid:
        department = Q(group_key__in=mine.values("group"))
        wanted |= department & (Q(status__in=[S.NEW, S.TRIAGED]) | Q(status=S.ASSIGNED, assignee_id=pid))
        wanted |= Q(status=S.ANSWERED, requester_id=pid)
    escalated_to: dict[str, int] = {RoleGrant.Role.PRINCIPAL_SUPERVISOR: 1, RoleGrant.Role.SUPERINTENDENT: 2}
    for grant in policy.effective_grants(user):
        level = escalated_to.get(grant.role)
        if level:
            wanted |= Q(
                organization__path__startswith=grant.path, status__in=UNANSWERED, escalation_level__gte=level
            )
    if not pid and not any(g.role in escalated_to for g in policy.effective_grants(user)):
        return []
    responds = Exists(mine.filter(group=OuterRef("group_key"))) if pid else Value(False)
    rows = (
        SupportRequest.objects.filter(wanted)
        .annotate(responds=responds)
        .select_related("organization")
        .order_by("due_at", "pk")[:LIMIT]
    )
    return [_item(req, pid) for req in rows]


def _item(req: Any, pid: int | None) -> workqueue.WorkItem:
    flag = "Safety and crisis: " if req.is_safety else ""
    due: dt.date | None = timezone.localtime(req.due_at).date()
    new = False
    if req.status == S.ANSWERED:
        title, detail, due = (
            f"Resolve “{req.subject}”",
            f"{req.department} answered: resolve or reopen it",
            None,
        )
    elif req.status == S.ASSIGNED and req.assignee_id == pid:
        title, detail = f"{flag}Answer “{req.subject}”", "Assigned to you"
    elif req.responds and req.status in (S.NEW, S.TRIAGED):
        title, detail, new = f"{flag}Triage and assign “{req.subject}”", f"New for {req.department}", True
    else:
        title, detail = f"{flag}Escalated, not answered: “{req.subject}”", f"Routed to {req.department}"
    return workqueue.WorkItem(
        title=title,
        url=req.get_absolute_url(),
        source=SOURCE,
        organization=req.organization.name,
        detail=detail,
        waiting=True,
        due=due,
        new=new,
    )
