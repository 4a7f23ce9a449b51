"""The teacher-leader roles catalog: the roles of the reader's districts (CSV), one role with its current
holders — their term (ending soon flagged), learning and coaching hours where the reader may see them —
and, for the district's administrators and HR, adding and changing roles and assigning people."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.core.views import private as _private
from edlead.lib.exports import csv_response
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.teacherleaders import forms, rules, selectors, services
from edlead.teacherleaders.models import TeacherLeaderAssignment, TeacherLeaderRole


@login_required
@require_safe
def role_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not policy.can(user, policy.ORG_DIRECTORY):
        raise Http404("No catalog for you.")
    today = timezone.localdate()
    rows = selectors.roles_for_user(user, today)
    if request.GET.get("format") == "csv":
        header = [
            "District",
            "Role",
            "Kind",
            "Responsibilities",
            "Selection criteria",
            "Stipend",
            "Term (years)",
            "Offered",
            "Current holders",
        ]
        body = [
            [
                r.role.organization.name,
                r.role.name,
                r.role.get_kind_display(),
                r.role.responsibilities,
                r.role.selection_criteria,
                r.role.stipend if r.role.stipend is not None else "",
                r.role.term_years,
                "yes" if r.role.is_active else "no",
                r.holders,
            ]
            for r in rows
        ]
        return csv_response("teacher-leader-roles.csv", header, body)
    managed = [
        d for d in rules.catalog_districts(user).order_by("name")[:20] if rules.may_manage_catalog(user, d)
    ]
    return render(request, "teacherleaders/role_list.html", {"rows": rows, "managed": managed})


def _role(request: HttpRequest, pk: int) -> TeacherLeaderRole:
    return policy.get_for_user(
        request.user, TeacherLeaderRole.objects.select_related("organization"), policy.ORG_DIRECTORY, pk=pk
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def role_form(request: HttpRequest, district: int, pk: int | None = None) -> HttpResponse:
    org = policy.get_for_user(
        request.user, Organization.objects.filter(kind="district"), policy.ORG_DIRECTORY, pk=district
    )
    if not rules.may_manage_catalog(request.user, org):
        raise Http404("You do not manage this catalog.")
    role = _role(request, pk) if pk else None
    if role is not None and role.organization_id != org.pk:
        raise Http404("Not this district's role.")
    initial: dict[str, Any] = {}
    if role is not None:
        initial = {
            f: getattr(role, f)
            for f in (
                "name",
                "kind",
                "responsibilities",
                "selection_criteria",
                "stipend",
                "term_years",
                "is_active",
            )
        }
    form = forms.RoleForm(request.POST or None, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.role_save(actor=request.user, district=org, role=role, **form.cleaned_data)
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, f"{saved.name} saved.")
            return redirect(saved)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "teacherleaders/role_form.html",
        {"form": form, "district": org, "role": role, "error": error},
        status=status,
    )


def _assign_choices(district: Organization) -> tuple[list[Person], list[tuple[int, str]]]:
    today = timezone.localdate()
    ids = (
        Position.objects.current(today)
        .filter(
            organization__path__startswith=district.path,
            role__in=[Position.Role.TEACHER, Position.Role.TEACHER_LEADER, Position.Role.COACH],
        )
        .values("person_id")
    )
    people = list(Person.objects.filter(pk__in=ids).order_by("last_name", "first_name")[:1000])
    places = [(district.pk, f"{district.name} (district-wide)")] + list(
        Organization.objects.schools()
        .filter(path__startswith=district.path)
        .order_by("name")
        .values_list("pk", "name")[:500]
    )
    return people, places


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def role_detail(request: HttpRequest, pk: int) -> HttpResponse:
    role = _role(request, pk)
    user = request.user
    today = timezone.localdate()
    manage = rules.may_manage_catalog(user, role.organization)
    form = None
    error = ""
    if manage:
        people, places = _assign_choices(role.organization)
        form = forms.AssignForm(
            request.POST or None, people=people, places=places, initial={"starts_on": today}
        )
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                services.assignment_start(
                    actor=user,
                    role=role,
                    person=Person.objects.get(pk=d["person"]),
                    organization=Organization.objects.get(pk=d["organization"]),
                    starts_on=d["starts_on"],
                )
            except ApplicationError as exc:
                error = exc.message
            else:
                messages.success(request, "Role assigned.")
                return redirect(role)
    elif request.method == "POST":
        raise Http404("You do not manage this catalog.")
    rows = selectors.holders(user, role, today)
    if request.GET.get("format") == "csv":
        header = ["Person", "Where", "Term starts", "Term ends", "Ending soon"]
        body = [
            [
                h.assignment.person.display_name,
                h.assignment.organization.name,
                h.assignment.term_starts_on,
                h.assignment.term_ends_on,
                "yes" if h.ending_soon else "",
            ]
            for h in rows
        ]
        return _private(csv_response(f"teacher-leaders-{role.pk}.csv", header, body))
    context = {
        "role": role,
        "holders": rows,
        "manage": manage,
        "form": form,
        "error": error,
        "soon": selectors.ENDING_SOON_DAYS,
    }
    return _private(
        render(
            request,
            "teacherleaders/role_detail.html",
            context,
            status=400 if error or (form is not None and form.errors) else 200,
        )
    )


@login_required
@require_POST
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    row = TeacherLeaderAssignment.objects.select_related("role__organization").filter(pk=pk).first()
    if row is None or not policy.can(request.user, policy.ORG_DIRECTORY, row.role):
        raise Http404("No such assignment.")
    try:
        services.assignment_end(actor=request.user, assignment=row)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{row.role.name}: the term ended today.")
    return redirect(row.role)
