"""The access chokepoint: who may do what, where. Every view, list and export asks this module.

- `can(user, action, obj=None)`: may the user do `action` to `obj` (or anywhere, when obj is None)?
- `visible_to(user, queryset, action)`: the queryset narrowed to what the user may do `action` to
  (the action is always named).
- `get_for_user(user, queryset, action, **lookup)`: one object, or 404 for "missing" and
  "not yours" alike, so a URL never reveals that a record exists.

Three levels of seeing a person: the *directory card* (name, current titles and schools, supervisor)
for everyone in the same district; the *record* (position history, schools led) for those whose
roles cover the person's organization; *personnel details* (MEPID, e-mail, FTE) only up the chain —
supervisors, HR and administrators — never down or sideways, and only while the person works in
the reader's scope. Organizations likewise: every node of one's own district is open as a directory
page (`ORG_DIRECTORY`), while `ORG_VIEW` is the working scope ("my schools").

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

from edlead.access.models import Relationship, RoleGrant
from edlead.orgs.models import Organization, SupervisionOverride
from edlead.people.models import Person, Position

Role = RoleGrant.Role
PositionRole = Position.Role

# --- Actions --------------------------------------------------------------------------------------
ORG_VIEW = "org.view"
ORG_DIRECTORY = "org.directory"  # the directory page of any node in one's district (public facts)
PERSON_DIRECTORY = "person.directory"  # a colleague's directory card: name, current titles, supervisor
ORG_MANAGE = "org.manage"  # create networks, move schools between them, set supervision overrides
PERSON_VIEW = "person.view"
PERSONNEL_VIEW = "person.view_personnel"  # MEPID, employee number, e-mail, FTE: audited on read
PERSON_EDIT = "person.edit"
ROLE_MANAGE = "role.manage"
IMPORT_RUN = "import.run"
AUDIT_VIEW = "audit.view"
FRAMEWORK_VIEW = "framework.view"  # evaluation rubrics: the state's to every role, a district's copy in it
FRAMEWORK_MANAGE = "framework.manage"  # copy, edit, publish: the state's (state grant) or a district's
POSTING_VIEW = "posting.view"  # postings, their eligible candidates, bench strength (edlead/credentials)
POSTING_MANAGE = "posting.manage"  # open and fill postings, edit the district's role requirements
PROGRAM_VIEW = "program.view"  # the learning catalog: the state's programs to everyone, a district's to it
PROGRAM_MANAGE = "program.manage"  # run programs: the state's (state grant) or a district's (edlead/learning)
PLAN_VIEW = "plan.view"  # school improvement plans (edlead/plans): read a school's plans
PLAN_EDIT = "plan.edit"  # draft and revise a school's plan, report its progress (the school's leaders)
PLAN_ENDORSE = "plan.endorse"  # return a submitted plan with comments or endorse it (principal supervisor)
PLAN_APPROVE = "plan.approve"  # approve an endorsed plan (the superintendent; see edlead/plans/services.py)
NETWORK_VIEW = "network.view"  # a principal network's meetings, agendas, peer pairs (edlead/networks)
NETWORK_MANAGE = "network.manage"  # plan a network's meetings, record attendance, pair its principals
HIRING_ADVICE = "posting.advise"  # a posting's slate and the supervisors' hiring notes (edlead/credentials)
SUPPORT_VIEW = "support.view"  # department support requests (edlead/support): read a school's requests
SUPPORT_ROUTE = "support.route"  # route a school's request to a department (its leaders and supervisor)
SUPPORT_MANAGE = "support.manage"  # name a district's department responders (administrators, superintendent)
PIPELINE_VIEW = (
    "pipeline.view"  # a district's aspiring-leader pool, succession view, placements (edlead/pipeline)
)
SUCCESSION_EDIT = (
    "succession.edit"  # name successors for a school's principal post (supervisor, superintendent)
)
NEWS_PUBLISH = "news.publish"  # digests, reflection reviews, recognition programs (edlead/communications)

ALL_ACTIONS = frozenset(
    {
        ORG_VIEW,
        ORG_DIRECTORY,
        ORG_MANAGE,
        PERSON_DIRECTORY,
        PERSON_VIEW,
        PERSONNEL_VIEW,
        PERSON_EDIT,
        ROLE_MANAGE,
        IMPORT_RUN,
        AUDIT_VIEW,
        FRAMEWORK_VIEW,
        FRAMEWORK_MANAGE,
        POSTING_VIEW,
        POSTING_MANAGE,
        PROGRAM_VIEW,
        PROGRAM_MANAGE,
        PLAN_VIEW,
        PLAN_EDIT,
        PLAN_ENDORSE,
        PLAN_APPROVE,
        NETWORK_VIEW,
        NETWORK_MANAGE,
        HIRING_ADVICE,
        SUPPORT_VIEW,
        SUPPORT_ROUTE,
        SUPPORT_MANAGE,
        PIPELINE_VIEW,
        SUCCESSION_EDIT,
        NEWS_PUBLISH,
    }
)
# Duties a role carries in a workflow (writing, endorsing, approving a school's plan), not access to other
# people's records: HR records a principal's position without holding the principal's duties.
DUTY_ACTIONS = frozenset(
    {PLAN_VIEW, PLAN_EDIT, PLAN_ENDORSE, PLAN_APPROVE, NETWORK_VIEW, NETWORK_MANAGE, HIRING_ADVICE}
    | {SUPPORT_VIEW, SUPPORT_ROUTE, SUPPORT_MANAGE, PIPELINE_VIEW, SUCCESSION_EDIT, NEWS_PUBLISH}
)
# The supervisor's and the superintendent's decisions on a plan are theirs, not an administrator's.
# Hiring notes are for the district's principal supervisors, superintendent and HR, not administrators.
# Routing a support request is for a school's leaders and supervisor (edlead/support).
# Naming a school's successors is the supervisor's and the superintendent's judgement (edlead/pipeline).
ADMIN_ACTIONS = ALL_ACTIONS - {PLAN_ENDORSE, PLAN_APPROVE, HIRING_ADVICE, SUPPORT_ROUTE, SUCCESSION_EDIT}
# Every role sees its district's directory: organizations and colleagues' cards (and its rubrics).
DIRECTORY_ACTIONS = frozenset({ORG_DIRECTORY, PERSON_DIRECTORY, FRAMEWORK_VIEW})
# Records with no organization belong to the whole state (the state's evaluation frameworks): for these
# actions only, every holder of the reading action sees them and a state-level grant manages them.
STATE_RECORD_READ = frozenset({FRAMEWORK_VIEW, PROGRAM_VIEW})
STATE_RECORD_MANAGE = frozenset({FRAMEWORK_MANAGE, PROGRAM_MANAGE})
# Records an organization offers to the people under it (a district's programs): a grant also reads the
# records of the organizations above its own (a principal sees what their district and network offer).
ANCESTOR_RECORD_READ = frozenset({PROGRAM_VIEW, NETWORK_VIEW})  # a principal reads their network's meetings
# Actions a grant holds in its whole district (every principal supervisor advises on every posting).
# The succession view and the pool are shared by the district's supervisors and superintendent (edlead/pipeline).
DISTRICT_WIDE_ACTIONS = frozenset({HIRING_ADVICE, PIPELINE_VIEW})
# Every staff role reads the learning catalog (not the school committee: elected, not staff).
STAFF_ACTIONS = DIRECTORY_ACTIONS | {PROGRAM_VIEW}

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.STATE_ADMIN: ADMIN_ACTIONS,
    Role.DISTRICT_ADMIN: ADMIN_ACTIONS,
    Role.SUPERINTENDENT: STAFF_ACTIONS
    | {ORG_VIEW, PERSON_VIEW, PERSONNEL_VIEW, AUDIT_VIEW, POSTING_VIEW, PLAN_VIEW, PLAN_APPROVE}
    | {NETWORK_VIEW, HIRING_ADVICE, SUPPORT_VIEW, SUPPORT_MANAGE, PIPELINE_VIEW, SUCCESSION_EDIT}
    | {NEWS_PUBLISH},
    Role.HR: STAFF_ACTIONS
    | {ORG_VIEW, PERSON_VIEW, PERSONNEL_VIEW, PERSON_EDIT, IMPORT_RUN, POSTING_VIEW, POSTING_MANAGE}
    | {HIRING_ADVICE, PIPELINE_VIEW},
    Role.PRINCIPAL_SUPERVISOR: STAFF_ACTIONS
    | {ORG_VIEW, PERSON_VIEW, PERSONNEL_VIEW, PLAN_VIEW, PLAN_ENDORSE}
    | {NETWORK_VIEW, NETWORK_MANAGE, HIRING_ADVICE, SUPPORT_VIEW, SUPPORT_ROUTE}
    | {PIPELINE_VIEW, SUCCESSION_EDIT},
    Role.SCHOOL_LEADER: STAFF_ACTIONS
    | {ORG_VIEW, PERSON_VIEW, PERSONNEL_VIEW, PLAN_VIEW, PLAN_EDIT}
    | {NETWORK_VIEW, SUPPORT_VIEW, SUPPORT_ROUTE},
    Role.COACH: STAFF_ACTIONS | {ORG_VIEW, PERSON_VIEW},
    Role.EDUCATOR: STAFF_ACTIONS | {ORG_VIEW},
    Role.PROGRAM_COORDINATOR: STAFF_ACTIONS | {ORG_VIEW, PERSON_VIEW, PROGRAM_MANAGE, PIPELINE_VIEW},
    Role.CABINET: STAFF_ACTIONS | {ORG_VIEW, PERSON_VIEW, PLAN_VIEW},
    # Elected, not staff: the district's directory; records only where a rule names the role (the
    # superintendent's professional development plan, edlead/credentials).
    Role.SCHOOL_COMMITTEE: DIRECTORY_ACTIONS,
}

# Personnel details flow up the chain: a grant reads them for people whose current position there
# ranks below the grant's own rank. Ranks of positions, and of grants given explicitly.
POSITION_RANK: dict[str, int] = {
    PositionRole.TEACHER: 1,
    PositionRole.TEACHER_LEADER: 1,
    PositionRole.COACH: 1,
    PositionRole.OTHER: 1,
    PositionRole.ASSISTANT_PRINCIPAL: 2,
    PositionRole.PRINCIPAL: 3,
    PositionRole.PRINCIPAL_SUPERVISOR: 4,
    PositionRole.DIRECTOR: 4,
    PositionRole.ASSISTANT_SUPERINTENDENT: 5,
    PositionRole.SUPERINTENDENT: 6,
}
TOP_RANK = 99  # administrators and HR: everyone in scope
ROLE_RANK: dict[str, int] = {
    Role.SCHOOL_LEADER: POSITION_RANK[PositionRole.PRINCIPAL],
    Role.PRINCIPAL_SUPERVISOR: POSITION_RANK[PositionRole.PRINCIPAL_SUPERVISOR],
    Role.SUPERINTENDENT: POSITION_RANK[PositionRole.SUPERINTENDENT],
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
    rank: int = TOP_RANK  # whose personnel details it reads: positions ranked below this

    @property
    def district_path(self) -> str:
        """The path of the district the grant sits in (the grant's own path at state level)."""
        parts = [p for p in self.path.strip("/").split("/") if p]
        return "/" + "/".join(parts[:2]) + "/" if len(parts) >= 2 else self.path

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
        rank = ROLE_RANK.get(row.role, TOP_RANK)
        grants[(row.role, org.pk)] = Grant(row.role, org.pk, org.name, org.path, False, rank)
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
            grant = Grant(role, org.pk, org.name, org.path, True, POSITION_RANK.get(pos.role, 1))
            kept = grants.get((role, org.pk))
            if kept is None or (kept.derived and kept.rank < grant.rank):
                grants[(role, org.pk)] = grant
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
                key,
                Grant(
                    Role.PRINCIPAL_SUPERVISOR,
                    school.pk,
                    school.name,
                    school.path,
                    True,
                    POSITION_RANK[PositionRole.PRINCIPAL_SUPERVISOR],
                ),
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
    """May `user` do `action` to `obj`? With no obj: may they do it anywhere at all?

    For an object, `can` is `visible_to` on a one-row queryset, so the two always agree."""
    if action not in ALL_ACTIONS and action not in _DECLARED_ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if _is_superuser(user):
        return True
    if action in _DECLARED_ACTIONS:
        if obj is None:
            raise TypeError(f"{action!r} is a record rule: ask about a record")
        return visible_to(user, type(obj)._default_manager.filter(pk=obj.pk), action).exists()
    if obj is None:
        return bool(grants_for(user, action))
    if isinstance(obj, Organization):
        return _org_allowed(user, obj, action)
    if isinstance(obj, Person):
        if obj.pk == user.person_id and action in SELF_ACTIONS:
            return True
        return visible_to(user, Person.objects.filter(pk=obj.pk), action).exists()
    organization = getattr(obj, "organization", None)
    if isinstance(organization, Organization):
        # Records that belong to an organization: grants covering it, and for the actions that read the
        # records of the organizations above one's own (a district's programs), grants below it too —
        # as `visible_to` filters.
        grants = _scoped_grants(user, action)
        if any(g.covers(organization.path) for g in grants):
            return True
        return action in ANCESTOR_RECORD_READ and any(g.path.startswith(organization.path) for g in grants)
    if organization is None and action in STATE_RECORD_READ | STATE_RECORD_MANAGE:
        return _state_record_allowed(_scoped_grants(user, action), action)
    raise TypeError(f"can() does not know how to scope {type(obj).__name__}")


def _scoped_grants(user: Any, action: str) -> list[Grant]:
    """Grants for `action`, with directory actions widened to the whole district of each grant."""
    grants = grants_for(user, action)
    if action in DIRECTORY_ACTIONS or action in DISTRICT_WIDE_ACTIONS:
        return [Grant(g.role, g.org_id, g.org_name, g.district_path, g.derived, g.rank) for g in grants]
    return grants


def _state_record_allowed(grants: list[Grant], action: str) -> bool:
    """A record of the whole state (no organization): read by any holder of a `STATE_RECORD_READ`
    action, managed only through a grant on the state itself."""
    if action in STATE_RECORD_READ:
        return bool(grants)
    return action in STATE_RECORD_MANAGE and any(g.path.count("/") == 2 for g in grants)


def _org_allowed(user: Any, org: Organization, action: str) -> bool:
    grants = _scoped_grants(user, action)
    if any(g.covers(org.path) for g in grants):
        return True
    # Seeing an organization includes seeing the nodes above one's own (for context, names only).
    return action in ORG_READ_ACTIONS and any(g.path.startswith(org.path) for g in grants)


SELF_ACTIONS = frozenset({PERSON_DIRECTORY, PERSON_VIEW, PERSONNEL_VIEW})
ORG_READ_ACTIONS = frozenset({ORG_VIEW, ORG_DIRECTORY, NETWORK_VIEW})  # NETWORK_VIEW: a principal's network

# --- visible_to -----------------------------------------------------------------------------------
M = TypeVar("M", bound=models.Model)


def visible_to(user: Any, queryset: models.QuerySet[M], action: str) -> models.QuerySet[M]:
    """Narrow `queryset` to what `user` may do `action` to."""
    model = queryset.model
    rule = _RULES.get((model._meta.label_lower, action))
    if action not in ALL_ACTIONS and rule is None:
        if action in _DECLARED_ACTIONS:
            raise TypeError(f"No rule for {action!r} on {model.__name__}: declare one with policy.declare")
        raise ValueError(f"Unknown action {action!r}")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if _is_superuser(user):
        return queryset
    if rule is not None:
        return queryset.filter(rule_q(user, rule))
    if model is Organization:
        return queryset.filter(_org_q(_scoped_grants(user, action), action))  # type: ignore[return-value]
    if model is Person:
        return queryset.filter(_person_q(user, action))
    if any(f.name == "organization" for f in model._meta.get_fields()):
        grants = _scoped_grants(user, action)
        if not grants:
            return queryset.none()
        q = Q()
        for g in grants:
            q |= Q(organization__path__startswith=g.path)
        if action in ANCESTOR_RECORD_READ:
            above = {int(p) for g in grants for p in g.path.strip("/").split("/") if p}
            q |= Q(organization_id__in=sorted(above))
        if _state_record_allowed(grants, action):
            q |= Q(organization__isnull=True)
        return queryset.filter(q)
    raise TypeError(f"visible_to() does not know how to scope {model.__name__}")


def _org_q(grants: list[Grant], action: str) -> Q:
    if not grants:
        return Q(pk__in=[])
    q = Q()
    for g in grants:
        q |= Q(path__startswith=g.path)
    if action in ORG_READ_ACTIONS:
        ancestors = {int(p) for g in grants for p in g.path.strip("/").split("/") if p}
        q |= Q(pk__in=sorted(ancestors))
    return q


def _current_q(today: dt.date) -> Q:
    return (Q(starts_on__isnull=True) | Q(starts_on__lte=today)) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )


