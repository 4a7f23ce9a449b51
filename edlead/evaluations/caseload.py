"""The evaluator's caseload on their home page (a principal supervisor's principals, a principal's staff):
for each person evaluated this school year — the current step, the next due date and whether it is overdue,
the standards with no evidence yet, the visits this year and the days since the last feedback (a released
visit's feedback, or a goal approved or returned with a comment).

A fixed number of queries whatever the caseload's size: the cycles (one, with what the deadlines need),
the district settings (one per district), and one each for standards, tagged evidence, visits and goal
decisions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone

from edlead.evaluations import deadlines, selectors_cycle
from edlead.evaluations.models import Cycle, Evidence, GoalEvent, Standard
from edlead.lib.schoolyears import SchoolYear


@dataclass
class CaseloadRow:
    cycle: Cycle
    due: dt.date | None = None
    overdue: bool = False
    missing_standards: list[str] = field(default_factory=list)
    standards_with_evidence: list[str] = field(default_factory=list)
    visits: int = 0
    days_since_feedback: int | None = None


def caseload_for(user: Any, *, today: dt.date | None = None) -> list[CaseloadRow]:
    """The cycles `user` evaluates in the current school year, educator by educator (empty when none)."""
    pid = getattr(user, "person_id", None)
    if pid is None:
        return []
    day = today or timezone.localdate()
    year = SchoolYear.containing(day)
    cycles = list(
        deadlines.with_state(
            selectors_cycle.cycles_for(user, school_year=year.start_year).filter(evaluator_id=pid)
        ).order_by("educator__last_name", "educator__first_name", "pk")
    )
    if not cycles:
        return []
    rows = {c.pk: CaseloadRow(cycle=c) for c in cycles}
    for p in deadlines.pending(cycles):
        row = rows[p.cycle.pk]
        if p.due is not None and (row.due is None or p.due < row.due):
            row.due = p.due
        if p.overdue(day) and p.waiting:
            row.overdue = True
    # Standards of each rubric, and the standards some evidence of each cycle is tagged to.
    standards: dict[int, list[str]] = {}
    for fw, code in (
        Standard.objects.filter(framework_id__in={c.framework_id for c in cycles})
        .order_by("order", "pk")
        .values_list("framework_id", "code")
    ):
        standards.setdefault(fw, []).append(code)
    tagged: dict[int, set[str]] = {}
    for cycle_id, code in (
        Evidence.indicators.through.objects.filter(evidence__cycle_id__in=rows)
        .values_list("evidence__cycle_id", "indicator__standard__code")
        .distinct()
    ):
        tagged.setdefault(cycle_id, set()).add(code)
    # Visits this school year and the last released feedback, per educator.
    from edlead.visits.models import Visit

    visits = {
        v["educator_id"]: v
        for v in Visit.objects.filter(
            educator_id__in={c.educator_id for c in cycles},
            date__gte=year.starts_on,
            date__lte=year.ends_on,
        )
        .values("educator_id")
        .annotate(n=Count("pk"), last_released=Max("feedback_released_at"))
    }
    decided = dict(
        GoalEvent.objects.filter(record__cycle_id__in=rows, action__in=["approved", "returned"])
        .filter(Q(action="returned") | ~Q(note=""))
        .values("record__cycle_id")
        .annotate(last=Max("at"))
        .values_list("record__cycle_id", "last")
    )
    for c in cycles:
        row = rows[c.pk]
        have = tagged.get(c.pk, set())
        row.standards_with_evidence = [s for s in standards.get(c.framework_id, []) if s in have]
        row.missing_standards = [s for s in standards.get(c.framework_id, []) if s not in have]
        v = visits.get(c.educator_id)
        row.visits = v["n"] if v else 0
        moments = [m for m in ((v or {}).get("last_released"), decided.get(c.pk)) if m is not None]
        if moments:
            row.days_since_feedback = (day - timezone.localtime(max(moments)).date()).days
    return list(rows.values())
