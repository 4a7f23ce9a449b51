"""Who may read and change teacher-leadership records — all through the access module.

- The roles catalog (`TeacherLeaderRole`, by its district): read by anyone with a role in the district
  (`ORG_DIRECTORY`); managed — roles written, people assigned — by those who manage roles or edit people
  there (`ROLE_MANAGE` / `PERSON_EDIT`: district administrators and HR).
- A holder's learning and coaching on a role page: only what the reader may already read of that person
  (learning: `learning.LEARNING_RECORD`; coaching: hours, and only where `coaching.view` opens the
  person's coaching relationship — never a session's notes).
- A school's distributed-leadership guide: read by the school's staff (`ORG_VIEW` on the school, which
  also covers the district's supervisors and administrators), edited by its leaders (`PLAN_EDIT`); rated
  by its leaders and the members of the team it names.
- Bodies: `BODY_MEMBER` (declared rule) — the convener and the members (an access `Relationship` of kind
  member on the body's `group_key`, in force for their term). A council or team is read by the staff of
  its organization (`ORG_VIEW`) and by its members; it is run (meetings, decisions) by its members and the
  organization's leaders (`PLAN_EDIT`: school leaders and administrators; `PLAN_APPROVE`: the
  superintendent), whose leaders alone seat or unseat members. A state cabinet is managed by state
  administrators (`ORG_MANAGE` on the state); its members read all of it; anyone else on staff reads its
  public part (membership and the annual report)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from edlead.access import policy
from edlead.access.models import Relationship
from edlead.orgs.models import Organization
from edlead.teacherleaders.models import LeadershipBody, LeadershipPlan, TeacherLeaderRole

BODY_MEMBER = "teacherleaders.body.member"


def declare() -> None:
    """From TeacherleadersConfig.ready()."""
    policy.declare(
        LeadershipBody,
        BODY_MEMBER,
        policy.Rule(
            person="convener",
            group="group_key",
            group_kinds=frozenset({Relationship.Kind.MEMBER}),
            label="A leadership team, council, board or cabinet: its convener and its members",
        ),
    )


# --- the roles catalog -------------------------------------------------------------------------------------
def roles_readable(user: Any) -> QuerySet[TeacherLeaderRole]:
    return policy.visible_to(user, TeacherLeaderRole.objects.all(), policy.ORG_DIRECTORY)


def may_manage_catalog(user: Any, district: Organization) -> bool:
    return policy.can(user, policy.ROLE_MANAGE, district) or policy.can(user, policy.PERSON_EDIT, district)


def catalog_districts(user: Any) -> QuerySet[Organization]:
    """Districts whose catalog the user reads."""
    return policy.visible_to(
        user, Organization.objects.filter(kind=Organization.Kind.DISTRICT), policy.ORG_DIRECTORY
    )


# --- the distributed-leadership guide ----------------------------------------------------------------------
def plans_readable(user: Any) -> QuerySet[LeadershipPlan]:
    return policy.visible_to(user, LeadershipPlan.objects.all(), policy.ORG_VIEW)


def may_edit_plan(user: Any, school: Organization) -> bool:
    return policy.can(user, policy.PLAN_EDIT, school)


def may_rate(user: Any, plan: LeadershipPlan) -> bool:
    if not getattr(user, "person_id", None):
        return False
    if may_edit_plan(user, plan.organization):
        return True
    return plan.team is not None and policy.can(user, BODY_MEMBER, plan.team)


# --- bodies ------------------------------------------------------------------------------------------------
def bodies_readable(user: Any) -> QuerySet[LeadershipBody]:
    base = LeadershipBody.objects.all()
    found = policy.visible_to(user, base, policy.ORG_VIEW) | policy.visible_to(user, base, BODY_MEMBER)
    if policy.can(user, policy.ORG_DIRECTORY):  # the public part of the state's cabinets
        found = found | base.filter(kind__in=LeadershipBody.CABINETS)
    return found


def get_body(user: Any, pk: int) -> LeadershipBody:
    """One body the user may read, or 404 for "missing" and "not yours" alike."""
    found = bodies_readable(user).filter(pk=pk).select_related("organization", "convener").first()
    if found is None:
        raise Http404("No such body.")
    return found


def leads(user: Any, org: Organization) -> bool:
    """The organization's leaders: a school's leaders and administrators (`PLAN_EDIT`), a district's
    superintendent (`PLAN_APPROVE`), the state's administrators (`ORG_MANAGE`)."""
    if org.kind == Organization.Kind.STATE:
        return policy.can(user, policy.ORG_MANAGE, org)
    return policy.can(user, policy.PLAN_EDIT, org) or policy.can(user, policy.PLAN_APPROVE, org)


def is_member(user: Any, body: LeadershipBody) -> bool:
    return policy.can(user, BODY_MEMBER, body)


def may_seat(user: Any, body: LeadershipBody) -> bool:
    """Seat and unseat members: the organization's leaders (state administrators for a cabinet)."""
    return leads(user, body.organization)


def may_run(user: Any, body: LeadershipBody) -> bool:
    """Record meetings and decisions: the leaders, and for a council or team its members too."""
    if leads(user, body.organization):
        return True
    return not body.is_cabinet and is_member(user, body)


def may_read_inside(user: Any, body: LeadershipBody) -> bool:
    """Meetings' agendas and minutes, attendance, the decision log: a cabinet's members and managers; for
    other bodies everyone who reads them."""
    if not body.is_cabinet:
        return True
    return leads(user, body.organization) or is_member(user, body)


def managed_bodies(user: Any) -> QuerySet[LeadershipBody]:
    """The bodies whose members `user` seats (for the work queue)."""
    base = LeadershipBody.objects.filter(is_active=True)
    schools = policy.visible_to(user, base.exclude(kind__in=LeadershipBody.CABINETS), policy.PLAN_EDIT)
    districts = policy.visible_to(user, base.exclude(kind__in=LeadershipBody.CABINETS), policy.PLAN_APPROVE)
    state = policy.visible_to(
        user, base.filter(kind__in=LeadershipBody.CABINETS, organization__kind="state"), policy.ORG_MANAGE
    )
    return base.filter(
        Q(pk__in=schools.values("pk")) | Q(pk__in=districts.values("pk")) | Q(pk__in=state.values("pk"))
    )
