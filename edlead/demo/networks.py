"""Demo principal networks (edlead/networks): for each of Riverton's quadrants, a meeting on the second
Wednesday of every month of this school year so far (September on), each with an agenda and the
principals' attendance recorded, a problem of practice at the latest one (the demo principal presents
North's), peer pairs for the year, and one upcoming meeting next month (its principals are told). From
its own random generator; written through `edlead.networks.services`. Runs once: a Riverton whose
quadrants have meetings is left alone."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction

from edlead.lib.schoolyears import SchoolYear
from edlead.networks import services
from edlead.networks.models import Meeting
from edlead.networks.selectors import principals_of
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

from .demo import RIVERTON_CODE

SEED = "edlead-demo-networks-v1"
PLACES = ["Central office, room 204", "Riverton Public Library, community room", "{school} library"]
AGENDA = [
    ("Welcome and connector", 15),
    ("Instructional rounds debrief", 45),
    ("Data dive: attendance and early literacy", 40),
    ("Problem of practice (consultancy)", 50),
    ("School improvement plan check-in", 30),
    ("Operations and safety updates", 20),
    ("Reflection and next steps", 10),
]
TOPICS = [
    "Leading common planning time",
    "Feedback that changes practice",
    "Chronic absenteeism: what works",
    "Equity walks",
    "Student work protocols",
    "Mid-year plan review",
    "Family engagement",
    "Scheduling for intervention",
    "Retaining teachers",
    "Spring assessment readiness",
]
QUESTIONS = [
    "How can I make our common planning time about student work rather than logistics?",
    "How do I get teachers to act on walkthrough feedback within two weeks?",
    "What should our attendance team do differently for students missing 10–20% of days?",
    "How do I build a leadership team that owns the improvement plan, not just me?",
]
NOTES = (
    "Presenter framed the dilemma (10 min); clarifying questions; probing questions; the group discussed "
    "while the presenter listened; the presenter reflected on what to try next: {next}."
)
NEXT_STEPS = [
    "a protocol for looking at student work every other week",
    "a two-week feedback loop tracked on the walkthrough log",
    "home visits for the students just over the threshold",
    "rotating facilitation of the leadership team",
]


def _second_wednesday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(2 - first.weekday()) % 7 + 7)


def _months(year: SchoolYear) -> list[tuple[int, int]]:
    return [(year.start_year + (m < 7), m) for m in (9, 10, 11, 12, 1, 2, 3, 4, 5, 6)]


def _supervisor_user(network: Organization, today: dt.date) -> Any:
    from edlead.access.models import User

    person_id = (
        Position.objects.current(today)
        .filter(organization=network, role=Position.Role.PRINCIPAL_SUPERVISOR)
        .values_list("person_id", flat=True)
        .first()
    )
    return User.objects.filter(person_id=person_id, is_active=True).first() if person_id else None


def _demo_principal() -> Person | None:
    from edlead.access.models import User

    from .services import persona

    user = User.objects.filter(email=persona("principal").email).select_related("person").first()
    return user.person if user is not None else None


@transaction.atomic
def networks_seed(*, today: dt.date | None = None) -> int:
    """Seed the quadrants' meetings; returns the meetings added (0 when present or with no demo)."""
    riverton = Organization.objects.filter(code=RIVERTON_CODE).first()
    if riverton is None:
        return 0
    quadrants = list(Organization.objects.networks().within(riverton).order_by("name", "pk"))
    if not quadrants or Meeting.objects.filter(organization__in=quadrants).exists():
        return 0
    day = today or dt.date.today()
    year = SchoolYear.containing(day)
    rng = random.Random(SEED)
    demo_principal = _demo_principal()
    added = 0
    for network in quadrants:
        actor = _supervisor_user(network, day)
        principals = [p.person for p in principals_of(network, day)]
        if not principals:
            continue
        held: list[Meeting] = []
        upcoming_done = False
        for y, m in _months(year):
            meets_on = _second_wednesday(y, m)
            if meets_on < year.starts_on:
                continue
            if meets_on >= day and upcoming_done:
                break
            host = rng.choice(principals)
            place = rng.choice(PLACES).format(school=_school_name(network, host, day))
            meeting = services.meeting_schedule(
                actor=actor,
                network=network,
                title=f"{network.name} network: {TOPICS[(m - 9) % 12 % len(TOPICS)]}",
                meets_on=meets_on,
                starts_at=dt.time(8, 30),
                place=place,
                today=day,
            )
            added += 1
            _agenda(meeting, principals, rng, actor)
            if meets_on >= day:
                upcoming_done = True
                continue
            held.append(meeting)
            statuses = {}
            for person in principals:
                roll = rng.random()
                statuses[person.pk] = "present" if roll < 0.82 else ("excused" if roll < 0.93 else "absent")
            services.attendance_record(actor=actor, meeting=meeting, statuses=statuses, today=day)
        if held:
            latest = held[-1]
            presenter = demo_principal if demo_principal in principals else rng.choice(principals)
            i = rng.randrange(len(QUESTIONS))
            services.problem_add(
                actor=actor,
                meeting=latest,
                presenter=presenter,
                question=QUESTIONS[i],
                protocol=rng.choice(["consultancy", "consultancy", "tuning", "descriptive_review"]),
                protocol_notes=NOTES.format(next=NEXT_STEPS[i]),
            )
        shuffled = principals[:]
        rng.shuffle(shuffled)
        for first, second in zip(shuffled[0::2], shuffled[1::2], strict=False):
            services.pair_add(actor=actor, network=network, first=first, second=second, today=day)
    return added


def _school_name(network: Organization, person: Person, day: dt.date) -> str:
    position = (
        Position.objects.current(day)
        .filter(person=person, role=Position.Role.PRINCIPAL, organization__path__startswith=network.path)
        .select_related("organization")
        .first()
    )
    return position.organization.name if position is not None else "Central office"


def _agenda(meeting: Meeting, principals: list[Person], rng: random.Random, actor: Any) -> None:
    items = [AGENDA[0], *rng.sample(AGENDA[1:-1], 3), AGENDA[-1]]
    at = dt.datetime.combine(meeting.meets_on, meeting.starts_at)
    for title, minutes in items:
        lead = None if title == AGENDA[0][0] else rng.choice(principals)
        services.agenda_item_add(
            actor=actor, meeting=meeting, title=title, starts_at=at.time(), minutes=minutes, lead=lead
        )
        at += dt.timedelta(minutes=minutes)
