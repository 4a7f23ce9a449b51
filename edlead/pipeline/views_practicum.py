"""A practicum (hours log, the mentor's signature, the program supervisor's sign-off, the leadership project)
and applications (apply to an open posting; the hiring team's list of applicants with their eligibility)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.core.views import private
from edlead.credentials.models import Posting
from edlead.lib.exports import csv_response
from edlead.pipeline import forms, rules, selectors, services
from edlead.pipeline.models import STANDARDS, Application, LeadershipProject


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def placement(request: HttpRequest, pk: int) -> HttpResponse:
    found = rules.get_placement(request.user, pk)
    is_candidate = rules.is_candidate(request.user, found)
    is_mentor = found.mentor_id == getattr(request.user, "person_id", None)
    is_supervisor = found.supervisor_id == getattr(request.user, "person_id", None)
    view = selectors.practicum(found)
    action = request.POST.get("form", "")
    hours_form = forms.HoursForm(
        request.POST if action == "hours" else None, initial={"day": timezone.localdate()}
    )
    project = None
    if request.POST.get("project"):
        project = next((p for p in view.projects if str(p.pk) == request.POST["project"]), None)
    project_form = forms.ProjectForm(request.POST if action == "project" else None, goals=view.goals)
    error = ""
    if request.method == "POST":
        try:
            if action == "hours":
                if not hours_form.is_valid():
                    raise ApplicationError("Check the day, the times, the standard and the activity.")
                d = hours_form.cleaned_data
                services.hours_log(
                    actor=request.user,
                    placement=found,
                    day=d["day"],
                    starts_at=d["starts_at"],
                    ends_at=d["ends_at"],
                    standard=d["standard"],
                    activity=d["activity"],
                )
                messages.success(request, "Hours logged: your mentor is asked to sign them.")
            elif action == "sign":
                ids = [int(v) for v in request.POST.getlist("entry") if v.isdigit()]
                signed = services.hours_sign(actor=request.user, placement=found, entry_ids=ids)
                messages.success(request, f"Signed {signed} {'entry' if signed == 1 else 'entries'}.")
            elif action == "signoff":
                services.placement_sign_off(actor=request.user, placement=found)
                messages.success(request, "The practicum is signed off.")
            elif action == "project":
                if not project_form.is_valid():
                    raise ApplicationError("The project needs a title and a status.")
                d = project_form.cleaned_data
                services.project_save(
                    actor=request.user,
                    placement=found,
                    title=d["title"],
                    description=d["description"],
                    plan_goal_id=d["plan_goal"],
                    status=d["status"],
                    results=d["results"],
                    project=project,
                )
                messages.success(request, "Leadership project saved.")
            else:
                raise ApplicationError("Nothing to do.")
            return redirect("pipeline:placement", pk=found.pk)
        except ApplicationError as exc:
            error = str(exc)
    if request.GET.get("format") == "csv":
        return csv_response(
            f"practicum-hours-{found.pk}.csv",
            ["Day", "From", "To", "Minutes", "Standard", "Activity", "Signed on", "Signed by"],
            [
                [
                    e.day.isoformat(),
                    e.starts_at.strftime("%H:%M"),
                    e.ends_at.strftime("%H:%M"),
                    e.minutes,
                    e.standard,
                    e.activity,
                    timezone.localtime(e.signed_at).date().isoformat() if e.signed_at else "",
                    e.signed_by.display_name if e.signed_by else "",
                ]
                for e in view.entries
            ],
        )
    return private(
        render(
            request,
            "pipeline/placement.html",
            {
                "view": view,
                "p": found,
                "is_candidate": is_candidate,
                "is_mentor": is_mentor,
                "is_supervisor": is_supervisor,
                "hours_form": hours_form if is_candidate and not found.signed_off_at else None,
                "project_form": project_form if (is_candidate or is_mentor) else None,
                "project_statuses": LeadershipProject.Status.choices,
                "error": error,
                "by_standard": [(code, label, view.totals.get(code, 0)) for code, label in STANDARDS],
            },
        )
    )


def _open_posting(request: HttpRequest, pk: int) -> Posting:
    """A posting the signed-in person may apply to: open, in a district where they work or are in the pool."""
    pid = getattr(request.user, "person_id", None)
    if not pid:
        raise Http404("Only a person on record applies.")
    found = next((p for p in selectors.open_postings(pid, today=timezone.localdate()) if p.pk == pk), None)
    if found is None:
        raise Http404("No such open posting.")
    return found


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    posting = _open_posting(request, pk)
    from edlead.people.models import Person

    me = Person.objects.get(pk=getattr(request.user, "person_id", 0))
    assessment = services.assess_applicant(posting, me, today=timezone.localdate())
    already = Application.objects.filter(posting=posting, person=me).first()
    form = forms.ApplyForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(
                actor=request.user, posting=posting, statement=form.cleaned_data["statement"]
            )
        except ApplicationError as exc:
            error = str(exc)
        else:
            messages.success(request, f"You applied to {posting.title}. HR is told; follow it on this page.")
            return redirect("pipeline:home")
    return private(
        render(
            request,
            "pipeline/apply.html",
            {"posting": posting, "assessment": assessment, "form": form, "already": already, "error": error},
        )
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    pid = getattr(request.user, "person_id", None)
    app = Application.objects.filter(pk=pk, person_id=pid or 0).first()
    if app is None:
        raise Http404("No such application.")
    try:
        services.application_withdraw(actor=request.user, application=app)
        messages.success(request, "Application withdrawn.")
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return redirect("pipeline:home")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def applicants(request: HttpRequest, pk: int) -> HttpResponse:
    posting = (
        rules.applications_readable(request.user, Posting.objects.all())
        .select_related("organization")
        .filter(pk=pk)
        .first()
    )
    if posting is None:
        raise Http404("No such posting.")
    may_move = policy.POSTING_MANAGE in policy.actions_on(request.user, posting.organization)
    if request.method == "POST":
        form = forms.MoveForm(request.POST)
        app = (
            rules.applications_readable(request.user, Application.objects.filter(posting=posting))
            .filter(pk=request.POST.get("application") or 0)
            .first()
        )
        if app is None or not form.is_valid():
            messages.error(request, "Choose an application and what happens next.")
        else:
            try:
                services.application_move(
                    actor=request.user,
                    application=app,
                    move=form.cleaned_data["move"],
                    note=form.cleaned_data["note"],
                )
                messages.success(
                    request, f"{app.person.display_name}: {app.get_status_display().lower()} → updated."
                )
            except ApplicationError as exc:
                messages.error(request, str(exc))
        return redirect("pipeline:applicants", pk=posting.pk)
    rows = selectors.applicants(request.user, posting)
    if request.GET.get("format") == "csv":
        return csv_response(
            f"applicants-{posting.pk}.csv",
            [
                "Name",
                "Current positions",
                "Applied on",
                "Status",
                "Meets the requirements",
                "Missing",
                "Pool stage",
            ],
            [
                [
                    a.person.display_name,
                    "; ".join(f"{p.display_title}, {p.organization.name}" for p in a.current_positions),  # type: ignore[attr-defined]
                    timezone.localtime(a.created_at).date().isoformat(),
                    a.get_status_display(),
                    "yes" if a.eligible else "no",
                    "; ".join(a.missing),
                    a.pool_stage,  # type: ignore[attr-defined]
                ]
                for a in rows
            ],
        )
    return private(
        render(
            request,
            "pipeline/applicants.html",
            {
                "posting": posting,
                "rows": rows,
                "may_move": may_move,
                "move_form": forms.MoveForm(),
                "may_advise": policy.can(request.user, policy.HIRING_ADVICE, posting),
                "may_view_posting": policy.can(request.user, policy.POSTING_VIEW, posting),
            },
        )
    )


# --- preparation, recorded by the district's program coordinators ----------------------------------------
def preparation_forms(entry: Any, data: Any = None) -> tuple[forms.EnrollForm, forms.PlacementForm | None]:
    """The enrolment and placement forms of a pool entry's page (for those who run its district's programs)."""
    from django.db.models import Q

    from edlead.orgs.models import Organization
    from edlead.people.models import Person, Position
    from edlead.pipeline.models import Candidacy, Placement, PrepProgram

    district = entry.organization
    programs = list(
        PrepProgram.objects.filter(active=True)
        .filter(Q(organization__isnull=True) | Q(organization=district))
        .order_by("name")
    )
    enroll = forms.EnrollForm(
        data if data and data.get("form") == "enroll" else None,
        programs=programs,
        initial={"cohort_year": timezone.localdate().year},
    )
    candidacies = list(
        Candidacy.objects.filter(person_id=entry.person_id, status=Candidacy.Status.ENROLLED).select_related(
            "program"
        )
    )
    if not candidacies:
        return enroll, None
    schools = list(
        Organization.objects.filter(
            path__startswith=district.path, kind=Organization.Kind.SCHOOL, closed_on__isnull=True
        ).order_by("name")
    )
    mentors = [
        (p.person_id, f"{p.person.display_name}, {p.organization.name}")
        for p in Position.objects.current()
        .filter(organization__path__startswith=district.path, role=Position.Role.PRINCIPAL)
        .select_related("person", "organization")
        .order_by("person__last_name", "pk")
    ]
    supervisor_ids = Placement.objects.values_list("supervisor_id", flat=True).distinct()
    supervisors = [
        (p.pk, p.display_name) for p in Person.objects.filter(pk__in=supervisor_ids).order_by("last_name")
    ]
    place = forms.PlacementForm(
        data if data and data.get("form") == "place" else None,
        candidacies=candidacies,
        schools=schools,
        mentors=mentors,
        supervisors=supervisors,
    )
    return enroll, place


def preparation_save(request: HttpRequest, entry: Any, enroll: forms.EnrollForm, place: Any) -> str | None:
    """Enrol or place from the entry page's forms; the message to show, or None when nothing was asked."""
    from edlead.orgs.models import Organization
    from edlead.people.models import Person
    from edlead.pipeline.models import Candidacy, PrepProgram

    which = request.POST.get("form")
    if which == "enroll":
        if not enroll.is_valid():
            raise ApplicationError("Choose a program and the cohort's school year.")
        services.candidacy_enroll(
            actor=request.user,
            person=entry.person,
            program=PrepProgram.objects.get(pk=enroll.cleaned_data["program"]),
            cohort_year=enroll.cleaned_data["cohort_year"],
        )
        return "Enrolled in the program."
    if which == "place" and place is not None:
        if not place.is_valid():
            raise ApplicationError("Choose the program, host school, mentor, supervisor and dates.")
        d = place.cleaned_data
        services.placement_create(
            actor=request.user,
            candidacy=Candidacy.objects.get(pk=d["candidacy"], person_id=entry.person_id),
            school=Organization.objects.get(pk=d["school"]),
            mentor=Person.objects.get(pk=d["mentor"]),
            supervisor=Person.objects.get(pk=d["supervisor"]),
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
        )
        return "Placed in the practicum: the candidate logs hours from their pathway."
    return None
