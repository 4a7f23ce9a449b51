"""Programs and sessions for learning tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from edlead.learning.models import Competency, Program, Provider, Session


def make_program(
    title: str = "Data Teams", *, organization: Any = None, capacity: int = 3, **extra: Any
) -> Program:
    provider, _ = Provider.objects.get_or_create(name="State Leadership Academy", defaults={"kind": "state"})
    comps = extra.pop("competencies", ["data-decisions"])
    program = Program.objects.create(
        title=title,
        organization=organization,
        format=extra.pop("format", Program.Format.WORKSHOP),
        provider=provider,
        capacity=capacity,
        **extra,
    )
    program.competencies.set(Competency.objects.filter(code__in=comps))
    return program


def make_session(program: Program, *, days: int = 10, **extra: Any) -> Session:
    starts = timezone.now() + dt.timedelta(days=days)
    return Session.objects.create(
        program=program, starts_at=starts, ends_at=starts + dt.timedelta(hours=3), **extra
    )


def record_builders() -> dict[str, Any]:
    """Model label → build a learning record about a person, for the access tests of declared rules."""
    from edlead.learning.models import Enrollment, GrowthSurvey

    def enrollment(person: Any) -> Enrollment:
        return Enrollment.objects.create(
            session=make_session(make_program(f"Rules {person.pk}")), person=person, status="enrolled"
        )

    def growth(person: Any) -> GrowthSurvey:
        return GrowthSurvey.objects.create(person=person, rater=person, submitted_at=timezone.now())

    def cohort(person: Any) -> Any:
        from edlead.learning.models import Cohort

        return Cohort.objects.create(
            name=f"Cohort of {person.pk}", facilitator=person, starts_on=timezone.localdate()
        )

    return {"learning.enrollment": enrollment, "learning.growthsurvey": growth, "learning.cohort": cohort}


def make_evaluator(world: Any, holder: str = "SUP1", person: str = "P1") -> Any:
    """`holder` becomes `person`'s evaluator of record in the access tests' world (district A)."""
    from edlead.access.models import Relationship
    from edlead.access.services import relationship_start

    return relationship_start(
        actor=None,
        kind=Relationship.Kind.EVALUATOR,
        holder=world.people[holder],
        person=world.people[person],
        organization=world.orgs["A"],
    )
