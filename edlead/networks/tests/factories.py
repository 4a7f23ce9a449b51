"""A small network for the networks tests, and the builder the access tests use for declared rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from edlead.access.models import RoleGrant
from edlead.networks.models import Attendance, Meeting
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.testing import make_district, make_network, make_person, make_position, make_school, make_user

R = Position.Role
G = RoleGrant.Role


@dataclass
class Net:
    """District A with networks North and South, and district B: every role the access matrix asks about."""

    district: Organization
    north: Organization
    south: Organization
    other_district: Organization
    users: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    schools: list[Organization] = field(default_factory=list)

    def principals(self) -> list[Person]:
        return [p for k, p in self.people.items() if k.startswith("principal_n")]


def make_net(n_principals: int = 3) -> Net:
    district = make_district("Alpha Public Schools")
    other = make_district("Beta Public Schools")
    net = Net(district, make_network(district, "North"), make_network(district, "South"), other)

    def person(key: str, org: Organization | None, role: str | None, grants: Any = None) -> None:
        p = make_person(key.replace("_", " ").title().replace(" ", ""), "Cast")
        if org is not None and role is not None:
            make_position(p, org, role)
        net.people[key] = p
        net.users[key] = make_user(p, password=None, grants=grants)

    for i in range(n_principals):
        school = make_school(net.north, f"North School {i + 1}")
        net.schools.append(school)
        person(f"principal_n{i + 1}", school, R.PRINCIPAL)
    person("assistant_principal", net.schools[0], R.ASSISTANT_PRINCIPAL)
    person("teacher", net.schools[0], R.TEACHER)
    person("supervisor", net.north, R.PRINCIPAL_SUPERVISOR)
    person("south_supervisor", net.south, R.PRINCIPAL_SUPERVISOR)
    person("south_principal", make_school(net.south, "South School"), R.PRINCIPAL)
    person("superintendent", district, R.SUPERINTENDENT)
    person("district_admin", None, None, grants=[(G.DISTRICT_ADMIN, district)])
    person("hr", None, None, grants=[(G.HR, district)])
    person("cabinet", None, None, grants=[(G.CABINET, district)])
    person("other_admin", None, None, grants=[(G.DISTRICT_ADMIN, other)])
    person("other_principal", make_school(make_network(other, "East"), "Beta School"), R.PRINCIPAL)
    return net


def make_meeting(network: Organization, meets_on: dt.date, title: str = "Network meeting") -> Meeting:
    return Meeting.objects.create(
        organization=network, title=title, meets_on=meets_on, starts_at=dt.time(8, 30), place="Central office"
    )


def record_builders() -> dict[str, Any]:
    """Model label → build a networks record about a person (edlead/access/tests/test_relationships.py)."""

    def attendance(person: Person) -> Attendance:
        position = person.positions.select_related("organization").first()
        assert position is not None
        network = position.organization.parent
        assert network is not None
        meeting = make_meeting(network, dt.date.today())
        return Attendance.objects.create(meeting=meeting, person=person, status=Attendance.Status.PRESENT)

    return {"networks.attendance": attendance}
