"""Readers for account managers: the accounts and invitations in their scope, already narrowed."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from edlead.access import policy
from edlead.access.models import RoleGrant, User
from edlead.accounts.models import Invitation, InvitationQuerySet
from edlead.orgs.models import Organization
from edlead.people.models import Person

# Account managers hold one of these on an organization (administrators: both; HR: person.edit).
MANAGE_ACTIONS = (policy.ROLE_MANAGE, policy.PERSON_EDIT)


def may_manage_accounts(user: Any) -> bool:
    return any(policy.can(user, action) for action in MANAGE_ACTIONS)


def manageable_organizations(user: Any) -> QuerySet[Organization]:
    """Open organizations where the user may invite (for the form's choices)."""
    open_orgs = Organization.objects.filter(closed_on__isnull=True)
    scoped = Organization.objects.none()
    for action in MANAGE_ACTIONS:
        scoped = scoped | policy.visible_to(user, open_orgs, action)
    return scoped.distinct().order_by("kind", "name")


def _manager_paths(user: Any) -> list[str] | None:
    """Paths of the user's managing grants (None: everywhere, for a superuser)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return None
    return sorted({g.path for action in MANAGE_ACTIONS for g in policy.grants_for(user, action)})


def invitable_people(user: Any) -> QuerySet[Person]:
    return policy.visible_to(user, Person.objects.all(), policy.PERSON_EDIT)


def invitations_for(user: Any) -> InvitationQuerySet:
    """Invitations to organizations in the user's scope, newest first."""
    paths = _manager_paths(user)
    query = Invitation.objects.select_related("organization", "person", "invited_by", "user")
    if paths is None:
        return query
    if not paths:
        return query.none()
    scope = Q()
    for path in paths:
        scope |= Q(organization__path__startswith=path)
    return query.filter(scope)


def accounts_for(user: Any) -> QuerySet[User]:
    """Accounts whose person the user may edit, or that hold a role or an invitation in the user's
    scope, with their roles, latest invitation and whether they have two-factor sign-in."""
    from allauth.mfa.models import Authenticator

    paths = _manager_paths(user)
    query = User.objects.all()
    if paths is not None:
        if not paths:
            return query.none()
        in_scope = Q()
        for path in paths:
            in_scope |= Q(organization__path__startswith=path)
        query = query.filter(
            Q(person__in=invitable_people(user).values("pk"))
            | Exists(RoleGrant.objects.filter(in_scope, user_id=OuterRef("pk"), revoked_at__isnull=True))
            | Exists(Invitation.objects.filter(in_scope, user_id=OuterRef("pk")))
        )
    return (
        query.select_related("person")
        .annotate(
            has_mfa=Exists(
                Authenticator.objects.filter(
                    user_id=OuterRef("pk"),
                    type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN],
                )
            )
        )
        .prefetch_related(
            Prefetch(
                "role_grants",
                queryset=RoleGrant.objects.filter(revoked_at__isnull=True).select_related("organization"),
                to_attr="active_grants",
            ),
            Prefetch(
                "invitations",
                queryset=Invitation.objects.order_by("-created_at"),
                to_attr="invitations_received",
            ),
        )
        .order_by("email")
    )
