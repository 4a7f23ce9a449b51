"""Organization pages: the state, a district with its networks, a network, a school."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.orgs import selectors, services
from edlead.orgs.filters import OrganizationFilterSet
from edlead.orgs.forms import NetworkForm, SchoolMoveForm, SupervisionOverrideForm
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

Kind = Organization.Kind


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    """The organizations of the reader's districts (the whole state for state roles)."""
    orgs = policy.visible_to(
        request.user, Organization.objects.select_related("parent"), policy.ORG_DIRECTORY
    )
    filters = OrganizationFilterSet(request.GET or None, queryset=orgs)
    page = Paginator(filters.qs.order_by("kind", "name", "pk"), 50).get_page(request.GET.get("page"))
    return render(request, "orgs/organization_list.html", {"page": page, "filters": filters})


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organization_get_for_user(request.user, pk)
    context: dict = {
        "org": org,
        "crumbs": selectors.breadcrumbs(org),
        "can_manage": policy.can(request.user, policy.ORG_MANAGE, org),
    }
    if org.kind == Kind.SCHOOL:
        context.update(selectors.school_overview(request.user, org))
        template = "orgs/school_detail.html"
    elif org.kind == Kind.DISTRICT:
        context.update(selectors.district_overview(request.user, org))
        template = "orgs/district_detail.html"
    elif org.kind == Kind.NETWORK:
        context.update(selectors.network_overview(request.user, org))
        template = "orgs/network_detail.html"
    else:
        overview = selectors.state_overview(request.user, org)
        context["page"] = Paginator(overview["districts"], 50).get_page(request.GET.get("page"))
        template = "orgs/state_detail.html"
    return render(request, template, context)


@login_required
def district_schools_export(request: HttpRequest, pk: int) -> HttpResponse:
    district = selectors.organization_get_for_user(request.user, pk)
    if district.kind != Kind.DISTRICT:
        raise Http404("Not a district")
    from edlead.lib.exports import csv_response, xlsx_response

    rows = selectors.school_rows(
        request.user, Organization.objects.schools().open().filter(district=district)
    )
    xlsx = request.GET.get("format") == "xlsx"
    return (xlsx_response if xlsx else csv_response)(
        f"{district.code or district.pk}-schools.{'xlsx' if xlsx else 'csv'}",
        ["School code", "School", "Type", "Grades", "Network", "Principal", "Principal since", "Supervisor"],
        [
            [
                r.school.code or "",
                r.school.name,
                r.school.type_label,
                r.school.grades,
                r.school.parent.name if r.school.parent_id != district.pk and r.school.parent else "",
                r.principal.person.display_name if r.principal else "",
                r.principal.starts_on.isoformat() if r.principal and r.principal.starts_on else "",
                r.supervisor.display_name if r.supervisor else "",
            ]
            for r in rows
        ],
    )


def _district_for_manage(request: HttpRequest, pk: int) -> Organization:
    district = policy.get_for_user(request.user, Organization.objects.districts(), policy.ORG_MANAGE, pk=pk)
    return district


def _district_supervisors(district: Organization) -> list[Person]:
    today = dt.date.today()
    return list(
        Person.objects.filter(
            positions__in=Position.objects.current(today).filter(
                organization__path__startswith=district.path,
                role__in=[
                    Position.Role.PRINCIPAL_SUPERVISOR,
                    Position.Role.ASSISTANT_SUPERINTENDENT,
                    Position.Role.SUPERINTENDENT,
                ],
            )
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


@login_required
def district_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """Networks, school moves and supervision overrides for a district administrator."""
    district = _district_for_manage(request, pk)
    supervisors = _district_supervisors(district)
    forms: dict[str, Any] = {
        "network_form": NetworkForm(prefix="network"),
        "move_form": SchoolMoveForm(prefix="move", district=district),
        "override_form": SupervisionOverrideForm(
            prefix="override", district=district, supervisors=supervisors
        ),
    }
    if request.method == "POST":
        handler = _MANAGE_ACTIONS.get(request.POST.get("action", ""))
        if handler is None:
            messages.error(request, "Choose what to change.")
        else:
            try:
                done = handler(request, district, supervisors, forms)
                if done:
                    messages.success(request, done)
                    return redirect("orgs:district-manage", pk=district.pk)
            except ApplicationError as exc:
                messages.error(request, exc.message)
    overview = selectors.district_overview(request.user, district)
    context = {"org": district, "crumbs": selectors.breadcrumbs(district), **forms, **overview}
    return render(request, "orgs/district_manage.html", context)


def _manage_network(request: HttpRequest, district: Organization, _sup: list[Person], forms: dict) -> str:
    form = forms["network_form"] = NetworkForm(request.POST, prefix="network")
    if not form.is_valid():
        return ""
    net = services.network_create(
        district=district,
        name=form.cleaned_data["name"],
        label=form.cleaned_data["label"],
        actor=request.user,
    )
    return f"Created {net.name}."


def _manage_move(request: HttpRequest, district: Organization, _sup: list[Person], forms: dict) -> str:
    form = forms["move_form"] = SchoolMoveForm(request.POST, prefix="move", district=district)
    if not form.is_valid():
        return ""
    data = form.cleaned_data
    school = services.school_move(
        school=data["school"], to=data["to"], actor=request.user, seen_at=data["seen_at"]
    )
    return f"Moved {school.name} to {data['to'].name}."


def _manage_override(request: HttpRequest, district: Organization, sup: list[Person], forms: dict) -> str:
    form = forms["override_form"] = SupervisionOverrideForm(
        request.POST, prefix="override", district=district, supervisors=sup
    )
    if not form.is_valid():
        return ""
    data = form.cleaned_data
    services.supervision_override_set(
        school=data["school"],
        supervisor=data["supervisor"],
        starts_on=data["starts_on"],
        reason=data["reason"],
        actor=request.user,
    )
    return f"{data['supervisor']} now supervises the principal of {data['school']}."


_MANAGE_ACTIONS = {"network": _manage_network, "move": _manage_move, "override": _manage_override}


@login_required
@require_POST
def override_end(request: HttpRequest, pk: int, school_pk: int) -> HttpResponse:
    district = _district_for_manage(request, pk)
    school = policy.get_for_user(
        request.user,
        Organization.objects.schools().filter(district=district),
        policy.ORG_MANAGE,
        pk=school_pk,
    )
    if services.supervision_override_end(school=school, ends_on=dt.date.today(), actor=request.user):
        messages.success(request, f"{school.name} is supervised through its network again.")
    return redirect("orgs:district-manage", pk=district.pk)
