"""The only writers of invitations and account status. Every step is audited.

- `invitation_create` checks the inviter's scope and that they could grant the role directly, stores
  the invitation with the hash of a random token, and e-mails the link once the transaction commits.
- `invitation_resend` issues a new token (the old link stops working) and a new expiry.
- `invitation_revoke` ends an open invitation.
- `invitation_check` turns a link's token into its invitation, or refuses it (`InvitationRefused`)
  when forged, expired, already used or revoked — changing nothing.
- `invitation_accept` creates (or activates a never-used) account linked to the person, grants the
  role through `edlead.access.services.role_grant`, and marks the invitation used.
- `account_deactivate` / `account_reactivate` switch an account off and on.

Single sign-on hook: the acceptance page lists every choice registered with `sign_in_choice_register`
(e.g. "Continue with Google Workspace"); such a flow keeps the link's token across the provider's
round trip (the session) and calls `invitation_accept(token=..., password=None)` once the provider has
vouched for the invitation's address, which opens the account without a password.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from edlead.access import policy
from edlead.access import services as access_services
from edlead.access.models import RoleGrant, User
from edlead.accounts.models import Invitation
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

# Audit verbs this app writes (registered in apps.py).
INVITATION_SENT = "invitation_sent"
INVITATION_RESENT = "invitation_resent"
INVITATION_REVOKED = "invitation_revoked"
INVITATION_ACCEPTED = "invitation_accepted"
INVITATION_REFUSED = "invitation_link_refused"
ACCOUNT_DEACTIVATED = "account_deactivated"
ACCOUNT_REACTIVATED = "account_reactivated"
AUDIT_VERBS = {
    INVITATION_SENT: "Invitation sent",
    INVITATION_RESENT: "Invitation sent again",
    INVITATION_REVOKED: "Invitation revoked",
    INVITATION_ACCEPTED: "Invitation accepted",
    INVITATION_REFUSED: "Invitation link refused",
    ACCOUNT_DEACTIVATED: "Account deactivated",
    ACCOUNT_REACTIVATED: "Account reactivated",
}

PRODUCT_NAME = "EdLead"


def invitation_days() -> int:
    return int(getattr(settings, "EDLEAD_INVITATION_DAYS", 14))


def site_url() -> str:
    return str(getattr(settings, "EDLEAD_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- who may invite --------------------------------------------------------------------------------
def may_manage_accounts_at(user: Any, org: Organization) -> bool:
    """Account managers of `org`: those who manage roles or edit people there (administrators, HR)."""
    held = policy.actions_on(user, org)
    return policy.ROLE_MANAGE in held or policy.PERSON_EDIT in held


def may_invite(user: Any, *, role: str, organization: Organization, person: Person | None) -> str:
    """Why `user` may not invite (for a message), or "" when they may. The person, when given, must be
    one the user may edit; the role one the user could grant directly there."""
    if role == RoleGrant.Role.STATE_ADMIN and organization.kind != Organization.Kind.STATE:
        return "The state administrator role is granted on the state agency."
    if not may_manage_accounts_at(user, organization):
        return f"You do not manage accounts at {organization.name}."
    if person is not None and not policy.can(user, policy.PERSON_EDIT, person):
        return "That person is not among the people you may invite."
    if not policy.may_confer_role(user, role, organization, person_id=person.pk if person else None):
        return (
            f"You may not give the {RoleGrant.Role(role).label} role at {organization.name}: "
            "ask someone who manages roles there."
        )
    return ""


# --- the district a message speaks for -------------------------------------------------------------
def district_name_for_org(org: Organization | None) -> str:
    if org is None:
        return ""
    if org.kind in (Organization.Kind.DISTRICT, Organization.Kind.STATE):
        return org.name
    if org.district_id:
        district = Organization.objects.only("name").filter(pk=org.district_id).first()
        return district.name if district else ""
    return ""


def current_organization(person_id: int) -> Organization | None:
    """Where the person works now: the organization of their current (primary) position."""
    position = (
        Position.objects.current()
        .filter(person_id=person_id)
        .select_related("organization")
        .order_by("-is_primary", "pk")
        .first()
    )
    return position.organization if position else None


def district_name_for_user(user: Any) -> str:
    """The district of the person's current (primary) position, else of the account's first role."""
    if user is None or getattr(user, "pk", None) is None:
        return ""
    if user.person_id:
        organization = current_organization(user.person_id)
        if organization is not None:
            return district_name_for_org(organization)
    grant = (
        RoleGrant.objects.filter(user=user, revoked_at__isnull=True)
        .select_related("organization")
        .order_by("pk")
        .first()
    )
    return district_name_for_org(grant.organization if grant else None)


def district_name_for_email(email: str) -> str:
    user = User.objects.filter(email__iexact=email).first() if email else None
    if user is not None:
        return district_name_for_user(user)
    invitation = Invitation.objects.filter(email__iexact=email).select_related("organization").first()
    return district_name_for_org(invitation.organization if invitation else None)


# --- invitations ------------------------------------------------------------------------------------
def _existing_account(email: str, person: Person | None) -> User | None:
    found = User.objects.filter(email__iexact=email).first()
    if found is None and person is not None:
        found = User.objects.filter(person=person).first()
    return found


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


@transaction.atomic
def invitation_create(
    *,
    actor: Any,
    role: str,
    organization: Organization,
    person: Person | None = None,
    email: str = "",
    request: HttpRequest | None = None,
) -> Invitation:
    """Invite `person` (at their e-mail, or `email`) or a new address to `role` on `organization`."""
    if role not in RoleGrant.Role.values:
        raise ApplicationError(f"{role!r} is not a role.")
    if actor is not None:
        refusal = may_invite(actor, role=role, organization=organization, person=person)
        if refusal:
            raise ApplicationError(refusal)
    email = (email or (person.email if person else "")).strip().lower()
    if not email:
        raise ApplicationError(
            f"{person.display_name if person else 'This person'} has no e-mail address in EdLead: enter one."
        )
    account = _existing_account(email, person)
    if account is not None:
        if account.is_active:
            raise ApplicationError(
                f"{account.email} already has an account: give it the role on the Access page."
            )
        if account.has_usable_password() or account.last_login is not None:
            raise ApplicationError(
                f"{account.email} has a deactivated account: reactivate it on the Accounts page."
            )
    open_one = (
        Invitation.objects.select_for_update()
        .filter(email=email, role=role, organization=organization)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if open_one is not None:
        if open_one.is_pending:
            raise ApplicationError(
                f"{email} already has an invitation waiting for that role there: send it again instead."
            )
        return invitation_resend(invitation=open_one, actor=actor, request=request)
    token, digest = _new_token()
    invitation = Invitation(
        email=email,
        person=person,
        role=role,
        organization=organization,
        invited_by=actor if getattr(actor, "is_authenticated", False) else None,
        token_hash=digest,
        expires_at=timezone.now() + dt.timedelta(days=invitation_days()),
    )
    invitation.full_clean()
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as exc:  # a second tab or import made the same invitation meanwhile
        raise ApplicationError(f"{email} was invited to that role there a moment ago.") from exc
    _audit(INVITATION_SENT, actor, invitation, request)
    _send_on_commit(invitation, token, request)
    return invitation


@transaction.atomic
def invitation_resend(
    *, invitation: Invitation, actor: Any, request: HttpRequest | None = None
) -> Invitation:
    """A new link (the old one stops working) valid for another EDLEAD_INVITATION_DAYS."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ApplicationError("This invitation has been accepted: there is nothing to send.")
    if invitation.revoked_at is not None:
        raise ApplicationError("This invitation was revoked: invite the person again.")
    token, invitation.token_hash = _new_token()
    invitation.expires_at = timezone.now() + dt.timedelta(days=invitation_days())
    invitation.full_clean()
    invitation.save(update_fields=["token_hash", "expires_at", "updated_at"])
    _audit(INVITATION_RESENT, actor, invitation, request)
    _send_on_commit(invitation, token, request)
    return invitation


