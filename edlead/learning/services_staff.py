"""Colleague ratings (the 360 of a needs assessment): a leader, or their evaluator, asks the school's staff
to rate the leader on the learning competencies. The survey is the platform's anonymous staff survey
(`edlead.evaluations.services_feedback`, purpose "growth"): the same single-use e-mailed links, meeting
codes, public answer pages, throttling and suppression as an evaluation's staff feedback — no second
copy. This module says who may ask, run, read and close one, and reads a closed survey's averages into
the growth profile: only when at least `EDLEAD_SUPPRESS_MIN_STAFF` colleagues answered, never a single
answer, and never before the survey closes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone

from edlead.core.errors import ApplicationError
from edlead.evaluations import services_feedback as fb
from edlead.evaluations.models_feedback import FeedbackResponse, FeedbackSurvey
from edlead.learning.models import SCALE, Competency
from edlead.people.models import Person

GROWTH = FeedbackSurvey.Purpose.GROWTH
RUNNING = (FeedbackSurvey.Status.DRAFT, FeedbackSurvey.Status.OPEN)
KEY_PREFIX = "c-"  # question keys: "c-<competency code>", apart from the survey's "comment"


# --- who --------------------------------------------------------------------------------------------------
def evaluates(user: Any, person_id: int) -> bool:
    """Is `user` the person's evaluator of record today?"""
    from edlead.access.models import Relationship

    holder = getattr(user, "person_id", None)
    return bool(holder) and (
        Relationship.objects.active(timezone.localdate())
        .filter(kind=Relationship.Kind.EVALUATOR, holder_id=holder, person_id=person_id)
        .exists()
    )


def may_ask(user: Any, person_id: int) -> bool:
    """The leader themselves, or their evaluator, asks the staff and runs the survey."""
    return getattr(user, "person_id", None) == person_id or evaluates(user, person_id)


def may_read_growth(user: Any, person: Person) -> bool:
    """The growth profile's rule (the person, their evaluator, coach and mentor, their chain), asked of
    the person themselves: may `user` read their ratings even before any exist?"""
    import dataclasses

    from edlead.access import policy
    from edlead.learning.services import GROWTH_VIEW

    rule = policy.declared_rules()[("learning.growthsurvey", GROWTH_VIEW)]
    return Person.objects.filter(
        policy.rule_q(user, dataclasses.replace(rule, person="")), pk=person.pk
    ).exists()


def may_read(user: Any, person: Person) -> bool:
    """Whoever may read the person's growth profile, and the person."""
    return getattr(user, "person_id", None) == person.pk or may_read_growth(user, person)


def _place(survey: FeedbackSurvey) -> str:
    """Where the leader works today (their current leadership position's organization), for the e-mail
    and the answer page; empty when they hold none."""
    from edlead.people.models import Position

    org = (
        Position.objects.current()
        .filter(person_id=survey.subject_id)
        .order_by("-is_primary", "-starts_on")
        .values_list("organization__name", flat=True)
        .first()
    )
    return org or ""


def register() -> None:
    """Tell the staff-survey platform what a growth survey may do (called from the app's ready())."""
    fb.purpose_register(
        fb.Purpose(
            key=GROWTH,
            scale=tuple(SCALE),
            may_read=lambda user, survey: may_read(user, survey.subject),
            may_manage=lambda user, survey: may_ask(user, survey.subject_id),
            may_close=lambda user, survey: may_ask(user, survey.subject_id),
            place=_place,
            back=lambda survey: (
                f"Colleague ratings of {survey.subject.display_name}",
                reverse("learning:staff-ratings", args=[survey.subject_id]),
            ),
            invited_for="to help them plan their professional learning",
            helps="professional learning",
            scale_words="Scale 1 (Beginning) to 4 (Strong)",
            comment_prompt="Anything else that would help them grow as a leader? (optional)",
            closing_words=(
                "Closing ends the survey. When at least {threshold} colleagues answered, the averages "
                "show in the growth profile beside the person's own ratings and their supervisor's; "
                "otherwise nothing of it is shown."
            ),
        )
    )


# --- asking -------------------------------------------------------------------------------------------------
def questions() -> list[dict[str, str]]:
    """One question per competency of the catalog, in its order."""
    return [
        {"key": f"{KEY_PREFIX}{c.code}", "competency": c.code, "text": c.name}
        for c in Competency.objects.order_by("order", "name")
    ]


@transaction.atomic
def ask(
    *, actor: Any, person: Person, opens_on: dt.date, closes_on: dt.date, title: str = ""
) -> FeedbackSurvey:
    """A draft 360 about `person` (links and codes are sent from its page). One runs at a time."""
    if not may_ask(actor, person.pk):
        raise ApplicationError("Only the leader or their evaluator asks colleagues for ratings.")
    # Lock the person's row so two requests at once cannot both start a survey.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if FeedbackSurvey.objects.filter(subject=person, purpose=GROWTH, status__in=RUNNING).exists():
        raise ApplicationError(
            f"A colleague survey about {person.display_name} is already running: close it first."
        )
    return fb.survey_start(
        actor=actor,
        purpose=GROWTH,
        subject=person,
        title=title.strip() or f"Colleague ratings of {person.display_name} ({opens_on:%B %Y})",
        questions=questions(),
        opens_on=opens_on,
        closes_on=closes_on,
    )


def surveys_for(person_id: int) -> QuerySet[FeedbackSurvey]:
    """A person's colleague surveys with their response counts, newest first (1 query)."""
    return (
        FeedbackSurvey.objects.filter(subject_id=person_id, purpose=GROWTH)
        .annotate(n_responses=Count("responses"))
        .order_by("-opens_on", "-pk")
    )


# --- reading into the growth profile ---------------------------------------------------------------------
@dataclass(frozen=True)
class StaffMeans:
    """The averages of the latest closed colleague survey that may be shown: {competency code: (mean,
    number answering)}; `n` responses; `closed_on` the day the survey closed."""

    n: int
    closed_on: dt.date | None
    means: dict[str, tuple[float, int]]


def staff_means(person_id: int) -> StaffMeans:
    """One query: the answers of the person's latest closed colleague survey that reached the threshold.
    Nothing from an open survey (figures moving with each answer would give one away) or a small one."""
    threshold = fb.min_staff()
    latest = (
        FeedbackSurvey.objects.filter(
            subject_id=person_id,
            purpose=GROWTH,
            status=FeedbackSurvey.Status.CLOSED,
            closed_responses__gte=threshold,
        )
        .order_by("-closes_on", "-pk")
        .values("pk")[:1]
    )
    rows = list(
        FeedbackResponse.objects.filter(survey_id=latest).values_list(
            "answers", "survey__closes_on", "survey__updated_at"
        )
    )
    if len(rows) < threshold:
        return StaffMeans(0, None, {})
    sums: dict[str, list[int]] = {}
    for answers, _, _ in rows:
        for key, value in answers.items():
            if key.startswith(KEY_PREFIX) and isinstance(value, int):
                sums.setdefault(key[len(KEY_PREFIX) :], []).append(value)
    means = {code: (round(sum(v) / len(v), 1), len(v)) for code, v in sums.items()}
    # Closed early or on its last day: nothing changes a closed survey after it closes.
    closed_on = min(rows[0][1], timezone.localdate(rows[0][2]))
    return StaffMeans(len(rows), closed_on, means)
