"""School visit pages: my visits (to come and made), schedule or record one, a visit's page (the visitor
writes notes that autosave — also with no connection, through the service worker and the browser's
storage — records the district's look-fors, tags evidence to plan goals, adds next steps and releases the
feedback; the principal reads it), the supervisor's coverage of their schools, and a private calendar
feed. Every read goes through the access module (`selectors.visit_get_for_user`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from edlead import config
from edlead.access import policy
from edlead.access.models import RoleGrant
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.views import private as _private
from edlead.evaluations.models import Cycle, Indicator
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.people.selectors import supervised_schools
from edlead.visits import calendar, forms, selectors, services
from edlead.visits.models import CalendarFeed, NextStep, Visit

# Who schedules visits to schools they do not supervise themselves: the superintendent's office.
VISITING_ROLES = frozenset({RoleGrant.Role.SUPERINTENDENT, RoleGrant.Role.PRINCIPAL_SUPERVISOR})


def _schools(user: Any) -> list[Organization]:
    """The schools the user may schedule visits to: those they supervise, else the schools they may read
    (a superintendent's district)."""
    person = getattr(user, "person", None)
    if person is not None:
        mine = list(supervised_schools(person).order_by("name"))
        if mine:
            return mine
    leads = [g for g in policy.effective_grants(user) if g.role in VISITING_ROLES]
    if not leads:
        return []
    scope = Q()
    for g in leads:
        scope |= Q(path__startswith=g.path)
    return list(Organization.objects.schools().open().filter(scope).order_by("name")[:500])


def _principal(school: Organization) -> Person | None:
    pos = (
        Position.objects.current(timezone.localdate())
        .filter(organization=school, role=Position.Role.PRINCIPAL)
        .select_related("person")
        .order_by("starts_on", "pk")
        .first()
    )
    return pos.person if pos else None


# --- my visits -------------------------------------------------------------------------------------------------
@login_required
@require_safe
def visit_list(request: HttpRequest) -> HttpResponse:
    """Visits to come and visits made (the visitor's), and visits to me (the principal's)."""
    pid = getattr(request.user, "person_id", None)
    if not pid:
        raise Http404("Visits belong to people: your account is not linked to a person record.")
    today = timezone.localdate()
    supervises = supervised_schools(request.user.person).exists()  # type: ignore[union-attr,arg-type]
    made = list(selectors.visits_made_by(request.user).filter(date__gte=today - dt.timedelta(days=120))[:200])
    to_me = list(selectors.visits_for(request.user).filter(educator_id=pid).exclude(visitor_id=pid)[:100])
    context = {
        "upcoming": sorted(
            (v for v in made if v.date > today and not v.cancelled), key=lambda v: (v.date, v.pk)
        ),
        "recent": [v for v in made if v.date <= today or v.cancelled],
        "to_me": to_me,
        "today": today,
        "may_schedule": supervises
        or any(g.role in VISITING_ROLES for g in policy.effective_grants(request.user)),
        "supervises": supervises,
    }
    return _private(render(request, "visits/visit_list.html", context))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def visit_new(request: HttpRequest) -> HttpResponse:
    schools = _schools(request.user)
    if not schools:
        raise Http404("You have no schools to visit.")
    initial: dict[str, Any] = {}
    if request.GET.get("school", "").isdigit():
        initial["school"] = int(request.GET["school"])
    form = forms.VisitForm(request.POST or None, schools=schools, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        school: Organization = data["school"]
        try:
            educator = _principal(school) if data["with_principal"] else None
            if data["with_principal"] and educator is None:
                raise ApplicationError(
                    "The school has no principal on record: untick “A visit with the principal”."
                )
            cycle = None
            if data["evaluative"]:
                if educator is None:
                    raise ApplicationError("An evaluative visit is a visit with the principal.")
                cycle = (
                    Cycle.objects.filter(
                        educator=educator, evaluator_id=getattr(request.user, "person_id", None)
                    )
                    .exclude(step__in=[Cycle.Step.DONE])
                    .order_by("-school_year")
                    .first()
                )
                if cycle is None:
                    raise ApplicationError(
                        f"You are not the evaluator of an open evaluation of {educator.display_name}: "
                        "an evaluative visit belongs to one."
                    )
            visit = services.visit_record(
                actor=request.user,
                organization=school,
                date=data["date"],
                start_time=data["start_time"],
                length_minutes=data["length_minutes"],
                educator=educator,
                cycle=cycle,
                announced=data["announced"],
                evaluative=data["evaluative"],
                purpose=data["purpose"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            verb = "scheduled" if visit.date > timezone.localdate() else "recorded"
            messages.success(request, f"Visit to {school.name} {verb}.")
            return redirect(visit)
    status = 400 if request.method == "POST" else 200
    return _private(render(request, "visits/visit_new.html", {"form": form}, status=status))


# --- one visit -------------------------------------------------------------------------------------------------
def _notes_form(visit: Visit, data: Any = None) -> forms.NotesForm:
    protocol = list(config.setting(visit.organization, services.LOOK_FORS))
    protocol += [t for t in visit.look_fors if t not in protocol]  # a look-for the district dropped stays
    initial: dict[str, Any] = {"version": visit.version, "notes": visit.notes, "feedback": visit.feedback}
    form = forms.NotesForm(data, initial=initial, look_fors=protocol)
    for name, text in form.look_for_names:
        form.initial[name] = visit.look_fors.get(text, "")
    return form


def _owners(visit: Visit) -> Any:
    from edlead.plans.checks import school_people_q

    ids = set(
        Position.objects.current(timezone.localdate())
        .filter(school_people_q(visit.organization))
        .values_list("person_id", flat=True)
    ) | {visit.visitor_id}
    if visit.educator_id:
        ids.add(visit.educator_id)
    return Person.objects.filter(pk__in=ids).order_by("last_name", "first_name")


def _page(request: HttpRequest, visit: Visit, *, status: int = 200, **given: Any) -> HttpResponse:
    from edlead.plans.models import Goal, Plan

    mine = visit.visitor_id == getattr(request.user, "person_id", None)
    shown = selectors.visit_shown(request.user, visit)
    open_ = mine and not visit.released and not visit.cancelled
    happened = visit.date <= timezone.localdate()
    steps = list(visit.next_steps.select_related("owner"))
    goals = list(visit.plan_goals.select_related("plan", "metric"))
    indicators = list(visit.focus_indicators.select_related("standard"))
    context: dict[str, Any] = {
        "visit": visit,
        "shown": shown,
        "mine": mine,
        "open": open_,
        "happened": happened,
        "steps": steps,
        "goals": goals,
        "indicators": indicators,
        "look_fors": [
            (t, Visit.LookFor(v).label) for t, v in visit.look_fors.items() if v in Visit.LookFor.values
        ],
        "pid": getattr(request.user, "person_id", None),
    }
    if open_:
        plan_goals = (
            Goal.objects.filter(plan__organization=visit.organization, plan__is_template=False)
            .exclude(plan__status=Plan.Status.DRAFT)
            .select_related("plan")
            .order_by("-plan__first_year", "order", "pk")
        )
        rubric = (
            Indicator.objects.filter(standard__framework_id=visit.cycle.framework_id).select_related(
                "standard"
            )
            if visit.evaluative and visit.cycle is not None
            else Indicator.objects.none()
        )
        context.update(
            notes_form=given.get("notes_form") or _notes_form(visit),
            tags_form=forms.TagsForm(
                goals=plan_goals,
                indicators=rubric,
                initial={"goals": [g.pk for g in goals], "indicators": [i.pk for i in indicators]},
            ),
            step_form=given.get("step_form")
            or forms.NextStepForm(
                owners=_owners(visit), initial={"due_on": visit.date + dt.timedelta(days=14)}
            ),
            autosave=given.get("autosave") or editing.Autosave(slug="visit", version=visit.version),
            trigger=editing.AUTOSAVE_TRIGGER,
            offline_key=f"edlead-visit-{visit.pk}",
        )
    return _private(render(request, "visits/visit_detail.html", context, status=status))


@login_required
@require_safe
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, selectors.visit_get_for_user(request.user, pk))


def _own(request: HttpRequest, pk: int) -> Visit:
    visit = selectors.visit_get_for_user(request.user, pk)
    if visit.visitor_id != getattr(request.user, "person_id", None):
        raise Http404("Only the visitor changes a visit.")
    return visit


@login_required
@require_POST
def visit_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave of the notes, feedback and look-fors (htmx answers the status line), or a plain save. The
    page's script posts the same form again when a connection returns after notes were kept offline."""
    visit = _own(request, pk)
    expected = editing.expected_version(request.POST)
    form = _notes_form(visit, request.POST)
    autosave = editing.Autosave(slug="visit", version=expected)
    autosave.attempt(
        form,
        lambda data: services.visit_update(
            actor=request.user,
            visit=visit,
            expected_version=expected,
            notes=data["notes"],
            feedback=data["feedback"],
            look_fors=form.look_fors(),
        ),
        visit.get_absolute_url(),
    )
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "includes/_autosave.html", autosave.context)
    if autosave.ok:
        messages.success(request, "Notes saved.")
        return redirect(visit)
    visit.refresh_from_db()
    return _page(request, visit, status=409 if autosave.conflict else 400, notes_form=form, autosave=autosave)


def _act(request: HttpRequest, visit: Visit, action: Any, done: str, anchor: str = "") -> HttpResponse:
    try:
        action()
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(visit.get_absolute_url() + (f"#{anchor}" if anchor else ""))


@login_required
@require_POST
def visit_tags(request: HttpRequest, pk: int) -> HttpResponse:
    from edlead.plans.models import Goal

    visit = _own(request, pk)
    goals = Goal.objects.filter(
        plan__organization=visit.organization, plan__is_template=False
    ).select_related("plan")
    rubric = (
        Indicator.objects.filter(standard__framework_id=visit.cycle.framework_id).select_related("standard")
        if visit.cycle is not None
        else Indicator.objects.none()
    )
    form = forms.TagsForm(request.POST, goals=goals, indicators=rubric)
    if not form.is_valid():
        messages.error(request, "Choose goals and indicators from the lists.")
        return redirect(visit)
    data = form.cleaned_data
    return _act(
        request,
        visit,
        lambda: services.visit_tags_set(
            actor=request.user, visit=visit, plan_goals=data["goals"], indicators=data["indicators"]
        ),
        "Evidence tags saved.",
        "tags",
    )


@login_required
@require_POST
def step_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _own(request, pk)
    form = forms.NextStepForm(request.POST, owners=_owners(visit))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.next_step_add(
                actor=request.user,
                visit=visit,
                description=data["description"],
                owner=data["owner"],
                due_on=data["due_on"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Next step added.")
            return redirect(visit.get_absolute_url() + "#steps")
    return _page(request, visit, status=400, step_form=form)


@login_required
@require_POST
def step_remove(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_object_or_404(NextStep.objects.select_related("visit"), pk=pk)
    visit = _own(request, step.visit_id)
    return _act(
        request,
        visit,
        lambda: services.next_step_remove(actor=request.user, step=step),
        "Next step removed.",
        "steps",
    )


@login_required
@require_POST
def step_done(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_object_or_404(NextStep.objects.select_related("visit"), pk=pk)
    visit = selectors.visit_get_for_user(request.user, step.visit_id)
    done = request.POST.get("done", "1") == "1"
    return _act(
        request,
        visit,
        lambda: services.next_step_done(actor=request.user, step=step, done=done),
        "Next step marked done." if done else "Next step marked not done.",
        "steps",
    )


@login_required
@require_POST
def visit_release(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _own(request, pk)
    expected = editing.expected_version(request.POST) if "version" in request.POST else None
    return _act(
        request,
        visit,
        lambda: services.visit_release_feedback(actor=request.user, visit=visit, expected_version=expected),
        "Feedback released: the principal has been told.",
    )


@login_required
@require_POST
def visit_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _own(request, pk)
    return _act(
        request, visit, lambda: services.visit_cancel(actor=request.user, visit=visit), "Visit cancelled."
    )


# --- coverage ---------------------------------------------------------------------------------------------------
def coverage_rows(user: Any) -> tuple[list[dict[str, Any]], int, int, int]:
    """The supervisor's schools with their coverage: (rows, target, alert days, visits due by today)."""
    person = getattr(user, "person", None)
    if person is None:
        raise Http404("Coverage is a principal supervisor's page.")
    schools = list(supervised_schools(person).order_by("name"))
    if not schools:
        raise Http404("You supervise no schools.")
    district = schools[0].district or schools[0]
    target = int(config.setting(district, services.TARGET))
    alert = int(config.setting(district, services.ALERT_DAYS))
    today = timezone.localdate()
    found = selectors.coverage([s.pk for s in schools], person.pk, today)
    due = selectors.visits_due_by(target, today)
    rows = []
    for school in schools:
        c = found.get(school.pk) or selectors.Coverage(None, 0, None)
        days = c.days_since(today)
        rows.append(
            {
                "school": school,
                "last": c.last,
                "days": days,
                "this_year": c.this_year,
                "upcoming": c.upcoming,
                "late": days is None or days > alert,
                "behind": c.this_year < due,
            }
        )
    return rows, target, alert, due


@login_required
@require_safe
def coverage(request: HttpRequest) -> HttpResponse:
    rows, target, alert, due = coverage_rows(request.user)
    if request.GET.get("format") == "csv":
        from edlead.lib.exports import csv_response

        header = [
            "School",
            "Last visit",
            "Days since",
            "Visits this school year",
            "Due by today",
            "Target",
            "Next scheduled",
        ]
        body = [
            [
                r["school"].name,
                r["last"] or "",
                "" if r["days"] is None else r["days"],
                r["this_year"],
                due,
                target,
                r["upcoming"] or "",
            ]
            for r in rows
        ]
        return csv_response("visit-coverage.csv", header, body)
    context = {
        "rows": rows,
        "target": target,
        "alert": alert,
        "late": sum(1 for r in rows if r["late"]),
        "behind": sum(1 for r in rows if r["behind"]),
        "due": due,
        "year_start": selectors.school_year_start(timezone.localdate()),
    }
    return _private(render(request, "visits/coverage.html", context))


# --- calendar ----------------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    if not getattr(request.user, "person_id", None):
        raise Http404("Calendars belong to people.")
    if request.method == "POST":
        services.calendar_feed_reset(actor=request.user)
        messages.success(request, "Your calendar has a new address; the old one no longer works.")
        return redirect("visits:calendar")
    feed = CalendarFeed.objects.filter(user_id=int(request.user.pk or 0)).first()
    url = request.build_absolute_uri(reverse("visits:calendar-feed", args=[feed.token])) if feed else ""
    return _private(render(request, "visits/calendar.html", {"feed_url": url}))


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCal feed of a calendar address (no sign-in: the token is the key)."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404("No such calendar.")
    body = calendar.ical(selectors.calendar_visits(feed.user), base=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="edlead-visits.ics"'
    return _private(response)


# --- offline capture ---------------------------------------------------------------------------------------------
@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker that keeps visit pages (and the static files they need) for use with no
    connection. Served from /visits/ so that its scope is the visit pages."""
    response = render(request, "visits/sw.js", content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
