"""Factory functions for tests: small, explicit, real database rows (written through the services)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from edlead.access.models import RoleGrant, User
from edlead.orgs import services as org_services
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-staple-42"  # noqa: S105 (test-only)


def make_state() -> Organization:
    return org_services.state_agency_get_or_create()


def make_district(name: str | None = None, code: str | None = None, **fields: Any) -> Organization:
    n = next(_seq)
    return org_services.organization_create(
        kind=Organization.Kind.DISTRICT,
        parent=make_state(),
        name=name or f"Test District {n}",
        code=code or f"98{n:02d}0000"[-8:],
        district_type=fields.pop("district_type", Organization.DistrictType.PUBLIC),
        **fields,
    )


def make_network(district: Organization, name: str | None = None) -> Organization:
    return org_services.network_create(district=district, name=name or f"Network {next(_seq)}")


def make_school(
    parent: Organization, name: str | None = None, code: str | None = None, **fields: Any
) -> Organization:
    n = next(_seq)
    district = parent if parent.kind == Organization.Kind.DISTRICT else parent.district
    assert district is not None and district.code
    return org_services.organization_create(
        kind=Organization.Kind.SCHOOL,
        parent=parent,
        name=name or f"Test School {n}",
        code=code or f"{district.code[:4]}{n % 10000:04d}",
        school_type=fields.pop("school_type", Organization.SchoolType.PUBLIC),
        **fields,
    )


def make_person(first: str = "Alex", last: str | None = None, **fields: Any) -> Person:
    return Person.objects.create(first_name=first, last_name=last or f"Tester{next(_seq)}", **fields)


def make_position(
    person: Person,
    org: Organization,
    role: str,
    starts_on: dt.date | None = dt.date(2020, 7, 1),
    ends_on: dt.date | None = None,
    **fields: Any,
) -> Position:
    return Position.objects.create(
        person=person,
        organization=org,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
        fte=fields.pop("fte", Decimal("1.00")),
        **fields,
    )


def make_user(
    person: Person | None = None,
    email: str | None = None,
    grants: list[tuple[str, Organization]] | None = None,
    password: str | None = PASSWORD,
    **fields: Any,
) -> User:
    """An account; `password=None` skips the (deliberately slow) argon2 hashing for tests that never sign in."""
    user = User.objects.create_user(
        email or f"user{next(_seq)}@example.org", password, person=person, **fields
    )
    for role, org in grants or []:
        RoleGrant.objects.create(user=user, role=role, organization=org)
    return user
