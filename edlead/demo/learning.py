"""Demo learning catalog (issue 11): providers, programs run by the state for every district and by
Riverton for its own people, sessions in the past and to come — some nearly full — and registrations of
Riverton's leaders, from its own random generator. Runs once: a database with programs is left alone."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from edlead.learning import services_completion
from edlead.learning.models import (
    Competency,
    Enrollment,
    FollowUp,
    GrowthRating,
    GrowthSurvey,
    Meeting,
    Program,
    Provider,
    Reaction,
    ReactionReceipt,
    Session,
)
from edlead.learning.services_surveys import FOLLOW_UP_AFTER_DAYS, REACTION_QUESTIONS
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

from .demo import RIVERTON_CODE

SEED = "edlead-demo-learning-v2"
TO_RECORD = "Instructional Rounds Network"  # its last session's attendance is left for the coordinator
R = Position.Role
F = Program.Format
LEADERS = [R.PRINCIPAL, R.ASSISTANT_PRINCIPAL]
PROVIDERS = (
    ("State Leadership Academy", Provider.Kind.STATE),
    ("Northeast Collaborative", Provider.Kind.COLLABORATIVE),
    ("University of Massachusetts", Provider.Kind.UNIVERSITY),
    ("Riverton Public Schools", Provider.Kind.DISTRICT),
)
# title, format, provider index, roles, stages, competencies, PDP category, hours, cost, capacity, district-run
PROGRAMS: tuple[tuple[Any, ...], ...] = (
    (
        "New Principals Institute",
        F.INSTITUTE,
        0,
        [R.PRINCIPAL],
        ["new"],
        ["vision-goals", "instructional-leadership"],
        "content",
        30,
        0,
        40,
        False,
    ),
    (
        "Leading for English Learners",
        F.WORKSHOP,
        1,
        LEADERS,
        [],
        ["english-learners", "equity"],
        "sei",
        15,
        250,
        25,
        False,
    ),
    (
        "Inclusive Schools Leadership",
        F.COURSE,
        2,
        LEADERS,
        ["experienced"],
        ["inclusion"],
        "disabilities",
        45,
        900,
        20,
        False,
    ),
    (
        "Data Teams for School Improvement",
        F.WORKSHOP,
        0,
        LEADERS + [R.TEACHER_LEADER],
        [],
        ["data-decisions", "collaborative-teams"],
        "content",
        12,
        0,
        30,
        False,
    ),
    (
        "Crisis Management and School Safety",
        F.WORKSHOP,
        1,
        LEADERS,
        [],
        ["crisis-management", "policy-legal"],
        "elective",
        6,
        120,
        30,
        False,
    ),
    (
        "Aspiring Leaders Cohort",
        F.COHORT,
        3,
        [R.TEACHER, R.TEACHER_LEADER],
        ["aspiring"],
        ["vision-goals", "communication"],
        "elective",
        24,
        0,
        15,
        True,
    ),
    (
        "Instructional Rounds Network",
        F.COHORT,
        3,
        LEADERS,
        [],
        ["instructional-leadership", "collaborative-teams"],
        "pedagogy",
        18,
        0,
        12,
        True,
    ),
    (
        "Budget and Strategic Planning for Principals",
        F.WORKSHOP,
        3,
        [R.PRINCIPAL],
        ["new", "experienced"],
        ["budget-strategy"],
        "elective",
        6,
        0,
        8,
        True,
    ),
    (
        "School Mental Health Think Tank",
        F.THINK_TANK,
        0,
        LEADERS + [R.PRINCIPAL_SUPERVISOR],
        ["experienced"],
        ["mental-health", "sel"],
        "elective",
        10,
        0,
        12,
        False,
    ),
    (
        "Cybersecurity for School Leaders",
        F.ONLINE,
        0,
        LEADERS,
        [],
        ["cybersecurity"],
        "elective",
        3,
        0,
        500,
        False,
    ),
)


def learning_seed(*, now: dt.datetime | None = None) -> int:
    """The demo catalog; returns the programs added (0 when there are programs already, or no demo)."""
    riverton = Organization.objects.filter(code=RIVERTON_CODE).first()
    if riverton is None or Program.objects.exists():
        return 0
    at = now or timezone.now()
    rng = random.Random(SEED)
    providers = [Provider.objects.get_or_create(name=n, defaults={"kind": k})[0] for n, k in PROVIDERS]
    competencies = {c.code: c for c in Competency.objects.all()}
    leaders = list(
        Person.objects.filter(
            pk__in=Position.objects.current(at.date())
            .filter(organization__path__startswith=riverton.path, role__in=LEADERS)
            .values("person_id")
        ).order_by("pk")
    )
    held: list[tuple[Session, int]] = []
    for title, fmt, prov, roles, stages, comps, category, hours, cost, capacity, district in PROGRAMS:
        program = Program.objects.create(
            organization=riverton if district else None,
            title=title,
            summary=f"{title}: {', '.join(competencies[c].name.lower() for c in comps)}.",
            format=fmt,
            provider=providers[prov],
            audience_roles=[str(r) for r in roles],
            career_stages=stages,
            pdp_category=category,
            pdp_hours=Decimal(hours),
            cost=Decimal(cost),
            capacity=capacity,
            requires_approval=cost >= 500,  # a costly course: the supervisor approves each registration
        )
        program.competencies.set([competencies[c] for c in comps])
        for n, days in enumerate((-120, -30, 21, 75)):
            day = timezone.localtime(at + dt.timedelta(days=days + rng.randint(0, 6)))
            starts = day.replace(hour=9, minute=0, second=0, microsecond=0)  # 9 am where the district is

            session = Session.objects.create(
                program=program,
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=6),
                place=""
                if fmt == F.ONLINE
                else rng.choice(
                    [
                        "Riverton Central Office",
                        "Worcester Conference Center",
                        "Northeast Collaborative, Room 2",
                    ]
                ),
                online_url="https://learn.example.org/" + str(program.pk)
                if fmt in (F.ONLINE, F.THINK_TANK)
                else "",
                facilitators=rng.choice(["Dr. Ana Ruiz", "Marcus Bell", "Priya Natarajan", "Dr. Ellen Cho"]),
            )
            # Past sessions half full; the next one nearly full for the smaller programs.
            wanted = min(
                len(leaders),
                capacity // 2 if days < 0 else (capacity - 1 if capacity <= 12 and n == 2 else capacity // 3),
            )
            for person in rng.sample(leaders, wanted):
                Enrollment.objects.create(session=session, person=person, status=Enrollment.Status.ENROLLED)
            if fmt == F.INSTITUTE:  # two days: two meetings
                Meeting.objects.create(
                    session=session, starts_at=starts, ends_at=starts + dt.timedelta(hours=6)
                )
                second = starts + dt.timedelta(days=1)
                Meeting.objects.create(
                    session=session, starts_at=second, ends_at=second + dt.timedelta(hours=6)
                )
                session.ends_at = second + dt.timedelta(hours=6)
                session.save(update_fields=["ends_at"])
            if days < 0:
                held.append((session, days))
    _needs_assessments(rng, leaders, at)
    for session, days in held:
        if days == -30 and session.program.title == TO_RECORD:
            continue  # the district's coordinator still has to take these: in their work queue
        _run(rng, session, at)
    _pending_approval(rng, leaders, at)
    _earlier_cohorts(rng, riverton)
    _principal_gaps(at)
    _principal_colleague_ratings(rng, at)
    return len(PROGRAMS)


PRINCIPAL_GAPS = {
    "data-decisions": 2,
    "english-learners": 1,
    "equity": 2,
    "budget-strategy": 2,
    "crisis-management": 4,
}


def _principal_gaps(at: dt.datetime) -> None:
    """The demo principal rated themselves three weeks ago, with a few clear gaps, so their home and
    growth profile show recommendations with reasons."""
    from edlead.access.models import User

    from .services import persona

    user = User.objects.filter(email=persona("principal").email).select_related("person").first()
    if user is None or user.person is None:
        return
    survey = GrowthSurvey.objects.create(
        person=user.person, rater=user.person, submitted_at=at - dt.timedelta(days=21)
    )
    codes = {c.code: c for c in Competency.objects.all()}
    GrowthRating.objects.bulk_create(
        GrowthRating(survey=survey, competency=codes[code], score=PRINCIPAL_GAPS.get(code, 3))
        for code in codes
    )


# What the demo principal's staff said in their 360 six weeks ago: mostly Proficient, a clear Developing
# on communication (which the principal rated Proficient themselves) and a strength in crisis management.
COLLEAGUES_SAW = {"communication": (1, 3), "crisis-management": (3, 4), "vision": (2, 4)}
COLLEAGUE_ANSWERS = 9


def _principal_colleague_ratings(rng: random.Random, at: dt.datetime) -> None:
    """A closed colleague survey (360) of the demo principal with nine anonymous answers, so their growth
    profile shows a colleagues' column."""
    from edlead.access.models import User
    from edlead.evaluations.models_feedback import FeedbackResponse, FeedbackSurvey
    from edlead.learning.services_staff import questions

    from .services import persona

    user = User.objects.filter(email=persona("principal").email).select_related("person").first()
    if user is None or user.person is None:
        return
    asked = questions()
    opened = (at - dt.timedelta(days=56)).date()
    survey = FeedbackSurvey.objects.create(
        purpose=FeedbackSurvey.Purpose.GROWTH,
        subject=user.person,
        title=f"Colleague ratings of {user.person.display_name} ({opened:%B %Y})",
        questions=asked,
        opens_on=opened,
        closes_on=opened + dt.timedelta(days=14),
        status=FeedbackSurvey.Status.CLOSED,
        invitations_sent=14,
        closed_responses=COLLEAGUE_ANSWERS,
    )
    for _ in range(COLLEAGUE_ANSWERS):
        answers: dict[str, object] = {}
        for q in asked:
            low, high = COLLEAGUES_SAW.get(q["competency"], (2, 4))
            answers[q["key"]] = rng.randint(low, high) if rng.random() > 0.1 else None
        answers["comment"] = ""
        FeedbackResponse.objects.create(
            survey=survey,
            answers=answers,
            submitted_on=opened + dt.timedelta(days=rng.randint(0, 13)),
        )


