"""Teacher-leadership items of the work queue: the reader's open plan actions due within the district's
due-soon window or overdue; for those who seat a body's members, terms ending within 60 days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from edlead.core import workqueue
from edlead.teacherleaders import rules
from edlead.teacherleaders.models import BodyMember, PlanAction

SOURCE = "teacherleaders"
LIMIT = 50
TERM_DAYS = 60
ACTION_DAYS = 30


def items(user: Any, today: dt.date) -> list[workqueue.WorkItem]:
    out: list[workqueue.WorkItem] = []
    pid = getattr(user, "person_id", None)
    if pid:
        actions = (
            PlanAction.objects.filter(
                owner_id=pid, status__in=PlanAction.OPEN, due_on__lte=today + dt.timedelta(days=ACTION_DAYS)
            )
            .select_related("plan__organization")
            .order_by("due_on", "pk")[:LIMIT]
        )
        out += [
            workqueue.WorkItem(
                title=f"Distributed-leadership action: {a.action}",
                url=a.get_absolute_url(),
                source=SOURCE,
                due=a.due_on,
                organization=a.plan.organization.name,
                detail=a.get_status_display(),
                waiting=True,
            )
            for a in actions
        ]
    ending = (
        BodyMember.objects.filter(
            body__in=rules.managed_bodies(user),
            ends_on__gte=today,
            ends_on__lte=today + dt.timedelta(days=TERM_DAYS),
        )
        .select_related("body__organization", "person")
        .order_by("ends_on", "pk")[:LIMIT]
    )
    out += [
        workqueue.WorkItem(
            title=f"Term ending: {m.person.display_name} on {m.body.name}",
            url=m.body.get_absolute_url(),
            source=SOURCE,
            due=m.ends_on,
            organization=m.body.organization.name,
            detail="Renew the seat or fill it",
        )
        for m in ending
    ]
    return out
