"""The library's pages: the search (filters, pages, CSV), one resource (its case, its file, the programs
and cohorts it is shared with), its print view and PDF, and the forms of those who publish. Every read
goes through `edlead.library.selectors` (the access module's PROGRAM_VIEW / PROGRAM_MANAGE)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from edlead.access import policy
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.lib.exports import csv_response
from edlead.library import selectors, services
from edlead.library.forms import ResourceForm
from edlead.library.models import Resource, ResourceLink, Topic
from edlead.orgs.models import Organization


def may_use_library(user: Any) -> bool:
    """Everyone who reads the learning catalog (every staff role) has the library; not the school
    committee (elected, not staff) nor an account with no role."""
    return policy.can(user, policy.PROGRAM_VIEW)


# --- the search --------------------------------------------------------------------------------------------
@login_required
@require_safe
def resource_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_use_library(user):
        raise Http404("The library is for the staff of a district or the state.")
    filters = selectors.Filters.from_query(request.GET)
    results = selectors.search(user, filters)
    if request.GET.get("format") == "csv":
        return _export(list(results[: selectors.EXPORT_LIMIT]))
    page = Paginator(results, selectors.PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "kinds": Resource.Kind.choices,
        "topics": list(Topic.objects.order_by("order", "name")),
        "roles": selectors.ROLE_CHOICES,
        "standards": selectors.rubric_standards(),
        "publishers": selectors.publishers(user),
        "may_publish": bool(services.publishing_organizations(user)),
        "query": request.GET.urlencode(),
    }
    return render(request, "library/resource_list.html", context)


def _export(rows: list[Resource]) -> HttpResponse:
    header = ["Title", "Kind", "Published by", "Status", "Published on", "Topics", "Roles", "Summary", "Link"]
    body = [
        [
            r.title,
            r.get_kind_display(),
            r.organization.name if r.organization else "The state",
            r.get_status_display(),
            timezone.localtime(r.published_at).strftime("%Y-%m-%d") if r.published_at else "",
            "; ".join(t.name for t in r.topics.all()),
            services.roles_text(r.roles.all()),
            r.summary,
            r.url,
        ]
        for r in rows
    ]
    return csv_response("library.csv", header, body)


# --- one resource -----------------------------------------------------------------------------------------
def _detail_context(request: HttpRequest, resource: Resource) -> dict[str, Any]:
    user = request.user
    links = list(
        ResourceLink.objects.filter(resource=resource)
        .select_related("program", "cohort")
        .order_by("created_at", "pk")
    )
    targets = selectors.openable_targets(user, links)
    return {
        "resource": resource,
        "manages": services.manages(user, resource),
        "topics": list(resource.topics.all()),
        "roles": services.roles_text(resource.roles.all()),
        "indicators": list(resource.indicators.all()),
        "links": [lk for lk in links if (lk.program_id or -(lk.cohort_id or 0)) in targets],
    }


@login_required
@require_safe
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.resource_for(request.user, pk)
    return render(request, "library/resource_detail.html", _detail_context(request, resource))


@login_required
@require_safe
def resource_print(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.resource_for(request.user, pk)
    return render(request, "library/resource_print.html", _detail_context(request, resource))


@login_required
@require_safe
def resource_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from edlead.reports.pdf import render_pdf

    resource = selectors.resource_for(request.user, pk)
    return render_pdf(
        request,
        "library/resource_print.html",
        _detail_context(request, resource),
        filename=f"library-{resource.pk}.pdf",
        source="EdLead resource library",
        title=resource.title,
        audit_target=resource,
    )


# --- publishing --------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def resource_new(request: HttpRequest) -> HttpResponse:
    if not services.publishing_organizations(request.user):
        raise PermissionDenied("Program coordinators and administrators publish to the library.")
    form = ResourceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        value = form.cleaned_data["publisher"]
        organization = Organization.objects.filter(pk=int(value)).first() if value else None
        try:
            resource = services.resource_create(
                actor=request.user,
                organization=organization,
                data=form.resource_data(),
                publish=request.POST.get("action") == "publish",
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            state = "published" if resource.status == Resource.Status.PUBLISHED else "saved as a draft"
            messages.success(request, f"“{resource.title}” is {state}. Attach its file below if it has one.")
            return redirect(resource)
    status = 400 if request.method == "POST" else 200
    return render(request, "library/resource_form.html", {"form": form, "resource": None}, status=status)


def _managed(request: HttpRequest, pk: int) -> Resource:
    resource = selectors.resource_for(request.user, pk)
    if not services.manages(request.user, resource):
        raise PermissionDenied("Only the publisher's program coordinators change this resource.")
    return resource


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _managed(request, pk)
    form = ResourceForm(
        request.POST or None, user=request.user, resource=resource, initial=ResourceForm.initial_for(resource)
    )
    conflict: editing.EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_update(
                actor=request.user,
                resource=resource,
                data=form.resource_data(),
                expected_version=editing.expected_version(request.POST),
            )
        except editing.EditConflict as exc:
            conflict = exc
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Saved.")
            return redirect(resource)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "resource": resource, "conflict": conflict}
    return render(request, "library/resource_form.html", context, status=409 if conflict else status)


@login_required
@require_POST
def resource_publish(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _managed(request, pk)
    try:
        services.resource_publish(actor=request.user, resource=resource)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Published: everyone it is for finds it in the library.")
    return redirect(resource)


@login_required
@require_POST
def resource_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _managed(request, pk)
    try:
        services.resource_withdraw(actor=request.user, resource=resource)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Withdrawn to draft: readers, programs and cohorts no longer see it.")
    return redirect(resource)
