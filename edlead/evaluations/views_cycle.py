"""The cycle's pages: my evaluations (the list, opening a cycle), one cycle with a section per step and
the forms its reader may use now, its actions (every one through `services_cycle`) and its PDF.

Reads go through `selectors_cycle` (the page read is audited about the educator); every form is safe
editing (`edlead.core.editing`): drafts autosave with htmx and carry their version, a stale save shows
the conflict box, and submissions, signatures and decisions go through a confirming button."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from edlead.access import policy
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.evaluations import deadlines, selectors, selectors_cycle
from edlead.evaluations import services_cycle as sc
from edlead.evaluations.forms_cycle import (
    CommentForm,
    CycleFilterSet,
    EvaluatorForm,
    EvidenceForm,
    GoalForm,
    OpenCycleForm,
    PlanForm,
    ReasonForm,
    SignForm,
    TeamJoinForm,
    ratings_from_post,
    reviews_from_post,
)
from edlead.evaluations.models import (
    Attainment,
    Cycle,
    Evidence,
    Goal,
    Indicator,
    PerformanceLevel,
    Progress,
    Standard,
    TeamGoal,
)
from edlead.people.models import Person

Step = Cycle.Step
NOT_STORED = "no-store, private"


# --- helpers -------------------------------------------------------------------------------------------
def _cycle_for_write(request: HttpRequest, pk: int) -> Cycle:
    """The cycle a post acts on: the reader must see it (404 otherwise); the service decides the rest."""
    return policy.get_for_user(
        request.user,
        Cycle.objects.select_related("educator", "evaluator", "organization", "framework"),
        sc.CYCLE_VIEW,
        pk=pk,
    )


def _people_in_scope(user: Any) -> Any:
    """People the user may read who hold a position today (educators and possible evaluators)."""
    from edlead.people.models import Position

    working = Position.objects.current().values("person_id")
    return policy.visible_to(user, Person.objects.filter(pk__in=working), policy.PERSON_VIEW).order_by(
        "last_name", "first_name", "pk"
    )


def _grid(
    tree: list[Standard], saved: dict[str, str], *, indicators: bool, name: str
) -> list[dict[str, Any]]:
    """The rubric grid's tables: one per standard, rows (the standard, then its indicators when rated by
    indicator), each with its saved level and the descriptors of its elements by level."""
    levels = PerformanceLevel.ordered()
    out = []
    for s in tree:
        rows: list[dict[str, Any]] = [
            {
                "code": s.code,
                "label": f"Standard {s.code} {s.name}",
                "level": saved.get(s.code, ""),
                "descriptors": [],
            }
        ]
        if indicators:
            for i in s.indicators.all():
                rows.append(
                    {
                        "code": i.code,
                        "label": f"Indicator {i.code} {i.name}",
                        "level": saved.get(i.code, ""),
                        "descriptors": [
                            {
                                "element": f"{e.code} {e.name}",
                                "levels": [(d.get_level_display(), d.text) for d in e.descriptors.all()],
                            }
                            for e in i.elements.all()
                        ],
                    }
                )
        out.append({"standard": s, "rows": rows, "levels": levels, "name": name})
    return out


def _saved_levels(assessment: Any) -> dict[str, str]:
    if assessment is None:
        return {}
    out = {}
    for r in assessment.ratings.all():
        code = r.standard.code if r.standard_id else r.indicator.code
        out[code] = r.level
    return out


def _reviews(assessment: Any, field: str) -> dict[int, tuple[str, str]]:
    if assessment is None:
        return {}
    return {r.goal_id: (getattr(r, field), r.text) for r in assessment.goal_reviews.all()}


def _codes(tree: list[Standard], *, indicators: bool) -> list[str]:
    codes = []
    for s in tree:
        codes.append(s.code)
        if indicators:
            codes += [i.code for i in s.indicators.all()]
    return codes


# --- the list ------------------------------------------------------------------------------------------
@never_cache
@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    """My evaluations: the educator's own cycles, the evaluator's caseload, the cycles in scope for the
    chain and HR (filtered by step and school year), and for HR / district administrators the form to
    open a cycle."""
    pid = getattr(request.user, "person_id", None)
    qs = selectors_cycle.cycles_for(request.user)
    filterset = CycleFilterSet(request.GET or None, queryset=qs)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    cycles = list(page.object_list)
    dues = _dues([c.pk for c in cycles])
    today = timezone.localdate()
    listed = [
        (c, dues.get(c.pk), bool(dues.get(c.pk) and dues[c.pk] < today))  # type: ignore[operator]
        for c in cycles
    ]
    may_open = _may_open(request.user)
    form = None
    if may_open:
        people = _people_in_scope(request.user)
        form = OpenCycleForm(request.POST or None, people=people)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                cycle = sc.cycle_open(
                    actor=request.user,
                    educator=data["educator"],
                    school_year=data["school_year"],
                    evaluator=data["evaluator"],
                    reason=data["reason"] or "Chosen when the cycle was opened",
                )
            except (ApplicationError, ValidationError) as exc:
                form.add_error(None, "; ".join(getattr(exc, "messages", None) or [str(exc)]))
            else:
                messages.success(request, f"Opened {cycle}.")
                return redirect(cycle.get_absolute_url())
    elif request.method == "POST":
        raise Http404("Not found")
    response = render(
        request,
        "evaluations/cycle_list.html",
        {
            "page": page,
            "listed": listed,
            "filter": filterset,
            "person_id": pid,
            "open_form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )
    response["Cache-Control"] = NOT_STORED
    return response


def _dues(ids: list[int]) -> dict[int, Any]:
    """The earliest due date of what each open cycle waits for (one query for the cycles, one per
    district for its settings)."""
    out: dict[int, Any] = {}
    if not ids:
        return out
    for p in deadlines.pending(
        deadlines.with_state(Cycle.objects.filter(pk__in=ids).exclude(step=Step.DONE))
    ):
        if p.due is not None and (p.cycle.pk not in out or p.due < out[p.cycle.pk]):
            out[p.cycle.pk] = p.due
    return out


def _may_open(user: Any) -> bool:
    """HR or a district administrator somewhere (the service checks the educator's district)."""
    from edlead.access.models import RoleGrant

    return any(
        g.role in (RoleGrant.Role.HR, RoleGrant.Role.DISTRICT_ADMIN) for g in policy.effective_grants(user)
    )


# --- one cycle -----------------------------------------------------------------------------------------
def _page_context(request: HttpRequest, pk: int, *, pdf: bool = False) -> dict[str, Any]:
    record = selectors_cycle.cycle_record(request.user, pk, request=request)
    cycle = record.cycle
    pid = getattr(request.user, "person_id", None)
    is_educator = pid is not None and pid == cycle.educator_id
    is_evaluator = pid is not None and pid == cycle.evaluator_id
    may_manage = policy.may_manage_relationships(request.user, cycle.organization)
    tree = selectors.framework_tree(cycle.framework)
    step = cycle.step
    summative = record.summative
    summative_visible = summative is not None and (
        not is_educator or summative.evaluator_signed_at is not None
    )
    formative = record.formative
    formative_visible = formative is not None and (not is_educator or formative.submitted_at is not None)
    sa = record.self_assessment
    approved = [g for g in record.goals if g.status == Goal.Status.APPROVED]
    steps = [
        {"label": label.split(" ", 1)[1], "n": n, "value": value}
        for n, (value, label) in enumerate(Step.choices[:5], start=1)
    ]
    due = None if cycle.is_locked else deadlines.cycle_due_date(cycle)
    overdue = [] if cycle.is_locked else deadlines.cycle_overdue(cycle)
    from django.contrib.contenttypes.models import ContentType

    from edlead.files.models import Attachment

    files: dict[int, list[Attachment]] = {}
    if any(ev.kind == Evidence.Kind.FILE for ev in record.evidence):
        for a in Attachment.objects.filter(
            owner_type=ContentType.objects.get_for_model(Evidence),
            owner_id__in=[ev.pk for ev in record.evidence],
        ).order_by("pk"):
            files.setdefault(a.owner_id, []).append(a)
    for ev in record.evidence:
        ev.files = files.get(ev.pk, [])  # type: ignore[attr-defined]
    from edlead.visits.selectors import visits_for, visits_shown

    # One query for the visits and one audit event for reading them, however many there are.
    visits = visits_shown(request.user, visits_for(request.user).filter(cycle=cycle))
    ctx: dict[str, Any] = {
        "record": record,
        "cycle": cycle,
        "tree": tree,
        "steps": steps,
        "step_number": cycle.step_number,
        "is_educator": is_educator,
        "is_evaluator": is_evaluator,
        "may_manage": may_manage,
        "due": due,
        "overdue": overdue,
        "visits": visits,
        "goals": record.goals,
        "approved_goals": approved,
        "self_assessment": sa,
        "self_visible": sa is not None and (is_educator or sa.submitted_at is not None),
        "formative": formative,
        "formative_visible": formative_visible,
        "summative": summative,
        "summative_visible": summative_visible,
        "pdf": pdf,
        "levels": PerformanceLevel.ordered(),
        "progress_choices": Progress.choices,
        "attainment_choices": Attainment.choices,
    }
    ctx["self_grid"] = _grid(tree, _saved_levels(sa), indicators=True, name="self")
    ctx["formative_grid"] = _grid(tree, _saved_levels(formative), indicators=False, name="formative")
    ctx["summative_grid"] = _grid(tree, _saved_levels(summative), indicators=False, name="summative")
    ctx["formative_reviews"] = [(g, *_reviews(formative, "progress").get(g.pk, ("", ""))) for g in approved]
    ctx["summative_reviews"] = [(g, *_reviews(summative, "attainment").get(g.pk, ("", ""))) for g in approved]
    if pdf:
        return ctx
    # What the reader may do now.
    ctx["can_self"] = is_educator and step == Step.SELF_ASSESSMENT
    ctx["can_goals"] = is_educator and step in sc.GOAL_STEPS
    ctx["can_decide_goals"] = is_evaluator and step in sc.GOAL_STEPS
    ctx["can_plan"] = is_evaluator and step in sc.GOAL_STEPS
    evaluator_signed = summative is not None and summative.evaluator_signed_at is not None
    ctx["can_evidence"] = (is_educator or is_evaluator) and step in sc.EVIDENCE_STEPS and not evaluator_signed
    ctx["can_formative"] = is_evaluator and step in (Step.IMPLEMENTATION, Step.FORMATIVE)
    ctx["can_summative"] = is_evaluator and step == Step.SUMMATIVE and not evaluator_signed
    ctx["can_sign_educator"] = is_educator and step == Step.SUMMATIVE and evaluator_signed
    ctx["can_reopen"] = may_manage and evaluator_signed
    # Staff feedback is evidence about administrators; its page opens to whoever may read the cycle.
    ctx["staff_feedback_link"] = sc.is_administrator_cycle(cycle) and policy.can(
        request.user, sc.CYCLE_VIEW, cycle
    )
    ctx["goal_form"] = GoalForm(prefix="new")
    ctx["goal_forms"] = [
        (g, GoalForm(instance=g, prefix=f"g{g.pk}"))
        for g in record.goals
        if is_educator and g.status in (Goal.Status.DRAFT, Goal.Status.RETURNED)
    ]
    if ctx["can_goals"]:
        district = cycle.organization.district or cycle.organization
        teams = (
            TeamGoal.objects.filter(organization__path__startswith=district.path)
            .exclude(goals__cycle=cycle)
            .order_by("title")
        )
        ctx["team_form"] = TeamJoinForm(teams=[(t.pk, t.title) for t in teams])
    ctx["comment_form"] = CommentForm()
    if ctx["can_plan"]:
        ctx["suggestion"] = sc.cycle_suggested_plan(cycle)
        ctx["plan_form"] = PlanForm(
            initial={
                "plan_type": cycle.plan_type or ctx["suggestion"].plan_type,
                "starts_on": cycle.plan_starts_on,
                "ends_on": cycle.plan_ends_on,
            }
        )
    if ctx["can_evidence"]:
        ctx["evidence_form"] = EvidenceForm(
            indicators=Indicator.objects.filter(standard__framework_id=cycle.framework_id).order_by(
                "standard__order", "order", "pk"
            ),
            prefix="ev",
        )
    if ctx["can_summative"]:
        ctx["summative_problems"] = sc.summative_problems(cycle, summative)
    ctx["sign_form"] = SignForm()
    ctx["reason_form"] = ReasonForm()
    if may_manage and not cycle.is_locked:
        ctx["evaluator_form"] = EvaluatorForm(people=_people_in_scope(request.user))
        ctx["proposed"] = sc.propose_evaluators(educator=cycle.educator)
    for slug, written in (("self", sa), ("formative", formative), ("summative", summative)):
        ctx[f"{slug}_autosave"] = editing.Autosave(
            slug=slug,
            version=written.version if written is not None else 0,
            saved_at=written.edited_at if written is not None else None,
        )
    ctx["trigger"] = editing.AUTOSAVE_TRIGGER
    return ctx


@never_cache
@login_required
@require_safe
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response = render(request, "evaluations/cycle_detail.html", _page_context(request, pk))
    response["Cache-Control"] = NOT_STORED
    return response


@login_required
@require_safe
def cycle_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from edlead.reports.pdf import render_pdf

    ctx = _page_context(request, pk, pdf=True)
    cycle: Cycle = ctx["cycle"]
    return render_pdf(
        request,
        "evaluations/cycle_detail.html",
        ctx,
        filename=f"evaluation-{cycle.educator.last_name.lower()}-{cycle.year_label}.pdf",
        source="EdLead evaluations",
        title=str(cycle),
        audit_target=cycle,
        confidential=True,
    )


# --- actions -------------------------------------------------------------------------------------------
Handler = Callable[[HttpRequest, Cycle], Any]


def _goal(cycle: Cycle, request: HttpRequest) -> Goal:
    try:
        return Goal.objects.select_related("cycle").get(pk=int(request.POST.get("goal", "0")), cycle=cycle)
    except (Goal.DoesNotExist, ValueError) as exc:
        raise Http404("Not found") from exc


def _version(request: HttpRequest) -> int:
    return editing.expected_version(request.POST)


def _self_save(request: HttpRequest, cycle: Cycle) -> Any:
    tree = selectors.framework_tree(cycle.framework)
    return sc.self_assessment_save(
        actor=request.user,
        cycle=cycle,
        expected_version=_version(request),
        narrative=request.POST.get("narrative", ""),
        ratings=ratings_from_post(request.POST, _codes(tree, indicators=True)),
    )


def _formative_save(request: HttpRequest, cycle: Cycle) -> Any:
    tree = selectors.framework_tree(cycle.framework)
    goal_ids = list(cycle.goals.filter(status=Goal.Status.APPROVED).values_list("pk", flat=True))
    return sc.formative_save(
        actor=request.user,
        cycle=cycle,
        expected_version=_version(request),
        narrative=request.POST.get("narrative", ""),
        ratings=ratings_from_post(request.POST, _codes(tree, indicators=False)),
        progress=reviews_from_post(request.POST, goal_ids, "progress"),
        is_formative_evaluation=bool(request.POST.get("is_formative_evaluation")),
    )


def _summative_save(request: HttpRequest, cycle: Cycle) -> Any:
    tree = selectors.framework_tree(cycle.framework)
    goal_ids = list(cycle.goals.filter(status=Goal.Status.APPROVED).values_list("pk", flat=True))
    return sc.summative_save(
        actor=request.user,
        cycle=cycle,
        expected_version=_version(request),
        narrative=request.POST.get("narrative", ""),
        overall=request.POST.get("overall", ""),
        ratings=ratings_from_post(request.POST, _codes(tree, indicators=False)),
        attainment=reviews_from_post(request.POST, goal_ids, "attainment"),
    )


def _goal_save(request: HttpRequest, cycle: Cycle) -> Any:
    goal = None
    prefix = "new"
    if request.POST.get("goal"):
        goal = _goal(cycle, request)
        prefix = f"g{goal.pk}"
    form = GoalForm(request.POST, prefix=prefix, instance=goal)
    if not form.is_valid():
        raise ApplicationError(
            "Check the goal: "
            + "; ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items())
        )
    fields = {name: form.cleaned_data[name] for name in ["kind", *Goal.TEXT_FIELDS]}
    if goal is None and request.POST.get("team"):
        return sc.team_goal_create(actor=request.user, cycle=cycle, **fields)
    return sc.goal_save(
        actor=request.user,
        cycle=cycle,
        goal=goal,
        expected_version=_version(request) if goal is not None else 0,
        **fields,
    )


def _team_join(request: HttpRequest, cycle: Cycle) -> Any:
    try:
        team = TeamGoal.objects.select_related("organization").get(pk=int(request.POST.get("team", "0")))
    except (TeamGoal.DoesNotExist, ValueError) as exc:
        raise ApplicationError("Choose a team goal.") from exc
    return sc.team_goal_join(actor=request.user, cycle=cycle, team=team)


def _plan(request: HttpRequest, cycle: Cycle) -> Any:
    form = PlanForm(request.POST)
    if not form.is_valid():
        raise ApplicationError("Check the plan: choose a type and valid dates.")
    return sc.cycle_decide_plan(
        actor=request.user,
        cycle=cycle,
        plan_type=form.cleaned_data["plan_type"],
        starts_on=form.cleaned_data["starts_on"],
        ends_on=form.cleaned_data["ends_on"],
        expected_version=_version(request),
    )


def _evidence_add(request: HttpRequest, cycle: Cycle) -> Any:
    form = EvidenceForm(
        request.POST,
        request.FILES,
        indicators=Indicator.objects.filter(standard__framework_id=cycle.framework_id).select_related(
            "standard"
        ),
        prefix="ev",
    )
    if not form.is_valid():
        raise ApplicationError(
            "Check the evidence: "
            + "; ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items())
        )
    d = form.cleaned_data
    return sc.evidence_add(
        actor=request.user,
        cycle=cycle,
        kind=d["kind"],
        title=d["title"],
        category=d["category"],
        indicators=list(d["indicators"]),
        url=d["url"] or "",
        text=d["text"] or "",
        file=d["file"],
        staff_feedback=d["staff_feedback"],
    )


def _evidence_remove(request: HttpRequest, cycle: Cycle) -> Any:
    try:
        ev = Evidence.objects.select_related("cycle").get(
            pk=int(request.POST.get("evidence", "0")), cycle=cycle
        )
    except (Evidence.DoesNotExist, ValueError) as exc:
        raise Http404("Not found") from exc
    return sc.evidence_remove(actor=request.user, evidence=ev)


def _set_evaluator(request: HttpRequest, cycle: Cycle) -> Any:
    form = EvaluatorForm(request.POST, people=_people_in_scope(request.user))
    if not form.is_valid():
        raise ApplicationError("Choose the evaluator and give a reason.")
    return sc.cycle_set_evaluator(
        actor=request.user,
        cycle=cycle,
        evaluator=form.cleaned_data["evaluator"],
        reason=form.cleaned_data["reason"],
    )


def _optional_version(request: HttpRequest) -> int | None:
    return _version(request) if request.POST.get("version") or request.POST.get("keep_mine") else None


ACTIONS: dict[str, tuple[Handler, str]] = {
    "self-save": (_self_save, "Self-assessment saved."),
    "self-submit": (
        lambda r, c: sc.self_assessment_submit(actor=r.user, cycle=c, expected_version=_optional_version(r)),
        "Self-assessment sent to your evaluator.",
    ),
    "goal-save": (_goal_save, "Goal saved."),
    "goal-delete": (lambda r, c: sc.goal_delete(actor=r.user, goal=_goal(c, r)), "Goal removed."),
    "team-join": (_team_join, "Team goal added to your goals."),
    "goals-propose": (lambda r, c: sc.goals_propose(actor=r.user, cycle=c), "Goals sent for approval."),
    "goal-approve": (
        lambda r, c: sc.goal_approve(
            actor=r.user,
            goal=_goal(c, r),
            comment=r.POST.get("comment", ""),
            expected_version=_optional_version(r),
        ),
        "Goal approved.",
    ),
    "goal-return": (
        lambda r, c: sc.goal_return(
            actor=r.user,
            goal=_goal(c, r),
            comment=r.POST.get("comment", ""),
            expected_version=_optional_version(r),
        ),
        "Goal returned with your comment.",
    ),
    "plan-decide": (_plan, "Plan decided."),
    "plan-approve": (
        lambda r, c: sc.cycle_approve_plan(actor=r.user, cycle=c, expected_version=_optional_version(r)),
        "Plan approved: the cycle moves to implementation.",
    ),
    "evidence-add": (_evidence_add, "Evidence added."),
    "evidence-remove": (_evidence_remove, "Evidence removed."),
    "formative-save": (_formative_save, "Formative assessment saved."),
    "formative-submit": (
        lambda r, c: sc.formative_submit(actor=r.user, cycle=c, expected_version=_optional_version(r)),
        "Formative assessment shared with the educator.",
    ),
    "summative-save": (_summative_save, "Summative evaluation saved."),
    "sign-evaluator": (
        lambda r, c: sc.summative_sign_evaluator(
            actor=r.user, cycle=c, expected_version=_optional_version(r)
        ),
        "You signed the summative evaluation; the educator is asked to sign.",
    ),
    "sign-educator": (
        lambda r, c: sc.summative_sign_educator(
            actor=r.user, cycle=c, response=r.POST.get("response", ""), expected_version=_optional_version(r)
        ),
        "You signed the summative evaluation. The cycle is complete.",
    ),
    "reopen": (
        lambda r, c: sc.cycle_reopen(actor=r.user, cycle=c, reason=r.POST.get("reason", "")),
        "The evaluation is reopened for a correction.",
    ),
    "set-evaluator": (_set_evaluator, "Evaluator chosen."),
}
AUTOSAVED = {"self-save": "self", "formative-save": "formative", "summative-save": "summative"}


@never_cache
@login_required
@require_POST
def cycle_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One action on a cycle, by its service. Autosaving drafts answer htmx with the status partial;
    plain posts return to the page with a message (or the conflict box, status 409)."""
    if action not in ACTIONS:
        raise Http404("Not found")
    cycle = _cycle_for_write(request, pk)
    handler, done = ACTIONS[action]
    page = reverse("evaluations:cycle-detail", args=[cycle.pk])
    slug = AUTOSAVED.get(action)
    autosave = editing.Autosave(slug=slug or action, version=_version(request), reload_url=f"{page}?r=1")
    try:
        result = handler(request, cycle)
    except editing.EditConflict as conflict:
        autosave.conflict = conflict
        autosave.reload_url = f"{page}?saved={conflict.version}"
    except (ApplicationError, ValidationError) as exc:
        autosave.error = "; ".join(getattr(exc, "messages", None) or [str(exc)])
    else:
        if slug and result is not None:
            autosave.version = result.version
            autosave.saved_at = result.edited_at or timezone.now()
    if slug and request.htmx:  # type: ignore[attr-defined]
        return render(request, "includes/_autosave.html", autosave.context)
    if autosave.conflict is not None and slug:
        ctx = _page_context(request, pk)
        ctx[f"{slug}_autosave"] = autosave
        return render(request, "evaluations/cycle_detail.html", ctx, status=409)
    if autosave.conflict is not None:
        messages.error(request, str(autosave.conflict))
    elif autosave.error:
        messages.error(request, autosave.error)
    else:
        messages.success(request, done)
    anchor = {"self": "step-1", "formative": "step-4", "summative": "step-5"}.get(slug or "", "")
    return redirect(f"{page}#{anchor}" if anchor else page)
