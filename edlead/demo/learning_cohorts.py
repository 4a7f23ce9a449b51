"""Demo cohorts and think tanks (issue 11, item 4): a state-run cohort of new principals from Riverton and
Lakemont, facilitated by Riverton's new-principal mentor, with three meetings held (attendance taken), one
to come and two success stories; and the School Mental Health Think Tank (the state's program of that
title) of experienced principals from three districts — the demo principal among them — facilitated by
Riverton's leadership coach (the coach persona), with one meeting to come.

Written through the cohort services as the system, so members hold the same "member" relationships real
ones do (and are told, like real ones). Dated relative to the day it runs; from its own generator; runs
once: a database with cohorts is left alone."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from edlead.learning import services_cohorts as sc
from edlead.learning.models import Cohort, CohortPost, Program
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

from .demo import HARBORLIGHT_CODE, LAKEMONT_CODE, RIVERTON_CODE

SEED = "edlead-demo-cohorts-v1"
R = Position.Role
NEW_COHORT_KIND = Cohort.Kind.COHORT
THINK_TANK_TITLE = "School Mental Health Think Tank"
MENTOR_TITLE = "New principal mentor"
COACH_TITLE = "Leadership coach"
NEW_AGENDAS = (
    "Entry plans: what you have learned in your first weeks; setting the year's two or three priorities.",
    "Leading the first instructional rounds: what to look for, how to give feedback teachers use.",
    "Budget season: reading your school's allocation; staffing choices and who to ask at central office.",
    "Difficult conversations with families and staff: a protocol, and practice in pairs.",
)
THINK_TANK_AGENDA = (
    "Screening for student well-being: what each school uses now; partnering with community mental "
    "health agencies; the draft of the think tank's recommendations to the state."
)
STORIES = (
    (
        "Our attendance team cut chronic absence by a third",
        "We moved the attendance meeting to Monday mornings and gave every chronically absent student one "
        "adult who checks in daily. Eleven weeks in, chronic absence is down from 18% to 12%. The check-in "
        "log template is in the shared resources.",
    ),
    (
        "Teacher-led walkthroughs that teachers ask for",
        "After the rounds session I asked two grade-level leads to run the walkthroughs with me. Teachers "
        "now sign up to be visited. The key was one glow and one question, written the same day.",
    ),
)


def _school_year_start(day: dt.date) -> dt.date:
    return dt.date(day.year if day.month >= 7 else day.year - 1, 7, 1)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _principals(district: Organization, today: dt.date) -> list[Position]:
    """The district's current principals, the newest first."""
    return list(
        Position.objects.current(today)
        .filter(role=R.PRINCIPAL, organization__path__startswith=district.path)
        .select_related("person")
        .order_by("-starts_on", "person__last_name", "pk")
    )


