"""Demo coaching and mentoring (issue 12, item 3), after the plans seed.

- The demo coach's COACH relationships (started by `relationships_seed`: the demo principal since July,
  a North principal since this week, another until ten days from now) become executive coaching, with a
  cycle and its goals, and sessions about every two weeks — focus, agreed actions and private notes; the
  coachee has shared some with their supervisor.
- The first of the first-year principals (`postings_seed`) is mentored by the district's new-principal
  mentor since nine days after their start, with weekly sessions: hours toward the induction requirement.
- The other first-year principals are left without a mentor: they wait on the coordinator's work queue
  (overdue: more than two weeks since their start) and on the mentor matching page.

Idempotent (nothing is written once Riverton has a coaching relationship); dated relative to the day it
runs; from its own generator."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Q

from edlead.access.models import Relationship, User
from edlead.coaching import services
from edlead.coaching.models import CoachingRelationship, CoachingSession
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

from .demo import RIVERTON_CODE

SEED = "edlead-demo-coaching-v1"
K = CoachingRelationship.Kind
COACH_EMAIL = "coach@demo.edlead.org"
MENTOR_TITLE = "New principal mentor"

FOCUS = (
    ("Leading the instructional leadership team", "Draft the ILT's norms and a 6-week data cycle."),
    (
        "Feedback to teachers after walkthroughs",
        "Two walkthroughs a week with written feedback within 48 hours.",
    ),
    ("Chronic absence: the attendance team", "Meet the attendance team; list the 20 students to call first."),
    ("Difficult conversation with a grade-level team", "Plan the conversation; script the opening."),
    ("Time audit: where the week goes", "Block three mornings for classrooms; delegate the bus duty."),
    ("Family engagement night", "Ask the family liaison to co-plan; invite in three languages."),
    ("Budget priorities for next year", "Rank the three asks against the plan's goals."),
)
NOTES = (
    "Feels stretched between operations and classrooms; proud of the new schedule.",
    "Tension with two veteran teachers about the reading block; wants to listen first.",
    "Worried about the spring results; we agreed to look at the winter benchmark together.",
    "Said the walkthroughs are getting easier; teachers ask for feedback now.",
    "Tired this week; we kept the session short and picked one thing.",
    "Rehearsed the conversation twice; ready for Thursday.",
)
MENTOR_FOCUS = (
    "First weeks: routines, the calendar, who to call",
    "Opening of school: arrival, dismissal, lunch",
    "Meeting the school council",
    "Reading the school's data with the leadership team",
    "First evaluation conversations with teachers",
    "Budget and staffing timeline",
    "Handling a parent complaint",
)
GOALS = (
    (
        "Instructional leadership",
        ("Walkthrough feedback to every teacher each month", "ILT meets weekly with data"),
    ),
    (
        "Time for teaching and learning",
        ("Three mornings a week in classrooms", "Delegate two operational duties"),
    ),
)


def _sessions(
    rng: random.Random,
    rel: CoachingRelationship,
    today: dt.date,
    *,
    every: int,
    minutes: tuple[int, ...],
    focus: tuple[tuple[str, str], ...] | tuple[str, ...],
    coach_user: User | None,
    coachee_user: User | None,
    share_some: bool,
) -> int:
    """Sessions about every `every` days from the start to yesterday (or the end), logged by the coach."""
    end = min(rel.ends_on or today, today - dt.timedelta(days=1))
    day = rel.starts_on + dt.timedelta(days=rng.randint(2, 5))
    written = 0
    while day <= end:
        item = rng.choice(focus)
        topic, action = item if isinstance(item, tuple) else (item, "Try it this week; report next time.")
        by_coachee = share_some and coachee_user is not None and written % 4 == 1  # every fourth: shared
        services.session_log(
            actor=coachee_user if by_coachee else coach_user,
            relationship=rel,
            held_on=day,
            minutes=rng.choice(minutes),
            focus=topic,
            agreed_actions=action,
            notes=rng.choice(NOTES),
            shared_with=CoachingSession.SharedWith.SUPERVISION
            if by_coachee
            else CoachingSession.SharedWith.PRIVATE,
        )
        written += 1
        day += dt.timedelta(days=every + rng.randint(-2, 2))
    return written


def coaching_seed(*, today: dt.date | None = None) -> int:
    """Returns the coaching relationships written (0 when Riverton has some, or without the demo)."""
    day = today or dt.date.today()
    riverton = Organization.objects.filter(code=RIVERTON_CODE).first()
    if riverton is None or CoachingRelationship.objects.filter(organization=riverton).exists():
        return 0
    rng = random.Random(SEED)
    users = {
        u.person_id: u for u in User.objects.filter(person__isnull=False, email__endswith="@demo.edlead.org")
    }
    written = 0
    coach_user = User.objects.filter(email=COACH_EMAIL).select_related("person").first()
    if coach_user is not None and coach_user.person is not None:
        coached = (
            Relationship.objects.filter(
                kind=Relationship.Kind.COACH, holder=coach_user.person, coaching__isnull=True
            )
            .select_related("person")
            .order_by("starts_on", "pk")
        )
        for access in coached:
            assert access.person is not None
            rel = services.relationship_create(
                actor=None, kind=K.EXECUTIVE_COACH, coach=coach_user.person, coachee=access.person
            )
            written += 1
            coachee_user = users.get(access.person.pk)
            if (day - rel.starts_on).days > 30:
                title, goals = GOALS[written % len(GOALS)]
                cycle = services.cycle_add(actor=None, relationship=rel, title=title, starts_on=rel.starts_on)
                for statement in goals:
                    services.goal_add(actor=None, cycle=cycle, statement=statement)
            _sessions(
                rng,
                rel,
                day,
                every=14,
                minutes=(45, 60, 60, 75, 90),
                focus=FOCUS,
                coach_user=coach_user,
                coachee_user=coachee_user,
                share_some=True,
            )
    # First-year principals: the first mentored (within two weeks of the start), the others waiting.
    since = day - dt.timedelta(days=services.NEW_PRINCIPAL_DAYS)
    new_heads = [
        pos
        for pos in Position.objects.current(day)
        .filter(
            organization__path__startswith=riverton.path, role=Position.Role.PRINCIPAL, starts_on__gte=since
        )
        .select_related("person", "organization")
        .order_by("organization__name", "pk")
        if not Position.objects.filter(person=pos.person, role=Position.Role.PRINCIPAL)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lt=since))
        .exists()
    ]
    mentor = (
        Person.objects.filter(
            positions__organization=riverton, positions__title=MENTOR_TITLE, positions__ends_on__isnull=True
        )
        .order_by("pk")
        .first()
    )
    if new_heads and mentor is not None:
        head = new_heads[0]
        assert head.starts_on is not None
        start = min(head.starts_on + dt.timedelta(days=9), day)
        rel = services.relationship_create(
            actor=None, kind=K.NEW_PRINCIPAL_MENTOR, coach=mentor, coachee=head.person, starts_on=start
        )
        written += 1
        _sessions(
            rng,
            rel,
            day,
            every=7,
            minutes=(60, 90, 90, 120),
            focus=MENTOR_FOCUS,
            coach_user=users.get(mentor.pk),
            coachee_user=users.get(head.person_id),
            share_some=False,
        )
    return written
