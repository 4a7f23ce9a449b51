"""The distributed-leadership planning guide of a school team: the guides the reader's schools keep
(and a new one for a school they lead), one guide — the self-assessment (rated by the team, averaged,
charted at the start, middle and end of the year with a table beside the chart), the plan of actions
with owners, dates and progress (CSV)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.core.views import private as _private
from edlead.lib.exports import csv_response
from edlead.orgs.models import Organization
from edlead.people.models import Person
from edlead.teacherleaders import dimensions, forms, rules, selectors, services_guide
from edlead.teacherleaders.models import LeadershipBody, LeadershipPlan, LeadershipRating, PlanAction


def _schools_led(user: Any) -> list[Organization]:
    return list(
        policy.visible_to(user, Organization.objects.schools(), policy.PLAN_EDIT).order_by("name")[:300]
    )


@login_required
@require_safe
def plan_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not policy.can(user, policy.ORG_VIEW):
        raise Http404("No guides for you.")
    plans = list(
        rules.plans_readable(user)
        .select_related("organization")
        .order_by("organization__name", "-school_year")[: selectors.LIST_LIMIT]
    )
    context = {
        "plans": plans,
        "schools": _schools_led(user),
        "year": selectors.school_year(timezone.localdate()),
    }
    return render(request, "teacherleaders/plan_list.html", context)


@login_required
@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("school", "")
    school = (
        policy.visible_to(request.user, Organization.objects.schools(), policy.ORG_VIEW)
        .filter(pk=int(raw) if raw.isdigit() else 0)
        .first()
    )
    if school is None:
        messages.error(request, "School: choose one of your schools.")
        return redirect("teacherleaders:plan-list")
    team = LeadershipBody.objects.filter(
        organization=school, kind=LeadershipBody.Kind.LEADERSHIP_TEAM, is_active=True
    ).first()
    try:
        plan = services_guide.plan_create(
            actor=request.user,
            school=school,
            school_year=selectors.school_year(timezone.localdate()),
            team=team,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("teacherleaders:plan-list")
    messages.success(request, "Guide started: rate the school on each dimension.")
    return redirect(plan)


def _plan(request: HttpRequest, pk: int) -> LeadershipPlan:
    return policy.get_for_user(
        request.user, LeadershipPlan.objects.select_related("organization", "team"), policy.ORG_VIEW, pk=pk
    )


def _page(request: HttpRequest, plan: LeadershipPlan, status: int = 200, **given: Any) -> HttpResponse:
    user = request.user
    pid = getattr(user, "person_id", None)
    rows = selectors.plan_assessment(plan, pid)
    edit = rules.may_edit_plan(user, plan.organization)
    staff = services_guide.school_staff(plan.organization) if edit else []
    actions = selectors.action_rows(plan, timezone.localdate(), editor=edit, person_id=pid)
    checkpoint = given.get("checkpoint") or request.GET.get("checkpoint") or LeadershipRating.Checkpoint.START
    if checkpoint not in LeadershipRating.Checkpoint.values:
        checkpoint = LeadershipRating.Checkpoint.START
    for r in rows:
        r.mine_now = r.mine.get(checkpoint)
    context = {
        "plan": plan,
        "rows": rows,
        "chart": selectors.chart(rows),
        "checkpoints": LeadershipRating.Checkpoint.choices,
        "checkpoint": checkpoint,
        "may_rate": rules.may_rate(user, plan),
        "may_edit": edit,
        "actions": actions,
        "action_form": given.get("action_form") or forms.ActionForm(staff=staff),
        "progress_statuses": PlanAction.Status.choices,
        "levels": dimensions.LEVELS,
        "error": given.get("error", ""),
    }
    return _private(render(request, "teacherleaders/plan_detail.html", context, status=status))


@login_required
@require_safe
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    if request.GET.get("format") == "csv":
        header = ["Dimension", "Action", "Owner", "Due", "Status", "Latest progress"]
        body = []
        for a in selectors.plan_actions(plan):
            ups = list(a.updates.all())
            body.append(
                [
                    selectors.dimension_name(a.dimension),
                    a.action,
                    a.owner.display_name,
                    a.due_on,
                    a.get_status_display(),
                    ups[-1].note if ups else "",
                ]
            )
        return _private(csv_response(f"distributed-leadership-{plan.pk}.csv", header, body))
    return _page(request, plan)


@login_required
@require_POST
def ratings_save(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    if not rules.may_rate(request.user, plan):
        raise Http404("You do not rate this school.")
    form = forms.RatingsForm(request.POST)
    checkpoint = request.POST.get("checkpoint", "")
    if not form.is_valid():
        missing = [dimensions.BY_KEY[k].name for k in form.errors if k in dimensions.BY_KEY]
        error = (
            f"Rate every dimension: {', '.join(missing)} not rated."
            if missing
            else "Choose when in the year."
        )
        return _page(request, plan, status=400, error=error, checkpoint=checkpoint)
    pid = getattr(request.user, "person_id", None)  # may_rate above admits only people with a record
    if pid is None:
        raise Http404("You do not rate this school.")
    person = Person.objects.get(pk=pid)
    try:
        services_guide.ratings_save(
            actor=request.user,
            plan=plan,
            person=person,
            checkpoint=form.cleaned_data["checkpoint"],
            levels=form.levels(),
        )
    except ApplicationError as exc:
        return _page(request, plan, status=400, error=exc.message, checkpoint=checkpoint)
    messages.success(request, "Your ratings are saved; the team's averages include them.")
    return redirect(f"{plan.get_absolute_url()}?checkpoint={form.cleaned_data['checkpoint']}")


@login_required
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    if not rules.may_edit_plan(request.user, plan.organization):
        raise Http404("You do not edit this plan.")
    staff = services_guide.school_staff(plan.organization)
    form = forms.ActionForm(request.POST, staff=staff)
    if not form.is_valid():
        return _page(request, plan, status=400, action_form=form)
    d = form.cleaned_data
    try:
        services_guide.action_add(
            actor=request.user,
            plan=plan,
            dimension=d["dimension"],
            action=d["action"],
            owner=Person.objects.get(pk=d["owner"]),
            due_on=d["due_on"],
        )
    except ApplicationError as exc:
        return _page(request, plan, status=400, action_form=form, error=exc.message)
    messages.success(request, "Action added; its owner was told.")
    return redirect(f"{plan.get_absolute_url()}#actions-h")


@login_required
@require_POST
def action_progress(request: HttpRequest, pk: int) -> HttpResponse:
    action = PlanAction.objects.select_related("plan__organization").filter(pk=pk).first()
    if action is None or not policy.can(request.user, policy.ORG_VIEW, action.plan):
        raise Http404("No such action.")
    form = forms.ProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Status: choose one.")
        return redirect(action)
    try:
        services_guide.action_update(
            actor=request.user,
            action=action,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Progress recorded.")
    return redirect(action)
