"""Builders for edlead/access/tests/test_relationships.py (`RECORD_BUILDERS`): a coaching relationship
whose coachee is `person`, and a session of it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from edlead.access.models import Relationship
from edlead.coaching.models import CoachingRelationship, CoachingSession
from edlead.people.models import Person
from edlead.testing import make_person


def _relationship_about(person: Person) -> CoachingRelationship:
    found = CoachingRelationship.objects.filter(coachee=person).first()
    if found is not None:
        return found
    position = person.positions.select_related("organization__district").first()
    assert position is not None and position.organization.district is not None
    district = position.organization.district
    coach = make_person("Casey", "Builder-Coach")
    start = dt.date.today() - dt.timedelta(days=30)
    access = Relationship.objects.create(
        kind=Relationship.Kind.COACH, holder=coach, person=person, organization=district, starts_on=start
    )
    return CoachingRelationship.objects.create(
        kind=CoachingRelationship.Kind.EXECUTIVE_COACH,
        coach=coach,
        coachee=person,
        organization=district,
        access=access,
        starts_on=start,
    )


def _session_about(person: Person) -> CoachingSession:
    rel = _relationship_about(person)
    found = rel.sessions.first()
    if found is not None:
        return found
    return CoachingSession.objects.create(
        relationship=rel, held_on=rel.starts_on, minutes=60, focus="Builder", notes="Builder notes"
    )


def record_builders() -> dict[str, Callable[[Person], Any]]:
    return {"coaching.coachingrelationship": _relationship_about, "coaching.coachingsession": _session_about}
