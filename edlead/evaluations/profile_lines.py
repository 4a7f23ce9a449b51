"""The leader profile's evaluation summary: the latest signed summative rating and the plan that
followed, and the step of this year's evaluation — only where the evaluation rule lets the reader see the
cycle (the educator, their evaluator, supervision chain, HR)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from edlead.access import policy
from edlead.evaluations.models_cycle import Assessment, Cycle
from edlead.evaluations.services_cycle import CYCLE_VIEW
from edlead.reports.profile import Lines, Section


def lines(user: Any, person: Any, today: dt.date) -> Lines | None:
    cycles = list(
        policy.visible_to(user, Cycle.objects.filter(educator=person), CYCLE_VIEW).order_by("-school_year")[
            :6
        ]
    )
    if not cycles:
        return None
    found: Lines = []
    current = cycles[0]
    if not current.is_locked:
        found.append((f"Evaluation {current.year_label}", current.get_step_display()))
    signed = (
        Assessment.objects.filter(
            cycle__in=cycles, stage=Assessment.Stage.SUMMATIVE, evaluator_signed_at__isnull=False
        )
        .select_related("cycle")
        .order_by("-cycle__school_year")
        .first()
    )
    if signed is not None and signed.overall:
        found.append((f"Summative rating {signed.cycle.year_label}", signed.get_overall_display()))
        if signed.next_plan_type:
            found.append(("Plan that followed", signed.get_next_plan_type_display()))
    return found or None


SECTION = Section("evaluation", "Evaluation summary", 40, lines)
