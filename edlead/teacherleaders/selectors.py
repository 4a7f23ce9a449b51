"""Readers of teacher leadership, each a fixed number of queries whatever the data size, every one
through the access module (`edlead.teacherleaders.rules`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from edlead.access import policy
from edlead.coaching.models import CoachingRelationship
from edlead.coaching.rules import COACHING_VIEW
from edlead.coaching.selectors import coaching_hours_by_person
from edlead.learning.models import Enrollment
from edlead.learning.services import LEARNING_RECORD
from edlead.people.models import Person
from edlead.teacherleaders import dimensions, rules
from edlead.teacherleaders.models import (
    BodyDecision,
    BodyMeeting,
    BodyMember,
    LeadershipBody,
    LeadershipPlan,
    LeadershipRating,
    PlanAction,
    TeacherLeaderAssignment,
    TeacherLeaderRole,
)

ENDING_SOON_DAYS = 60
LIST_LIMIT = 500


@dataclass
class RoleRow:
    role: TeacherLeaderRole
    holders: int  # current holders


def roles_for_user(user: Any, today: dt.date) -> list[RoleRow]:
    """The catalog the reader sees, each role with its number of current holders: two queries."""
    roles = list(
        rules.roles_readable(user)
        .select_related("organization")
        .order_by("organization__name", "name")[:LIST_LIMIT]
    )
    counts = dict(
        TeacherLeaderAssignment.objects.filter(
            role__in=[r.pk for r in roles], ended_on__isnull=True, term_ends_on__gte=today
        )
        .values("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    return [RoleRow(role=r, holders=counts.get(r.pk, 0)) for r in roles]


@dataclass
class Holder:
    assignment: TeacherLeaderAssignment
    ending_soon: bool
    learning: dict[str, Any] | None  # None: the reader may not see it
    coaching_hours: float | None


def holders(user: Any, role: TeacherLeaderRole, today: dt.date) -> list[Holder]:
    """The role's current holders with their term, and — only where the reader may see it — their
    learning in the last year (completions, PDPs) and coaching hours (never what a session was about)."""
    rows = list(
        TeacherLeaderAssignment.objects.filter(role=role, ended_on__isnull=True, term_ends_on__gte=today)
        .select_related("person", "organization")
        .order_by("term_ends_on", "person__last_name", "pk")[:LIST_LIMIT]
    )
    ids = [a.person_id for a in rows]
    since = today - dt.timedelta(days=365)
    learning: dict[int, dict[str, Any]] = defaultdict(lambda: {"completed": 0, "pdps": Decimal(0)})
    readable_learning: set[int] = set()
    if ids:
        enrollments = policy.visible_to(
            user,
            Enrollment.objects.filter(person_id__in=ids, status=Enrollment.Status.COMPLETED),
            LEARNING_RECORD,
        ).values_list("person_id", "completed_on", "session__program__pdp_hours", "pdp_activity_id")
        for pid, done, pdp_hours, activity in enrollments:
            readable_learning.add(pid)
            if done is not None and done >= since:
                learning[pid]["completed"] += 1
                if activity:
                    learning[pid]["pdps"] += pdp_hours or 0
        # Whoever reads the person's shared record reads their learning (as the record page's learning part).
        readable_learning |= set(
            policy.visible_to(user, Person.objects.filter(pk__in=ids), policy.PERSON_SHARED).values_list(
                "pk", flat=True
            )
        )
    coached = (
        set(
            policy.visible_to(user, CoachingRelationship.objects.filter(coachee_id__in=ids), COACHING_VIEW)
            .values_list("coachee_id", flat=True)
            .distinct()
        )
        if ids
        else set()
    )
    hours = coaching_hours_by_person(coached, since)
    return [
        Holder(
            assignment=a,
            ending_soon=(a.term_ends_on - today).days <= ENDING_SOON_DAYS,
            learning=dict(learning[a.person_id]) if a.person_id in readable_learning else None,
            coaching_hours=hours.get(a.person_id, 0.0) if a.person_id in coached else None,
        )
        for a in rows
    ]


# --- the guide ---------------------------------------------------------------------------------------------
@dataclass
class DimensionRow:
    key: str
    name: str
    question: str
    descriptors: list[tuple[int, str, str]]
    averages: dict[str, float | None] = field(default_factory=dict)  # checkpoint → team average
    raters: dict[str, int] = field(default_factory=dict)
    mine: dict[str, int] = field(default_factory=dict)  # checkpoint → the reader's own rating
    mine_now: int | None = None  # the reader's rating at the checkpoint on screen

    @property
    def cells(self) -> list[tuple[float | None, int]]:
        return [(self.averages.get(cp), self.raters.get(cp, 0)) for cp in LeadershipRating.Checkpoint.values]


BAR_SCALE = 60  # px per level in the chart
CP_COLOURS = {"start": "#97d4ea", "middle": "#0076d6", "end": "#162e51"}


def plan_assessment(plan: LeadershipPlan, person_id: int | None) -> list[DimensionRow]:
    """Each dimension with the team's average at each checkpoint and the reader's own ratings: one query."""
    by: dict[tuple[str, str], list[int]] = defaultdict(list)
    mine: dict[tuple[str, str], int] = {}
    for r in LeadershipRating.objects.filter(plan=plan).only("dimension", "checkpoint", "level", "person_id"):
        by[(r.dimension, r.checkpoint)].append(r.level)
        if r.person_id == person_id:
            mine[(r.dimension, r.checkpoint)] = r.level
    out = []
    for d in dimensions.DIMENSIONS:
        row = DimensionRow(
            d.key,
            d.name,
            d.question,
            [(i + 1, dimensions.LEVELS[i + 1], text) for i, text in enumerate(d.descriptors)],
        )
        for cp in LeadershipRating.Checkpoint.values:
            levels = by.get((d.key, cp), [])
            row.averages[cp] = round(sum(levels) / len(levels), 1) if levels else None
            row.raters[cp] = len(levels)
            if (d.key, cp) in mine:
                row.mine[cp] = mine[(d.key, cp)]
        out.append(row)
    return out


def chart(rows: list[DimensionRow]) -> dict[str, Any]:
    """Grouped horizontal bars: per dimension one bar for each checkpoint rated."""
    cps = [c for c in LeadershipRating.Checkpoint if any(r.averages.get(c.value) for r in rows)]
    bars = []
    y = 8
    for r in rows:
        for cp in cps:
            avg = r.averages.get(cp.value)
            bars.append(
                {
                    "label": r.name if cp == cps[0] else "",
                    "cp": cp.label,
                    "avg": avg,
                    "width": round((avg or 0) * BAR_SCALE),
                    "y": y,
                    "colour": CP_COLOURS[cp.value],
                }
            )
            y += 16
        y += 10
    return {
        "bars": bars,
        "height": y + 10,
        "legend": [(cp.label, CP_COLOURS[cp.value]) for cp in cps],
        "max": 4 * BAR_SCALE,
    }


@dataclass
class ActionRow:
    action: PlanAction
    dimension_name: str
    overdue: bool
    may_update: bool  # the reader may record progress


def dimension_name(key: str) -> str:
    return dimensions.BY_KEY[key].name if key in dimensions.BY_KEY else key


def plan_actions(plan: LeadershipPlan) -> list[PlanAction]:
    return list(
        PlanAction.objects.filter(plan=plan)
        .select_related("owner")
        .prefetch_related("updates__author")
        .order_by("due_on", "pk")[:LIST_LIMIT]
    )


def action_rows(
    plan: LeadershipPlan, today: dt.date, *, editor: bool, person_id: int | None
) -> list[ActionRow]:
    """The plan's actions for the page: overdue flagged, progress open to the editors and each owner."""
    return [
        ActionRow(
            action=a,
            dimension_name=dimension_name(a.dimension),
            overdue=a.status in PlanAction.OPEN and a.due_on < today,
            may_update=editor or (person_id is not None and a.owner_id == person_id),
        )
        for a in plan_actions(plan)
    ]


