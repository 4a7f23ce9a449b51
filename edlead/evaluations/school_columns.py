"""The supervisor's home: each principal's evaluation this school year — its step and what is overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from edlead.access import policy
from edlead.evaluations import deadlines
from edlead.evaluations.models_cycle import Cycle
from edlead.evaluations.services_cycle import CYCLE_VIEW
from edlead.home.columns import Cell, Column, Figure


def cells(user: Any, rows: list[Any], today: dt.date) -> dict[int, Cell]:
    year = today.year if today.month >= 7 else today.year - 1
    principal_of = {r.principal.person_id: r.school.pk for r in rows if r.principal}
    cycles = list(
        deadlines.with_state(
            policy.visible_to(
                user, Cycle.objects.filter(educator_id__in=list(principal_of), school_year=year), CYCLE_VIEW
            )
        )
    )  # one query (and one for the districts' settings below)
    overdue: dict[int, list[str]] = {}
    for p in deadlines.pending(cycles):
        if p.overdue(today):
            overdue.setdefault(p.cycle.pk, []).append(p.title)
    out: dict[int, Cell] = {}
    for c in cycles:
        late = overdue.get(c.pk, [])
        school = principal_of.get(c.educator_id)
        if school is None:
            continue
        out[school] = Cell(
            c.get_step_display(),
            sort=c.step_number * 10 - len(late),
            url=c.get_absolute_url(),
            attention=bool(late),
            note=f"Overdue: {late[0]}" + (f" (+{len(late) - 1})" if len(late) > 1 else "") if late else "",
        )
    return out


def period(user: Any, rows: list[Any], start: dt.date, end: dt.date) -> list[Figure]:
    """The principals' evaluations of the school year at the period's end: how many at each step, how many
    with something overdue."""
    found = cells(user, rows, end)
    by_step: dict[str, int] = {}
    for cell in found.values():
        by_step[cell.text] = by_step.get(cell.text, 0) + 1
    return [
        *(Figure(f"Evaluations at step {step}", n) for step, n in sorted(by_step.items())),
        Figure(
            "Principals without an evaluation this year", sum(1 for r in rows if r.principal) - len(found)
        ),
        Figure("Evaluations with an overdue item", sum(1 for c in found.values() if c.attention)),
    ]


COLUMN = Column(
    "evaluation",
    "Evaluation",
    10,
    cells,
    help="The principal's evaluation this school year: step and overdue items",
    period=period,
)
