"""Cohorts and think tanks (issue 11, item 4): groups of leaders, often from several districts, who meet
over months — meetings with agendas and attendance, shared resources (the attachment store) and posts
(success stories, questions, notes).

Membership is an access `Relationship` of kind "member" to the cohort's `group_key`, so a member sees
the cohort whichever district they work in (the `learning.cohort_view` rule declared in apps.py). The
relationship belongs to the cohort's district, or to the state for a state-run cohort. The district's
(or the state's) program coordinators (`program.manage`) create cohorts; they and the facilitator run
them: members, meetings, attendance. Members and the facilitator post."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from edlead.access import policy
from edlead.access.models import Relationship
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.learning.models import Cohort, CohortAttendance, CohortMeeting, CohortPost, Program
from edlead.learning.services import COHORT_VIEW
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

COHORT_CREATED = "learning_cohort_created"
COHORT_MEMBER_ADDED = "learning_cohort_member_added"
COHORT_MEMBER_REMOVED = "learning_cohort_member_removed"
COHORT_MEETING_ADDED = "learning_cohort_meeting_added"
COHORT_ATTENDANCE = "learning_cohort_attendance"
COHORT_POST_ADDED = "learning_cohort_post_added"
COHORT_POST_REMOVED = "learning_cohort_post_removed"
AUDIT_VERBS = {
    COHORT_CREATED: "Cohort or think tank started",
    COHORT_MEMBER_ADDED: "Member added to a cohort",
    COHORT_MEMBER_REMOVED: "Member removed from a cohort",
    COHORT_MEETING_ADDED: "Cohort meeting scheduled",
    COHORT_ATTENDANCE: "Cohort attendance taken",
    COHORT_POST_ADDED: "Posted to a cohort",
    COHORT_POST_REMOVED: "Cohort post removed",
}
NOTICE_MEETING = "learning.cohort_meeting"  # to register in apps.py: a meeting of your cohort is scheduled
NOTICE_MEMBER = "learning.cohort_member"  # to register in apps.py: you were added to a cohort
MEMBER = Relationship.Kind.MEMBER
TITLE_MAX = 200  # CohortPost.title
BODY_MAX = 5000
AGENDA_MAX = 5000
NAME_MAX = 200  # Cohort.name


# --- who may do what --------------------------------------------------------------------------------
def manages(user: Any, cohort: Cohort) -> bool:
    """A coordinator of the cohort's district (or of the state, for a state-run cohort)."""
    return policy.can(user, policy.PROGRAM_MANAGE, cohort)


def facilitates(user: Any, cohort: Cohort) -> bool:
    return bool(getattr(user, "person_id", None)) and user.person_id == cohort.facilitator_id


def runs(user: Any, cohort: Cohort) -> bool:
    """The facilitator or a coordinator: members, meetings and attendance."""
    return facilitates(user, cohort) or manages(user, cohort)


def is_member(person_id: int | None, cohort: Cohort, on: dt.date | None = None) -> bool:
    if not person_id:
        return False
    return _active_members(cohort, on).filter(holder_id=person_id).exists()


def manageable_organizations(user: Any) -> list[tuple[str, str]]:
    """(value, label) of who may run a cohort this user starts: "" for the state (a grant on the state
    root), else each organization their program-coordinating grants sit on."""
    seen: dict[str, str] = {}
    for g in policy.grants_for(user, policy.PROGRAM_MANAGE):
        if g.path.count("/") == 2:
            seen.setdefault("", "The state (every district)")
        else:
            seen.setdefault(str(g.org_id), g.org_name)
    return sorted(seen.items(), key=lambda kv: (kv[0] != "", kv[1]))


def _state_root() -> Organization:
    root = Organization.objects.filter(kind=Organization.Kind.STATE).order_by("pk").first()
    if root is None:
        raise ApplicationError("The state agency is missing: load the organizations first.")
    return root


def _home(cohort: Cohort) -> Organization:
    """The organization a cohort's relationships and audit events belong to."""
    return cohort.organization if cohort.organization is not None else _state_root()


def _audit(action: str, actor: Any, cohort: Cohort, target: Any = None, **detail: Any) -> None:
    audit_record(
        action=action,
        actor=actor,
        target=target or cohort,
        detail={"cohort": cohort.pk, **detail},
        scope=[_home(cohort).path],
    )


