"""The leader a directory names for an organization: matching, succession and name splitting.

Rules (the issue's contract):
- A person named in a directory has no staff ID, so they are matched only as *the person holding that
  role at that organization on the file's date* — never by name alone, never across organizations.
- When the file names someone else, the old position ends the day before the file's date and a new
  person starts a new position on it. An older file imported after a newer one slots its leader into
  the history (the new position ends the day before the later holder's start).
- A position a file names is confirmed through the end of the file's school year
  (`Position.confirmed_through`, only ever moved forward): pages say "last confirmed in 2016-17" once
  that year has passed without a newer file confirming or ending it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from edlead.imports.kinds.base import Outcome, fetch_in
from edlead.lib.schoolyears import SchoolYear
from edlead.people import services as people_services
from edlead.people.models import Person, Position

_PARTICLES = {
    "st",
    "st.",
    "de",
    "del",
    "della",
    "di",
    "da",
    "van",
    "von",
    "der",
    "le",
    "la",
    "du",
    "des",
    "dos",
    "mac",
}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d.", "ed.d.", "edd"}
_VACANT = {"", "vacant", "tbd", "tba", "n/a", "na", "none", "open", "position vacant"}


def split_name(full: str) -> tuple[str, str] | None:
    """`Mary Beth Banios` → (`Mary Beth`, `Banios`); `Kelley St. Coeur` → (`Kelley`, `St. Coeur`);
    `Joanne Hentnick, Coordinator` → (`Joanne`, `Hentnick`). None when no one is named."""
    name = " ".join(full.replace("\u00a0", " ").split())
    if "," in name:  # "Joanne Hentnick, Coordinator": a title or suffix follows the comma
        name = name.split(",", 1)[0].strip()
    if name.casefold() in _VACANT:
        return None
    parts = name.split(" ")
    while len(parts) > 2 and parts[-1].casefold().strip(",") in _SUFFIXES:
        parts = parts[:-1]
    if len(parts) == 1:
        return "", parts[0]
    last_start = len(parts) - 1
    while last_start > 1 and parts[last_start - 1].casefold() in _PARTICLES:
        last_start -= 1
    return " ".join(parts[:last_start]), " ".join(parts[last_start:])


def name_key(first: str, last: str) -> str:
    return " ".join(f"{first} {last}".split()).casefold()


@dataclass
class LeaderClaim:
    """One directory row's statement: `name` holds `role` (with `title`) at the organization."""

    org: Any  # an Organization, saved or about to be
    line: int
    first: str
    last: str
    role: str
    title: str


@dataclass
class LeaderPlan:
    new_people: list[Person] = field(default_factory=list)
    new_positions: list[Position] = field(default_factory=list)
    changed_positions: dict[int, Position] = field(default_factory=dict)

    def write(self) -> None:
        people_services.people_bulk_create(people=self.new_people)
        people_services.positions_bulk_create(positions=self.new_positions)
        people_services.positions_bulk_update(
            positions=list(self.changed_positions.values()),
            fields=["starts_on", "ends_on", "title", "confirmed_through"],
        )


def plan_leaders(claims: list[LeaderClaim], *, as_of: dt.date, source: str, outcome: Outcome) -> LeaderPlan:
    """Compare the named leaders with the positions held at those organizations (one query)."""
    plan = LeaderPlan()
    roles = {c.role for c in claims}
    saved_ids = [c.org.pk for c in claims if c.org.pk is not None]
    existing: dict[tuple[int, str], list[Position]] = {}
    if saved_ids:
        positions = (
            Position.objects.filter(role__in=roles).select_related("person").order_by("starts_on", "id")
        )
        for pos in fetch_in(positions, "organization_id", saved_ids):
            existing.setdefault((pos.organization_id, pos.role), []).append(pos)
    day_before = as_of - dt.timedelta(days=1)
    vouched = SchoolYear.containing(as_of).ends_on  # the file speaks for its school year

    def confirm(pos: Position) -> None:
        if pos.confirmed_through is None or pos.confirmed_through < vouched:
            pos.confirmed_through = vouched
            if pos.pk is not None:
                plan.changed_positions[pos.pk] = pos

    for claim in claims:
        history = existing.get((claim.org.pk, claim.role), []) if claim.org.pk is not None else []
        wanted = name_key(claim.first, claim.last)
        covering = [
            p
            for p in history
            if (p.starts_on is None or p.starts_on <= as_of) and (p.ends_on is None or p.ends_on >= as_of)
        ]
        named = [p for p in covering if name_key(p.person.first_name, p.person.last_name) == wanted]
        holder = (
            max(named or covering, key=lambda p: (p.starts_on or dt.date.min, p.pk)) if covering else None
        )
        label = f"{claim.first} {claim.last}".strip()
        where = f"{claim.title or Position.Role(claim.role).label} of {claim.org.name}"
        if holder is not None and name_key(holder.person.first_name, holder.person.last_name) == wanted:
            outcome.unchanged += 1  # the person
            if holder.ends_on is None:
                confirm(holder)
            if holder.title != claim.title:
                holder.title = claim.title
                plan.changed_positions[holder.pk] = holder
                outcome.change("update", "position", f"{label}, {where}", claim.line, "title")
            else:
                outcome.unchanged += 1
            continue
        later = [p for p in history if p.starts_on is not None and p.starts_on > as_of]
        following = min(later, key=lambda p: (p.starts_on, p.pk)) if later else None
        if (
            holder is None
            and following is not None
            and name_key(following.person.first_name, following.person.last_name) == wanted
        ):
            # An older file naming the person who already holds the role later: their tenure began earlier.
            following.starts_on = as_of
            plan.changed_positions[following.pk] = following
            if following.ends_on is None:
                confirm(following)
            outcome.unchanged += 1
            outcome.change(
                "update", "position", f"{label}, {where}", claim.line, f"starts {as_of.isoformat()}"
            )
            continue
        ends_on: dt.date | None = None
        if holder is not None:
            ends_on = holder.ends_on  # slotting into closed history keeps the later holder's start
        for other in covering:  # the holder, and any co-holder: the file names someone else
            other.ends_on = (
                day_before if other.starts_on is None or other.starts_on <= day_before else other.starts_on
            )
            plan.changed_positions[other.pk] = other
            outcome.change(
                "end",
                "position",
                f"{other.person.first_name} {other.person.last_name}, {where}",
                claim.line,
                f"ends {other.ends_on.isoformat()}",
            )
        if holder is None and following is not None and following.starts_on is not None:
            ends_on = following.starts_on - dt.timedelta(days=1)
        person = Person(first_name=claim.first, last_name=claim.last, source=source)
        plan.new_people.append(person)
        outcome.change("create", "person", label, claim.line)
        plan.new_positions.append(
            Position(
                person=person,
                organization=claim.org,
                role=claim.role,
                title=claim.title,
                starts_on=as_of,
                ends_on=ends_on,
                source=source,
                confirmed_through=min(vouched, ends_on) if ends_on else vouched,
            )
        )
        outcome.change("create", "position", f"{label}, {where}", claim.line, f"starts {as_of.isoformat()}")
    return plan
