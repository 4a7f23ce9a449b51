"""The rules pinned: plan placement (every row of DOMAIN.md §3's table), plan lengths, the goal mix,
the rating thresholds (state and district), the evidence categories and the rating scale."""

from __future__ import annotations

import datetime as dt

import pytest

from edlead.access.tests.conftest import World
from edlead.config.services import setting_set
from edlead.core.errors import ApplicationError
from edlead.evaluations import rules
from edlead.evaluations import services_cycle as sc
from edlead.evaluations.models import Goal, PlanType
from edlead.evaluations.tests import cycle_helpers as h
from edlead.evaluations.tests.factories import cycle_for

P = PlanType


@pytest.mark.parametrize(
    ("prior", "years", "plan", "max_days"),
    [
        # new to role/district (first 3 years) → Developing, ≤ 1 year — whatever an earlier rating
        (None, 0, P.DEVELOPING, 366),
        ("proficient", 1, P.DEVELOPING, 366),
        ("unsatisfactory", 2, P.DEVELOPING, 366),
        # experienced, rated Proficient or Exemplary → Self-Directed Growth, 1 or 2 years
        ("proficient", 3, P.SELF_DIRECTED, 731),
        ("exemplary", 12, P.SELF_DIRECTED, 731),
        # rated Needs Improvement → Directed Growth, ≤ 1 year
        ("needs_improvement", 5, P.DIRECTED_GROWTH, 366),
        # rated Unsatisfactory → Improvement, 30 calendar days to 1 year
        ("unsatisfactory", 5, P.IMPROVEMENT, 366),
        # experienced with no rating on record → Developing
        (None, 8, P.DEVELOPING, 366),
    ],
)
def test_plan_placement_follows_the_domain_table(
    prior: str | None, years: int, plan: str, max_days: int
) -> None:
    suggestion = rules.suggest_plan(educator=None, prior_rating=prior, years_in_role=years)
    assert suggestion.plan_type == plan
    assert suggestion.length.max_days == max_days


def test_plan_lengths_are_checked_by_type() -> None:
    start = dt.date(2026, 9, 1)
    assert rules.check_plan_length(P.IMPROVEMENT, start, start + dt.timedelta(days=30)) == ""
    assert "30 calendar days to one year" in rules.check_plan_length(
        P.IMPROVEMENT, start, start + dt.timedelta(days=29)
    )
    assert rules.check_plan_length(P.SELF_DIRECTED, start, dt.date(2028, 8, 31)) == ""
    assert "one or two years" in rules.check_plan_length(P.SELF_DIRECTED, start, dt.date(2028, 9, 2))
    assert "up to one year" in rules.check_plan_length(P.DIRECTED_GROWTH, start, dt.date(2027, 10, 1))


def test_goal_mix() -> None:
    def goals(*kinds: str) -> list[Goal]:
        return [Goal(kind=k) for k in kinds]

    K = Goal.Kind
    assert (
        rules.goal_mix_problems(goals(K.STUDENT_LEARNING, K.PROFESSIONAL_PRACTICE), administrator=False) == []
    )
    assert rules.goal_mix_problems(goals(K.STUDENT_LEARNING), administrator=False) == [
        "at least one professional practice goal"
    ]
    admin = goals(K.STUDENT_LEARNING, K.PROFESSIONAL_PRACTICE, K.SCHOOL_IMPROVEMENT)
    assert rules.goal_mix_problems(admin, administrator=True) == [
        "two to four school improvement goals (there are 1)"
    ]
    assert rules.goal_mix_problems(admin + goals(K.SCHOOL_IMPROVEMENT), administrator=True) == []
    five = admin + goals(*[K.SCHOOL_IMPROVEMENT] * 4)
    assert "there are 5" in rules.goal_mix_problems(five, administrator=True)[0]


def test_an_administrator_plan_needs_two_to_four_school_improvement_goals(world: World) -> None:
    w = h.open_principal_cycle(world)
    h.self_assess(w)
    goals = h.write_goals(w, (Goal.Kind.STUDENT_LEARNING, Goal.Kind.PROFESSIONAL_PRACTICE))
    sc.goals_propose(actor=w.educator, cycle=w.cycle)
    for g in goals:
        sc.goal_approve(actor=w.evaluator, goal=g)
    sc.cycle_decide_plan(actor=w.evaluator, cycle=w.cycle, plan_type="developing")
    with pytest.raises(ApplicationError, match="two to four school improvement goals"):
        sc.cycle_approve_plan(actor=w.evaluator, cycle=w.cycle)


