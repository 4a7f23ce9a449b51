"""The access chokepoint: who may do what, where. Every view, list and export asks this module.

- `can(user, action, obj=None)`: may the user do `action` to `obj` (or anywhere, when obj is None)?
- `visible_to(user, queryset, action=...)`: the queryset narrowed to what the user may see.
- `get_for_user(user, queryset, action=..., **lookup)`: one object, or 404 for "missing" and
  "not yours" alike, so a URL never reveals that a record exists.

Roles are granted on an organization node and apply to everything below it (a materialized path
prefix). Effective grants are the explicit `RoleGrant` rows plus defaults derived from the person's
current positions (a principal is school leader of the school; a network's supervisor is principal
supervisor of the network) and from supervision overrides. They are computed once per request.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from edlead.access.models import RoleGrant
from edlead.orgs.models import Organization, SupervisionOverride
from edlead.people.models import Person, Position

Role = RoleGrant.Role
PositionRole = Position.Role

# --- Actions --------------------------------------------------------------------------------------
ORG_VIEW = "org.view"
ORG_MANAGE = "org.manage"  # create networks, move schools between them, set supervision overrides
PERSON_VIEW = "person.view"
PERSONNEL_VIEW = "person.view_personnel"  # MEPID, employee number, e-mail, FTE: audited on read
PERSON_EDIT = "person.edit"
ROLE_MANAGE = "role.manage"
IMPORT_RUN = "import.run"
AUDIT_VIEW = "audit.view"

ALL_ACTIONS = frozenset(
    {ORG_VIEW, ORG_MANAGE, PERSON_VIEW, PERSONNEL_VIEW, PERSON_EDIT, ROLE_MANAGE, IMPORT_RUN, AUDIT_VIEW}
)

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.STATE_ADMIN: ALL_ACTIONS,
    Role.DISTRICT_ADMIN: ALL_ACTIONS,
    Role.SUPERINTENDENT: frozenset({ORG_VIEW, PERSON_VIEW, PERSONNEL_VIEW, AUDIT_VIEW}),
    Role.HR: frozenset({ORG_VIEW, PERSON_VIEW, PERSONNEL_VIEW, PERSON_EDIT, IMPORT_RUN}),
    Role.PRINCIPAL_SUPERVISOR: frozenset({ORG_VIEW, PERSON_VIEW, PERSONNEL_VIEW}),
    Role.SCHOOL_LEADER: frozenset({ORG_VIEW, PERSON_VIEW, PERSONNEL_VIEW}),
    Role.COACH: frozenset({ORG_VIEW, PERSON_VIEW}),
    Role.EDUCATOR: frozenset({ORG_VIEW}),
    Role.PROGRAM_COORDINATOR: frozenset({ORG_VIEW, PERSON_VIEW}),
    Role.CABINET: frozenset({ORG_VIEW, PERSON_VIEW}),
}

# Roles that keep seeing people who have left their scope (the district's record of former staff).
SEES_FORMER_STAFF = frozenset(
    {Role.STATE_ADMIN, Role.DISTRICT_ADMIN, Role.SUPERINTENDENT, Role.HR, Role.CABINET}
)

# The role a current position gives by default, on the position's organization.
POSITION_DEFAULT_ROLE: dict[str, str] = {
    PositionRole.PRINCIPAL: Role.SCHOOL_LEADER,
    PositionRole.ASSISTANT_PRINCIPAL: Role.SCHOOL_LEADER,
    PositionRole.PRINCIPAL_SUPERVISOR: Role.PRINCIPAL_SUPERVISOR,
    PositionRole.SUPERINTENDENT: Role.SUPERINTENDENT,
    PositionRole.ASSISTANT_SUPERINTENDENT: Role.SUPERINTENDENT,
    PositionRole.DIRECTOR: Role.CABINET,
    PositionRole.COACH: Role.COACH,
    PositionRole.TEACHER: Role.EDUCATOR,
    PositionRole.TEACHER_LEADER: Role.EDUCATOR,
}


@dataclass(frozen=True)
class Grant:
    """One effective role on one organization node."""

    role: str
    org_id: int
    org_name: str
    path: str
    derived: bool

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    def covers(self, path: str) -> bool:
        return path.startswith(self.path)


_CACHE_ATTR = "_edlead_grants"


def effective_grants(user: Any) -> list[Grant]:
    """Explicit grants plus position-derived defaults, computed once per user object (request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    grants: dict[tuple[str, int], Grant] = {}
    explicit = (
        RoleGrant.objects.filter(user_id=user.pk, revoked_at__isnull=True)
        .select_related("organization")
        .only("role", "organization__id", "organization__name", "organization__path")
    )
    for row in explicit:
        org = row.organization
        grants[(row.role, org.pk)] = Grant(row.role, org.pk, org.name, org.path, derived=False)
    if user.person_id:
        today = dt.date.today()
        positions = (
            Position.objects.current(today)
            .filter(person_id=user.person_id, role__in=list(POSITION_DEFAULT_ROLE))
            .select_related("organization")
            .only("role", "organization__id", "organization__name", "organization__path")
        )
        for pos in positions:
            role = POSITION_DEFAULT_ROLE[pos.role]
            org = pos.organization
            grants.setdefault((role, org.pk), Grant(role, org.pk, org.name, org.path, derived=True))
        overrides = (
            SupervisionOverride.objects.filter(supervisor_id=user.person_id, starts_on__lte=today)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
            .select_related("school")
            .only("school__id", "school__name", "school__path")
        )
        for ov in overrides:
            school = ov.school
            key = (Role.PRINCIPAL_SUPERVISOR, school.pk)
            grants.setdefault(
                key, Grant(Role.PRINCIPAL_SUPERVISOR, school.pk, school.name, school.path, True)
            )
    result = sorted(grants.values(), key=lambda g: (g.path.count("/"), g.role))
    setattr(user, _CACHE_ATTR, result)
    return result


def forget_grants(user: Any) -> None:
    """Drop the per-request cache after a role change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles(user: Any) -> set[str]:
    return {g.role for g in effective_grants(user)}


def grants_for(user: Any, action: str) -> list[Grant]:
    return [g for g in effective_grants(user) if action in ROLE_ACTIONS.get(g.role, frozenset())]


def _is_superuser(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


# --- can ------------------------------------------------------------------------------------------
def can(user: Any, action: str, obj: models.Model | None = None) -> bool:
    """May `user` do `action` to `obj`? With no obj: may they do it anywhere at all?"""
    if action not in ALL_ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if _is_superuser(user):
        return True
    grants = grants_for(user, action)
    if obj is None:
        return bool(grants)
    if isinstance(obj, Organization):
        return _org_allowed(grants, obj, action)
    if isinstance(obj, Person):
        if obj.pk == user.person_id and action in (PERSON_VIEW, PERSONNEL_VIEW):
            return True
        return visible_to(user, Person.objects.filter(pk=obj.pk), action).exists()
    organization = getattr(obj, "organization", None)
    if isinstance(organization, Organization):
        return _org_allowed(grants, organization, action)
    raise TypeError(f"can() does not know how to scope {type(obj).__name__}")


def _org_allowed(grants: list[Grant], org: Organization, action: str) -> bool:
    if any(g.covers(org.path) for g in grants):
        return True
    # Seeing an organization includes seeing the nodes above one's own (for context, names only).
    return action == ORG_VIEW and any(g.path.startswith(org.path) for g in grants)


# --- visible_to -----------------------------------------------------------------------------------
M = TypeVar("M", bound=models.Model)


def visible_to(user: Any, queryset: models.QuerySet[M], action: str | None = None) -> models.QuerySet[M]:
    """Narrow `queryset` to what `user` may see (or do `action` to)."""
    model = queryset.model
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if _is_superuser(user):
        return queryset
    if model is Organization:
        return queryset.filter(_org_q(grants_for(user, action or ORG_VIEW), action or ORG_VIEW))  # type: ignore[return-value]
    if model is Person:
        return queryset.filter(_person_q(user, action or PERSON_VIEW))
    if any(f.name == "organization" for f in model._meta.get_fields()):
        grants = grants_for(user, action or ORG_VIEW)
        if not grants:
            return queryset.none()
        q = Q()
        for g in grants:
            q |= Q(organization__path__startswith=g.path)
        return queryset.filter(q)
    raise TypeError(f"visible_to() does not know how to scope {model.__name__}")


def _org_q(grants: list[Grant], action: str) -> Q:
    if not grants:
        return Q(pk__in=[])
    q = Q()
    for g in grants:
        q |= Q(path__startswith=g.path)
    if action == ORG_VIEW:
        ancestors = {int(p) for g in grants for p in g.path.strip("/").split("/") if p}
        q |= Q(pk__in=sorted(ancestors))
    return q


def _person_q(user: Any, action: str) -> Q:
    grants = grants_for(user, action)
    self_q = (
        Q(pk=user.person_id) if user.person_id and action in (PERSON_VIEW, PERSONNEL_VIEW) else Q(pk__in=[])
    )
    if not grants:
        return self_q
    today = dt.date.today()
    current = (Q(starts_on__isnull=True) | Q(starts_on__lte=today)) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    scope = Q()
    for g in grants:
        in_scope = Q(organization__path__startswith=g.path)
        scope |= in_scope if g.role in SEES_FORMER_STAFF else (in_scope & current)
    return self_q | Q(Exists(Position.objects.filter(scope, person_id=OuterRef("pk"))))


# --- fetch ----------------------------------------------------------------------------------------
def get_for_user(user: Any, queryset: models.QuerySet[M], action: str | None = None, **lookup: Any) -> M:
    """One object the user may see, or 404 whether it is missing or not theirs."""
    try:
        return visible_to(user, queryset, action).get(**lookup)
    except ObjectDoesNotExist as exc:
        raise Http404("Not found") from exc


# --- conferring access through records ------------------------------------------------------------
def actions_on(user: Any, org: Organization) -> frozenset[str]:
    """Every action `user` holds on `org` through grants that cover it."""
    if _is_superuser(user):
        return ALL_ACTIONS
    held: set[str] = set()
    for g in effective_grants(user):
        if g.covers(org.path):
            held |= ROLE_ACTIONS.get(g.role, frozenset())
    return frozenset(held)


def may_confer_role(user: Any, role: str, org: Organization, *, person_id: int | None = None) -> bool:
    """May `user` record something (a position, an import row) that gives someone `role` on `org`?

    Only what the user could grant directly: role management there, or a role whose every action the
    user already holds there. Nobody raises their own access through a record about themselves unless
    they manage roles there. Used by every import and form that writes positions, so no side door
    grants what the access page would refuse."""
    if _is_superuser(user):
        return True
    held = actions_on(user, org)
    if ROLE_MANAGE in held:
        return True
    if person_id is not None and person_id == getattr(user, "person_id", None):
        return False
    return ROLE_ACTIONS.get(role, frozenset()) <= held


def may_confer_position(user: Any, position_role: str, org: Organization, *, person_id: int | None) -> bool:
    """`may_confer_role` for a position: the role it gives by default (none: anyone who may edit)."""
    role = POSITION_DEFAULT_ROLE.get(position_role)
    if role is None:
        return (
            person_id is None
            or person_id != getattr(user, "person_id", None)
            or bool(ROLE_MANAGE in actions_on(user, org))
        )
    return may_confer_role(user, role, org, person_id=person_id)
