"""The only writers of role grants. Every change is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from edlead.access.models import Relationship, RoleGrant, User
from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.core.services import audit_record
from edlead.orgs.models import Organization
from edlead.people.models import Person


@transaction.atomic
def role_grant(
    *, user: User, role: str, organization: Organization, actor: Any = None, note: str = ""
) -> RoleGrant:
    if role not in RoleGrant.Role.values:
        raise ApplicationError(f"{role!r} is not a role.")
    if role == RoleGrant.Role.STATE_ADMIN and organization.kind != Organization.Kind.STATE:
        raise ApplicationError("The state administrator role is granted on the state agency.")
    if RoleGrant.objects.filter(
        user=user, role=role, organization=organization, revoked_at__isnull=True
    ).exists():
        raise ApplicationError(f"{user} already holds that role on {organization}.")
    grant = RoleGrant.objects.create(
        user=user, role=role, organization=organization, granted_by=actor, note=note
    )
    audit_record(
        action=AuditEvent.Action.ROLE_GRANTED,
        actor=actor,
        target=user,
        detail={"role": role, "organization": organization.pk, "organization_name": organization.name},
    )
    return grant


@transaction.atomic
def role_revoke(*, grant: RoleGrant, actor: Any = None) -> RoleGrant:
    grant = RoleGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at is not None:
        return grant
    grant.revoked_at = timezone.now()
    grant.revoked_by = actor
    grant.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    audit_record(
        action=AuditEvent.Action.ROLE_REVOKED,
        actor=actor,
        target=grant.user,
        detail={"role": grant.role, "organization": grant.organization_id},
    )
    return grant


# --- relationships --------------------------------------------------------------------------------
RELATIONSHIP_STARTED = "relationship_started"
RELATIONSHIP_ENDED = "relationship_ended"
RELATIONSHIP_VERBS = {
    RELATIONSHIP_STARTED: "Relationship started (access change)",
    RELATIONSHIP_ENDED: "Relationship ended (access change)",
}


def _check_may_manage(actor: Any, organization: Organization, people: list[Person]) -> None:
    from edlead.access import policy

    if not policy.may_manage_relationships(actor, organization):
        raise ApplicationError(f"You may not manage working relationships in {organization.name}.")
    visible = set(
        policy.visible_to(
            actor, Person.objects.filter(pk__in=[p.pk for p in people]), policy.PERSON_VIEW
        ).values_list("pk", flat=True)
    )
    for p in people:
        if p.pk not in visible:
            raise ApplicationError(f"{p.display_name} is not in your scope.")


@transaction.atomic
def relationship_start(
    *,
    actor: Any,
    kind: str,
    holder: Person,
    organization: Organization,
    person: Person | None = None,
    group: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    note: str = "",
) -> Relationship:
    """Record that `holder` is evaluator / coach / mentor of `person`, or member of / responder for
    `group`, from `starts_on` (today by default). Access follows at once; audited as an access change."""
    if kind not in Relationship.Kind.values:
        raise ApplicationError(f"{kind!r} is not a kind of relationship.")
    if person is not None and kind not in Relationship.PERSON_KINDS:
        raise ApplicationError("Members and responders belong to a group, not to a person.")
    if person is None and kind not in Relationship.GROUP_KINDS:
        raise ApplicationError("An evaluator, coach or mentor is of a person.")
    if actor is not None:  # None: the system itself (the demo seed), which checks nothing
        _check_may_manage(actor, organization, [holder, *([person] if person else [])])
    start = starts_on or timezone.localdate()
    overlapping = Relationship.objects.filter(kind=kind, holder=holder, person=person, group=group).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=start)
    )
    if overlapping.exists():
        raise ApplicationError("That relationship is already recorded for those dates.")
    rel = Relationship(
        kind=kind,
        holder=holder,
        person=person,
        group=group.strip(),
        organization=organization,
        starts_on=start,
        ends_on=ends_on,
        note=note.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    rel.full_clean()
    rel.save()
    _audit_relationship(RELATIONSHIP_STARTED, rel, actor)
    return rel


@transaction.atomic
def relationship_end(
    *, actor: Any, relationship: Relationship, ends_on: dt.date | None = None
) -> Relationship:
    """End a relationship on `ends_on` (today by default): the access it gave ends the day after."""
    rel = (
        Relationship.objects.select_for_update(of=("self",))
        .select_related("holder", "person", "organization")
        .get(pk=relationship.pk)
    )
    if actor is not None:  # None: the system, for an app that checked its own rule (a cohort's members)
        _check_may_manage(actor, rel.organization, [rel.holder, *([rel.person] if rel.person else [])])
    end = ends_on or timezone.localdate()
    if rel.ends_on is not None and rel.ends_on <= end:
        raise ApplicationError("That relationship has already ended.")
    if end < rel.starts_on:
        raise ApplicationError("A relationship cannot end before it starts.")
    rel.ends_on = end
    rel.ended_by = actor if getattr(actor, "is_authenticated", False) else None
    rel.save(update_fields=["ends_on", "ended_by", "updated_at"])
    _audit_relationship(RELATIONSHIP_ENDED, rel, actor)
    return rel


def _audit_relationship(verb: str, rel: Relationship, actor: Any) -> None:
    from edlead.people.apps import person_audit_scope

    paths = [rel.organization.path, *person_audit_scope(rel.holder)]
    if rel.person is not None:
        paths += person_audit_scope(rel.person)
    audit_record(
        action=verb,
        actor=actor,
        target=rel.person or rel.holder,
        target_label=str(rel),
        detail={
            "kind": rel.kind,
            "holder": rel.holder_id,
            "person": rel.person_id,
            "group": rel.group,
            "starts_on": rel.starts_on.isoformat(),
            "ends_on": rel.ends_on.isoformat() if rel.ends_on else None,
        },
        scope=paths,
    )
