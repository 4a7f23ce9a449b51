"""What a program did, by Guskey's levels, for its coordinators: participants' reaction (level 1),
their learning — self-ratings on the targeted competencies before and after (level 2) — and their use
of new practice three months on (level 4). Every figure describes a group of people; a group smaller
than the staff threshold (EDLEAD_SUPPRESS_MIN_STAFF, 6) is not shown, and individual answers never are.
A fixed number of queries per program."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import mean
from typing import Any

from django.conf import settings
from django.db.models import Count, Q

from edlead.learning.models import Enrollment, FollowUp, GrowthRating, GrowthSurvey, Program, Reaction
from edlead.learning.services_surveys import FOLLOW_UP_SCALE, REACTION_QUESTIONS

S = Enrollment.Status


def min_group() -> int:
    return int(getattr(settings, "EDLEAD_SUPPRESS_MIN_STAFF", 6))


@dataclass(frozen=True)
class Figure:
    """A mean of n answers, or hidden (None) when n is under the threshold."""

    label: str
    n: int
    value: float | None
    pre: float | None = None

    @property
    def change(self) -> float | None:
        return None if self.value is None or self.pre is None else round(self.value - self.pre, 2)


def _figure(label: str, values: list[float], *, pre: list[float] | None = None) -> Figure:
    if len(values) < min_group():
        return Figure(label, len(values), None)
    return Figure(label, len(values), round(mean(values), 2), round(mean(pre), 2) if pre else None)


@dataclass
class Effectiveness:
    program: Program
    sessions: int  # held so far
    participants: int  # enrolled in the sessions held
    completed: int
    reaction: list[Figure]
    reaction_n: int
    comments: list[str]
    learning: list[Figure]
    use: list[Figure]
    use_n: int
    threshold: int

    @property
    def completion_rate(self) -> int | None:
        return (
            round(100 * self.completed / self.participants) if self.participants >= self.threshold else None
        )


def program_effectiveness(program: Program) -> Effectiveness:
    threshold = min_group()
    from django.utils import timezone

    held = Enrollment.objects.filter(session__program=program, session__ends_at__lte=timezone.now())
    counts = held.aggregate(
        participants=Count("pk", filter=Q(status__in=[S.ENROLLED, S.COMPLETED])),
        completed=Count("pk", filter=Q(status=S.COMPLETED)),
        sessions=Count("session", distinct=True),
    )
    reactions = list(Reaction.objects.filter(session__program=program).values_list("answers", "comment"))
    level1 = [
        _figure(question, [a[key] for a, _ in reactions if isinstance(a.get(key), int)])
        for key, question in REACTION_QUESTIONS
    ]
    comments = sorted(c for _, c in reactions if c.strip()) if len(reactions) >= threshold else []
    return Effectiveness(
        program=program,
        sessions=counts["sessions"],
        participants=counts["participants"],
        completed=counts["completed"],
        reaction=level1,
        reaction_n=len(reactions),
        comments=comments,
        learning=_level2(program),
        use=_level4(program),
        use_n=FollowUp.objects.filter(enrollment__session__program=program).count(),
        threshold=threshold,
    )


def _level2(program: Program) -> list[Figure]:
    """For each competency the program targets: participants' self-rating after the program against their
    latest self-rating before its session began — only people with both (3 queries)."""
    targeted = list(program.competencies.all())
    if not targeted:
        return []
    post = list(
        GrowthRating.objects.filter(
            survey__enrollment__session__program=program,
            survey__rater_kind=GrowthSurvey.Rater.SELF,
            competency__in=targeted,
        ).values_list("survey__person_id", "competency_id", "score", "survey__enrollment__session__starts_at")
    )
    people = {p for p, *_ in post}
    before: dict[tuple[int, int], list[tuple[Any, int]]] = {}
    for person, cid, score, when in GrowthRating.objects.filter(
        survey__person_id__in=people,
        survey__rater_kind=GrowthSurvey.Rater.SELF,
        survey__moment=GrowthSurvey.Moment.NEEDS,
        competency__in=targeted,
    ).values_list("survey__person_id", "competency_id", "score", "survey__submitted_at"):
        before.setdefault((person, cid), []).append((when, score))
    pairs: dict[int, tuple[list[float], list[float]]] = {c.pk: ([], []) for c in targeted}
    for person, cid, score, starts in post:
        earlier = [(w, s) for w, s in before.get((person, cid), []) if w < starts]
        if earlier:
            pre_score = max(earlier)[1]  # the latest before the session began
            pairs[cid][0].append(pre_score)
            pairs[cid][1].append(score)
    return [_figure(c.name, pairs[c.pk][1], pre=pairs[c.pk][0]) for c in targeted]


def _level4(program: Program) -> list[Figure]:
    """Share of follow-up answers at each level of use (as a per cent of all answers)."""
    uses = list(FollowUp.objects.filter(enrollment__session__program=program).values_list("use", flat=True))
    if len(uses) < min_group():
        return [Figure(label, len(uses), None) for _, label in FOLLOW_UP_SCALE]
    return [
        Figure(label, len(uses), round(100 * sum(1 for u in uses if u == level) / len(uses), 1))
        for level, label in FOLLOW_UP_SCALE
    ]
