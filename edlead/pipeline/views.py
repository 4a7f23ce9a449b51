"""Pipeline pages: one's own pathway, the district's pool (with its diversity), an aspiring leader's entry
(stage history and readiness notes), the succession view and the outcomes of preparation programs. Every
read goes through the access module."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.core.views import private
from edlead.lib.exports import csv_response
from edlead.orgs.models import Organization
from edlead.people.models import Person
from edlead.pipeline import forms, rules, selectors, services, views_practicum
from edlead.pipeline.models import PoolEntry, ReadinessNote, SuccessionCandidate


def _district(request: HttpRequest, pk: int) -> Organization:
    return policy.get_for_user(
        request.user,
        Organization.objects.filter(kind=Organization.Kind.DISTRICT),
        policy.PIPELINE_VIEW,
        pk=pk,
    )


def _home_district(request: HttpRequest) -> Organization | None:
    """The district of the person's current position (where they join the pool)."""
    pid = getattr(request.user, "person_id", None)
    if not pid:
        return None
    from edlead.people.models import Position

    pos = (
        Position.objects.current().filter(person_id=pid).select_related("organization").order_by("pk").first()
    )
    if pos is None:
        return None
    return services.district_of(pos.organization)


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    path = selectors.pathway(request.user)
    districts = list(selectors.districts_for(request.user))
    mentoring = [
        p
        for p in selectors.placements_for(request.user)
        if p.person_id != getattr(request.user, "person_id", None)
    ]
    if path is None and not districts:
        raise Http404("No pipeline for you to read.")
    home_district = _home_district(request)
    joined = {e.organization_id for e in path.entries} if path else set()
    return private(
        render(
            request,
            "pipeline/home.html",
            {
                "path": path,
                "districts": districts,
                "mentoring": mentoring,
                "join_form": forms.JoinForm() if home_district and home_district.pk not in joined else None,
                "home_district": home_district,
                "may_programs": policy.can(request.user, policy.PROGRAM_MANAGE),
            },
        )
    )


@login_required
@require_POST
def join(request: HttpRequest) -> HttpResponse:
    district = _home_district(request)
    form = forms.JoinForm(request.POST)
    if district is None or not form.is_valid():
        messages.error(request, "Only someone working in a district joins its pool.")
        return redirect("pipeline:home")
    person = Person.objects.get(pk=getattr(request.user, "person_id", 0))
    try:
        services.pool_join(
            actor=request.user,
            person=person,
            district=district,
            interests=form.cleaned_data["interests"],
            goal=form.cleaned_data["goal"],
        )
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"You are in {district.name}'s aspiring-leader pool.")
    return redirect("pipeline:home")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def demographics(request: HttpRequest) -> HttpResponse:
    pid = getattr(request.user, "person_id", None)
    if not pid:
        raise Http404("Only a person on record answers these questions.")
    person = Person.objects.get(pk=pid)
    current = selectors.Demographics.objects.filter(person=person).first()
    initial = (
        {
            "race": current.race,
            "gender": current.gender,
            "first_generation": {True: "yes", False: "no"}.get(current.first_generation, ""),  # type: ignore[arg-type]
        }
        if current
        else {}
    )
    form = forms.DemographicsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.demographics_save(
            actor=request.user,
            person=person,
            race=form.cleaned_data["race"],
            gender=form.cleaned_data["gender"],
            first_generation=form.cleaned_data["first_generation"],
        )
        messages.success(
            request, "Saved. Only you see your answers; others see only totals of larger groups."
        )
        return redirect("pipeline:home")
    return private(render(request, "pipeline/demographics.html", {"form": form}))


