"""The only writers of school improvement plans.

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
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from edlead import config
from edlead.access import policy
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.metrics.models import Metric, StudentGroup
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.plans.models import (
    ActionStep,
    Benchmark,
    Goal,
    Objective,
    Plan,
    PlanEvent,
    PlanVersion,
    ProgressUpdate,
    StrategicPlan,
    Strategy,
    TeamMember,
)

S = Plan.Status
EDITABLE = (S.DRAFT, S.RETURNED)
PLAN_CHANGED = "plan_changed"
AUDIT_VERBS = {PLAN_CHANGED: "School improvement plan changed"}
NOTICE_PLAN = "plans.workflow"
ASSISTANT_APPROVES = "plans.assistant_superintendent_approves"
PLAN_FIELDS = ("title", "summary", "first_year", "last_year")
PLAN_LABELS = {
    "title": "Title",
    "summary": "Summary",
    "first_year": "First school year",
    "last_year": "Last school year",
}
GOAL_FIELDS = ("statement", "objective", "metric", "group", "school_year", "period", "baseline", "target")


def declare_settings() -> None:
    config.register(
        ASSISTANT_APPROVES,
        "An assistant superintendent may approve school improvement plans",
        config.BOOL,
        False,
        "School improvement plans are approved by the superintendent. Turn this on to let an assistant "
        "superintendent approve them too.",
        section="School improvement plans",
    )


# --- helpers -----------------------------------------------------------------------------------------------
def _clean(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise ApplicationError(" ".join(_messages(exc))) from exc


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for field, ms in exc.message_dict.items() for m in ms]
    return list(exc.messages)


def _require(actor: Any, action: str, obj: Any, what: str) -> None:
    if actor is not None and not policy.can(actor, action, obj):
        raise ApplicationError(f"You may not {what}.")


def _audit(plan: Plan, actor: Any, step: str, **detail: Any) -> None:
    audit_record(action=PLAN_CHANGED, actor=actor, target=plan, detail={"step": step, **detail})


def _touch(plan: Plan, actor: Any) -> None:
    """A change of the plan's content: the plan's version goes up, so a form drawn before it is stale."""
    plan.mark_edited(actor)
    plan.save(update_fields=["version", "edited_by", "edited_at", "updated_at"])


def _editable(actor: Any, plan: Plan) -> Plan:
    current = editing.lock(plan)
    _require(actor, policy.PLAN_EDIT, current, "change this plan")
    if current.status not in EDITABLE:
        raise ApplicationError(
            f"The plan is “{current.get_status_display()}”: its content changes only as a draft or when "
            "returned."
        )
    return current


def _keeping(actor: Any, plan: Plan) -> Plan:
    """The plan locked for an update of how its work goes (step status, benchmarks met, progress),
    which its editors keep up whatever its status."""
    current = editing.lock(plan)
    _require(actor, policy.PLAN_EDIT, current, "update this plan")
    return current


def period_bounds(plan: Plan) -> tuple[dt.date, dt.date]:
    """The plan's first and last day: July 1 of its first school year to June 30 after its last."""
    return dt.date(plan.first_year, 7, 1), dt.date(plan.last_year + 1, 6, 30)


def _within_period(plan: Plan, day: dt.date, what: str) -> None:
    first, last = period_bounds(plan)
    if not first <= day <= last:
        raise ApplicationError(
            f"{what}: {day:%B %-d, %Y} is outside the plan's period ({first:%B %-d, %Y} to "
            f"{last:%B %-d, %Y})."
        )


def _year_within(plan: Plan, year: int, what: str) -> None:
    if year not in plan.years:
        raise ApplicationError(f"{what}: the school year {year}-{(year + 1) % 100:02d} is outside the plan.")


def _decimal(raw: Any, what: str, *, required: bool) -> Decimal | None:
    if raw in (None, ""):
        if required:
            raise ApplicationError(f"{what} is needed: what number will show the goal is met?")
        return None
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ApplicationError(f"{what}: “{raw}” is not a number.") from exc
    if not value.is_finite() or abs(value) >= Decimal("1e10"):
        raise ApplicationError(f"{what}: “{raw}” is not a usable number.")
    return value


