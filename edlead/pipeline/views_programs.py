"""Preparation programs: the list of the state's and one's districts' programs with their candidates, and the
form to add or change one (the state's programs: a state grant; a district's: its coordinators and
administrators)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.orgs.models import Organization
from edlead.pipeline import forms, services
from edlead.pipeline.models import Candidacy, PrepProgram

STATE = "state"


def _districts(user: Any) -> list[Organization]:
    return list(
        policy.visible_to(
            user, Organization.objects.filter(kind=Organization.Kind.DISTRICT), policy.PROGRAM_MANAGE
        ).order_by("name")
    )


def _places(user: Any) -> list[tuple[str, str]]:
    """Where the user may offer a program: the whole state (a state grant) and their districts."""
    places = [(STATE, "Candidates across the state")] if services.may_run_programs(user, None) else []
    return places + [(str(d.pk), d.name) for d in _districts(user)]


@login_required
@require_safe
def program_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (policy.can(user, policy.PIPELINE_VIEW) or policy.can(user, policy.PROGRAM_MANAGE)):
        raise Http404("No preparation programs for you to read.")
    districts = policy.visible_to(
        user, Organization.objects.filter(kind=Organization.Kind.DISTRICT), policy.PIPELINE_VIEW
    ) | policy.visible_to(
        user, Organization.objects.filter(kind=Organization.Kind.DISTRICT), policy.PROGRAM_MANAGE
    )
    rows = list(
        PrepProgram.objects.filter(Q(organization__isnull=True) | Q(organization__in=districts))
        .select_related("organization")
        .annotate(
            enrolled=Count("candidacies", filter=Q(candidacies__status=Candidacy.Status.ENROLLED)),
            completed=Count("candidacies", filter=Q(candidacies__status=Candidacy.Status.COMPLETED)),
        )
        .order_by("-active", "name", "pk")
    )
    manages = {p.pk for p in rows if services.may_run_programs(user, p.organization)}
    return render(
        request,
        "pipeline/program_list.html",
        {"rows": rows, "manages": manages, "may_add": bool(_places(user))},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def program_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    places = _places(request.user)
    program = PrepProgram.objects.filter(pk=pk).select_related("organization").first() if pk else None
    if not places or (
        pk and (program is None or not services.may_run_programs(request.user, program.organization))
    ):
        raise Http404("No preparation program for you to keep here.")
    initial: dict[str, Any] = {}
    if program is not None:
        initial = {
            "name": program.name,
            "partner": program.partner,
            "provider": program.provider,
            "required_hours": program.required_hours,
            "active": program.active,
            "offered_by": str(program.organization_id) if program.organization_id else STATE,
        }
    form = forms.PrepProgramForm(request.POST or None, places=places, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        where = None if d["offered_by"] == STATE else Organization.objects.get(pk=int(d["offered_by"]))
        try:
            services.prep_program_save(
                actor=request.user,
                organization=where,
                name=d["name"],
                partner=d["partner"],
                provider=d["provider"],
                required_hours=d["required_hours"],
                active=d["active"],
                program=program,
            )
        except ApplicationError as exc:
            error = str(exc)
        else:
            messages.success(request, "Preparation program saved.")
            return redirect("pipeline:program-list")
    return render(request, "pipeline/program_form.html", {"form": form, "program": program, "error": error})
