"""Readers for organization pages. Each returns everything a page needs in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from edlead.access import policy
from edlead.orgs.models import Organization, SupervisionOverride
from edlead.people.models import Position
from edlead.people.selectors import principals_for_schools, supervisors_for_schools

Kind = Organization.Kind
Role = Position.Role


@dataclass
class SchoolRow:
    school: Organization
    principals: list[Position]
    supervisor: Any
    overridden: bool = False
    flags: list[str] = field(default_factory=list)  # off-track flag labels, where a page shows them
    cells: list[Any] = field(default_factory=list)  # what apps say about the school (edlead.home.columns)
    tenure_years: int | None = None  # whole years the principal has led it, where a page shows it

    @property
    def principal(self) -> Position | None:
        return self.principals[0] if self.principals else None


@dataclass
class NetworkBlock:
    network: Organization | None
    supervisors: list[Position] = field(default_factory=list)
    rows: list[SchoolRow] = field(default_factory=list)


def organization_get_for_user(user: Any, pk: int) -> Organization:
    """An organization's directory page: open to anyone with a role in its district (or above)."""
    return policy.get_for_user(
        user, Organization.objects.select_related("parent", "district"), policy.ORG_DIRECTORY, pk=pk
    )


def breadcrumbs(org: Organization) -> list[Organization]:
    """The organization's ancestors, root first (1 query)."""
    ids = org.ancestor_ids[:-1]
    by_id = Organization.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def school_rows(
    user: Any, schools: QuerySet[Organization], *, today: dt.date | None = None
) -> list[SchoolRow]:
    """Schools of the user's district directory, with current principals and supervisors (4 queries)."""
    today = today or dt.date.today()
    visible = list(
        policy.visible_to(user, schools.select_related("parent"), policy.ORG_DIRECTORY).order_by("name")
    )
    principals = principals_for_schools(visible, on=today)
    supervisors = supervisors_for_schools(visible, on=today)
    overridden = set(
        SupervisionOverride.objects.filter(school__in=visible, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values_list("school_id", flat=True)
    )
    return [
        SchoolRow(s, principals.get(s.pk, []), supervisors.get(s.pk), s.pk in overridden) for s in visible
    ]


def leaders_at(
    orgs: list[Organization], roles: list[str], *, today: dt.date | None = None
) -> dict[int, list[Position]]:
    today = today or dt.date.today()
    result: dict[int, list[Position]] = defaultdict(list)
    for pos in (
        Position.objects.current(today)
        .filter(organization__in=orgs, role__in=roles)
        .select_related("person")
        .order_by("role", "person__last_name")
    ):
        result[pos.organization_id].append(pos)
    return result


def district_overview(user: Any, district: Organization) -> dict[str, Any]:
    """A district page: leaders, networks with their schools and principals (fixed queries)."""
    today = dt.date.today()
    networks = list(Organization.objects.networks().filter(parent=district).order_by("name"))
    rows = school_rows(user, Organization.objects.schools().open().filter(district=district), today=today)
    district_leaders = leaders_at(
        [district, *networks],
        [Role.SUPERINTENDENT, Role.ASSISTANT_SUPERINTENDENT, Role.PRINCIPAL_SUPERVISOR, Role.DIRECTOR],
        today=today,
    )
    blocks: dict[int | None, NetworkBlock] = {
        n.pk: NetworkBlock(n, district_leaders.get(n.pk, [])) for n in networks
    }
    unassigned = NetworkBlock(None)
    for row in rows:
        block = blocks.get(row.school.parent_id) if row.school.parent_id != district.pk else None
        (block or unassigned).rows.append(row)
    ordered = [b for b in blocks.values() if b.rows or policy.can(user, policy.ORG_MANAGE, district)]
    if unassigned.rows:
        ordered.append(unassigned)
    without_principal = sum(1 for r in rows if not r.principals)
    new_principals = sum(
        1
        for r in rows
        if r.principal and r.principal.starts_on and (today - r.principal.starts_on).days < 365
    )
    return {
        "leaders": district_leaders.get(district.pk, []),
        "blocks": ordered,
        "rows": rows,
        "networks": networks,
        "school_count": len(rows),
        "without_principal": without_principal,
        "new_principals": new_principals,
    }


def school_overview(user: Any, school: Organization) -> dict[str, Any]:
    """A school page: leadership team, history of principals, supervisor (fixed queries)."""
    today = dt.date.today()
    team = list(
        Position.objects.current(today)
        .filter(organization=school)
        .exclude(role=Role.TEACHER)
        .select_related("person")
        .order_by("role", "person__last_name")
    )
    order: dict[str, int] = {
        Role.PRINCIPAL: 0,
        Role.ASSISTANT_PRINCIPAL: 1,
        Role.TEACHER_LEADER: 2,
        Role.COACH: 3,
    }
    team.sort(key=lambda p: (order.get(p.role, 9), p.person.last_name))
    history = list(
        Position.objects.filter(organization=school, role=Role.PRINCIPAL)
        .select_related("person")
        .order_by("-starts_on", "-pk")
    )
    staff_count = Position.objects.current(today).filter(organization=school, role=Role.TEACHER).count()
    supervisor = supervisors_for_schools([school], on=today).get(school.pk)
    visible_people = set(
        policy.visible_to(
            user,
            _people_qs([p.person_id for p in team + history] + ([supervisor.pk] if supervisor else [])),
            policy.PERSON_DIRECTORY,
        ).values_list("pk", flat=True)
    )
    return {
        "team": team,
        "history": history,
        "staff_count": staff_count,
        "supervisor": supervisor,
        "visible_people": visible_people,
    }


def _people_qs(ids: list[int]) -> QuerySet:
    from edlead.people.models import Person

    return Person.objects.filter(pk__in=ids)


def state_overview(user: Any, state: Organization) -> dict[str, Any]:
    districts = (
        policy.visible_to(
            user, Organization.objects.operating_districts().filter(parent=state), policy.ORG_DIRECTORY
        )
        .annotate(
            school_count=Subquery(
                Organization.objects.filter(district=OuterRef("pk"), kind=Kind.SCHOOL, closed_on__isnull=True)
                .values("district")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            )
        )
        .order_by("name")
    )
    return {"districts": districts}


def network_overview(user: Any, network: Organization) -> dict[str, Any]:
    today = dt.date.today()
    rows = school_rows(user, Organization.objects.schools().open().filter(parent=network), today=today)
    leaders = leaders_at([network], [Role.PRINCIPAL_SUPERVISOR], today=today).get(network.pk, [])
    return {"rows": rows, "leaders": leaders}
