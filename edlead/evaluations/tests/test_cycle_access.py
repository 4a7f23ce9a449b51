"""Who reads an evaluation: the educator, their evaluator (a dated relationship), their supervision chain
and HR of their district — never someone merely holding a role on the school. `can` and `visible_to`
agree for every persona, and every read of a cycle is audited about the educator."""

from __future__ import annotations

import pytest
from django.http import Http404

from edlead.access import policy
from edlead.access.models import RoleGrant
from edlead.access.selectors import record_events_about
from edlead.access.tests.conftest import World
from edlead.core.models import AuditEvent
from edlead.evaluations import selectors_cycle as sel
from edlead.evaluations import services_cycle as sc
from edlead.evaluations.models import Cycle
from edlead.evaluations.tests.factories import cycle_for
from edlead.testing import make_person, make_position, make_user

G = RoleGrant.Role


@pytest.fixture
def cycles(world: World) -> dict[str, Cycle]:
    """P1's cycle evaluated by SUP1; P3's (the other network) by SUP2; TEA1's by P1; PT1's in Beta."""
    ppl = world.people
    return {
        "P1": cycle_for(ppl["P1"], evaluator=ppl["SUP1"]),
        "P3": cycle_for(ppl["P3"], evaluator=ppl["SUP2"]),
        "TEA1": cycle_for(ppl["TEA1"], evaluator=ppl["P1"]),
        "PT1": cycle_for(ppl["PT1"]),
    }


def _users(world: World) -> dict[str, object]:
    users = dict(world.users)
    users["beta_hr"] = make_user(grants=[(G.HR, world.orgs["B"])], password=None)
    users["supervisor_south"] = make_user(person=world.people["SUP2"], password=None)
    users["principal_three"] = make_user(person=world.people["P3"], password=None)
    users["beta_principal"] = make_user(person=world.people["PT1"], password=None)
    other_teacher = make_person("Olly", "Other-Teacher")
    make_position(other_teacher, world.orgs["S1"], "teacher")
    users["colleague_teacher"] = make_user(person=other_teacher, password=None)
    return users


EXPECTED = {
    # the cycle's educator, evaluator (relationship), supervision chain, HR of the district
    # (a state administrator's grant is not HR: it opens no evaluation by itself)
    "P1": {"school_leader", "principal_supervisor", "superintendent", "hr"},
    "P3": {"principal_three", "supervisor_south", "superintendent", "hr"},
    # a teacher's chain: the principal (also the evaluator), the assistant principal, the network's
    # supervisor and the superintendent
    "TEA1": {
        "educator",
        "school_leader",
        "assistant_principal",
        "principal_supervisor",
        "superintendent",
        "hr",
    },
    "PT1": {"beta_principal", "beta_hr"},
}


def test_evaluation_access_matrix(world: World, cycles: dict[str, Cycle]) -> None:
    users = _users(world)
    for name, cycle in cycles.items():
        for key, user in users.items():
            want = key in EXPECTED[name]
            assert policy.can(user, sc.CYCLE_VIEW, cycle) is want, (name, key)
            listed = sel.cycles_for(user).filter(pk=cycle.pk).exists()
            assert listed is want, (name, key, "visible_to")


def test_named_refusals(world: World, cycles: dict[str, Cycle]) -> None:
    users = _users(world)
    # An assistant principal cannot see their principal's evaluation.
    assert not policy.can(users["assistant_principal"], sc.CYCLE_VIEW, cycles["P1"])
    # A principal cannot see a peer principal's.
    assert not policy.can(users["school_leader"], sc.CYCLE_VIEW, cycles["P3"])
    assert not policy.can(users["principal_three"], sc.CYCLE_VIEW, cycles["P1"])
    # A supervisor cannot see another network's principals' evaluations.
    assert not policy.can(users["principal_supervisor"], sc.CYCLE_VIEW, cycles["P3"])
    assert not policy.can(users["supervisor_south"], sc.CYCLE_VIEW, cycles["P1"])
    # HR of another district cannot.
    assert not policy.can(users["beta_hr"], sc.CYCLE_VIEW, cycles["P1"])
    # A coach, a colleague, a district administrator or cabinet member hold roles, not the relationship.
    for key in ("coach", "colleague_teacher", "district_admin", "cabinet", "program_coordinator", "no_role"):
        assert not policy.can(users[key], sc.CYCLE_VIEW, cycles["P1"]), key


def test_managing_is_for_hr_and_district_administrators(world: World, cycles: dict[str, Cycle]) -> None:
    for key, user in world.users.items():
        want = key in ("hr", "district_admin")
        assert policy.can(user, sc.CYCLE_MANAGE, cycles["P1"]) is want, key


def test_every_read_of_a_cycle_is_audited_and_shown_to_the_educator(
    world: World, cycles: dict[str, Cycle]
) -> None:
    sup1 = world.users["principal_supervisor"]
    record = sel.cycle_record(sup1, cycles["P1"].pk)
    assert record.cycle == cycles["P1"] and record.summative is None
    event = AuditEvent.objects.get(action=AuditEvent.Action.RECORD_VIEWED, actor=sup1)
    assert event.subject_person_id == world.people["P1"].pk and event.detail["record"] == "evaluation"
    assert world.orgs["S1"].path in event.scope
    # The educator sees who opened it on "who has seen my record".
    seen = list(record_events_about(world.users["school_leader"]))
    assert seen[0] == event  # newest first, beside the cycle's opening and the evaluator's choice
    assert {e.action for e in seen[1:]} >= {sc.CYCLE_OPENED, sc.CYCLE_EVALUATOR_SET}
    # Not yours and missing are the same 404, and nothing is audited for them.
    with pytest.raises(Http404):
        sel.cycle_get_for_user(world.users["assistant_principal"], cycles["P1"].pk)
    with pytest.raises(Http404):
        sel.cycle_get_for_user(sup1, 999_999)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RECORD_VIEWED).count() == 1


def test_record_is_read_in_a_fixed_number_of_queries(
    world: World, cycles: dict[str, Cycle], django_assert_max_num_queries: object
) -> None:
    from edlead.evaluations.tests import cycle_helpers as h

    w = h.Walk(
        world,
        cycles["P1"],
        world.users["school_leader"],
        world.users["principal_supervisor"],
        world.users["hr"],
    )
    h.approve_plan(w)
    h.add_evidence(w)
    user = world.users["principal_supervisor"]
    sel.cycle_record(user, w.cycle.pk)  # warm the grants cache of this user object
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        sel.cycle_record(user, w.cycle.pk)