def school_people_q(school: Organization) -> Q:
    """Current positions at the school, or in its district's own offices (the district and its units
    that are not schools: departments, networks)."""
    district = school.district if school.district_id else None
    if district is None:
        return Q(organization=school)
    return Q(organization=school) | (
        Q(organization__path__startswith=district.path) & ~Q(organization__kind=Organization.Kind.SCHOOL)
    )


def _check_owner(school: Organization, person: Person, what: str, *, school_only: bool = False) -> None:
    today = timezone.localdate()
    positions = Position.objects.current(today).filter(person=person)
    scope = Q(organization=school) if school_only else school_people_q(school)
    if not positions.filter(scope).exists():
        where = "the school" if school_only else "the school or its district's offices"
        raise ApplicationError(f"{what}: {person.display_name} does not work at {where}.")


# --- the district's strategy -----------------------------------------------------------------------------------
@transaction.atomic
def strategy_create(
    *,
    actor: Any,
    district: Organization,
    title: str,
    theory_of_action: str,
    first_year: int,
    last_year: int,
    objectives: Iterable[tuple[str, str]] = (),
) -> StrategicPlan:
    """A district's strategy with its objectives ((code, title) pairs). District administrators."""
    _require(actor, policy.ORG_MANAGE, district, "set the district's strategy")
    if district.kind != Organization.Kind.DISTRICT:
        raise ApplicationError("A strategic plan belongs to a district.")
    plan = StrategicPlan(
        organization=district,
        title=title.strip(),
        theory_of_action=theory_of_action.strip(),
        first_year=first_year,
        last_year=last_year,
    )
    plan.mark_edited(actor)
    plan.version = 1
    _clean(plan)
    plan.save()
    for n, (code, name) in enumerate(objectives, start=1):
        row = Objective(strategic_plan=plan, code=str(code).strip(), title=str(name).strip(), order=n)
        _clean(row)
        row.save()
    audit_record(
        action=PLAN_CHANGED, actor=actor, target=district, detail={"step": "strategy", "id": plan.pk}
    )
    return plan


def objectives_of(plan: Plan) -> list[Objective]:
    """The objectives of the district strategy the plan follows (none without one)."""
    return list(plan.strategic_plan.objectives.all()) if plan.strategic_plan is not None else []


def strategy_for(school: Organization, year: int) -> StrategicPlan | None:
    """The strategy of the school's district that covers `year` (the latest such)."""
    if school.district_id is None:
        return None
    return (
        StrategicPlan.objects.filter(
            organization_id=school.district_id, first_year__lte=year, last_year__gte=year
        )
        .order_by("-first_year", "-pk")
        .first()
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
            period=goal.period,
            target=goal.target,
        )
        Strategy.objects.bulk_create(
            Strategy(goal=copy, order=s.order, text=s.text) for s in goal.strategies.all()
        )


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
        row.period = period.strip() or f"{due_on:%Y-%m}"
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


# --- the workflow --------------------------------------------------------------------------------------------
def snapshot(plan: Plan) -> dict[str, Any]:
    """The whole plan as data (what a version keeps)."""
    goals = (
        plan.goals.select_related("metric", "group", "objective")
        .prefetch_related("strategies__steps__owner", "benchmarks", "programs")
        .order_by("order", "pk")
    )
    return {
        "title": plan.title,
        "summary": plan.summary,
        "years": [plan.first_year, plan.last_year],
        "goals": [
            {
                "statement": g.statement,
                "objective": str(g.objective) if g.objective else "",
                "metric": g.metric.name,
                "group": g.group.name,
                "school_year": g.school_year,
                "period": g.period,
                "baseline": str(g.baseline) if g.baseline is not None else None,
                "target": str(g.target),
                "strategies": [
                    {
                        "text": s.text,
                        "steps": [
                            {
                                "description": st.description,
                                "owner": st.owner.display_name,
                                "due_on": st.due_on.isoformat(),
                                "status": st.status,
                            }
                            for st in s.steps.all()
                        ],
                    }
                    for s in g.strategies.all()
                ],
                "benchmarks": [
                    {
                        "kind": b.kind,
                        "description": b.description,
                        "due_on": b.due_on.isoformat(),
                        "target": str(b.target) if b.target is not None else None,
                    }
                    for b in g.benchmarks.all()
                ],
                "programs": [p.title for p in g.programs.all()],
            }
            for g in goals
        ],
        "team": [
            {"person": m.person.display_name, "role": m.role}
            for m in plan.team.select_related("person").order_by("pk")
        ],
    }


