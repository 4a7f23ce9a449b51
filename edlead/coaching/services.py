"""The only writers of coaching: relationships (each standing on a platform `access.Relationship`, started
and ended with `access.services`), cycles and goals, session logs, sharing of notes, and the coordinator's
mentor assignment (which starts the MENTOR relationship and invites the mentor). Keyword-only, one
transaction each, audited — never with a session's notes, focus or actions in the audit detail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from edlead import config
from edlead.access import policy
from edlead.access.models import Relationship, RoleGrant, User
from edlead.coaching.models import CoachingCycle, CoachingRelationship, CoachingSession, CycleGoal
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

K = CoachingRelationship.Kind
SHARED = CoachingSession.SharedWith

INDUCTION_HOURS = "coaching.induction_mentoring_hours"
CASELOAD = "coaching.mentor_caseload"
MENTOR_YEARS = "coaching.mentor_min_years"
MENTOR_WITHIN_DAYS = 14  # a new administrator has a trained mentor within two weeks (DOMAIN.md §4)
NEW_PRINCIPAL_DAYS = 365  # a principal is new in their first year as a principal anywhere
NOTICE_MENTOR = "coaching.mentor_assigned"

COACHING_STARTED = "coaching_started"
COACHING_ENDED = "coaching_ended"
SESSION_LOGGED = "coaching_session_logged"
NOTES_SHARED = "coaching_notes_shared"
CYCLE_CHANGED = "coaching_cycle_changed"
MENTOR_ASSIGNED = "mentor_assigned"
AUDIT_VERBS = {
    COACHING_STARTED: "Coaching or mentoring started",
    COACHING_ENDED: "Coaching or mentoring ended",
    SESSION_LOGGED: "Coaching session logged",
    NOTES_SHARED: "Coaching notes sharing changed",
    CYCLE_CHANGED: "Coaching cycle or goal changed",
    MENTOR_ASSIGNED: "Mentor assigned to a new principal",
}


def declare_settings() -> None:
    section = "Coaching and mentoring"
    config.register(
        INDUCTION_HOURS,
        "Mentoring hours in a new principal's induction",
        config.INT,
        50,
        "The hours of mentoring a new principal logs with their mentor in the induction year; shown as "
        "progress on the mentoring relationship.",
        section=section,
        minimum=0,
        maximum=500,
    )
    config.register(
        CASELOAD,
        "New principals one mentor may take",
        config.INT,
        2,
        "Mentor matching proposes no mentor for more new or peer mentees than this at once.",
        section=section,
        minimum=1,
        maximum=10,
    )
    config.register(
        MENTOR_YEARS,
        "Years as principal before mentoring",
        config.INT,
        3,
        "Mentor matching proposes principals with at least this many years as principal.",
        section=section,
        minimum=1,
        maximum=30,
    )


# --- helpers -----------------------------------------------------------------------------------------------
def _clean(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        messages = [f"{m}" for msgs in exc.message_dict.values() for m in msgs]
        raise ApplicationError(" ".join(messages)) from exc


def district_of(org: Organization) -> Organization:
    if org.kind in (Organization.Kind.DISTRICT, Organization.Kind.STATE) or org.district_id is None:
        return org
    district = org.district
    assert district is not None
    return district


def home_organization(person: Person, on: dt.date | None = None) -> Organization | None:
    """Where the person works now (their primary current position's organization)."""
    pos = (
        Position.objects.current(on)
        .filter(person=person)
        .select_related("organization__district")
        .order_by("-is_primary", "pk")
        .first()
    )
    return pos.organization if pos else None


ASSIGNING_ACTIONS = frozenset({policy.PROGRAM_MANAGE, policy.ROLE_MANAGE})


def may_assign(user: Any, org: Organization) -> bool:
    """Program coordinators and administrators of `org`'s district (or above) start and end coaching and
    mentoring relationships there and assign mentors."""
    return bool(policy.actions_on(user, org) & ASSIGNING_ACTIONS)


def may_assign_anywhere(user: Any) -> bool:
    return any(policy.can(user, action) for action in ASSIGNING_ACTIONS)


def shows_coaching(user: Any) -> bool:
    """Whether "Coaching" belongs in the user's navigation: coaches and mentors, coachees (anyone with a
    person record may be one), and those who assign mentors."""
    return bool(
        getattr(user, "is_authenticated", False) and getattr(user, "person_id", None)
    ) or may_assign_anywhere(user)


def is_participant(user: Any, rel: CoachingRelationship) -> bool:
    pid = getattr(user, "person_id", None)
    return pid is not None and pid in (rel.coach_id, rel.coachee_id)


def _audit(action: str, actor: Any, rel: CoachingRelationship, **detail: Any) -> None:
    audit_record(
        action=action,
        actor=actor,
        target=rel,
        target_label=str(rel),
        detail={"kind": rel.kind, "coach": rel.coach_id, "coachee": rel.coachee_id, **detail},
        subject_person_id=rel.coachee_id,
    )


# --- relationships -----------------------------------------------------------------------------------------
@transaction.atomic
def relationship_create(
    *,
    actor: Any,
    kind: str,
    coach: Person,
    coachee: Person,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> CoachingRelationship:
    """Record that `coach` coaches or mentors `coachee`. It stands on a platform relationship (COACH or
    MENTOR): one already recorded for these two and not yet part of a coaching relationship is used
    (with its dates); else one is started. The access service's own check (administrators and HR) would
    refuse a program coordinator, who is allowed here (checked first): the system records the access
    relationship, and this module's audit event names who asked."""
    from edlead.access.services import relationship_start

    if kind not in K.values:
        raise ApplicationError("Kind: choose one of the kinds of coaching.")
    if coach.pk == coachee.pk:
        raise ApplicationError("Coach: nobody coaches or mentors themselves.")
    place = home_organization(coachee)
    if place is None:
        raise ApplicationError(f"Coachee: {coachee.display_name} holds no current position.")
    district = district_of(place)
    if actor is not None and not may_assign(actor, district):
        raise ApplicationError(f"You may not start coaching or mentoring in {district.name}.")
    start = starts_on or timezone.localdate()
    if ends_on is not None and ends_on < start:
        raise ApplicationError("End date: it comes before the start date.")
    access_kind = CoachingRelationship.ACCESS_KIND[kind]
    existing = (
        Relationship.objects.select_for_update(of=("self",))  # the outer join below: lock this table only
        .filter(kind=access_kind, holder=coach, person=coachee, coaching__isnull=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .order_by("starts_on", "pk")
        .first()
    )
    if existing is not None:
        access, start, ends_on = existing, existing.starts_on, existing.ends_on
    else:
        access = relationship_start(
            actor=None,
            kind=access_kind,
            holder=coach,
            person=coachee,
            organization=district,
            starts_on=start,
            ends_on=ends_on,
            note=K(kind).label,
        )
    rel = CoachingRelationship(
        kind=kind,
        coach=coach,
        coachee=coachee,
        organization=district,
        access=access,
        starts_on=start,
        ends_on=ends_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _clean(rel)
    rel.save()
    _audit(COACHING_STARTED, actor, rel, access=access.pk, starts_on=start.isoformat())
    return rel


@transaction.atomic
def relationship_end(
    *, actor: Any, relationship: CoachingRelationship, ends_on: dt.date | None = None
) -> CoachingRelationship:
    """End the coaching and the access it gave (the last day is `ends_on`, today by default)."""
    from edlead.access.services import relationship_end as access_end

    rel = (
        CoachingRelationship.objects.select_for_update()
        .select_related("organization")
        .get(pk=relationship.pk)
    )
    if actor is not None and not may_assign(actor, rel.organization):
        raise ApplicationError("Only a program coordinator or an administrator of the district ends it.")
    end = ends_on or timezone.localdate()
    if end < rel.starts_on:
        raise ApplicationError("End date: it comes before the start date.")
    if rel.ends_on is not None and rel.ends_on <= end:
        raise ApplicationError("That relationship has already ended.")
    access_end(actor=None, relationship=rel.access, ends_on=end)
    rel.ends_on = end
    rel.save(update_fields=["ends_on", "updated_at"])
    _audit(COACHING_ENDED, actor, rel, ends_on=end.isoformat())
    return rel


# --- cycles and goals ---------------------------------------------------------------------------------------
def _check_participant(actor: Any, rel: CoachingRelationship) -> None:
    if actor is not None and not is_participant(actor, rel):
        raise ApplicationError("Only the coach and the coachee of this relationship do that.")


def _check_within(rel: CoachingRelationship, day: dt.date, label: str) -> None:
    if day < rel.starts_on or (rel.ends_on is not None and day > rel.ends_on):
        until = rel.ends_on.isoformat() if rel.ends_on else "today"
        raise ApplicationError(
            f"{label}: it is outside the relationship ({rel.starts_on.isoformat()} to {until})."
        )


@transaction.atomic
def cycle_add(
    *,
    actor: Any,
    relationship: CoachingRelationship,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
) -> CoachingCycle:
    _check_participant(actor, relationship)
    if not title.strip():
        raise ApplicationError("Title: give the cycle a name.")
    _check_within(relationship, starts_on, "Start date")
    if ends_on is not None and ends_on < starts_on:
        raise ApplicationError("End date: it comes before the start date.")
    cycle = CoachingCycle(
        relationship=relationship, title=title.strip(), starts_on=starts_on, ends_on=ends_on
    )
    _clean(cycle)
    cycle.save()
    _audit(CYCLE_CHANGED, actor, relationship, cycle=cycle.pk, step="cycle added")
    return cycle


@transaction.atomic
def goal_add(*, actor: Any, cycle: CoachingCycle, statement: str) -> CycleGoal:
    _check_participant(actor, cycle.relationship)
    if not statement.strip():
        raise ApplicationError("Goal: write what the cycle aims for.")
    goal = CycleGoal(cycle=cycle, statement=statement.strip())
    _clean(goal)
    goal.save()
    _audit(CYCLE_CHANGED, actor, cycle.relationship, cycle=cycle.pk, goal=goal.pk, step="goal added")
    return goal


@transaction.atomic
def goal_set_status(*, actor: Any, goal: CycleGoal, status: str) -> CycleGoal:
    _check_participant(actor, goal.cycle.relationship)
    if status not in CycleGoal.Status.values:
        raise ApplicationError("Status: choose in progress, met or set aside.")
    goal.status = status
    goal.save(update_fields=["status", "updated_at"])
    _audit(CYCLE_CHANGED, actor, goal.cycle.relationship, goal=goal.pk, step=f"goal {status}")
    return goal


# --- sessions ---------------------------------------------------------------------------------------------
@transaction.atomic
def session_log(
    *,
    actor: Any,
    relationship: CoachingRelationship,
    held_on: dt.date,
    minutes: int,
    focus: str,
    agreed_actions: str = "",
    notes: str = "",
    shared_with: str = SHARED.PRIVATE,
    cycle: CoachingCycle | None = None,
) -> CoachingSession:
    """Log a session. Only the coach and the coachee log; only the coachee shares notes beyond the two."""
    rel = CoachingRelationship.objects.select_for_update().get(pk=relationship.pk)
    _check_participant(actor, rel)
    if held_on > timezone.localdate():
        raise ApplicationError("Date: a session is logged once it has taken place.")
    _check_within(rel, held_on, "Date")
    if minutes is None or minutes < 1 or minutes > 720:
        raise ApplicationError("Length in minutes: between 1 and 720.")
    if not focus.strip():
        raise ApplicationError("Focus: say what the session was about.")
    if shared_with not in SHARED.values:
        raise ApplicationError("Shared with: choose who may read the notes.")
    if shared_with != SHARED.PRIVATE and actor is not None and actor.person_id != rel.coachee_id:
        raise ApplicationError("Shared with: only the coachee shares the notes beyond the two of you.")
    if cycle is not None and cycle.relationship_id != rel.pk:
        raise ApplicationError("Cycle: choose a cycle of this relationship.")
    session = CoachingSession(
        relationship=rel,
        cycle=cycle,
        held_on=held_on,
        minutes=minutes,
        focus=focus.strip(),
        agreed_actions=agreed_actions.strip(),
        notes=notes.strip(),
        shared_with=shared_with,
        logged_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _clean(session)
    session.save()
    _audit(SESSION_LOGGED, actor, rel, session=session.pk, held_on=held_on.isoformat(), minutes=minutes)
    return session


@transaction.atomic
def session_share(*, actor: Any, session: CoachingSession, shared_with: str) -> CoachingSession:
    """The coachee shares a session's notes with their evaluator and supervisors, or takes them back."""
    current = CoachingSession.objects.select_for_update().select_related("relationship").get(pk=session.pk)
    if actor is None or actor.person_id != current.relationship.coachee_id:
        raise ApplicationError("Only the coachee shares the notes of their sessions.")
    if shared_with not in SHARED.values:
        raise ApplicationError("Shared with: choose who may read the notes.")
    current.shared_with = shared_with
    current.save(update_fields=["shared_with", "updated_at"])
    _audit(NOTES_SHARED, actor, current.relationship, session=current.pk, shared_with=shared_with)
    return current


# --- mentor assignment ---------------------------------------------------------------------------------------
def mentor_load(mentor_ids: list[int], on: dt.date) -> dict[int, int]:
    """Mentees each mentor has now (new-principal and peer mentoring in force on `on`), one query."""
    from django.db.models import Count

    rows = (
        CoachingRelationship.objects.filter(
            coach_id__in=mentor_ids, kind__in=CoachingRelationship.MENTORING_KINDS
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .values("coach_id")
        .annotate(n=Count("pk"))
    )
    return {r["coach_id"]: r["n"] for r in rows}


@transaction.atomic
def mentor_assign(
    *, actor: Any, mentee: Person, mentor: Person, starts_on: dt.date | None = None
) -> CoachingRelationship:
    """Confirm `mentor` for the new principal `mentee` (the coordinator's choice or the proposal): the
    MENTOR relationship starts, the mentor is told, and invited to EdLead when they have no account."""
    from edlead.accounts.models import Invitation
    from edlead.accounts.services import invitation_create
    from edlead.notices.services import notify

    today = timezone.localdate()
    start = starts_on or today
    # One confirmation at a time for these two people (a double click, a second tab): lock both rows.
    list(
        Person.objects.select_for_update()
        .filter(pk__in=[mentee.pk, mentor.pk])
        .order_by("pk")
        .values_list("pk")
    )
    if mentee.pk == mentor.pk:
        raise ApplicationError("Mentor: a new principal does not mentor themselves.")
    if (
        CoachingRelationship.objects.filter(coachee=mentee, kind=K.NEW_PRINCIPAL_MENTOR)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .exists()
    ):
        raise ApplicationError(f"{mentee.display_name} already has a mentor.")
    place = home_organization(mentor)
    if (
        place is None
        or not Position.objects.current(today).filter(person=mentor, role=Position.Role.PRINCIPAL).exists()
    ):
        raise ApplicationError(f"Mentor: {mentor.display_name} is not a principal now.")
    limit = int(config.setting(district_of(place), CASELOAD))
    load = mentor_load([mentor.pk], start).get(mentor.pk, 0)
    if load >= limit:
        raise ApplicationError(
            f"Mentor: {mentor.display_name} already mentors {load}, the most their district allows ({limit})."
        )
    rel = relationship_create(
        actor=actor, kind=K.NEW_PRINCIPAL_MENTOR, coach=mentor, coachee=mentee, starts_on=start
    )
    # Invited (the system sends it: the coordinator manages no accounts) to the least role there is on
    # their own school; the mentee's records open through the MENTOR relationship, not a role.
    invited = False
    email = mentor.email.strip().lower()
    if (
        email
        and not User.objects.filter(Q(person=mentor) | Q(email__iexact=email)).exists()
        and not Invitation.objects.pending().filter(email=email).exists()
    ):
        invitation_create(actor=None, role=RoleGrant.Role.EDUCATOR, organization=place, person=mentor)
        invited = True
    notify(
        person=mentor,
        kind=NOTICE_MENTOR,
        subject=f"You are {mentee.display_name}'s mentor",
        body="A new principal's induction: log your sessions and hours in EdLead under Coaching.",
        link=rel.get_absolute_url(),
        once_key=f"coaching-mentor:{rel.pk}",
    )
    notify(
        person=mentee,
        kind=NOTICE_MENTOR,
        subject=f"{mentor.display_name} is your mentor",
        body="Your mentor for your first year as principal.",
        link=rel.get_absolute_url(),
        once_key=f"coaching-mentee:{rel.pk}",
    )
    _audit(MENTOR_ASSIGNED, actor, rel, invited=invited)
    return rel
