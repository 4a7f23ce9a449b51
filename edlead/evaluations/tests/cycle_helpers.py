"""Walking a principal's cycle through its steps with the world's personas (edlead/access/tests/conftest.py):
Pat Principal-One (P1, principal of Oak Elementary, `school_leader`) evaluated by Sam Supervisor-North
(SUP1, `principal_supervisor`), opened by Alpha's HR (`hr`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile

from edlead.access.tests.conftest import World
from edlead.evaluations import services_cycle as sc
from edlead.evaluations.models import Assessment, Cycle, Goal
from edlead.evaluations.tests.factories import THIS_YEAR
from edlead.visits.services import visit_record, visit_release_feedback

K = Goal.Kind
GOOD = {"I": "proficient", "II": "proficient", "III": "exemplary", "IV": "proficient"}


@dataclass
class Walk:
    world: World
    cycle: Cycle
    educator: Any  # the educator's user
    evaluator: Any  # the evaluator's user
    hr: Any

    def fresh(self) -> Cycle:
        self.cycle.refresh_from_db()
        return self.cycle


def open_principal_cycle(world: World) -> Walk:
    hr = world.users["hr"]
    cycle = sc.cycle_open(actor=hr, educator=world.people["P1"], school_year=THIS_YEAR)
    cycle = sc.cycle_set_evaluator(
        actor=hr, cycle=cycle, evaluator=world.people["SUP1"], reason="Principal supervisor of the network"
    )
    return Walk(world, cycle, world.users["school_leader"], world.users["principal_supervisor"], hr)


def self_assess(w: Walk) -> None:
    sc.self_assessment_save(
        actor=w.educator,
        cycle=w.cycle,
        expected_version=0,
        narrative="Reading scores flat; strong family engagement.",
        ratings={"I": ("proficient", "Curriculum aligned"), "II-A": "needs_improvement"},
    )
    sc.self_assessment_submit(actor=w.educator, cycle=w.cycle)


def write_goals(w: Walk, kinds: tuple[str, ...] | None = None) -> list[Goal]:
    kinds = kinds or (K.STUDENT_LEARNING, K.PROFESSIONAL_PRACTICE, K.SCHOOL_IMPROVEMENT, K.SCHOOL_IMPROVEMENT)
    return [
        sc.goal_save(
            actor=w.educator,
            cycle=w.cycle,
            kind=kind,
            title=f"Goal {n}: {kind}",
            specific="Grade 3 reading",
            measurable="+10 points on the spring assessment",
            action_oriented="Weekly data meetings",
            realistic="Within current staffing",
            timed="By June",
            action_plan="Coach teams; observe monthly.",
            process_benchmarks="Meetings held",
            outcome_benchmarks="Winter benchmark +5",
        )
        for n, kind in enumerate(kinds, start=1)
    ]


def approve_plan(w: Walk) -> None:
    self_assess(w)
    goals = write_goals(w)
    sc.goals_propose(actor=w.educator, cycle=w.cycle)
    for g in goals:
        sc.goal_approve(actor=w.evaluator, goal=g)
    sc.cycle_decide_plan(actor=w.evaluator, cycle=w.cycle, plan_type="self_directed")
    sc.cycle_approve_plan(actor=w.evaluator, cycle=w.cycle)


def add_evidence(w: Walk, *, staff_feedback: bool = True, visit: bool = True) -> None:
    sc.evidence_add(
        actor=w.educator,
        cycle=w.cycle,
        kind="note",
        title="MCAS growth",
        category=1,
        text="SGP 55 in ELA",
        indicators=list(w.cycle.framework.standards.get(code="I").indicators.filter(code="I-F")),
    )
    if staff_feedback:
        sc.evidence_add(
            actor=w.evaluator,
            cycle=w.cycle,
            kind="file",
            title="Staff survey",
            category=3,
            staff_feedback=True,
            file=ContentFile(b"Staff survey summary: 42 answers.\n", name="staff-survey.txt"),
        )
    if visit:
        v = visit_record(
            actor=w.evaluator,
            organization=w.cycle.organization,
            date=dt.date.today(),
            length_minutes=60,
            cycle=w.cycle,
            evaluative=True,
            announced=False,
            notes="Private notes",
            feedback="Clear learning targets in every room.",
        )
        visit_release_feedback(actor=w.evaluator, visit=v)


def formative(w: Walk) -> None:
    goals = list(w.cycle.goals.all())
    sc.formative_save(
        actor=w.evaluator,
        cycle=w.cycle,
        expected_version=0,
        narrative="On track on most goals.",
        progress={g.pk: {"progress": "on_track", "text": "Data meetings running"} for g in goals},
    )
    sc.formative_submit(actor=w.evaluator, cycle=w.cycle)


def to_summative(w: Walk) -> None:
    approve_plan(w)
    add_evidence(w)
    formative(w)


def write_summative(w: Walk, ratings: dict[str, str] | None = None, overall: str = "proficient") -> None:
    goals = list(w.cycle.goals.all())
    drawn = (
        Assessment.objects.filter(cycle=w.cycle, stage="summative").values_list("version", flat=True).first()
    )
    sc.summative_save(
        actor=w.evaluator,
        cycle=w.cycle,
        expected_version=drawn or 0,  # a form drawn just now
        narrative="A strong year.",
        ratings=ratings or GOOD,
        overall=overall,
        attainment={g.pk: {"attainment": "met", "text": "Met"} for g in goals},
    )
