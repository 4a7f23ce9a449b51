"""Readers of evaluation cycles, through the access chokepoint. Evaluation data are personnel records:
reading one cycle (`cycle_record`) is audited as a sensitive read about the educator, so it shows on
their "who has seen my record" page. Lists (`cycles_for`) carry the step and the people only, not the
record's contents, and are not audited row by row."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest

from edlead.access import policy
from edlead.core.models import AuditEvent
from edlead.core.services import audit_record
from edlead.evaluations.models import (
    Assessment,
    Cycle,
    CycleEvent,
    CycleReopening,
    Evidence,
    Goal,
    GoalReview,
    Rating,
)
from edlead.evaluations.services_cycle import CYCLE_VIEW, evidence_categories


def cycles_for(user: Any, *, school_year: int | None = None) -> QuerySet[Cycle]:
    """The cycles `user` may read (the educator's own, as evaluator, up the chain, HR)."""
    qs = Cycle.objects.select_related("educator", "evaluator", "organization", "framework")
    if school_year is not None:
        qs = qs.filter(school_year=school_year)
    return policy.visible_to(user, qs, CYCLE_VIEW).order_by("-school_year", "educator__last_name", "pk")


@dataclass
class CycleRecord:
    """One cycle with everything a page shows, read in a fixed number of queries."""

    cycle: Cycle
    assessments: dict[str, Assessment]
    goals: list[Goal]
    evidence: list[Evidence]
    events: list[CycleEvent]
    reopenings: list[CycleReopening]
    categories: set[int] = field(default_factory=set)
    staff_feedback: bool = False

    @property
    def self_assessment(self) -> Assessment | None:
        return self.assessments.get(Assessment.Stage.SELF)

    @property
    def formative(self) -> Assessment | None:
        return self.assessments.get(Assessment.Stage.FORMATIVE)

    @property
    def summative(self) -> Assessment | None:
        return self.assessments.get(Assessment.Stage.SUMMATIVE)


def cycle_get_for_user(user: Any, pk: int, *, request: HttpRequest | None = None, page: str = "") -> Cycle:
    """One cycle `user` may read (404 for missing and not-yours), the read audited about the educator."""
    cycle = policy.get_for_user(
        user,
        Cycle.objects.select_related(
            "educator", "evaluator", "organization", "organization__district", "framework"
        ),
        CYCLE_VIEW,
        pk=pk,
    )
    audit_record(
        action=AuditEvent.Action.RECORD_VIEWED,
        actor=user,
        target=cycle,
        request=request,
        detail={"record": "evaluation", **({"view": page} if page else {})},
        subject_person_id=cycle.educator_id,
    )
    return cycle


def cycle_record(user: Any, pk: int, *, request: HttpRequest | None = None) -> CycleRecord:
    """The whole cycle for a page: assessments with ratings and goal reviews, goals, evidence with its
    indicators, the timeline and reopenings. Audited (`cycle_get_for_user`)."""
    cycle = cycle_get_for_user(user, pk, request=request, page="record")
    assessments = {
        a.stage: a
        for a in Assessment.objects.filter(cycle=cycle).prefetch_related(
            Prefetch("ratings", queryset=Rating.objects.select_related("standard", "indicator")),
            Prefetch("goal_reviews", queryset=GoalReview.objects.select_related("goal")),
        )
    }
    categories, staff_feedback = evidence_categories(cycle)
    return CycleRecord(
        cycle=cycle,
        assessments=assessments,
        goals=list(Goal.objects.filter(cycle=cycle).select_related("team").order_by("order", "pk")),
        evidence=list(
            Evidence.objects.filter(cycle=cycle)
            .select_related("added_by__person")
            .prefetch_related("indicators")
        ),
        events=list(CycleEvent.objects.filter(record=cycle).order_by("at", "pk")),
        reopenings=list(
            CycleReopening.objects.filter(cycle=cycle).select_related("actor").order_by("at", "pk")
        ),
        categories=categories,
        staff_feedback=staff_feedback,
    )
