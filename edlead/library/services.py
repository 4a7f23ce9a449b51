"""The only writers of the library: resources (create, edit, publish, withdraw) and their links into
programs and cohorts. Keyword-only, actor first, one transaction each, audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from edlead.access import policy
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.evaluations.models import Indicator
from edlead.learning import services_cohorts
from edlead.learning.models import Cohort, Program
from edlead.library.models import Resource, ResourceLink, ResourceRole, Topic
from edlead.orgs.models import Organization
from edlead.people.models import Position

RESOURCE_CHANGED = "library_resource_changed"
RESOURCE_PUBLISHED = "library_resource_published"
RESOURCE_WITHDRAWN = "library_resource_withdrawn"
LINK_ADDED = "library_link_added"
LINK_REMOVED = "library_link_removed"
AUDIT_VERBS = {
    RESOURCE_CHANGED: "Library resource written or edited",
    RESOURCE_PUBLISHED: "Library resource published",
    RESOURCE_WITHDRAWN: "Library resource withdrawn to draft",
    LINK_ADDED: "Library resource linked to a program or cohort",
    LINK_REMOVED: "Library resource unlinked from a program or cohort",
}
S = Resource.Status


# --- who may do what ----------------------------------------------------------------------------------------
def publishing_organizations(user: Any) -> list[tuple[str, str]]:
    """(value, label) of whom `user` may publish for: "" for the state (a coordinating grant on the state
    itself), else each district where they coordinate programs or administer. A grant on a school or a
    network does not publish for the whole district."""
    seen: dict[str, str] = {}
    for g in policy.grants_for(user, policy.PROGRAM_MANAGE):
        depth = g.path.count("/")
        if depth == 2:
            seen.setdefault("", "The state (every district)")
        elif depth == 3:
            seen.setdefault(str(g.org_id), g.org_name)
    if getattr(user, "is_superuser", False) and not seen:
        seen[""] = "The state (every district)"
    return sorted(seen.items(), key=lambda kv: (kv[0] != "", kv[1]))


def may_publish_for(user: Any, organization: Organization | None) -> bool:
    """The system (no user: the demo, an import) and a superuser publish for the state or any district;
    others as `publishing_organizations` says."""
    if organization is not None and organization.kind != Organization.Kind.DISTRICT:
        return False
    if user is None or (getattr(user, "is_superuser", False) and user.is_active):
        return True
    allowed = {value for value, _ in publishing_organizations(user)}
    return (str(organization.pk) if organization is not None else "") in allowed


def manages(user: Any, resource: Resource) -> bool:
    """The publisher's coordinators and administrators edit, publish and withdraw it."""
    return policy.can(user, policy.PROGRAM_MANAGE, resource)


def may_link_program(user: Any, program: Program) -> bool:
    return policy.can(user, policy.PROGRAM_MANAGE, program)


def may_link_cohort(user: Any, cohort: Cohort) -> bool:
    """A cohort's facilitator and its coordinators share resources with it."""
    return services_cohorts.runs(user, cohort)


def _fits(resource: Resource, organization: Organization | None) -> bool:
    """A state resource fits any program or cohort; a district's only its own district's (its people are
    the only ones who may read it)."""
    if resource.organization_id is None:
        return True
    return organization is not None and organization.path.startswith(resource.organization.path)  # type: ignore[union-attr]


# --- resources -------------------------------------------------------------------------------------------
@dataclass
class ResourceData:
    """What a person types for a resource (the form's cleaned data)."""

    title: str
    kind: str
    summary: str
    body: str = ""
    context: str = ""
    challenge: str = ""
    actions: str = ""
    results: str = ""
    discussion_questions: str = ""
    url: str = ""
    topics: list[Topic] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)


