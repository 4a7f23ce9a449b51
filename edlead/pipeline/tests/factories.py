"""Test helpers for the pipeline: records about a person for the access matrix."""

from __future__ import annotations

import datetime as dt
from typing import Any

from edlead.people.models import Person
from edlead.pipeline.models import Candidacy, Placement, PoolEntry, PrepProgram, ReadinessNote


def _district_and_school(person: Person) -> tuple[Any, Any]:
    position = person.positions.select_related("organization").first()
    assert position is not None
    return position.organization.district, position.organization


def _entry(person: Person) -> PoolEntry:
    district, _school = _district_and_school(person)
    return PoolEntry.objects.get_or_create(
        person=person, organization=district, defaults={"stage_since": dt.date.today()}
    )[0]


def record_builders() -> dict[str, Any]:
    """Model label → build a pipeline record about a person (edlead/access/tests/test_relationships.py).
    A placement's rules each name a different person (candidate, mentor, program supervisor): the record
    built here has the person in all three places, so every rule is checked against the same cast."""

    def note(person: Person) -> ReadinessNote:
        author = Person.objects.create(first_name="Ann", last_name="Author")
        return ReadinessNote.objects.create(
            entry=_entry(person), person=person, author=author, readiness="ready_now", text="Ready."
        )

    def placement(person: Person) -> Placement:
        _district, school = _district_and_school(person)
        program = PrepProgram.objects.get_or_create(name="Test licensure", partner="A university")[0]
        candidacy = Candidacy.objects.get_or_create(
            person=person, program=program, defaults={"cohort_year": 2026}
        )[0]
        today = dt.date.today()
        return Placement.objects.create(
            candidacy=candidacy,
            person=person,
            organization=school,
            mentor=person,
            supervisor=person,
            starts_on=today,
            ends_on=today + dt.timedelta(days=90),
        )

    return {"pipeline.poolentry": _entry, "pipeline.readinessnote": note, "pipeline.placement": placement}
