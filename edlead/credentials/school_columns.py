"""The supervisor's home: each principal's licence — in force until when, expiring within the alert
window, expired, or none on record — only where the reader may see their credentials."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from edlead.access import policy
from edlead.credentials.models import Licence
from edlead.credentials.services import CREDENTIALS_VIEW
from edlead.home.columns import Cell, Column
from edlead.people.models import Person

SOON = 180  # days: the widest alert window


def cells(user: Any, rows: list[Any], today: dt.date) -> dict[int, Cell]:
    principal_of = {r.principal.person_id: r.school.pk for r in rows if r.principal}
    readable = set(
        policy.visible_to(
            user, Person.objects.filter(pk__in=list(principal_of)), CREDENTIALS_VIEW
        ).values_list("pk", flat=True)
    )  # one query
    best: dict[int, Licence] = {}
    for lic in Licence.objects.current().filter(
        person_id__in=readable, status=Licence.Status.ACTIVE
    ):  # one query
        held = best.get(lic.person_id)
        if held is None or (
            held.expires_on is not None and (lic.expires_on is None or lic.expires_on > held.expires_on)
        ):
            best[lic.person_id] = lic
    out: dict[int, Cell] = {}
    for pid in readable:
        url = reverse("credentials:person-credentials", args=[pid])
        lic = best.get(pid)
        if lic is None:
            cell = Cell("None on record", sort=-1, url=url, attention=True)
        elif lic.expires_on is None:
            cell = Cell("In force", sort=99999, url=url, note=lic.get_stage_display())
        elif lic.expires_on < today:
            cell = Cell(f"Expired {lic.expires_on:%d %b %Y}", sort=0, url=url, attention=True)
        else:
            days = (lic.expires_on - today).days
            cell = Cell(
                f"Expires {lic.expires_on:%d %b %Y}" if days <= SOON else f"To {lic.expires_on:%b %Y}",
                sort=days,
                url=url,
                attention=days <= SOON,
                note=lic.get_stage_display(),
            )
        out[principal_of[pid]] = cell
    return out


COLUMN = Column("licence", "Licence", 60, cells, help="The principal's licence: until when it is in force")
