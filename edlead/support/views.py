"""Department support pages: the requests the user reads (filters, ageing, CSV), a new request, one
request (its timeline, thread and the steps the user may take), a district's departments and one
department (its responders, named and ended by the district's administrators and superintendent).
Every read goes through the access module (`edlead.support.rules`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from edlead import config
from edlead.access import policy
from edlead.access.models import Relationship
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.views import private as _private
from edlead.lib.exports import csv_response
from edlead.orgs.models import Organization
from edlead.people.models import Person
from edlead.support import departments, forms, rules, selectors, services
from edlead.support.models import SupportRequest

S = SupportRequest.Status


def may_use_support(user: Any) -> bool:
    """Who has the Support pages: the school's side (leaders, supervisors, superintendent,
    administrators) and the departments' responders."""
    if policy.can(user, policy.SUPPORT_VIEW):
        return True
    pid = getattr(user, "person_id", None)
    return bool(pid) and (
        Relationship.objects.active()
        .filter(holder_id=pid, kind=Relationship.Kind.RESPONDER, group__startswith=f"{departments.PREFIX}:")
        .exists()
    )


def _districts(user: Any) -> list[Organization]:
    found = list(departments.user_districts(user).order_by("name")[:20])
    config.prefetch_settings(found)
    return found


# --- the list ----------------------------------------------------------------------------------------------
@login_required
@require_safe
def request_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_use_support(user):
        raise Http404("No support requests for you.")
    g = request.GET
    school = g.get("school", "")
    filters = selectors.Filters(
        status=g.get("status", "open") if "status" in g else "open",
        department=g.get("department", "")[:100],
        school=int(school) if school.isdigit() else None,
        priority=g.get("priority", ""),
    )
    rows = list(selectors.requests_for_user(user, filters)[: selectors.LIST_LIMIT])
    now = timezone.now()
    if g.get("format") == "csv":
        return _export(rows, now)
    for req in rows:
        req.ageing = selectors.ageing(req, now)  # type: ignore[attr-defined]
        req.overdue = selectors.is_overdue(req, now)  # type: ignore[attr-defined]
    districts = _districts(user)
    dept_names = sorted({n for d in districts for n in departments.names(d)})
    schools = list(
        rules.readable(user)
        .values_list("organization_id", "organization__name")
        .distinct()
        .order_by("organization__name")[:300]
    )
    context = {
        "rows": rows,
        "filters": filters,
        "statuses": [("open", "Open (not resolved)"), *S.choices, ("all", "Any status")],
        "priorities": SupportRequest.Priority.choices,
        "department_names": dept_names,
        "schools": schools,
        "districts": districts,
        "may_route": policy.can(user, policy.SUPPORT_ROUTE),
        "query": request.GET.urlencode(),
        "limit": selectors.LIST_LIMIT,
    }
    return _private(render(request, "support/request_list.html", context))


def _export(rows: list[SupportRequest], now: Any) -> HttpResponse:
    header = [
        "Request",
        "Routed",
        "School",
        "Department",
        "Category",
        "Priority",
        "Status",
        "Subject",
        "Requester",
        "Assigned to",
        "Answer due",
        "Overdue",
        "Age",
        "Escalated",
    ]
    body = [
        [
            r.pk,
            timezone.localtime(r.routed_at).strftime("%Y-%m-%d %H:%M"),
            r.organization.name,
            r.department,
            r.get_category_display(),
            r.get_priority_display(),
            r.get_status_display(),
            r.subject,
            r.requester.display_name,
            r.assignee.display_name if r.assignee else "",
            timezone.localtime(r.due_at).strftime("%Y-%m-%d %H:%M"),
            "yes" if selectors.is_overdue(r, now) else "",
            selectors.ageing(r, now),
            {0: "", 1: "to the supervisor", 2: "to the superintendent"}.get(r.escalation_level, ""),
        ]
        for r in rows
    ]
    return _private(csv_response("support-requests.csv", header, body))


