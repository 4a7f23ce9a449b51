"""Test helpers for department support: responders and requests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from edlead.access.models import Relationship
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.support import departments
from edlead.support.models import SupportRequest
from edlead.testing import make_person, make_position, make_user

SPED = "Special Education"


def make_responder(
    district: Organization,
    department: str = SPED,
    first: str = "Rae",
    last: str = "Responder",
    user: bool = True,
) -> tuple[Person, Any]:
    """A central-office staff member (no role from the position) answering for one department."""
    person = make_person(first, last)
    make_position(person, district, Position.Role.OTHER, title=f"{department} coordinator")
    Relationship.objects.create(
        kind=Relationship.Kind.RESPONDER,
        holder=person,
        group=departments.group_key(district.pk, department),
        organization=district,
        starts_on=timezone.localdate(),
    )
    return person, (make_user(person, password=None) if user else None)


def make_request(
    school: Organization, requester: Person, department: str = SPED, **fields: Any
) -> SupportRequest:
    """A request written directly (for access tests; the services are tested on their own)."""
    district = school.district
    assert district is not None
    now = timezone.now()
    return SupportRequest.objects.create(
        district=district,
        organization=school,
        department=department,
        group_key=departments.group_key(district.pk, department),
        category=fields.pop("category", SupportRequest.Category.SPECIAL_EDUCATION),
        priority=fields.pop("priority", SupportRequest.Priority.NORMAL),
        subject=fields.pop("subject", "IEP meeting support"),
        description=fields.pop("description", "A team meeting needs a district representative."),
        requester=requester,
        routed_at=fields.pop("routed_at", now),
        due_at=fields.pop("due_at", now + dt.timedelta(hours=72)),
        **fields,
    )


def _request_about(person: Person) -> SupportRequest:
    position = person.positions.select_related("organization").filter(organization__kind="school").first()
    assert position is not None, "the cast's owner leads a school"
    return make_request(position.organization, person)


def record_builders() -> dict[str, Callable[[Person], Any]]:
    """For edlead/access/tests/test_relationships.py: a support request routed by `person`."""
    return {"support.supportrequest": _request_about}
