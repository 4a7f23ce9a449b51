"""The role × action × scope matrix: the most thorough tests in the codebase.

Each row says, for one role, which targets an action is allowed on. Everything not listed is denied.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from edlead.access import policy
from edlead.access.models import RoleGrant
from edlead.access.tests.conftest import World
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.testing import make_user

ORG_TARGETS = ["state", "A", "N1", "N2", "S1", "S2", "S3", "B", "T1"]
PERSON_TARGETS = ["P1", "AP1", "TEA1", "P3", "PT1", "SUP1", "SUPT", "FORMER"]

ALL_A_ORGS = {"A", "N1", "N2", "S1", "S2", "S3"}
ALL_A_PEOPLE = {"P1", "AP1", "TEA1", "P3", "SUP1", "SUPT", "FORMER"}
ALL_A_CURRENT = ALL_A_PEOPLE - {"FORMER"}

# role -> action -> targets allowed
MATRIX: dict[str, dict[str, set[str]]] = {
    "state_admin": {
        policy.ORG_VIEW: set(ORG_TARGETS),
        policy.ORG_MANAGE: set(ORG_TARGETS),
        policy.PERSON_VIEW: set(PERSON_TARGETS),
        policy.PERSONNEL_VIEW: set(PERSON_TARGETS),
        policy.PERSON_EDIT: set(PERSON_TARGETS),
        policy.ORG_DIRECTORY: set(ORG_TARGETS),
        policy.PERSON_DIRECTORY: set(PERSON_TARGETS),
    },
    "district_admin": {
        policy.ORG_VIEW: ALL_A_ORGS | {"state"},
        policy.ORG_MANAGE: ALL_A_ORGS,
        policy.PERSON_VIEW: ALL_A_PEOPLE,
        policy.PERSONNEL_VIEW: ALL_A_PEOPLE,
        policy.PERSON_EDIT: ALL_A_PEOPLE,
        policy.ORG_DIRECTORY: ALL_A_ORGS | {"state"},
        policy.PERSON_DIRECTORY: ALL_A_PEOPLE,
    },
    "superintendent": {
        policy.ORG_VIEW: ALL_A_ORGS | {"state"},
        policy.ORG_MANAGE: set(),
        policy.PERSON_VIEW: ALL_A_PEOPLE,
        policy.PERSONNEL_VIEW: ALL_A_PEOPLE,
        policy.PERSON_EDIT: set(),
        policy.ORG_DIRECTORY: ALL_A_ORGS | {"state"},
        policy.PERSON_DIRECTORY: ALL_A_PEOPLE,
    },
    "hr": {
        policy.ORG_VIEW: ALL_A_ORGS | {"state"},
        policy.ORG_MANAGE: set(),
        policy.PERSON_VIEW: ALL_A_PEOPLE,
        policy.PERSONNEL_VIEW: ALL_A_PEOPLE,
        policy.PERSON_EDIT: ALL_A_PEOPLE,
        policy.ORG_DIRECTORY: ALL_A_ORGS | {"state"},
        policy.PERSON_DIRECTORY: ALL_A_PEOPLE,
    },
    "principal_supervisor": {  # supervises network N1 only; sees current staff there, not former
        policy.ORG_VIEW: {"state", "A", "N1", "S1", "S2"},
        policy.ORG_MANAGE: set(),
        policy.PERSON_VIEW: {"P1", "AP1", "TEA1", "SUP1"},
        policy.PERSONNEL_VIEW: {"P1", "AP1", "TEA1", "SUP1"},
        policy.PERSON_EDIT: set(),
        policy.ORG_DIRECTORY: ALL_A_ORGS | {"state"},
        policy.PERSON_DIRECTORY: ALL_A_PEOPLE,
    },
    "school_leader": {  # principal of S1
        policy.ORG_VIEW: {"state", "A", "N1", "S1"},
        policy.ORG_MANAGE: set(),
        policy.PERSON_VIEW: {"P1", "AP1", "TEA1"},
        policy.PERSONNEL_VIEW: {"P1", "AP1", "TEA1"},
        policy.PERSON_EDIT: set(),
        policy.ORG_DIRECTORY: ALL_A_ORGS | {"state"},
        policy.PERSON_DIRECTORY: ALL_A_PEOPLE,
    },
    "assistant_principal": {  # assistant principal of S1: details of the teachers, never the principal's
        policy.ORG_VIEW: {"state", "A", "N1", "S1"},
        policy.ORG_MANAGE: set(),
        policy.PERSON_VIEW: {"P1", "AP1", "TEA1"},
        policy.PERSONNEL_VIEW: {"AP1", "TEA1"},
        policy.PERSON_EDIT: set(),
        policy.ORG_DIRECTORY: ALL_A_ORGS | {"state"},
        policy.PERSON_DIRECTORY: ALL_A_PEOPLE,
    },
    "coach": {  # coach position on N1
        policy.ORG_VIEW: {"state", "A", "N1", "S1", "S2"},
        policy.ORG_MANAGE: set(),
        policy.PERSON_VIEW: {"P1", "AP1", "TEA1", "SUP1"},
        policy.PERSONNEL_VIEW: set(),
        policy.PERSON_EDIT: set(),
        policy.ORG_DIRECTORY: ALL_A_ORGS | {"state"},
        policy.PERSON_DIRECTORY: ALL_A_PEOPLE,
    },
    "educator": {  # teacher at S1: own school, own record only
        policy.ORG_VIEW: {"state", "A", "N1", "S1"},
        policy.ORG_MANAGE: set(),
        policy.PERSON_VIEW: {"TEA1"},
        policy.PERSONNEL_VIEW: {"TEA1"},
        policy.PERSON_EDIT: set(),
        policy.ORG_DIRECTORY: ALL_A_ORGS | {"state"},
        policy.PERSON_DIRECTORY: ALL_A_PEOPLE,
    },
    "program_coordinator": {
        policy.ORG_VIEW: ALL_A_ORGS | {"state"},
        policy.ORG_MANAGE: set(),
        policy.PERSON_VIEW: ALL_A_CURRENT,
        policy.PERSONNEL_VIEW: set(),
        policy.PERSON_EDIT: set(),
        policy.ORG_DIRECTORY: ALL_A_ORGS | {"state"},
        policy.PERSON_DIRECTORY: ALL_A_PEOPLE,
    },
    "cabinet": {
        policy.ORG_VIEW: ALL_A_ORGS | {"state"},
        policy.ORG_MANAGE: set(),
        policy.PERSON_VIEW: ALL_A_PEOPLE,
        policy.PERSONNEL_VIEW: set(),
        policy.PERSON_EDIT: set(),
        policy.ORG_DIRECTORY: ALL_A_ORGS | {"state"},
        policy.PERSON_DIRECTORY: ALL_A_PEOPLE,
    },
    "no_role": {
        policy.ORG_VIEW: set(),
        policy.ORG_MANAGE: set(),
        policy.PERSON_VIEW: set(),
        policy.PERSONNEL_VIEW: set(),
        policy.PERSON_EDIT: set(),
        policy.ORG_DIRECTORY: set(),
        policy.PERSON_DIRECTORY: set(),
    },
}

GLOBAL: dict[str, set[str]] = {
    policy.IMPORT_RUN: {"state_admin", "district_admin", "hr"},
    policy.ROLE_MANAGE: {"state_admin", "district_admin"},
    policy.AUDIT_VIEW: {"state_admin", "district_admin", "superintendent"},
    # Each framework (state's, a district's copy): edlead/evaluations/tests/test_access.py.
    policy.FRAMEWORK_VIEW: set(MATRIX) - {"no_role"},
    policy.FRAMEWORK_MANAGE: {"state_admin", "district_admin"},
    # Postings and eligibility (edlead/credentials): edlead/credentials/tests/test_eligibility.py per posting.
    policy.POSTING_VIEW: {"state_admin", "district_admin", "superintendent", "hr"},
    policy.POSTING_MANAGE: {"state_admin", "district_admin", "hr"},
    # The learning catalog (edlead/learning): each program in edlead/learning/tests/test_catalog.py.
    policy.PROGRAM_VIEW: set(MATRIX) - {"no_role"},
    policy.PROGRAM_MANAGE: {"state_admin", "district_admin", "program_coordinator"},
}

ORG_ACTIONS = (policy.ORG_VIEW, policy.ORG_MANAGE, policy.ORG_DIRECTORY)
PERSON_ACTIONS = (policy.PERSON_DIRECTORY, policy.PERSON_VIEW, policy.PERSONNEL_VIEW, policy.PERSON_EDIT)

CASES = [(role, action) for role, actions in MATRIX.items() for action in actions]


def _target(world: World, name: str) -> Any:
    return world.orgs.get(name) or world.people[name]


@pytest.mark.parametrize(("role", "action"), CASES)
def test_can_matches_matrix(world: World, role: str, action: str) -> None:
    """Every target of one role × action (one world per pair keeps the suite fast)."""
    user = world.users[role]
    targets = ORG_TARGETS if action in ORG_ACTIONS else PERSON_TARGETS
    allowed = {name for name in targets if policy.can(user, action, _target(world, name))}
    assert allowed == MATRIX[role][action]


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize("action", ORG_ACTIONS)
def test_visible_to_orgs_matches_can(world: World, role: str, action: str) -> None:
    user = world.users[role]
    visible = set(policy.visible_to(user, Organization.objects.all(), action).values_list("pk", flat=True))
    expected = {world.orgs[name].pk for name in MATRIX[role][action]}
    assert visible == expected


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize("action", PERSON_ACTIONS)
def test_visible_to_people_matches_matrix(world: World, role: str, action: str) -> None:
    user = world.users[role]
    pks = [world.people[n].pk for n in PERSON_TARGETS]
    visible = set(
        policy.visible_to(user, Person.objects.filter(pk__in=pks), action).values_list("pk", flat=True)
    )
    expected = {world.people[name].pk for name in MATRIX[role][action]}
    assert visible == expected


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize("action", list(GLOBAL))
def test_global_actions(world: World, role: str, action: str) -> None:
    assert policy.can(world.users[role], action) is (role in GLOBAL[action])


def test_anonymous_and_inactive_users_can_do_nothing(world: World) -> None:
    anon = AnonymousUser()
    assert not policy.can(anon, policy.ORG_VIEW, world.orgs["S1"])
    assert not policy.visible_to(anon, Organization.objects.all(), policy.ORG_VIEW).exists()
    admin = world.users["district_admin"]
    admin.is_active = False
    admin.save()
    admin.refresh_from_db()
    assert not policy.can(admin, policy.ORG_VIEW, world.orgs["A"])


def test_revoked_grant_gives_nothing(world: World) -> None:
    from edlead.access import services

    admin = world.users["district_admin"]
    grant = admin.role_grants.get()
    services.role_revoke(grant=grant)
    policy.forget_grants(admin)
    assert not policy.can(admin, policy.ORG_VIEW, world.orgs["S1"])


def test_ended_position_removes_derived_role(world: World) -> None:
    import datetime as dt

    from edlead.people import services as people_services

    user = world.users["principal_supervisor"]
    position = world.people["SUP1"].positions.get()
    people_services.position_end(position=position, ends_on=dt.date.today() - dt.timedelta(days=1))
    policy.forget_grants(user)
    assert not policy.can(user, policy.ORG_VIEW, world.orgs["S1"])


def test_supervision_override_gives_the_supervisor_the_school(world: World) -> None:
    import datetime as dt

    from edlead.orgs import services as org_services

    user = world.users["principal_supervisor"]  # SUP1 supervises N1
    assert not policy.can(user, policy.PERSONNEL_VIEW, world.people["P3"])
    org_services.supervision_override_set(
        school=world.orgs["S3"], supervisor=world.people["SUP1"], starts_on=dt.date.today(), reason="Caseload"
    )
    policy.forget_grants(user)
    assert policy.can(user, policy.PERSONNEL_VIEW, world.people["P3"])
    assert policy.can(user, policy.ORG_VIEW, world.orgs["S3"])


def test_school_moved_to_other_network_leaves_old_supervisor_scope(world: World) -> None:
    from edlead.orgs import services as org_services

    user = world.users["principal_supervisor"]
    assert policy.can(user, policy.ORG_VIEW, world.orgs["S2"])
    org_services.school_move(school=world.orgs["S2"], to=world.orgs["N2"])
    policy.forget_grants(user)
    s2 = Organization.objects.get(pk=world.orgs["S2"].pk)
    assert not policy.can(user, policy.ORG_VIEW, s2)
    assert policy.can(world.users["district_admin"], policy.ORG_MANAGE, s2)


def test_former_employee_now_elsewhere_shows_old_district_only_their_history_there(world: World) -> None:
    """Another district's HR sees a person who moved on as history in that district, no personnel."""
    import datetime as dt

    from edlead.testing import make_position

    moved = world.people["PT1"]  # principal in district B today
    make_position(
        moved,
        world.orgs["S2"],
        Position.Role.PRINCIPAL,
        starts_on=dt.date(2012, 7, 1),
        ends_on=dt.date(2018, 6, 30),
    )
    hr_a = world.users["hr"]
    assert policy.can(hr_a, policy.PERSON_VIEW, moved)
    assert not policy.can(hr_a, policy.PERSONNEL_VIEW, moved)
    scope = policy.person_record_scope(hr_a, moved)
    assert scope is not None
    shown = set(moved.positions.filter(scope).values_list("organization_id", flat=True))
    assert shown == {world.orgs["S2"].pk}
    # Beta's own view of its principal is the whole record.
    beta_admin = make_user(grants=[(RoleGrant.Role.DISTRICT_ADMIN, world.orgs["B"])], password=None)
    assert policy.person_record_scope(beta_admin, moved) is None
    assert policy.can(beta_admin, policy.PERSONNEL_VIEW, moved)


