"""The leaders a supervisor oversees and their professional learning this school year: programs
completed, PDPs credited through EdLead, sessions coming up, whether they have taken the needs
assessment — what a principal supervisor reads before a coaching conversation or a network meeting.
Only the learning records the reader may see (`learning.record_view`: the supervision chain, HR…);
four queries whatever the number of leaders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from edlead.access import policy
from edlead.learning.models import Enrollment, GrowthSurvey
from edlead.learning.services import LEARNING_RECORD
from edlead.people.models import Person, Position

S = Enrollment.Status
LEADER_ROLES = (Position.Role.PRINCIPAL, Position.Role.ASSISTANT_PRINCIPAL)
CHAIN_ROLES = frozenset({"principal_supervisor", "superintendent", "school_leader", "district_admin", "hr"})


def school_year_start(today: dt.date) -> dt.date:
    return dt.date(today.year if today.month >= 7 else today.year - 1, 7, 1)


@dataclass
class LeaderRow:
    person: Person
    role: str
    school: str
    completed: int = 0
    pdps: Decimal = Decimal(0)
    upcoming: int = 0
    last_completed: dt.date | None = None
    assessed_on: dt.date | None = None


@dataclass
class Participation:
    rows: list[LeaderRow] = field(default_factory=list)
    since: dt.date | None = None

    @property
    def with_completion(self) -> int:
        return sum(1 for r in self.rows if r.completed)

    @property
    def assessed(self) -> int:
        return sum(1 for r in self.rows if r.assessed_on)


def offered_to(user: Any) -> bool:
    """Does the page make sense for this reader (someone in a supervision chain, HR, an administrator)?"""
    return any(g.role in CHAIN_ROLES for g in policy.effective_grants(user))


def participation(user: Any, *, today: dt.date | None = None) -> Participation:
    today = today or timezone.localdate()
    since = school_year_start(today)
    positions = list(
        Position.objects.current(today)
        .filter(role__in=LEADER_ROLES)
        .filter(person__in=policy.visible_to(user, Person.objects.all(), policy.PERSON_VIEW).values("pk"))
        .exclude(person_id=getattr(user, "person_id", None) or 0)
        .select_related("person", "organization")
        .order_by("organization__name", "role", "person__last_name", "pk")
    )
    rows: dict[int, LeaderRow] = {}
    for p in positions:
        rows.setdefault(p.person_id, LeaderRow(p.person, p.get_role_display(), p.organization.name))
    visible = policy.visible_to(user, Enrollment.objects.filter(person_id__in=list(rows)), LEARNING_RECORD)
    now = timezone.now()
    for pid, completed, pdps, upcoming, last in (
        visible.values("person_id")
        .annotate(
            completed=Count("pk", filter=Q(status=S.COMPLETED, completed_on__gte=since)),
            pdps=Sum(
                "session__program__pdp_hours",
                filter=Q(status=S.COMPLETED, completed_on__gte=since, pdp_activity__isnull=False),
            ),
            upcoming=Count(
                "pk", filter=Q(status__in=[S.ENROLLED, S.WAITLISTED, S.PENDING], session__starts_at__gt=now)
            ),
            last=Max("completed_on"),
        )
        .values_list("person_id", "completed", "pdps", "upcoming", "last")
    ):
        r = rows[pid]
        r.completed, r.pdps, r.upcoming, r.last_completed = completed, pdps or Decimal(0), upcoming, last
    surveys = policy.visible_to(
        user,
        GrowthSurvey.objects.filter(
            person_id__in=list(rows), rater_kind=GrowthSurvey.Rater.SELF, moment=GrowthSurvey.Moment.NEEDS
        ),
        "learning.growth_view",
    )
    for pid, when in (
        surveys.values("person_id").annotate(last=Max("submitted_at")).values_list("person_id", "last")
    ):
        rows[pid].assessed_on = timezone.localdate(when)
    return Participation(list(rows.values()), since)
