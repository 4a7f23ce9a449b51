"""Bad input is refused with a plain message and writes nothing: steps out of order, the wrong person,
an evaluator evaluating themselves, a rating outside the scale, a stale form."""

from __future__ import annotations

import pytest

from edlead.access.models import Relationship
from edlead.access.tests.conftest import World
from edlead.core.editing import EditConflict
from edlead.core.errors import ApplicationError
from edlead.evaluations import services_cycle as sc
from edlead.evaluations.models import Assessment, Cycle, Goal
from edlead.evaluations.tests import cycle_helpers as h
from edlead.evaluations.tests.factories import THIS_YEAR


def test_steps_out_of_order_are_refused_in_words(world: World) -> None:
    w = h.open_principal_cycle(world)
    with pytest.raises(ApplicationError) as refused:
        sc.summative_sign_evaluator(actor=w.evaluator, cycle=w.cycle)
    assert str(refused.value) == (
        "Signing the summative evaluation belongs to step 5 (Summative evaluation); "
        "this evaluation is at step 1 (Self-assessment)."
    )
    with pytest.raises(ApplicationError, match="belongs to step 2"):
        sc.cycle_approve_plan(actor=w.evaluator, cycle=w.cycle)
    with pytest.raises(ApplicationError, match="belongs to step 3 .* or step 4"):
        sc.formative_save(actor=w.evaluator, cycle=w.cycle, expected_version=0, narrative="Too early")
    with pytest.raises(ApplicationError, match="self-assessment is empty"):
        sc.self_assessment_submit(actor=w.educator, cycle=w.cycle)
    h.self_assess(w)
    with pytest.raises(ApplicationError, match="belongs to step 1 .*; this evaluation is at step 2"):
        sc.self_assessment_save(actor=w.educator, cycle=w.cycle, expected_version=1, narrative="Again")
    with pytest.raises(ApplicationError, match="not approved yet"):
        goals = h.write_goals(w)
        sc.goals_propose(actor=w.educator, cycle=w.cycle)
        sc.cycle_decide_plan(actor=w.evaluator, cycle=w.cycle, plan_type="developing")
        sc.cycle_approve_plan(actor=w.evaluator, cycle=w.cycle)
    assert Cycle.objects.get(pk=w.cycle.pk).step == "goals_plan"
    # An approved goal no longer changes; a proposed one waits for the evaluator.
    approved = sc.goal_approve(actor=w.evaluator, goal=goals[0])
    with pytest.raises(ApplicationError, match="approved: it can no longer change"):
        sc.goal_save(
            actor=w.educator, cycle=w.cycle, goal=approved, expected_version=approved.version, title="X"
        )
    with pytest.raises(ApplicationError, match="only a proposed goal"):
        sc.goal_approve(actor=w.evaluator, goal=approved)


def test_only_the_educator_and_the_evaluator_act_on_their_parts(world: World) -> None:
    w = h.open_principal_cycle(world)
    supt = world.users["superintendent"]  # in the chain: may read, never act
    with pytest.raises(
        ApplicationError, match="Only Pat Principal-One, the educator, can write the self-assessment"
    ):
        sc.self_assessment_save(actor=w.evaluator, cycle=w.cycle, expected_version=0, narrative="x")
    with pytest.raises(ApplicationError, match="the educator"):
        sc.self_assessment_save(actor=supt, cycle=w.cycle, expected_version=0, narrative="x")
    h.self_assess(w)
    goal = h.write_goals(w)[0]
    sc.goals_propose(actor=w.educator, cycle=w.cycle)
    with pytest.raises(ApplicationError, match="Only Sam Supervisor-North, the evaluator"):
        sc.goal_approve(actor=w.educator, goal=goal)
    with pytest.raises(ApplicationError, match="the evaluator"):
        sc.cycle_decide_plan(actor=supt, cycle=w.cycle, plan_type="developing")
    with pytest.raises(ApplicationError, match="Only the educator and their evaluator can add evidence"):
        sc.evidence_add(actor=supt, cycle=w.cycle, kind="note", title="x", category=1, text="x")
    assert Goal.objects.get(pk=goal.pk).status == "proposed"


