"""The Individual Professional Development Plan: the person drafts it (goals, dates, the licence it
serves, planned activities) with the platform's safe editing — versions, autosave, a status workflow —
sends it to their evaluator of record, who approves it or returns it with a note."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from edlead.access import policy
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.credentials.models import DevelopmentPlan, DevelopmentPlanEvent, Licence, PlannedActivity
from edlead.credentials.services import (
    NOTICE_PLAN,
    PDP_ADD,
    PLAN_APPROVE,
    PLAN_APPROVE_BOARD,
    PLAN_CHANGED,
    _check,
    _clean,
    _decimal,
    _user,
    known_categories,
)
from edlead.people.models import Person, Position

S = DevelopmentPlan.Status
EDITABLE = (S.DRAFT, S.RETURNED)
PLAN_FIELDS = ("starts_on", "ends_on", "goals", "licence")
PLAN_LABELS = {"starts_on": "Starts on", "ends_on": "Ends on", "goals": "Goals", "licence": "Licence"}


def _planned(plan: DevelopmentPlan, n: int, a: dict[str, Any], known: dict[str, Any]) -> PlannedActivity:
    if a.get("category") not in known:
        raise ApplicationError(f"Planned activity {n}: “{a.get('category')}” is not a renewal category.")
    row = PlannedActivity(
        plan=plan,
        title=str(a.get("title", "")).strip(),
        category=a["category"],
        pdps=_decimal(a.get("pdps", 0), f"Planned activity {n}: PDPs"),
        target_on=a.get("target_on"),
    )
    _clean(row)
    return row


def _licence_of(person: Person, licence: Licence | None) -> None:
    if licence is not None and licence.person_id != person.pk:
        raise ApplicationError("That licence is not this person's.")


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    person: Person,
    starts_on: dt.date,
    ends_on: dt.date,
    goals: str,
    activities: list[dict[str, Any]] | None = None,
    licence: Licence | None = None,
) -> DevelopmentPlan:
    """A draft plan with its planned activities (title, category, pdps, target_on)."""
    _check(actor, PDP_ADD, person)
    _licence_of(person, licence)
    plan = DevelopmentPlan(
        person=person, licence=licence, starts_on=starts_on, ends_on=ends_on, goals=goals.strip()
    )
    plan.mark_edited(actor)
    plan.version = 1
    _clean(plan)
    plan.save()
    known = known_categories()
    for n, a in enumerate(activities or [], start=1):
        _planned(plan, n, a, known).save()
    DevelopmentPlanEvent.objects.create(
        record=plan,
        actor=_user(actor),
        actor_label=editing.user_label(actor) if actor else "system",
        action="created",
        to_status=plan.status,
    )
    audit_record(action=PLAN_CHANGED, actor=actor, target=plan, detail={"step": "created"})
    return plan


def may_edit(user: Any, plan: DevelopmentPlan) -> bool:
    """The plan's owner, while it is a draft or returned for changes."""
    return plan.status in EDITABLE and plan.person_id == getattr(user, "person_id", None)


def _editable(actor: Any, plan: DevelopmentPlan) -> None:
    if actor is not None and plan.person_id != getattr(actor, "person_id", None):
        raise ApplicationError("Only the plan's owner changes it.")
    if plan.status not in EDITABLE:
        raise ApplicationError(
            f"The plan is “{plan.get_status_display()}”: it can be changed only as a draft or when returned."
        )


@transaction.atomic
def plan_save(
    *, actor: Any, plan: DevelopmentPlan, expected_version: int, changes: dict[str, Any]
) -> DevelopmentPlan:
    """Autosave of the plan's goals, dates and licence; a stale version raises `EditConflict`."""
    current = editing.lock(plan)
    _editable(actor, current)
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise ApplicationError(f"Not a field of the plan: {', '.join(sorted(unknown))}.")
    _licence_of(current.person, changes.get("licence"))
    if "goals" in changes:
        changes = {**changes, "goals": str(changes["goals"]).strip()}
    try:
        saved = editing.save_versioned(
            obj=current, expected_version=expected_version, changes=changes, actor=actor, labels=PLAN_LABELS
        )
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages)) from exc
    if saved.version != current.version:
        audit_record(action=PLAN_CHANGED, actor=actor, target=saved, detail={"step": "edited"})
    return saved


