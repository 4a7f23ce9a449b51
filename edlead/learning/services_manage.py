"""Coordinators keep the catalog: a program's description, audience, competencies, PDPs and completion
rule; its sessions (with one meeting a day when a session runs several days); cancelling a session
tells everyone registered for it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.learning.models import Enrollment, Meeting, Program, Session

PROGRAM_SAVED = "learning_program_saved"
SESSION_ADDED = "learning_session_added"
SESSION_CANCELLED = "learning_session_cancelled"
NOTICE_CANCELLED = "learning.cancelled"
AUDIT_VERBS = {
    PROGRAM_SAVED: "Program saved",
    SESSION_ADDED: "Session added",
    SESSION_CANCELLED: "Session cancelled",
}
MAX_DAYS = 10


def manageable_organizations(user: Any) -> list[tuple[str, str]]:
    """(value, label) of where this coordinator may run programs: "" for the state (a grant on the
    state), else each district or network their grants cover."""
    seen: dict[str, str] = {}
    for g in policy.grants_for(user, policy.PROGRAM_MANAGE):
        if g.path.count("/") == 2:  # the state root
            seen.setdefault("", "The state (every district)")
        else:
            seen.setdefault(str(g.org_id), g.org_name)
    return sorted(seen.items(), key=lambda kv: (kv[0] != "", kv[1]))


def _check(actor: Any, program: Program) -> None:
    if actor is not None and not policy.can(actor, policy.PROGRAM_MANAGE, program):
        raise ApplicationError("Only a coordinator of this program may change it.")


@transaction.atomic
def program_save(*, actor: Any, program: Program, competencies: list[Any] | None = None) -> Program:
    """Create or update a program (already filled in by the form), checked against the model's rules."""
    _check(actor, program)
    try:
        program.full_clean()
    except ValidationError as exc:
        raise ApplicationError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
    created = program.pk is None
    program.save()
    if competencies is not None:
        program.competencies.set(competencies)
    audit_record(action=PROGRAM_SAVED, actor=actor, target=program, detail={"created": created})
    return program


@transaction.atomic
def session_add(
    *,
    actor: Any,
    program: Program,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    days: int = 1,
    place: str = "",
    online_url: str = "",
    facilitators: str = "",
    capacity: int | None = None,
) -> Session:
    """A session from `starts_at` to `ends_at` on its first day, repeated over `days` consecutive days
    (one meeting a day, for attendance); the session ends with its last meeting."""
    _check(actor, program)
    if ends_at <= starts_at:
        raise ApplicationError("Ends: a session ends after it starts (on its first day).")
    if ends_at - starts_at > dt.timedelta(hours=24):
        raise ApplicationError("Ends: give the first day's hours; several days are the “Days” field.")
    if not 1 <= days <= MAX_DAYS:
        raise ApplicationError(f"Days: from 1 to {MAX_DAYS}.")
    if capacity is not None and capacity < 1:
        raise ApplicationError("Seats: at least one.")
    last = ends_at + dt.timedelta(days=days - 1)
    session = Session.objects.create(
        program=program,
        starts_at=starts_at,
        ends_at=last,
        place=place.strip(),
        online_url=online_url.strip(),
        facilitators=facilitators.strip(),
        capacity=capacity,
    )
    Meeting.objects.bulk_create(
        Meeting(
            session=session,
            starts_at=starts_at + dt.timedelta(days=n),
            ends_at=ends_at + dt.timedelta(days=n),
        )
        for n in range(days)
    )
    audit_record(action=SESSION_ADDED, actor=actor, target=session, detail={"days": days})
    return session


@transaction.atomic
def session_cancel(*, actor: Any, session: Session, reason: str) -> int:
    """Cancel a session still to come; everyone registered, waiting or pending is told. Returns how many."""
    from edlead.notices.services import notify_many
    from edlead.people.models import Person

    current = Session.objects.select_for_update().select_related("program").get(pk=session.pk)
    _check(actor, current.program)
    reason = " ".join(reason.split())
    if not reason:
        raise ApplicationError("Reason: say why the session is cancelled; the participants read it.")
    if current.cancelled:
        raise ApplicationError("This session is already cancelled.")
    if current.starts_at <= timezone.now():
        raise ApplicationError("This session has already started; it can no longer be cancelled.")
    current.cancelled = True
    current.save(update_fields=["cancelled", "updated_at"])
    S = Enrollment.Status
    people = Person.objects.filter(
        pk__in=current.enrollments.filter(status__in=[S.ENROLLED, S.WAITLISTED, S.PENDING]).values(
            "person_id"
        )
    )
    told = notify_many(
        people=people,
        kind=NOTICE_CANCELLED,
        subject=f"Cancelled: {current.program.title}, {timezone.localtime(current.starts_at):%d %B %Y}",
        body=reason,
        link=current.program.get_absolute_url(),
        once_key=f"learning-cancelled:{current.pk}",
    )
    audit_record(
        action=SESSION_CANCELLED, actor=actor, target=current, detail={"reason": reason, "told": told}
    )
    return told
