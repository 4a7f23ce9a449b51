"""The rules of the cycle that need no database: plan placement (DOMAIN.md §3's table), plan lengths,
goal mix, and the rating thresholds of a summative evaluation. Services call these; tests pin them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from edlead.evaluations.models import PerformanceLevel
from edlead.evaluations.models_cycle import Goal, PlanType

NEW_TO_ROLE_YEARS = 3  # "new to role/district (first 3 years)"


@dataclass(frozen=True)
class PlanLength:
    """Allowed length of a plan in calendar days, and the length suggested."""

    min_days: int
    max_days: int
    default_days: int
    words: str


PLAN_LENGTHS: dict[str, PlanLength] = {
    PlanType.DEVELOPING: PlanLength(1, 366, 365, "up to one year"),
    PlanType.SELF_DIRECTED: PlanLength(1, 731, 730, "one or two years"),
    PlanType.DIRECTED_GROWTH: PlanLength(1, 366, 365, "up to one year"),
    PlanType.IMPROVEMENT: PlanLength(30, 366, 90, "30 calendar days to one year"),
}


@dataclass(frozen=True)
class PlanSuggestion:
    plan_type: str
    length: PlanLength
    reason: str

    @property
    def label(self) -> str:
        return str(PlanType(self.plan_type).label)


def suggest_plan(*, educator: Any = None, prior_rating: str | None, years_in_role: int) -> PlanSuggestion:
    """The plan DOMAIN.md §3 suggests; the evaluator decides. `years_in_role` counts completed years in
    the role in the district (0 in the first year). The first three years come first: an educator new
    to the role is on a Developing plan whatever an earlier rating was (603 CMR 35.06(3)(a)). An
    experienced educator with no summative rating on record starts on a Developing plan too."""
    name = f"{educator}: " if educator is not None else ""
    if years_in_role < NEW_TO_ROLE_YEARS:
        return PlanSuggestion(
            PlanType.DEVELOPING,
            PLAN_LENGTHS[PlanType.DEVELOPING],
            f"{name}in the first {NEW_TO_ROLE_YEARS} years in the role or district",
        )
    if not prior_rating:
        return PlanSuggestion(
            PlanType.DEVELOPING, PLAN_LENGTHS[PlanType.DEVELOPING], f"{name}no summative rating on record"
        )
    level = PerformanceLevel(prior_rating)
    if level in (PerformanceLevel.EXEMPLARY, PerformanceLevel.PROFICIENT):
        plan = PlanType.SELF_DIRECTED
    elif level == PerformanceLevel.NEEDS_IMPROVEMENT:
        plan = PlanType.DIRECTED_GROWTH
    else:
        plan = PlanType.IMPROVEMENT
    return PlanSuggestion(plan, PLAN_LENGTHS[plan], f"{name}experienced, last rated {level.label}")


def check_plan_length(plan_type: str, starts_on: dt.date, ends_on: dt.date) -> str:
    """'' when the dates fit the plan type, else the reason."""
    if plan_type not in PLAN_LENGTHS:
        return f"{plan_type!r} is not a plan type."
    length = PLAN_LENGTHS[plan_type]
    days = (ends_on - starts_on).days
    if days < length.min_days or days > length.max_days:
        return f"A {PlanType(plan_type).label} lasts {length.words}; these dates make {days} days."
    return ""


def goal_mix_problems(goals: Iterable[Goal], *, administrator: bool) -> list[str]:
    """Why a set of goals cannot make an approved plan (empty when it can)."""
    kinds = [g.kind for g in goals]
    problems = []
    if Goal.Kind.STUDENT_LEARNING not in kinds:
        problems.append("at least one student learning goal")
    if Goal.Kind.PROFESSIONAL_PRACTICE not in kinds:
        problems.append("at least one professional practice goal")
    if administrator:
        n = kinds.count(Goal.Kind.SCHOOL_IMPROVEMENT)
        if not 2 <= n <= 4:
            problems.append(f"two to four school improvement goals (there are {n})")
    return problems


@dataclass(frozen=True)
class StandardRating:
    code: str
    name: str
    required_for_proficient: bool
    level: str


def at_least_proficient(level: str) -> bool:
    return PerformanceLevel.rank(level) >= PerformanceLevel.rank(PerformanceLevel.PROFICIENT)


def rating_problems(overall: str, standards: list[StandardRating], *, min_proficient: int = 0) -> list[str]:
    """Why `overall` cannot stand with these standard ratings (empty when it can). Only an overall
    Proficient or Exemplary has conditions: each standard marked `required_for_proficient` at least
    Proficient (administrators: Standard I; teachers: I and II), and the district's own threshold of
    how many standards must be at least Proficient."""
    if not overall or not at_least_proficient(overall):
        return []
    label = PerformanceLevel(overall).label
    problems = []
    for s in standards:
        if s.required_for_proficient and s.level and not at_least_proficient(s.level):
            problems.append(
                f"An overall rating of {label} needs Standard {s.code} ({s.name}) at Proficient or above; "
                f"it is rated {PerformanceLevel(s.level).label}."
            )
        if s.required_for_proficient and not s.level:
            problems.append(f"An overall rating of {label} needs Standard {s.code} ({s.name}) rated first.")
    proficient = sum(1 for s in standards if s.level and at_least_proficient(s.level))
    if min_proficient and proficient < min_proficient:
        problems.append(
            f"Your district requires at least {min_proficient} standard{'s' if min_proficient != 1 else ''} "
            f"at Proficient or above for an overall rating of {label}; {proficient} "
            f"{'is' if proficient == 1 else 'are'}."
        )
    return problems


def levels_in_scale(scale: Iterable[str]) -> set[str]:
    """The performance levels the state's rating scale setting names (labels, any case)."""
    names = {str(x).strip().lower() for x in scale}
    return {str(level) for level in PerformanceLevel if str(level.label).lower() in names}


def check_level(level: str, scale: Iterable[str], what: str) -> str:
    """'' when `level` is a rating on the scale, else the reason."""
    if level not in levels_in_scale(scale):
        allowed = ", ".join(
            str(PerformanceLevel(v).label) for v in PerformanceLevel if v in levels_in_scale(scale)
        )
        return f"{what}: {level!r} is not a rating. Use one of {allowed}."
    return ""


def categories_problems(categories: set[int], *, administrator: bool, staff_feedback: bool) -> list[str]:
    """Why the evidence does not yet allow a summative evaluation to be signed (603 CMR 35.07)."""
    problems = []
    if len(categories) < 2:
        problems.append(
            "Evidence must come from at least two of the three categories before the summative "
            f"evaluation is signed (there is evidence in {len(categories)})."
        )
    if administrator and not staff_feedback:
        problems.append(
            "An administrator's evidence must include staff feedback (category 3) before the summative "
            "evaluation is signed."
        )
    return problems
