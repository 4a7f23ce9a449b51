"""Demo learning catalog (issue 11): providers, programs run by the state for every district and by
Riverton for its own people, sessions in the past and to come — some nearly full — and registrations of
Riverton's leaders, from its own random generator. Runs once: a database with programs is left alone."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from edlead.learning.models import Competency, Enrollment, Program, Provider, Session
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

from .demo import RIVERTON_CODE

SEED = "edlead-demo-learning-v1"
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
                Enrollment.objects.create(
                    session=session,
                    person=person,
                    status=Enrollment.Status.COMPLETED if days < 0 else Enrollment.Status.ENROLLED,
                )
    return len(PROGRAMS)
