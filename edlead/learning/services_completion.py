"""Running a session: meetings, attendance per meeting, and completion by the program's rule (a share of
the meetings attended, plus a passed assessment where the program asks for one) — which credits the
program's PDPs to the person's ledger (licensure's `credit_pdps`) and makes a certificate available."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.learning.models import Attendance, Enrollment, Meeting, Session

S = Enrollment.Status
ON_ROSTER = (S.ENROLLED, S.COMPLETED)
ATTENDANCE = "learning_attendance"
COMPLETED = "learning_completed"
ASSESSED = "learning_assessed"
NOTICE_COMPLETED = "learning.completed"
AUDIT_VERBS = {
    ATTENDANCE: "Attendance taken",
    COMPLETED: "Program completed",
    ASSESSED: "Assessment recorded",
}


def _check_manage(actor: Any, session: Session) -> None:
    if actor is not None and not policy.can(actor, policy.PROGRAM_MANAGE, session.program):
        raise ApplicationError("Only a coordinator of this program takes attendance and marks completion.")


def meetings(session: Session) -> list[Meeting]:
    """The session's meetings; a session entered without any has one, its own dates."""
    rows = list(session.meetings.all())
    if not rows:
        rows = [Meeting.objects.create(session=session, starts_at=session.starts_at, ends_at=session.ends_at)]
    return rows


@transaction.atomic
def record_attendance(
    *, actor: Any, meeting: Meeting, present: Iterable[int], roster: Iterable[int] | None = None
) -> int:
    """Attendance for one meeting: the enrollments in `present` were there, every other enrolled person of
    `roster` (default: the whole roster) was not. Refused: a meeting not yet begun, anyone not enrolled in
    the session. Returns how many were marked present."""
    session = meeting.session
    _check_manage(actor, session)
    if meeting.starts_at > timezone.now():
        raise ApplicationError("This meeting has not happened yet: take attendance on or after the day.")
    enrolled = dict(
        Enrollment.objects.filter(session=session, status__in=ON_ROSTER).values_list("pk", "person_id")
    )
    present_ids = {int(i) for i in present}
    strangers = present_ids - enrolled.keys()
    if strangers:
        raise ApplicationError(
            f"{len(strangers)} of those marked present {'is' if len(strangers) == 1 else 'are'} not enrolled in "
            "this session; nothing was saved. Register them first."
        )
    marked = set(enrolled) if roster is None else {int(i) for i in roster} & enrolled.keys()
    by = getattr(actor, "person_id", None)
    existing = {a.enrollment_id: a for a in Attendance.objects.filter(meeting=meeting)}
    new, changed = [], []
    for eid in sorted(marked | present_ids):
        here = eid in present_ids
        row = existing.get(eid)
        if row is None:
            new.append(Attendance(meeting=meeting, enrollment_id=eid, present=here, recorded_by_id=by))
        elif row.present != here:
            row.present, row.recorded_by_id = here, by
            changed.append(row)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["present", "recorded_by"])
    audit_record(
        action=ATTENDANCE,
        actor=actor,
        target=session,
        detail={"meeting": meeting.pk, "present": len(present_ids), "absent": len(marked - present_ids)},
    )
    return len(present_ids)


@dataclass(frozen=True)
class Standing:
    """Where one participant stands against the completion rule."""

    enrollment: Enrollment
    attended: int
    meetings: int
    required_share: int
    assessment_needed: bool

    @property
    def share(self) -> int:
        return round(100 * self.attended / self.meetings) if self.meetings else 0

    @property
    def attendance_met(self) -> bool:
        return self.meetings > 0 and self.share >= self.required_share

    @property
    def meets_rule(self) -> bool:
        assessed = not self.assessment_needed or self.enrollment.assessment_passed is True
        return self.attendance_met and assessed

    @property
    def missing(self) -> str:
        """What stands between them and completion, in words ("" when nothing does)."""
        parts = []
        if not self.attendance_met:
            parts.append(
                f"attended {self.attended} of {self.meetings} meetings ({self.share}%; {self.required_share}% needed)"
            )
        if self.assessment_needed and self.enrollment.assessment_passed is not True:
            parts.append(
                "assessment not passed" if self.enrollment.assessment_passed is False else "not assessed"
            )
        return "; ".join(parts)


