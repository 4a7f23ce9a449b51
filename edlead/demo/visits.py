"""Demo supervision visits (issue 12): each Riverton quadrant's principal supervisor visits the schools
they supervise through the school year — learning walks, plan progress checks, coaching and operations
and safety visits — about twice a month a school but unevenly (a few schools fall behind the district's
target, so the coverage page has something to flag), with the district's look-fors, notes, evidence
tagged to goals of the school's plan, next steps (some done) and feedback released a day or two later.
Visits of the last few days still wait for their feedback; the coming three weeks hold scheduled visits,
one of them unannounced, and one is cancelled. The evaluation demo's visits (observations within
evaluation cycles) are left as they are.

Written with `bulk_create` from its own random generator, dated relative to today. Runs once: a Riverton
whose supervisors already have supervision visits is left alone."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from edlead import config
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.plans.models import Goal, Plan
from edlead.visits.models import NextStep, Visit
from edlead.visits.selectors import school_year_start
from edlead.visits.services import LOOK_FORS

from .demo import RIVERTON_CODE

SEED = "edlead-demo-visits-v1"
P = Visit.Purpose
PURPOSES: Sequence[tuple[str, int]] = (
    (P.LEARNING_WALK, 5),
    (P.PLAN_CHECK, 3),
    (P.COACHING, 2),
    (P.OPERATIONS, 1),
)
NOTES: dict[str, tuple[str, ...]] = {
    P.LEARNING_WALK: (
        "Walked grades 3-5 with the principal. Learning targets posted in every room; students in two of "
        "five rooms could say what they were learning and why. Most talk was teacher to student.",
        "Instructional rounds with the leadership team, focus on math discourse. Strong number talks in "
        "grade 2; in grade 4 the same few students answered every question.",
        "Short visits to six classrooms. Exit tickets in use in four; the teachers used them to regroup "
        "students the next day in two.",
    ),
    P.PLAN_CHECK: (
        "Reviewed the attendance goal with the principal: September and October chronic absence below "
        "last year's; the family liaison's calls start on the second day of an absence.",
        "Plan check: two action steps behind (the tutoring schedule, the family literacy night). Agreed "
        "new dates with the owners.",
        "Looked at the interim results with the data team. Grade 5 reading is behind the benchmark; the "
        "team chose the students for the small-group block.",
    ),
    P.COACHING: (
        "Coaching conversation on leading the grade-level team meeting: the principal will move from "
        "sharing information to looking at student work together.",
        "Rehearsed a hard feedback conversation with a veteran teacher; the principal will open with the "
        "evidence from the observation, not the rating.",
    ),
    P.OPERATIONS: (
        "Arrival and dismissal: the bus line backs up onto the street. Talked through a staggered "
        "dismissal with the principal and the facilities lead.",
        "Safety walk with the principal and the custodian: two exterior doors did not latch; the work "
        "order is in.",
    ),
}
FEEDBACK: dict[str, tuple[str, ...]] = {
    P.LEARNING_WALK: (
        "Thank you for the walk. What I saw: clear routines and learning targets everywhere. What to try: "
        "ask students to explain their thinking to a partner before anyone answers to the whole class.",
        "Strong number talks in the early grades. In the upper grades, plan who answers: cold-call and "
        "turn-and-talk so more than a few students do the thinking.",
    ),
    P.PLAN_CHECK: (
        "The plan is on track where it matters most. Keep the Friday attendance huddle; move the two late "
        "action steps to the dates we agreed and tell the team why.",
        "Good use of the interim data. Next time bring two pieces of student work per group so the team "
        "sees what the numbers mean.",
    ),
    P.COACHING: (
        "You named the shift yourself: from telling the team to looking at student work with them. Try the "
        "protocol at Thursday's meeting and tell me how it went.",
        "Opening with the evidence kept the conversation on practice. Write down the two agreements and "
        "check in with the teacher in two weeks.",
    ),
    P.OPERATIONS: (
        "Thank you for taking on the dismissal problem quickly. Let me know when the staggered schedule "
        "starts and I will come to see the first day.",
        "The doors are a safety matter: follow up on the work order by Friday and tell me if facilities "
        "has not come.",
    ),
}
STEPS = (
    ("Share the look-fors with the grade-level leads", "principal", 14),
    ("Send the updated action-step dates to the leadership team", "principal", 7),
    ("Bring student work to the next data meeting", "principal", 21),
    ("Arrange a visit to a school that does partner talk well", "visitor", 10),
    ("Send the principal the district's discourse protocol", "visitor", 3),
)


def visits_seed(*, today: dt.date | None = None) -> int:
    """Write the demo's supervision visits; the number written (0 when already present)."""
    day = today or timezone.localdate()
    riverton = Organization.objects.filter(code=RIVERTON_CODE).first()
    if riverton is None:
        return 0
    supervisors = list(
        Position.objects.current(day)
        .filter(role=Position.Role.PRINCIPAL_SUPERVISOR, organization__path__startswith=riverton.path)
        .select_related("person", "organization")
        .order_by("organization__name", "pk")
    )
    if (
        not supervisors
        or Visit.objects.filter(
            visitor_id__in=[s.person_id for s in supervisors], cycle__isnull=True
        ).exists()
    ):
        return 0
    with transaction.atomic():
        return _write(riverton, supervisors, day)


