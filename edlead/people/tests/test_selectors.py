"""Who supervises whom, derived from positions and supervision overrides."""

from __future__ import annotations

import datetime as dt
from typing import Any

from edlead.orgs.models import SupervisionOverride
from edlead.people import selectors
from edlead.people.models import Position
from edlead.testing import make_person, make_position, make_school

R = Position.Role


def _names(relations: list[selectors.Relation]) -> list[str]:
    return sorted(r.person.last_name for r in relations)


def test_a_principal_is_supervised_by_their_networks_principal_supervisor(world: Any) -> None:
    p1 = world.people["P1"]
    relations = selectors.supervisors_of(p1, selectors.person_positions(p1))
    assert _names(relations) == ["Supervisor-North"]
    assert relations[0].because == "principal supervisor for Oak Elementary"


def test_a_supervisor_supervises_the_open_schools_of_their_network(world: Any) -> None:
    schools = selectors.supervised_schools(world.people["SUP1"]).order_by("name")
    assert [s.name for s in schools] == ["Elm Middle", "Oak Elementary"]


def test_an_override_moves_one_school_to_another_supervisor(world: Any) -> None:
    SupervisionOverride.objects.create(
        school=world.orgs["S1"], supervisor=world.people["SUP2"], starts_on=dt.date(2024, 1, 1)
    )
    assert [s.name for s in selectors.supervised_schools(world.people["SUP1"])] == ["Elm Middle"]
    south = sorted(s.name for s in selectors.supervised_schools(world.people["SUP2"]))
    assert south == ["Birch High", "Oak Elementary"]
    assert selectors.supervisors_for_schools([world.orgs["S1"]])[world.orgs["S1"].pk] == world.people["SUP2"]


def test_without_a_principal_supervisor_the_superintendent_supervises_the_principal(world: Any) -> None:
    lone = make_school(world.orgs["A"], "Lone School", code="99100090")
    head = make_person("Lee", "Lone")
    make_position(head, lone, R.PRINCIPAL)
    assert selectors.supervisors_for_schools([lone])[lone.pk] == world.people["SUPT"]


def test_assistant_principals_and_teachers_are_supervised_by_the_principal(world: Any) -> None:
    for key in ("AP1", "TEA1"):
        person = world.people[key]
        assert _names(selectors.supervisors_of(person, selectors.person_positions(person))) == [
            "Principal-One"
        ]


def test_a_principal_supervisor_is_supervised_by_the_superintendent(world: Any) -> None:
    sup = world.people["SUP1"]
    assert _names(selectors.supervisors_of(sup, selectors.person_positions(sup))) == ["Superintendent"]


def test_co_principals_both_supervise_their_staff_and_former_principals_do_not(world: Any) -> None:
    oak = world.orgs["S1"]
    Position.objects.filter(organization=oak, role=R.PRINCIPAL, ends_on=None).update(is_co_principal=True)
    make_position(make_person("Cam", "Colead"), oak, R.PRINCIPAL, is_co_principal=True)
    heads = selectors.principals_for_schools([oak])[oak.pk]
    assert sorted(p.person.last_name for p in heads) == ["Colead", "Principal-One"]  # not Fran Former
    tea = world.people["TEA1"]
    assert _names(selectors.supervisors_of(tea, selectors.person_positions(tea))) == [
        "Colead",
        "Principal-One",
    ]


def test_the_selectors_issue_a_fixed_number_of_queries(world: Any, django_assert_num_queries: Any) -> None:
    for i in range(5):
        make_position(make_person("X", f"Extra{i}"), world.orgs["S2"], R.TEACHER)
    schools = list(selectors.supervised_schools(world.people["SUP1"]))
    with django_assert_num_queries(2):
        selectors.supervisors_for_schools(schools)
    with django_assert_num_queries(1):
        selectors.principals_for_schools(schools)


def test_the_reason_names_the_capacity_the_supervisor_acts_in(world: Any) -> None:
    lone = make_school(world.orgs["A"], "Lone School", code="99100091")
    head = make_person("Lee", "Lone")
    make_position(head, lone, R.PRINCIPAL)
    [relation] = selectors.supervisors_of(head, selectors.person_positions(head))
    assert relation.person == world.people["SUPT"]
    assert relation.because == "superintendent, supervising the principal for Lone School"
    SupervisionOverride.objects.create(
        school=lone, supervisor=world.people["SUP2"], starts_on=dt.date(2024, 1, 1)
    )
    [relation] = selectors.supervisors_of(head, selectors.person_positions(head))
    assert relation.because == "supervisor (by a district decision) for Lone School"