# --- a new request -----------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    schools = selectors.routable_schools(user)
    if not schools:
        raise Http404("You lead or supervise no school, so you route no requests.")
    district_ids = {s.district_id for s in schools}
    districts = list(Organization.objects.filter(pk__in=district_ids).order_by("name"))
    config.prefetch_settings(districts)
    names = []
    for d in districts:
        names += [n for n in departments.names(d) if n not in names]
    # Never bound: what was typed comes back as initial values, and the service's one plain message
    # names the field (not a second, generic "select a valid choice").
    typed = request.POST.dict() if request.method == "POST" else {}
    form = forms.RequestForm(initial=typed, schools=schools, departments=names)
    error = ""
    if request.method == "POST":
        raw = request.POST.get("school", "")
        # Any school: the service says plainly when it is not one the user leads or supervises.
        school = Organization.objects.schools().filter(pk=int(raw)).first() if raw.isdigit() else None
        try:
            if school is None:
                raise ApplicationError("School: choose one of your schools.")
            req = services.request_create(
                actor=user,
                school=school,
                department=request.POST.get("department", ""),
                category=request.POST.get("category", ""),
                priority=request.POST.get("priority", ""),
                subject=request.POST.get("subject", ""),
                description=request.POST.get("description", ""),
            )
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, f"Routed to {req.department}.")
            return redirect(req)
    context = {"form": form, "error": error}
    return _private(render(request, "support/request_form.html", context, status=400 if error else 200))


# --- one request -------------------------------------------------------------------------------------------
def _request(request: HttpRequest, pk: int) -> SupportRequest:
    rows = SupportRequest.objects.select_related(
        "organization", "district", "requester", "assignee", "edited_by"
    )
    return rules.get_readable(request.user, pk, rows)


@login_required
@require_safe
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _request(request, pk))


def _page(request: HttpRequest, req: SupportRequest, status: int = 200, **given: Any) -> HttpResponse:
    user = request.user
    now = timezone.now()
    responds = rules.may_respond(user, req)
    closes = rules.may_close(user, req) and req.status == S.ANSWERED
    responders = (
        [(r.holder_id, r.holder.display_name) for r in departments.responder_relationships([req.group_key])]
        if responds
        else []
    )
    mine = getattr(user, "person_id", None)
    context = {
        "req": req,
        "events": list(req.events.all()),
        "thread": list(req.messages.all()),
        "ageing": selectors.ageing(req, now),
        "overdue": selectors.is_overdue(req, now),
        "may_triage": responds and req.status == S.NEW,
        "may_assign": responds and req.status in (S.NEW, S.TRIAGED, S.ASSIGNED),
        "may_answer": responds and req.status == S.ASSIGNED,
        "may_close": closes,
        "may_comment": req.status != S.RESOLVED,
        "triage_form": forms.TriageForm(initial={"priority": req.priority, "version": req.version}),
        "assign_form": forms.AssignForm(
            initial={"assignee": req.assignee_id or mine, "version": req.version}, responders=responders
        ),
        "answer_form": forms.AnswerForm(initial={"version": req.version}),
        "close_form": forms.CloseForm(initial={"version": req.version}),
        "comment_form": forms.CommentForm(),
        **given,
    }
    return _private(render(request, "support/request_detail.html", context, status=status))


STEPS = ("triage", "assign", "answer", "resolve", "reopen", "comment")


@login_required
@require_POST
def request_act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404("No such step.")
    req = _request(request, pk)
    user, data = request.user, request.POST
    version = editing.expected_version(data) if data.get("version") else None
    done = {
        "triage": "Triaged.",
        "assign": "Assigned.",
        "answer": "Answered: the school is told.",
        "resolve": "Resolved.",
        "reopen": "Reopened: the responder is told.",
        "comment": "Comment added.",
    }[step]
    try:
        if step == "triage":
            services.request_triage(
                actor=user,
                req=req,
                priority=data.get("priority", ""),
                note=data.get("note", ""),
                expected_version=version,
            )
        elif step == "assign":
            raw = data.get("assignee", "")
            assignee = Person.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
            if assignee is None:
                raise ApplicationError("Assign to: choose a responder of the department.")
            services.request_assign(
                actor=user, req=req, assignee=assignee, note=data.get("note", ""), expected_version=version
            )
        elif step == "answer":
            services.request_answer(
                actor=user, req=req, answer=data.get("answer", ""), expected_version=version
            )
        elif step == "resolve":
            services.request_resolve(actor=user, req=req, note=data.get("note", ""), expected_version=version)
        elif step == "reopen":
            services.request_reopen(actor=user, req=req, note=data.get("note", ""), expected_version=version)
        else:
            services.request_comment(actor=user, req=req, body=data.get("body", ""))
    except editing.EditConflict:
        fresh = _request(request, pk)
        message = "Someone acted on this request after you opened it: read it again, then choose."
        return _page(request, fresh, status=409, failed=step, failed_message=message)
    except ApplicationError as exc:
        status = 409 if isinstance(exc, editing.TransitionRefused) else 400
        return _page(request, _request(request, pk), status=status, failed=step, failed_message=exc.message)
    messages.success(request, done)
    return redirect(req)


