"""Builders of cycle records for tests (and for the access matrix's RECORD_BUILDERS)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from edlead.evaluations import services_cycle as sc
from edlead.evaluations.models import Cycle, Evidence
from edlead.lib.schoolyears import SchoolYear
from edlead.people.models import Person
from edlead.visits.models import Visit

THIS_YEAR = SchoolYear.current().start_year


def cycle_for(person: Person, *, evaluator: Person | None = None, school_year: int = THIS_YEAR) -> Cycle:
    """`person`'s cycle for the year (opened by the system when missing)."""
    found = Cycle.objects.filter(educator=person, school_year=school_year).first()
    if found is not None:
        return found
    return sc.cycle_open(actor=None, educator=person, school_year=school_year, evaluator=evaluator)


def evidence_for(person: Person) -> Evidence:
    cycle = cycle_for(person)
    found = Evidence.objects.filter(cycle=cycle).first()
    return found or Evidence.objects.create(cycle=cycle, kind="note", category=1, title="Data", text="Scores")


def visit_for(person: Person) -> Visit:
    found = Visit.objects.filter(educator=person).first()
    if found is not None:
        return found
    cycle = cycle_for(person)
    visitor = Person.objects.create(first_name="Vi", last_name="Sitor")
    return Visit.objects.create(
        organization=cycle.organization,
        visitor=visitor,
        educator=person,
        date=dt.date.today(),
        length_minutes=30,
    )


def record_builders() -> dict[str, Any]:
    return {"evaluations.cycle": cycle_for, "evaluations.evidence": evidence_for, "visits.visit": visit_for}
