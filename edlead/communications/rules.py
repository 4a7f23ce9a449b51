"""Who may read and act on communications.

- Publishing (a newsletter issue; reviewing reflection pieces; running a recognition program) for an
  organization: whoever holds the built-in action `policy.NEWS_PUBLISH` there — state administrators for
  the state, district administrators and the superintendent for a district.
- Reading published issues and reflection pieces: the state's, everyone signed in; a district's, everyone
  who sees its directory (`policy.ORG_DIRECTORY`: anyone with a role in the district). Drafts: publishers.
- Nominations (`NOMINATION_READ`, a declared rule): the nominator and the program's panel (a member
  relationship to the program's `panel_key`) — plus the program's publishers (NEWS_PUBLISH on the
  program's organization). `NOMINATION_REVIEW` (declared): the panel only. The nominee does not read
  them (confidential until an award is made; the award is public on their record)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from edlead.access import policy
from edlead.access.models import Relationship
from edlead.communications.models import (
    NewsletterIssue,
    Nomination,
    RecognitionProgram,
    Reflection,
)
from edlead.orgs.models import Organization

NOMINATION_READ = "communications.nomination.read"
NOMINATION_REVIEW = "communications.nomination.review"
PUBLISHER_KINDS = (Organization.Kind.STATE, Organization.Kind.DISTRICT)


def declare() -> None:
    """From CommunicationsConfig.ready()."""
    panel = frozenset({Relationship.Kind.MEMBER})
    policy.declare(
        Nomination,
        NOMINATION_READ,
        policy.Rule(
            person="nominator",
            group="panel_key",
            group_kinds=panel,
            label="A recognition nomination: the nominator and the program's review panel",
        ),
    )
    policy.declare(
        Nomination,
        NOMINATION_REVIEW,
        policy.Rule(
            person="nominator",
            owner=False,
            group="panel_key",
            group_kinds=panel,
            label="Scoring a recognition nomination: the program's review panel",
        ),
    )


# --- publishers -----------------------------------------------------------------------------------------
def publishers_q(user: Any) -> Q:
    """The organizations (state or districts) `user` publishes for, as a filter on Organization."""
    return Q(
        pk__in=policy.visible_to(user, Organization.objects.all(), policy.NEWS_PUBLISH).values("pk")
    ) & Q(kind__in=PUBLISHER_KINDS)


def is_publisher(user: Any) -> bool:
    """Does `user` publish for any organization (no query: grants are cached on the user)?"""
    return policy.can(user, policy.NEWS_PUBLISH)


def publishers(user: Any) -> QuerySet[Organization]:
    return Organization.objects.filter(publishers_q(user)).order_by("path")


def may_publish(user: Any, org: Organization) -> bool:
    return org.kind in PUBLISHER_KINDS and policy.can(user, policy.NEWS_PUBLISH, org)


# --- readers --------------------------------------------------------------------------------------------
def reading_q(user: Any, field: str = "organization") -> Q:
    """Published things of these publishers are readable: the state's by anyone signed in, a district's by
    whoever sees its directory."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    directory = policy.visible_to(user, Organization.objects.all(), policy.ORG_DIRECTORY)
    return Q(**{f"{field}__kind": Organization.Kind.STATE}) | Q(**{f"{field}__in": directory.values("pk")})


def readable_org_q(user: Any) -> Q:
    """The publishers (as a filter on Organization) whose published things `user` reads."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    directory = policy.visible_to(user, Organization.objects.all(), policy.ORG_DIRECTORY)
    return Q(kind__in=PUBLISHER_KINDS) & (Q(kind=Organization.Kind.STATE) | Q(pk__in=directory.values("pk")))


def readable_issues(user: Any, qs: QuerySet[NewsletterIssue] | None = None) -> QuerySet[NewsletterIssue]:
    base = NewsletterIssue.objects.all() if qs is None else qs
    published = Q(status=NewsletterIssue.Status.PUBLISHED) & reading_q(user)
    drafts = Q(organization__in=Organization.objects.filter(publishers_q(user)).values("pk"))
    return base.filter(published | drafts)


def get_issue(user: Any, pk: int) -> NewsletterIssue:
    found = readable_issues(user).select_related("organization", "published_by").filter(pk=pk).first()
    if found is None:
        raise Http404("No such newsletter issue.")
    return found


def readable_reflections(user: Any, qs: QuerySet[Reflection] | None = None) -> QuerySet[Reflection]:
    base = Reflection.objects.all() if qs is None else qs
    q = Q(status=Reflection.Status.PUBLISHED) & reading_q(user)
    pid = getattr(user, "person_id", None)
    if pid:
        q |= Q(author_id=pid)
    reviewing = Organization.objects.filter(publishers_q(user)).values("pk")
    q |= Q(organization__in=reviewing) & ~Q(status=Reflection.Status.DRAFT)
    return base.filter(q)


def get_reflection(user: Any, pk: int) -> Reflection:
    found = readable_reflections(user).select_related("organization", "author").filter(pk=pk).first()
    if found is None:
        raise Http404("No such reflection piece.")
    return found


def readable_programs(
    user: Any, qs: QuerySet[RecognitionProgram] | None = None
) -> QuerySet[RecognitionProgram]:
    base = RecognitionProgram.objects.all() if qs is None else qs
    return base.filter(reading_q(user) | Q(organization__in=Organization.objects.filter(publishers_q(user))))


def get_program(user: Any, pk: int) -> RecognitionProgram:
    found = readable_programs(user).select_related("organization").filter(pk=pk).first()
    if found is None:
        raise Http404("No such recognition program.")
    return found


def readable_nominations(user: Any, qs: QuerySet[Nomination] | None = None) -> QuerySet[Nomination]:
    base = Nomination.objects.all() if qs is None else qs
    administered = Organization.objects.filter(publishers_q(user)).values("pk")
    return policy.visible_to(user, base, NOMINATION_READ) | base.filter(
        program__organization__in=administered
    )


def get_nomination(user: Any, pk: int) -> Nomination:
    found = (
        readable_nominations(user)
        .select_related("program__organization", "nominee", "nominator")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such nomination.")
    return found


def may_review(user: Any, nomination: Nomination) -> bool:
    return policy.can(user, NOMINATION_REVIEW, nomination)
