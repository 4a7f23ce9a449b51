"""The supervisor's home: each school's open department support requests — how many, how many overdue,
and any safety or crisis request still open (one query)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from edlead.access import policy
from edlead.home.columns import Cell, Column, Figure
from edlead.support.models import SupportRequest

S = SupportRequest.Status
WAITING = (S.NEW, S.TRIAGED, S.ASSIGNED)


def cells(user: Any, rows: list[Any], today: dt.date) -> dict[int, Cell]:
    now = timezone.now()
    found = (
        policy.visible_to(
            user,
            SupportRequest.objects.filter(organization_id__in=[r.school.pk for r in rows]).exclude(
                status=S.RESOLVED
            ),
            policy.SUPPORT_VIEW,
        )
        .values("organization_id")
        .annotate(
            n=Count("pk"),
            late=Count("pk", filter=Q(status__in=WAITING, due_at__lt=now)),
            safety=Count("pk", filter=Q(category=SupportRequest.Category.SAFETY)),
        )
        .order_by()
    )
    base = reverse("support:request-list")
    out: dict[int, Cell] = {}
    for r in found:
        notes = [
            f"{r['late']} overdue" if r["late"] else "",
            f"{r['safety']} safety or crisis" if r["safety"] else "",
        ]
        out[r["organization_id"]] = Cell(
            f"{r['n']} open",
            sort=r["n"] + 100 * r["safety"],
            url=f"{base}?school={r['organization_id']}",
            attention=bool(r["late"] or r["safety"]),
            note="; ".join(n for n in notes if n),
        )
    for row in rows:
        out.setdefault(row.school.pk, Cell("None open", sort=0, url=f"{base}?school={row.school.pk}"))
    return out


def period(user: Any, rows: list[Any], start: dt.date, end: dt.date) -> list[Figure]:
    """Requests to the departments in the period: routed, answered, resolved, safety; open at its end."""
    begin = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    close = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    found = policy.visible_to(
        user,
        SupportRequest.objects.filter(organization_id__in=[r.school.pk for r in rows]),
        policy.SUPPORT_VIEW,
    ).aggregate(
        routed=Count("pk", filter=Q(routed_at__gte=begin, routed_at__lt=close)),
        resolved=Count("pk", filter=Q(resolved_at__gte=begin, resolved_at__lt=close)),
        safety=Count(
            "pk", filter=Q(routed_at__gte=begin, routed_at__lt=close, category=SupportRequest.Category.SAFETY)
        ),
        open_at_end=Count(
            "pk", filter=Q(routed_at__lt=close) & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=close))
        ),
    )  # one query
    return [
        Figure("Requests routed", found["routed"]),
        Figure("— of them safety and crisis", found["safety"]),
        Figure("Requests resolved", found["resolved"]),
        Figure("Open at the end of the period", found["open_at_end"]),
    ]


COLUMN = Column(
    "support",
    "Support requests",
    45,
    cells,
    allowed=lambda user: policy.can(user, policy.SUPPORT_VIEW),
    help="Requests to the district's departments still open: overdue, safety and crisis",
    period=period,
)
