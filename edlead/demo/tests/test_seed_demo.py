"""The demo generator: its shape, determinism, idempotence, accounts and the command's options."""

from __future__ import annotations

import csv
import hashlib
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from edlead.access import policy
from edlead.access.models import RoleGrant, User
from edlead.demo import services
from edlead.demo.demo import QUADRANTS, RIVERTON_CODE, SUPERVISOR_TITLE
from edlead.orgs.models import Organization, SupervisionOverride
from edlead.people.models import Person, Position
from edlead.people.selectors import principals_for_schools, supervised_schools
from edlead.testing import make_district

pytestmark = pytest.mark.django_db
Kind = Organization.Kind
Role = Position.Role
DATA = Path(settings.BASE_DIR).parent / "shared" / "data" / "dese"
DIRECTORY = DATA / "school" / "directory_2016-17.csv"
LOGIN_LINE = re.compile(r"^user: (\S+@\S+)  password: (\S+)$")


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def digest() -> str:
    """A fingerprint of the demo rows that depends on neither primary keys nor the database's row order."""
    by_pk = dict(Organization.objects.values_list("pk", "code"))
    rows = [
        f"org|{o.kind}|{o.code}|{o.name}|{by_pk.get(o.parent_id or 0) or ''}|{o.grades}"
        f"|{o.address_line1}|{o.opened_on}"
        for o in Organization.objects.exclude(kind=Kind.STATE)
    ]
    rows += [
        f"person|{p.mepid}|{p.first_name}|{p.last_name}|{p.preferred_name}|{p.email}|{p.is_aspiring_leader}"
        for p in Person.objects.all()
    ]
    rows += [
        f"position|{pos.person.mepid}|{pos.organization.code or pos.organization.name}|{pos.role}|{pos.title}"
        f"|{pos.starts_on}|{pos.ends_on}|{pos.fte}"
        for pos in Position.objects.select_related("person", "organization")
    ]
    rows += [
        f"user|{u.email}|{u.person.mepid if u.person else ''}" for u in User.objects.select_related("person")
    ]
    return hashlib.sha256("\n".join(sorted(rows)).encode()).hexdigest()


def test_demo_seed_builds_an_urban_district_in_four_quadrants_and_two_small_districts() -> None:
    seed("--scale", "demo")
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
    seed("--scale", "demo")
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
    seed("--scale", "demo")
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
    seed("--scale", "demo")
    override = SupervisionOverride.objects.get()
    assert override.reason == "Caseload rebalance"
    assert override.school.parent.name == "East Quadrant"  # type: ignore[union-attr]
    supervisor = User.objects.get(email=services.persona("supervisor").email).person
    assert override.supervisor == supervisor
    mine = supervised_schools(supervisor)  # type: ignore[arg-type]
    assert mine.count() == 13 and override.school in mine


def test_every_persona_signs_in_with_the_shared_password_and_holds_its_role() -> None:
    seed("--scale", "demo")
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


def test_seeding_is_deterministic() -> None:
    digests = []
    for _ in range(2):
        with transaction.atomic():
            seed("--scale", "demo")
            digests.append(digest())
            transaction.set_rollback(True)
    assert Organization.objects.count() == 0
    assert digests[0] == digests[1]


def test_running_again_changes_nothing() -> None:
    seed("--scale", "demo")
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


def test_if_empty_skips_a_database_holding_organizations() -> None:
    make_district(name="Real District", code="00350000")
    output = seed("--scale", "demo", "--if-empty")
    assert "no demo data written" in output
    assert not Organization.objects.filter(code=RIVERTON_CODE).exists()


def test_if_empty_seeds_an_empty_database_and_prints_logins() -> None:
    output = seed("--scale", "demo", "--if-empty", "--print-logins")
    assert Organization.objects.filter(code=RIVERTON_CODE).exists()
    logins = [m.groups() for m in map(LOGIN_LINE.match, output.splitlines()) if m]
    assert logins == [(p.email, services.DEMO_PASSWORD) for p in services.PERSONAS]
    # Every line about an account is either a role label or an exact `user: …  password: …` line.
    again = seed("--scale", "demo", "--if-empty", "--print-logins").splitlines()
    assert [line for line in again if line.startswith("user:")] == [
        f"user: {p.email}  password: {services.DEMO_PASSWORD}" for p in services.PERSONAS
    ]


def _real_codes() -> set[str]:
    codes = set()
    files = [
        DIRECTORY,
        *DATA.glob("district/*/PublicSchoolDistrict.csv"),
        *DATA.glob("district/*/locations.csv"),
    ]
    for path in files:
        if not path.exists():
            continue
        with path.open(encoding="latin-1", newline="") as fh:
            for row in csv.DictReader(fh):
                for column, value in row.items():
                    if column and "code" in column.lower() and value and value.strip().isdigit():
                        codes.add(value.strip().zfill(8))
    return codes


def test_real_dese_codes_never_begin_with_9() -> None:
    if not DIRECTORY.exists():
        pytest.skip(f"{DIRECTORY} is not present (the shared DESE data sits beside the repository)")
    codes = _real_codes()
    assert len(codes) > 1000
    assert [c for c in codes if c.startswith("9")] == []  # demo uses 99…, the state scale 9001…-9397…


def test_demo_names_are_invented() -> None:
    if not DIRECTORY.exists():
        pytest.skip(f"{DIRECTORY} is not present (the shared DESE data sits beside the repository)")
    with DIRECTORY.open(encoding="latin-1", newline="") as fh:
        rows = list(csv.DictReader(fh))
    real_orgs = {r["School Name"].strip().lower() for r in rows} | {
        r["District Name"].strip().lower() for r in rows
    }
    real_people = {" ".join(r["Contact Name"].lower().split()) for r in rows}
    seed("--scale", "demo")
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

    seed("--scale", "demo")
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
