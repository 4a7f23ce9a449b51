"""The demo's school improvement plans (edlead/demo/plans.py): Riverton's strategy and template, a plan for
every Riverton school measured on the school's own figures, every step of the workflow present (the demo
principal's plan waiting for the supervisor persona, an endorsed one in that supervisor's network waiting
for the superintendent persona), progress on approved plans, outcome benchmarks that read this year's
monthly figures; a second run adds nothing."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from edlead.access import policy
from edlead.access.models import User
from edlead.demo import services as demo
from edlead.demo.demo import RIVERTON_CODE
from edlead.demo.metrics import MONTHS, months_begun
from edlead.demo.plans import plans_seed
from edlead.metrics.models import Fact
from edlead.orgs.models import Organization
from edlead.people.models import Position
from edlead.people.selectors import supervisors_for_schools
from edlead.plans import services
from edlead.plans.models import Benchmark, Plan, PlanEvent, PlanVersion, ProgressUpdate, StrategicPlan
from edlead.plans.selectors import plan_goals

pytestmark = pytest.mark.django_db
S = Plan.Status


def _user(key: str) -> Any:
    return User.objects.select_related("person").get(email=demo.persona(key).email)


def test_the_demo_plans(client: Any) -> None:
    report = demo.demo_seed(scale="demo")
    riverton = Organization.objects.get(code=RIVERTON_CODE)
    schools = list(Organization.objects.schools().open().within(riverton))
    plans = list(Plan.objects.filter(is_template=False).select_related("organization"))
    assert f"School improvement plans: {len(plans)} added." in report.lines
    today = timezone.localdate()
    year, quarter = services.quarter_of(today)

    # The district's strategy (a theory of action, four objectives) and its template.
    strategy = StrategicPlan.objects.get(organization=riverton)
    assert strategy.first_year == year - 1 and strategy.last_year == year + 1
    assert strategy.theory_of_action.startswith("If ") and " then " in strategy.theory_of_action
    assert strategy.objectives.count() == 4
    template = Plan.objects.get(organization=riverton, is_template=True)
    assert template.goals.count() == 2 and not template.goals.filter(strategies__isnull=True).exists()

    # Every Riverton school has a plan for this school year, aligned to the strategy, and nothing else does.
    assert sorted(p.organization_id for p in plans) == sorted(s.pk for s in schools)
    assert {(p.first_year, p.strategic_plan_id) for p in plans} == {(year, strategy.pk)}
    assert all(year + 1 <= p.last_year <= year + 2 for p in plans)

    # Every step of the workflow occurs, most plans approved.
    states = Counter(p.status for p in plans)
    assert set(states) == set(S.values)
    assert states[S.APPROVED] > len(plans) / 2
    assert states[S.RETURNED] == 1
    returned = next(p for p in plans if p.status == S.RETURNED)
    assert PlanEvent.objects.filter(record=returned, action="returned").exclude(note="").exists()

    # The demo principal's plan waits for the supervisor persona, who supervises the school; an endorsed
    # plan in that supervisor's network waits for the superintendent persona.
    principal, supervisor, superintendent = _user("principal"), _user("supervisor"), _user("superintendent")
    own = next(
        p
        for p in plans
        if Position.objects.current(today)
        .filter(person=principal.person, organization=p.organization, role=Position.Role.PRINCIPAL)
        .exists()
    )
    assert own.status == S.SUBMITTED
    assert supervisors_for_schools([own.organization])[own.organization_id] == supervisor.person
    assert policy.can(supervisor, policy.PLAN_ENDORSE, own)
    assert PlanEvent.objects.get(record=own, action="submitted").actor == principal
    supervised = supervisors_for_schools([p.organization for p in plans])
    waiting = [
        p for p in plans if p.status == S.ENDORSED and supervised[p.organization_id] == supervisor.person
    ]
    assert waiting and all(services.may_approve(superintendent, p) for p in waiting)
    client.force_login(supervisor)
    assert client.get(reverse("plans:plan-detail", args=[own.pk])).status_code == 200

    for plan in plans:
        views = plan_goals(plan, today)
        assert 2 <= len(views) <= 3, plan
        people = set(
            Position.objects.current(today)
            .filter(organization=plan.organization)
            .values_list("person_id", flat=True)
        )
        assert 3 <= plan.team.count() <= 5 and set(plan.team.values_list("person_id", flat=True)) <= people
        for view in views:
            goal = view.goal
            # Measured by a metric the school has figures for; the baseline is one of them; the target
            # better than the baseline, whichever way is better.
            facts = Fact.objects.filter(organization=plan.organization, metric=goal.metric, group=goal.group)
            baseline = goal.baseline
            assert baseline is not None and facts.filter(value=baseline).exists(), goal
            better = goal.target < baseline if goal.metric.direction == "lower" else goal.target > baseline
            assert better, goal
            assert goal.objective is not None and goal.objective.strategic_plan_id == strategy.pk
            if plan.status == S.DRAFT:
                continue
            steps = [st for s in goal.strategies.all() for st in s.steps.all()]
            assert 1 <= goal.strategies.count() <= 3 and len(steps) >= 2
            assert {st.owner_id for st in steps} <= people
            kinds = {b.kind for b, _, _ in view.benchmarks}
            assert kinds == {Benchmark.Kind.PROCESS, Benchmark.Kind.OUTCOME}, goal
            # An in-year goal's outcome benchmarks read a month's figure, an annual goal's the year's.
            outcomes = [b for b, _, _ in view.benchmarks if b.kind == Benchmark.Kind.OUTCOME]
            assert all(bool(b.period) == bool(goal.period) for b in outcomes), goal
            # Process benchmarks already due are marked once the supervisor has endorsed the plan.
            due = [b for b, _, _ in view.benchmarks if b.kind == Benchmark.Kind.PROCESS and b.due_on < today]
            marked = plan.status in (S.ENDORSED, S.APPROVED)
            assert all((b.met is not None) == marked for b in due), goal
            if goal.period and any(_month_over(year, m, today) for m in MONTHS):
                # An in-year goal: its outcome benchmarks on months already over show this year's figure.
                shown = [
                    (b, value)
                    for b, value, _ in view.benchmarks
                    if b.kind == Benchmark.Kind.OUTCOME and b.due_on < today
                ]
                assert shown and all(value is not None for _, value in shown), goal
        if plan.status != S.DRAFT:
            # The version kept at the last submission (and approval) shows the plan as it stands.
            kept = PlanVersion.objects.filter(plan=plan).order_by("-number").first()
            assert kept is not None and kept.snapshot == services.snapshot(plan), plan
            assert kept.status == (S.APPROVED if plan.status == S.APPROVED else S.SUBMITTED)
        if plan.status == S.APPROVED and quarter > 1:
            updates = ProgressUpdate.objects.filter(goal__plan=plan, school_year=year)
            assert set(updates.values_list("quarter", flat=True)) == set(range(1, quarter))
            assert updates.count() == len(views) * (quarter - 1)
    if quarter > 1:
        mix = set(ProgressUpdate.objects.values_list("status", flat=True))
        assert mix == set(ProgressUpdate.Status.values)
        assert not ProgressUpdate.objects.filter(evidence="").exists()
    assert not ProgressUpdate.objects.exclude(goal__plan__status=S.APPROVED).exists()

    # The monthly monitoring runs into this school year, up to the month begun.
    current, begun = months_begun(today)
    assert current == year
    if begun:
        last = f"{year + (begun[-1] < 7)}-{begun[-1]:02d}"
        assert Fact.objects.filter(
            organization__in=schools, metric__code="monitor_chronic_absence", school_year=year, period=last
        ).count() >= len(schools)

    # Run again: nothing added.
    before = (Plan.objects.count(), PlanEvent.objects.count(), ProgressUpdate.objects.count())
    assert plans_seed() == 0
    assert (Plan.objects.count(), PlanEvent.objects.count(), ProgressUpdate.objects.count()) == before
    assert "School improvement plans: already present." in demo.demo_seed(scale="demo").lines


def _month_over(year: int, month: int, today: dt.date) -> bool:
    start = dt.date(year + (month < 7), month, 1)
    following = dt.date(start.year + (month == 12), month % 12 + 1, 1)
    return following <= today