EARLIER = (("Data Teams for School Improvement", (2022, 2023)), ("New Principals Institute", (2021,)))


def _earlier_cohorts(rng: random.Random, riverton: Organization) -> None:
    """Sessions of earlier school years, completed by the principals of then (recorded before EdLead
    credited PDPs: no ledger entries), so level 5 compares their schools' outcomes before and after."""
    S = Enrollment.Status
    for title, years in EARLIER:
        program = Program.objects.get(title=title, organization__isnull=True)
        for year in years:
            day = timezone.make_aware(dt.datetime(year, 10, 14, 9))
            session = Session.objects.create(
                program=program,
                starts_at=day,
                ends_at=day + dt.timedelta(hours=6),
                place="Riverton Central Office",
            )
            principals = list(
                Person.objects.filter(
                    pk__in=Position.objects.current(day.date())
                    .filter(organization__path__startswith=riverton.path, role=R.PRINCIPAL)
                    .values("person_id")
                ).order_by("pk")
            )
            for person in rng.sample(principals, min(len(principals), 12)):
                Enrollment.objects.create(
                    session=session,
                    person=person,
                    status=S.COMPLETED,
                    completed_on=day.date() + dt.timedelta(days=1),
                )


def _needs_assessments(rng: random.Random, leaders: list[Person], at: dt.datetime) -> None:
    """Most leaders rated themselves five months ago; each has a few gaps."""
    competencies = list(Competency.objects.all())
    for person in leaders:
        if rng.random() < 0.15:
            continue  # some never took it
        survey = GrowthSurvey.objects.create(
            person=person, rater=person, submitted_at=at - dt.timedelta(days=150 + rng.randint(0, 20))
        )
        GrowthRating.objects.bulk_create(
            GrowthRating(survey=survey, competency=c, score=rng.choices([1, 2, 3, 4], [1, 3, 4, 2])[0])
            for c in competencies
        )