def _write(riverton: Organization, supervisors: list[Position], day: dt.date) -> int:
    from edlead.people.selectors import supervised_schools

    rng = random.Random(SEED)
    look_fors = list(config.setting(riverton, LOOK_FORS))
    start = school_year_start(day)
    first = max(start + dt.timedelta(days=60), day - dt.timedelta(days=200))  # from early September
    first = min(first, day - dt.timedelta(days=21))
    now = timezone.now()
    principals = {
        p.organization_id: p.person_id
        for p in Position.objects.current(day).filter(
            role=Position.Role.PRINCIPAL, organization__path__startswith=riverton.path
        )
    }
    goals: dict[int, list[int]] = {}
    for goal_id, school_id in (
        Goal.objects.filter(plan__organization__path__startswith=riverton.path, plan__is_template=False)
        .exclude(plan__status=Plan.Status.DRAFT)
        .values_list("pk", "plan__organization_id")
    ):
        goals.setdefault(school_id, []).append(goal_id)
    visits: list[Visit] = []
    tags: list[tuple[int, list[int]]] = []  # index in visits → goal ids
    steps: list[tuple[int, str, str, int, bool]] = []
    weights = [w for _p, w in PURPOSES]
    for position in supervisors:
        supervisor: Person = position.person
        schools = list(supervised_schools(supervisor, on=day).order_by("name"))
        for n_school, school in enumerate(schools):
            principal = principals.get(school.pk)
            # Most schools about every two weeks; every fifth school falls behind (a visit a month, none
            # for the last six weeks).
            behind = n_school % 5 == 4
            gap = 30 if behind else 14
            last_day = day - dt.timedelta(days=40) if behind else day  # and not since mid-October or so
            visit_day = first + dt.timedelta(days=rng.randint(0, 6))
            while visit_day <= last_day:
                if visit_day.weekday() >= 5:  # a visit on a weekend moves to the Monday
                    visit_day += dt.timedelta(days=7 - visit_day.weekday())
                    continue
                purpose = rng.choices([p for p, _w in PURPOSES], weights)[0]
                recent = (day - visit_day).days <= 3
                released = not recent
                visit = Visit(
                    organization=school,
                    visitor=supervisor,
                    educator_id=principal,
                    purpose=purpose,
                    announced=rng.random() < 0.85,
                    date=visit_day,
                    start_time=dt.time(rng.choice((8, 9, 10, 13)), rng.choice((0, 30))),
                    length_minutes=rng.choice((45, 60, 90)),
                    notes=rng.choice(NOTES[purpose]),
                    feedback=rng.choice(FEEDBACK[purpose]) if released or rng.random() < 0.5 else "",
                    feedback_released_at=(
                        timezone.make_aware(
                            dt.datetime.combine(visit_day + dt.timedelta(days=1), dt.time(16))
                        )
                        if released
                        else None
                    ),
                    look_fors={
                        t: rng.choice(Visit.LookFor.values)
                        for t in rng.sample(look_fors, k=min(3, len(look_fors)))
                    }
                    if purpose in (P.LEARNING_WALK, P.COACHING)
                    else {},
                    version=2 if released else 1,
                    edited_at=now,
                )
                visits.append(visit)
                if purpose in (P.PLAN_CHECK, P.LEARNING_WALK) and goals.get(school.pk):
                    tags.append((len(visits) - 1, rng.sample(goals[school.pk], k=1)))
                if rng.random() < 0.6 and principal:
                    text, who, days = rng.choice(STEPS)
                    steps.append((len(visits) - 1, text, who, days, released and rng.random() < 0.6))
                visit_day += dt.timedelta(days=gap + rng.randint(-3, 3))
            # What is to come: the next visit within three weeks, at most schools.
            if rng.random() < 0.7:
                ahead = day + dt.timedelta(days=rng.randint(1, 21))
                while ahead.weekday() >= 5:
                    ahead += dt.timedelta(days=1)
                visits.append(
                    Visit(
                        organization=school,
                        visitor=supervisor,
                        educator_id=principal,
                        purpose=rng.choices([p for p, _w in PURPOSES], weights)[0],
                        announced=n_school % 7 != 3,
                        date=ahead,
                        start_time=dt.time(rng.choice((8, 9, 10, 13)), 0),
                        length_minutes=60,
                        cancelled_at=now if n_school % 11 == 6 else None,
                        version=1,
                        edited_at=now,
                    )
                )
    Visit.objects.bulk_create(visits)
    Visit.plan_goals.through.objects.bulk_create(
        [Visit.plan_goals.through(visit_id=visits[i].pk, goal_id=g) for i, ids in tags for g in ids]
    )
    NextStep.objects.bulk_create(
        [
            NextStep(
                visit=visits[i],
                description=text,
                owner_id=int(visits[i].educator_id or 0) if who == "principal" else visits[i].visitor_id,
                due_on=visits[i].date + dt.timedelta(days=days),
                done_on=min(day, visits[i].date + dt.timedelta(days=days - 1)) if done else None,
            )
            for i, text, who, days, done in steps
            if visits[i].educator_id
        ]
    )
    return len(visits)
