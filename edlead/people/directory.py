"""The directory card: what a colleague in the same district sees of a person whose record is out of
their scope — name, current titles and schools in the district, and who supervises them. Past
positions in the district show when the person no longer works there. Nothing personnel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from edlead.access import policy
from edlead.people import selectors
from edlead.people.models import Person, Position


@dataclass(frozen=True)
class DirectoryCard:
    person: Person
    current: list[Position]
    past: list[Position]
    supervisors: list[selectors.Relation]


def directory_card(user: Any, person: Person, *, on: dt.date | None = None) -> DirectoryCard:
    """The card, limited to the user's districts (4 queries at most)."""
    today = on or dt.date.today()
    positions = list(
        Position.objects.filter(policy.directory_scope(user), person=person)
        .select_related("organization", "organization__district")
        .order_by("-starts_on", "-pk")
    )
    current = [p for p in positions if p.is_current(today)]
    past = [] if current else [p for p in positions if not p.is_current(today)]
    supervisors = selectors.supervisors_of(person, current, on=today) if current else []
    return DirectoryCard(person=person, current=current, past=past, supervisors=supervisors)