def standings(session: Session, meeting_rows: list[Meeting] | None = None) -> list[Standing]:
    """Every participant on the roster with their attendance against the rule (2 queries)."""
    from django.db.models import Count, Q

    meeting_rows = meetings(session) if meeting_rows is None else meeting_rows
    held = [m.pk for m in meeting_rows if m.starts_at <= timezone.now()]
    rows = (
        Enrollment.objects.filter(session=session, status__in=ON_ROSTER)
        .select_related("person")
        .annotate(
            attended=Count("attendance", filter=Q(attendance__present=True, attendance__meeting__in=held))
        )
        .order_by("person__last_name", "person__first_name", "pk")
    )
    program = session.program
    return [
        Standing(e, e.attended, len(held), program.completion_attendance, program.requires_assessment)  # type: ignore[attr-defined]
        for e in rows
    ]


@transaction.atomic
def record_assessment(*, actor: Any, enrollment: Enrollment, passed: bool | None) -> Enrollment:
    _check_manage(actor, enrollment.session)
    if enrollment.status not in ON_ROSTER:
        raise ApplicationError(f"{enrollment.person.display_name} is not on this session's roster.")
    enrollment.assessment_passed = passed
    enrollment.save(update_fields=["assessment_passed", "updated_at"])
    audit_record(action=ASSESSED, actor=actor, target=enrollment, detail={"passed": passed})
    return enrollment


@dataclass
class CompletionResult:
    completed: list[Enrollment]
    not_yet: list[Standing]


def pdp_text(hours: Any) -> str:
    """3, 2.5 — not "3.00" (a Decimal from the database keeps its places under the "g" format)."""
    return f"{float(hours):g}"


def complete_one(
    actor: Any, e: Enrollment, *, tell: bool = True, detail: dict[str, Any] | None = None
) -> Enrollment:
    """Mark one enrollment completed today: the program's PDPs credited to the person's ledger (once,
    however often this runs: `credit_pdps` is idempotent), audited, and — unless `tell` is off — the
    participant told that the certificate is ready. The PDP activity runs over the session's dates, up
    to today at the latest (an online module's registration window may end later; licensure refuses an
    activity that has not ended)."""
    from django.urls import reverse

    from edlead.credentials.services import credit_pdps
    from edlead.notices.services import notify

    session = e.session
    program = session.program
    today = timezone.localdate()
    e.status, e.completed_on = S.COMPLETED, today
    if program.pdp_hours and program.pdp_category:
        e.pdp_activity = credit_pdps(
            person=e.person,
            provider=program.provider.name,
            title=program.title,
            starts_on=min(timezone.localdate(session.starts_at), today),
            ends_on=min(timezone.localdate(session.ends_at), today),
            hours=program.pdp_hours,
            category=program.pdp_category,
            source=f"EdLead program completion ({e.certificate_number})",
        )
    e.save(update_fields=["status", "completed_on", "pdp_activity", "updated_at"])
    audit_record(action=COMPLETED, actor=actor, target=e, detail={"session": session.pk, **(detail or {})})
    if tell:
        notify(
            person=e.person,
            kind=NOTICE_COMPLETED,
            subject=f"You completed {program.title}",
            body=(f"{pdp_text(program.pdp_hours)} PDPs are on your record. " if e.pdp_activity_id else "")
            + "Your certificate is ready; tell us how it went.",
            link=reverse("learning:mine"),
            once_key=f"learning-completed:{e.pk}",
        )
    return e


@transaction.atomic
def complete_session(*, actor: Any, session: Session, tell: bool = True) -> CompletionResult:
    """Mark complete everyone on the roster who meets the program's rule; each gets the program's PDPs on
    their ledger (once, however often this runs) and a notice with the certificate. Those who do not meet
    it are listed with what is missing. Refused before the session's last meeting has begun."""
    _check_manage(actor, session)
    meeting_rows = meetings(session)
    if max(m.starts_at for m in meeting_rows) > timezone.now():
        raise ApplicationError("The session has meetings still to come: mark completion after the last one.")
    done, not_yet = [], []
    for st in standings(session, meeting_rows):
        e = st.enrollment
        if e.status == S.COMPLETED:
            continue
        if not st.meets_rule:
            not_yet.append(st)
            continue
        e.session = session  # the program and provider without another query
        done.append(complete_one(actor, e, tell=tell))
    return CompletionResult(done, not_yet)
