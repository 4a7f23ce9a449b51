"""Writing the learning records: the catalog's data, registration with capacity and a waitlist that
promotes the next person when a seat comes free (with a notice), cancellation. Registration locks the
session's row, so two people racing for the last seat never overbook."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.learning.models import Competency, Enrollment, Session
from edlead.people.models import Person

COMPETENCIES_FILE = Path(__file__).resolve().parent / "data" / "competencies.json"
NOTICE_SEAT = "learning.seat"
NOTICE_APPROVAL = "learning.approval"
NOTICE_DECIDED = "learning.decided"
ENROLLMENT_APPROVE = "learning.enrollment_approve"  # declared in apps.py: the person's evaluator, chain
LEARNING_RECORD = "learning.record_view"  # a person's enrollments and certificates on their record
COHORT_VIEW = "learning.cohort_view"  # a cohort's page, meetings, resources and posts: its members
GROWTH_VIEW = "learning.growth_view"  # a person's competency ratings: themselves and who supports them
ENROLLED = "learning_enrolled"
PENDING = "learning_pending"
APPROVED = "learning_approved"
DECLINED = "learning_declined"
WAITLISTED = "learning_waitlisted"
CANCELLED = "learning_enrollment_cancelled"
PROMOTED = "learning_promoted"
AUDIT_VERBS = {
    ENROLLED: "Enrolled in a session",
    WAITLISTED: "Put on a session's waitlist",
    CANCELLED: "Enrollment cancelled",
    PROMOTED: "Moved from the waitlist into a seat",
    PENDING: "Registration sent for supervisor approval",
    APPROVED: "Registration approved",
    DECLINED: "Registration not approved",
}
S = Enrollment.Status
ACTIVE = (S.PENDING, S.ENROLLED, S.WAITLISTED, S.COMPLETED)


def load_competencies(path: Path = COMPETENCIES_FILE) -> int:
    """The competency topics from the data file: added or renamed by code, never removed."""
    rows = json.loads(path.read_text(encoding="utf-8"))["competencies"]
    changed = 0
    for order, (code, name) in enumerate(rows):
        _, created = Competency.objects.update_or_create(code=code, defaults={"name": name, "order": order})
        changed += int(created)
    return changed


def may_register(user: Any, session: Session, person: Person) -> bool:
    """A person registers themselves; a coordinator of the program registers anyone."""
    if getattr(user, "person_id", None) == person.pk:
        return policy.can(user, policy.PROGRAM_VIEW, session.program)
    return policy.can(user, policy.PROGRAM_MANAGE, session.program)


def _locked_session(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("program").get(pk=session.pk)


@transaction.atomic
def register(*, actor: Any, session: Session, person: Person) -> Enrollment:
    """A seat when one is free, else a place at the end of the waitlist. Refused: a cancelled or past
    session, an inactive program, someone already enrolled or waiting."""
    current = _locked_session(session)  # every registration for this session waits here: no overbooking
    if actor is not None and not may_register(actor, current, person):
        raise ApplicationError("You may register only yourself for this program.")
    if current.cancelled or not current.program.active:
        raise ApplicationError("This session is not open for registration.")
    if current.starts_at <= timezone.now():
        raise ApplicationError("This session has already started.")
    existing = Enrollment.objects.filter(session=current, person=person).first()
    if existing is not None and existing.status in ACTIVE:
        raise ApplicationError(
            f"{person.display_name} is already {existing.get_status_display().lower()} for this session."
        )
    own = actor is not None and getattr(actor, "person_id", None) == person.pk
    # Waiting for approval holds no seat until the supervisor approves (a coordinator's place needs none).
    status = S.PENDING if current.program.requires_approval and own else _seat_or_queue(current)
    if existing is not None:  # registering again after cancelling: to the back of the queue
        existing.status, existing.created_at, existing.promoted_at = status, timezone.now(), None
        existing.save(update_fields=["status", "created_at", "promoted_at", "updated_at"])
        enrollment = existing
    else:
        try:
            with transaction.atomic():
                enrollment = Enrollment.objects.create(session=current, person=person, status=status)
        except IntegrityError as exc:  # the same person twice at once
            raise ApplicationError(f"{person.display_name} is already registered for this session.") from exc
    audit_record(
        action={str(S.ENROLLED): ENROLLED, str(S.PENDING): PENDING}.get(str(status), WAITLISTED),
        actor=actor,
        target=enrollment,
        detail={"session": current.pk, "person": person.pk},
    )
    if status == S.PENDING:
        _ask_for_approval(enrollment, current)
    return enrollment


def _seat_or_queue(session: Session) -> str:
    taken = Enrollment.objects.filter(session=session, status=S.ENROLLED).count()
    return S.ENROLLED if taken < session.seats else S.WAITLISTED


def approvers(person: Person) -> list[Person]:
    """Who is told a registration waits: the person's evaluator of record (their supervisor) — the
    supervision chain also sees it in the work queue."""
    from edlead.access.models import Relationship

    ids = (
        Relationship.objects.active(timezone.localdate())
        .filter(kind=Relationship.Kind.EVALUATOR, person=person)
        .values("holder_id")
    )
    return list(Person.objects.filter(pk__in=ids))


def _ask_for_approval(enrollment: Enrollment, session: Session) -> None:
    from edlead.notices.services import notify_many

    notify_many(
        people=approvers(enrollment.person),
        kind=NOTICE_APPROVAL,
        subject=f"{enrollment.person.display_name} asks to attend {session.program.title}",
        body=f"Session of {timezone.localtime(session.starts_at):%d %B %Y}. Approve or decline from your work queue.",
        link=reverse("learning:approvals"),
        once_key=f"learning-approval:{enrollment.pk}:{enrollment.created_at:%Y%m%d%H%M%S%f}",
    )


@transaction.atomic
def decide(*, actor: Any, enrollment: Enrollment, approve: bool, note: str = "") -> Enrollment:
    """The supervisor approves (a seat when one is free, else the waitlist) or declines (with a
    reason) a registration waiting for them."""
    from edlead.notices.services import notify

    current = _locked_session(enrollment.session)
    row = Enrollment.objects.select_for_update().select_related("person").get(pk=enrollment.pk)
    if not policy.can(actor, ENROLLMENT_APPROVE, row):
        raise ApplicationError("Only the participant's supervisor approves this registration.")
    if row.status != S.PENDING:
        raise ApplicationError(f"This registration is {row.get_status_display().lower()}: nothing to decide.")
    note = " ".join(note.split())[:500]
    if not approve and not note:
        raise ApplicationError("Say why the registration is not approved: the participant reads it.")
    if approve and current.starts_at <= timezone.now():
        raise ApplicationError("This session has already started; it can no longer be approved.")
    row.status = _seat_or_queue(current) if approve else S.DECLINED
    row.decided_by_id = getattr(actor, "person_id", None)
    row.decided_at, row.decision_note = timezone.now(), note
    row.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    audit_record(action=APPROVED if approve else DECLINED, actor=actor, target=row, detail={"note": note})
    outcome = {
        str(S.ENROLLED): "approved: you are enrolled",
        str(S.WAITLISTED): "approved: you are on the waitlist",
    }
    notify(
        person=row.person,
        kind=NOTICE_DECIDED,
        subject=f"{current.program.title}: your registration was {outcome.get(str(row.status), 'not approved')}",
        body=note,
        link=current.program.get_absolute_url(),
        once_key=f"learning-decided:{row.pk}:{row.decided_at:%Y%m%d%H%M%S%f}",
    )
    return row


@transaction.atomic
def cancel(*, actor: Any, enrollment: Enrollment) -> Enrollment:
    """The person (or a coordinator) gives up their seat or waitlist place; a freed seat goes to the
    first person waiting, who is told."""
    current = _locked_session(enrollment.session)
    row = Enrollment.objects.select_for_update().select_related("person").get(pk=enrollment.pk)
    if actor is not None and not may_register(actor, current, row.person):
        raise ApplicationError("You may cancel only your own registration.")
    if row.status not in (S.PENDING, S.ENROLLED, S.WAITLISTED):
        raise ApplicationError(f"This registration is {row.get_status_display().lower()}: nothing to cancel.")
    freed = row.status == S.ENROLLED
    row.status = S.CANCELLED
    row.save(update_fields=["status", "updated_at"])
    audit_record(action=CANCELLED, actor=actor, target=row, detail={"session": current.pk})
    if freed:
        promote(current)
    return row


def promote(session: Session) -> list[Enrollment]:
    """Fill free seats from the waitlist, first come first served (call with the session locked)."""
    from edlead.notices.services import notify

    free = session.seats - Enrollment.objects.filter(session=session, status=S.ENROLLED).count()
    if free <= 0:
        return []
    moved = list(
        Enrollment.objects.filter(session=session, status=S.WAITLISTED)
        .select_related("person")
        .order_by("created_at", "pk")[:free]
    )
    for e in moved:
        e.status, e.promoted_at = S.ENROLLED, timezone.now()
        e.save(update_fields=["status", "promoted_at", "updated_at"])
        audit_record(action=PROMOTED, actor=None, target=e, detail={"session": session.pk})
        notify(
            person=e.person,
            kind=NOTICE_SEAT,
            subject=f"A seat came free: you are enrolled in {session.program.title}",
            body=f"{session.program.title} starts {timezone.localtime(session.starts_at):%A %d %B %Y at %H:%M}.",
            link=session.program.get_absolute_url(),
            once_key=f"learning-promoted:{e.pk}:{e.promoted_at:%Y%m%d%H%M%S%f}",
        )
    return moved