def test_visible_to_requires_an_action(world: World) -> None:
    with pytest.raises(TypeError):
        policy.visible_to(world.users["hr"], Organization.objects.all())  # type: ignore[call-arg]


def test_records_of_an_organization_use_no_ancestor_rule(world: World) -> None:
    """`can` and `visible_to` agree for records that belong to an organization: a school leader may
    see the state agency's name, not a record filed on the state agency."""
    grant = RoleGrant.objects.create(
        user=world.users["district_admin"], role=RoleGrant.Role.CABINET, organization=world.orgs["state"]
    )
    leader = world.users["school_leader"]
    assert policy.can(leader, policy.ORG_VIEW, world.orgs["state"])
    assert not policy.can(leader, policy.ORG_VIEW, grant)
    assert not policy.visible_to(leader, RoleGrant.objects.filter(pk=grant.pk), policy.ORG_VIEW).exists()


def test_school_committee_member_sees_the_district_directory_only(world: World) -> None:
    """The school committee role (a superintendent's plan is approved by a member): directory actions in
    their district, nothing else; records only where a rule names the role (edlead/credentials)."""
    member = make_user(grants=[(RoleGrant.Role.SCHOOL_COMMITTEE, world.orgs["A"])], password=None)
    assert policy.ROLE_ACTIONS[RoleGrant.Role.SCHOOL_COMMITTEE] == policy.DIRECTORY_ACTIONS
    for action in ORG_ACTIONS:
        allowed = {n for n in ORG_TARGETS if policy.can(member, action, world.orgs.get(n))}
        assert allowed == (ALL_A_ORGS | {"state"} if action == policy.ORG_DIRECTORY else set()), action
    for action in PERSON_ACTIONS:
        allowed = {n for n in PERSON_TARGETS if policy.can(member, action, world.people[n])}
        assert allowed == (ALL_A_PEOPLE if action == policy.PERSON_DIRECTORY else set()), action
    for action in GLOBAL:
        assert policy.can(member, action) is (action == policy.FRAMEWORK_VIEW), action