def _person_q(user: Any, action: str) -> Q:
    grants = _scoped_grants(user, action)
    self_q = Q(pk=user.person_id) if user.person_id and action in SELF_ACTIONS else Q(pk__in=[])
    if not grants:
        return self_q
    today = dt.date.today()
    current = _current_q(today)
    if action == PERSON_DIRECTORY:
        # Anyone who works or worked in one of the user's districts (the card shows only that part).
        scope = Q()
        for g in grants:
            scope |= Q(organization__path__startswith=g.path)
        return self_q | Q(Exists(Position.objects.filter(scope, person_id=OuterRef("pk"))))
    if action == PERSONNEL_VIEW:
        return self_q | _personnel_q(grants, today)
    scope = Q()
    for g in grants:
        in_scope = Q(organization__path__startswith=g.path)
        scope |= in_scope if g.role in SEES_FORMER_STAFF else (in_scope & current)
    return self_q | Q(Exists(Position.objects.filter(scope, person_id=OuterRef("pk"))))


def _personnel_q(grants: list[Grant], today: dt.date) -> Q:
    """Up the chain only: people whose current position in the grant's scope ranks below the grant.
    Former staff: only to roles that keep former staff, and only while the person works nowhere else
    (a person's details belong to their current employer)."""
    current = _current_q(today)
    below = Q()
    former_scope = Q()
    for g in grants:
        in_scope = Q(organization__path__startswith=g.path)
        if g.rank >= TOP_RANK:
            below |= in_scope & current
        else:
            lower = [r for r, rank in POSITION_RANK.items() if rank < g.rank]
            below |= in_scope & current & Q(role__in=lower)
        if g.role in SEES_FORMER_STAFF:
            former_scope |= in_scope
    q = Q(Exists(Position.objects.filter(below, person_id=OuterRef("pk"))))
    if former_scope:
        working = Position.objects.filter(current, person_id=OuterRef("pk"))
        q |= Q(Exists(Position.objects.filter(former_scope, person_id=OuterRef("pk")))) & ~Q(Exists(working))
    return q