@transaction.atomic
def invitation_revoke(
    *, invitation: Invitation, actor: Any, request: HttpRequest | None = None
) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ApplicationError("This invitation has been accepted: deactivate the account instead.")
    if invitation.revoked_at is not None:
        return invitation
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
    invitation.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    _audit(INVITATION_REVOKED, actor, invitation, request)
    return invitation


class InvitationRefused(ApplicationError):
    """A link that opens nothing: `reason` is one of FORGED, EXPIRED, USED, REVOKED."""

    FORGED = "forged"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def invitation_check(*, token: str, request: HttpRequest | None = None) -> Invitation:
    """The open invitation a link's token belongs to; InvitationRefused otherwise (nothing changes
    but the audit log, which records refused uses of real invitations)."""
    invitation = (
        Invitation.objects.select_related("organization", "person", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
        if token
        else None
    )
    if invitation is None:
        raise InvitationRefused(
            InvitationRefused.FORGED,
            "This invitation link is not valid. Check that the whole link was copied from the e-mail, "
            "or ask whoever invited you to send a new one.",
        )
    status = invitation.status()
    refusals: dict[str, tuple[str, str]] = {
        Invitation.Status.ACCEPTED: (
            InvitationRefused.USED,
            "This invitation link has already been used. Sign in with your e-mail address and password "
            "(or reset your password).",
        ),
        Invitation.Status.REVOKED: (
            InvitationRefused.REVOKED,
            "This invitation was withdrawn. Ask your district's EdLead administrator if you need access.",
        ),
        Invitation.Status.EXPIRED: (
            InvitationRefused.EXPIRED,
            "This invitation link has expired. Ask whoever invited you to send it again.",
        ),
    }
    refusal = refusals.get(status)
    if refusal is not None:
        audit_record(
            action=INVITATION_REFUSED,
            target=invitation,
            request=request,
            detail={"reason": refusal[0]},
        )
        raise InvitationRefused(*refusal)
    return invitation


@dataclass(frozen=True)
class Accepted:
    invitation: Invitation
    user: User
    created: bool


@transaction.atomic
def invitation_accept(*, token: str, password: str | None, request: HttpRequest | None = None) -> Accepted:
    """Open the account the invitation is for: create it (or activate one provisioned but never used),
    link it to the person, grant the role, and mark the link used. `password=None` leaves the account
    without a password (single sign-on). Re-checks the link under a row lock, so a link used twice at
    once opens the account once."""
    checked = invitation_check(token=token, request=request)
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organization", "person")
        .get(pk=checked.pk)
    )
    if invitation.status() != Invitation.Status.PENDING:
        raise InvitationRefused(InvitationRefused.USED, "This invitation link has already been used.")
    user = _existing_account(invitation.email, invitation.person)
    created = user is None
    if user is None:
        user = User(email=invitation.email, person=invitation.person)
    elif user.is_active or user.has_usable_password() or user.last_login is not None:
        raise ApplicationError(
            f"{user.email} already has an account: sign in with it (or reset its password)."
        )
    elif invitation.person is not None and user.person_id not in (None, invitation.person.pk):
        raise ApplicationError("This invitation belongs to another person's account.")
    user.is_active = True
    if invitation.person is not None:
        user.person = invitation.person
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    if not RoleGrant.objects.filter(
        user=user, role=invitation.role, organization=invitation.organization, revoked_at__isnull=True
    ).exists():
        access_services.role_grant(
            user=user,
            role=invitation.role,
            organization=invitation.organization,
            actor=invitation.invited_by,
            note=f"Invitation {invitation.pk}",
        )
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user", "updated_at"])
    audit_record(
        action=INVITATION_ACCEPTED,
        actor=user,
        target=invitation,
        request=request,
        detail=_detail(invitation) | {"account_created": created},
    )
    policy.forget_grants(user)
    return Accepted(invitation, user, created)


