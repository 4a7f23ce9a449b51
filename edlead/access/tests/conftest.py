"""A small world for access tests: two districts, two networks, schools and one person per role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from edlead.access.models import RoleGrant
from edlead.orgs import services as org_services
from edlead.people.models import Position
from edlead.testing import (
    make_district,
    make_network,
    make_person,
    make_position,
    make_school,
    make_state,
    make_user,
)

R = Position.Role
G = RoleGrant.Role


@dataclass
class World:
    orgs: dict[str, Any]
    people: dict[str, Any]
    users: dict[str, Any]


@pytest.fixture
def world(db: Any) -> World:
    state = make_state()
    a = make_district("Alpha Public Schools", code="99100000")
    n1 = make_network(a, "North Quadrant")
    n2 = make_network(a, "South Quadrant")
    s1 = make_school(n1, "Oak Elementary", code="99100010")
    s2 = make_school(n1, "Elm Middle", code="99100020")
    s3 = make_school(n2, "Birch High", code="99100030")
    b = make_district("Beta Regional", code="99200000")
    t1 = make_school(b, "Cedar Elementary", code="99200010")
    orgs = {"state": state, "A": a, "N1": n1, "N2": n2, "S1": s1, "S2": s2, "S3": s3, "B": b, "T1": t1}

    people = {
        "P1": make_person("Pat", "Principal-One"),
        "AP1": make_person("Ash", "Assistant-One"),
        "TEA1": make_person("Terry", "Teacher-One"),
        "P3": make_person("Pia", "Principal-Three"),
        "PT1": make_person("Quinn", "Principal-Beta"),
        "SUP1": make_person("Sam", "Supervisor-North"),
        "SUP2": make_person("Sky", "Supervisor-South"),
        "SUPT": make_person("Dana", "Superintendent"),
        "COACH": make_person("Cory", "Coach"),
        "FORMER": make_person("Fran", "Former"),
    }
    make_position(people["P1"], s1, R.PRINCIPAL)
    make_position(people["AP1"], s1, R.ASSISTANT_PRINCIPAL)
    make_position(people["TEA1"], s1, R.TEACHER)
    make_position(people["P3"], s3, R.PRINCIPAL)
    make_position(people["PT1"], t1, R.PRINCIPAL)
    make_position(people["SUP1"], n1, R.PRINCIPAL_SUPERVISOR)
    make_position(people["SUP2"], n2, R.PRINCIPAL_SUPERVISOR)
    make_position(people["SUPT"], a, R.SUPERINTENDENT)
    make_position(people["COACH"], n1, R.COACH)
    make_position(
        people["FORMER"], s1, R.PRINCIPAL, starts_on=dt.date(2010, 7, 1), ends_on=dt.date(2019, 6, 30)
    )

    users = {
        "state_admin": make_user(grants=[(G.STATE_ADMIN, state)], password=None),
        "district_admin": make_user(grants=[(G.DISTRICT_ADMIN, a)], password=None),
        "superintendent": make_user(person=people["SUPT"], password=None),
        "hr": make_user(grants=[(G.HR, a)], password=None),
        "principal_supervisor": make_user(person=people["SUP1"], password=None),
        "school_leader": make_user(person=people["P1"], password=None),
        "assistant_principal": make_user(person=people["AP1"], password=None),
        "coach": make_user(person=people["COACH"], password=None),
        "educator": make_user(person=people["TEA1"], password=None),
        "program_coordinator": make_user(grants=[(G.PROGRAM_COORDINATOR, a)], password=None),
        "cabinet": make_user(grants=[(G.CABINET, a)], password=None),
        "no_role": make_user(password=None),
    }
    assert org_services  # services wrote every org above
    return World(orgs, people, users)