def person_record_scope(user: Any, person: Person) -> Q | None:
    """Which of `person`'s positions the user's record view shows: None for the whole history (the
    person works in the user's scope now, is the user, or the user is a superuser); else a filter on
    positions to the user's own scope — a former employee seen by their old district shows only the
    history in that district."""
    if _is_superuser(user) or person.pk == getattr(user, "person_id", None):
        return None
    grants = grants_for(user, PERSON_VIEW)
    today = dt.date.today()
    scope = Q()
    for g in grants:
        scope |= Q(organization__path__startswith=g.path)
    if not grants:
        return Q(pk__in=[])
    if any(g.path == "/" + g.path.strip("/").split("/")[0] + "/" for g in grants):
        return None  # a state-level grant sees the whole state
    if Position.objects.filter(scope, _current_q(today), person=person).exists():
        return None
    return scope


def directory_scope(user: Any) -> Q:
    """Positions in the user's districts (what a directory card shows)."""
    if _is_superuser(user):
        return Q()
    scope = Q(pk__in=[])
    for g in _scoped_grants(user, PERSON_DIRECTORY):
        scope |= Q(organization__path__startswith=g.path)
    return scope


# --- record rules declared beside their models ----------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """Who may do one action to the records of one model, declared once beside the model:

        policy.declare(Evaluation, "evaluation.view",
                       policy.Rule(person="educator", relationships=frozenset({"evaluator"}),
                                   chain=True, roles=frozenset({Role.HR})))

    - `person`: the path from the record to the Person it is about ("" when the record is a Person).
    - `owner`: that person sees their own record ("my licence", "my plan").
    - `relationships`: kinds of `Relationship` whose holder sees the records of its person.
    - `group` / `group_kinds`: a path from the record to a group key; holders of a member / responder
      relationship to that group see it.
    - `chain`: the person's supervision chain — school leaders, principal supervisors and
      superintendents whose grant covers the person's current organization and outranks their position.
    - `roles`: roles (HR, administrators) whose grant covers the person's organization, at any rank.
    Nothing else gives access: holding some other role on the person's school gives nothing."""

    person: str = ""
    owner: bool = True
    relationships: frozenset[str] = frozenset()
    chain: bool = False
    roles: frozenset[str] = frozenset()
    group: str = ""
    group_kinds: frozenset[str] = frozenset()
    label: str = ""


