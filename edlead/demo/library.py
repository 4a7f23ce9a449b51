"""Demo resource library (issue 13, item 7): about 25 resources of every kind — five case studies in
the field's words, tools with their files in the attachment store, documents, videos and readings —
published by the state and by Riverton, one Riverton draft, and links into the demo's programs and
cohorts (the New Principals Institute, Riverton's Aspiring Leaders Cohort, the new principals' cohort,
the think tank). Written through the library's services (the system as actor), dated relative to today,
from its own random generator; a second run adds nothing."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.evaluations.models import Indicator
from edlead.files.services import attachment_add
from edlead.learning.models import Cohort, Program
from edlead.library import selectors, services
from edlead.library.models import Resource, Topic
from edlead.orgs.models import Organization

from .demo import RIVERTON_CODE
from .library_content import CASES, DRAFT, OTHERS

SEED = "edlead-demo-library-v1"
# Program or cohort → titles of the resources linked to it.
PROGRAM_LINKS: dict[str, tuple[str, ...]] = {
    "New Principals Institute": (
        "Entry plan of a first-year principal",
        "Entry plan template for new principals",
        "Hiring for the first year: a principal's interview kit",
    ),
    "Data Teams for School Improvement": (
        "Building a data team culture in a comprehensive high school",
        "Data meeting protocol: predict, observe, infer, act",
    ),
    "Aspiring Leaders Cohort": (
        "Mentoring a new assistant principal (Riverton)",
        "Classroom walkthrough look-fors (Riverton)",
        "Giving feedback after an observation",
    ),
    "Instructional Rounds Network": ("Supervising principals through instructional rounds",),
}
COHORT_LINKS: dict[str, tuple[str, ...]] = {
    "New Principals Cohort": (
        "Cutting chronic absenteeism at a K-8 school",
        "Attendance team meeting agenda",
    ),
    "School Mental Health Think Tank": ("Restorative practices in middle school: a starter guide",),
}


def _data(spec: dict[str, Any], kind: str, topics: dict[str, Topic], indicators: dict[str, Indicator]) -> Any:
    return services.ResourceData(
        title=spec["title"],
        kind=kind,
        summary=spec["summary"],
        body=spec.get("body", ""),
        context=spec.get("context", ""),
        challenge=spec.get("challenge", ""),
        actions=spec.get("actions", ""),
        results=spec.get("results", ""),
        discussion_questions=spec.get("questions", ""),
        url=spec.get("url", ""),
        topics=[topics[c] for c in spec["topics"]],
        roles=list(spec["roles"]),
        indicators=[indicators[c] for c in spec["indicators"] if c in indicators],
    )


def library_seed(*, now: dt.datetime | None = None) -> int:
    """Adds the demo library; returns the resources added (0 when present already, or no demo)."""
    riverton = Organization.objects.filter(code=RIVERTON_CODE).first()
    if riverton is None or Resource.objects.filter(title=CASES[0]["title"]).exists():
        return 0
    at = now or timezone.now()
    rng = random.Random(SEED)
    topics = {t.code: t for t in Topic.objects.all()}
    indicators = {i.code: i for i in selectors.rubric_indicators()}
    made: dict[str, Resource] = {}
    specs = [(spec, Resource.Kind.CASE_STUDY) for spec in CASES] + [(spec, spec["kind"]) for spec in OTHERS]
    for spec, kind in specs:
        resource = services.resource_create(
            actor=None,
            organization=riverton if spec.get("riverton") else None,
            data=_data(spec, kind, topics, indicators),
            publish=True,
        )
        # Published over the past two school years, so the newest-first list has a history.
        Resource.objects.filter(pk=resource.pk).update(
            published_at=at - dt.timedelta(days=rng.randint(3, 600), hours=rng.randint(0, 10))
        )
        if spec.get("file"):
            name = spec["title"].split(":")[0].lower().replace(" ", "-")[:60] + ".txt"
            attachment_add(
                owner=resource,
                file=ContentFile(spec["file"].encode(), name=name),
                actor=None,
                view_action=policy.PROGRAM_VIEW,
            )
        made[resource.title] = resource
    services.resource_create(
        actor=None, organization=riverton, data=_data(DRAFT, DRAFT["kind"], topics, indicators), publish=False
    )
    _links(made, riverton)
    return len(made) + 1


def _links(made: dict[str, Resource], riverton: Organization) -> None:
    """Links into the demo's programs and cohorts that exist (the state's, and Riverton's own)."""
    for title, items in PROGRAM_LINKS.items():
        program = (
            Program.objects.filter(title=title)
            .filter(organization__isnull=True)
            .select_related("organization")
            .first()
            or Program.objects.filter(title=title, organization=riverton)
            .select_related("organization")
            .first()
        )
        if program is None:
            continue
        for item in items:
            _link(made[item], program=program)
    for prefix, items in COHORT_LINKS.items():
        for cohort in Cohort.objects.filter(name__startswith=prefix).select_related("organization"):
            for item in items:
                _link(made[item], cohort=cohort)


def _link(resource: Resource, **target: Any) -> None:
    # A Riverton item and another district's cohort: not theirs to read, so not linked.
    with contextlib.suppress(ApplicationError):
        services.link_add(actor=None, resource=resource, **target)
