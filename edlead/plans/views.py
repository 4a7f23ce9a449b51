"""School improvement plan pages: the plans in one's scope, one plan (written by the school's leaders with
autosave, reviewed by the supervisor, approved by the superintendent, its progress reported each quarter),
a kept version, and the plan printed or as a PDF. Every read goes through the access module."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from edlead.access import policy
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.views import private as _private
from edlead.learning.models import Program
from edlead.lib.exports import csv_response
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.plans import forms, selectors, services
from edlead.plans.models import ActionStep, Benchmark, Goal, Plan, Strategy, TeamMember

S = Plan.Status


def _plan(request: HttpRequest, pk: int) -> Plan:
    """A plan the user may read (selectors.readable), 404 for missing and not-yours alike; what they may
    do to it each page asks the access module."""
    rows = Plan.objects.select_related(
        "organization", "organization__district", "organization__parent", "strategic_plan", "edited_by"
    )
    plan = selectors.readable(request.user, rows).filter(pk=pk).first()
    if plan is None:
        raise Http404("No such plan.")
    return plan


# --- the list ------------------------------------------------------------------------------------------------
PER_PAGE = 50


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_list(request: HttpRequest) -> HttpResponse:
    """The plans the user may read, and for a school's leaders a form to start one."""
    if not (policy.can(request.user, policy.PLAN_VIEW) or policy.can(request.user, policy.ORG_VIEW)):
        raise Http404("No plans for you to read.")
    year = forms.current_school_year()
    status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()[:100]
    readable = selectors.plans_for_user(request.user, status=status, q=q)
    if request.GET.get("format") == "csv":
        return _private(_plans_csv(list(readable)))
    page = Paginator(readable, PER_PAGE).get_page(request.GET.get("page"))
    plans = list(page.object_list)
    startable = (
        selectors.schools_to_plan(request.user, year) if policy.can(request.user, policy.PLAN_EDIT) else []
    )
    start_form = forms.PlanStartForm(
        request.POST if request.method == "POST" else None,
        schools=startable,
        initial={"first_year": year, "last_year": year + 2},
    )
    if request.method == "POST" and startable and start_form.is_valid():
        try:
            plan = services.plan_create(
                actor=request.user,
                school=start_form.cleaned_data["school"],
                first_year=start_form.cleaned_data["first_year"],
                last_year=start_form.cleaned_data["last_year"],
            )
        except ApplicationError as exc:
            start_form.add_error(None, exc.message)
        else:
            messages.success(request, "The plan is started as a draft: write its goals, then submit it.")
            return redirect(plan)
    stats = selectors.plan_summary(plans)
    for plan in plans:
        plan.stats = stats[plan.pk]  # type: ignore[attr-defined]
    context = {
        "plans": plans,
        "page": page,
        "statuses": S.choices,
        "status": status,
        "q": q,
        "start_form": start_form if startable else None,
        "districts": _districts_read(request.user),
    }
    status_code = 400 if request.method == "POST" else 200
    return _private(render(request, "plans/plan_list.html", context, status=status_code))


def _network(school: Organization) -> str:
    """The school's network (quadrant) when it sits in one, not straight under its district."""
    parent = school.parent
    return parent.name if parent is not None and parent.pk != school.district_id else ""


def _plans_csv(plans: list[Plan]) -> HttpResponse:
    """Every plan of the list (its filters, no page), with the figures its rows show."""
    stats = selectors.plan_summary(plans)
    header = [
        "School",
        "District",
        "Network",
        "Plan",
        "Years",
        "Status",
        "Goals",
        "Off track",
        "At risk",
        "Steps overdue",
    ]
    rows = [
        [
            p.organization.name,
            p.organization.district.name if p.organization.district else "",
            _network(p.organization),
            p.title,
            p.period_label,
            p.get_status_display(),
            p.n_goals,  # type: ignore[attr-defined]
            stats[p.pk]["off_track"],
            stats[p.pk]["at_risk"],
            stats[p.pk]["steps_overdue"],
        ]
        for p in plans
    ]
    return csv_response("school-improvement-plans.csv", header, rows)