CHAIN_ROLES = frozenset({Role.SCHOOL_LEADER, Role.PRINCIPAL_SUPERVISOR, Role.SUPERINTENDENT})
_RULES: dict[tuple[str, str], Rule] = {}
_DECLARED_ACTIONS: set[str] = set()


def declare(model: type[models.Model], action: str, rule: Rule) -> None:
    """Declare (from the model's app) who may do `action` to `model`'s records. `can`, `visible_to`
    and `get_for_user` then apply it, and the access matrix test covers it."""
    if action in ALL_ACTIONS:
        raise ValueError(f"{action!r} is a built-in action; declare a new one for records")
    if rule.person == "" and model is not Person:
        raise ValueError("A rule on a record other than a person names the path to its person")
    _RULES[(model._meta.label_lower, action)] = rule
    _DECLARED_ACTIONS.add(action)


def is_action(name: str) -> bool:
    """A built-in action or one a model has declared a rule for."""
    return name in ALL_ACTIONS or name in _DECLARED_ACTIONS


def declared_rules() -> dict[tuple[str, str], Rule]:
    """Every declared (model label, action) → rule."""
    return dict(_RULES)


def rule_q(user: Any, rule: Rule) -> Q:
    """The filter a declared rule puts on its model's records for `user`."""
    today = dt.date.today()
    ref = rule.person or "pk"
    q = Q(pk__in=[])
    pid = getattr(user, "person_id", None)
    if pid:
        if rule.owner:
            q |= Q(**{ref: pid})
        mine = Relationship.objects.active(today).filter(holder_id=pid)
        if rule.relationships:
            people = mine.filter(kind__in=sorted(rule.relationships), person__isnull=False)
            q |= Q(**{f"{ref}__in": people.values("person_id")})
        if rule.group:
            kinds = sorted(rule.group_kinds or Relationship.GROUP_KINDS)
            q |= Q(**{f"{rule.group}__in": mine.filter(kind__in=kinds).exclude(group="").values("group")})
    # Chain grants keep their rank (up the chain only); roles named by the rule read at any rank.
    grants = [
        Grant(g.role, g.org_id, g.org_name, g.path, g.derived, TOP_RANK) if g.role in rule.roles else g
        for g in effective_grants(user)
        if (rule.chain and g.role in CHAIN_ROLES) or g.role in rule.roles
    ]
    if grants:
        people_q = _personnel_q(grants, today)
        # Correlated (EXISTS for this record's person), not `person IN (everyone in scope)`: under the OR
        # of the rule's other parts PostgreSQL cannot turn an IN into a join, and would list every person
        # of the grant's scope first (a state's 70,000: seconds) to check a handful of records.
        q |= Q(Exists(Person.objects.filter(people_q, pk=OuterRef(ref))))
    return q