def _run(rng: random.Random, session: Session, at: dt.datetime) -> None:
    """A held session as its coordinator would run it: attendance, completion (PDPs credited through
    licensure's ledger), then the participants' reactions, ratings after and three-month follow-ups."""
    meetings = services_completion.meetings(session)
    roster = list(Enrollment.objects.filter(session=session).values_list("pk", flat=True))
    for meeting in meetings:
        present = [pk for pk in roster if rng.random() < 0.9]
        services_completion.record_attendance(actor=None, meeting=meeting, present=present)
    done = services_completion.complete_session(actor=None, session=session, tell=False).completed
    finished = timezone.localdate(session.ends_at)
    Enrollment.objects.filter(pk__in=[e.pk for e in done]).update(completed_on=finished)
    targeted = list(session.program.competencies.all())
    for e in done:
        if rng.random() < 0.85:
            Reaction.objects.create(
                session=session,
                answers={key: rng.choices([2, 3, 4, 5], [1, 2, 5, 4])[0] for key, _ in REACTION_QUESTIONS},
                comment=rng.choice(
                    ["", "", "Practical and well paced.", "More time for school teams, please."]
                ),
                submitted_on=finished + dt.timedelta(days=rng.randint(0, 5)),
            )
            ReactionReceipt.objects.create(enrollment=e)
        if targeted and rng.random() < 0.85:
            post = GrowthSurvey.objects.create(
                person=e.person,
                rater=e.person,
                moment=GrowthSurvey.Moment.POST,
                enrollment=e,
                submitted_at=session.ends_at + dt.timedelta(days=rng.randint(1, 6)),
            )
            before = dict(
                GrowthRating.objects.filter(
                    survey__person=e.person, survey__moment=GrowthSurvey.Moment.NEEDS, competency__in=targeted
                ).values_list("competency_id", "score")
            )
            GrowthRating.objects.bulk_create(
                GrowthRating(
                    survey=post, competency=c, score=min(4, before.get(c.pk, 2) + rng.choice([0, 1, 1, 2]))
                )
                for c in targeted
            )
        if (at.date() - finished).days >= FOLLOW_UP_AFTER_DAYS and rng.random() < 0.8:
            FollowUp.objects.create(
                enrollment=e,
                use=rng.choices([1, 2, 3, 4], [1, 3, 5, 2])[0],
                submitted_on=finished + dt.timedelta(days=FOLLOW_UP_AFTER_DAYS + rng.randint(0, 14)),
            )


def _pending_approval(rng: random.Random, leaders: list[Person], at: dt.datetime) -> None:
    """Two leaders ask to join the next session of a course that needs their supervisor's approval."""
    from edlead.access.models import Relationship

    program = Program.objects.filter(requires_approval=True).order_by("pk").first()
    if program is None:
        return
    session = program.sessions.filter(starts_at__gt=at).order_by("starts_at").first()
    if session is None:
        return
    evaluated = set(
        Relationship.objects.active(at.date())
        .filter(kind=Relationship.Kind.EVALUATOR, person__in=leaders)
        .values_list("person_id", flat=True)
    )
    taken = set(Enrollment.objects.filter(session=session).values_list("person_id", flat=True))
    asking = [p for p in leaders if p.pk in evaluated and p.pk not in taken][:2]
    for person in asking:
        Enrollment.objects.create(session=session, person=person, status=Enrollment.Status.PENDING)
