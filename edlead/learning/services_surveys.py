"""The learning surveys: a needs assessment (self-ratings on the competencies, optionally a supervisor's
ratings beside them), ratings again after a program (the pair is Guskey's level 2), the anonymous
reaction to a session (level 1) and the three-month follow-up on use (level 4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.learning.models import (
    Competency,
    Enrollment,
    FollowUp,
    GrowthRating,
    GrowthSurvey,
    Reaction,
    ReactionReceipt,
)
from edlead.people.models import Person

S = Enrollment.Status
SURVEY_SUBMITTED = "learning_growth_survey"
REACTION_SUBMITTED = "learning_reaction"
FOLLOW_UP_SUBMITTED = "learning_follow_up"
AUDIT_VERBS = {
    SURVEY_SUBMITTED: "Competency ratings given",
    REACTION_SUBMITTED: "Session reaction answered (the answers are anonymous)",
    FOLLOW_UP_SUBMITTED: "Follow-up on use of practice answered",
}
# Level 1: each question is answered 1 (strongly disagree) to 5 (strongly agree).
REACTION_QUESTIONS = (
    ("relevant", "The session was relevant to my work."),
    ("quality", "The facilitators were well prepared and the session well run."),
    ("will_use", "I will use what I learned in the next month."),
)
FOLLOW_UP_SCALE = (
    (1, "Not yet used"),
    (2, "Tried once or twice"),
    (3, "Use it regularly"),
    (4, "Use it and have shared it with others"),
)
FOLLOW_UP_AFTER_DAYS = 90


def _scores(ratings: Mapping[str, Any], *, required: set[str] | None = None) -> dict[int, int]:
    """{competency code: 1–4} → {competency id: score}, refusing unknown codes and out-of-range answers
    with the competency named."""
    known = {c.code: c for c in Competency.objects.all()}
    result: dict[int, int] = {}
    for code, raw in ratings.items():
        c = known.get(code)
        if c is None:
            raise ApplicationError(f"“{code}” is not a competency of the catalog.")
        if raw in (None, ""):
            continue
        try:
            score = int(raw)
        except (TypeError, ValueError) as exc:
            raise ApplicationError(f"{c.name}: the rating “{raw}” is not a number from 1 to 4.") from exc
        if not 1 <= score <= 4:
            raise ApplicationError(f"{c.name}: the rating {score} is outside 1 to 4.")
        result[c.pk] = score
    missing = {code for code in (required or set()) if known.get(code) and known[code].pk not in result}
    if missing:
        names = ", ".join(sorted(known[c].name for c in missing))
        raise ApplicationError(f"Rate every competency asked about; missing: {names}.")
    if not result:
        raise ApplicationError("Rate at least one competency.")
    return result


@transaction.atomic
def submit_ratings(
    *,
    actor: Any,
    person: Person,
    ratings: Mapping[str, Any],
    enrollment: Enrollment | None = None,
    rater_kind: str = GrowthSurvey.Rater.SELF,
) -> GrowthSurvey:
    """Save one set of ratings. Self-ratings are the person's own; a supervisor rates someone they
    evaluate. With `enrollment` (completed, the person's own), these are the ratings after the program
    that level 2 compares with the ones before — once per program."""
    rater_id = getattr(actor, "person_id", None)
    if not rater_id:
        raise ApplicationError("Your account is not linked to a person record.")
    if rater_kind == GrowthSurvey.Rater.SELF and rater_id != person.pk:
        raise ApplicationError("Self-ratings are given by the person themselves.")
    if rater_kind == GrowthSurvey.Rater.SUPERVISOR:
        from edlead.access.models import Relationship

        if (
            not Relationship.objects.active(timezone.localdate())
            .filter(kind=Relationship.Kind.EVALUATOR, holder_id=rater_id, person=person)
            .exists()
        ):
            raise ApplicationError("A supervisor rates only the people they evaluate.")
    required: set[str] = set()
    if enrollment is not None:
        if enrollment.person_id != person.pk or enrollment.status != S.COMPLETED:
            raise ApplicationError("Ratings after a program are for a program you completed.")
        required = set(enrollment.session.program.competencies.values_list("code", flat=True))
    scores = _scores(ratings, required=required)
    try:
        with transaction.atomic():
            survey = GrowthSurvey.objects.create(
                person=person,
                rater_id=rater_id,
                rater_kind=rater_kind,
                moment=GrowthSurvey.Moment.POST if enrollment else GrowthSurvey.Moment.NEEDS,
                enrollment=enrollment,
                submitted_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise ApplicationError("You have already rated yourself after this program.") from exc
    GrowthRating.objects.bulk_create(
        GrowthRating(survey=survey, competency_id=cid, score=score) for cid, score in scores.items()
    )
    audit_record(action=SURVEY_SUBMITTED, actor=actor, target=survey, detail={"rated": len(scores)})
    return survey


def _own_completed(actor: Any, enrollment: Enrollment) -> None:
    if enrollment.person_id != getattr(actor, "person_id", None):
        raise ApplicationError("Only the participant answers this survey.")
    if enrollment.status != S.COMPLETED:
        raise ApplicationError("This survey opens when you have completed the program.")


@transaction.atomic
def submit_reaction(
    *, actor: Any, enrollment: Enrollment, answers: Mapping[str, Any], comment: str = ""
) -> None:
    """The anonymous reaction: the answers go to a row that names no one (the date only, a random key),
    the receipt records only that this participant answered. Answered once."""
    _own_completed(actor, enrollment)
    clean: dict[str, int] = {}
    for key, question in REACTION_QUESTIONS:
        raw = answers.get(key)
        try:
            value = int(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            raise ApplicationError(f"“{question}”: choose an answer from 1 to 5.") from exc
        if not 1 <= value <= 5:
            raise ApplicationError(f"“{question}”: {value} is outside 1 to 5.")
        clean[key] = value
    try:
        with transaction.atomic():
            ReactionReceipt.objects.create(enrollment=enrollment)
    except IntegrityError as exc:
        raise ApplicationError("You have already answered this survey; thank you.") from exc
    Reaction.objects.create(
        session_id=enrollment.session_id,
        answers=clean,
        comment=comment.strip()[:4000],
        submitted_on=timezone.localdate(),
    )
    # The audit names the person (they answered) and the session, never the answers.
    audit_record(action=REACTION_SUBMITTED, actor=actor, target=enrollment, detail={})


def follow_up_due(enrollment: Enrollment, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return bool(
        enrollment.status == S.COMPLETED
        and enrollment.completed_on
        and (today - enrollment.completed_on).days >= FOLLOW_UP_AFTER_DAYS
    )


@transaction.atomic
def submit_follow_up(*, actor: Any, enrollment: Enrollment, use: Any, example: str = "") -> FollowUp:
    _own_completed(actor, enrollment)
    if not follow_up_due(enrollment):
        raise ApplicationError(f"The follow-up opens {FOLLOW_UP_AFTER_DAYS} days after completion.")
    try:
        value = int(use)
    except (TypeError, ValueError) as exc:
        raise ApplicationError("Say how far you use what you learned (1 to 4).") from exc
    if not 1 <= value <= 4:
        raise ApplicationError(f"How far you use it: {value} is outside 1 to 4.")
    try:
        with transaction.atomic():
            row = FollowUp.objects.create(
                enrollment=enrollment,
                use=value,
                example=example.strip()[:4000],
                submitted_on=timezone.localdate(),
            )
    except IntegrityError as exc:
        raise ApplicationError("You have already answered the follow-up for this program.") from exc
    audit_record(action=FOLLOW_UP_SUBMITTED, actor=actor, target=enrollment, detail={"use": value})
    return row