def _clean(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise ApplicationError(
            " ".join(
                m if name == NON_FIELD_ERRORS else f"{name.replace('_', ' ').capitalize()}: {m}"
                for name, ms in exc.message_dict.items()
                for m in ms
            )
        ) from exc


def _apply(resource: Resource, data: ResourceData) -> None:
    for name in TEXT_FIELDS:
        setattr(resource, name, getattr(data, name).strip() if name != "kind" else data.kind)
    if resource.kind == Resource.Kind.VIDEO and not resource.url:
        raise ApplicationError("Link: a video needs the address where it is watched.")
    if resource.is_case_study and not (resource.context and resource.challenge):
        raise ApplicationError("Context and challenge: a case study tells both.")


def _set_tags(resource: Resource, data: ResourceData) -> None:
    bad = sorted(set(data.roles) - set(Position.Role.values))
    if bad:
        raise ApplicationError(f"Roles: unknown role {', '.join(bad)}.")
    resource.topics.set(data.topics)
    resource.indicators.set(data.indicators)
    ResourceRole.objects.filter(resource=resource).exclude(role__in=data.roles).delete()
    have = set(ResourceRole.objects.filter(resource=resource).values_list("role", flat=True))
    ResourceRole.objects.bulk_create(
        [ResourceRole(resource=resource, role=r) for r in data.roles if r not in have]
    )


def _audit(action: str, actor: Any, resource: Resource, **detail: Any) -> None:
    audit_record(
        action=action,
        actor=actor,
        target=resource,
        detail={"resource": resource.pk, "title": resource.title, **detail},
        scope=[resource.organization.path] if resource.organization is not None else None,
    )


@transaction.atomic
def resource_create(
    *, actor: Any, organization: Organization | None, data: ResourceData, publish: bool = False
) -> Resource:
    """A new resource of `organization` (None: the state), as a draft unless `publish`."""
    if not may_publish_for(actor, organization):
        raise ApplicationError("Publisher: you do not publish resources for that organization.")
    resource = Resource(organization=organization, created_by=actor if getattr(actor, "pk", None) else None)
    _apply(resource, data)
    if publish:
        resource.status, resource.published_at = S.PUBLISHED, timezone.now()
    _clean(resource)
    resource.save()
    _set_tags(resource, data)
    _audit(RESOURCE_CHANGED, actor, resource, created=True, status=resource.status)
    return resource


def _locked(resource: Resource) -> Resource:
    return Resource.objects.select_for_update(of=("self",)).select_related("organization").get(pk=resource.pk)


TEXT_FIELDS = (
    "title",
    "kind",
    "summary",
    "body",
    "context",
    "challenge",
    "actions",
    "results",
    "discussion_questions",
    "url",
)


def _snapshot(resource: Resource) -> dict[str, Any]:
    """What a form shows of a saved resource, to compare with what was submitted."""
    return {
        **{name: getattr(resource, name) for name in TEXT_FIELDS},
        "topics": sorted(t.name for t in resource.topics.all()),
        "roles": sorted(ResourceRole.objects.filter(resource=resource).values_list("role", flat=True)),
        "indicators": sorted(str(i) for i in resource.indicators.all()),
    }


def _submitted(data: ResourceData) -> dict[str, Any]:
    return {
        **{name: getattr(data, name).strip() if name != "kind" else data.kind for name in TEXT_FIELDS},
        "topics": sorted(t.name for t in data.topics),
        "roles": sorted(data.roles),
        "indicators": sorted(str(i) for i in data.indicators),
    }


@transaction.atomic
def resource_update(
    *, actor: Any, resource: Resource, data: ResourceData, expected_version: int | None = None
) -> Resource:
    """Edit a resource's text and tags (its publisher stays: a district's item never becomes the state's).
    Safe editing: a form drawn before someone else saved is refused with both versions side by side."""
    if not manages(actor, resource):
        raise ApplicationError("Only the publisher's program coordinators edit this resource.")
    row = editing.lock(resource)
    if expected_version is not None:
        saved, submitted = _snapshot(row), _submitted(data)
        if saved == submitted:
            return row
        editing.check_version(row, expected_version, saved=saved, submitted=submitted)
    _apply(row, data)
    row.mark_edited(actor)
    _clean(row)
    row.save()
    _set_tags(row, data)
    _audit(RESOURCE_CHANGED, actor, row)
    return row


@transaction.atomic
def resource_publish(*, actor: Any, resource: Resource) -> Resource:
    if not manages(actor, resource):
        raise ApplicationError("Only the publisher's program coordinators publish this resource.")
    row = _locked(resource)
    if row.status != S.DRAFT:
        raise ApplicationError("This resource is already published.")
    row.status, row.published_at = S.PUBLISHED, timezone.now()
    row.save(update_fields=["status", "published_at", "updated_at"])
    _audit(RESOURCE_PUBLISHED, actor, row)
    return row


@transaction.atomic
def resource_withdraw(*, actor: Any, resource: Resource) -> Resource:
    """Back to draft: readers no longer find it, and the programs and cohorts it is linked to stop
    showing it (the links stay, for when it is published again)."""
    if not manages(actor, resource):
        raise ApplicationError("Only the publisher's program coordinators withdraw this resource.")
    row = _locked(resource)
    if row.status != S.PUBLISHED:
        raise ApplicationError("This resource is a draft already.")
    row.status = S.DRAFT
    row.save(update_fields=["status", "updated_at"])
    _audit(RESOURCE_WITHDRAWN, actor, row)
    return row


# --- links -----------------------------------------------------------------------------------------------
@transaction.atomic
def link_add(
    *,
    actor: Any,
    resource: Resource,
    program: Program | None = None,
    cohort: Cohort | None = None,
    note: str = "",
) -> ResourceLink:
    """Share a published resource the actor reads with a program (its coordinators) or a cohort (its
    facilitator and coordinators). `actor=None` is the system (the demo): no one's rights to check, but
    the same rules on what fits."""
    if (program is None) == (cohort is None):
        raise ValueError("Link to one program or one cohort")
    system = actor is None
    if resource.status != S.PUBLISHED:
        raise ApplicationError("Only a published resource is linked: publish it first.")
    if not system and not policy.can(actor, policy.PROGRAM_VIEW, resource):
        raise ApplicationError("That resource is not one you may read.")
    if program is not None:
        if not system and not may_link_program(actor, program):
            raise ApplicationError("Only the program's coordinators link resources to it.")
        target_org, label = program.organization, program.title
    else:
        assert cohort is not None
        if not system and not may_link_cohort(actor, cohort):
            raise ApplicationError("Only the cohort's facilitator and coordinators link resources to it.")
        target_org, label = cohort.organization, cohort.name
    if not _fits(resource, target_org):
        raise ApplicationError(
            f"“{resource.title}” is {resource.organization}'s: only its own programs and cohorts link to it, "
            "since nobody else may read it."
        )
    link = ResourceLink(
        resource=resource,
        program=program,
        cohort=cohort,
        note=note.strip(),
        added_by=actor if getattr(actor, "pk", None) else None,
    )
    _clean(link)
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError as exc:  # two coordinators at once: the constraint decides
        raise ApplicationError(f"“{resource.title}” is already linked to {label}.") from exc
    _audit(
        LINK_ADDED, actor, resource, program=getattr(program, "pk", None), cohort=getattr(cohort, "pk", None)
    )
    return link


@transaction.atomic
def link_remove(*, actor: Any, link: ResourceLink) -> None:
    if link.program_id is not None:
        allowed = may_link_program(actor, link.program)  # type: ignore[arg-type]
    else:
        allowed = may_link_cohort(actor, link.cohort)  # type: ignore[arg-type]
    if not allowed:
        raise ApplicationError("Only those who run the program or cohort remove its links.")
    resource = link.resource
    detail = {"program": link.program_id, "cohort": link.cohort_id}
    link.delete()
    _audit(LINK_REMOVED, actor, resource, **detail)


def roles_text(roles: Iterable[ResourceRole]) -> str:
    return ", ".join(r.label for r in roles)
