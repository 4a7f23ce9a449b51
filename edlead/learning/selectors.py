"""Reading the catalog: the programs a person may see, searched and filtered, with each program's next
session and seats left — a fixed number of queries for a page of results."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from edlead.access import policy
from edlead.learning.models import Enrollment, Program, Session

S = Enrollment.Status


@dataclass(frozen=True)
class CatalogFilter:
    q: str = ""
    format: str = ""
    competency: str = ""
    role: str = ""
    offered_by: str = ""  # "state" | "district" | ""
    upcoming: bool = False


def catalog(user: Any, f: CatalogFilter) -> QuerySet[Program]:
    """Active programs `user` may see (the state's, their district's), filtered; each with
    `next_session` (the next start not cancelled) and `upcoming_count`."""
    now = timezone.now()
    rows = policy.visible_to(user, Program.objects.filter(active=True), policy.PROGRAM_VIEW)
    if f.q:
        words = Q()
        for word in f.q.split()[:6]:
            words &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(provider__name__icontains=word)
        rows = rows.filter(words)
    if f.format:
        rows = rows.filter(format=f.format)
    if f.competency:
        rows = rows.filter(competencies__code=f.competency)
    if f.role:
        rows = (
            rows.filter(audience_roles__contains=[f.role])
            if _json_contains()
            else rows.filter(audience_roles__icontains=f'"{f.role}"')
        )
    if f.offered_by == "state":
        rows = rows.filter(organization__isnull=True)
    elif f.offered_by == "district":
        rows = rows.filter(organization__isnull=False)
    upcoming = Q(sessions__starts_at__gt=now, sessions__cancelled=False)
    rows = rows.annotate(
        next_session=Min("sessions__starts_at", filter=upcoming),
        upcoming_count=Count("sessions", filter=upcoming, distinct=True),
    )
    if f.upcoming:
        rows = rows.filter(upcoming_count__gt=0)
    return rows.select_related("provider", "organization").order_by("title", "pk").distinct()


def _json_contains() -> bool:
    """JSON containment is a PostgreSQL lookup; SQLite matches the quoted value in the list's text."""
    from django.db import connection

    return connection.vendor == "postgresql"


@dataclass
class SessionRow:
    session: Session
    enrolled: int
    waiting: int
    mine: Enrollment | None

    @property
    def seats_left(self) -> int:
        return max(self.session.seats - self.enrolled, 0)


def program_sessions(program: Program, person_id: int | None, *, past_days: int = 365) -> list[SessionRow]:
    """The program's sessions from a year ago on, with seats taken, the waitlist and the reader's own
    registration (2 queries)."""
    since = timezone.now() - dt.timedelta(days=past_days)
    sessions = list(
        program.sessions.filter(starts_at__gte=since)
        .annotate(
            enrolled=Count("enrollments", filter=Q(enrollments__status__in=[S.ENROLLED, S.COMPLETED])),
            waiting=Count("enrollments", filter=Q(enrollments__status=S.WAITLISTED)),
        )
        .order_by("starts_at", "pk")  # a grouped query ignores the model's ordering
    )
    mine: dict[int, Enrollment] = {}
    if person_id:
        for e in Enrollment.objects.filter(session__in=[s.pk for s in sessions], person_id=person_id):
            mine[e.session_id] = e
    for s in sessions:
        s.program = program  # the seats fall back to the program's capacity without another query
    return [SessionRow(s, s.enrolled, s.waiting, mine.get(s.pk)) for s in sessions]  # type: ignore[attr-defined]


def my_enrollments(person_id: int) -> list[Enrollment]:
    """The person's registrations, the latest first, each with `survey_open`: a completed program whose
    survey after (within 60 days) or three-month follow-up they have still to answer (1 query)."""
    from django.db.models import Exists, OuterRef

    from edlead.learning.models import FollowUp, GrowthSurvey, ReactionReceipt
    from edlead.learning.queue import SURVEY_WITHIN_DAYS
    from edlead.learning.services_surveys import FOLLOW_UP_AFTER_DAYS

    rows: list[Enrollment] = list(
        Enrollment.objects.filter(person_id=person_id)
        .exclude(status=S.CANCELLED)
        .annotate(
            answered=Exists(ReactionReceipt.objects.filter(enrollment=OuterRef("pk"))),
            rated=Exists(GrowthSurvey.objects.filter(enrollment=OuterRef("pk"))),
            followed=Exists(FollowUp.objects.filter(enrollment=OuterRef("pk"))),
        )
        .select_related("session__program__provider")
        .order_by("-session__starts_at")
    )
    today = timezone.localdate()
    for e in rows:
        age = (today - e.completed_on).days if e.completed_on else -1
        fresh = 0 <= age <= SURVEY_WITHIN_DAYS and not (e.answered and e.rated)  # type: ignore[attr-defined]
        due = FOLLOW_UP_AFTER_DAYS <= age <= FOLLOW_UP_AFTER_DAYS + SURVEY_WITHIN_DAYS and not e.followed  # type: ignore[attr-defined]
        e.survey_open = e.status == S.COMPLETED and (fresh or due)  # type: ignore[attr-defined]
    return rows
