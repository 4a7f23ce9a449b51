"""The pipeline's items of the work queue: practicum hours waiting for the mentor's signature; practicums
whose hours are all signed and complete, waiting for the program supervisor's sign-off (one query); for an
aspiring leader, the open postings of their pool's district they have not applied to (one query, a second
only for those in a pool) — so they apply from their home page; and, for HR, applications not yet moved on."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.urls import reverse

from edlead.access import policy
from edlead.core import workqueue
from edlead.credentials.models import Posting
from edlead.pipeline.models import Application, Placement, PoolEntry

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
        out += _postings_to_apply(pid, today)
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


def _postings_to_apply(pid: int, today: dt.date) -> list[workqueue.WorkItem]:
    paths = list(
        PoolEntry.objects.filter(person_id=pid)
        .exclude(stage=PoolEntry.Stage.PLACED)
        .values_list("organization__path", flat=True)
    )
    if not paths:
        return []
    scope = Q(pk__in=[])
    for path in paths:
        scope |= Q(organization__path__startswith=path)
    rows = (
        Posting.objects.filter(scope, status=Posting.Status.OPEN)
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))
        .exclude(applications__person_id=pid)
        .select_related("organization")
        .order_by("closes_on", "pk")[:5]
    )
    return [
        workqueue.WorkItem(
            title=f"Open posting: {p.title}",
            url=reverse("pipeline:apply", args=[p.pk]),
            source=SOURCE,
            organization=p.organization.name,
            detail="Applications close "
            + (f"{p.closes_on:%b %-d, %Y}" if p.closes_on else "when it is filled"),
            due=p.closes_on,
            new=True,
        )
        for p in rows
    ]
