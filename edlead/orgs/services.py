"""The only writers of organizations, networks and supervision overrides."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.core.services import audit_record
from edlead.orgs.models import Organization, SupervisionOverride

Kind = Organization.Kind

_ALLOWED_PARENT: dict[str, tuple[str, ...]] = {
    Kind.STATE: (),
    Kind.DISTRICT: (Kind.STATE,),
    Kind.NETWORK: (Kind.DISTRICT,),
    Kind.SCHOOL: (Kind.DISTRICT, Kind.NETWORK),
}


def _check_parent(kind: str, parent: Organization | None) -> None:
    allowed = _ALLOWED_PARENT[kind]
    if kind == Kind.STATE:
        if parent is not None:
            raise ApplicationError("The state education agency is the root and has no parent.")
        return
    if parent is None or parent.kind not in allowed:
        names = " or ".join(Kind(k).label.lower() for k in allowed)
        raise ApplicationError(f"A {Kind(kind).label.lower()} belongs to a {names}.")


def _district_of(kind: str, parent: Organization | None) -> Organization | None:
    if kind in (Kind.STATE, Kind.DISTRICT) or parent is None:
        return None
    return parent if parent.kind == Kind.DISTRICT else parent.district


def organization_build(*, kind: str, parent: Organization | None, **fields: Any) -> Organization:
    """An unsaved organization with its district set; `organization_create` or a bulk import saves it."""
    _check_parent(kind, parent)
    return Organization(kind=kind, parent=parent, district=_district_of(kind, parent), **fields)


def set_path(org: Organization) -> None:
    """Compute and store the materialized path of a saved organization."""
    prefix = org.parent.path if org.parent_id and org.parent is not None else "/"
    org.path = f"{prefix}{org.pk}/"
    Organization.objects.filter(pk=org.pk).update(path=org.path)


@transaction.atomic
def organization_create(
    *, kind: str, parent: Organization | None, name: str, actor: Any = None, **fields: Any
) -> Organization:
    org = organization_build(kind=kind, parent=parent, name=name, **fields)
    org.full_clean(exclude=["path"])
    org.save()
    set_path(org)
    audit_record(action=AuditEvent.Action.ORG_CREATED, actor=actor, target=org)
    return org


@transaction.atomic
def organization_update(*, org: Organization, actor: Any = None, **fields: Any) -> Organization:
    changed = {}
    for name, value in fields.items():
        if getattr(org, name) != value:
            changed[name] = [str(getattr(org, name)), str(value)]
            setattr(org, name, value)
    if changed:
        org.full_clean(exclude=["path"])
        org.save()
        audit_record(
            action=AuditEvent.Action.ORG_CHANGED, actor=actor, target=org, detail={"changed": changed}
        )
    return org


def state_agency_get_or_create(
    *, name: str = "Massachusetts Department of Elementary and Secondary Education"
) -> Organization:
    """The single state root, shared by demo data and real imports."""
    root = Organization.objects.filter(kind=Kind.STATE).order_by("pk").first()
    if root is not None:
        return root
    return organization_create(kind=Kind.STATE, parent=None, name=name, code=None)


@transaction.atomic
def network_create(
    *, district: Organization, name: str, label: str = "network", actor: Any = None
) -> Organization:
    if district.kind != Kind.DISTRICT:
        raise ApplicationError("Networks are created inside a district.")
    name = name.strip()
    if not name:
        raise ApplicationError("A network needs a name.")
    if Organization.objects.filter(parent=district, kind=Kind.NETWORK, name__iexact=name).exists():
        raise ApplicationError(f"{district.name} already has a network called {name}.")
    return organization_create(
        kind=Kind.NETWORK, parent=district, name=name, network_label=label, actor=actor
    )


@transaction.atomic
def school_move(
    *, school: Organization, to: Organization, actor: Any = None, seen_at: dt.datetime | None = None
) -> Organization:
    """Move a school into a network of its district, or back to the district itself.

    `seen_at` is when the person's page showed the school: if someone changed the school since, the
    move is refused as a conflict instead of silently overwriting their change."""
    school = Organization.objects.select_for_update().get(pk=school.pk)
    if school.kind != Kind.SCHOOL:
        raise ApplicationError("Only schools move between networks.")
    if seen_at is not None and school.updated_at > seen_at:
        where = school.parent.name if school.parent else "the district"
        raise ApplicationError(
            f"{school.name} was changed by someone else after you opened this page (it is now in "
            f"{where}). Check the page again and repeat the move if it is still needed."
        )
    target_district = to if to.kind == Kind.DISTRICT else to.district
    if (
        to.kind not in (Kind.DISTRICT, Kind.NETWORK)
        or target_district is None
        or target_district.pk != school.district_id
    ):
        raise ApplicationError(
            "A school can move only to a network of its own district, or out of all networks."
        )
    if school.parent_id == to.pk:
        return school
    before = school.parent.name if school.parent else ""
    school.parent = to
    school.save(update_fields=["parent", "updated_at"])
    set_path(school)
    audit_record(
        action=AuditEvent.Action.ORG_CHANGED,
        actor=actor,
        target=school,
        detail={"moved": [before, to.name]},
    )
    return school


@transaction.atomic
def supervision_override_set(
    *, school: Organization, supervisor: Any, starts_on: dt.date, reason: str = "", actor: Any = None
) -> SupervisionOverride:
    """Make `supervisor` the supervisor of the school's principal from `starts_on`, ending any earlier override."""
    if school.kind != Kind.SCHOOL:
        raise ApplicationError("Supervision overrides are set on schools.")
    SupervisionOverride.objects.filter(school=school, ends_on__isnull=True, starts_on__lt=starts_on).update(
        ends_on=starts_on - dt.timedelta(days=1)
    )
    SupervisionOverride.objects.filter(school=school, ends_on__isnull=True, starts_on__gte=starts_on).delete()
    override = SupervisionOverride(school=school, supervisor=supervisor, starts_on=starts_on, reason=reason)
    override.full_clean()
    override.save()
    audit_record(
        action=AuditEvent.Action.SUPERVISION_CHANGED,
        actor=actor,
        target=school,
        detail={"supervisor": str(supervisor), "starts_on": starts_on.isoformat(), "reason": reason},
    )
    return override


