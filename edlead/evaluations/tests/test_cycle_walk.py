"""A principal's whole cycle through the services: self-assessment → goals approved → evidence and an
evaluative visit → formative → summative with its rule checks → both signatures → locked → reopened
with a reason (audited, the signed version kept) → signed again."""

from __future__ import annotations

import pytest

from edlead.access.models import Relationship
from edlead.access.tests.conftest import World
from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.evaluations import services_cycle as sc
from edlead.evaluations.models import Assessment, Cycle, CycleEvent, CycleReopening, Goal
from edlead.evaluations.tests import cycle_helpers as h
from edlead.files.models import Attachment
from edlead.notices.models import Notice

Step = Cycle.Step


def test_a_principals_cycle_from_self_assessment_to_both_signatures_and_a_reopening(world: World) -> None:
    p1, sup1 = world.people["P1"], world.people["SUP1"]
    assert sc.propose_evaluators(educator=p1) == [sup1]
    w = h.open_principal_cycle(world)
    cycle = w.fresh()
    assert cycle.framework.code == "ma-administrator" and cycle.organization == world.orgs["S1"]
    assert cycle.step == Step.SELF_ASSESSMENT and cycle.evaluator == sup1
    rel = Relationship.objects.get(kind="evaluator", holder=sup1, person=p1)
    assert cycle.evaluator_relationship == rel and rel.ends_on is None
    assert AuditEvent.objects.filter(action=sc.CYCLE_EVALUATOR_SET, subject_person_id=p1.pk).exists()

    # Step 1 → 2
    h.self_assess(w)
    sa = Assessment.objects.get(cycle=cycle, stage="self")
    assert sa.submitted_at is not None and sa.ratings.count() == 2
    assert w.fresh().step == Step.GOALS_PLAN

    # Step 2: goals proposed, one returned and fixed, the plan decided and approved.
    goals = h.write_goals(w)
    sc.goals_propose(actor=w.educator, cycle=cycle)
    assert Notice.objects.filter(
        person=sup1, kind=sc.NOTICE_CYCLE, subject__contains="proposed goals"
    ).exists()
    returned = sc.goal_return(actor=w.evaluator, goal=goals[0], comment="Name the assessment.")
    assert returned.status == Goal.Status.RETURNED and returned.evaluator_comment == "Name the assessment."
    sc.goal_save(
        actor=w.educator,
        cycle=cycle,
        goal=returned,
        expected_version=returned.version,
        measurable="Spring MCAS",
    )
    sc.goals_propose(actor=w.educator, cycle=cycle)
    for g in goals:
        sc.goal_approve(actor=w.evaluator, goal=g)
    with pytest.raises(ApplicationError, match="Decide the plan"):
        sc.cycle_approve_plan(actor=w.evaluator, cycle=cycle)
    suggestion = sc.cycle_suggested_plan(w.fresh())
    assert suggestion.plan_type == "developing"  # experienced, but no summative on record yet
    sc.cycle_decide_plan(actor=w.evaluator, cycle=cycle, plan_type="developing")
    sc.cycle_approve_plan(actor=w.evaluator, cycle=cycle)
    cycle = w.fresh()
    assert cycle.step == Step.IMPLEMENTATION and cycle.plan_type == "developing" and cycle.plan_approved_at

    # Step 3: evidence from both sides, a file through the platform's store, an evaluative visit.
    h.add_evidence(w)
    survey = cycle.evidence.get(staff_feedback=True)
    attachment = Attachment.objects.for_owner(survey).get()
    assert attachment.restricted and attachment.view_action == sc.EVIDENCE_VIEW
    added = AuditEvent.objects.get(action="attachment_added")
    assert added.subject_person_id == p1.pk and world.orgs["S1"].path in added.scope
    assert sc.evidence_categories(cycle) == ({1, 2, 3}, True)

    # Step 4 → 5
    h.formative(w)
    assert w.fresh().step == Step.SUMMATIVE

    # Step 5: the rating rules, then signatures.
    with pytest.raises(ApplicationError, match="needs Standard I"):
        h.write_summative(w, ratings={**h.GOOD, "I": "needs_improvement"})
    h.write_summative(w)
    with pytest.raises(ApplicationError, match="Only Sam Supervisor-North, the evaluator"):
        sc.summative_sign_evaluator(actor=w.educator, cycle=cycle)
    with pytest.raises(ApplicationError, match="evaluator signs the summative evaluation first"):
        sc.summative_sign_educator(actor=w.educator, cycle=cycle)
    signed = sc.summative_sign_evaluator(actor=w.evaluator, cycle=cycle)
    assert signed.evaluator_signed_at is not None
    assert signed.next_plan_type == "self_directed"  # experienced and now rated Proficient
    with pytest.raises(ApplicationError, match="Only Pat Principal-One, the educator"):
        sc.summative_sign_educator(actor=w.evaluator, cycle=cycle)
    with pytest.raises(ApplicationError, match="the educator"):
        sc.summative_sign_educator(actor=world.users["assistant_principal"], cycle=cycle)
    done = sc.summative_sign_educator(actor=w.educator, cycle=cycle, response="I read it; see my notes.")
    assert done.step == Step.DONE and done.locked_at is not None
    sa = Assessment.objects.get(cycle=cycle, stage="summative")
    assert sa.educator_signed_at and sa.educator_response == "I read it; see my notes."

    # Locked: nothing changes any more.
    with pytest.raises(ApplicationError, match="signed and locked"):
        h.write_summative(w)
    with pytest.raises(ApplicationError, match="signed and locked"):
        sc.evidence_add(actor=w.educator, cycle=cycle, kind="note", title="Late", category=1, text="x")

    # Reopening: not by the evaluator, not without a reason; by HR, audited, keeping the signed version.
    with pytest.raises(ApplicationError, match="Only HR or the district administrator"):
        sc.cycle_reopen(actor=w.evaluator, cycle=cycle, reason="Typo")
    with pytest.raises(ApplicationError, match="reason"):
        sc.cycle_reopen(actor=w.hr, cycle=cycle, reason="  ")
    reopened = sc.cycle_reopen(actor=w.hr, cycle=cycle, reason="Standard III was meant to be Proficient.")
    assert reopened.step == Step.SUMMATIVE and reopened.locked_at is None and reopened.reopen_count == 1
    kept = CycleReopening.objects.get(cycle=cycle)
    assert kept.snapshot["ratings"]["III"] == "exemplary" and kept.snapshot["educator_signed_at"]
    assert kept.snapshot["educator_response"] == "I read it; see my notes."
    event = AuditEvent.objects.get(action=sc.CYCLE_REOPENED)
    assert event.detail["reason"] == "Standard III was meant to be Proficient." and event.actor == w.hr
    assert event.subject_person_id == p1.pk
    sa.refresh_from_db()
    assert sa.evaluator_signed_at is None and sa.educator_signed_at is None

    # Corrected and signed again.
    h.write_summative(w, ratings={**h.GOOD, "III": "proficient"})
    sc.summative_sign_evaluator(actor=w.evaluator, cycle=cycle)
    assert sc.summative_sign_educator(actor=w.educator, cycle=cycle).step == Step.DONE
    actions = list(CycleEvent.objects.filter(record=cycle).values_list("action", flat=True))
    assert actions[:2] == ["opened", "evaluator_set"]
    assert actions.count("signed_by_educator") == 2 and "reopened" in actions


