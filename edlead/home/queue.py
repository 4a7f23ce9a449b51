"""Work-queue items from the spine (organizations and people): what a supervisor, HR and district
administrators should act on. Each provider issues a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from edlead.access import policy
from edlead.access.models import RoleGrant
from edlead.core.workqueue import WorkItem
from edlead.orgs.models import Organization
from edlead.people.models import Position

Role = RoleGrant.Role
_DISTRICT_KEEPERS = (Role.DISTRICT_ADMIN, Role.HR, Role.SUPERINTENDENT)


def _principals(today: dt.date) -> QuerySet[Position]:
    return Position.objects.current(today).filter(role=Position.Role.PRINCIPAL)


def vacancies(user: Any, today: dt.date) -> Iterator[WorkItem]:
    """Schools without a principal on record: one item per school for their supervisor, one per
    district for its administrators, HR and superintendent (two queries)."""
    grants = policy.effective_grants(user)
    supervised = [g for g in grants if g.role == Role.PRINCIPAL_SUPERVISOR]
    keepers = [g for g in grants if g.role in _DISTRICT_KEEPERS]
    led = _principals(today).filter(organization_id=OuterRef("pk"))
    if supervised:
        scope = Q()
        for g in supervised:
            scope |= Q(path__startswith=g.path)
        for school in (
            Organization.objects.schools().open().filter(scope).filter(~Exists(led)).order_by("name")[:50]
        ):
            yield WorkItem(
                title=f"{school.name} has no principal on record",
                url=school.get_absolute_url(),
                source="people",
                organization=school.name,
                detail="Record the principal, or who is acting, so the school's figures have a leader.",
                waiting=True,
            )
    district_ids = {g.org_id for g in keepers}
    if district_ids:
        counts = (
            Organization.objects.schools()
            .open()
            .filter(district_id__in=district_ids)
            .filter(~Exists(led))
            .values_list("district_id", "district__name")
            .annotate(n=Count("pk"))
        )
        for district_id, name, n in counts.order_by("district__name"):
            yield WorkItem(
                title=f"{n:,} school{'s' if n != 1 else ''} without a principal on record",
                url=reverse("orgs:organization-detail", args=[district_id]),
                source="people",
                organization=name,
                waiting=True,
            )


def unconfirmed_principals(user: Any, today: dt.date) -> Iterator[WorkItem]:
    """For HR and district administrators: principals known only from an old directory file, to be
    confirmed or ended (one query)."""
    districts = {g.org_id for g in policy.effective_grants(user) if g.role in (Role.DISTRICT_ADMIN, Role.HR)}
    if not districts:
        return
    counts = (
        _principals(today)
        .filter(organization__district_id__in=districts)
        .filter(confirmed_through__lt=today)
        .values_list("organization__district_id", "organization__district__name")
        .annotate(n=Count("pk"))
        .order_by("organization__district__name")
    )
    for _district_id, name, n in counts:
        yield WorkItem(
            title=f"Confirm or end {n:,} principal position{'s' if n != 1 else ''} last confirmed by an old file",
            url=reverse("people:person-list") + f"?role={Position.Role.PRINCIPAL}&confirmation=old",
            source="people",
            organization=name,
            detail="Until a newer file or a form confirms them, pages mark these as “last confirmed”.",
            waiting=True,
        )
