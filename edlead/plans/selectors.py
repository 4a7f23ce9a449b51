"""Readers of school improvement plans, scoped to the reader through the access module, each page in a
fixed number of queries whatever the plan's size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from edlead.access import policy
from edlead.metrics.models import Fact
from edlead.metrics.suppression import visible_value
from edlead.orgs.models import Organization
from edlead.plans.models import ActionStep, Benchmark, Goal, Plan, ProgressUpdate, TeamMember

S = Plan.Status


def readable(user: Any, rows: QuerySet[Plan] | None = None) -> QuerySet[Plan]:
    """The plans (and templates) `user` may read: every plan where they hold `plan.view`; an approved
    plan of any school they work in or oversee (a school improvement plan is a public document once
    approved: its staff read it); and any plan whose leadership team they are on, draft or not."""
    rows = rows if rows is not None else Plan.objects.all()
    leaders = policy.visible_to(user, Plan.objects.all(), policy.PLAN_VIEW).values("pk")
    where = Q(pk__in=leaders)
    if policy.can(user, policy.ORG_VIEW):
        staff = policy.visible_to(user, Organization.objects.all(), policy.ORG_VIEW).values("pk")
        where |= Q(status=S.APPROVED, is_template=False, organization__in=staff)
    person_id = getattr(user, "person_id", None)
    if person_id:
        where |= Q(pk__in=TeamMember.objects.filter(person_id=person_id).values("plan_id"))
    return rows.filter(where)


def plans_for_user(user: Any, *, status: str = "", year: int | None = None, q: str = "") -> QuerySet[Plan]:
    """The school plans the user may read, with their goal counts (1 query)."""
    rows = readable(user, Plan.objects.filter(is_template=False))
    if status:
        rows = rows.filter(status=status)
    if year:
        rows = rows.filter(first_year__lte=year, last_year__gte=year)
    if q:
        rows = rows.filter(Q(organization__name__icontains=q) | Q(title__icontains=q))
    return (
        rows.select_related("organization", "organization__parent", "organization__district")
        .annotate(n_goals=Count("goals", distinct=True))
        .order_by("organization__name", "-first_year")
    )


def schools_to_plan(user: Any, year: int) -> list[Organization]:
    """Open schools the user may write a plan for that have none covering `year` (1 query)."""
    have = Plan.objects.filter(is_template=False, first_year__lte=year, last_year__gte=year).values(
        "organization_id"
    )
    schools = Organization.objects.schools().open().exclude(pk__in=have)
    return list(policy.visible_to(user, schools, policy.PLAN_EDIT).order_by("name")[:200])


@dataclass
class GoalView:
    goal: Goal
    actual: Decimal | None = None  # the goal's metric for its target year and period, when imported
    benchmarks: list[tuple[Benchmark, Decimal | None, str]] = field(
        default_factory=list
    )  # (b, actual, state)
    latest: ProgressUpdate | None = None

    @property
    def met(self) -> bool | None:
        if self.actual is None:
            return None
        return _reached(self.goal, self.actual, self.goal.target)


def _reached(goal: Goal, actual: Decimal, target: Decimal | None) -> bool | None:
    if target is None:
        return None
    lower_is_better = goal.metric.direction == "lower"
    return actual <= target if lower_is_better else actual >= target


def _actuals(
    school_id: int, keys: Iterable[tuple[int, int, int, str]]
) -> dict[tuple[int, int, int, str], Decimal | None]:
    """{(metric, group, school year, period): the school's value} in one query; a value describing too
    few students is hidden (None)."""
    keys = set(keys)
    if not keys:
        return {}
    where = Q()
    for metric_id, group_id, year, period in keys:
        where |= Q(metric_id=metric_id, group_id=group_id, school_year=year, period=period)
    found: dict[tuple[int, int, int, str], Decimal | None] = {}
    for fact in Fact.objects.filter(where, organization_id=school_id).select_related("metric"):
        found[(fact.metric_id, fact.group_id, fact.school_year, fact.period)] = visible_value(
            fact.metric, fact.value, fact.n
        )
    return found


def plan_goals(plan: Plan, today: dt.date | None = None) -> list[GoalView]:
    """The plan's goals with their strategies and steps (owners), benchmarks with actual values and
    state, programs and latest progress update (6 queries)."""
    today = today or timezone.localdate()
    goals = list(
        plan.goals.select_related("metric", "group", "objective")
        .prefetch_related("strategies__steps__owner", "benchmarks", "programs", "updates")
        .order_by("order", "pk")
    )
    keys = {(g.metric_id, g.group_id, g.school_year, g.period) for g in goals}
    keys |= {
        (g.metric_id, g.group_id, b.school_year, b.period)
        for g in goals
        for b in g.benchmarks.all()
        if b.kind == Benchmark.Kind.OUTCOME and b.school_year
    }
    actuals = _actuals(plan.organization_id, keys)
    views = []
    for g in goals:
        view = GoalView(g, actuals.get((g.metric_id, g.group_id, g.school_year, g.period)))
        for b in g.benchmarks.all():
            if b.kind == Benchmark.Kind.OUTCOME:
                value = actuals.get((g.metric_id, g.group_id, b.school_year or 0, b.period))
                reached = _reached(g, value, b.target) if value is not None else None
                state = (
                    "met"
                    if reached
                    else "not met"
                    if reached is False
                    else ("overdue" if b.due_on < today else "to come")
                )
            else:
                value = None
                state = (
                    "met"
                    if b.met
                    else "not met"
                    if b.met is False
                    else ("overdue" if b.due_on < today else "to come")
                )
            view.benchmarks.append((b, value, state))
        updates = sorted(g.updates.all(), key=lambda u: (u.school_year, u.quarter), reverse=True)
        view.latest = updates[0] if updates else None
        views.append(view)
    return views


def plan_summary(plans: list[Plan]) -> dict[int, dict[str, int]]:
    """Per plan: goals off track or at risk in their latest update, steps overdue (2 queries)."""
    ids = [p.pk for p in plans]
    out: dict[int, dict[str, int]] = {pk: {"off_track": 0, "at_risk": 0, "steps_overdue": 0} for pk in ids}
    latest: dict[int, tuple[tuple[int, int], str, int]] = {}
    for goal_id, plan_id, year, quarter, status in ProgressUpdate.objects.filter(
        goal__plan_id__in=ids
    ).values_list("goal_id", "goal__plan_id", "school_year", "quarter", "status"):
        if goal_id not in latest or (year, quarter) > latest[goal_id][0]:
            latest[goal_id] = ((year, quarter), status, plan_id)
    for _, status, plan_id in latest.values():
        if status == ProgressUpdate.Status.OFF_TRACK:
            out[plan_id]["off_track"] += 1
        elif status == ProgressUpdate.Status.AT_RISK:
            out[plan_id]["at_risk"] += 1
    overdue = (
        ActionStep.objects.filter(strategy__goal__plan_id__in=ids, due_on__lt=timezone.localdate())
        .exclude(status=ActionStep.Status.DONE)
        .values("strategy__goal__plan_id")
        .annotate(n=Count("pk"))
    )
    for row in overdue:
        out[row["strategy__goal__plan_id"]]["steps_overdue"] = row["n"]
    return out
