"""The pipeline's items of the work queue, in two queries: practicum hours waiting for the mentor's
signature; practicums whose hours are all signed and complete, waiting for the program supervisor's
sign-off; and, for HR, applications not yet moved on."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.urls import reverse

from edlead.access import policy
from edlead.core import workqueue
from edlead.pipeline.models import Application, Placement

SOURCE = "pipeline"
LIMIT = 30


def items(user: Any, today: dt.date) -> list[workqueue.WorkItem]:
    out: list[workqueue.WorkItem] = []
    pid = getattr(user, "person_id", None)
    if pid:
        rows = (
            Placement.objects.filter(Q(mentor_id=pid) | Q(supervisor_id=pid), signed_off_at__isnull=True)
            .annotate(
                unsigned=Count("hours", filter=Q(hours__signed_at__isnull=True)),
                signed=Sum("hours__minutes", filter=Q(hours__signed_at__isnull=False)),
                required=F("candidacy__program__required_hours"),
            )
            .select_related("person", "organization")
            .order_by("starts_on", "pk")[:LIMIT]
        )
        for p in rows:
            url = reverse("pipeline:placement", args=[p.pk])
            if p.mentor_id == pid and p.unsigned:
                out.append(
                    workqueue.WorkItem(
                        title=f"Sign {p.person.display_name}'s practicum hours",
                        url=url,
                        source=SOURCE,
                        organization=p.organization.name,
                        detail=f"{p.unsigned} {'entry' if p.unsigned == 1 else 'entries'} to sign",
                        waiting=True,
                    )
                )
            elif p.supervisor_id == pid and not p.unsigned and (p.signed or 0) >= p.required * 60:
                out.append(
                    workqueue.WorkItem(
                        title=f"Sign off {p.person.display_name}'s practicum",
                        url=url,
                        source=SOURCE,
                        organization=p.organization.name,
                        detail="Every hour signed and the program's hours reached",
                        waiting=True,
                        due=p.ends_on,
                    )
                )
    if policy.can(user, policy.POSTING_MANAGE):
        apps = (
            policy.visible_to(
                user, Application.objects.filter(status=Application.Status.SUBMITTED), policy.POSTING_MANAGE
            )
            .values("posting_id", "posting__title", "organization__name")
            .annotate(n=Count("pk"))
            .order_by("posting_id")[:LIMIT]
        )
        for row in apps:
            out.append(
                workqueue.WorkItem(
                    title=f"Review applications: {row['posting__title']}",
                    url=reverse("pipeline:applicants", args=[row["posting_id"]]),
                    source=SOURCE,
                    organization=row["organization__name"],
                    detail=f"{row['n']} new",
                    new=True,
                )
            )
    return out
