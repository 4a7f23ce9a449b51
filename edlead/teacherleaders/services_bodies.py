"""Writers of leadership bodies (teams, councils, boards, the state's advisory cabinets): the body, its
members' seats and terms (each an access membership), its meetings with attendance, its decision log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from edlead.access.models import Relationship
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.notices.services import notify
from edlead.orgs.models import Organization
from edlead.people.models import Person
from edlead.teacherleaders import rules
from edlead.teacherleaders.models import BodyDecision, BodyMeeting, BodyMember, LeadershipBody
from edlead.teacherleaders.services import BODY_CHANGED, NOTICE_SEATED

K = LeadershipBody.Kind
MEMBER = Relationship.Kind.MEMBER


def _audit(actor: Any, body: LeadershipBody, step: str, **detail: Any) -> None:
    audit_record(
        action=BODY_CHANGED,
        actor=actor,
        target=body,
        target_label=body.name[:255],
        detail={"step": step, **detail},
        scope=[body.organization.path],
    )


@transaction.atomic
def body_create(
    *,
    actor: Any,
    organization: Organization,
    kind: str,
    name: str,
    convener: Person,
    purpose: str = "",
) -> LeadershipBody:
    """A team, council or board of a school or district (its leaders create it), or a cabinet of the
    state (state administrators)."""
    cabinet = kind in LeadershipBody.CABINETS
    if cabinet != (organization.kind == Organization.Kind.STATE):
        raise ApplicationError(
            "Advisory cabinets belong to the state; teams and councils to a school or district."
        )
    if organization.kind not in (
        Organization.Kind.STATE,
        Organization.Kind.DISTRICT,
        Organization.Kind.SCHOOL,
    ):
        raise ApplicationError("A leadership body belongs to a school, a district or the state.")
    if actor is not None and not rules.leads(actor, organization):
        raise ApplicationError("Only the organization's leaders set up its leadership bodies.")
    body = LeadershipBody(
        organization=organization, kind=kind, name=name.strip(), purpose=purpose.strip(), convener=convener
    )
    body.full_clean(exclude=["group_key"])
    body.save()
    _audit(actor, body, "created", kind=kind)
    return body


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise ApplicationError(message)


@transaction.atomic
def member_seat(
    *,
    actor: Any,
    body: LeadershipBody,
    person: Person,
    role: str = BodyMember.Role.MEMBER,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    district: Organization | None = None,
    represents: str = "",
) -> BodyMember:
    """Seat `person` for a term; their membership (an access relationship on the body's group key) gives
    them the body's pages from the first day of the term to the last."""
    from edlead.access.services import relationship_start

    current = (
        LeadershipBody.objects.select_for_update(of=("self",)).select_related("organization").get(pk=body.pk)
    )
    if actor is not None:
        _require(rules.may_seat(actor, current), "Only the organization's leaders seat members.")
    start = starts_on or timezone.localdate()
    if ends_on is not None and ends_on < start:
        raise ApplicationError("A term cannot end before it starts.")
    if current.is_cabinet and district is None:
        raise ApplicationError("Name the district a cabinet member comes from.")
    if BodyMember.objects.filter(body=current, person=person).exclude(ends_on__lt=start).exists():
        raise ApplicationError(f"{person.display_name} already has a seat for those dates.")
    # The access service's own check is for relationship managers (administrators, HR); the leaders
    # allowed here were checked above, so the system records the membership and this audit names them.
    rel = relationship_start(
        actor=None,
        kind=MEMBER,
        holder=person,
        organization=current.organization,
        group=current.group_key,
        starts_on=start,
        ends_on=ends_on,
        note=f"Member of {current.name}"[:255],
    )
    member = BodyMember(
        body=current,
        person=person,
        district=district,
        role=role,
        represents=represents.strip(),
        starts_on=start,
        ends_on=ends_on,
        relationship=rel,
    )
    member.full_clean()
    member.save()
    _audit(actor, current, "seated", person=person.pk, role=role)
    transaction.on_commit(
        lambda: notify(
            person=person,
            kind=NOTICE_SEATED,
            subject=f"You have a seat on {current.name}"[:200],
            body=f"{member.get_role_display()} from {start:%d %b %Y}"
            + (f" to {ends_on:%d %b %Y}." if ends_on else "."),
            link=current.get_absolute_url(),
            once_key=f"teacherleaders-seat:{member.pk}",
        )
    )
    return member


@transaction.atomic
def member_unseat(*, actor: Any, member: BodyMember, ends_on: dt.date | None = None) -> BodyMember:
    """End a term early (or on its date): the membership, and the access, end that day."""
    from edlead.access.services import relationship_end

    row = (
        BodyMember.objects.select_for_update(of=("self",))
        .select_related("body__organization")
        .get(pk=member.pk)
    )
    if actor is not None:
        _require(rules.may_seat(actor, row.body), "Only the organization's leaders unseat members.")
    end = ends_on or timezone.localdate()
    if end < row.starts_on:
        raise ApplicationError("A term cannot end before it starts.")
    if row.ends_on is not None and row.ends_on <= end:
        raise ApplicationError("That term has already ended.")
    row.ends_on = end
    row.full_clean()
    row.save(update_fields=["ends_on", "updated_at"])
    if row.relationship_id:
        rel = Relationship.objects.get(pk=row.relationship_id)
        if rel.ends_on is None or rel.ends_on > end:
            relationship_end(actor=None, relationship=rel, ends_on=end)
    _audit(actor, row.body, "unseated", person=row.person_id, on=end.isoformat())
    return row


@transaction.atomic
def meeting_record(
    *,
    actor: Any,
    body: LeadershipBody,
    held_on: dt.date,
    agenda: str = "",
    minutes: str = "",
    attendee_ids: list[int] | None = None,
) -> BodyMeeting:
    """A meeting with its agenda, minutes and the members present (seated on that day)."""
    if actor is not None:
        _require(rules.may_run(actor, body), "Only the body's members and leaders record its meetings.")
    wanted = set(attendee_ids or [])
    _seated_on(BodyMember.objects.filter(body=body), held_on, wanted)
    meeting = BodyMeeting(body=body, held_on=held_on, agenda=agenda.strip(), minutes=minutes.strip())
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(sorted(wanted))
    _audit(actor, body, "meeting", meeting=meeting.pk, held_on=held_on.isoformat(), present=len(wanted))
    return meeting


MEETING_LABELS = {"held_on": "Date", "agenda": "Agenda", "minutes": "Minutes", "attendees": "Present"}


def _seated_on(members: Iterable[BodyMember], day: dt.date, wanted: set[int]) -> None:
    """Refuse attendance by anyone of `wanted` not seated on `day` among the body's `members`."""
    seated = {m.pk for m in members if m.starts_on <= day and (m.ends_on is None or m.ends_on >= day)}
    if wanted - seated:
        raise ApplicationError("Attendance lists only members seated on the day of the meeting.")


@transaction.atomic
def meeting_update(
    *,
    actor: Any,
    meeting: BodyMeeting,
    held_on: dt.date,
    agenda: str = "",
    minutes: str = "",
    attendee_ids: list[int] | None = None,
    expected_version: int | None = None,
) -> BodyMeeting:
    """Finish or correct a meeting's record — date, agenda, minutes, who was present — with the version
    check: a form drawn before someone else saved is refused with both versions side by side, and
    nothing is lost. Decisions logged at the meeting stay linked to it."""
    body = meeting.body
    if actor is not None:
        _require(rules.may_run(actor, body), "Only the body's members and leaders record its meetings.")
    current = editing.lock(meeting)
    wanted = set(attendee_ids or [])
    members = list(BodyMember.objects.filter(body=body).select_related("person"))
    _seated_on(members, held_on, wanted)
    present = {m.pk: m.person.display_name for m in members}

    def names(ids: set[int]) -> list[str]:
        return sorted(present.get(i, "?") for i in ids)

    had = set(current.attendees.values_list("pk", flat=True))
    saved = {
        "held_on": current.held_on,
        "agenda": current.agenda,
        "minutes": current.minutes,
        "attendees": names(had),
    }
    agenda, minutes = agenda.strip(), minutes.strip()
    submitted = {"held_on": held_on, "agenda": agenda, "minutes": minutes, "attendees": names(wanted)}
    version = current.version if expected_version is None else expected_version
    editing.check_version(current, version, saved=saved, submitted=submitted, labels=MEETING_LABELS)
    if saved == submitted:
        return current
    current.held_on, current.agenda, current.minutes = held_on, agenda, minutes
    current.mark_edited(actor)
    current.full_clean()
    current.save()
    current.attendees.set(sorted(wanted))
    changed = sorted(name for name in saved if saved[name] != submitted[name])
    _audit(actor, body, "meeting changed", meeting=current.pk, held_on=held_on.isoformat(), fields=changed)
    return current


@transaction.atomic
def decision_log(
    *,
    actor: Any,
    body: LeadershipBody,
    decided_on: dt.date,
    decision: str,
    rationale: str = "",
    owner: Person | None = None,
    meeting: BodyMeeting | None = None,
    status: str = BodyDecision.Status.DECIDED,
) -> BodyDecision:
    if actor is not None:
        _require(rules.may_run(actor, body), "Only the body's members and leaders log its decisions.")
    if meeting is not None and meeting.body_id != body.pk:
        raise ApplicationError("That meeting is another body's.")
    row = BodyDecision(
        body=body,
        meeting=meeting,
        decided_on=decided_on,
        decision=decision.strip(),
        rationale=rationale.strip(),
        owner=owner,
        status=status,
    )
    row.full_clean()
    row.save()
    _audit(actor, body, "decision", decision=row.pk)
    return row


@transaction.atomic
def decision_status(*, actor: Any, decision: BodyDecision, status: str) -> BodyDecision:
    row = (
        BodyDecision.objects.select_for_update(of=("self",))
        .select_related("body__organization")
        .get(pk=decision.pk)
    )
    if actor is not None:
        _require(rules.may_run(actor, row.body), "Only the body's members and leaders update its decisions.")
    if status not in BodyDecision.Status.values:
        raise ApplicationError("Choose a status.")
    row.status = status
    row.save(update_fields=["status", "updated_at"])
    _audit(actor, row.body, "decision status", decision=row.pk, status=status)
    return row