def _bump(actor: Any, plan: DevelopmentPlan) -> DevelopmentPlan:
    """A planned activity added or removed is a change of the plan: its version goes up, so an open
    form drawn from the older plan sees the conflict."""
    plan.version += 1
    plan.mark_edited(actor)
    plan.save(update_fields=["version", "edited_by", "edited_at", "updated_at"])
    return plan


@transaction.atomic
def planned_activity_add(*, actor: Any, plan: DevelopmentPlan, activity: dict[str, Any]) -> PlannedActivity:
    current = editing.lock(plan)
    _editable(actor, current)
    row = _planned(current, current.activities.count() + 1, activity, known_categories())
    row.save()
    _bump(actor, current)
    audit_record(
        action=PLAN_CHANGED,
        actor=actor,
        target=current,
        detail={"step": "activity added", "title": row.title},
    )
    return row


@transaction.atomic
def planned_activity_remove(*, actor: Any, plan: DevelopmentPlan, activity_id: int) -> None:
    current = editing.lock(plan)
    _editable(actor, current)
    row = current.activities.filter(pk=activity_id).first()
    if row is None:
        raise ApplicationError("That planned activity is no longer in the plan.")
    title = row.title
    row.delete()
    _bump(actor, current)
    audit_record(
        action=PLAN_CHANGED, actor=actor, target=current, detail={"step": "activity removed", "title": title}
    )


def _plan_step(
    *, actor: Any, plan: DevelopmentPlan, action: str, to: str, allowed_from: list[str], note: str = ""
) -> DevelopmentPlan:
    changes: dict[str, Any] = {}
    if to == S.APPROVED:
        changes = {"approved_by": _user(actor), "approved_at": timezone.now()}
    moved = editing.transition(
        obj=plan,
        action=action,
        to=to,
        allowed_from=allowed_from,
        actor=actor,
        event_model=DevelopmentPlanEvent,
        note=note,
        changes=changes,
    )
    audit_record(action=PLAN_CHANGED, actor=actor, target=moved, detail={"step": action, "note": note})
    return moved


def is_superintendent(person: Person, on: dt.date | None = None) -> bool:
    return Position.objects.current(on).filter(person=person, role=Position.Role.SUPERINTENDENT).exists()


def plan_may_approve(user: Any, plan: DevelopmentPlan) -> bool:
    """The evaluator of record: an evaluator recorded for the person or their supervision chain (a
    principal's supervisor, the superintendent); for a superintendent, a school committee member of
    their district."""
    if policy.can(user, PLAN_APPROVE, plan):
        return True
    return is_superintendent(plan.person) and policy.can(user, PLAN_APPROVE_BOARD, plan)


def plan_approvers(plan: DevelopmentPlan, on: dt.date | None = None) -> list[Person]:
    """Who is told a plan waits for approval (the people `plan_may_approve` lets decide)."""
    from edlead.access.models import Relationship, RoleGrant
    from edlead.people.selectors import person_positions, supervisors_of

    person = plan.person
    found: dict[int, Person] = {}
    for rel in (
        Relationship.objects.active(on)
        .filter(kind=Relationship.Kind.EVALUATOR, person=person)
        .select_related("holder")
    ):
        found.setdefault(rel.holder_id, rel.holder)
    positions = person_positions(person)
    for relation in supervisors_of(person, positions, on=on):
        found.setdefault(relation.person.pk, relation.person)
    if is_superintendent(person, on):
        paths = [p.organization.path for p in positions if p.is_current(on or dt.date.today())]
        for grant in RoleGrant.objects.filter(
            role=RoleGrant.Role.SCHOOL_COMMITTEE, revoked_at__isnull=True, user__person__isnull=False
        ).select_related("organization", "user__person"):
            member = grant.user.person
            if member is not None and any(path.startswith(grant.organization.path) for path in paths):
                found.setdefault(member.pk, member)
    found.pop(person.pk, None)
    return list(found.values())