@transaction.atomic
def supervision_override_end(*, school: Organization, ends_on: dt.date, actor: Any = None) -> int:
    count = SupervisionOverride.objects.filter(school=school, ends_on__isnull=True).update(ends_on=ends_on)
    if count:
        audit_record(
            action=AuditEvent.Action.SUPERVISION_CHANGED,
            actor=actor,
            target=school,
            detail={"ended": ends_on.isoformat()},
        )
    return count


# --- Bulk writers for imports (one transaction is the caller's: the import service) --------------------
_BULK_CLEAN_EXCLUDE = ["path", "parent", "district"]


def organizations_bulk_create(*, organizations: list[Organization]) -> list[Organization]:
    """Insert many organizations (built with `organization_build`) and set their materialized paths.

    Parents must be saved first (or be earlier in the list's own batch, already inserted by a previous
    call). Fields are checked with `clean_fields` (no per-row queries); codes are unique by constraint.
    """
    if not organizations:
        return []
    for org in organizations:
        org.clean_fields(exclude=_BULK_CLEAN_EXCLUDE)
    created = Organization.objects.bulk_create(organizations, batch_size=500)
    for org in created:
        parent_path = org.parent.path if org.parent is not None else "/"
        org.path = f"{parent_path}{org.pk}/"
    Organization.objects.bulk_update(created, ["path"], batch_size=500)
    return created


def organizations_bulk_update(*, organizations: list[Organization], fields: list[str]) -> int:
    """Save changed fields of many organizations; recompute paths when `parent` is among them."""
    if not organizations or not fields:
        return 0
    for org in organizations:
        org.clean_fields(exclude=_BULK_CLEAN_EXCLUDE)
    fields = list(dict.fromkeys([*fields, "updated_at"]))
    now = _now()
    for org in organizations:
        org.updated_at = now
    count = Organization.objects.bulk_update(organizations, fields, batch_size=500)
    if "parent" in fields:
        for org in organizations:
            old_prefix = org.path
            set_path(org)
            if old_prefix and old_prefix != org.path:  # move the subtree with it
                for child in Organization.objects.filter(path__startswith=old_prefix).exclude(pk=org.pk):
                    child.path = org.path + child.path[len(old_prefix) :]
                    child.save(update_fields=["path"])
    return count


def _now() -> dt.datetime:
    from django.utils import timezone

    return timezone.now()