def _clean(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise ApplicationError(" ".join(m for ms in exc.message_dict.values() for m in ms)) from exc


# --- readers ----------------------------------------------------------------------------------------
def _active_members(cohort: Cohort, on: dt.date | None = None) -> QuerySet[Relationship]:
    return Relationship.objects.active(on or timezone.localdate()).filter(kind=MEMBER, group=cohort.group_key)


def current_positions(on: dt.date | None = None) -> Prefetch:
    """A person's current positions with their organization and its district, as `current_positions`."""
    return Prefetch(
        "positions",
        queryset=Position.objects.current(on or timezone.localdate())
        .select_related("organization__district")
        .order_by("-is_primary", "pk"),
        to_attr="current_positions",
    )


def members(cohort: Cohort) -> list[Person]:
    """The people with an active membership, by name, with their current positions (two queries)."""
    today = timezone.localdate()
    return list(
        Person.objects.filter(pk__in=_active_members(cohort, today).values("holder_id"))
        .prefetch_related(current_positions(today))
        .order_by("last_name", "first_name", "pk")
    )


def visible_q(user: Any) -> Q:
    """Cohorts the user is in (member, facilitator) or manages (a coordinator)."""
    mine = policy.visible_to(user, Cohort.objects.all(), COHORT_VIEW)
    managed = policy.visible_to(user, Cohort.objects.all(), policy.PROGRAM_MANAGE)
    return Q(pk__in=mine.values("pk")) | Q(pk__in=managed.values("pk"))


def cohort_for(user: Any, pk: int) -> Cohort:
    """One cohort the user is in or manages; 404 for anyone else and for a missing one alike."""
    from django.http import Http404

    cohort = (
        Cohort.objects.filter(visible_q(user), pk=pk)
        .select_related("facilitator", "organization", "program")
        .first()
    )
    if cohort is None:
        raise Http404("No such cohort of yours.")
    return cohort


def cohorts_listed(user: Any, *, managed: bool) -> QuerySet[Cohort]:
    """The cohorts the user is in (`managed=False`) or, for a coordinator, the others they manage, with
    their member count and next meeting (one query)."""
    mine = policy.visible_to(user, Cohort.objects.all(), COHORT_VIEW)
    if managed:
        qs = policy.visible_to(user, Cohort.objects.all(), policy.PROGRAM_MANAGE).exclude(
            pk__in=mine.values("pk")
        )
    else:
        qs = mine
    now = timezone.now()
    counts = (
        _member_counts_base()
        .filter(group=OuterRef("group_key"))
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        qs.select_related("facilitator", "organization")
        .annotate(
            member_count=Coalesce(Subquery(counts), 0),
            next_meeting=Min("meetings__starts_at", filter=Q(meetings__starts_at__gt=now)),
        )
        .order_by("-starts_on", "name", "pk")
    )


def _member_counts_base() -> QuerySet[Relationship]:
    return Relationship.objects.active(timezone.localdate()).filter(kind=MEMBER)


# --- writers ----------------------------------------------------------------------------------------
@transaction.atomic
def cohort_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    facilitator: Person,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    organization: Organization | None = None,
    program: Program | None = None,
    description: str = "",
) -> Cohort:
    """A cohort run by `organization` (a district; None: the state). Its coordinators start it."""
    cohort = Cohort(
        name=" ".join(name.split()),
        kind=kind,
        facilitator=facilitator,
        starts_on=starts_on,
        ends_on=ends_on,
        organization=organization,
        program=program,
        description=description.strip(),
    )
    if actor is not None:
        if not policy.can(actor, policy.PROGRAM_MANAGE, cohort):
            where = organization.name if organization is not None else "the state"
            raise ApplicationError(f"Only a program coordinator of {where} starts a cohort there.")
        if program is not None and not policy.can(actor, policy.PROGRAM_MANAGE, program):
            raise ApplicationError("Link the cohort to a program you coordinate.")
    if not cohort.name:
        raise ApplicationError("Name: give the cohort a name.")
    _clean(cohort)
    cohort.save()
    _audit(COHORT_CREATED, actor, cohort, kind=kind, facilitator=facilitator.pk)
    return cohort