# --- districts and departments -----------------------------------------------------------------------------
def _district(request: HttpRequest, pk: int) -> Organization:
    """A district whose departments the user may read: any staff of the district (its directory) and its
    departments' responders. 404 otherwise."""
    district = Organization.objects.filter(pk=pk, kind=Organization.Kind.DISTRICT).first()
    if district is None:
        raise Http404("No such district.")
    if policy.can(request.user, policy.ORG_DIRECTORY, district):
        return district
    pid = getattr(request.user, "person_id", None)
    keys = [d.group_key for d in departments.of_district(district)]
    if pid and departments.responder_relationships(keys).filter(holder_id=pid).exists():
        return district
    raise Http404("No such district.")


@login_required
@require_safe
def district_departments(request: HttpRequest, pk: int) -> HttpResponse:
    district = _district(request, pk)
    responders = selectors.responders_by_department(district)
    counts = selectors.open_counts_by_department(district)
    rows = [
        {"dept": d, "responders": responders.get(d.name, []), "counts": counts.get(d.name, {})}
        for d in departments.of_district(district)
    ]
    context = {
        "district": district,
        "rows": rows,
        "may_manage": policy.can(request.user, policy.SUPPORT_MANAGE, district),
        "using_defaults": not config.setting(district, departments.SETTING),
        "may_settings": policy.can(request.user, policy.ORG_MANAGE, district),
    }
    return _private(render(request, "support/district_departments.html", context))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def department_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    district = _district(request, pk)
    dept = departments.find(district, slug)
    if dept is None:
        raise Http404("No such department.")
    user = request.user
    may_manage = policy.can(user, policy.SUPPORT_MANAGE, district)
    people = selectors.responder_candidates(district) if may_manage else []
    form = forms.ResponderForm(request.POST if request.method == "POST" else None, people=people)
    error = ""
    if request.method == "POST":
        if not may_manage:
            raise Http404("No such page.")
        raw = request.POST.get("person", "")
        person = Person.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        try:
            if person is None:
                raise ApplicationError("Add a responder: choose a person.")
            services.responder_add(actor=user, district=district, department=dept.name, person=person)
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, f"{person.display_name} now answers for {dept.name}.")
            return redirect(dept.get_absolute_url())
    responders = list(departments.responder_relationships([dept.group_key]))
    rows = list(
        selectors.requests_for_user(user, selectors.Filters(status="open")).filter(group_key=dept.group_key)[
            : selectors.LIST_LIMIT
        ]
    )
    now = timezone.now()
    for req in rows:
        req.ageing = selectors.ageing(req, now)  # type: ignore[attr-defined]
        req.overdue = selectors.is_overdue(req, now)  # type: ignore[attr-defined]
    context = {
        "district": district,
        "dept": dept,
        "responders": responders,
        "rows": rows,
        "may_manage": may_manage,
        "form": form,
        "error": error,
    }
    return _private(render(request, "support/department_detail.html", context, status=400 if error else 200))


@login_required
@require_POST
def responder_end(request: HttpRequest, pk: int) -> HttpResponse:
    rel = (
        Relationship.objects.filter(pk=pk, kind=Relationship.Kind.RESPONDER)
        .select_related("holder", "organization")
        .first()
    )
    parsed = departments.parse_group_key(rel.group) if rel is not None else None
    if rel is None or parsed is None or not policy.can(request.user, policy.SUPPORT_MANAGE, rel.organization):
        raise Http404("No such responder.")
    district = rel.organization
    dept = departments.Department(district, parsed[1])
    try:
        services.responder_end(actor=request.user, relationship=rel)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"{rel.holder.display_name} no longer answers for {dept.name} from tomorrow."
        )
    return redirect(dept.get_absolute_url())
