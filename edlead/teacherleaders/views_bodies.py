"""Leadership teams, councils, boards and the state's advisory cabinets: the bodies the reader sees (CSV),
one body — members and terms, meetings with attendance, the decision log (CSV) — and a cabinet's annual
report, on screen and as a PDF from the same template."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from edlead.access import policy
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.views import private as _private
from edlead.lib.exports import csv_response
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.teacherleaders import forms, rules, selectors, services_bodies
from edlead.teacherleaders.models import BodyDecision, BodyMeeting, BodyMember, LeadershipBody

K = LeadershipBody.Kind


@login_required
@require_safe
def body_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not policy.can(user, policy.ORG_DIRECTORY):
        raise Http404("No leadership bodies for you.")
    rows = selectors.bodies_for_user(user, timezone.localdate())
    if request.GET.get("format") == "csv":
        header = ["Name", "Kind", "Organization", "Convener", "Members seated", "Active"]
        body = [
            [
                r.body.name,
                r.body.get_kind_display(),
                r.body.organization.name,
                r.body.convener.display_name,
                r.seated,
                "yes" if r.body.is_active else "no",
            ]
            for r in rows
        ]
        return csv_response("leadership-bodies.csv", header, body)
    context = {
        "cabinets": [r for r in rows if r.body.is_cabinet],
        "bodies": [r for r in rows if not r.body.is_cabinet],
        "may_create": bool(_places(user)),
    }
    return render(request, "teacherleaders/body_list.html", context)


def _places(user: Any) -> list[Organization]:
    """Where the user may set up a body: the schools and districts they lead, the state if they run it."""
    found = policy.visible_to(
        user, Organization.objects.filter(kind__in=["school", "district"]), policy.PLAN_EDIT
    )
    found = found | policy.visible_to(user, Organization.objects.filter(kind="district"), policy.PLAN_APPROVE)
    found = found | policy.visible_to(user, Organization.objects.filter(kind="state"), policy.ORG_MANAGE)
    return list(found.distinct().order_by("path")[:300])


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def body_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    places = _places(user)
    if not places:
        raise Http404("You lead no organization.")
    error = ""
    typed = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        org = next((o for o in places if str(o.pk) == typed.get("organization", "")), None)
        try:
            if org is None:
                raise ApplicationError("Organization: choose one you lead.")
            name = typed.get("name", "").strip()
            if not name:
                raise ApplicationError("Name: give the body a name.")
            body = services_bodies.body_create(
                actor=user,
                organization=org,
                kind=typed.get("kind", ""),
                name=name,
                convener=_convener(user),
                purpose=typed.get("purpose", ""),
            )
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, f"{body.name} set up: seat its members.")
            return redirect(body)
    context = {"places": places, "kinds": K.choices, "typed": typed, "error": error}
    return render(request, "teacherleaders/body_form.html", context, status=400 if error else 200)


def _convener(user: Any) -> Person:
    pid = getattr(user, "person_id", None)
    if pid is None:
        raise ApplicationError("Only someone with a staff record convenes a body.")
    return Person.objects.get(pk=pid)


def _candidates(body: LeadershipBody) -> list[Person]:
    """Who may be seated: the organization's staff; for a cabinet, the state's teacher leaders and
    coaches (teacher cabinet) or principals (principal cabinet)."""
    today = timezone.localdate()
    positions = Position.objects.current(today)
    if body.kind == K.TEACHER_CABINET:
        positions = positions.filter(role__in=[Position.Role.TEACHER_LEADER, Position.Role.COACH])
    elif body.kind == K.PRINCIPAL_CABINET:
        positions = positions.filter(role=Position.Role.PRINCIPAL)
    else:
        positions = positions.filter(organization__path__startswith=body.organization.path)
    return list(
        Person.objects.filter(pk__in=positions.values("person_id")).order_by("last_name", "first_name")[:1000]
    )


def _page(request: HttpRequest, body: LeadershipBody, status: int = 200, **given: Any) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    inside = rules.may_read_inside(user, body)
    run = rules.may_run(user, body)
    seat = rules.may_seat(user, body)
    members = selectors.members_of(body, today)
    people = _candidates(body) if seat else []
    context = {
        "body": body,
        "members": selectors.member_rows(members, today),
        "inside": inside,
        "may_run": run,
        "may_seat": seat,
        "meetings": selectors.meetings_of(body) if inside else [],
        "decisions": selectors.decisions_of(body) if inside else [],
        "member_form": given.get("member_form")
        or (forms.MemberForm(people=people, initial={"starts_on": today}) if seat else None),
        "meeting_form": given.get("meeting_form")
        or (forms.MeetingForm(members=members, initial={"held_on": today}) if run else None),
        "decision_form": given.get("decision_form")
        or (
            forms.DecisionForm(people=[m.person for m in members], initial={"decided_on": today})
            if run
            else None
        ),
        "statuses": BodyDecision.Status.choices,
        "error": given.get("error", ""),
        "year": selectors.school_year(today),
    }
    return _private(render(request, "teacherleaders/body_detail.html", context, status=status))


@login_required
@require_safe
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    body = rules.get_body(request.user, pk)
    if request.GET.get("format") == "csv":
        if not rules.may_read_inside(request.user, body):
            raise Http404("Not a decision log you may read.")
        header = ["Date", "Decision", "Rationale", "Owner", "Status"]
        rows = [
            [
                d.decided_on,
                d.decision,
                d.rationale,
                d.owner.display_name if d.owner else "",
                d.get_status_display(),
            ]
            for d in selectors.decisions_of(body)
        ]
        return _private(csv_response(f"decisions-{body.pk}.csv", header, rows))
    return _page(request, body)


def _runnable(request: HttpRequest, pk: int) -> LeadershipBody:
    body = rules.get_body(request.user, pk)
    if not rules.may_run(request.user, body):
        raise Http404("You do not run this body.")
    return body


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    body = rules.get_body(request.user, pk)
    if not rules.may_seat(request.user, body):
        raise Http404("You do not seat members here.")
    form = forms.MemberForm(request.POST, people=_candidates(body))
    if not form.is_valid():
        return _page(request, body, status=400, member_form=form)
    d = form.cleaned_data
    person = Person.objects.get(pk=d["person"])
    district = None
    if body.is_cabinet:
        where = Position.objects.current().filter(person=person).select_related("organization").first()
        district = (
            where.organization.district
            if where and where.organization.district_id
            else (where.organization if where else None)
        )
    try:
        services_bodies.member_seat(
            actor=request.user,
            body=body,
            person=person,
            role=d["role"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            district=district,
            represents=d["represents"],
        )
    except ApplicationError as exc:
        return _page(request, body, status=400, member_form=form, error=exc.message)
    messages.success(request, f"{person.display_name} seated.")
    return redirect(body)


@login_required
@require_POST
def member_end(request: HttpRequest, pk: int) -> HttpResponse:
    member = BodyMember.objects.select_related("body").filter(pk=pk).first()
    if member is None:
        raise Http404("No such seat.")
    body = rules.get_body(request.user, member.body_id)
    if not rules.may_seat(request.user, body):
        raise Http404("You do not seat members here.")
    try:
        services_bodies.member_unseat(actor=request.user, member=member)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The term ended today.")
    return redirect(body)


@login_required
@require_POST
def meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    body = _runnable(request, pk)
    members = selectors.members_of(body, timezone.localdate(), past=True)
    form = forms.MeetingForm(request.POST, members=members)
    if not form.is_valid():
        return _page(request, body, status=400, meeting_form=form)
    d = form.cleaned_data
    try:
        services_bodies.meeting_record(
            actor=request.user,
            body=body,
            held_on=d["held_on"],
            agenda=d["agenda"],
            minutes=d["minutes"],
            attendee_ids=d["attendees"],
        )
    except ApplicationError as exc:
        return _page(request, body, status=400, meeting_form=form, error=exc.message)
    messages.success(request, "Meeting recorded.")
    return redirect(body)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Finish or correct a meeting's record (its minutes above all) with the version check."""
    meeting = BodyMeeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting.")
    body = _runnable(request, meeting.body_id)
    members = selectors.members_of(body, timezone.localdate(), past=True)
    initial = {
        "held_on": meeting.held_on,
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
        "attendees": list(meeting.attendees.values_list("pk", flat=True)),
    }
    form = forms.MeetingForm(request.POST or None, members=members, initial=initial)
    error = ""
    conflict: editing.EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services_bodies.meeting_update(
                actor=request.user,
                meeting=meeting,
                held_on=d["held_on"],
                agenda=d["agenda"],
                minutes=d["minutes"],
                attendee_ids=d["attendees"],
                expected_version=editing.expected_version(request.POST),
            )
        except editing.EditConflict as exc:
            conflict = exc
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, "Meeting record saved.")
            return redirect(f"{body.get_absolute_url()}#mt-{meeting.pk}")
    chosen = {int(v) for v in (form["attendees"].value() or []) if str(v).isdigit()}
    context = {
        "body": body,
        "meeting": meeting,
        "form": form,
        "chosen": chosen,
        "error": error,
        "conflict": conflict,
    }
    status = 409 if conflict else (400 if request.method == "POST" else 200)
    return _private(render(request, "teacherleaders/meeting_form.html", context, status=status))


