"""The supervisor's home: each principal's professional learning this school year (programs completed,
PDPs credited, sessions coming up) — only where the reader may see their learning record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from edlead.access import policy
from edlead.home.columns import Cell, Column
from edlead.learning.models import Enrollment
from edlead.learning.participation import school_year_start
from edlead.learning.services import LEARNING_RECORD

S = Enrollment.Status


def cells(user: Any, rows: list[Any], today: dt.date) -> dict[int, Cell]:
    since = school_year_start(today)
    principal_of = {r.principal.person_id: r.school.pk for r in rows if r.principal}
    visible = policy.visible_to(
        user, Enrollment.objects.filter(person_id__in=list(principal_of)), LEARNING_RECORD
    )
    now = timezone.now()
    url = reverse("learning:participation")
    out: dict[int, Cell] = {}
    for pid, done, pdps, upcoming in (
        visible.values("person_id")
        .annotate(
            done=Count("pk", filter=Q(status=S.COMPLETED, completed_on__gte=since)),
            pdps=Sum(
                "session__program__pdp_hours",
                filter=Q(status=S.COMPLETED, completed_on__gte=since, pdp_activity__isnull=False),
            ),
            upcoming=Count(
                "pk", filter=Q(status__in=[S.ENROLLED, S.WAITLISTED, S.PENDING], session__starts_at__gt=now)
            ),
        )
        .values_list("person_id", "done", "pdps", "upcoming")
    ):  # one query
        pdp = Decimal(pdps or 0).normalize()
        notes = [f"{pdp:f} PDPs" if pdps else "", f"{upcoming} coming up" if upcoming else ""]
        out[principal_of[pid]] = Cell(
            f"{done} completed", sort=done, url=url, note="; ".join(n for n in notes if n)
        )
    return out


COLUMN = Column(
    "learning",
    "Learning",
    50,
    cells,
    help="The principal's programs completed this school year, PDPs, sessions coming up",
)