def test_standard_i_needs_improvement_refuses_overall_proficient(world: World) -> None:
    w = h.open_principal_cycle(world)
    h.to_summative(w)
    with pytest.raises(ApplicationError) as refused:
        h.write_summative(w, ratings={**h.GOOD, "I": "needs_improvement"}, overall="proficient")
    assert str(refused.value) == (
        "An overall rating of Proficient needs Standard I (Instructional Leadership) at Proficient or above; "
        "it is rated Needs Improvement."
    )
    with pytest.raises(ApplicationError, match="overall rating of Exemplary needs Standard I"):
        h.write_summative(w, ratings={**h.GOOD, "I": "unsatisfactory"}, overall="exemplary")
    # Needs Improvement overall is allowed with Standard I at Needs Improvement; Standard II (not
    # required for administrators) at Needs Improvement does not stop Proficient.
    h.write_summative(w, ratings={**h.GOOD, "I": "needs_improvement"}, overall="needs_improvement")
    h.write_summative(w, ratings={**h.GOOD, "II": "needs_improvement"}, overall="proficient")


def test_teacher_with_standard_ii_needs_improvement_cannot_be_proficient() -> None:
    teacher = [
        rules.StandardRating("I", "Curriculum, Planning and Assessment", True, "proficient"),
        rules.StandardRating("II", "Teaching All Students", True, "needs_improvement"),
        rules.StandardRating("III", "Family and Community Engagement", False, "proficient"),
        rules.StandardRating("IV", "Professional Culture", False, "proficient"),
    ]
    problems = rules.rating_problems("proficient", teacher)
    assert problems == [
        "An overall rating of Proficient needs Standard II (Teaching All Students) at Proficient or above; "
        "it is rated Needs Improvement."
    ]
    assert rules.rating_problems("needs_improvement", teacher) == []


def test_teacher_rubric_refuses_through_the_service(world: World) -> None:
    """The teacher framework marks Standards I and II: the service refuses an overall Proficient with
    Standard II at Needs Improvement."""
    cycle = cycle_for(world.people["TEA1"], evaluator=world.people["P1"])
    cycle.step = "summative"
    cycle.save(update_fields=["step"])
    with pytest.raises(ApplicationError, match="Standard II"):
        sc.summative_save(
            actor=world.users["school_leader"],
            cycle=cycle,
            expected_version=0,
            ratings={"I": "proficient", "II": "needs_improvement", "III": "proficient", "IV": "proficient"},
            overall="proficient",
        )


def test_district_threshold_adds_a_local_rule(world: World) -> None:
    w = h.open_principal_cycle(world)
    h.to_summative(w)
    setting_set(
        actor=world.users["district_admin"],
        organization=world.orgs["A"],
        key="evaluation.min_standards_proficient_for_proficient",
        value="4",
        expected_version=0,
    )
    with pytest.raises(ApplicationError, match="Your district requires at least 4 standards at Proficient"):
        h.write_summative(w, ratings={**h.GOOD, "III": "needs_improvement"}, overall="proficient")
    h.write_summative(w, ratings=h.GOOD, overall="proficient")


def test_signing_needs_evidence_from_two_categories_and_staff_feedback_for_administrators(
    world: World,
) -> None:
    w = h.open_principal_cycle(world)
    h.approve_plan(w)
    h.add_evidence(w, staff_feedback=False, visit=False)  # category 1 only
    h.formative(w)
    h.write_summative(w)
    with pytest.raises(ApplicationError) as refused:
        sc.summative_sign_evaluator(actor=w.evaluator, cycle=w.cycle)
    assert "at least two of the three categories" in str(refused.value)
    assert "must include staff feedback" in str(refused.value)
    # Category 3 that is not staff feedback does not meet the administrators' rule.
    sc.evidence_add(
        actor=w.educator, cycle=w.cycle, kind="link", title="Newsletter", category=3, url="https://x.org/n"
    )
    with pytest.raises(ApplicationError, match="must include staff feedback") as refused:
        sc.summative_sign_evaluator(actor=w.evaluator, cycle=w.cycle)
    assert "two of the three" not in str(refused.value)
    sc.evidence_add(
        actor=w.evaluator,
        cycle=w.cycle,
        kind="note",
        title="Staff survey",
        category=3,
        staff_feedback=True,
        text="ok",
    )
    assert sc.summative_sign_evaluator(actor=w.evaluator, cycle=w.cycle).evaluator_signed_at


def test_rating_scale_and_levels() -> None:
    scale = ["Exemplary", "Proficient", "Needs improvement", "Unsatisfactory"]
    assert rules.check_level("needs_improvement", scale, "x") == ""
    assert "is not a rating" in rules.check_level("excellent", scale, "Standard I")
    # A state scale without Exemplary makes it a rating outside the scale.
    assert "is not a rating" in rules.check_level("exemplary", scale[1:], "Standard I")