@login_required
@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    body = _runnable(request, pk)
    members = selectors.members_of(body, timezone.localdate(), past=True)
    form = forms.DecisionForm(request.POST, people=[m.person for m in members])
    if not form.is_valid():
        return _page(request, body, status=400, decision_form=form)
    d = form.cleaned_data
    try:
        services_bodies.decision_log(
            actor=request.user,
            body=body,
            decided_on=d["decided_on"],
            decision=d["decision"],
            rationale=d["rationale"],
            owner=Person.objects.get(pk=d["owner"]) if d["owner"] else None,
            status=d["status"],
        )
    except ApplicationError as exc:
        return _page(request, body, status=400, decision_form=form, error=exc.message)
    messages.success(request, "Decision logged.")
    return redirect(f"{body.get_absolute_url()}#decisions-h")


@login_required
@require_POST
def decision_update(request: HttpRequest, pk: int) -> HttpResponse:
    decision = BodyDecision.objects.filter(pk=pk).first()
    if decision is None:
        raise Http404("No such decision.")
    body = _runnable(request, decision.body_id)
    try:
        services_bodies.decision_status(
            actor=request.user, decision=decision, status=request.POST.get("status", "")
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Decision updated.")
    return redirect(f"{body.get_absolute_url()}#decisions-h")


# --- the annual report -------------------------------------------------------------------------------------
def _report_context(request: HttpRequest, pk: int, year: int) -> dict[str, Any]:
    body = rules.get_body(request.user, pk)
    if year < 2000 or year > 2100:
        raise Http404("No such year.")
    return {"body": body, "year": year, "r": selectors.annual_report(body, year)}


@login_required
@require_safe
def body_report(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    return _private(render(request, "teacherleaders/body_report.html", _report_context(request, pk, year)))


@login_required
@require_safe
def body_report_pdf(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    from edlead.reports.pdf import render_pdf

    context = _report_context(request, pk, year)
    body: LeadershipBody = context["body"]
    return render_pdf(
        request,
        "teacherleaders/body_report.html",
        context,
        filename=f"annual-report-{body.pk}-{year}.pdf",
        source="EdLead: leadership bodies, their members, meetings and decisions",
        title=f"{body.name}: annual report {context['r']['label']}",
        audit_target=body,
        audit_scope=[body.organization.path],
    )
