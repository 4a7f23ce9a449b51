"""The supervisor's home: the coaching and mentoring each principal received this school year, in hours
(nothing of a session but its length: the notes stay behind the coaching firewall) — only for principals
whose coaching relationships the reader may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from edlead.coaching import selectors
from edlead.home.columns import Cell, Column


def cells(user: Any, rows: list[Any], today: dt.date) -> dict[int, Cell]:
    since = dt.date(today.year if today.month >= 7 else today.year - 1, 7, 1)
    principal_of = {r.principal.person_id: r.school.pk for r in rows if r.principal}
    coached = set(
        selectors.relationships_visible(user)
        .filter(coachee_id__in=list(principal_of))
        .values_list("coachee_id", flat=True)
    )  # one query: whose coaching the reader may see
    hours = selectors.coaching_hours_by_person(coached, since)  # one query
    url = reverse("coaching:relationship-list")
    out: dict[int, Cell] = {}
    for pid in coached:
        h = hours.get(pid, 0.0)
        out[principal_of[pid]] = Cell(f"{h:g} h", sort=h, url=url, note="this school year")
    return out


COLUMN = Column(
    "coaching",
    "Coaching",
    55,
    cells,
    help="Hours of coaching and mentoring the principal received this school year",
)