def _keep_version(plan: Plan, actor: Any) -> None:
    PlanVersion.objects.update_or_create(
        plan=plan,
        number=plan.version,
        defaults={
            "status": plan.status,
            "snapshot": snapshot(plan),
            "created_by_label": editing.user_label(actor) if actor else "system",
        },
    )


def _move(
    actor: Any, plan: Plan, *, action: str, to: str, allowed: Iterable[str], note: str = "", **changes: Any
) -> Plan:
    moved = editing.transition(
        obj=plan,
        action=action,
        to=to,
        allowed_from=allowed,
        actor=actor,
        event_model=PlanEvent,
        note=note,
        changes=changes or None,
    )
    _audit(moved, actor, action)
    return moved


def _people_with(action: str, plan: Plan) -> list[Person]:
    """The people whose positions give them `action` on the plan's school: its leaders (edit), its
    supervisor (endorse), the district's superintendent (approve)."""
    from edlead.people.selectors import supervisors_for_schools

    today = timezone.localdate()
    school = plan.organization
    if action == policy.PLAN_ENDORSE:
        found = supervisors_for_schools([school], on=today).get(school.pk)
        return [found] if found is not None else []
    if action == policy.PLAN_APPROVE:
        roles = [Position.Role.SUPERINTENDENT]
        where = Q(organization_id=school.district_id)
    else:
        roles = [Position.Role.PRINCIPAL, Position.Role.ASSISTANT_PRINCIPAL]
        where = Q(organization=school)
    ids = Position.objects.current(today).filter(where, role__in=roles).values("person_id")
    return list(Person.objects.filter(pk__in=ids))


def _tell(plan: Plan, action: str, subject: str, body: str) -> None:
    from edlead.notices.services import notify_many

    people = _people_with(action, plan)
    if people:
        notify_many(
            people=people,
            kind=NOTICE_PLAN,
            subject=subject,
            body=body,
            link=reverse("plans:plan-detail", args=[plan.pk]),
            once_key=f"plan:{plan.pk}:v{plan.version}:{action}",
        )


@transaction.atomic
def plan_submit(*, actor: Any, plan: Plan) -> Plan:
    """Send the plan to the supervisor: it needs at least one goal, and every goal a strategy."""
    _require(actor, policy.PLAN_EDIT, plan, "submit this plan")
    goals = list(plan.goals.prefetch_related("strategies"))
    if not goals:
        raise ApplicationError("Add at least one goal before submitting the plan.")
    bare = [g for g in goals if not g.strategies.all()]
    if bare:
        raise ApplicationError(f"Give every goal a strategy before submitting; “{bare[0]}” has none.")
    moved = _move(actor, plan, action="submitted", to=S.SUBMITTED, allowed=EDITABLE)
    _keep_version(moved, actor)
    _tell(
        moved,
        policy.PLAN_ENDORSE,
        f"{moved.organization.name}'s improvement plan is submitted",
        f"{editing.user_label(actor)} submitted “{moved.title}” for your review: endorse it or return it "
        "with comments.",
    )
    return moved


@transaction.atomic
def plan_return(*, actor: Any, plan: Plan, comments: str) -> Plan:
    """Back to the school with the supervisor's (or the superintendent's) comments, which are required."""
    if not comments.strip():
        raise ApplicationError("Write the comments the school should act on.")
    may_endorse = policy.can(actor, policy.PLAN_ENDORSE, plan)
    if not (may_endorse or may_approve(actor, plan)):
        raise ApplicationError("You may not return this plan.")
    allowed = [S.SUBMITTED] if may_endorse and plan.status == S.SUBMITTED else [S.ENDORSED, S.SUBMITTED]
    moved = _move(actor, plan, action="returned", to=S.RETURNED, allowed=allowed, note=comments.strip())
    _tell(
        moved,
        policy.PLAN_EDIT,
        "Your improvement plan was returned with comments",
        f"{editing.user_label(actor)} returned “{moved.title}”: {comments.strip()[:500]}",
    )
    return moved


