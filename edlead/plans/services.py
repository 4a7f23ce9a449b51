"""The only writers of school improvement plans: a plan and its parts here; its workflow and progress in
`services_workflow`, the district's strategy and template in `services_strategy` (both re-exported
here, so callers write `services.plan_submit`), the shared checks in `checks`.

Who may do what (the access matrix, `edlead.access.policy`): a school's leaders draft and revise its plan
and report its progress (`plan.edit`); the principal supervisor returns a submitted plan with comments or
endorses it (`plan.endorse`); the superintendent approves an endorsed plan (`plan.approve`) — an assistant
superintendent, whose position gives the superintendent's role too, only where the district's setting
`plans.assistant_superintendent_approves` says so. Administrators keep plans running but decide none.

The plan's own fields save with the platform's version check (autosave), a goal's with its own;
transitions go through `editing.transition` (row lock, allowed from-states, an append-only event).
A plan's content changes only as a draft or when returned; once approved, its action steps' status,
its process benchmarks and its quarterly progress are what the school keeps up to date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction

from edlead.access import policy
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.metrics.models import Metric, StudentGroup
from edlead.orgs.models import Organization
from edlead.people.models import Person
from edlead.plans.checks import (  # noqa: F401 (the constants and checks callers read from here)
    ASSISTANT_APPROVES,
    AUDIT_VERBS,
    EDITABLE,
    GOAL_FIELDS,
    NOTICE_PLAN,
    PLAN_CHANGED,
    PLAN_FIELDS,
    PLAN_LABELS,
    S,
    _audit,
    _check_owner,
    _clean,
    _decimal,
    _editable,
    _keeping,
    _require,
    _touch,
    _within_period,
    _year_within,
    declare_settings,
    period_bounds,
    quarter_of,
    school_people_q,
)
from edlead.plans.models import (
    ActionStep,
    Benchmark,
    Goal,
    Objective,
    Plan,
    PlanEvent,
    Strategy,
    TeamMember,
)
from edlead.plans.services_strategy import (  # noqa: F401 (re-exported: callers write services.…)
    STRATEGY_FIELDS,
    objective_add,
    objective_remove,
    objectives_of,
    strategy_create,
    strategy_for,
    strategy_save,
    template_for,
)
from edlead.plans.services_workflow import (  # noqa: F401 (re-exported: callers write services.…)
    may_approve,
    plan_approve,
    plan_endorse,
    plan_reopen,
    plan_return,
    plan_submit,
    progress_report,
    snapshot,
)


# --- creating and editing a plan -------------------------------------------------------------------------------
def _template_of(school: Organization) -> Plan | None:
    if school.district_id is None:
        return None
    return (
        Plan.objects.filter(organization_id=school.district_id, is_template=True)
        .prefetch_related("goals__strategies", "goals__benchmarks")
        .order_by("-first_year", "-pk")
        .first()
    )


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    school: Organization,
    first_year: int,
    last_year: int,
    title: str = "",
    from_template: bool = True,
) -> Plan:
    """A draft plan for a school, aligned to its district's strategy, started from the district's
    template when there is one (its goals and strategies, set to the plan's first year)."""
    _require(actor, policy.PLAN_EDIT, school, "write this school's plan")
    if school.kind != Organization.Kind.SCHOOL:
        raise ApplicationError("A school improvement plan belongs to a school.")
    years = f"{first_year}-{(last_year + 1) % 100:02d}"
    plan = Plan(
        organization=school,
        strategic_plan=strategy_for(school, first_year),
        title=title.strip() or f"{school.name} improvement plan {years}",
        first_year=first_year,
        last_year=last_year,
    )
    plan.mark_edited(actor)
    plan.version = 1
    _clean(plan)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:
        raise ApplicationError("This school already has a plan starting that school year.") from exc
    template = _template_of(school) if from_template else None
    if template is not None:
        _copy_goals(template, plan)
    PlanEvent.objects.create(
        record=plan,
        actor=plan.edited_by,
        actor_label=editing.user_label(actor) if actor else "system",
        action="created",
        to_status=plan.status,
        note="Started from the district's template." if template is not None else "",
    )
    _audit(plan, actor, "created")
    return plan


def _copy_goals(template: Plan, plan: Plan) -> None:
    objectives = {o.code: o for o in objectives_of(plan)}
    for goal in template.goals.all():
        copy = Goal.objects.create(
            plan=plan,
            order=goal.order,
            objective=objectives.get(goal.objective.code) if goal.objective_id and goal.objective else None,
            statement=goal.statement,
            metric_id=goal.metric_id,
            group_id=goal.group_id,
            school_year=plan.last_year,
            period=_same_month(goal.period, plan.last_year),
            target=goal.target,
        )
        Strategy.objects.bulk_create(
            Strategy(goal=copy, order=s.order, text=s.text) for s in goal.strategies.all()
        )


def _same_month(period: str, year: int) -> str:
    """A template goal's month ("2026-05") moved into school year `year`; a whole year stays whole."""
    if len(period) != 7 or period[4] != "-" or not period[5:].isdigit():
        return ""
    month = int(period[5:])
    return f"{year if month >= 7 else year + 1}-{month:02d}"


@transaction.atomic
def plan_save(*, actor: Any, plan: Plan, expected_version: int, changes: Mapping[str, Any]) -> Plan:
    """The plan's title, summary and years (autosave); a stale version raises `EditConflict`."""
    current = _editable(actor, plan)
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise ApplicationError(f"Not a field of the plan: {', '.join(sorted(unknown))}.")
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}
    first = cleaned.get("first_year", current.first_year)
    last = cleaned.get("last_year", current.last_year)
    outside = current.goals.exclude(school_year__gte=first, school_year__lte=last).first()
    if outside is not None:
        raise ApplicationError(
            f"The goal “{outside}” is measured in {outside.school_year}-{(outside.school_year + 1) % 100:02d}, "
            "outside these years: change the goal first."
        )
    saved = editing.save_versioned(
        obj=current, expected_version=expected_version, changes=cleaned, actor=actor, labels=PLAN_LABELS
    )
    _audit(saved, actor, "edited", fields=sorted(cleaned))
    return saved