# The single sign-on hook: each registered function returns (label, url) choices for an invitation.
SignInChoices = Callable[[Invitation, HttpRequest], list[tuple[str, str]]]
_SIGN_IN_CHOICES: list[SignInChoices] = []


def sign_in_choice_register(choices: SignInChoices) -> None:
    if choices not in _SIGN_IN_CHOICES:
        _SIGN_IN_CHOICES.append(choices)


def sign_in_choices(invitation: Invitation, request: HttpRequest) -> list[tuple[str, str]]:
    return [choice for source in _SIGN_IN_CHOICES for choice in source(invitation, request)]


# --- accounts ---------------------------------------------------------------------------------------
def may_manage_account(actor: Any, account: User) -> str:
    """Why `actor` may not switch `account` on or off ("" when they may): never themselves, never a
    superuser (unless one), and only accounts whose every role they could grant."""
    if account.pk == getattr(actor, "pk", None):
        return "You cannot deactivate your own account."
    if getattr(actor, "is_superuser", False):
        return ""
    if account.is_superuser:
        return "Only a superuser may change a superuser's account."
    from edlead.accounts.selectors import accounts_for

    if not accounts_for(actor).filter(pk=account.pk).exists():
        return "That account is not among those you manage."
    for grant in RoleGrant.objects.filter(user=account, revoked_at__isnull=True).select_related(
        "organization"
    ):
        if not policy.may_confer_role(actor, grant.role, grant.organization):
            return (
                f"{account.email} holds the {grant.get_role_display()} role at {grant.organization.name}, "
                "which you could not grant: ask someone who manages roles there."
            )
    return ""


