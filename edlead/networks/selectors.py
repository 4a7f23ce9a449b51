"""Readers of principal networks, each a fixed number of queries whatever the network's size. Lists go
through the access chokepoint (`policy.visible_to`) with the action named."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from edlead.access import policy
from edlead.access.models import Relationship
from edlead.learning.models import Cohort
from edlead.lib.schoolyears import SchoolYear
from edlead.networks.models import AgendaItem, Attendance, Meeting, PeerPair, ProblemOfPractice
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

ATTENDANCE_VIEW = "networks.attendance.view"  # one principal's attendance: them, their chain, administrators


def attendance_by_person(person_ids: Iterable[int], since: dt.date) -> dict[int, tuple[int, int]]:
    """For each person, (meetings attended, meetings held) among the network meetings since `since` whose
    attendance was recorded for them (an excused absence is held, not attended). One query; people with
    no recorded meeting are left out."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    rows = (
        Attendance.objects.filter(person_id__in=ids, meeting__meets_on__gte=since)
        .values("person_id")
        .annotate(held=Count("pk"), attended=Count("pk", filter=Q(status=Attendance.Status.PRESENT)))
        .order_by()
    )
    return {row["person_id"]: (row["attended"], row["held"]) for row in rows}


def principals_of(network: Organization, on: dt.date | None = None) -> list[Position]:
    """The network's principals on a day: current principal positions at its schools (1 query)."""
    return list(
        Position.objects.current(on)
        .filter(
            role=Position.Role.PRINCIPAL,
            organization__path__startswith=network.path,
            organization__kind=Organization.Kind.SCHOOL,
        )
        .select_related("person", "organization")
        .order_by("person__last_name", "person__first_name", "organization__name", "pk")
    )


def networks_for(user: Any) -> QuerySet[Organization]:
    """The networks whose meetings the user reads, with their district."""
    return policy.visible_to(
        user, Organization.objects.networks().select_related("district"), policy.NETWORK_VIEW
    ).order_by("district__name", "name")


def meetings_for(user: Any) -> QuerySet[Meeting]:
    return policy.visible_to(user, Meeting.objects.select_related("organization"), policy.NETWORK_VIEW)


def meeting_detail(user: Any, pk: int) -> Meeting:
    """One meeting with its agenda, problems of practice and recorded attendance (404 if not the user's)."""
    queryset = Meeting.objects.select_related("organization", "organization__district").prefetch_related(
        Prefetch("agenda_items", AgendaItem.objects.select_related("lead").order_by("order", "pk")),
        Prefetch("problems", ProblemOfPractice.objects.select_related("presenter").order_by("pk")),
    )
    return policy.get_for_user(user, queryset, policy.NETWORK_VIEW, pk=pk)


def attendance_for(user: Any, meeting: Meeting) -> list[Attendance]:
    """The meeting's attendance rows the user may read: all of them for its supervisor, the chain and
    administrators; a principal's own row for a principal (1 query)."""
    rows = policy.visible_to(
        user, Attendance.objects.filter(meeting=meeting).select_related("person"), ATTENDANCE_VIEW
    )
    return list(rows.order_by("person__last_name", "person__first_name", "pk"))


@dataclass
class PrincipalRow:
    position: Position
    attended: int = 0
    held: int = 0
    shown: bool = False  # the reader may see this principal's attendance
    pair: Person | None = None

    @property
    def rate(self) -> int | None:
        return round(100 * self.attended / self.held) if self.held else None


@dataclass
class NetworkPage:
    network: Organization
    year: SchoolYear
    upcoming: list[Meeting]
    past: list[Meeting]
    principals: list[PrincipalRow]
    pairs: list[PeerPair]
    cohorts: list[Cohort] = field(default_factory=list)


def network_page(user: Any, network: Organization, *, today: dt.date | None = None) -> NetworkPage:
    """Everything the network page shows, in 6 queries whatever the number of meetings and principals."""
    day = today or dt.date.today()
    year = SchoolYear.containing(day)
    meetings = list(
        meetings_for(user)
        .filter(organization=network, meets_on__gte=year.starts_on, meets_on__lte=year.ends_on)
        .annotate(n_items=Count("agenda_items", distinct=True))
        .order_by("meets_on", "starts_at", "pk")
    )
    principals = principals_of(network, day)
    ids = [p.person_id for p in principals]
    # Whose attendance the reader may see (the rule on attendance, asked of the principals themselves).
    shown = set(
        policy.visible_to(
            user, Attendance.objects.filter(person_id__in=ids, meeting__organization=network), ATTENDANCE_VIEW
        )
        .values_list("person_id", flat=True)
        .distinct()
    )
    figures = attendance_by_person(shown, year.starts_on) if shown else {}
    pairs = list(
        policy.visible_to(
            user,
            PeerPair.objects.filter(organization=network, school_year=year.start_year).select_related(
                "first", "second"
            ),
            policy.NETWORK_VIEW,
        )
    )
    partner: dict[int, Person] = {}
    for pair in pairs:
        partner[pair.first_id] = pair.second
        partner[pair.second_id] = pair.first
    rows = []
    for pos in principals:
        attended, held = figures.get(pos.person_id, (0, 0))
        rows.append(PrincipalRow(pos, attended, held, pos.person_id in shown, partner.get(pos.person_id)))
    return NetworkPage(
        network=network,
        year=year,
        upcoming=[m for m in meetings if m.meets_on >= day],
        past=[m for m in reversed(meetings) if m.meets_on < day],
        principals=rows,
        pairs=pairs,
        cohorts=cohorts_of(user, ids, day),
    )


def cohorts_of(user: Any, person_ids: list[int], today: dt.date) -> list[Cohort]:
    """The learning cohorts and think tanks the principals belong to (one query), each marked `openable`
    when the reader may open it (else the page names it without a link)."""
    if not person_ids:
        return []
    from edlead.learning.services import COHORT_VIEW

    groups = (
        Relationship.objects.active(today)
        .filter(kind=Relationship.Kind.MEMBER, holder_id__in=person_ids)
        .values("group")
    )
    readable = policy.visible_to(user, Cohort.objects.filter(pk=OuterRef("pk")), COHORT_VIEW)
    return list(
        Cohort.objects.filter(group_key__in=groups).annotate(openable=Exists(readable)).order_by("name", "pk")
    )
