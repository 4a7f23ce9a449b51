"""The only writers of support requests and department responders. Keyword-only, actor first, one
transaction each, audited; each workflow step goes through `editing.transition` (locks the row, refuses
a step out of order, appends the timeline event)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from edlead import config
from edlead.access import policy
from edlead.access.models import Relationship
from edlead.access.services import relationship_end, relationship_start
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.notices.services import notify, notify_many
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.support import departments, rules
from edlead.support.models import SupportEvent, SupportMessage, SupportRequest

S = SupportRequest.Status
C = SupportRequest.Category
P = SupportRequest.Priority

SUPPORT_CHANGED = "support_request_changed"
RESPONDER_CHANGED = "support_responder_changed"
AUDIT_VERBS = {
    SUPPORT_CHANGED: "Support request changed",
    RESPONDER_CHANGED: "Department responder added or ended",
}
NOTICE_ROUTED = "support.routed"
NOTICE_ASSIGNED = "support.assigned"
NOTICE_ANSWERED = "support.answered"
NOTICE_RESOLVED = "support.resolved"
NOTICE_ESCALATED = "support.escalated"
NOTICES = {
    NOTICE_ROUTED: "A support request came to your department",
    NOTICE_ASSIGNED: "A support request was assigned to you",
    NOTICE_ANSWERED: "Your support request was answered",
    NOTICE_RESOLVED: "A support request you answered was resolved",
    NOTICE_ESCALATED: "A safety or crisis request is not answered in time",
}

ESCALATION_HOURS = "support.escalation_hours"
DUE_HOURS = {
    P.LOW: ("support.due_hours_low", 240),
    P.NORMAL: ("support.due_hours_normal", 72),
    P.HIGH: ("support.due_hours_high", 24),
    P.URGENT: ("support.due_hours_urgent", 4),
}
AWAITING = (S.NEW, S.TRIAGED, S.ASSIGNED)


def declare_settings() -> None:
    section = "Department support"
    for priority, (key, hours) in DUE_HOURS.items():
        config.register(
            key,
            f"Hours to answer a {P(priority).label.lower()}-priority request",
            config.INT,
            hours,
            "A support request's answer is due this many hours after it is routed.",
            section=section,
            minimum=1,
            maximum=24 * 60,
        )
    config.register(
        ESCALATION_HOURS,
        "Hours before an unanswered safety or crisis request escalates",
        config.INT,
        4,
        "A safety and crisis request nobody has answered after this many hours is escalated to the school's "
        "principal supervisor; after twice as many, to the superintendent.",
        section=section,
        minimum=1,
        maximum=24 * 7,
    )


# --- helpers -----------------------------------------------------------------------------------------------
def due_at(district: Organization, priority: str, routed_at: dt.datetime) -> dt.datetime:
    key, _default = DUE_HOURS[P(priority)]
    return routed_at + dt.timedelta(hours=int(config.setting(district, key)))


def _clean(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        messages = (
            [m for ms in exc.message_dict.values() for m in ms]
            if hasattr(exc, "message_dict")
            else list(exc.messages)
        )
        raise ApplicationError(" ".join(messages)) from exc


def _audit(req: SupportRequest, actor: Any, step: str, **detail: Any) -> None:
    audit_record(
        action=SUPPORT_CHANGED,
        actor=actor,
        target=req,
        target_label=f"Support request {req.pk}: {req.subject}"[:255],
        detail={"step": step, "department": req.department, "status": req.status, **detail},
        scope=[req.organization.path],
    )


def _person(actor: Any) -> Person:
    person = getattr(actor, "person", None)
    if person is None:
        raise ApplicationError(
            "Your account is not linked to a person record, so you cannot act on requests."
        )
    return person


def _responders(req: SupportRequest) -> list[Person]:
    return [r.holder for r in departments.responder_relationships([req.group_key])]


def _message(req: SupportRequest, actor: Any, kind: str, body: str) -> SupportMessage:
    msg = SupportMessage(
        request=req, kind=kind, author=actor, author_label=editing.user_label(actor), body=body.strip()
    )
    _clean(msg)
    msg.save()
    return msg


def _require_respond(actor: Any, req: SupportRequest, what: str) -> None:
    if not rules.may_respond(actor, req):
        raise ApplicationError(f"Only a responder of {req.department} may {what}.")


# --- routing a request -------------------------------------------------------------------------------------
@transaction.atomic
def request_create(
    *,
    actor: Any,
    school: Organization,
    department: str,
    category: str,
    priority: str,
    subject: str,
    description: str,
) -> SupportRequest:
    """A principal or supervisor routes a request for one of their schools to one of its district's
    departments. Safety and crisis requests are always urgent."""
    requester = _person(actor)
    if school.kind != Organization.Kind.SCHOOL or school.district_id is None:
        raise ApplicationError("School: choose a school.")
    if not policy.can(actor, policy.SUPPORT_ROUTE, school):
        raise ApplicationError(
            f"School: {school.name} is not a school you lead or supervise, so you cannot route its requests."
        )
    district = Organization.objects.get(pk=school.district_id)
    dept = departments.find(district, department) if department.strip() else None
    if dept is None:
        raise ApplicationError(
            f"Department: “{department.strip() or '(none)'}” is not a department of {district.name}."
        )
    if category not in C.values:
        raise ApplicationError("Category: choose one of the categories.")
    if category == C.SAFETY:
        priority = P.URGENT
    if priority not in P.values:
        raise ApplicationError("Priority: choose low, normal, high or urgent.")
    if not subject.strip():
        raise ApplicationError("Subject: say in a few words what the school needs.")
    if not description.strip():
        raise ApplicationError("Description: describe what the school needs, so the department can act.")
    now = timezone.now()
    req = SupportRequest(
        district=district,
        organization=school,
        department=dept.name,
        group_key=dept.group_key,
        category=category,
        priority=priority,
        subject=subject.strip(),
        description=description.strip(),
        requester=requester,
        status=S.NEW,
        routed_at=now,
        due_at=due_at(district, priority, now),
        version=0,
    )
    req.mark_edited(actor)
    _clean(req)
    req.save()
    SupportEvent.objects.create(
        record=req,
        actor=req.edited_by,
        actor_label=editing.user_label(actor),
        action="routed",
        to_status=S.NEW,
        note=f"To {dept.name}: {req.get_category_display()}, {req.get_priority_display().lower()} priority.",
    )
    _audit(req, actor, "routed", category=category, priority=priority)
    people = [p for p in _responders(req) if p.pk != requester.pk]
    if people:
        flag = "Safety and crisis: " if req.is_safety else ""
        notify_many(
            people=people,
            kind=NOTICE_ROUTED,
            subject=f"{flag}{school.name} asks {dept.name} for help: {req.subject}",
            body=f"{req.get_priority_display()} priority, answer due {timezone.localtime(req.due_at):%d %b %H:%M}.",
            link=req.get_absolute_url(),
            once_key=f"support-routed:{req.pk}",
        )
    return req


# --- the department's steps --------------------------------------------------------------------------------
@transaction.atomic
def request_triage(
    *,
    actor: Any,
    req: SupportRequest,
    priority: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> SupportRequest:
    """A responder reads a new request and sets its priority (the due date follows it); a safety and
    crisis request stays urgent."""
    _require_respond(actor, req, "triage this request")
    changes: dict[str, Any] = {}
    if priority:
        if priority not in P.values:
            raise ApplicationError("Priority: choose low, normal, high or urgent.")
        if req.is_safety and priority != P.URGENT:
            raise ApplicationError("Priority: a safety and crisis request is always urgent.")
        if priority != req.priority:
            changes = {"priority": priority, "due_at": due_at(req.district, priority, req.routed_at)}
    done = editing.transition(
        obj=req,
        action="triaged",
        to=S.TRIAGED,
        allowed_from=[S.NEW],
        actor=actor,
        event_model=SupportEvent,
        expected_version=expected_version,
        note=note.strip() or (f"Priority {P(priority).label.lower()}." if changes else ""),
        changes=changes,
    )
    _audit(done, actor, "triaged", priority=done.priority)
    return done


@transaction.atomic
def request_assign(
    *,
    actor: Any,
    req: SupportRequest,
    assignee: Person,
    note: str = "",
    expected_version: int | None = None,
) -> SupportRequest:
    """A responder assigns the request to a responder of its department (themselves or a colleague);
    an assigned request may be passed on to another responder."""
    _require_respond(actor, req, "assign this request")
    if not departments.is_responder(assignee.pk, req.group_key):
        raise ApplicationError(f"Assignee: {assignee.display_name} is not a responder of {req.department}.")
    done = editing.transition(
        obj=req,
        action="assigned",
        to=S.ASSIGNED,
        allowed_from=[S.NEW, S.TRIAGED, S.ASSIGNED],
        actor=actor,
        event_model=SupportEvent,
        expected_version=expected_version,
        note=note.strip() or f"To {assignee.display_name}.",
        changes={"assignee": assignee},
    )
    _audit(done, actor, "assigned", assignee=assignee.pk)
    if assignee.pk != getattr(actor, "person_id", None):
        notify(
            person=assignee,
            kind=NOTICE_ASSIGNED,
            subject=f"Assigned to you: {done.subject} ({done.organization.name})",
            body=f"{done.get_priority_display()} priority, answer due {timezone.localtime(done.due_at):%d %b %H:%M}.",
            link=done.get_absolute_url(),
            once_key=f"support-assigned:{done.pk}:{done.version}",
        )
    return done


@transaction.atomic
def request_answer(
    *, actor: Any, req: SupportRequest, answer: str, expected_version: int | None = None
) -> SupportRequest:
    """The department answers an assigned request; the requester is told and resolves it (or reopens it)."""
    _require_respond(actor, req, "answer this request")
    if not answer.strip():
        raise ApplicationError("Answer: write the answer the school will read.")
    now = timezone.now()
    changes: dict[str, Any] = {"answered_at": now}
    if req.first_answered_at is None:
        changes["first_answered_at"] = now
    done = editing.transition(
        obj=req,
        action="answered",
        to=S.ANSWERED,
        allowed_from=[S.ASSIGNED],
        actor=actor,
        event_model=SupportEvent,
        expected_version=expected_version,
        changes=changes,
    )
    _message(done, actor, SupportMessage.Kind.ANSWER, answer)
    _audit(done, actor, "answered")
    if done.requester_id != getattr(actor, "person_id", None):
        notify(
            person=done.requester,
            kind=NOTICE_ANSWERED,
            subject=f"{done.department} answered: {done.subject}",
            body="Read the answer, then resolve the request or reopen it.",
            link=done.get_absolute_url(),
            once_key=f"support-answered:{done.pk}:{done.version}",
        )
    return done


# --- the school's steps ------------------------------------------------------------------------------------
def _require_close(actor: Any, req: SupportRequest, what: str) -> None:
    if not rules.may_close(actor, req):
        raise ApplicationError(f"Only the school's leaders, its supervisor or the requester may {what}.")


@transaction.atomic
def request_resolve(
    *, actor: Any, req: SupportRequest, note: str = "", expected_version: int | None = None
) -> SupportRequest:
    """The school confirms the answer settles it."""
    _require_close(actor, req, "resolve this request")
    done = editing.transition(
        obj=req,
        action="resolved",
        to=S.RESOLVED,
        allowed_from=[S.ANSWERED],
        actor=actor,
        event_model=SupportEvent,
        expected_version=expected_version,
        note=note.strip(),
        changes={"resolved_at": timezone.now()},
    )
    _audit(done, actor, "resolved")
    if done.assignee_id and done.assignee_id != getattr(actor, "person_id", None):
        notify(
            person=done.assignee,  # type: ignore[arg-type]
            kind=NOTICE_RESOLVED,
            subject=f"Resolved: {done.subject} ({done.organization.name})",
            link=done.get_absolute_url(),
            once_key=f"support-resolved:{done.pk}",
        )
    return done


@transaction.atomic
def request_reopen(
    *, actor: Any, req: SupportRequest, note: str, expected_version: int | None = None
) -> SupportRequest:
    """The answer does not settle it: back to the assigned responder, saying what is still needed."""
    _require_close(actor, req, "reopen this request")
    if not note.strip():
        raise ApplicationError("Reason: say what is still needed, so the responder can act on it.")
    done = editing.transition(
        obj=req,
        action="reopened",
        to=S.ASSIGNED,
        allowed_from=[S.ANSWERED],
        actor=actor,
        event_model=SupportEvent,
        expected_version=expected_version,
        note=note.strip(),
        changes={"answered_at": None},
    )
    _message(done, actor, SupportMessage.Kind.COMMENT, note)
    _audit(done, actor, "reopened")
    if done.assignee_id:
        notify(
            person=done.assignee,  # type: ignore[arg-type]
            kind=NOTICE_ASSIGNED,
            subject=f"Reopened: {done.subject} ({done.organization.name})",
            body=note.strip()[:500],
            link=done.get_absolute_url(),
            once_key=f"support-reopened:{done.pk}:{done.version}",
        )
    return done


@transaction.atomic
def request_comment(*, actor: Any, req: SupportRequest, body: str) -> SupportMessage:
    """A comment in the thread, from anyone who reads the request, until it is resolved."""
    current = editing.lock(req)
    if not rules.may_read(actor, current):
        raise ApplicationError("You may not comment on this request.")
    if current.status == S.RESOLVED:
        raise ApplicationError("This request is resolved: route a new one if more is needed.")
    if not body.strip():
        raise ApplicationError("Comment: write something first.")
    msg = _message(current, actor, SupportMessage.Kind.COMMENT, body)
    _audit(current, actor, "commented")
    return msg


# --- escalation (the schedule) -----------------------------------------------------------------------------
def support_escalate(*, now: dt.datetime | None = None) -> int:
    """Safety and crisis requests nobody has answered: after the district's `support.escalation_hours`
    the school's principal supervisor is told, after twice as many the superintendent — each once, each
    recorded on the request's timeline. Returns how many notices it sent. Run every quarter hour."""
    from edlead.people.selectors import supervisors_for_schools

    now = now or timezone.now()
    candidates = list(
        SupportRequest.objects.filter(
            category=C.SAFETY, first_answered_at__isnull=True, status__in=AWAITING, escalation_level__lt=2
        ).select_related("district", "organization")
    )
    if not candidates:
        return 0
    config.prefetch_settings([r.district for r in candidates])
    due: list[tuple[SupportRequest, int]] = []
    for req in candidates:
        hours = int(config.setting(req.district, ESCALATION_HOURS))
        waited = now - req.routed_at
        level = (
            2 if waited >= dt.timedelta(hours=2 * hours) else 1 if waited >= dt.timedelta(hours=hours) else 0
        )
        if level > req.escalation_level:
            due.append((req, level))
    if not due:
        return 0
    schools = {r.organization_id: r.organization for r, _ in due}
    supervisors = supervisors_for_schools(schools.values(), on=now.date())
    superintendents = _superintendents({r.district_id for r, _ in due}, now.date())
    sent = 0
    for req, level in due:
        sent += _escalate(
            req, level, supervisors.get(req.organization_id), superintendents.get(req.district_id)
        )
    return sent