# Records kept on a person's file (attachments, notes) name one of these as the action that guards them.
PERSON_SHARED = "person.shared_record"  # shared with their coach and mentor as well
PERSON_RESTRICTED = "person.restricted_record"  # evaluator, supervision chain and HR only
_FILE_KEEPERS = frozenset({Role.HR, Role.DISTRICT_ADMIN, Role.STATE_ADMIN})
declare(
    Person,
    PERSON_SHARED,
    Rule(
        relationships=frozenset(
            {Relationship.Kind.EVALUATOR, Relationship.Kind.COACH, Relationship.Kind.MENTOR}
        ),
        chain=True,
        roles=_FILE_KEEPERS,
        label="A person's shared record: themselves, their evaluator, coach and mentor, their supervision chain, HR",
    ),
)
declare(
    Person,
    PERSON_RESTRICTED,
    Rule(
        relationships=frozenset({Relationship.Kind.EVALUATOR}),
        chain=True,
        roles=_FILE_KEEPERS,
        label="A person's restricted record: themselves, their evaluator, their supervision chain, HR",
    ),
)


# --- fetch ----------------------------------------------------------------------------------------
def get_for_user(user: Any, queryset: models.QuerySet[M], action: str, **lookup: Any) -> M:
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


def may_manage_relationships(user: Any, org: Organization) -> bool:
    """May `user` record or end working relationships (evaluator, coach, mentor…) in `org`? Those who
    manage roles or edit people there: district administrators and HR."""
    return bool(actions_on(user, org) & {ROLE_MANAGE, PERSON_EDIT})


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
    return ROLE_ACTIONS.get(role, frozenset()) - DUTY_ACTIONS <= held


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
