"""What each role sees first: one section per role the person holds, each a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, Count, F, Q, QuerySet, When

from edlead.access import policy
from edlead.access.models import RoleGrant
from edlead.home import columns
from edlead.metrics.selectors.compare import school_flags
from edlead.orgs.models import Organization
from edlead.orgs.selectors import SchoolRow, leaders_at, school_rows
from edlead.people.models import Person, Position
from edlead.people.selectors import supervised_schools

Role = RoleGrant.Role


def supervises(user: Any) -> bool:
    """Whether the user holds the principal supervisor role anywhere (no query: grants are cached)."""
    return any(g.role == Role.PRINCIPAL_SUPERVISOR for g in policy.effective_grants(user))


def supervisor_section(user: Any) -> dict[str, Any] | None:
    """A principal supervisor's principals and schools."""
    grants = [g for g in policy.effective_grants(user) if g.role == Role.PRINCIPAL_SUPERVISOR]
    if not grants:
        return None
    if user.person_id:
        schools = supervised_schools(user.person)
    else:
        scope = Q()
        for g in grants:
            scope |= Q(path__startswith=g.path)
        schools = Organization.objects.schools().open().filter(scope)
    rows: list[SchoolRow] = school_rows(user, schools)
    flagged = school_flags([r.school for r in rows])  # 4 queries
    today = dt.date.today()
    for row in rows:
        row.flags = flagged.labels(row.school.pk)
        start = row.principal.starts_on if row.principal else None
        row.tenure_years = (today - start).days // 365 if start else None
    offered = columns.fill(user, rows, today)  # what each app says about the schools: 1-3 queries each
    return {
        "columns": offered,
        "rows": rows,
        "flags_year": flagged.year_label,
        "flagged": sum(1 for r in rows if r.flags),
        "school_count": len(rows),
        "vacancies": sum(1 for r in rows if not r.principals),
        "new_principals": sum(
            1
            for r in rows
            if r.principal and r.principal.starts_on and (today - r.principal.starts_on).days < 365
        ),
        "scopes": grants,
    }


def school_leader_section(user: Any) -> list[dict[str, Any]]:
    """Each school a school leader leads, with its team."""
    grants = [g for g in policy.effective_grants(user) if g.role == Role.SCHOOL_LEADER]
    if not grants:
        return []
    today = dt.date.today()
    schools = list(
        Organization.objects.filter(pk__in=[g.org_id for g in grants]).select_related("district", "parent")
    )
    team = leaders_at(
        schools,
        [
            Position.Role.PRINCIPAL,
            Position.Role.ASSISTANT_PRINCIPAL,
            Position.Role.TEACHER_LEADER,
            Position.Role.COACH,
        ],
        today=today,
    )
    teachers = dict(
        Position.objects.current(today)
        .filter(organization__in=schools, role=Position.Role.TEACHER)
        .values_list("organization_id")
        .annotate(n=Count("pk"))
    )
    flagged = school_flags(schools)  # 4 queries
    return [
        {
            "school": s,
            "team": team.get(s.pk, []),
            "teachers": teachers.get(s.pk, 0),
            "flags": flagged.labels(s.pk),
            "flags_year": flagged.year_label,
        }
        for s in schools
    ]


def operating_districts() -> QuerySet[Organization]:
    """Open districts that operate schools: not closed, not a DESE "(non-op)" town."""
    return Organization.objects.operating_districts()


_DISTRICT_ROLES = (
    Role.DISTRICT_ADMIN,
    Role.SUPERINTENDENT,
    Role.HR,
    Role.CABINET,
    Role.PROGRAM_COORDINATOR,
    Role.STATE_ADMIN,
)


def district_section(user: Any) -> list[dict[str, Any]]:
    """District-wide figures for administrators, superintendents, HR and cabinet."""
    grants = [g for g in policy.effective_grants(user) if g.role in _DISTRICT_ROLES]
    if not grants:
        return []
    today = dt.date.today()
    nodes = list(Organization.objects.filter(pk__in={g.org_id for g in grants}).order_by("name"))
    districts = [n for n in nodes if n.kind == Organization.Kind.DISTRICT]
    state_nodes = [n for n in nodes if n.kind == Organization.Kind.STATE]
    sections: list[dict[str, Any]] = []
    if districts:
        kind = Organization.Kind
        # Open schools by district and networks by the district they sit under, in one query.
        counted = (
            Organization.objects.filter(
                Q(kind=kind.SCHOOL, closed_on__isnull=True, district__in=districts)
                | Q(kind=kind.NETWORK, parent__in=districts)
            )
            .annotate(under=Case(When(kind=kind.SCHOOL, then=F("district_id")), default=F("parent_id")))
            .values_list("kind", "under")
            .annotate(n=Count("pk"))
            .order_by()
        )
        school_counts: dict[int, int] = {}
        networks: dict[int, int] = {}
        for org_kind, under, n in counted:
            (school_counts if org_kind == kind.SCHOOL else networks)[under] = n
        # Schools with a principal now, and principals who started within the year, in one query.
        led: dict[int, int] = {}
        new_heads: dict[int, int] = {}
        for district_id, schools_led, new in (
            Position.objects.current(today)
            .filter(role=Position.Role.PRINCIPAL, organization__district__in=districts)
            .values_list("organization__district_id")
            .annotate(
                led=Count("organization_id", distinct=True),
                new=Count("pk", filter=Q(starts_on__gt=today - dt.timedelta(days=365))),
            )
            .order_by()
        ):
            led[district_id], new_heads[district_id] = schools_led, new
        for d in districts:
            schools = school_counts.get(d.pk, 0)
            sections.append(
                {
                    "org": d,
                    "roles": sorted({g.role_label for g in grants if g.org_id == d.pk}),
                    "schools": schools,
                    "networks": networks.get(d.pk, 0),
                    "vacancies": schools - led.get(d.pk, 0),
                    "new_principals": new_heads.get(d.pk, 0),
                }
            )
    for s in state_nodes:
        sections.append(
            {
                "org": s,
                "roles": sorted({g.role_label for g in grants if g.org_id == s.pk}),
                "districts": operating_districts().count(),
                "schools": Organization.objects.schools().open().count(),
                "people": Person.objects.count(),
            }
        )
    return sections


def own_section(user: Any) -> dict[str, Any] | None:
    """Everyone's own record: current positions."""
    if not user.person_id:
        return None
    positions = list(
        Position.objects.current()
        .filter(person_id=user.person_id)
        .select_related("organization")
        .order_by("-is_primary")
    )
    return {"person": user.person, "positions": positions}


def due_soon_days(user: Any) -> int:
    """How many days ahead "due soon" looks where the user works (a district setting; one query)."""
    from edlead import config

    return int(config.setting_for_user(user, "workqueue.due_soon_days"))


def people_section(user: Any) -> dict[str, Any] | None:
    """The people the user works with through relationships: whom they evaluate, coach or mentor, and
    who evaluates, coaches or mentors them (one query)."""
    if not user.person_id:
        return None
    from edlead.access.models import Relationship

    rows = list(
        Relationship.objects.active()
        .filter(Q(holder_id=user.person_id) | Q(person_id=user.person_id))
        .select_related("holder", "person")
        .order_by("kind", "starts_on", "pk")
    )
    mine = [r for r in rows if r.holder_id == user.person_id]
    from edlead.access import groups

    groups.label(mine)
    theirs = [r for r in rows if r.person_id == user.person_id]
    if not mine and not theirs:
        return None
    return {"mine": mine, "theirs": theirs}
