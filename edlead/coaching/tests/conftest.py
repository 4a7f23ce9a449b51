"""The coaching world, on top of the access tests' world (edlead/access/tests/conftest.py): Pat
Principal-One (P1, Oak Elementary) is evaluated by Sam Supervisor-North (SUP1) and coached by Erin
Exec-Coach (EXEC, a coach position on the whole district: a district-wide COACH role); Pia
Principal-Three (P3) is coached by Cory Coach (COACH, the world's network coach). Each relationship has a
session whose notes carry a marker no page outside coaching may ever show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from edlead.access.models import Relationship
from edlead.access.services import relationship_start
from edlead.access.tests.conftest import World
from edlead.coaching import services
from edlead.coaching.models import CoachingRelationship, CoachingSession
from edlead.people.models import Position
from edlead.testing import make_person, make_position, make_user

K = CoachingRelationship.Kind
P1_NOTE = "P1-SECRET-NOTE zebra lantern"
P1_SHARED_NOTE = "P1-SHARED-NOTE walrus ember"
P3_NOTE = "P3-SECRET-NOTE cobalt fern"
TODAY = dt.date.today()


@dataclass
class Coaching:
    world: World
    p1: CoachingRelationship
    p3: CoachingRelationship
    exec_user: Any
    private: CoachingSession
    shared: CoachingSession
    other: CoachingSession


@pytest.fixture
def coaching(world: World) -> Coaching:
    exec_coach = make_person("Erin", "Exec-Coach", email="erin.exec@example.org")
    make_position(exec_coach, world.orgs["A"], Position.Role.COACH)
    world.people["EXEC"] = exec_coach
    exec_user = make_user(person=exec_coach, password=None)
    world.users["exec_coach"] = exec_user
    relationship_start(
        actor=None,
        kind=Relationship.Kind.EVALUATOR,
        holder=world.people["SUP1"],
        person=world.people["P1"],
        organization=world.orgs["A"],
        starts_on=TODAY - dt.timedelta(days=120),
    )
    start = TODAY - dt.timedelta(days=90)
    coordinator = world.users["program_coordinator"]
    p1 = services.relationship_create(
        actor=coordinator,
        kind=K.EXECUTIVE_COACH,
        coach=exec_coach,
        coachee=world.people["P1"],
        starts_on=start,
    )
    p3 = services.relationship_create(
        actor=coordinator,
        kind=K.EXECUTIVE_COACH,
        coach=world.people["COACH"],
        coachee=world.people["P3"],
        starts_on=start,
    )
    private = services.session_log(
        actor=exec_user,
        relationship=p1,
        held_on=TODAY - dt.timedelta(days=30),
        minutes=90,
        focus="P1-FOCUS staff conflict",
        agreed_actions="P1-ACTIONS meet the union rep",
        notes=P1_NOTE,
    )
    shared = services.session_log(
        actor=world.users["school_leader"],
        relationship=p1,
        held_on=TODAY - dt.timedelta(days=10),
        minutes=60,
        focus="Feedback cycles",
        notes=P1_SHARED_NOTE,
        shared_with=CoachingSession.SharedWith.SUPERVISION,
    )
    other = services.session_log(
        actor=world.users["coach"],
        relationship=p3,
        held_on=TODAY - dt.timedelta(days=5),
        minutes=45,
        focus="Budget",
        notes=P3_NOTE,
    )
    return Coaching(world, p1, p3, exec_user, private, shared, other)
