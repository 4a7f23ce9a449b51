"""Library resources for tests: written through the service, so tags and audit are as in use."""

from __future__ import annotations

from typing import Any

from edlead.access.models import User
from edlead.evaluations.models import Indicator
from edlead.library import selectors, services
from edlead.library.models import Resource, Topic


def superuser() -> User:
    user = User.objects.filter(is_superuser=True, email="library-admin@example.org").first()
    return user or User.objects.create_superuser("library-admin@example.org", None)


def make_resource(
    title: str = "A resource",
    *,
    organization: Any = None,
    kind: str = Resource.Kind.DOCUMENT,
    publish: bool = True,
    topics: tuple[str, ...] = (),
    roles: tuple[str, ...] = (),
    indicators: tuple[str, ...] = (),
    actor: Any = None,
    **text: str,
) -> Resource:
    """A resource of `organization` (None: the state); `indicators` are codes of the state's rubric."""
    rubric = selectors.rubric()
    if kind == Resource.Kind.CASE_STUDY:
        text.setdefault("context", "A K-8 school in a mid-sized district.")
        text.setdefault("challenge", "Chronic absenteeism rose to 24%.")
    data = services.ResourceData(
        title=title,
        kind=kind,
        summary=text.pop("summary", f"About {title}."),
        topics=list(Topic.objects.filter(code__in=topics)),
        roles=list(roles),
        indicators=list(Indicator.objects.filter(standard__framework=rubric, code__in=indicators)),
        **text,
    )
    return services.resource_create(
        actor=actor or superuser(), organization=organization, data=data, publish=publish
    )
