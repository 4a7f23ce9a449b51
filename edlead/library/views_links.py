"""Sharing library resources with programs and cohorts: the "Link from the library" page (the library's
published resources the reader may share with this program or cohort, searchable), linking and
unlinking. The program's and cohort's pages show the links through `{% library_links %}`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.learning import services_cohorts
from edlead.learning.models import Cohort, Program
from edlead.library import selectors, services
from edlead.library.models import Resource, ResourceLink, Topic


@dataclass(frozen=True)
class Target:
    """The program or the cohort resources are linked to."""

    program: Program | None
    cohort: Cohort | None

    @property
    def obj(self) -> Program | Cohort:
        return self.program if self.program is not None else self.cohort  # type: ignore[return-value]

    @property
    def name(self) -> str:
        return self.program.title if self.program is not None else self.cohort.name  # type: ignore[union-attr]

    @property
    def param(self) -> str:
        return "program" if self.program is not None else "cohort"

    @property
    def url(self) -> str:
        return f"{self.obj.get_absolute_url()}#library"


def _target(user: Any, data: Any) -> Target:
    """The program or cohort named in `data` that `user` may link resources to: 404 when they may not
    open it, 403 when they may open it but do not run it."""
    program_id, cohort_id = str(data.get("program", "")), str(data.get("cohort", ""))
    if program_id.isdigit():
        program = policy.get_for_user(
            user, Program.objects.select_related("organization"), policy.PROGRAM_VIEW, pk=int(program_id)
        )
        if not services.may_link_program(user, program):
            raise PermissionDenied("The program's coordinators link resources to it.")
        return Target(program, None)
    if cohort_id.isdigit():
        cohort = services_cohorts.cohort_for(user, int(cohort_id))
        if not services.may_link_cohort(user, cohort):
            raise PermissionDenied("The cohort's facilitator and coordinators link resources to it.")
        return Target(None, cohort)
    raise Http404("Name a program or a cohort.")


def _candidates(user: Any, target: Target, filters: selectors.Filters) -> Any:
    """Published resources the reader may share with the target: the state's, and those of the target's
    own district (a district's resource is for its people only)."""
    org = target.obj.organization
    scope = Q(organization__isnull=True)
    if org is not None:
        above = [int(p) for p in org.path.strip("/").split("/") if p]
        scope |= Q(organization_id__in=above)
    linked = ResourceLink.objects.filter(**{target.param: target.obj}).values("resource_id")
    return (
        selectors.search(user, filters)
        .filter(scope, status=Resource.Status.PUBLISHED, pk__in=selectors.published_for(user).values("pk"))
        .exclude(pk__in=linked)
    )


@login_required
@require_safe
def link_pick(request: HttpRequest) -> HttpResponse:
    target = _target(request.user, request.GET)
    filters = selectors.Filters.from_query(request.GET)
    page = Paginator(_candidates(request.user, target, filters), selectors.PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "target": target,
        "page": page,
        "filters": filters,
        "kinds": Resource.Kind.choices,
        "topics": list(Topic.objects.order_by("order", "name")),
        "linked": selectors.links_for(request.user, **{target.param: target.obj}),
    }
    return render(request, "library/link_pick.html", context)


@login_required
@require_POST
def link_add(request: HttpRequest) -> HttpResponse:
    target = _target(request.user, request.POST)
    resource_id = str(request.POST.get("resource", ""))
    resource = (
        selectors.published_for(request.user)
        .select_related("organization")
        .filter(pk=int(resource_id) if resource_id.isdigit() else 0)
        .first()
    )
    if resource is None:
        raise Http404("No such resource of yours.")
    try:
        services.link_add(actor=request.user, resource=resource, program=target.program, cohort=target.cohort)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{resource.title}” is linked to {target.name}.")
    return redirect(target.url)


@login_required
@require_POST
def link_remove(request: HttpRequest, pk: int) -> HttpResponse:
    link = ResourceLink.objects.select_related("resource", "program", "cohort").filter(pk=pk).first()
    if link is None:
        raise Http404("No such link.")
    target = _target(request.user, {"program": link.program_id or "", "cohort": link.cohort_id or ""})
    try:
        services.link_remove(actor=request.user, link=link)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{link.resource.title}” is no longer linked to {target.name}.")
    return redirect(target.url)