def test_evaluators_are_chosen_by_hr_or_the_district_administrator_never_oneself(world: World) -> None:
    p1, sup1 = world.people["P1"], world.people["SUP1"]
    cycle = sc.cycle_open(actor=world.users["hr"], educator=p1, school_year=THIS_YEAR)
    for key in ("principal_supervisor", "superintendent", "school_leader", "educator"):
        with pytest.raises(ApplicationError, match="Only HR or the district administrator"):
            sc.cycle_set_evaluator(actor=world.users[key], cycle=cycle, evaluator=sup1, reason="x")
    with pytest.raises(ApplicationError, match="Nobody evaluates themselves"):
        sc.cycle_set_evaluator(actor=world.users["hr"], cycle=cycle, evaluator=p1, reason="x")
    with pytest.raises(ApplicationError, match="reason"):
        sc.cycle_set_evaluator(actor=world.users["hr"], cycle=cycle, evaluator=sup1, reason=" ")
    assert not Relationship.objects.filter(kind="evaluator", person=p1).exists()
    with pytest.raises(ApplicationError, match="Only HR or the district administrator"):
        sc.cycle_open(
            actor=world.users["principal_supervisor"], educator=world.people["P3"], school_year=THIS_YEAR
        )
    with pytest.raises(ApplicationError, match="already has an evaluation cycle"):
        sc.cycle_open(actor=world.users["hr"], educator=p1, school_year=THIS_YEAR)


def test_changing_the_evaluator_ends_the_old_relationship(world: World) -> None:
    tea1, p1, p3 = world.people["TEA1"], world.people["P1"], world.people["P3"]
    hr = world.users["hr"]
    cycle = sc.cycle_open(actor=hr, educator=tea1, school_year=THIS_YEAR, evaluator=p3, reason="Interim")
    old = Relationship.objects.get(kind="evaluator", holder=p3, person=tea1)
    cycle = sc.cycle_set_evaluator(actor=hr, cycle=cycle, evaluator=p1, reason="Principal back from leave")
    old.refresh_from_db()
    assert old.ends_on is not None  # ended today: gone from tomorrow
    assert (
        Relationship.objects.active().get(kind="evaluator", person=tea1, holder=p1)
        == cycle.evaluator_relationship
    )


def test_a_rating_outside_the_scale_is_refused(world: World) -> None:
    w = h.open_principal_cycle(world)
    with pytest.raises(ApplicationError, match="'excellent' is not a rating"):
        sc.self_assessment_save(
            actor=w.educator, cycle=w.cycle, expected_version=0, ratings={"I": "excellent"}
        )
    with pytest.raises(ApplicationError, match="'IX' is not a standard or indicator"):
        sc.self_assessment_save(
            actor=w.educator, cycle=w.cycle, expected_version=0, ratings={"IX": "proficient"}
        )
    h.to_summative(w)
    with pytest.raises(ApplicationError, match="Overall rating: 'great' is not a rating"):
        h.write_summative(w, overall="great")
    goal = w.cycle.goals.first()
    assert goal is not None
    with pytest.raises(ApplicationError, match="'perfect' is not on the scale"):
        sc.summative_save(
            actor=w.evaluator,
            cycle=w.cycle,
            expected_version=0,
            attainment={goal.pk: {"attainment": "perfect"}},
        )


def test_two_people_on_one_form_never_overwrite_each_other(world: World) -> None:
    w = h.open_principal_cycle(world)
    first = sc.self_assessment_save(
        actor=w.educator, cycle=w.cycle, expected_version=0, narrative="Mine, tab 1"
    )
    assert first.version == 1
    with pytest.raises(EditConflict) as conflict:
        sc.self_assessment_save(actor=w.educator, cycle=w.cycle, expected_version=0, narrative="Mine, tab 2")
    assert conflict.value.saved["narrative"] == "Mine, tab 1"
    assert Assessment.objects.get(cycle=w.cycle, stage="self").narrative == "Mine, tab 1"
    # Sending what is already saved is no conflict; the current version saves.
    sc.self_assessment_save(actor=w.educator, cycle=w.cycle, expected_version=0, narrative="Mine, tab 1")
    assert (
        sc.self_assessment_save(
            actor=w.educator, cycle=w.cycle, expected_version=1, narrative="Mine, final"
        ).version
        == 2
    )
    # A stale cycle version refuses a transition.
    with pytest.raises(EditConflict):
        sc.self_assessment_submit(actor=w.educator, cycle=w.cycle, expected_version=0)
