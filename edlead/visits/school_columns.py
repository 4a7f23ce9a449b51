"""The supervisor's home: days since their last visit to each school, visits this year, the next one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from edlead import config
from edlead.home.columns import Cell, Column, Figure
from edlead.visits import selectors, services
from edlead.visits.models import Visit


def cells(user: Any, rows: list[Any], today: dt.date) -> dict[int, Cell]:
    pid = getattr(user, "person_id", None)
    found = selectors.coverage([r.school.pk for r in rows], pid, today)  # one query
    alert = int(config.setting_for_user(user, services.ALERT_DAYS))
    url = reverse("visits:coverage")
    out: dict[int, Cell] = {}
    for row in rows:
        c = found.get(row.school.pk)
        days = c.days_since(today) if c else None
        note = f"{c.this_year if c else 0} this year" + (
            f"; next {c.upcoming:%d %b}" if c and c.upcoming else ""
        )
        if days is None:
            text = "None this year"
        elif days == 0:
            text = "Today"
        else:
            text = f"{days} day{'s' if days != 1 else ''} ago"
        out[row.school.pk] = Cell(
            text,
            sort=9999 if days is None else days,
            url=url,
            attention=days is None or days > alert,
            note=note,
        )
    return out


def period(user: Any, rows: list[Any], start: dt.date, end: dt.date) -> list[Figure]:
    """The visits the user made to the schools in the period: how many, how many schools, feedback."""
    ids = [r.school.pk for r in rows]
    made = list(
        Visit.objects.filter(
            organization_id__in=ids,
            visitor_id=getattr(user, "person_id", None),
            cancelled_at__isnull=True,
            date__gte=start,
            date__lte=end,
        ).values_list("organization_id", "purpose", "feedback_released_at")
    )  # one query
    visited = {o for o, _p, _r in made}
    by_purpose: dict[str, int] = {}
    for _o, purpose, _r in made:
        by_purpose[purpose] = by_purpose.get(purpose, 0) + 1
    out = [
        Figure("Visits made", len(made)),
        Figure("Schools visited", f"{len(visited)} of {len(ids)}"),
        Figure("Feedback released", sum(1 for _o, _p, r in made if r is not None)),
    ]
    out += [Figure(f"— {Visit.Purpose(p).label}", n) for p, n in sorted(by_purpose.items())]
    return out


COLUMN = Column(
    "visits",
    "Last visit",
    40,
    cells,
    allowed=lambda user: bool(getattr(user, "person_id", None)),
    help="Your last visit, your visits this school year and the next one scheduled",
    period=period,
)