@transaction.atomic
def plan_endorse(*, actor: Any, plan: Plan, note: str = "") -> Plan:
    _require(actor, policy.PLAN_ENDORSE, plan, "endorse this plan")
    moved = _move(actor, plan, action="endorsed", to=S.ENDORSED, allowed=[S.SUBMITTED], note=note.strip())
    _tell(
        moved,
        policy.PLAN_APPROVE,
        f"{moved.organization.name}'s improvement plan waits for your approval",
        f"{editing.user_label(actor)} endorsed “{moved.title}”.",
    )
    return moved


def may_approve(user: Any, plan: Plan) -> bool:
    """The superintendent of the plan's district; an assistant superintendent (whose position gives the
    same role) only where the district's setting allows it."""
    if not policy.can(user, policy.PLAN_APPROVE, plan):
        return False
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return True  # an explicit superintendent grant, not a position
    held = set(
        Position.objects.current(timezone.localdate())
        .filter(person_id=person_id, organization__path__startswith=_district_path(plan))
        .values_list("role", flat=True)
    )
    if Position.Role.SUPERINTENDENT in held:
        return True
    if Position.Role.ASSISTANT_SUPERINTENDENT in held:
        return bool(config.setting(plan.organization, ASSISTANT_APPROVES))
    return True


def _district_path(plan: Plan) -> str:
    district = plan.organization.district
    return (district or plan.organization).path


@transaction.atomic
def plan_approve(*, actor: Any, plan: Plan, note: str = "") -> Plan:
    if actor is not None and not may_approve(actor, plan):
        raise ApplicationError("Only the superintendent approves school improvement plans here.")
    moved = _move(
        actor,
        plan,
        action="approved",
        to=S.APPROVED,
        allowed=[S.ENDORSED],
        note=note.strip(),
        approved_at=timezone.now(),
    )
    _keep_version(moved, actor)
    _tell(
        moved,
        policy.PLAN_EDIT,
        "Your improvement plan is approved",
        f"{editing.user_label(actor)} approved “{moved.title}”. Report progress on each goal every quarter.",
    )
    return moved


@transaction.atomic
def plan_reopen(*, actor: Any, plan: Plan, reason: str) -> Plan:
    """An approved plan back to a draft for revision (the approved version is kept)."""
    _require(actor, policy.PLAN_EDIT, plan, "revise this plan")
    if not reason.strip():
        raise ApplicationError("Say why the plan is being revised.")
    return _move(actor, plan, action="reopened", to=S.DRAFT, allowed=[S.APPROVED], note=reason.strip())


# --- progress -------------------------------------------------------------------------------------------
def quarter_of(day: dt.date) -> tuple[int, int]:
    """(school year, quarter) of a day: July–September is Q1 … April–June Q4."""
    year = day.year if day.month >= 7 else day.year - 1
    return year, ((day.month - 7) % 12) // 3 + 1


@transaction.atomic
def progress_report(
    *, actor: Any, goal: Goal, school_year: int, quarter: int, status: str, evidence: str
) -> ProgressUpdate:
    """This quarter's progress on a goal of an approved plan (a second report of the quarter replaces
    the first)."""
    plan = _keeping(actor, goal.plan)
    if plan.status != S.APPROVED:
        raise ApplicationError("Progress is reported on an approved plan.")
    if status not in ProgressUpdate.Status.values:
        raise ApplicationError("Say whether the goal is on track, at risk or off track.")
    if not evidence.strip():
        raise ApplicationError("Give the evidence for this quarter's status.")
    _year_within(plan, school_year, "The progress report")
    if not 1 <= int(quarter) <= 4:
        raise ApplicationError("A quarter is 1 to 4.")
    row, _ = ProgressUpdate.objects.update_or_create(
        goal=goal,
        school_year=school_year,
        quarter=quarter,
        defaults={
            "status": status,
            "evidence": evidence.strip(),
            "reported_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    _audit(plan, actor, "progress", goal=goal.pk, quarter=quarter, status=status)
    return row