# --- bodies ------------------------------------------------------------------------------------------------
@dataclass
class BodyRow:
    body: LeadershipBody
    seated: int  # members seated today


def bodies_for_user(user: Any, today: dt.date) -> list[BodyRow]:
    """The bodies the reader sees, each with its number of members seated today: two queries."""
    bodies = list(
        rules.bodies_readable(user)
        .select_related("organization", "convener")
        .order_by("organization__name", "name")[:LIST_LIMIT]
    )
    counts = dict(
        BodyMember.objects.filter(body__in=[b.pk for b in bodies], starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values("body")
        .annotate(n=Count("person", distinct=True))
        .values_list("body", "n")
    )
    return [BodyRow(body=b, seated=counts.get(b.pk, 0)) for b in bodies]


@dataclass
class MemberRow:
    member: BodyMember
    ending_soon: bool


def member_rows(members: list[BodyMember], today: dt.date) -> list[MemberRow]:
    return [
        MemberRow(
            member=m,
            ending_soon=m.ends_on is not None and (m.ends_on - today).days <= ENDING_SOON_DAYS,
        )
        for m in members
    ]


def members_of(body: LeadershipBody, today: dt.date, *, past: bool = False) -> list[BodyMember]:
    qs = BodyMember.objects.filter(body=body).select_related("person", "district")
    if not past:
        qs = qs.exclude(ends_on__lt=today)
    return list(qs.order_by("role", "person__last_name", "pk")[:LIST_LIMIT])


def meetings_of(body: LeadershipBody, *, year: tuple[dt.date, dt.date] | None = None) -> list[BodyMeeting]:
    qs = BodyMeeting.objects.filter(body=body).prefetch_related("attendees__person")
    if year:
        qs = qs.filter(held_on__range=year)
    return list(qs.order_by("-held_on", "-pk")[:LIST_LIMIT])


def decisions_of(body: LeadershipBody, *, year: tuple[dt.date, dt.date] | None = None) -> list[BodyDecision]:
    qs = BodyDecision.objects.filter(body=body).select_related("owner", "meeting")
    if year:
        qs = qs.filter(decided_on__range=year)
    return list(qs.order_by("-decided_on", "-pk")[:LIST_LIMIT])


def school_year(today: dt.date) -> int:
    """The year the current school year ends in (July starts a new one)."""
    return today.year + 1 if today.month >= 7 else today.year


def year_range(end_year: int) -> tuple[dt.date, dt.date]:
    return dt.date(end_year - 1, 7, 1), dt.date(end_year, 6, 30)


@dataclass
class ReportMember:
    member: BodyMember
    attended: int  # meetings of the year


def annual_report(body: LeadershipBody, end_year: int) -> dict[str, Any]:
    """The cabinet's (or any body's) year: members and terms, meetings held with attendance, the
    decisions and recommendations of the year. Four queries."""
    start, end = year_range(end_year)
    members = list(
        BodyMember.objects.filter(body=body, starts_on__lte=end)
        .exclude(ends_on__lt=start)
        .select_related("person", "district")
        .order_by("role", "person__last_name", "pk")
    )
    meetings = sorted(meetings_of(body, year=(start, end)), key=lambda m: m.held_on)
    attended: dict[int, int] = defaultdict(int)
    for m in meetings:
        for a in m.attendees.all():
            attended[a.pk] += 1
    rate = None
    seats = sum(
        1
        for m in meetings
        for mem in members
        if mem.starts_on <= m.held_on and (mem.ends_on is None or mem.ends_on >= m.held_on)
    )
    if seats:
        rate = round(100 * sum(attended.values()) / seats)
    return {
        "start": start,
        "end": end,
        "label": f"{end_year - 1}–{end_year % 100:02d}",
        "members": [ReportMember(member=m, attended=attended[m.pk]) for m in members],
        "meetings": meetings,
        "decisions": list(reversed(decisions_of(body, year=(start, end)))),
        "attendance_rate": rate,
    }
