"""Readers for people, positions and who supervises whom.

Who supervises whom is derived from positions: the principal supervisor of a network (or of a
district without networks) supervises the principals of the schools below it, unless the district
set a supervision override on a school. Without any principal supervisor above a school, the
district's superintendent supervises its principal. Assistant principals and teachers are supervised
by their school's principal; principal supervisors by the assistant superintendent, else the
superintendent. Each function issues a fixed number of queries whatever the data size.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from edlead.orgs.models import Organization, SupervisionOverride
from edlead.people.models import Person, Position

Role = Position.Role


def _active_overrides(today: dt.date) -> QuerySet[SupervisionOverride]:
    return SupervisionOverride.objects.filter(starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )


def supervised_schools(person: Person, *, on: dt.date | None = None) -> QuerySet[Organization]:
    """Open schools whose principal `person` supervises (2 queries when evaluated)."""
    today = on or dt.date.today()
    paths = list(
        Position.objects.current(today)
        .filter(person=person, role=Role.PRINCIPAL_SUPERVISOR)
        .values_list("organization__path", flat=True)
    )
    overrides = _active_overrides(today)
    mine = Exists(overrides.filter(school_id=OuterRef("pk"), supervisor=person))
    condition: Any
    if paths:
        scope = Q()
        for path in paths:
            scope |= Q(path__startswith=path)
        others = Exists(overrides.filter(school_id=OuterRef("pk")).exclude(supervisor=person))
        condition = (scope & ~others) | mine
    else:
        condition = mine
    return Organization.objects.schools().open().filter(condition).select_related("parent", "district")


def supervisors_for_schools(
    schools: Iterable[Organization], *, on: dt.date | None = None
) -> dict[int, Person | None]:
    """Each school's principal supervisor (2 queries)."""
    return {pk: (found[0] if found else None) for pk, found in _supervision(schools, on=on).items()}


def _supervision(
    schools: Iterable[Organization], *, on: dt.date | None = None
) -> dict[int, tuple[Person, str] | None]:
    """Each school's principal supervisor and in which capacity (2 queries)."""
    today = on or dt.date.today()
    schools = list(schools)
    if not schools:
        return {}
    ancestor_ids = {a for s in schools for a in s.ancestor_ids if a != s.pk}
    holders: dict[int, Person] = {}
    superintendents: dict[int, Person] = {}
    for pos in (
        Position.objects.current(today)
        .filter(
            organization_id__in=ancestor_ids,
            role__in=[Role.PRINCIPAL_SUPERVISOR, Role.SUPERINTENDENT],
        )
        .select_related("person")
        .order_by("organization_id", "-is_primary", "starts_on", "pk")
    ):
        target = holders if pos.role == Role.PRINCIPAL_SUPERVISOR else superintendents
        target.setdefault(pos.organization_id, pos.person)
    overrides = {
        ov.school_id: ov.supervisor
        for ov in _active_overrides(today).filter(school__in=schools).select_related("supervisor")
    }
    result: dict[int, tuple[Person, str] | None] = {}
    for school in schools:
        if school.pk in overrides:
            result[school.pk] = (overrides[school.pk], "supervisor (by a district decision)")
            continue
        found: tuple[Person, str] | None = None
        for org_id in reversed(school.ancestor_ids[:-1]):
            if org_id in holders:
                found = (holders[org_id], "principal supervisor")
                break
        if found is None and school.district_id and school.district_id in superintendents:
            found = (superintendents[school.district_id], "superintendent, supervising the principal")
        result[school.pk] = found
    return result


def principals_for_schools(
    schools: Iterable[Organization], *, on: dt.date | None = None
) -> dict[int, list[Position]]:
    """Current principals of each school, primary first (1 query)."""
    today = on or dt.date.today()
    result: dict[int, list[Position]] = defaultdict(list)
    for pos in (
        Position.objects.current(today)
        .filter(organization__in=list(schools), role=Role.PRINCIPAL)
        .select_related("person")
        .order_by("-is_primary", "starts_on", "pk")
    ):
        result[pos.organization_id].append(pos)
    return result


@dataclass(frozen=True)
class Relation:
    """One line of "supervised by": who, in which capacity, through which position."""

    person: Person
    because: str


def supervisors_of(person: Person, positions: list[Position], *, on: dt.date | None = None) -> list[Relation]:
    """Who supervises `person`, from their current positions (fixed number of queries)."""
    today = on or dt.date.today()
    current = [p for p in positions if p.is_current(today)]
    relations: list[Relation] = []
    principal_schools = [p.organization for p in current if p.role == Role.PRINCIPAL]
    if principal_schools:
        for school_id, found in _supervision(principal_schools, on=today).items():
            if found is not None and found[0].pk != person.pk:
                school = next(s for s in principal_schools if s.pk == school_id)
                relations.append(Relation(found[0], f"{found[1]} for {school.name}"))
    staff_schools = [
        p.organization
        for p in current
        if p.role in (Role.ASSISTANT_PRINCIPAL, Role.TEACHER, Role.TEACHER_LEADER)
        and p.organization.is_school
    ]
    if staff_schools:
        for school_id, heads in principals_for_schools(staff_schools, on=today).items():
            school = next(s for s in staff_schools if s.pk == school_id)
            for head in heads:
                if head.person_id != person.pk:
                    relations.append(Relation(head.person, f"principal of {school.name}"))
    district_ids = {
        (p.organization.district_id or p.organization.pk)
        for p in current
        if p.role in (Role.PRINCIPAL_SUPERVISOR, Role.ASSISTANT_SUPERINTENDENT, Role.DIRECTOR)
    }
    if district_ids:
        chiefs = (
            Position.objects.current(today)
            .filter(
                organization_id__in=district_ids,
                role__in=[Role.ASSISTANT_SUPERINTENDENT, Role.SUPERINTENDENT],
            )
            .exclude(person=person)
            .select_related("person", "organization")
        )
        by_district: dict[int, list[Position]] = defaultdict(list)
        for chief in chiefs:
            by_district[chief.organization_id].append(chief)
        is_asst = any(p.role == Role.ASSISTANT_SUPERINTENDENT for p in current)
        for rows in by_district.values():
            assistants = [c for c in rows if c.role == Role.ASSISTANT_SUPERINTENDENT]
            supers = [c for c in rows if c.role == Role.SUPERINTENDENT]
            chosen = supers if (is_asst or not assistants) else assistants
            for c in chosen:
                relations.append(Relation(c.person, f"{c.display_title.lower()}, {c.organization.name}"))
    return relations


def person_positions(person: Person) -> list[Position]:
    """A person's whole position history, newest first, with organizations (1 query)."""
    return list(
        Position.objects.filter(person=person)
        .select_related("organization", "organization__district")
        .order_by("-starts_on", "-pk")
    )


def schools_led(positions: list[Position]) -> list[Position]:
    """Principal positions from a position history, in time order: the leader record's core."""
    return sorted(
        (p for p in positions if p.role == Role.PRINCIPAL and p.organization.is_school),
        key=lambda p: (p.starts_on or dt.date.min, p.pk),
    )
