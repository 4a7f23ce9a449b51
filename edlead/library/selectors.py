"""Readers of the library, through the access module.

Who reads what is the learning catalog's reading (`PROGRAM_VIEW`): the state's published resources to
every staff role, a district's to the people of that district (a grant anywhere below it reads what the
district publishes), never another district's. Drafts are read only by those who may manage the
resource (`PROGRAM_MANAGE`: the publisher's program coordinators and administrators) and by their
author."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from edlead.access import policy
from edlead.evaluations.models import Framework, Indicator, Standard
from edlead.library.models import Resource, ResourceLink, ResourceRole, Topic
from edlead.people.models import Position

PER_PAGE = 20
EXPORT_LIMIT = 5000
QUERY_MAX = 100


def readable(user: Any) -> QuerySet[Resource]:
    """Every resource `user` may open: published ones they may read, and drafts they manage or wrote."""
    base = Resource.objects.all()
    published = policy.visible_to(user, base, policy.PROGRAM_VIEW).filter(status=Resource.Status.PUBLISHED)
    managed = policy.visible_to(user, base, policy.PROGRAM_MANAGE)
    q = Q(pk__in=published.values("pk")) | Q(pk__in=managed.values("pk"))
    if getattr(user, "is_authenticated", False):
        q |= Q(created_by_id=user.pk)
    return base.filter(q)


def published_for(user: Any) -> QuerySet[Resource]:
    """The published resources `user` may read (what may be linked and what links show)."""
    return policy.visible_to(user, Resource.objects.all(), policy.PROGRAM_VIEW).filter(
        status=Resource.Status.PUBLISHED
    )


def resource_for(user: Any, pk: int) -> Resource:
    """One resource the user may open, with its tags; 404 for missing and not-yours alike."""
    resource = (
        readable(user)
        .select_related("organization", "created_by")
        .prefetch_related(*_tag_prefetches())
        .filter(pk=pk)
        .first()
    )
    if resource is None:
        raise Http404("No such resource of yours.")
    return resource


def _tag_prefetches() -> list[Prefetch[Any]]:
    return [
        Prefetch("topics", queryset=Topic.objects.order_by("order", "name")),
        Prefetch("roles", queryset=ResourceRole.objects.order_by("role")),
        Prefetch(
            "indicators",
            queryset=Indicator.objects.select_related("standard").order_by("standard__order", "order"),
        ),
    ]


# --- the rubric the library is tagged with ----------------------------------------------------------------
def _rubric_qs() -> QuerySet[Framework]:
    return Framework.objects.filter(
        organization__isnull=True,
        status=Framework.Status.PUBLISHED,
        audience=Framework.Audience.ADMINISTRATOR,
    ).order_by("-published_at", "-pk")


def rubric() -> Framework | None:
    """The state's newest published administrator rubric: its indicators are the library's standards."""
    return _rubric_qs().first()


def rubric_indicators(framework: Framework | None = None) -> list[Indicator]:
    framework = framework if framework is not None else rubric()
    if framework is None:
        return []
    return list(
        Indicator.objects.filter(standard__framework=framework)
        .select_related("standard")
        .order_by("standard__order", "standard_id", "order", "pk")
    )


def rubric_standards() -> list[Standard]:
    """The standards of `rubric()` (one query)."""
    newest = _rubric_qs().values("pk")[:1]
    return list(Standard.objects.filter(framework_id__in=newest).order_by("order", "pk"))


ROLE_CHOICES: list[tuple[str, str]] = [
    (str(v), str(label)) for v, label in Position.Role.choices if v != Position.Role.OTHER
]
ROLE_LABELS = dict(Position.Role.choices)


# --- the search ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Filters:
    q: str = ""
    kind: str = ""
    topic: str = ""  # a topic's code
    role: str = ""  # a Position.Role value
    standard: str = ""  # a standard's code (I…IV) of the administrator rubric
    indicator: str = ""  # an indicator's code (I-A)
    publisher: str = ""  # "state", or a district's pk
    status: str = ""  # "draft" shows a manager's drafts only

    @classmethod
    def from_query(cls, data: Any) -> Filters:
        def get(name: str, limit: int = 40) -> str:
            return str(data.get(name, "")).strip()[:limit]

        kind = get("kind")
        role = get("role")
        publisher = get("publisher")
        status = get("status")
        return cls(
            q=get("q", QUERY_MAX),
            kind=kind if kind in Resource.Kind.values else "",
            topic=get("topic"),
            role=role if role in ROLE_LABELS else "",
            standard=get("standard", 10),
            indicator=get("indicator", 20),
            publisher=publisher if publisher == "state" or publisher.isdigit() else "",
            status=status if status in Resource.Status.values else "",
        )

    @property
    def active(self) -> bool:
        return any(
            (
                self.q,
                self.kind,
                self.topic,
                self.role,
                self.standard,
                self.indicator,
                self.publisher,
                self.status,
            )
        )


def search(user: Any, filters: Filters) -> QuerySet[Resource]:
    """The resources `user` may open that match `filters`, newest first, each with its publisher, topics
    and roles (three queries however many rows)."""
    qs = readable(user)
    f = filters
    if f.q:
        for word in f.q.split()[:8]:
            qs = qs.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(body__icontains=word)
                | Q(context__icontains=word)
                | Q(challenge__icontains=word)
                | Q(actions__icontains=word)
                | Q(results__icontains=word)
                | Q(discussion_questions__icontains=word)
            )
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    # Tags through EXISTS, so a resource matching twice is still one row.
    if f.topic:
        qs = qs.filter(
            Exists(Resource.topics.through.objects.filter(resource_id=OuterRef("pk"), topic__code=f.topic))
        )
    if f.role:
        qs = qs.filter(Exists(ResourceRole.objects.filter(resource_id=OuterRef("pk"), role=f.role)))
    through = Resource.indicators.through.objects
    if f.standard:
        qs = qs.filter(
            Exists(through.filter(resource_id=OuterRef("pk"), indicator__standard__code=f.standard))
        )
    if f.indicator:
        qs = qs.filter(Exists(through.filter(resource_id=OuterRef("pk"), indicator__code=f.indicator)))
    if f.publisher == "state":
        qs = qs.filter(organization__isnull=True)
    elif f.publisher:
        qs = qs.filter(organization_id=int(f.publisher))
    return (
        qs.select_related("organization")
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("order", "name")),
            Prefetch("roles", queryset=ResourceRole.objects.order_by("role")),
        )
        .order_by("-published_at", "title", "pk")
    )


def publishers(user: Any) -> list[tuple[str, str]]:
    """(value, label) of who publishes what `user` reads: the state, then districts by name (one query)."""
    rows = (
        readable(user)
        .filter(organization__isnull=False)
        .values_list("organization_id", "organization__name")
        .distinct()
        .order_by("organization__name")
    )
    return [("state", "The state"), *((str(pk), name) for pk, name in rows)]


# --- links -----------------------------------------------------------------------------------------------
def links_for(user: Any, *, program: Any = None, cohort: Any = None) -> list[ResourceLink]:
    """The links of a program or a cohort whose resource `user` may read (one query)."""
    target = Q(program=program) if program is not None else Q(cohort=cohort)
    return list(
        ResourceLink.objects.filter(target, resource__in=published_for(user))
        .select_related("resource__organization")
        .order_by("resource__title", "pk")
    )


def openable_targets(user: Any, links: list[ResourceLink]) -> set[int]:
    """Which of the links' programs (their pk) and cohorts (minus their pk) `user` may open: a program
    whoever reads the catalog entry, a cohort its members, facilitator and coordinators (two queries)."""
    from edlead.learning import services as learning_services
    from edlead.learning.models import Cohort, Program

    program_ids = [lk.program_id for lk in links if lk.program_id]
    cohort_ids = [lk.cohort_id for lk in links if lk.cohort_id]
    found: set[int] = set()
    if program_ids:
        programs = Program.objects.filter(pk__in=program_ids)
        found |= set(policy.visible_to(user, programs, policy.PROGRAM_VIEW).values_list("pk", flat=True))
    if cohort_ids:
        cohorts = Cohort.objects.filter(pk__in=cohort_ids)
        mine = policy.visible_to(user, cohorts, learning_services.COHORT_VIEW)
        managed = policy.visible_to(user, cohorts, policy.PROGRAM_MANAGE)
        rows = Cohort.objects.filter(Q(pk__in=mine.values("pk")) | Q(pk__in=managed.values("pk")))
        found |= {-pk for pk in rows.values_list("pk", flat=True)}
    return found
