"""Many completed or in-progress cycles at once for the district views' tests, written by the demo's
cycle writer (the rows the services leave: steps, signed summative assessments, ratings within the rules)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from edlead.demo.evaluations import Pair, _relationship, _Writer
from edlead.evaluations import services_cycle as sc
from edlead.evaluations.models import Cycle, Standard
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.testing import make_person, make_position

YEAR = 2025


def cycles(
    *,
    evaluator: Person,
    school: Organization,
    levels: list[str] | None = None,
    steps: list[str] | None = None,
    year: int = YEAR,
    mepids: bool = True,
) -> list[Cycle]:
    """One new principal-rubric educator per entry: a completed cycle with that overall rating (`levels`),
    or a cycle at that step (`steps`)."""
    district = school.district or school
    fw = sc.framework_for(role=Position.Role.PRINCIPAL, organization=district)
    assert fw is not None
    standards: dict[int, list[Standard]] = {
        fw.pk: list(Standard.objects.filter(framework=fw).order_by("order"))
    }
    writer = _Writer(random.Random(7), standards, dt.date(year + 1, 6, 30))
    running: dict[Any, Any] = {}
    made = []
    wanted = [(Cycle.Step.DONE, lv) for lv in (levels or [])] + [(st, "") for st in (steps or [])]
    for step, level in wanted:
        n = Person.objects.count() + 1
        person = make_person("Ed", f"Educator{n}", mepid=f"{98_000_000 + n:08d}" if mepids else None)
        make_position(person, school, Position.Role.TEACHER)
        pair = Pair(person, evaluator, school, fw, True)
        rel = _relationship(pair, district, dt.date(year, 7, 1), running)
        made.append(writer.cycle(pair, year, step, rel, overall=level))
    writer.flush()
    return made