def _goal_values(plan: Plan, data: Mapping[str, Any]) -> dict[str, Any]:
    """The goal's fields from a form or a caller, checked: a metric and group the catalog has, a school
    year inside the plan, a target (a goal must be measurable), numbers that are numbers."""
    statement = str(data.get("statement") or "").strip()
    if not statement:
        raise ApplicationError("Write the goal: what will be different, for whom.")
    metric = data.get("metric")
    if not isinstance(metric, Metric):
        metric = Metric.objects.filter(pk=metric).first() if metric else None
    if metric is None:
        raise ApplicationError("Choose the metric that measures the goal.")
    group = data.get("group")
    if not isinstance(group, StudentGroup):
        group = StudentGroup.objects.filter(pk=group).first() if group else None
    if group is None:
        group = StudentGroup.objects.filter(code="all").first()
    if group is None:
        raise ApplicationError("Choose the student group the goal is about.")
    available = {c.strip() for c in (metric.groups_available or "").split(",") if c.strip()}
    if available and group.code not in available:
        raise ApplicationError(f"{metric.name} is not reported for {group.name}.")
    try:
        year = int(data.get("school_year") or 0)
    except (TypeError, ValueError) as exc:
        raise ApplicationError("Choose the school year the target is for.") from exc
    _year_within(plan, year, "The goal's target")
    objective = data.get("objective")
    if objective is not None and not isinstance(objective, Objective):
        objective = Objective.objects.filter(pk=objective).first()
    if objective is not None and (
        plan.strategic_plan_id is None or objective.strategic_plan_id != plan.strategic_plan_id
    ):
        raise ApplicationError("That objective is not one of the district's strategy this plan follows.")
    return {
        "statement": statement,
        "objective": objective,
        "metric": metric,
        "group": group,
        "school_year": year,
        "period": str(data.get("period") or "").strip(),
        "baseline": _decimal(data.get("baseline"), "The baseline", required=False),
        "target": _decimal(data.get("target"), "The target", required=True),
    }


@transaction.atomic
def goal_add(*, actor: Any, plan: Plan, data: Mapping[str, Any], programs: Iterable[Any] = ()) -> Goal:
    current = _editable(actor, plan)
    values = _goal_values(current, data)
    goal = Goal(plan=current, order=current.goals.count() + 1, **values)
    _clean(goal)
    goal.save()
    goal.programs.set(list(programs))
    _touch(current, actor)
    _audit(current, actor, "goal added", goal=goal.pk)
    return goal


@transaction.atomic
def goal_update(
    *,
    actor: Any,
    goal: Goal,
    expected_version: int,
    data: Mapping[str, Any],
    programs: Iterable[Any] | None = None,
) -> Goal:
    """Change a goal; refused with `EditConflict` when the plan changed since the form was drawn and the
    goal's saved values differ from the submitted ones (nobody's change is lost silently)."""
    current = _editable(actor, goal.plan)
    values = _goal_values(current, data)
    row = Goal.objects.select_for_update().get(pk=goal.pk, plan=current)
    saved = {k: getattr(row, k) for k in values}
    editing.check_version(current, expected_version, saved=saved, submitted=values)
    for k, v in values.items():
        setattr(row, k, v)
    _clean(row)
    row.save()
    if programs is not None:
        row.programs.set(list(programs))
    _touch(current, actor)
    _audit(current, actor, "goal changed", goal=row.pk)
    return row


def _plan_part_remove(actor: Any, plan: Plan, row: Any, what: str) -> None:
    current = _editable(actor, plan)
    row.delete()
    _touch(current, actor)
    _audit(current, actor, f"{what} removed")


@transaction.atomic
def goal_remove(*, actor: Any, goal: Goal) -> None:
    _plan_part_remove(actor, goal.plan, goal, "goal")


