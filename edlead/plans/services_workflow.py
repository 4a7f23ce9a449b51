"""The steps of a school improvement plan — submitted, returned with comments, endorsed, approved, reopened —
with the versions kept and the people told, and the quarterly progress on an approved plan."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from edlead import config
from edlead.access import policy
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.people.models import Person, Position
from edlead.plans.checks import (
    ASSISTANT_APPROVES,
    EDITABLE,
    NOTICE_PLAN,
    S,
    _audit,
    _keeping,
    _require,
    _year_within,
)
from edlead.plans.models import (
    Goal,
    Plan,
    PlanEvent,
    PlanVersion,
    ProgressUpdate,
)


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
    if plan.is_template:
        raise ApplicationError("A template is not submitted: school plans start from it.")
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
