"""Readers of staff feedback: a cycle's surveys and a survey's aggregate results, suppressed below the
staff threshold. Nothing here ever returns a single response."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet

from edlead.evaluations.models import Cycle
from edlead.evaluations.models_feedback import FeedbackSurvey
from edlead.evaluations.services_feedback import COMMENT_KEY, min_staff, purpose_of


@dataclass
class QuestionResult:
    key: str
    text: str
    indicator: str
    answered: int = 0
    not_applicable: int = 0
    mean: float | None = None
    distribution: list[tuple[str, int, int]] = field(default_factory=list)  # (label, count, percent)


@dataclass
class Results:
    """A survey's aggregate. `shown` is False below the threshold or while the survey is open: then
    `questions` and `comments` are empty, whatever was answered."""

    n: int
    threshold: int
    shown: bool
    questions: list[QuestionResult] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def surveys_for_cycle(cycle: Cycle) -> QuerySet[FeedbackSurvey]:
    """The cycle's surveys with their response counts and code uses (one query)."""
    return (
        FeedbackSurvey.objects.filter(cycle=cycle)
        .annotate(n_responses=Count("responses", distinct=True), n_codes=Count("codes", distinct=True))
        .order_by("-created_at", "-pk")
    )


def response_count(survey: FeedbackSurvey) -> int:
    return survey.responses.count()


def survey_results(survey: FeedbackSurvey, *, closed: bool | None = None) -> Results:
    """Per question: mean, distribution and how many answered; the free text sorted alphabetically (no
    order of arrival). Figures only for a closed survey with at least the threshold of responses."""
    threshold = min_staff()
    rows: list[dict[str, Any]] = list(survey.responses.values_list("answers", flat=True))
    n = len(rows)
    is_closed = closed if closed is not None else survey.status == FeedbackSurvey.Status.CLOSED
    if not is_closed or n < threshold:
        return Results(n=n, threshold=threshold, shown=False)
    scale = purpose_of(survey).scale
    questions = []
    for q in survey.questions:
        values = [r.get(q["key"]) for r in rows]
        given = [int(v) for v in values if isinstance(v, int)]
        counts = {v: given.count(v) for v, _ in scale}
        questions.append(
            QuestionResult(
                key=q["key"],
                text=q["text"],
                indicator=q.get("indicator", "") or q.get("competency", ""),
                answered=len(given),
                not_applicable=n - len(given),
                mean=round(sum(given) / len(given), 2) if given else None,
                distribution=[
                    (label, counts[v], round(100 * counts[v] / len(given)) if given else 0)
                    for v, label in scale
                ],
            )
        )
    comments = sorted((str(r.get(COMMENT_KEY) or "").strip() for r in rows), key=str.casefold)
    return Results(
        n=n, threshold=threshold, shown=True, questions=questions, comments=[c for c in comments if c]
    )


def aggregate_text(survey: FeedbackSurvey, results: Results) -> str:
    """The aggregate as the text of an evidence note (no comments: free text may identify its writer,
    and evidence travels further than the survey page)."""
    lines = [
        f"{survey.title}: {results.n} staff responses ({survey.opens_on:%Y-%m-%d} to {survey.closes_on:%Y-%m-%d}).",
        "Scale 1 (strongly disagree) to 5 (strongly agree); mean and number answering per item.",
        "",
    ]
    for q in results.questions:
        mean = f"{q.mean:.2f}" if q.mean is not None else "—"
        spread = ", ".join(f"{label.lower()} {count}" for label, count, _ in q.distribution)
        lines.append(f"[{q.indicator}] {q.text} Mean {mean} (n = {q.answered}; {spread}).")
    return "\n".join(lines)
