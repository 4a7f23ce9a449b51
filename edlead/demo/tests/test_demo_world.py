"""The demo district as `seed_demo --scale demo` builds it: its tree, principals and supervisors, the
personas' accounts and relationships, invented names; a second run changes nothing. The demo is seeded
once for the module (the `demo_world` fixture); each test reads it inside a savepoint rolled back after
it. Tests of the command on an empty database are in test_seed_demo.py."""

from __future__ import annotations

import csv
import re

import pytest
from django.test import Client

from edlead.access import policy
from edlead.access.models import RoleGrant, User
from edlead.demo import services
from edlead.demo.demo import QUADRANTS, RIVERTON_CODE, SUPERVISOR_TITLE
from edlead.demo.tests.test_seed_demo import DIRECTORY, digest, seed
from edlead.orgs.models import Organization, SupervisionOverride
from edlead.people.models import Person, Position
from edlead.people.selectors import principals_for_schools, supervised_schools

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_world")]
Kind = Organization.Kind
Role = Position.Role


def test_demo_seed_builds_an_urban_district_in_four_quadrants_and_two_small_districts() -> None:
    riverton = Organization.objects.get(code=RIVERTON_CODE)
    quadrants = Organization.objects.networks().filter(parent=riverton)
    assert sorted(q.name for q in quadrants) == sorted(f"{q} Quadrant" for q in QUADRANTS)
    assert {q.network_label for q in quadrants} == {"quadrant"}
    schools = Organization.objects.schools().within(riverton)
    assert schools.count() == 48
    for q in quadrants:
        assert Organization.objects.schools().filter(parent=q).count() == 12
    assert {"vocational_technical", "innovation", "alternative", "public"} <= set(
        schools.values_list("school_type", flat=True)
    )
    districts = Organization.objects.districts()
    assert districts.count() == 3
    assert {d.district_type for d in districts} == {"public", "charter"}
    lakemont = districts.get(name="Lakemont Public Schools")
    assert not Organization.objects.networks().filter(parent=lakemont).exists()
    assert Organization.objects.schools().within(lakemont).count() == 6


def test_every_demo_code_begins_99_and_paths_follow_the_tree() -> None:
    root = Organization.objects.get(kind=Kind.STATE)
    orgs = list(Organization.objects.exclude(pk=root.pk).select_related("parent"))
    assert all(
        o.code and o.code.startswith("99") and len(o.code) == 8 for o in orgs if o.kind != Kind.NETWORK
    )
    for o in orgs:
        assert o.parent is not None
        assert o.path == f"{o.parent.path}{o.pk}/"
        if o.kind == Kind.SCHOOL:
            assert o.code and o.district is not None and o.district.code
            assert o.code.startswith(o.district.code[:4])
            assert o.grades and o.address_line1 and o.opened_on


def test_every_school_has_a_current_principal_and_each_quadrant_a_supervisor() -> None:
    schools = list(Organization.objects.schools())
    principals = principals_for_schools(schools)
    assert [s.name for s in schools if len(principals.get(s.pk, [])) != 1] == []
    supervisors = Position.objects.current().filter(role=Role.PRINCIPAL_SUPERVISOR)
    assert supervisors.count() == 4
    assert {p.title for p in supervisors} == {SUPERVISOR_TITLE}
    assert {p.organization.network_label for p in supervisors} == {"quadrant"}
    # The longitudinal record: predecessors, principals who were assistant principals elsewhere.
    assert Position.objects.filter(role=Role.PRINCIPAL, ends_on__isnull=False).count() >= 8
    was_ap = Person.objects.filter(positions__role=Role.ASSISTANT_PRINCIPAL, positions__ends_on__isnull=False)
    assert (
        Person.objects.filter(positions__role=Role.PRINCIPAL, positions__ends_on=None, pk__in=was_ap).count()
        >= 3
    )
    assert Person.objects.filter(is_aspiring_leader=True).exclude(leadership_interests="").count() >= 20
    assert Position.objects.filter(role=Role.TEACHER_LEADER, title__icontains="coach").exists()
    assert Position.objects.filter(role=Role.TEACHER_LEADER, title__startswith="Department head").exists()
    assert {"coach", "director", "superintendent", "assistant_superintendent"} <= set(
        Position.objects.values_list("role", flat=True)
    )
    mepids = list(Person.objects.values_list("mepid", flat=True))
    assert all(m and re.fullmatch(r"\d{8}", m) for m in mepids) and len(set(mepids)) == len(mepids)