def _districts_read(user: Any) -> list[Organization]:
    """The districts whose strategy the user reads: those their plan grants sit in or cover (1 query)."""
    grants = [*policy.grants_for(user, policy.PLAN_VIEW), *policy.grants_for(user, policy.ORG_VIEW)]
    if not grants:
        return []
    where = Q()
    for g in grants:
        where |= Q(path__startswith=g.path) | Q(path=g.district_path)
    return list(Organization.objects.districts().filter(where).order_by("name")[:20])


# --- one plan ------------------------------------------------------------------------------------------------
def _people_of(plan: Plan, *, school_only: bool) -> list[tuple[int, str]]:
    """Who may own a step (the school and its district's offices) or join the team (the school): the
    rule the services check, as choices."""
    scope = Q(organization=plan.organization) if school_only else services.school_people_q(plan.organization)
    ids = Position.objects.current(timezone.localdate()).filter(scope).values("person_id")
    people = Person.objects.filter(pk__in=ids).order_by("last_name", "first_name")
    return [(p.pk, p.display_name) for p in people[:500]]


def _programs(plan: Plan) -> Any:
    """The programs the school's people may attend: the state's, their district's and their school's."""
    return Program.objects.filter(
        Q(organization__isnull=True)
        | Q(organization_id=plan.organization.district_id)
        | Q(organization=plan.organization)
    ).order_by("title")


def _page(request: HttpRequest, plan: Plan, status: int = 200, **given: Any) -> HttpResponse:
    user = request.user
    if given.get("failed") in ("goal", "team"):  # the add form comes back with what was typed
        given[f"{given['failed']}_form"] = given["failed_form"]
    may_edit = policy.can(user, policy.PLAN_EDIT, plan)
    editable = may_edit and plan.status in services.EDITABLE
    may_endorse = plan.status == S.SUBMITTED and policy.can(user, policy.PLAN_ENDORSE, plan)
    may_approve = plan.status == S.ENDORSED and services.may_approve(user, plan)
    events = list(plan.events.all())
    returned = next((e for e in reversed(events) if e.action == "returned"), None)
    year, quarter = services.quarter_of(timezone.localdate())
    programs = _programs(plan)
    context = {
        "plan": plan,
        "is_template": plan.is_template,
        "goals": selectors.plan_goals(plan),
        "team": list(plan.team.select_related("person")),
        "events": events,
        "versions": list(plan.versions.only("number", "status", "created_at", "created_by_label", "plan_id")),
        "editable": editable,
        "may_monitor": may_edit and plan.status == S.APPROVED and not plan.is_template,
        "may_endorse": may_endorse,
        "may_approve": may_approve,
        "may_decide": may_endorse or may_approve,
        "returned_note": returned.note if returned and plan.status == S.RETURNED else "",
        "objectives": services.objectives_of(plan),
        "this_year": year,
        "this_quarter": quarter,
        "plan_form": given.get("plan_form")
        or (forms.PlanForm(initial=_initial(plan), plan=plan) if editable else None),
        "goal_form": given.get("goal_form")
        or (forms.GoalForm(plan=plan, programs=programs) if editable else None),
        "strategy_form": forms.StrategyForm(),
        "step_form": forms.StepForm(owners=_people_of(plan, school_only=False)) if editable else None,
        "benchmark_form": forms.BenchmarkForm(initial={"kind": Benchmark.Kind.PROCESS}),
        "team_form": given.get("team_form")
        or (forms.TeamForm(people=_people_of(plan, school_only=True)) if editable else None),
        "comments_form": given.get("comments_form") or forms.CommentsForm(),
        "progress_form": forms.ProgressForm(),
        "step_statuses": ActionStep.Status.choices,
        "failed": given.get("failed", ""),
        "failed_form": given.get("failed_form"),
        "failed_message": given.get("failed_message", ""),
        "failed_id": given.get("failed_id"),
        "autosave": given.get("autosave") or editing.Autosave(slug="plan", version=plan.version),
        "trigger": editing.AUTOSAVE_TRIGGER,
    }
    return _private(render(request, "plans/plan_detail.html", context, status=status))