def _check_runs(actor: Any, cohort: Cohort, what: str) -> None:
    if actor is not None and not runs(actor, cohort):
        raise ApplicationError(f"Only the facilitator or a coordinator of this cohort {what}.")


@transaction.atomic
def member_add(
    *, actor: Any, cohort: Cohort, person: Person, starts_on: dt.date | None = None
) -> Relationship:
    """Make `person` — from any district — a member from `starts_on` (today by default): they see the
    cohort, its meetings, resources and posts. The facilitator or a coordinator adds members."""
    from edlead.access.services import relationship_start
    from edlead.notices.services import notify_many

    current = Cohort.objects.select_for_update(of=("self",)).select_related("organization").get(pk=cohort.pk)
    _check_runs(actor, current, "adds members")
    if person.pk == current.facilitator_id:
        raise ApplicationError(f"{person.display_name} facilitates {current.name}: they see it already.")
    start = starts_on or timezone.localdate()
    if (
        Relationship.objects.filter(kind=MEMBER, group=current.group_key, holder=person)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .exists()
    ):
        raise ApplicationError(f"{person.display_name} is already a member of {current.name}.")
    # The access service's own check (relationship managers: administrators and HR) would refuse a
    # program coordinator or a facilitator, who are the ones allowed here (checked above): the system
    # records the relationship, and this module's audit event names who asked.
    rel = relationship_start(
        actor=None,
        kind=MEMBER,
        holder=person,
        organization=_home(current),
        group=current.group_key,
        starts_on=start,
        note=f"Member of {current.name}"[:255],
    )
    _audit(COHORT_MEMBER_ADDED, actor, current, person=person.pk, relationship=rel.pk)
    notify_many(
        people=[person],
        kind=NOTICE_MEMBER,
        subject=f"You are a member of {current.name}",
        body=f"{current.get_kind_display()}: its meetings, shared resources and posts are open to you.",
        link=current.get_absolute_url(),
        once_key=f"learning-cohort-member:{rel.pk}",
    )
    return rel


@transaction.atomic
def member_remove(*, actor: Any, cohort: Cohort, person: Person) -> Relationship:
    """End `person`'s membership: from today (the last day was yesterday), or at the end of today for a
    membership that began today."""
    from edlead.access.services import relationship_end

    current = Cohort.objects.select_for_update(of=("self",)).select_related("organization").get(pk=cohort.pk)
    _check_runs(actor, current, "removes members")
    today = timezone.localdate()
    rel = _active_members(current, today).filter(holder=person).order_by("starts_on", "pk").first()
    if rel is None:
        raise ApplicationError(f"{person.display_name} is not a member of {current.name}.")
    last_day = max(today - dt.timedelta(days=1), rel.starts_on)
    # actor=None for the same reason as in member_add (needs relationship_end to accept the system).
    ended = relationship_end(actor=None, relationship=rel, ends_on=last_day)
    _audit(COHORT_MEMBER_REMOVED, actor, current, person=person.pk, relationship=rel.pk)
    return ended


@transaction.atomic
def meeting_add(
    *,
    actor: Any,
    cohort: Cohort,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str = "",
    online_url: str = "",
    agenda: str = "",
) -> CohortMeeting:
    """A meeting with its agenda; the members are told once when it is still to come."""
    from edlead.notices.services import notify_many

    _check_runs(actor, cohort, "schedules meetings")
    if ends_at <= starts_at:
        raise ApplicationError("Ends: a meeting ends after it starts.")
    if ends_at - starts_at > dt.timedelta(hours=24):
        raise ApplicationError("Ends: a meeting lasts a day at most; add one meeting per day.")
    if len(agenda) > AGENDA_MAX:
        raise ApplicationError(f"Agenda: at most {AGENDA_MAX} characters.")
    meeting = CohortMeeting(
        cohort=cohort,
        starts_at=starts_at,
        ends_at=ends_at,
        place=" ".join(place.split()),
        online_url=online_url.strip(),
        agenda=agenda.strip(),
    )
    _clean(meeting)
    meeting.save()
    _audit(COHORT_MEETING_ADDED, actor, cohort, meeting=meeting.pk)
    if starts_at > timezone.now():
        by = getattr(actor, "person_id", None)
        people = Person.objects.filter(pk__in=_active_members(cohort).values("holder_id")).exclude(pk=by or 0)
        when = timezone.localtime(starts_at)
        notify_many(
            people=people,
            kind=NOTICE_MEETING,
            subject=f"{cohort.name}: meeting on {when:%A %d %B %Y, %H:%M}",
            body=meeting.agenda[:500],
            link=cohort.get_absolute_url() + f"#meeting-{meeting.pk}",
            once_key=f"learning-cohort-meeting:{meeting.pk}",
        )
    return meeting


