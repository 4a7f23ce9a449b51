"""The supervisor's home: each principal's attendance at their network's meetings this school year."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from edlead.access import policy
from edlead.home.columns import Cell, Column
from edlead.networks import selectors


def cells(user: Any, rows: list[Any], today: dt.date) -> dict[int, Cell]:
    since = dt.date(today.year if today.month >= 7 else today.year - 1, 7, 1)
    principal_of = {r.principal.person_id: r.school for r in rows if r.principal}
    found = selectors.attendance_by_person(list(principal_of), since)  # one query
    out: dict[int, Cell] = {}
    for pid, (attended, held) in found.items():
        school = principal_of[pid]
        network = school.parent if school.parent and school.parent.is_network else None
        out[school.pk] = Cell(
            f"{attended} of {held}",
            sort=attended / held if held else 1,
            url=reverse("networks:network-detail", args=[network.pk]) if network else "",
            attention=held > 0 and attended / held < 0.75,
            note="network meetings",
        )
    return out


COLUMN = Column(
    "networks",
    "Network meetings",
    58,
    cells,
    allowed=lambda user: policy.can(user, policy.NETWORK_MANAGE),
    help="The principal's attendance at the network's meetings this school year",
)
