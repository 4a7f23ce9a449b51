"""The only writers of people and positions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q

from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.core.services import audit_record
from edlead.lib.schoolyears import SchoolYear
from edlead.orgs.models import Organization
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


def confirmed_through_for(*days: dt.date | None) -> dt.date:
    """What an entry in EdLead (or an undated import) vouches for: the end of the school year of the
    latest of `days` (the entry date, the position's start)."""
    latest = max(d for d in (*days, dt.date.today()) if d is not None)
    return SchoolYear.containing(latest).ends_on


class PrincipalConflict(ApplicationError):
    """Starting a principal where another principal has no end date: say whether (and when) they left,
    or record both as co-principals."""

    def __init__(self, school: Organization, holders: list[Position]) -> None:
        self.school = school
        self.holders = holders
        names = ", ".join(p.person.display_name for p in holders)
        super().__init__(
            f"{school.name} already has a current principal ({names}). Say on which date they left, "
            "or record the new principal as a co-principal."
        )


def principals_in_the_way(school: Organization, starts_on: dt.date | None) -> list[Position]:
    """Principal positions at `school` that would still be open on `starts_on` (1 query)."""
    day = starts_on or dt.date.today()
    return list(
        Position.objects.filter(organization=school, role=Position.Role.PRINCIPAL)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=day))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("person")
        .order_by("starts_on", "pk")
    )


def _make_way_for_principal(
    *,
    school: Organization,
    starts_on: dt.date | None,
    is_co_principal: bool,
    end_others_on: dt.date | None,
    exclude_person: Person | None,
    actor: Any,
) -> None:
    """A school has one current principal unless its principals are recorded as co-principals: end the
    others on `end_others_on`, mark them co-principals, or refuse with `PrincipalConflict`."""
    Organization.objects.select_for_update().filter(pk=school.pk).first()  # one writer per school
    others = [
        p
        for p in principals_in_the_way(school, starts_on)
        if p.person_id != getattr(exclude_person, "pk", None)
    ]
    if not others:
        return
    if is_co_principal and end_others_on is None:
        for other in others:
            if not other.is_co_principal:
                other.is_co_principal = True
                other.save(update_fields=["is_co_principal", "updated_at"])
                audit_record(
                    action=AuditEvent.Action.POSITION_CHANGED,
                    actor=actor,
                    target=other,
                    detail={"co_principal": True},
                )
        return
    if end_others_on is None:
        raise PrincipalConflict(school, others)
    if starts_on is not None and end_others_on >= starts_on:
        raise ApplicationError(
            f"The current principal must leave before the new one starts: choose a date before {starts_on:%B %-d, %Y}."
        )
    for other in others:
        position_end(position=other, ends_on=end_others_on, actor=actor)


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
    is_co_principal: bool = False,
    source: str = Position.Source.MANUAL,
    end_current_principals_on: dt.date | None = None,
    confirmed_through: dt.date | None = None,
    actor: Any = None,
) -> Position:
    """Start a position. A principal at a school whose principal has no end date needs
    `end_current_principals_on` (the day the old one left) or `is_co_principal`; else `PrincipalConflict`."""
    if role == Position.Role.PRINCIPAL:
        _make_way_for_principal(
            school=organization,
            starts_on=starts_on,
            is_co_principal=is_co_principal,
            end_others_on=end_current_principals_on,
            exclude_person=person if person.pk else None,
            actor=actor,
        )
    elif is_co_principal:
        raise ApplicationError("Only a principal can be a co-principal.")
    position = Position(
        person=person,
        organization=organization,
        role=role,
        title=title,
        starts_on=starts_on,
        fte=fte,
        is_primary=is_primary,
        is_co_principal=is_co_principal,
        source=source,
        confirmed_through=confirmed_through
        if confirmed_through is not None or source == Position.Source.DEMO
        else confirmed_through_for(starts_on),
    )
    position.full_clean()
    position.save()
    audit_record(
        action=AuditEvent.Action.POSITION_CHANGED,
        actor=actor,
        target=position,
        detail={"started": role, "organization": organization.pk, "co_principal": is_co_principal},
    )
    return position


@transaction.atomic
def position_end(*, position: Position, ends_on: dt.date, actor: Any = None) -> Position:
    if position.starts_on and ends_on < position.starts_on:
        raise ApplicationError("A position cannot end before it starts.")
    position.ends_on = ends_on
    position.full_clean()
    position.save(update_fields=["ends_on", "updated_at"])
    audit_record(
        action=AuditEvent.Action.POSITION_CHANGED,
        actor=actor,
        target=position,
        detail={"ended": ends_on.isoformat()},
    )
    return position


@transaction.atomic
def position_transfer(
    *,
    position: Position,
    to: Organization,
    on: dt.date,
    title: str | None = None,
    end_current_principals_on: dt.date | None = None,
    is_co_principal: bool = False,
    actor: Any = None,
) -> Position:
    """Move a person's position to another organization: the old one ends the day before `on`, the
    same role starts at `to` on `on` (a principal's successor rules apply at `to`)."""
    if position.ends_on is not None and position.ends_on < on:
        raise ApplicationError("This position has already ended; start a new position instead.")
    if to.pk == position.organization_id:
        raise ApplicationError("Choose another school: this is where the position already is.")
    day_before = on - dt.timedelta(days=1)
    if position.starts_on and day_before < position.starts_on:
        raise ApplicationError("A transfer date must be after the position started.")
    position_end(position=position, ends_on=day_before, actor=actor)
    moved = position_start(
        person=position.person,
        organization=to,
        role=position.role,
        starts_on=on,
        title=position.title if title is None else title,
        fte=position.fte,
        is_primary=position.is_primary,
        is_co_principal=is_co_principal,
        end_current_principals_on=end_current_principals_on,
        actor=actor,
    )
    audit_record(
        action=AuditEvent.Action.POSITION_CHANGED,
        actor=actor,
        target=moved,
        detail={"transferred_from": position.organization_id, "position": position.pk},
    )
    return moved


PERSON_CORRECTABLE = ("first_name", "last_name", "preferred_name", "email", "mepid", "local_employee_number")


@transaction.atomic
def person_correct(*, person: Person, actor: Any = None, **fields: Any) -> Person:
    """Correct a person's name, preferred name, e-mail, MEPID or employee number (audited by field
    name, never by value)."""
    unknown = set(fields) - set(PERSON_CORRECTABLE)
    if unknown:
        raise ApplicationError(f"These fields cannot be corrected here: {', '.join(sorted(unknown))}.")
    if "mepid" in fields:
        fields["mepid"] = fields["mepid"] or None
    return person_update(person=person, actor=actor, **fields)


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
