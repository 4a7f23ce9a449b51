"""A district with two schools: a principal, teachers, HR, an administrator, an outsider from another
district, and a state administrator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from edlead.access.models import RoleGrant
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.testing import make_district, make_person, make_position, make_school, make_state, make_user

R = RoleGrant.Role
P = Position.Role


@dataclass
class World:
    state: Organization
    district: Organization
    school: Organization
    other_school: Organization
    principal: Any
    teacher: Any
    teacher2: Any
    hr: Any
    admin: Any
    outsider: Any
    state_admin: Any
    teacher_person: Person
    teacher2_person: Person
    principal_person: Person


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def w(db: Any) -> World:
    state = make_state()
    district = make_district()
    school = make_school(district)
    other_school = make_school(district)
    p = make_person("Pat", "Principal")
    make_position(p, school, P.PRINCIPAL)
    t = make_person("Terry", "Teacher")
    make_position(t, school, P.TEACHER)
    t2 = make_person("Tina", "Teacher")
    make_position(t2, school, P.TEACHER)
    hr_p = make_person("Hana", "Hr")
    other = make_district()
    o = make_person("Omar", "Outsider")
    make_position(o, make_school(other), P.PRINCIPAL)
    return World(
        state=state,
        district=district,
        school=school,
        other_school=other_school,
        principal=make_user(p, password=None),
        teacher=make_user(t, password=None),
        teacher2=make_user(t2, password=None),
        hr=make_user(hr_p, password=None, grants=[(R.HR, district)]),
        admin=make_user(make_person("Ada", "Admin"), password=None, grants=[(R.DISTRICT_ADMIN, district)]),
        outsider=make_user(o, password=None),
        state_admin=make_user(make_person("Sam", "State"), password=None, grants=[(R.STATE_ADMIN, state)]),
        teacher_person=t,
        teacher2_person=t2,
        principal_person=p,
    )