def _initial(plan: Plan) -> dict[str, Any]:
    return {"version": plan.version, **{f: getattr(plan, f) for f in services.PLAN_FIELDS}}


@login_required
@require_safe
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _plan(request, pk))


@login_required
@require_POST
def plan_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave of the plan's own fields (htmx answers the status line), or a plain save."""
    plan = _plan(request, pk)
    expected = editing.expected_version(request.POST)
    form = forms.PlanForm(request.POST, plan=plan)
    autosave = editing.Autosave(slug="plan", version=expected)
    autosave.attempt(
        form,
        lambda data: services.plan_save(
            actor=request.user,
            plan=plan,
            expected_version=expected,
            changes={f: data[f] for f in services.PLAN_FIELDS},
        ),
        plan.get_absolute_url(),
    )
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "includes/_autosave.html", autosave.context)
    if autosave.ok:
        messages.success(request, "Plan saved.")
        return redirect(plan)
    plan.refresh_from_db()
    return _page(request, plan, status=409 if autosave.conflict else 400, plan_form=form, autosave=autosave)


def _done(request: HttpRequest, plan: Plan, message: str, anchor: str = "") -> HttpResponse:
    messages.success(request, message)
    return redirect(plan.get_absolute_url() + (f"#{anchor}" if anchor else ""))


