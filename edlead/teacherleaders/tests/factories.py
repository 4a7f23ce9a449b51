"""Records about a person for the access matrix (edlead/access/tests/test_relationships.py)."""

from __future__ import annotations

from typing import Any

from edlead.people.models import Person
from edlead.teacherleaders import services_bodies
from edlead.teacherleaders.models import LeadershipBody


def record_builders() -> dict[str, Any]:
    def body(person: Person) -> LeadershipBody:
        position = person.positions.select_related("organization").first()
        assert position is not None
        return services_bodies.body_create(
            actor=None,
            organization=position.organization,
            kind="council",
            name="School council",
            convener=person,
        )

    return {"teacherleaders.leadershipbody": body}
