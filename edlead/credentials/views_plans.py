"""Individual Professional Development Plans: the owner starts one and drafts it (the form saves
itself: the platform's safe editing), adds and removes planned activities, sends it; the evaluator of
record approves it or returns it with a note; everyone who may read it sees its history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from edlead.access import policy
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.credentials import forms, selectors, services
from edlead.credentials import services_plans as plans
from edlead.credentials.models import DevelopmentPlan, Licence
from edlead.credentials.progress import progress_for
from edlead.credentials.views import _person, _private


def _plan_for(request: HttpRequest, pk: int) -> DevelopmentPlan:
    rows = DevelopmentPlan.objects.select_related("person", "approved_by", "licence__field", "edited_by")
    try:
        return policy.get_for_user(request.user, rows, services.PLAN_VIEW, pk=pk)
    except Http404:
        # A school committee member reads the superintendent's plan they approve, nobody else's.
        plan = policy.get_for_user(request.user, rows, services.PLAN_APPROVE_BOARD, pk=pk)
        if not plans.is_superintendent(plan.person):
            raise
        return plan


def _page(request: HttpRequest, plan: DevelopmentPlan, status: int = 200, **forms_given: Any) -> HttpResponse:
    editable = plans.may_edit(request.user, plan)
    categories = selectors.category_names()
    may_decide = plan.status == DevelopmentPlan.Status.SUBMITTED and plans.plan_may_approve(
        request.user, plan
    )
    activities = list(plan.activities.all())
    events = list(plan.events.select_related("actor"))
    returned = next((e for e in reversed(events) if e.action == "returned"), None)
    # What the licence's renewal still needs beside what the plan covers (for the owner and the approver).
    renewal = progress_for([plan.licence], today=dt.date.today())[plan.licence.pk] if plan.licence else None
    context = {
        "renewal": renewal if renewal is not None and renewal.renewable else None,
        "plan": plan,
        "activities": activities,
        "planned_total": sum((a.pdps for a in activities), Decimal(0)),
        "events": events,
        "categories": categories,
        "editable": editable,
        "mine": plan.person_id == getattr(request.user, "person_id", None),
        "returned_note": returned.note if returned and plan.status == DevelopmentPlan.Status.RETURNED else "",
        "plan_form": forms_given.get("plan_form")
        or (forms.PlanForm(initial=_initial(plan), person_id=plan.person_id) if editable else None),
        "activity_form": forms_given.get("activity_form")
        or (forms.PlannedActivityForm(categories=categories) if editable else None),
        "decision_form": forms_given.get("decision_form")
        or (forms.PlanDecisionForm() if may_decide else None),
        "autosave": forms_given.get("autosave") or editing.Autosave(slug="plan", version=plan.version),
        "trigger": editing.AUTOSAVE_TRIGGER,
    }
    return _private(render(request, "credentials/plan_detail.html", context, status=status))


def _initial(plan: DevelopmentPlan) -> dict[str, Any]:
    return {
        "version": plan.version,
        "licence": plan.licence_id,
        **{f: getattr(plan, f) for f in plans.PLAN_FIELDS[:3]},
    }


@login_required
@require_http_methods(["GET", "POST"])
def plan_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a plan: its dates, licence and goals; planned activities are added on the plan's page."""
    person = _person(request, pk, services.PDP_ADD)
    licence = (
        Licence.objects.current()
        .filter(person=person, expires_on__isnull=False)
        .order_by("expires_on")
        .first()
    )
    today = dt.date.today()
    initial = {
        "starts_on": today,
        "ends_on": licence.expires_on if licence else today.replace(year=today.year + 5),
    }
    form = forms.PlanForm(request.POST or None, initial={**initial, "licence": licence}, person_id=person.pk)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = plans.plan_create(
                actor=request.user, person=person, **{f: d[f] for f in plans.PLAN_FIELDS}
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Plan started. Add the activities you plan, then send it for approval.")
            return redirect(plan.get_absolute_url())
    return _private(render(request, "credentials/plan_form.html", {"form": form, "person": person}))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan; for the evaluator of record, the decision (approve, or return with a note)."""
    plan = _plan_for(request, pk)
    if request.method == "GET":
        return _page(request, plan)
    form = forms.PlanDecisionForm(request.POST)
    if not plans.plan_may_approve(request.user, plan):
        raise PermissionDenied("Only the evaluator of record approves the plan.")
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            plans.plan_decide(actor=request.user, plan=plan, approve=approve, note=form.cleaned_data["note"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Plan approved." if approve else "Plan returned with your note.")
            return redirect(plan.get_absolute_url())
    return _page(request, plan, status=400, decision_form=form)


@never_cache
@login_required
@require_POST
def plan_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave of the draft (htmx answers the status line), or a plain save."""
    plan = _plan_for(request, pk)
    expected = editing.expected_version(request.POST)
    form = forms.PlanForm(request.POST, person_id=plan.person_id)
    autosave = editing.Autosave(slug="plan", version=expected)
    autosave.attempt(
        form,
        lambda data: plans.plan_save(
            actor=request.user,
            plan=plan,
            expected_version=expected,
            changes={f: data[f] for f in plans.PLAN_FIELDS},
        ),
        plan.get_absolute_url(),
    )
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "includes/_autosave.html", autosave.context)
    if autosave.ok:
        messages.success(request, "Plan saved.")
        return redirect(plan.get_absolute_url())
    plan.refresh_from_db()
    return _page(request, plan, status=409 if autosave.conflict else 400, plan_form=form, autosave=autosave)


@login_required
@require_POST
def plan_activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    form = forms.PlannedActivityForm(request.POST, categories=selectors.category_names())
    if form.is_valid():
        try:
            plans.planned_activity_add(actor=request.user, plan=plan, activity=form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Added: {form.cleaned_data['title']}.")
            return redirect(f"{plan.get_absolute_url()}#planned-h")
    return _page(request, plan, status=400, activity_form=form)


@login_required
@require_POST
def plan_activity_remove(request: HttpRequest, pk: int, activity: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    try:
        plans.planned_activity_remove(actor=request.user, plan=plan, activity_id=activity)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Planned activity removed.")
    return redirect(f"{plan.get_absolute_url()}#planned-h")


STEPS = {
    "submit": (plans.plan_submit, "Plan sent to your evaluator for approval."),
    "take-back": (plans.plan_take_back, "Plan taken back: change it and send it again."),
}


@login_required
@require_POST
def plan_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """The owner sends the plan, or takes it back before anyone decides."""
    if step not in STEPS:
        raise Http404("No such step.")
    plan = _plan_for(request, pk)
    service, done = STEPS[step]
    try:
        service(actor=request.user, plan=plan)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(plan.get_absolute_url())