def _posted(
    request: HttpRequest,
    plan: Plan,
    form: Any,
    call: Callable[[dict[str, Any]], Any],
    message: str,
    *,
    where: str,
    where_id: int | None = None,
    anchor: str = "",
) -> HttpResponse:
    """Run a service with a valid form's data; on a refusal or invalid input show the page again with
    the message at the form (`where`) and what was typed kept."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return _done(request, plan, message, anchor)
    errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
    form.auto_id = f"{where}-{where_id or 'new'}-%s"  # its fields' ids apart from the page's other forms
    plan.refresh_from_db()
    return _page(
        request, plan, status=400, failed=where, failed_id=where_id, failed_form=form, failed_message=errors
    )


@login_required
@require_POST
def plan_act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """A workflow step: submit, return (with comments), endorse, approve, reopen."""
    plan = _plan(request, pk)
    form = forms.CommentsForm(request.POST)
    form.is_valid()
    comments = form.cleaned_data.get("comments", "") if form.is_valid() else ""
    actions: dict[str, tuple[Callable[[], Any], str]] = {
        "submit": (
            lambda: services.plan_submit(actor=request.user, plan=plan),
            "Submitted to the supervisor.",
        ),
        "return": (
            lambda: services.plan_return(actor=request.user, plan=plan, comments=comments),
            "Returned to the school with your comments.",
        ),
        "endorse": (
            lambda: services.plan_endorse(actor=request.user, plan=plan, note=comments),
            "Endorsed: the superintendent approves it next.",
        ),
        "approve": (lambda: services.plan_approve(actor=request.user, plan=plan, note=comments), "Approved."),
        "reopen": (
            lambda: services.plan_reopen(actor=request.user, plan=plan, reason=comments),
            "The plan is a draft again; the approved version is kept.",
        ),
    }
    if step not in actions:
        raise Http404("No such step.")
    run, message = actions[step]
    try:
        run()
    except ApplicationError as exc:
        plan.refresh_from_db()
        return _page(
            request, plan, status=400, comments_form=form, failed="decision", failed_message=exc.message
        )
    return _done(request, plan, message)


# --- parts of a plan -------------------------------------------------------------------------------------------
# Each part of a plan, with the path from it to its plan: fetched only through the plan's access rule.
PARTS: dict[str, tuple[type[Any], str]] = {
    "goal": (Goal, "plan_id"),
    "strategy": (Strategy, "goal__plan_id"),
    "step": (ActionStep, "strategy__goal__plan_id"),
    "benchmark": (Benchmark, "goal__plan_id"),
    "team": (TeamMember, "plan_id"),
}


def _part(request: HttpRequest, kind: str, pk: int) -> tuple[Any, Plan]:
    """A part of a plan the user may read, and its plan (404 for missing and not-yours alike)."""
    if kind not in PARTS:
        raise Http404("No such part of a plan.")
    model, via = PARTS[kind]
    plan_id = model.objects.filter(pk=pk).values_list(via, flat=True).first()
    if plan_id is None:
        raise Http404("No such part of a plan.")
    return model.objects.get(pk=pk), _plan(request, plan_id)


def _goal(request: HttpRequest, pk: int) -> Goal:
    goal, plan = _part(request, "goal", pk)
    goal.plan = plan
    return goal


@login_required
@require_POST
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    form = forms.GoalForm(request.POST, plan=plan, programs=_programs(plan))
    return _posted(
        request,
        plan,
        form,
        lambda d: services.goal_add(actor=request.user, plan=plan, data=d, programs=d.get("programs") or []),
        "Goal added: give it strategies and benchmarks.",
        where="goal",
        anchor="goals",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _goal(request, pk)
    plan = goal.plan
    if not (policy.can(request.user, policy.PLAN_EDIT, plan) and plan.status in services.EDITABLE):
        raise Http404("This goal cannot be changed now.")
    initial = {
        "version": plan.version,
        **{
            f: getattr(goal, f"{f}_id" if f in ("objective", "metric", "group") else f)
            for f in services.GOAL_FIELDS
        },
        "programs": list(goal.programs.values_list("pk", flat=True)),
    }
    form = forms.GoalForm(request.POST or None, plan=plan, programs=_programs(plan), initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.goal_update(
                actor=request.user,
                goal=goal,
                expected_version=editing.expected_version(request.POST),
                data=data,
                programs=data.get("programs") or [],
            )
        except editing.EditConflict as exc:
            conflict = exc
            form.add_error(None, exc.message)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return _done(request, plan, "Goal saved.", f"goal-{goal.pk}")
    context = {"plan": plan, "goal": goal, "form": form, "conflict": conflict}
    return _private(
        render(request, "plans/goal_form.html", context, status=400 if request.method == "POST" else 200)
    )


REMOVERS: dict[str, tuple[Any, str, str]] = {
    "goal": (lambda actor, row: services.goal_remove(actor=actor, goal=row), "Goal removed.", "goals"),
    "strategy": (
        lambda actor, row: services.strategy_remove(actor=actor, strategy=row),
        "Strategy removed.",
        "goals",
    ),
    "step": (lambda actor, row: services.step_remove(actor=actor, step=row), "Step removed.", "goals"),
    "benchmark": (
        lambda actor, row: services.benchmark_remove(actor=actor, benchmark=row),
        "Benchmark removed.",
        "goals",
    ),
    "team": (
        lambda actor, row: services.team_remove(actor=actor, member=row),
        "Removed from the team.",
        "team",
    ),
}


def _run(
    request: HttpRequest, plan: Plan, call: Callable[[], Any], message: str, anchor: str
) -> HttpResponse:
    """A one-button change: done, or the refusal as a message on the plan's page."""
    try:
        call()
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(plan)
    return _done(request, plan, message, anchor)


