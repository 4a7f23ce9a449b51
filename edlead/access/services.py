"""The only writers of role grants. Every change is audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from edlead.access.models import RoleGrant, User
from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.core.services import audit_record
from edlead.orgs.models import Organization


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