def _superintendents(district_ids: set[int], today: dt.date) -> dict[int, Person]:
    found: dict[int, Person] = {}
    for pos in (
        Position.objects.current(today)
        .filter(organization_id__in=district_ids, role=Position.Role.SUPERINTENDENT)
        .select_related("person")
        .order_by("-is_primary", "starts_on", "pk")
    ):
        found.setdefault(pos.organization_id, pos.person)
    return found


@transaction.atomic
def _escalate(
    req: SupportRequest, level: int, supervisor: Person | None, superintendent: Person | None
) -> int:
    current = (
        SupportRequest.objects.select_for_update(of=("self",)).select_related("organization").get(pk=req.pk)
    )
    if current.escalation_level >= level or current.first_answered_at is not None:
        return 0  # another run, or an answer, came first
    hours = int(config.setting(req.district, ESCALATION_HOURS))
    sent = 0
    for step in range(current.escalation_level + 1, level + 1):
        who, role = (supervisor, "principal supervisor") if step == 1 else (superintendent, "superintendent")
        waited = hours * step
        if who is not None:
            notify(
                person=who,
                kind=NOTICE_ESCALATED,
                subject=f"Safety and crisis request unanswered after {waited} hours: {current.organization.name}",
                body=f"{current.subject} — routed to {current.department}.",
                link=current.get_absolute_url(),
                once_key=f"support-escalated:{current.pk}:{step}",
            )
            sent += 1
            note = f"Not answered within {waited} hours: the {role}, {who.display_name}, was told."
        else:
            note = f"Not answered within {waited} hours: no {role} on record to tell."
        SupportEvent.objects.create(
            record=current,
            actor=None,
            actor_label="system",
            action="escalated",
            from_status=current.status,
            to_status=current.status,
            note=note,
        )
    SupportRequest.objects.filter(pk=current.pk).update(escalation_level=level)
    audit_record(
        action=SUPPORT_CHANGED,
        actor=None,
        target=current,
        target_label=f"Support request {current.pk}: {current.subject}"[:255],
        detail={"step": "escalated", "level": level},
        scope=[current.organization.path],
    )
    return sent


