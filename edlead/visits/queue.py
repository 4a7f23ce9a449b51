"""The visit items of the work queue: for a visitor, visits made whose feedback is still to release (due
a few days after the visit) and visits to come in the next week; for anyone, the open next steps they
own. Two queries at most."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from edlead.core import workqueue
from edlead.visits.models import NextStep, Visit

SOURCE = "visits"
FEEDBACK_DAYS = 3  # feedback is due this many days after the visit
LIMIT = 40


def items(user: Any, today: dt.date) -> list[workqueue.WorkItem]:
    pid = getattr(user, "person_id", None)
    if not pid:
        return []
    found: list[workqueue.WorkItem] = []
    visits = (
        Visit.objects.filter(visitor_id=pid, cancelled_at__isnull=True, feedback_released_at__isnull=True)
        .filter(
            Q(date__lte=today, date__gte=today - dt.timedelta(days=120))
            | Q(date__gt=today, date__lte=today + dt.timedelta(days=7))
        )
        .select_related("organization", "educator")
        .order_by("date", "pk")[:LIMIT]
    )  # one query
    for v in visits:
        who = f" with {v.educator.display_name}" if v.educator else ""
        if v.date <= today:
            found.append(
                workqueue.WorkItem(
                    title=f"Release the feedback of your visit to {v.organization.name}",
                    url=v.get_absolute_url(),
                    source=SOURCE,
                    due=v.date + dt.timedelta(days=FEEDBACK_DAYS),
                    organization=v.organization.name,
                    detail=f"{v.get_purpose_display()} on {v.date:%d %b}{who}",
                    waiting=True,
                )
            )
        else:
            found.append(
                workqueue.WorkItem(
                    title=f"Visit to {v.organization.name}: {v.get_purpose_display().lower()}",
                    url=v.get_absolute_url(),
                    source=SOURCE,
                    due=v.date,
                    organization=v.organization.name,
                    detail=("Announced" if v.announced else "Unannounced") + who,
                )
            )
    for step in (
        NextStep.objects.filter(owner_id=pid, done_on__isnull=True, visit__feedback_released_at__isnull=False)
        .select_related("visit__organization")
        .order_by("due_on", "pk")[:LIMIT]
    ):  # one query: the steps the owner can read (their visit's feedback is released)
        found.append(
            workqueue.WorkItem(
                title=f"Next step: {step.description}",
                url=step.visit.get_absolute_url() + "#steps",
                source=SOURCE,
                due=step.due_on,
                organization=step.visit.organization.name,
                detail=f"From the visit on {step.visit.date:%d %b}",
            )
        )
    return found
