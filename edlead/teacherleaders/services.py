"""Writers of the teacher-leader roles catalog and its assignments. A holder's tenure is a
`people.Position` of role "teacher leader" written through `edlead.people.services`, only where the
writer may confer it (`policy.may_confer_position`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.orgs.models import Organization
from edlead.people import services as people_services
from edlead.people.models import Person, Position
from edlead.teacherleaders import rules
from edlead.teacherleaders.models import TeacherLeaderAssignment, TeacherLeaderRole

ROLE_CHANGED = "teacher_leader_role_changed"
ASSIGNMENT_CHANGED = "teacher_leader_assignment_changed"
PLAN_CHANGED = "leadership_plan_changed"
BODY_CHANGED = "leadership_body_changed"
AUDIT_VERBS = {
    ROLE_CHANGED: "Teacher-leader role added or changed",
    ASSIGNMENT_CHANGED: "Teacher-leader role assigned or ended",
    PLAN_CHANGED: "Distributed-leadership guide changed",
    BODY_CHANGED: "Leadership team, council or cabinet changed",
}
NOTICE_ACTION = "teacherleaders.action"
NOTICE_SEATED = "teacherleaders.seated"
NOTICES = {
    NOTICE_ACTION: "An action of a distributed-leadership plan is yours",
    NOTICE_SEATED: "You were seated on a leadership team, council or cabinet",
}


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _require_catalog(actor: Any, district: Organization) -> None:
    if actor is not None and not rules.may_manage_catalog(actor, district):
        raise ApplicationError("Only the district's administrators and HR manage its teacher-leader roles.")


@transaction.atomic
def role_save(
    *,
    actor: Any,
    district: Organization,
    name: str,
    kind: str,
    responsibilities: str,
    selection_criteria: str = "",
    stipend: Decimal | None = None,
    term_years: int = 1,
    is_active: bool = True,
    role: TeacherLeaderRole | None = None,
) -> TeacherLeaderRole:
    """Add a role to the district's catalog, or change one (`role`)."""
    if district.kind != Organization.Kind.DISTRICT:
        raise ApplicationError("A teacher-leader role belongs to a district's catalog.")
    _require_catalog(actor, district)
    if role is None:
        row = TeacherLeaderRole(organization=district)
    else:
        row = TeacherLeaderRole.objects.select_for_update().get(pk=role.pk)
        if row.organization_id != district.pk:
            raise ApplicationError("That role belongs to another district.")
    row.name = name.strip()
    row.kind = kind
    row.responsibilities = responsibilities.strip()
    row.selection_criteria = selection_criteria.strip()
    row.stipend = stipend
    row.term_years = term_years
    row.is_active = is_active
    row.full_clean()
    row.save()
    audit_record(
        action=ROLE_CHANGED,
        actor=actor,
        target=row,
        target_label=row.name,
        detail={"step": "added" if role is None else "changed", "kind": kind, "active": is_active},
        scope=[district.path],
    )
    return row


@transaction.atomic
def assignment_start(
    *,
    actor: Any,
    role: TeacherLeaderRole,
    person: Person,
    organization: Organization,
    starts_on: dt.date | None = None,
) -> TeacherLeaderAssignment:
    """Give `person` the role at `organization` (a school of the district, or the district) for one term
    from `starts_on`: a teacher-leader position titled with the role, and the assignment that names it."""
    district = role.organization
    if not (organization.pk == district.pk or organization.path.startswith(district.path)):
        raise ApplicationError("The role is held in the catalog's own district.")
    if not role.is_active:
        raise ApplicationError(f"{role.name} is no longer offered.")
    _require_catalog(actor, district)
    if actor is not None and not policy.may_confer_position(
        actor, Position.Role.TEACHER_LEADER, organization, person_id=person.pk
    ):
        raise ApplicationError("You may not record that position.")
    start = starts_on or timezone.localdate()
    ends = add_years(start, role.term_years) - dt.timedelta(days=1)
    if TeacherLeaderAssignment.objects.filter(
        role=role, person=person, ended_on__isnull=True, term_ends_on__gte=start
    ).exists():
        raise ApplicationError(f"{person.display_name} already holds {role.name}.")
    position = people_services.position_start(
        person=person,
        organization=organization,
        role=Position.Role.TEACHER_LEADER,
        starts_on=start,
        title=role.name[:120],
        is_primary=False,
        fte=Decimal("0.00"),  # a role held beside one's teaching post
        actor=actor,
    )
    row = TeacherLeaderAssignment(
        role=role,
        position=position,
        person=person,
        organization=organization,
        term_starts_on=start,
        term_ends_on=ends,
    )
    row.full_clean()
    row.save()
    audit_record(
        action=ASSIGNMENT_CHANGED,
        actor=actor,
        target=row,
        target_label=f"{person.display_name}: {role.name}"[:255],
        detail={"step": "started", "role": role.pk, "person": person.pk, "until": ends.isoformat()},
        scope=[organization.path],
        subject_person_id=person.pk,
    )
    return row


@transaction.atomic
def assignment_end(
    *, actor: Any, assignment: TeacherLeaderAssignment, ends_on: dt.date | None = None
) -> TeacherLeaderAssignment:
    """The holder leaves the role on `ends_on` (today by default): their position ends that day."""
    row = (
        TeacherLeaderAssignment.objects.select_for_update(of=("self",))
        .select_related("role__organization", "position", "person", "organization")
        .get(pk=assignment.pk)
    )
    _require_catalog(actor, row.role.organization)
    if row.ended_on is not None:
        raise ApplicationError("That assignment has already ended.")
    end = ends_on or timezone.localdate()
    if end < row.term_starts_on:
        raise ApplicationError("An assignment cannot end before it starts.")
    people_services.position_end(position=row.position, ends_on=end, actor=actor)
    row.ended_on = end
    row.save(update_fields=["ended_on", "updated_at"])
    audit_record(
        action=ASSIGNMENT_CHANGED,
        actor=actor,
        target=row,
        target_label=f"{row.person.display_name}: {row.role.name}"[:255],
        detail={"step": "ended", "on": end.isoformat()},
        scope=[row.organization.path],
        subject_person_id=row.person_id,
    )
    return row
