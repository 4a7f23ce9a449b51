"""The supervisor's home: each school's improvement plan for this school year — its step, goals off
track or at risk in their latest update, action steps overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from edlead.home.columns import Cell, Column, Figure
from edlead.plans import selectors
from edlead.plans.checks import quarter_of
from edlead.plans.models import Plan

S = Plan.Status
NEEDS_SUPERVISOR = (S.SUBMITTED,)


def cells(user: Any, rows: list[Any], today: dt.date) -> dict[int, Cell]:
    year = quarter_of(today)[0]
    plans = list(
        selectors.readable(
            user,
            Plan.objects.filter(
                organization_id__in=[r.school.pk for r in rows],
                is_template=False,
                first_year__lte=year,
                last_year__gte=year,
            ),
        ).order_by("organization_id", "-first_year", "-pk")
    )  # one query
    latest: dict[int, Plan] = {}
    for plan in plans:
        latest.setdefault(plan.organization_id, plan)
    summary = selectors.plan_summary(list(latest.values()))  # two queries
    out: dict[int, Cell] = {}
    for school_id, plan in latest.items():
        s = summary[plan.pk]
        parts = [
            f"{s['off_track']} off track" if s["off_track"] else "",
            f"{s['at_risk']} at risk" if s["at_risk"] else "",
        ]
        if s["steps_overdue"]:
            parts.append(f"{s['steps_overdue']} step{'s' if s['steps_overdue'] != 1 else ''} overdue")
        note = ", ".join(p for p in parts if p) or ("On track" if plan.status == S.APPROVED else "")
        out[school_id] = Cell(
            plan.get_status_display(),
            sort=f"{plan.status}:{s['off_track']:03d}",
            url=plan.get_absolute_url(),
            attention=plan.status in NEEDS_SUPERVISOR or bool(s["off_track"]),
            note=note,
        )
    return out


def period(user: Any, rows: list[Any], start: dt.date, end: dt.date) -> list[Figure]:
    """The schools' plans for the school year at the period's end: how many in each step, and the quarterly
    progress reported in the period with how much of it is off track or at risk."""
    from django.db.models import Count, Q

    from edlead.plans.models import ProgressUpdate

    year = quarter_of(end)[0]
    plans = selectors.readable(
        user,
        Plan.objects.filter(
            organization_id__in=[r.school.pk for r in rows],
            is_template=False,
            first_year__lte=year,
            last_year__gte=year,
        ),
    )
    steps = dict(plans.values("status").annotate(n=Count("pk")).values_list("status", "n"))  # one query
    P = ProgressUpdate.Status
    reported = ProgressUpdate.objects.filter(
        goal__plan__in=plans.values("pk"), reported_at__date__gte=start, reported_at__date__lte=end
    ).aggregate(
        n=Count("pk"),
        off=Count("pk", filter=Q(status=P.OFF_TRACK)),
        risk=Count("pk", filter=Q(status=P.AT_RISK)),
    )  # one query
    return [
        *(Figure(f"Plans {label.lower()}", steps[value]) for value, label in S.choices if steps.get(value)),
        Figure("Schools without a plan for the year", max(0, len(rows) - sum(steps.values()))),
        Figure("Goal progress reported", reported["n"]),
        Figure("— off track", reported["off"]),
        Figure("— at risk", reported["risk"]),
    ]


COLUMN = Column(
    "plans",
    "Improvement plan",
    20,
    cells,
    help="This school year's plan: its step, goals off track, steps overdue",
    period=period,
)