@transaction.atomic
def account_deactivate(*, account: User, actor: Any, request: HttpRequest | None = None) -> User:
    """Switch an account off: it can no longer sign in, and its open sessions end at their next request
    (Django refuses an inactive user's session)."""
    return _set_active(account, actor, request, active=False)


@transaction.atomic
def account_reactivate(*, account: User, actor: Any, request: HttpRequest | None = None) -> User:
    return _set_active(account, actor, request, active=True)


def _set_active(account: User, actor: Any, request: HttpRequest | None, *, active: bool) -> User:
    refusal = may_manage_account(actor, account)
    if refusal:
        raise ApplicationError(refusal.replace("deactivate", "deactivate or reactivate"))
    account = User.objects.select_for_update().get(pk=account.pk)
    if account.is_active == active:
        return account
    account.is_active = active
    account.save(update_fields=["is_active"])
    audit_record(
        action=ACCOUNT_REACTIVATED if active else ACCOUNT_DEACTIVATED,
        actor=actor,
        target=account,
        request=request,
    )
    return account


# --- e-mail -----------------------------------------------------------------------------------------
def accept_path(token: str) -> str:
    return reverse("accounts:invitation-accept", args=[token])


def _send_on_commit(invitation: Invitation, token: str, request: HttpRequest | None) -> None:
    url = (
        request.build_absolute_uri(accept_path(token))
        if request is not None
        else site_url() + accept_path(token)
    )
    pk = invitation.pk
    transaction.on_commit(lambda: invitation_email_send(invitation_id=pk, accept_url=url))


def invitation_email_send(*, invitation_id: int, accept_url: str) -> None:
    """E-mail the link (after the invitation is committed; the token lives only in this message)."""
    from allauth.account.adapter import get_adapter

    invitation = Invitation.objects.select_related("organization", "person", "invited_by").get(
        pk=invitation_id
    )
    inviter = invitation.invited_by
    inviter_name = ""
    if inviter is not None:
        inviter_name = inviter.person.display_name if inviter.person is not None else inviter.email
    get_adapter().send_mail(
        "account/email/invitation",
        invitation.email,
        {
            "invitation": invitation,
            "accept_url": accept_url,
            "district_name": district_name_for_org(invitation.organization),
            "inviter_name": inviter_name,
            "person_name": invitation.person.display_name if invitation.person else "",
            "role_label": invitation.get_role_display(),
            "organization_name": invitation.organization.name,
            "expires_at": invitation.expires_at,
        },
    )
    Invitation.objects.filter(pk=invitation_id).update(
        sent_at=timezone.now(), send_count=invitation.send_count + 1
    )


def _detail(invitation: Invitation) -> dict[str, Any]:
    return {
        "email": invitation.email,
        "role": invitation.role,
        "organization": invitation.organization_id,
        "organization_name": invitation.organization.name,
        "person": invitation.person_id,
        "expires_at": invitation.expires_at.isoformat(),
    }


def _audit(action: str, actor: Any, invitation: Invitation, request: HttpRequest | None) -> None:
    audit_record(action=action, actor=actor, target=invitation, request=request, detail=_detail(invitation))
