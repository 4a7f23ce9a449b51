"""A district's side of school improvement plans: its strategy (theory of action, objectives) that every
school plan aligns to, and the template school plans start from. Read by whoever reads the district's
plans; kept by its administrators."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from edlead.access import policy
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.forms import UswdsFormMixin
from edlead.orgs.models import Organization
from edlead.plans import selectors, services
from edlead.plans.forms import current_school_year, year_choices
from edlead.plans.models import Objective, Plan, StrategicPlan
from edlead.plans.views import _private


class StrategyForm(UswdsFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(max_length=200)
    theory_of_action = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        help_text="If the district does this, then… — the reasoning school plans carry out.",
    )
    first_year = forms.TypedChoiceField(coerce=int, label="First school year")
    last_year = forms.TypedChoiceField(coerce=int, label="Last school year")
    objectives = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="A new strategy's objectives, one a line (a number, a full stop, the objective).",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        now = current_school_year()
        for name in ("first_year", "last_year"):
            self.fields[name].choices = year_choices(now - 3, now + 6)  # type: ignore[attr-defined]


class ObjectiveForm(UswdsFormMixin, forms.Form):
    code = forms.CharField(max_length=10, required=False, label="Number")
    title = forms.CharField(max_length=200, label="Objective")


def reads_district(user: Any, district: Organization) -> bool:
    """Whoever reads plans or works anywhere in the district reads its strategy (public, like its plans)."""
    grants = [*policy.grants_for(user, policy.PLAN_VIEW), *policy.grants_for(user, policy.ORG_VIEW)]
    return any(g.path.startswith(district.path) or district.path.startswith(g.path) for g in grants)


def _district(request: HttpRequest, pk: int) -> Organization:
    district = Organization.objects.filter(pk=pk, kind=Organization.Kind.DISTRICT).first()
    if district is None or not reads_district(request.user, district):
        raise Http404("No such district.")
    return district


def _objectives(lines: str) -> list[tuple[str, str]]:
    found = []
    for n, line in enumerate(t.strip() for t in lines.splitlines() if t.strip()):
        code, _, title = line.partition(". ")
        found.append((code, title) if title and len(code) <= 10 else (str(n + 1), line))
    return found


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def district_strategy(request: HttpRequest, pk: int) -> HttpResponse:
    district = _district(request, pk)
    may_manage = policy.can(request.user, policy.ORG_MANAGE, district)
    strategies = list(StrategicPlan.objects.filter(organization=district).prefetch_related("objectives"))
    current = strategies[0] if strategies else None
    # The template is the district's working draft: shown to those who may read it (plan.view there).
    template = selectors.readable(
        request.user, Plan.objects.filter(organization=district, is_template=True)
    ).first()
    initial: dict[str, Any] = {"first_year": current_school_year(), "last_year": current_school_year() + 2}
    if current is not None:
        initial = {"version": current.version, **{f: getattr(current, f) for f in services.STRATEGY_FIELDS}}
    form = StrategyForm(request.POST if request.method == "POST" else None, initial=initial)
    conflict = None
    if request.method == "POST":
        if not may_manage:
            raise Http404("Only the district's administrators change its strategy.")
        if form.is_valid():
            data = form.cleaned_data
            fields = {f: data[f] for f in services.STRATEGY_FIELDS}
            try:
                if current is None or request.POST.get("new"):
                    services.strategy_create(
                        actor=request.user,
                        district=district,
                        objectives=_objectives(data["objectives"]),
                        **fields,
                    )
                else:
                    services.strategy_save(
                        actor=request.user,
                        strategy=current,
                        expected_version=editing.expected_version(request.POST),
                        changes=fields,
                    )
            except editing.EditConflict as exc:
                conflict = exc
                form.add_error(None, exc.message)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "The district's strategy is saved.")
                return redirect("plans:district-strategy", pk=district.pk)
    context = {
        "district": district,
        "strategies": strategies,
        "current": current,
        "template": template,
        "may_manage": may_manage,
        "may_template": policy.can(request.user, policy.PLAN_EDIT, district),
        "form": form,
        "objective_form": ObjectiveForm(),
        "conflict": conflict,
    }
    status = 400 if request.method == "POST" else 200
    return _private(render(request, "plans/district_strategy.html", context, status=status))


@login_required
@require_POST
def objective_add(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = StrategicPlan.objects.select_related("organization").filter(pk=pk).first()
    if strategy is None or not policy.can(request.user, policy.ORG_MANAGE, strategy.organization):
        raise Http404("No such strategy.")
    form = ObjectiveForm(request.POST)
    if form.is_valid():
        try:
            services.objective_add(actor=request.user, strategy=strategy, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Objective added.")
    else:
        messages.error(request, "Name the objective.")
    return redirect("plans:district-strategy", pk=strategy.organization_id)


@login_required
@require_POST
def objective_remove(request: HttpRequest, pk: int) -> HttpResponse:
    objective = Objective.objects.select_related("strategic_plan__organization").filter(pk=pk).first()
    if objective is None or not policy.can(
        request.user, policy.ORG_MANAGE, objective.strategic_plan.organization
    ):
        raise Http404("No such objective.")
    district_id = objective.strategic_plan.organization_id
    services.objective_remove(actor=request.user, objective=objective)
    messages.success(request, "Objective removed; goals aligned to it keep their text.")
    return redirect("plans:district-strategy", pk=district_id)


@login_required
@require_POST
def template_open(request: HttpRequest, pk: int) -> HttpResponse:
    """The district's template (made the first time), edited on the plan page."""
    district = _district(request, pk)
    try:
        template = services.template_for(actor=request.user, district=district)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("plans:district-strategy", pk=district.pk)
    return redirect(template)