@transaction.atomic
def plan_submit(*, actor: Any, plan: DevelopmentPlan) -> DevelopmentPlan:
    """The person sends their plan to their evaluator of record, who is notified."""
    from edlead.notices.services import notify_many

    if actor is not None and getattr(actor, "person_id", None) != plan.person_id:
        raise ApplicationError("Only the plan's owner submits it.")
    if not plan.goals.strip():
        raise ApplicationError("Write the plan's goals before sending it.")
    if not plan.activities.exists():
        raise ApplicationError("Add at least one planned activity before sending the plan.")
    moved = _plan_step(
        actor=actor, plan=plan, action="submitted", to=S.SUBMITTED, allowed_from=[S.DRAFT, S.RETURNED]
    )
    notify_many(
        people=plan_approvers(moved),
        kind=NOTICE_PLAN,
        subject=f"{moved.person.display_name}'s professional development plan waits for your approval",
        link=moved.get_absolute_url(),
        once_key=f"plan-submitted:{moved.pk}:{moved.version}",
    )
    return moved


@transaction.atomic
def plan_take_back(*, actor: Any, plan: DevelopmentPlan) -> DevelopmentPlan:
    """The owner takes a submitted plan back to change it, before anyone decides."""
    if actor is not None and getattr(actor, "person_id", None) != plan.person_id:
        raise ApplicationError("Only the plan's owner takes it back.")
    return _plan_step(actor=actor, plan=plan, action="taken_back", to=S.DRAFT, allowed_from=[S.SUBMITTED])


@transaction.atomic
def plan_decide(*, actor: Any, plan: DevelopmentPlan, approve: bool, note: str = "") -> DevelopmentPlan:
    """The evaluator of record approves the plan or returns it with a note; the owner is told."""
    from edlead.notices.services import notify_many

    if actor is not None and not plan_may_approve(actor, plan):
        raise ApplicationError("Only the evaluator of record approves this plan.")
    if not approve and not note.strip():
        raise ApplicationError("Say what to change when returning a plan.")
    moved = _plan_step(
        actor=actor,
        plan=plan,
        action="approved" if approve else "returned",
        to=S.APPROVED if approve else S.RETURNED,
        allowed_from=[S.SUBMITTED],
        note=note.strip(),
    )
    notify_many(
        people=[moved.person],
        kind=NOTICE_PLAN,
        subject="Your professional development plan was "
        + ("approved" if approve else "returned for changes"),
        link=moved.get_absolute_url(),
        once_key=f"plan-decided:{moved.pk}:{moved.version}",
    )
    return moved


# --- the work queue -----------------------------------------------------------------------------------
def queue_items(user: Any, today: dt.date) -> list[Any]:
    """Plans waiting for this user's decision, and their own plan when returned or still a draft: one
    query (a second only for a school committee member, for the superintendent's plan)."""
    from django.db.models import Q

    from edlead.access.models import RoleGrant
    from edlead.core import workqueue

    submitted = DevelopmentPlan.objects.filter(status=S.SUBMITTED)
    mine = Q(person_id=getattr(user, "person_id", None) or 0, status__in=EDITABLE)
    to_decide = Q(pk__in=policy.visible_to(user, submitted, PLAN_APPROVE).values("pk"))
    rows = list(DevelopmentPlan.objects.filter(mine | to_decide).select_related("person")[:100])
    if any(g.role == RoleGrant.Role.SCHOOL_COMMITTEE for g in policy.effective_grants(user)):
        superintendents = Position.objects.current(today).filter(role=Position.Role.SUPERINTENDENT)
        rows += list(
            policy.visible_to(user, submitted, PLAN_APPROVE_BOARD)
            .filter(person_id__in=superintendents.values("person_id"))
            .select_related("person")[:100]
        )
    items = []
    for plan in rows:
        own = plan.person_id == getattr(user, "person_id", None)
        if own:
            returned = plan.status == S.RETURNED
            title = (
                "Your development plan was returned: change it and send it again"
                if returned
                else ("Your development plan is a draft: send it for approval when it is ready")
            )
        else:
            returned, title = True, f"{plan.person.display_name}'s development plan waits for your approval"
        items.append(
            workqueue.WorkItem(
                title=title,
                url=plan.get_absolute_url(),
                source="credentials",
                detail=f"{plan.starts_on:%b %Y} – {plan.ends_on:%b %Y}",
                waiting=returned,
            )
        )
    return items