def test_a_teachers_cycle_goes_to_the_teacher_rubric_and_the_principal(world: World) -> None:
    tea1, p1 = world.people["TEA1"], world.people["P1"]
    assert sc.propose_evaluators(educator=tea1) == [p1]
    cycle = sc.cycle_open(actor=world.users["district_admin"], educator=tea1, school_year=2026, evaluator=p1)
    assert cycle.framework.code == "ma-teacher" and cycle.evaluator == p1
    # An assistant principal is evaluated by the school's principal, on the administrator rubric.
    ap1 = world.people["AP1"]
    assert sc.propose_evaluators(educator=ap1) == [p1]
    assert (
        sc.cycle_open(actor=world.users["hr"], educator=ap1, school_year=2026).framework.code
        == "ma-administrator"
    )
    # A principal's supervisor is proposed for the principal; nobody is proposed for a person with no
    # supervisor on record.
    assert sc.propose_evaluators(educator=world.people["PT1"]) == []


def test_a_teachers_cycle_needs_no_staff_feedback_or_school_goals(world: World) -> None:
    hr = world.users["hr"]
    cycle = sc.cycle_open(
        actor=hr, educator=world.people["TEA1"], school_year=2026, evaluator=world.people["P1"]
    )
    w = h.Walk(world, cycle, world.users["educator"], world.users["school_leader"], hr)
    h.self_assess(w)
    goals = h.write_goals(w, (Goal.Kind.STUDENT_LEARNING, Goal.Kind.PROFESSIONAL_PRACTICE))
    sc.goals_propose(actor=w.educator, cycle=cycle)
    for g in goals:
        sc.goal_approve(actor=w.evaluator, goal=g)
    sc.cycle_decide_plan(actor=w.evaluator, cycle=cycle, plan_type="self_directed")
    sc.cycle_approve_plan(actor=w.evaluator, cycle=cycle)
    h.add_evidence(w, staff_feedback=False)  # category 1 (note) and 2 (an evaluative visit)
    h.formative(w)
    h.write_summative(
        w, ratings={"I": "proficient", "II": "proficient", "III": "proficient", "IV": "exemplary"}
    )
    assert sc.summative_problems(w.fresh()) == []
    sc.summative_sign_evaluator(actor=w.evaluator, cycle=cycle)
    assert sc.summative_sign_educator(actor=w.educator, cycle=cycle).step == Step.DONE
