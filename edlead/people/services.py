"""The only writers of people and positions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.core.services import audit_record
from edlead.people.models import Person, Position


@transaction.atomic
def person_create(*, first_name: str, last_name: str, actor: Any = None, **fields: Any) -> Person:
    person = Person(first_name=first_name.strip(), last_name=last_name.strip(), **fields)
    person.full_clean()
    person.save()
    audit_record(
        action=AuditEvent.Action.PERSON_CHANGED, actor=actor, target=person, detail={"created": True}
    )
    return person


@transaction.atomic
def person_update(*, person: Person, actor: Any = None, **fields: Any) -> Person:
    changed = {}
    for name, value in fields.items():
        if getattr(person, name) != value:
            changed[name] = True  # values of personnel fields are not copied into the log
            setattr(person, name, value)
    if changed:
        person.full_clean()
        person.save()
        audit_record(
            action=AuditEvent.Action.PERSON_CHANGED,
            actor=actor,
            target=person,
            detail={"fields": sorted(changed)},
        )
    return person


@transaction.atomic
def position_start(
    *,
    person: Person,
    organization: Any,
    role: str,
    starts_on: dt.date | None,
    title: str = "",
    fte: Decimal = Decimal("1.00"),
    is_primary: bool = True,
    source: str = Position.Source.MANUAL,
    actor: Any = None,
) -> Position:
    position = Position(
        person=person,
        organization=organization,
        role=role,
        title=title,
        starts_on=starts_on,
        fte=fte,
        is_primary=is_primary,
        source=source,
    )
    position.full_clean()
    position.save()
    audit_record(
        action=AuditEvent.Action.POSITION_CHANGED,
        actor=actor,
        target=position,
        detail={"started": role, "organization": organization.pk},
    )
    return position


@transaction.atomic
def position_end(*, position: Position, ends_on: dt.date, actor: Any = None) -> Position:
    if position.starts_on and ends_on < position.starts_on:
        raise ApplicationError("A position cannot end before it starts.")
    position.ends_on = ends_on
    position.save(update_fields=["ends_on", "updated_at"])
    audit_record(
        action=AuditEvent.Action.POSITION_CHANGED,
        actor=actor,
        target=position,
        detail={"ended": ends_on.isoformat()},
    )
    return position


# --- Bulk writers for imports (the import service holds the transaction and writes one audit event) ------
def people_bulk_create(*, people: list[Person]) -> list[Person]:
    for person in people:
        person.clean_fields()
    return Person.objects.bulk_create(people, batch_size=500)


def people_bulk_update(*, people: list[Person], fields: list[str]) -> int:
    if not people or not fields:
        return 0
    for person in people:
        person.clean_fields()
    return (
        Person.objects.bulk_update(people, [*fields, "updated_at"], batch_size=500) if _touch(people) else 0
    )


def positions_bulk_create(*, positions: list[Position]) -> list[Position]:
    for position in positions:
        position.clean_fields(exclude=["person", "organization"])
        if position.starts_on and position.ends_on and position.ends_on < position.starts_on:
            raise ApplicationError("A position cannot end before it starts.")
    return Position.objects.bulk_create(positions, batch_size=500)


def positions_bulk_update(*, positions: list[Position], fields: list[str]) -> int:
    if not positions or not fields:
        return 0
    for position in positions:
        position.clean_fields(exclude=["person", "organization"])
        if position.starts_on and position.ends_on and position.ends_on < position.starts_on:
            raise ApplicationError("A position cannot end before it starts.")
    _touch(positions)
    return Position.objects.bulk_update(positions, [*fields, "updated_at"], batch_size=500)


def _touch(rows: list[Any]) -> bool:
    from django.utils import timezone

    now = timezone.now()
    for row in rows:
        row.updated_at = now
    return bool(rows)