# --- responders --------------------------------------------------------------------------------------------
def _require_manage(actor: Any, district: Organization) -> None:
    if not policy.can(actor, policy.SUPPORT_MANAGE, district):
        raise ApplicationError(
            f"Only {district.name}'s administrators and superintendent name department responders."
        )


@transaction.atomic
def responder_add(*, actor: Any, district: Organization, department: str, person: Person) -> Relationship:
    """Name `person`, who works in the district, a responder of one of its departments."""
    _require_manage(actor, district)
    dept = departments.find(district, department)
    if dept is None:
        raise ApplicationError(f"Department: “{department}” is not a department of {district.name}.")
    works_here = (
        Position.objects.current(timezone.localdate())
        .filter(person=person, organization__path__startswith=district.path)
        .exists()
    )
    if not works_here:
        raise ApplicationError(f"Responder: {person.display_name} does not work in {district.name}.")
    # District administrators manage working relationships (the access service checks it); the
    # superintendent names responders through this page's own rule, checked above.
    writer = actor if policy.may_manage_relationships(actor, district) else None
    rel = relationship_start(
        actor=writer,
        kind=Relationship.Kind.RESPONDER,
        holder=person,
        group=dept.group_key,
        organization=district,
        note=f"Responder for {dept.name}",
    )
    audit_record(
        action=RESPONDER_CHANGED,
        actor=actor,
        target=person,
        target_label=f"{person.display_name}, responder for {dept.name}",
        detail={"step": "added", "department": dept.name, "relationship": rel.pk},
        scope=[district.path],
    )
    return rel


@transaction.atomic
def responder_end(*, actor: Any, relationship: Relationship) -> Relationship:
    """End a responder's relationship today: they stop seeing the department's requests tomorrow."""
    parsed = departments.parse_group_key(relationship.group)
    if relationship.kind != Relationship.Kind.RESPONDER or parsed is None:
        raise ApplicationError("That is not a department responder.")
    district = Organization.objects.get(pk=parsed[0])
    _require_manage(actor, district)
    writer = actor if policy.may_manage_relationships(actor, district) else None
    rel = relationship_end(actor=writer, relationship=relationship)
    audit_record(
        action=RESPONDER_CHANGED,
        actor=actor,
        target=rel.holder,
        target_label=f"{rel.holder.display_name}, responder for {parsed[1]}",
        detail={"step": "ended", "department": parsed[1], "relationship": rel.pk},
        scope=[district.path],
    )
    return rel
