"""Writers of a school's distributed-leadership guide: the guide itself, the team's ratings, the plan's
actions and their progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.notices.services import notify
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.teacherleaders import dimensions, rules
from edlead.teacherleaders.models import (
    ActionUpdate,
    LeadershipBody,
    LeadershipPlan,
    LeadershipRating,
    PlanAction,
)
from edlead.teacherleaders.services import NOTICE_ACTION, PLAN_CHANGED

CP = LeadershipRating.Checkpoint
ST = PlanAction.Status


def _audit(actor: Any, plan: LeadershipPlan, step: str, **detail: Any) -> None:
    audit_record(
        action=PLAN_CHANGED,
        actor=actor,
        target=plan,
        target_label=f"{plan.organization.name}: distributed leadership {plan.year_label}"[:255],
        detail={"step": step, **detail},
        scope=[plan.organization.path],
    )


def _require_edit(actor: Any, school: Organization) -> None:
    if actor is not None and not rules.may_edit_plan(actor, school):
        raise ApplicationError("Only the school's leaders change its distributed-leadership plan.")


def school_staff(school: Organization, on: dt.date | None = None) -> list[Person]:
    """Who may own an action: the people holding a current position at the school."""
    ids = Position.objects.current(on).filter(organization=school).values("person_id")
    return list(Person.objects.filter(pk__in=ids).order_by("last_name", "first_name", "pk"))


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    school: Organization,
    school_year: int,
    focus: str = "",
    team: LeadershipBody | None = None,
) -> LeadershipPlan:
    if school.kind != Organization.Kind.SCHOOL:
        raise ApplicationError("A distributed-leadership guide belongs to a school.")
    _require_edit(actor, school)
    if team is not None and team.organization_id != school.pk:
        raise ApplicationError("The team must be one of the school's own.")
    if LeadershipPlan.objects.filter(organization=school, school_year=school_year).exists():
        raise ApplicationError("The school already has a guide for that year.")
    plan = LeadershipPlan(organization=school, school_year=school_year, focus=focus.strip(), team=team)
    plan.full_clean()
    plan.save()
    _audit(actor, plan, "created")
    return plan


@transaction.atomic
def ratings_save(
    *, actor: Any, plan: LeadershipPlan, person: Person, checkpoint: str, levels: dict[str, int]
) -> int:
    """`person`'s ratings (dimension key → 1..4) at `checkpoint`, replacing theirs there. Every dimension
    is rated or none is: a half-done self-assessment would skew the team's averages."""
    if actor is not None and not rules.may_rate(actor, plan):
        raise ApplicationError("Only the school's leaders and the members of its team rate the school.")
    if checkpoint not in CP.values:
        raise ApplicationError("Choose the start, middle or end of the year.")
    missing = [d.name for d in dimensions.DIMENSIONS if d.key not in levels]
    if missing:
        raise ApplicationError(f"Rate every dimension: {', '.join(missing)} not rated.")
    for key, level in levels.items():
        if key not in dimensions.BY_KEY:
            raise ApplicationError(f"{key!r} is not a dimension of the guide.")
        if level not in dimensions.LEVELS:
            raise ApplicationError(f"{dimensions.BY_KEY[key].name}: a rating is from 1 to 4.")
    LeadershipRating.objects.filter(plan=plan, person=person, checkpoint=checkpoint).delete()
    rows = [
        LeadershipRating(plan=plan, person=person, checkpoint=checkpoint, dimension=k, level=v)
        for k, v in levels.items()
    ]
    for r in rows:
        r.full_clean(validate_unique=False)
    LeadershipRating.objects.bulk_create(rows)
    _audit(actor, plan, "rated", checkpoint=checkpoint, person=person.pk)
    return len(rows)


@transaction.atomic
def action_add(
    *,
    actor: Any,
    plan: LeadershipPlan,
    dimension: str,
    action: str,
    owner: Person,
    due_on: dt.date,
) -> PlanAction:
    _require_edit(actor, plan.organization)
    if dimension not in dimensions.BY_KEY:
        raise ApplicationError("Choose the dimension the action serves.")
    if owner.pk not in {p.pk for p in school_staff(plan.organization)}:
        raise ApplicationError(f"{owner.display_name} is not on the school's staff.")
    row = PlanAction(plan=plan, dimension=dimension, action=action.strip(), owner=owner, due_on=due_on)
    row.full_clean()
    row.save()
    _audit(actor, plan, "action added", action=row.pk, owner=owner.pk)
    transaction.on_commit(
        lambda: notify(
            person=owner,
            kind=NOTICE_ACTION,
            subject=f"An action is yours: {row.action}"[:200],
            body=f"{plan.organization.name}, distributed-leadership plan {plan.year_label}; due {due_on:%d %b %Y}.",
            link=row.get_absolute_url(),
            once_key=f"teacherleaders-action:{row.pk}",
        )
    )
    return row


@transaction.atomic
def action_update(*, actor: Any, action: PlanAction, status: str, note: str = "") -> ActionUpdate:
    """A progress update by the action's owner or the school's leaders."""
    row = (
        PlanAction.objects.select_for_update(of=("self",))
        .select_related("plan__organization")
        .get(pk=action.pk)
    )
    is_owner = getattr(actor, "person_id", None) == row.owner_id
    if actor is not None and not is_owner:
        _require_edit(actor, row.plan.organization)
    if status not in ST.values:
        raise ApplicationError("Choose a status.")
    if status == row.status and not note.strip():
        raise ApplicationError("Say what changed: a new status or a note.")
    row.status = status
    row.save(update_fields=["status", "updated_at"])
    update = ActionUpdate(
        action=row,
        status=status,
        note=note.strip(),
        author_id=getattr(actor, "person_id", None),
    )
    update.full_clean()
    update.save()
    _audit(actor, row.plan, "progress", action=row.pk, status=status)
    return update