def test_one_school_is_supervised_across_quadrants_by_override() -> None:
    override = SupervisionOverride.objects.get()
    assert override.reason == "Caseload rebalance"
    assert override.school.parent.name == "East Quadrant"  # type: ignore[union-attr]
    supervisor = User.objects.get(email=services.persona("supervisor").email).person
    assert override.supervisor == supervisor
    mine = supervised_schools(supervisor)  # type: ignore[arg-type]
    assert mine.count() == 13 and override.school in mine


def test_every_persona_signs_in_with_the_shared_password_and_holds_its_role() -> None:
    expected = {
        "state_admin": "state_admin",
        "district_admin": "district_admin",
        "superintendent": "superintendent",
        "hr": "hr",
        "supervisor": "principal_supervisor",
        "principal": "school_leader",
        "coach": "coach",
        "educator": "educator",
        "programs": "program_coordinator",
        "cabinet": "cabinet",
        "responder": "educator",  # answers for Special Education through a relationship (edlead/support)
    }
    assert set(expected) == {p.key for p in services.PERSONAS}
    hashes = set()
    for p in services.PERSONAS:
        client = Client()
        assert client.login(email=p.email, password=services.DEMO_PASSWORD), p.email
        user = User.objects.get(email=p.email)
        hashes.add(user.password)
        assert (user.person is not None) == (p.person_key is not None)
        assert expected[p.key] in policy.roles(user), p.key
    assert len(hashes) == 1  # hashed once
    assert RoleGrant.objects.count() == 6  # the other personas' roles come from their positions


def test_running_again_changes_nothing() -> None:
    before = digest(), Organization.objects.count(), Person.objects.count(), Position.objects.count()
    output = seed("--scale", "demo")
    assert "already present" in output
    assert (
        digest(),
        Organization.objects.count(),
        Person.objects.count(),
        Position.objects.count(),
    ) == before
    assert User.objects.count() == len(services.PERSONAS)


def test_demo_names_are_invented() -> None:
    if not DIRECTORY.exists():
        pytest.skip(f"{DIRECTORY} is not present (the shared DESE data sits beside the repository)")
    with DIRECTORY.open(encoding="latin-1", newline="") as fh:
        rows = list(csv.DictReader(fh))
    real_orgs = {r["School Name"].strip().lower() for r in rows} | {
        r["District Name"].strip().lower() for r in rows
    }
    real_people = {" ".join(r["Contact Name"].lower().split()) for r in rows}
    names = {n.lower() for n in Organization.objects.exclude(kind=Kind.STATE).values_list("name", flat=True)}
    assert names & real_orgs == set()
    people = {f"{f} {last}".lower() for f, last in Person.objects.values_list("first_name", "last_name")}
    assert people & real_people == set()


def test_demo_relationships_give_the_personas_people_and_queue_items() -> None:
    """The supervisor evaluates the North Quadrant's principals, the coach coaches three of them (one new
    this week, one ending this month), the demo principal mentors the demo educator; dated from today."""
    import datetime as dt

    from edlead.access import policy
    from edlead.access.models import Relationship
    from edlead.core import workqueue

    today = dt.date.today()
    coach = User.objects.get(email=services.persona("coach").email)
    supervisor = User.objects.get(email=services.persona("supervisor").email)
    principal = User.objects.get(email=services.persona("principal").email)
    educator = User.objects.get(email=services.persona("educator").email)
    assert Relationship.objects.filter(holder=supervisor.person, kind="evaluator").count() >= 10
    coached = Relationship.objects.filter(holder=coach.person, kind="coach")
    assert coached.count() == 3 and coached.filter(person=principal.person).exists()
    titles = {e.item.title: e.state for e in workqueue.items_for(coach, today=today)}
    assert any(t.startswith("You are now coach of") and s == "new" for t, s in titles.items())
    assert any(t.startswith("Your time as coach of") and s == "due" for t, s in titles.items())
    assert Relationship.objects.filter(
        holder=principal.person, person=educator.person, kind="mentor"
    ).exists()
    # The coach reads what is shared with coaches about the principal, not the restricted record.
    assert policy.can(coach, policy.PERSON_SHARED, principal.person)
    assert not policy.can(coach, policy.PERSON_RESTRICTED, principal.person)