@login_required
@require_POST
def part_remove(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Remove a goal, strategy, action step, benchmark or team member of a plan being written."""
    row, plan = _part(request, kind, pk)
    remove, message, anchor = REMOVERS[kind]
    return _run(request, plan, lambda: remove(request.user, row), message, anchor)


@login_required
@require_POST
def strategy_add(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _goal(request, pk)
    return _posted(
        request,
        goal.plan,
        forms.StrategyForm(request.POST),
        lambda d: services.strategy_add(actor=request.user, goal=goal, text=d["text"]),
        "Strategy added.",
        where="strategy",
        where_id=goal.pk,
        anchor=f"goal-{goal.pk}",
    )


@login_required
@require_POST
def step_add(request: HttpRequest, pk: int) -> HttpResponse:
    s, plan = _part(request, "strategy", pk)
    form = forms.StepForm(request.POST, owners=_people_of(plan, school_only=False))

    def run(d: dict[str, Any]) -> Any:
        owner = Person.objects.filter(pk=d["owner"]).first()
        if owner is None:
            raise ApplicationError("Choose the step's owner.")
        return services.step_add(
            actor=request.user, strategy=s, description=d["description"], owner=owner, due_on=d["due_on"]
        )

    return _posted(
        request,
        plan,
        form,
        run,
        "Action step added.",
        where="step",
        where_id=s.pk,
        anchor=f"goal-{s.goal_id}",
    )


@login_required
@require_POST
def step_status(request: HttpRequest, pk: int) -> HttpResponse:
    st, plan = _part(request, "step", pk)
    return _run(
        request,
        plan,
        lambda: services.step_set_status(actor=request.user, step=st, status=request.POST.get("status", "")),
        "Step updated.",
        f"goal-{st.strategy.goal_id}",
    )


@login_required
@require_POST
def benchmark_add(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _goal(request, pk)
    return _posted(
        request,
        goal.plan,
        forms.BenchmarkForm(request.POST),
        lambda d: services.benchmark_add(
            actor=request.user,
            goal=goal,
            kind=d["kind"],
            description=d["description"],
            due_on=d["due_on"],
            target=d.get("target") or None,
        ),
        "Benchmark added.",
        where="benchmark",
        where_id=goal.pk,
        anchor=f"goal-{goal.pk}",
    )


@login_required
@require_POST
def benchmark_mark(request: HttpRequest, pk: int) -> HttpResponse:
    b, plan = _part(request, "benchmark", pk)
    met = {"met": True, "not_met": False}.get(request.POST.get("met", ""))
    return _run(
        request,
        plan,
        lambda: services.benchmark_mark(actor=request.user, benchmark=b, met=met),
        "Benchmark updated.",
        f"goal-{b.goal_id}",
    )


@login_required
@require_POST
def team_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    form = forms.TeamForm(request.POST, people=_people_of(plan, school_only=True))

    def run(d: dict[str, Any]) -> Any:
        person = Person.objects.filter(pk=d["person"]).first()
        if person is None:
            raise ApplicationError("Choose the person.")
        return services.team_add(actor=request.user, plan=plan, person=person, role=d["role"])

    return _posted(request, plan, form, run, "Added to the team.", where="team", anchor="team")


@login_required
@require_POST
def progress_report(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _goal(request, pk)
    year, quarter = services.quarter_of(timezone.localdate())
    return _posted(
        request,
        goal.plan,
        forms.ProgressForm(request.POST),
        lambda d: services.progress_report(
            actor=request.user,
            goal=goal,
            school_year=year,
            quarter=quarter,
            status=d["status"],
            evidence=d["evidence"],
        ),
        f"Q{quarter} progress reported.",
        where="progress",
        where_id=goal.pk,
        anchor=f"goal-{goal.pk}",
    )


# --- versions, print, PDF ------------------------------------------------------------------------------------
@login_required
@require_safe
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    plan = _plan(request, pk)
    version = plan.versions.filter(number=number).first()
    if version is None:
        raise Http404("No such version.")
    return _private(render(request, "plans/version_detail.html", {"plan": plan, "version": version}))


def _print_context(plan: Plan) -> dict[str, Any]:
    return {
        "plan": plan,
        "goals": selectors.plan_goals(plan),
        "team": list(plan.team.select_related("person")),
        "events": list(plan.events.all()),
        "objectives": services.objectives_of(plan),
    }


@login_required
@require_safe
def plan_print(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    return _private(render(request, "plans/plan_print.html", _print_context(plan)))


@login_required
@require_safe
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from edlead.reports.pdf import render_pdf

    plan = _plan(request, pk)
    return render_pdf(
        request,
        "plans/plan_print.html",
        _print_context(plan),
        filename=f"improvement-plan-{plan.organization.code or plan.organization_id}-{plan.first_year}.pdf",
        source="EdLead school improvement plans; outcome figures from the imported school metrics",
        title=plan.title,
        audit_target=plan,
    )
