"""Writers of postings and role requirements (checked, audited). Access: `policy.POSTING_MANAGE` on the
posting's organization or the template's district (HR, district administrators)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.credentials.models import CredentialType, Degree, Licence
from edlead.credentials.models_postings import POSITION_ROLES, Posting, Requirement, RoleTemplate
from edlead.credentials.services import _clean
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

POSTING_OPENED = "posting_opened"
POSTING_FILLED = "posting_filled"
REQUIREMENTS_CHANGED = "role_requirements_changed"
ELIGIBILITY_VIEWED = "eligibility_viewed"
AUDIT_VERBS = {
    ELIGIBILITY_VIEWED: "Eligible candidates viewed",
    POSTING_OPENED: "Posting opened",
    POSTING_FILLED: "Posting filled or closed",
    REQUIREMENTS_CHANGED: "Role requirements changed",
}
ROLES = dict(POSITION_ROLES)


def _may_manage(actor: Any, org: Organization) -> None:
    if actor is not None and not policy.can(actor, policy.POSTING_MANAGE, org):
        raise ApplicationError("You may not manage postings or role requirements here.")


@transaction.atomic
def role_template_get_or_create(*, actor: Any, district: Organization, role: str) -> RoleTemplate:
    if district.kind != Organization.Kind.DISTRICT:
        raise ApplicationError("Role requirements are set by a district.")
    if role not in ROLES:
        raise ApplicationError(f"“{role}” is not a leadership role.")
    _may_manage(actor, district)
    template, created = RoleTemplate.objects.get_or_create(
        organization=district, role=role, defaults={"name": ROLES[role]}
    )
    if created:
        audit_record(
            action=REQUIREMENTS_CHANGED,
            actor=actor,
            target=template,
            detail={"step": "created", "role": role},
        )
    return template


def _requirement(
    *,
    kind: str,
    importance: str,
    fields: list[str] | None,
    levels: list[str] | None,
    min_stage: str,
    degree_level: str,
    years: int | None,
    roles: list[str] | None,
) -> Requirement:
    """A requirement row checked against the catalog and the choices (not saved)."""
    if kind not in Requirement.Kind.values:
        raise ApplicationError(f"“{kind}” is not a kind of requirement.")
    if importance not in Requirement.Importance.values:
        raise ApplicationError("A requirement is required or preferred.")
    codes = [c.strip() for c in (fields or []) if c.strip()]
    catalog_kind: str | None = {
        str(Requirement.Kind.LICENCE): str(CredentialType.Kind.FIELD),
        str(Requirement.Kind.ENDORSEMENT): str(CredentialType.Kind.ENDORSEMENT),
        str(Requirement.Kind.ASSESSMENT): str(CredentialType.Kind.ASSESSMENT),
    }.get(kind)
    if catalog_kind is not None:
        known = set(CredentialType.objects.filter(kind=catalog_kind).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown or not codes:
            raise ApplicationError(
                f"Name the {catalog_kind} (unknown: {', '.join(unknown) or 'none given'})."
            )
    if min_stage and min_stage not in Licence.Stage.values:
        raise ApplicationError(f"“{min_stage}” is not a licence stage.")
    if kind == Requirement.Kind.DEGREE and degree_level not in Degree.Level.values:
        raise ApplicationError("Choose the degree level.")
    wanted_roles = [r for r in (roles or []) if r]
    if kind == Requirement.Kind.EXPERIENCE:
        if not years or not wanted_roles:
            raise ApplicationError("Experience needs a number of years and the roles that count.")
        unknown = [r for r in wanted_roles if r not in Position.Role.values]
        if unknown:
            raise ApplicationError(f"Unknown roles: {', '.join(unknown)}.")
    return Requirement(
        kind=kind,
        importance=importance,
        fields=codes,
        levels=[lv.strip() for lv in (levels or []) if lv.strip()],
        min_stage=min_stage if kind == Requirement.Kind.LICENCE else "",
        degree_level=degree_level if kind == Requirement.Kind.DEGREE else "",
        years=years if kind == Requirement.Kind.EXPERIENCE else None,
        roles=wanted_roles if kind == Requirement.Kind.EXPERIENCE else [],
    )


@transaction.atomic
def requirement_add(
    *,
    actor: Any,
    template: RoleTemplate | None = None,
    posting: Posting | None = None,
    kind: str,
    importance: str = Requirement.Importance.REQUIRED,
    fields: list[str] | None = None,
    levels: list[str] | None = None,
    min_stage: str = "",
    degree_level: str = "",
    years: int | None = None,
    roles: list[str] | None = None,
) -> Requirement:
    """A requirement added to a role template or a posting."""
    if (template is None) == (posting is None):
        raise ApplicationError("A requirement belongs to a role template or a posting.")
    owner_org = template.organization if template is not None else posting.organization  # type: ignore[union-attr]
    _may_manage(actor, owner_org)
    row = _requirement(
        kind=kind,
        importance=importance,
        fields=fields,
        levels=levels,
        min_stage=min_stage,
        degree_level=degree_level,
        years=years,
        roles=roles,
    )
    row.template, row.posting = template, posting
    siblings = (template or posting).requirements  # type: ignore[union-attr]
    row.order = siblings.count() + 1
    _clean(row)
    row.save()
    audit_record(
        action=REQUIREMENTS_CHANGED,
        actor=actor,
        target=template or posting,
        detail={"step": "added", "kind": kind, "importance": importance, "requirement": row.pk},
    )
    return row


@transaction.atomic
def requirement_remove(*, actor: Any, requirement: Requirement) -> None:
    owner = requirement.template or requirement.posting
    assert owner is not None
    _may_manage(actor, owner.organization)
    detail = {"step": "removed", "kind": requirement.kind, "requirement": requirement.pk}
    requirement.delete()
    audit_record(action=REQUIREMENTS_CHANGED, actor=actor, target=owner, detail=detail)


@transaction.atomic
def posting_open(
    *,
    actor: Any,
    organization: Organization,
    title: str,
    role: str,
    opens_on: dt.date,
    closes_on: dt.date | None = None,
    starts_on: dt.date | None = None,
    description: str = "",
) -> Posting:
    """An open seat at `organization` (a school's principal, a district office)."""
    _may_manage(actor, organization)
    if role not in ROLES:
        raise ApplicationError(f"“{role}” is not a leadership role.")
    posting = Posting(
        organization=organization,
        title=" ".join(title.split()),
        role=role,
        opens_on=opens_on,
        closes_on=closes_on,
        starts_on=starts_on,
        description=description.strip(),
    )
    _clean(posting)
    posting.save()
    audit_record(action=POSTING_OPENED, actor=actor, target=posting, detail={"title": posting.title})
    return posting


@transaction.atomic
def posting_fill(*, actor: Any, posting: Posting, person: Person | None) -> Posting:
    """The posting filled by `person`, or closed without hiring (person None)."""
    current = (
        Posting.objects.select_for_update(of=("self",)).select_related("organization").get(pk=posting.pk)
    )
    _may_manage(actor, current.organization)
    if current.status != Posting.Status.OPEN:
        raise ApplicationError("This posting is no longer open.")
    current.status = Posting.Status.FILLED if person is not None else Posting.Status.CLOSED
    current.filled_by = person
    _clean(current)
    current.save(update_fields=["status", "filled_by", "updated_at"])
    audit_record(
        action=POSTING_FILLED,
        actor=actor,
        target=current,
        detail={"status": current.status, "person": person.pk if person else None},
    )
    return current