@transaction.atomic
def strategy_add(*, actor: Any, goal: Goal, text: str) -> Strategy:
    current = _editable(actor, goal.plan)
    if not text.strip():
        raise ApplicationError("Write the strategy.")
    row = Strategy(goal=goal, text=text.strip(), order=goal.strategies.count() + 1)
    _clean(row)
    row.save()
    _touch(current, actor)
    _audit(current, actor, "strategy added", goal=goal.pk)
    return row


@transaction.atomic
def strategy_remove(*, actor: Any, strategy: Strategy) -> None:
    _plan_part_remove(actor, strategy.goal.plan, strategy, "strategy")


@transaction.atomic
def step_add(
    *, actor: Any, strategy: Strategy, description: str, owner: Person, due_on: dt.date
) -> ActionStep:
    """An action step: owned by someone at the school or in its district's offices, due inside the plan."""
    plan = strategy.goal.plan
    current = _editable(actor, plan)
    if not description.strip():
        raise ApplicationError("Say what the step is.")
    _check_owner(current.organization, owner, "The step's owner")
    _within_period(current, due_on, "The step's due date")
    row = ActionStep(strategy=strategy, description=description.strip(), owner=owner, due_on=due_on)
    _clean(row)
    row.save()
    _touch(current, actor)
    _audit(current, actor, "step added", strategy=strategy.pk)
    return row


@transaction.atomic
def step_remove(*, actor: Any, step: ActionStep) -> None:
    _plan_part_remove(actor, step.strategy.goal.plan, step, "step")


@transaction.atomic
def step_set_status(*, actor: Any, step: ActionStep, status: str) -> ActionStep:
    """How far a step is: while the plan is written, and once approved (what the school keeps up to date)."""
    plan = _keeping(actor, step.strategy.goal.plan)
    if status not in ActionStep.Status.values:
        raise ApplicationError(f"“{status}” is not a step status.")
    step.status = status
    step.save(update_fields=["status"])
    _audit(plan, actor, "step status", step_id=step.pk, status=status)
    return step


@transaction.atomic
def benchmark_add(
    *,
    actor: Any,
    goal: Goal,
    kind: str,
    description: str,
    due_on: dt.date,
    target: Any = None,
    school_year: int | None = None,
    period: str = "",
) -> Benchmark:
    """A process benchmark (done by a date) or an outcome benchmark (the goal's metric at a point of the
    year, with a target), due inside the plan."""
    current = _editable(actor, goal.plan)
    if kind not in Benchmark.Kind.values:
        raise ApplicationError("A benchmark is a process or an outcome benchmark.")
    if not description.strip():
        raise ApplicationError("Describe the benchmark.")
    _within_period(current, due_on, "The benchmark's date")
    row = Benchmark(goal=goal, kind=kind, description=description.strip(), due_on=due_on)
    if kind == Benchmark.Kind.OUTCOME:
        row.target = _decimal(target, "The benchmark's target", required=True)
        row.school_year = school_year or (due_on.year if due_on.month >= 7 else due_on.year - 1)
        _year_within(current, row.school_year, "The benchmark")
        # The figure the goal is measured by: a month's for in-year monitoring, else the whole year's.
        monthly = bool(goal.period) or goal.metric.code.startswith("monitor_")
        row.period = period.strip() or (f"{due_on:%Y-%m}" if monthly else "")
    _clean(row)
    row.save()
    _touch(current, actor)
    _audit(current, actor, "benchmark added", goal=goal.pk)
    return row


@transaction.atomic
def benchmark_remove(*, actor: Any, benchmark: Benchmark) -> None:
    _plan_part_remove(actor, benchmark.goal.plan, benchmark, "benchmark")


@transaction.atomic
def benchmark_mark(*, actor: Any, benchmark: Benchmark, met: bool | None) -> Benchmark:
    """A process benchmark met or not (outcome benchmarks read their actual value from the metrics)."""
    plan = _keeping(actor, benchmark.goal.plan)
    if benchmark.kind != Benchmark.Kind.PROCESS:
        raise ApplicationError("An outcome benchmark is met by its figure, read from the school's data.")
    benchmark.met = met
    benchmark.save(update_fields=["met"])
    _audit(plan, actor, "benchmark marked", benchmark=benchmark.pk, met=met)
    return benchmark


@transaction.atomic
def team_add(*, actor: Any, plan: Plan, person: Person, role: str = "Member") -> TeamMember:
    """A member of the school's leadership team or council: someone who works at the school."""
    current = _editable(actor, plan)
    _check_owner(current.organization, person, "The team member", school_only=True)
    row = TeamMember(plan=current, person=person, role=role.strip() or "Member")
    _clean(row)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise ApplicationError(f"{person.display_name} is already on the team.") from exc
    _touch(current, actor)
    _audit(current, actor, "team member added", person=person.pk)
    return row


@transaction.atomic
def team_remove(*, actor: Any, member: TeamMember) -> None:
    _plan_part_remove(actor, member.plan, member, "team member")