def _titled(title: str, district: Organization, today: dt.date) -> Person | None:
    pos = (
        Position.objects.current(today)
        .filter(title=title, organization__path__startswith=district.path)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    return pos.person if pos is not None else None


def _persona_principal() -> Person | None:
    from edlead.access.models import User

    from .services import persona

    user = User.objects.filter(email=persona("principal").email).select_related("person").first()
    return user.person if user is not None else None


def cohorts_seed(*, today: dt.date | None = None) -> int:
    """Returns the cohorts written (0 when there are cohorts already, or without the demo)."""
    day = today or timezone.localdate()
    riverton = Organization.objects.filter(code=RIVERTON_CODE).first()
    if riverton is None or Cohort.objects.exists():
        return 0
    rng = random.Random(SEED)
    others = list(Organization.objects.filter(code__in=[LAKEMONT_CODE, HARBORLIGHT_CODE]).order_by("code"))
    year_start = _school_year_start(day)
    new_since = dt.date(year_start.year - 1, 7, 1)  # first- and second-year principals
    heads = {d.pk: _principals(d, day) for d in [riverton, *others]}
    mentor = _titled(MENTOR_TITLE, riverton, day)
    coach = _titled(COACH_TITLE, riverton, day)
    if mentor is None or coach is None:
        return 0
    written = 0

    # --- New principals: Riverton's first- and second-year principals, and the newest of the others ---
    new_people: list[Person] = [
        p.person for p in heads[riverton.pk] if p.starts_on and p.starts_on >= new_since
    ]
    new_people = new_people[:12]
    for district in others:
        newest = [p for p in heads[district.pk] if p.starts_on and p.starts_on >= new_since]
        if not newest and district.code == LAKEMONT_CODE:
            # The demo's small districts change principals less often than Riverton: with nobody new,
            # Lakemont's most recent principal joins, so the cohort always spans districts.
            newest = heads[district.pk][:1]
        new_people += [p.person for p in newest if p.person not in new_people]
    past_days = (70, 42, 14)
    first = day - dt.timedelta(days=past_days[0])
    cohort = sc.cohort_create(
        actor=None,
        name=f"New Principals Cohort {year_start.year}–{(year_start.year + 1) % 100:02d}",
        kind=NEW_COHORT_KIND,
        facilitator=mentor,
        starts_on=min(dt.date(year_start.year, 8, 15), first),
        ends_on=dt.date(year_start.year + 1, 6, 30),
        description="First- and second-year principals from across the state meet monthly with a mentor: "
        "entry plans, instructional leadership, budgets and the conversations that come with the job.",
    )
    written += 1
    for person in new_people:
        sc.member_add(actor=None, cohort=cohort, person=person, starts_on=cohort.starts_on)
    member_ids = [p.pk for p in new_people]
    for n, ago in enumerate(past_days):
        meeting = sc.meeting_add(
            actor=None,
            cohort=cohort,
            starts_at=_at(day - dt.timedelta(days=ago), 15, 30),
            ends_at=_at(day - dt.timedelta(days=ago), 17, 0),
            place="Riverton Central Office, Room 204" if n % 2 == 0 else "",
            online_url="" if n % 2 == 0 else "https://learn.example.org/new-principals",
            agenda=NEW_AGENDAS[n],
        )
        present = [pid for pid in member_ids if rng.random() < 0.85]
        sc.record_attendance(actor=None, meeting=meeting, present_person_ids=present)
    sc.meeting_add(
        actor=None,
        cohort=cohort,
        starts_at=_at(day + dt.timedelta(days=12), 15, 30),
        ends_at=_at(day + dt.timedelta(days=12), 17, 0),
        place="Riverton Central Office, Room 204",
        agenda=NEW_AGENDAS[3],
    )
    for (title, body), author, ago in zip(
        STORIES, rng.sample(new_people, min(2, len(new_people))), (30, 9), strict=False
    ):
        post = sc.post_add(
            actor=None, cohort=cohort, kind=CohortPost.Kind.SUCCESS, title=title, body=body, author=author
        )
        CohortPost.objects.filter(pk=post.pk).update(created_at=timezone.now() - dt.timedelta(days=ago))

    # --- The think tank: experienced principals of three districts, the demo principal among them ---
    settled_before = dt.date(year_start.year - 3, 7, 1)
    principal = _persona_principal()
    experienced = [p.person for p in heads[riverton.pk] if p.starts_on and p.starts_on <= settled_before]
    pool = [p for p in experienced if p != principal]
    riverton_picks = rng.sample(pool, min(3, len(pool)))
    tank_people = ([principal] if principal is not None else []) + riverton_picks
    for district in others:
        seasoned = [p.person for p in heads[district.pk] if p.starts_on and p.starts_on <= settled_before]
        tank_people += [p for p in rng.sample(seasoned, min(2, len(seasoned))) if p not in tank_people]
    program = Program.objects.filter(title=THINK_TANK_TITLE, organization__isnull=True).first()
    tank = sc.cohort_create(
        actor=None,
        name=THINK_TANK_TITLE,
        kind=Cohort.Kind.THINK_TANK,
        facilitator=coach,
        starts_on=day - dt.timedelta(days=45),
        program=program,
        description="Experienced principals compare how their schools support students' mental health and "
        "draft recommendations for the state.",
    )
    written += 1
    for person in tank_people:
        if person != coach:
            sc.member_add(actor=None, cohort=tank, person=person, starts_on=tank.starts_on)
    sc.meeting_add(
        actor=None,
        cohort=tank,
        starts_at=_at(day + dt.timedelta(days=9), 16, 0),
        ends_at=_at(day + dt.timedelta(days=9), 17, 30),
        online_url="https://learn.example.org/mental-health-think-tank",
        agenda=THINK_TANK_AGENDA,
    )
    return written