@transaction.atomic
def record_attendance(*, actor: Any, meeting: CohortMeeting, present_person_ids: list[int]) -> int:
    """Who came to a meeting that has begun: the members in `present_person_ids` were there, every other
    current member was not. Refused, with nothing saved: anyone who is not a member. Returns how many
    were present."""
    current = (
        CohortMeeting.objects.select_for_update(of=("self",))
        .select_related("cohort__organization")
        .get(pk=meeting.pk)
    )
    cohort = current.cohort
    _check_runs(actor, cohort, "takes attendance")
    if current.starts_at > timezone.now():
        raise ApplicationError("This meeting has not begun yet: take attendance on or after the day.")
    member_ids = set(_active_members(cohort).values_list("holder_id", flat=True))
    present = {int(i) for i in present_person_ids}
    strangers = present - member_ids
    if strangers:
        n = len(strangers)
        raise ApplicationError(
            f"{n} of those marked present {'is' if n == 1 else 'are'} not a member of {cohort.name}; "
            "nothing was saved. Add them as members first."
        )
    existing = {a.person_id: a for a in CohortAttendance.objects.filter(meeting=current)}
    new, changed = [], []
    for pid in sorted(member_ids):
        here = pid in present
        row = existing.get(pid)
        if row is None:
            new.append(CohortAttendance(meeting=current, person_id=pid, present=here))
        elif row.present != here:
            row.present = here
            changed.append(row)
    try:
        CohortAttendance.objects.bulk_create(new)
    except IntegrityError as exc:  # cannot happen under the row lock; a plain message if it does
        raise ApplicationError("Attendance was being saved at the same time; try again.") from exc
    CohortAttendance.objects.bulk_update(changed, ["present"])
    _audit(
        COHORT_ATTENDANCE,
        actor,
        cohort,
        meeting=current.pk,
        present=len(present),
        absent=len(member_ids - present),
    )
    return len(present)


@transaction.atomic
def post_add(
    *,
    actor: Any,
    cohort: Cohort,
    kind: str,
    title: str,
    body: str,
    author: Person | None = None,
) -> CohortPost:
    """A member's (or the facilitator's) post. `author` is for the system (the demo): a person's post is
    always their own."""
    if actor is not None:
        author_id = getattr(actor, "person_id", None)
        if not author_id or not (author_id == cohort.facilitator_id or is_member(author_id, cohort)):
            raise ApplicationError(f"Only the members and the facilitator of {cohort.name} post to it.")
    elif author is None:
        raise ApplicationError("A post has an author.")
    else:
        author_id = author.pk
    title = " ".join(title.split())
    body = body.strip()
    if kind not in CohortPost.Kind.values:
        raise ApplicationError("Kind: a success story, a question or a note.")
    if not title:
        raise ApplicationError("Title: give the post a title.")
    if len(title) > TITLE_MAX:
        raise ApplicationError(f"Title: at most {TITLE_MAX} characters.")
    if not body:
        raise ApplicationError("Text: write something to share.")
    if len(body) > BODY_MAX:
        raise ApplicationError(f"Text: at most {BODY_MAX} characters.")
    post = CohortPost(cohort=cohort, author_id=author_id, kind=kind, title=title, body=body)
    _clean(post)
    post.save()
    _audit(COHORT_POST_ADDED, actor, cohort, post=post.pk, kind=kind)
    return post


@transaction.atomic
def post_remove(*, actor: Any, post: CohortPost) -> None:
    """Its author or a coordinator of the cohort removes a post."""
    cohort = post.cohort
    if actor is not None:
        own = getattr(actor, "person_id", None) == post.author_id
        if not own and not manages(actor, cohort):
            raise ApplicationError("Only its author or a coordinator of the cohort removes a post.")
    _audit(COHORT_POST_REMOVED, actor, cohort, post=post.pk, title=post.title, author=post.author_id)
    post.delete()
