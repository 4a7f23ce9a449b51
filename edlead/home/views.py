"""The home page per role, and search across people and organizations."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from edlead.access import policy
from edlead.access.models import Relationship
from edlead.core import workqueue
from edlead.home import selectors
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.people.views import name_filter

SEARCH_LIMIT = 25


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    queue = workqueue.items_for(user, due_soon_days=selectors.due_soon_days(user))
    people = selectors.people_section(user)
    return render(
        request,
        "home/home.html",
        {
            "queue": queue,
            "queue_counts": workqueue.counts(queue),
            "grants": policy.effective_grants(user),
            "supervises": selectors.supervises(user),
            "led_schools": selectors.school_leader_section(user),
            "districts": selectors.district_section(user),
            "own": selectors.own_section(user),
            "people": people,
            "caseload_url": _caseload_url(people),
            "licences_url": _licences_url(user),
            "learning_url": _learning_url(user),
        },
    )


@require_safe
@login_required
def principals(request: HttpRequest) -> HttpResponse:
    """A principal supervisor's schools and principals with off-track flags: the part the home page
    loads as it opens (htmx asks for the section alone), and a page of its own without JavaScript."""
    partial = bool(request.headers.get("HX-Request"))
    supervisor = selectors.supervisor_section(request.user)
    if request.GET.get("format") == "csv" and supervisor is not None:
        return _principals_csv(supervisor)
    template = "home/_principals.html" if partial else "home/principals.html"
    return render(request, template, {"supervisor": supervisor})


def _principals_csv(supervisor: dict[str, Any]) -> HttpResponse:
    """The supervisor's school rows as CSV: the same cells as the page, a column's second line beside it."""
    from edlead.lib.exports import csv_response

    head = ["School", "Code", "Principal", "Principal since"]
    for c in supervisor["columns"]:
        head += [c.label, f"{c.label} (detail)"]
    head.append(f"Flags ({supervisor['flags_year'] or ''})")
    rows = []
    for r in supervisor["rows"]:
        p = r.principal
        line = [
            r.school.name,
            r.school.code,
            p.person.display_name if p else "Vacant",
            p.starts_on if p else "",
        ]
        for _c, cell in r.cells:
            line += [cell.text, cell.note]
        rows.append([*line, "; ".join(r.flags)])
    return csv_response("my-schools.csv", head, rows)


def _caseload_url(people: dict[str, Any] | None) -> str:
    """Where the page loads the evaluator's caseload from as it opens (the evaluations app, when
    installed: the spine does not depend on it), for someone who is the evaluator of somebody now."""
    from django.apps import apps

    if not apps.is_installed("edlead.evaluations") or not people:
        return ""
    if not any(r.kind == Relationship.Kind.EVALUATOR for r in people["mine"]):
        return ""
    return reverse("evaluations:caseload")


def _licences_url(user: Any) -> str:
    """Where the page loads the person's own licences and renewal progress from (the credentials app,
    when installed), for anyone with a person record."""
    from django.apps import apps

    if not apps.is_installed("edlead.credentials") or not getattr(user, "person_id", None):
        return ""
    return reverse("credentials:home-licences")


def _learning_url(user: Any) -> str:
    """Where the page loads the person's own learning and recommendations from (the learning app, when
    installed), for anyone with a person record."""
    from django.apps import apps

    if not apps.is_installed("edlead.learning") or not getattr(user, "person_id", None):
        return ""
    return reverse("learning:home-part")


def _people_matching(user: Any, query: str) -> QuerySet[Person]:
    """Colleagues in the user's districts by name. A MEPID matches only people whose personnel details
    the user may read, so nobody can test whether a MEPID exists by searching for it."""
    people = policy.visible_to(user, Person.objects.filter(name_filter(query)), policy.PERSON_DIRECTORY)
    if any(word.isdigit() and len(word) == 8 for word in query.split()):
        readable = policy.visible_to(user, Person.objects.all(), policy.PERSONNEL_VIEW)
        people = people.filter(pk__in=readable.values("pk"))
    return people


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    people: list[Person] = []
    orgs: list[Organization] = []
    too_short = 0 < len(query) < 2
    if len(query) >= 2:
        org_q = Q(name__icontains=query)
        if query.isdigit() and len(query) <= 8:
            org_q |= Q(code=query.zfill(8))
        orgs = list(
            policy.visible_to(request.user, Organization.objects.filter(org_q), policy.ORG_DIRECTORY)
            .select_related("parent")
            .order_by("kind", "name")[:SEARCH_LIMIT]
        )
        people = list(
            _people_matching(request.user, query)
            .prefetch_related(
                Prefetch(
                    "positions",
                    queryset=Position.objects.current()
                    .select_related("organization")
                    .order_by("-is_primary", "pk"),
                    to_attr="current_positions",
                )
            )
            .order_by("last_name", "first_name", "pk")[:SEARCH_LIMIT]
        )
    return render(
        request,
        "home/search.html",
        {"q": query, "people": people, "orgs": orgs, "too_short": too_short, "limit": SEARCH_LIMIT},
    )
