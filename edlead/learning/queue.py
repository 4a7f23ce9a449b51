"""The learning items of the work queue: registrations waiting for a supervisor's approval, sessions
whose attendance and completion a coordinator has to record, and surveys a participant has to answer.
Three queries at most, whatever the data size."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from edlead.access import policy
from edlead.core import workqueue
from edlead.learning.models import (
    Attendance,
    Enrollment,
    FollowUp,
    GrowthSurvey,
    Meeting,
    Program,
    ReactionReceipt,
    Session,
)
from edlead.learning.services import ENROLLMENT_APPROVE
from edlead.learning.services_surveys import FOLLOW_UP_AFTER_DAYS

S = Enrollment.Status
SOURCE = "learning"
RECORD_WITHIN_DAYS = 14  # attendance and completion are due two weeks after a session ends
LOOK_BACK_DAYS = 120
SURVEY_WITHIN_DAYS = 60
LIMIT = 50


def items(user: Any, today: dt.date) -> list[workqueue.WorkItem]:
    return [*_approvals(user), *_to_record(user, today), *_surveys(user, today)]


def _approvals(user: Any) -> list[workqueue.WorkItem]:
    pending = Enrollment.objects.filter(status=S.PENDING, session__starts_at__gt=timezone.now())
    rows = (
        policy.visible_to(user, pending, ENROLLMENT_APPROVE)
        .select_related("person", "session__program")
        .order_by("session__starts_at", "pk")[:LIMIT]
    )
    return [
        workqueue.WorkItem(
            title=f"{e.person.display_name} asks to attend {e.session.program.title}",
            url=reverse("learning:approvals"),
            source=SOURCE,
            due=timezone.localdate(e.session.starts_at),
            detail="Approve or decline the registration",
            waiting=True,
        )
        for e in rows
    ]


def _to_record(user: Any, today: dt.date) -> list[workqueue.WorkItem]:
    """Sessions of programs the user runs, ended in the last months, whose attendance is not taken for
    every meeting, or whose completion was never marked (participants left short of the rule after
    that stay enrolled, and off the queue)."""
    if not policy.can(user, policy.PROGRAM_MANAGE):
        return []
    now = timezone.now()
    # The programs run at the level of the user's grants (a district's own, the state's for a state
    # grant), not every program below: a network's coordinator records its own sessions.
    grants = policy.grants_for(user, policy.PROGRAM_MANAGE)
    at_level = Q(organization_id__in=[g.org_id for g in grants])
    if any(g.path.count("/") == 2 for g in grants):
        at_level |= Q(organization__isnull=True)
    programs = Program.objects.filter(at_level)
    enrollments = Enrollment.objects.filter(session=OuterRef("pk"))
    held = Meeting.objects.filter(session=OuterRef("pk"), starts_at__lte=now)
    rows = (
        Session.objects.filter(
            program__in=programs.values("pk"),
            cancelled=False,
            ends_at__lte=now,
            ends_at__gte=now - dt.timedelta(days=LOOK_BACK_DAYS),
        )
        .filter(Exists(enrollments.filter(status=S.ENROLLED)))
        .annotate(
            untaken=Exists(held.filter(~Exists(Attendance.objects.filter(meeting=OuterRef("pk"))))),
            no_meetings=~Exists(held),
            marked=Exists(enrollments.filter(status=S.COMPLETED)),
            open=Subquery(
                enrollments.filter(status=S.ENROLLED)
                .values("session")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
        .filter(Q(untaken=True) | Q(no_meetings=True) | Q(marked=False))
        .select_related("program")
        .order_by("ends_at", "pk")[:LIMIT]
    )
    items = []
    for s in rows:
        attendance_due = s.untaken or s.no_meetings  # type: ignore[attr-defined]
        what = "Take attendance and mark completion" if attendance_due else "Mark completion"
        items.append(
            workqueue.WorkItem(
                title=f"{what}: {s.program.title}",
                url=reverse("learning:roster", args=[s.pk]),
                source=SOURCE,
                due=timezone.localdate(s.ends_at) + dt.timedelta(days=RECORD_WITHIN_DAYS),
                detail=f"Session of {timezone.localtime(s.starts_at):%d %b %Y}; {s.open} enrolled",  # type: ignore[attr-defined]
            )
        )
    return items


def _surveys(user: Any, today: dt.date) -> list[workqueue.WorkItem]:
    """The participant's own: tell how a completed program went; three months on, the follow-up."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return []
    rows = (
        Enrollment.objects.filter(
            person_id=person_id,
            status=S.COMPLETED,
            completed_on__gte=today - dt.timedelta(days=FOLLOW_UP_AFTER_DAYS + SURVEY_WITHIN_DAYS),
        )
        .annotate(
            answered=Exists(ReactionReceipt.objects.filter(enrollment=OuterRef("pk"))),
            rated=Exists(GrowthSurvey.objects.filter(enrollment=OuterRef("pk"))),
            followed=Exists(FollowUp.objects.filter(enrollment=OuterRef("pk"))),
        )
        .select_related("session__program")
        .order_by("completed_on", "pk")[:LIMIT]
    )
    result = []
    for e in rows:
        url = reverse("learning:survey", args=[e.pk])
        title = e.session.program.title
        age = (today - e.completed_on).days if e.completed_on else 0
        if (not e.answered or not e.rated) and age <= SURVEY_WITHIN_DAYS:  # type: ignore[attr-defined]
            result.append(
                workqueue.WorkItem(
                    title=f"Tell us how {title} went",
                    url=url,
                    source=SOURCE,
                    due=e.completed_on + dt.timedelta(days=SURVEY_WITHIN_DAYS) if e.completed_on else None,
                    detail="A short anonymous reaction, and your ratings after the program",
                )
            )
        elif age >= FOLLOW_UP_AFTER_DAYS and not e.followed:  # type: ignore[attr-defined]
            result.append(
                workqueue.WorkItem(
                    title=f"Three months on: are you using what you learned in {title}?",
                    url=url,
                    source=SOURCE,
                    due=e.completed_on + dt.timedelta(days=FOLLOW_UP_AFTER_DAYS + SURVEY_WITHIN_DAYS)
                    if e.completed_on
                    else None,
                )
            )
    return result
