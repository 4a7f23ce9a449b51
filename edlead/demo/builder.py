"""A bulk writer for generated organizations, people and positions.

Generators describe rows as unsaved model instances; the builder writes them with `bulk_create` in
batches (a handful of queries per thousand rows) and fills materialized paths with one set-based
bulk update per tree level, so tens of thousands of rows take seconds on SQLite and PostgreSQL alike.
Organizations go through `orgs.services` (`organization_build`, `organizations_bulk_create`), the
same builder and bulk writer real imports use.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from edlead.orgs.models import Organization
from edlead.orgs.services import organization_build, organizations_bulk_create
from edlead.people.models import Person, Position

from . import names

BATCH = 2000
FULL_TIME = Decimal("1.00")
Role = Position.Role


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_text.lower() if ch.isalnum())


def july_first(year: int) -> dt.date:
    return dt.date(year, 7, 1)


def june_last(year: int) -> dt.date:
    """The last day of the school year that ends in June of `year`."""
    return dt.date(year, 6, 30)


@dataclass
class Builder:
    """Collects generated rows and writes them in bulk.

    `mepid_range` keeps each generator's state staff IDs apart (the demo uses 99xxxxxx, the state
    scale 90xxxxxx-98xxxxxx) so both can be seeded in either order without a collision.
    """

    rng: random.Random
    mepid_range: tuple[int, int]
    people: list[Person] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    _mepids: set[str] = field(default_factory=set)
    org_count: int = 0

    # --- organizations ----------------------------------------------------------------------------
    def org(self, *, kind: str, parent: Organization, name: str, **fields: Any) -> Organization:
        fields.setdefault("source", Organization.Source.DEMO)
        fields.setdefault("state", "MA")
        return organization_build(kind=kind, parent=parent, name=name, **fields)

    def save_level(self, orgs: list[Organization]) -> None:
        """Insert one level of the tree (all parents already saved, so their paths are known)."""
        organizations_bulk_create(organizations=orgs)
        self.org_count += len(orgs)

    # --- people -----------------------------------------------------------------------------------
    def mepid(self) -> str:
        low, high = self.mepid_range
        while True:
            value = str(self.rng.randrange(low, high))
            if value not in self._mepids:
                self._mepids.add(value)
                return value

    def person(
        self,
        *,
        domain: str,
        employee_prefix: str,
        first: str | None = None,
        last: str | None = None,
        aspiring: bool = False,
    ) -> Person:
        first = first or names.pick_first(self.rng)
        last = last or names.pick_last(self.rng)
        number = len(self.people) + 1
        interests = ""
        if aspiring:
            interests = "; ".join(self.rng.sample(names.LEADERSHIP_INTERESTS, self.rng.randint(1, 2)))
        preferred = names.NICKNAMES.get(first, "") if self.rng.random() < 0.3 else ""
        person = Person(
            first_name=first,
            last_name=last,
            preferred_name=preferred,
            mepid=self.mepid(),
            local_employee_number=f"{employee_prefix}{number:06d}",
            email=f"{slug(first)}.{slug(last)}{number}@{domain}",
            is_aspiring_leader=aspiring,
            leadership_interests=interests,
            source=Person.Source.DEMO,
        )
        self.people.append(person)
        return person

    def position(
        self,
        person: Person,
        org: Organization,
        role: str,
        *,
        starts_on: dt.date,
        ends_on: dt.date | None = None,
        title: str = "",
        fte: Decimal = FULL_TIME,
        is_primary: bool = True,
    ) -> Position:
        pos = Position(
            person=person,
            organization=org,
            role=role,
            title=title,
            starts_on=starts_on,
            ends_on=ends_on,
            fte=fte,
            is_primary=is_primary,
            source=Position.Source.DEMO,
        )
        self.positions.append(pos)
        return pos

    def save_people(self) -> None:
        Person.objects.bulk_create(self.people, batch_size=BATCH)
        Position.objects.bulk_create(self.positions, batch_size=BATCH)