@login_required
@require_safe
def pool(request: HttpRequest, pk: int) -> HttpResponse:
    district = _district(request, pk)
    stage = request.GET.get("stage", "")
    q = request.GET.get("q", "")[:100]
    if request.GET.get("format") == "csv":
        found = selectors.pool(request.user, district, stage=stage, q=q, page=None)
        rows = [
            [
                r.entry.person.display_name,
                "; ".join(f"{p.display_title}, {p.organization.name}" for p in r.positions),
                r.entry.get_stage_display(),
                r.entry.stage_since.isoformat(),
                "; ".join(r.entry.interests),
                "; ".join(n.get_readiness_display() for n in r.readiness),
                round(r.signed_minutes / 60, 1),
                r.required_hours or "",
                r.applications,
            ]
            for r in found.rows
        ]
        return csv_response(
            f"pool-{district.code or district.pk}.csv",
            [
                "Name",
                "Current positions",
                "Stage",
                "Since",
                "Interests",
                "Readiness",
                "Practicum hours signed",
                "Hours required",
                "Applications",
            ],
            rows,
        )
    found = selectors.pool(request.user, district, stage=stage, q=q, page=int(request.GET.get("page") or 1))
    return private(
        render(
            request,
            "pipeline/pool.html",
            {
                "district": district,
                "pool": found,
                "stage": stage,
                "q": q,
                "stages": PoolEntry.Stage.choices,
                "diversity": selectors.pool_diversity(district),
            },
        )
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    """An aspiring leader's pool entry: stage history; readiness notes for the chain; the stage form for
    HR and coordinators."""
    found = (
        (
            policy.visible_to(request.user, PoolEntry.objects.all(), policy.PIPELINE_VIEW)
            | policy.visible_to(request.user, PoolEntry.objects.all(), rules.ENTRY_READ)
        )
        .filter(pk=pk)
        .select_related("person", "organization")
        .first()
    )
    if found is None:
        raise Http404("No such pool entry.")
    may_note = rules.in_chain_of(request.user, found.person_id)
    may_stage = bool(
        policy.actions_on(request.user, found.organization) & {policy.PROGRAM_MANAGE, policy.PERSON_EDIT}
    )
    may_prepare = services.may_run_programs(request.user, found.organization)
    enroll_form, place_form = (
        views_practicum.preparation_forms(found, request.POST or None) if may_prepare else (None, None)
    )
    note_form = forms.ReadinessForm(request.POST if request.POST.get("form") == "readiness" else None)
    stage_form = forms.StageForm(
        request.POST if request.POST.get("form") == "stage" else None, initial={"stage": found.stage}
    )
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("form") == "readiness" and may_note and note_form.is_valid():
                services.readiness_note_save(
                    actor=request.user,
                    entry=found,
                    readiness=note_form.cleaned_data["readiness"],
                    text=note_form.cleaned_data["text"],
                )
                messages.success(request, "Readiness note saved.")
                return redirect("pipeline:entry", pk=found.pk)
            if request.POST.get("form") == "stage" and may_stage and stage_form.is_valid():
                services.pool_stage_set(
                    actor=request.user,
                    entry=found,
                    stage=stage_form.cleaned_data["stage"],
                    note=stage_form.cleaned_data["note"],
                )
                messages.success(request, "Stage changed.")
                return redirect("pipeline:entry", pk=found.pk)
            if may_prepare and enroll_form is not None:
                done = views_practicum.preparation_save(request, found, enroll_form, place_form)
                if done:
                    messages.success(request, done)
                    return redirect("pipeline:entry", pk=found.pk)
            if not (may_note or may_stage or may_prepare):
                raise Http404("Nothing to change here for you.")
        except ApplicationError as exc:
            error = str(exc)
    labels = dict(PoolEntry.Stage.choices)
    notes = list(
        policy.visible_to(
            request.user, ReadinessNote.objects.filter(entry=found), rules.READINESS_READ
        ).select_related("author")
    )
    return private(
        render(
            request,
            "pipeline/entry.html",
            {
                "entry": found,
                "events": [
                    (e, labels.get(e.from_status, e.from_status), labels.get(e.to_status, e.to_status))
                    for e in found.events.all()
                ],
                "notes": notes,
                "note_form": note_form if may_note else None,
                "stage_form": stage_form if may_stage else None,
                "enroll_form": enroll_form,
                "place_form": place_form,
                "candidacies": list(found.person.candidacies.select_related("program")),
                "placements": list(
                    rules.placements_readable(request.user)
                    .filter(person_id=found.person_id)
                    .select_related("organization", "mentor")
                ),
                "error": error,
            },
        )
    )


@login_required
@require_safe
def succession(request: HttpRequest, pk: int) -> HttpResponse:
    district = _district(request, pk)
    network = request.GET.get("network", "")
    view = selectors.succession(
        request.user, district, network_id=int(network) if network.isdigit() else None
    )
    if request.GET.get("format") == "csv":
        return csv_response(
            f"succession-{district.code or district.pk}.csv",
            [
                "School",
                "Network",
                "Principal",
                "Years as principal",
                "Ready now",
                "Ready in 1–2 years",
                "Eligible internal candidates",
                "Gap",
            ],
            [
                [
                    r.school.name,
                    r.school.parent.name if r.school.parent else "",
                    "; ".join(p.person.display_name for p in r.principals) or "Vacant",
                    r.tenure_years if r.tenure_years is not None else "",
                    "; ".join(c.person.display_name for c in r.ready_now),
                    "; ".join(c.person.display_name for c in r.one_two),
                    r.eligible_internal,
                    "none named" if r.gap else "",
                ]
                for r in view.rows
            ],
        )
    networks = list(
        Organization.objects.filter(parent=district, kind=Organization.Kind.NETWORK).order_by("name")
    )
    candidates = list(
        Person.objects.filter(services.candidates_filter(district))
        .distinct()
        .order_by("last_name", "first_name")[:500]
    )
    return private(
        render(
            request,
            "pipeline/succession.html",
            {
                "district": district,
                "view": view,
                "networks": networks,
                "network": network,
                "candidates": [(p.pk, p.display_name) for p in candidates],
                "readiness_choices": SuccessionCandidate.Readiness.choices,
            },
        )
    )


@login_required
@require_POST
def successor_add(request: HttpRequest, pk: int) -> HttpResponse:
    school = policy.get_for_user(
        request.user,
        Organization.objects.filter(kind=Organization.Kind.SCHOOL),
        policy.SUCCESSION_EDIT,
        pk=pk,
    )
    district = services.district_of(school)
    people = list(
        Person.objects.filter(services.candidates_filter(district)).distinct().values_list("pk", "last_name")
    )
    form = forms.SuccessorForm(request.POST, people=[(p, n) for p, n in people])
    if not form.is_valid():
        messages.error(request, "Choose a person from the district's pool and how ready they are.")
    else:
        try:
            services.succession_add(
                actor=request.user,
                school=school,
                person=Person.objects.get(pk=form.cleaned_data["person"]),
                readiness=form.cleaned_data["readiness"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, f"Successor named for {school.name}.")
        except ApplicationError as exc:
            messages.error(request, str(exc))
    return redirect(f"{_succession_url(district)}#school-{school.pk}")


@login_required
@require_POST
def successor_remove(request: HttpRequest, pk: int) -> HttpResponse:
    row = policy.get_for_user(
        request.user,
        SuccessionCandidate.objects.select_related("organization"),
        policy.SUCCESSION_EDIT,
        pk=pk,
    )
    district = services.district_of(row.organization)
    try:
        services.succession_remove(actor=request.user, row=row)
        messages.success(request, "Removed from the succession view.")
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return redirect(_succession_url(district))


def _succession_url(district: Organization) -> str:
    from django.urls import reverse

    return reverse("pipeline:succession", args=[district.pk])


@login_required
@require_safe
def outcomes(request: HttpRequest, pk: int) -> HttpResponse:
    district = _district(request, pk)
    rows = selectors.program_outcomes(district)
    if request.GET.get("format") == "csv":
        return csv_response(
            f"program-outcomes-{district.code or district.pk}.csv",
            [
                "Program",
                "Partner",
                "Completers",
                "Went on to lead",
                "Still leading 3 years on",
                "Of",
                "Change at their schools",
                "State change",
                "Schools",
            ],
            [
                [
                    r.program.name,
                    r.program.partner,
                    r.completers,
                    r.leaders,
                    "" if r.retained is None else r.retained,
                    r.retained_of,
                    "" if r.change is None else r.change,
                    "" if r.state_change is None else r.state_change,
                    r.schools,
                ]
                for r in rows
            ],
        )
    return render(
        request,
        "pipeline/outcomes.html",
        {"district": district, "rows": rows, "metric": selectors.OUTCOME_METRIC[1], "limit": _limit()},
    )


def _limit() -> Any:
    from django.conf import settings

    return getattr(settings, "EDLEAD_SUPPRESS_MIN_STAFF", 6)
