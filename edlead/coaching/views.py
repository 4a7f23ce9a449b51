"""Coaching pages: my coaching relationships, one relationship (cycles, goals, sessions, hours — notes only
for the coach and the coachee), and the coordinator's mentor matching. Every read through the access
module; a fixed number of queries per page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from edlead.access import policy
from edlead.coaching import forms, matching, selectors, services
from edlead.coaching.models import CoachingCycle, CoachingRelationship, CoachingSession, CycleGoal
from edlead.core.errors import ApplicationError
from edlead.core.views import private as _private
from edlead.people.models import Person, Position

ALTERNATIVES = 5


# --- my coaching -----------------------------------------------------------------------------------------
def _people_to_assign(user: Any) -> list[tuple[int, str]]:
    scope = selectors._assign_scope(user)
    if scope is None:
        return []
    ids = Position.objects.current(timezone.localdate()).filter(scope).values("person_id")
    people = Person.objects.filter(pk__in=ids).order_by("last_name", "first_name")[:500]
    return [(p.pk, f"{p.last_name}, {p.preferred_name or p.first_name}") for p in people]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def relationship_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not services.shows_coaching(user):
        raise Http404("No coaching for you.")
    assigns = services.may_assign_anywhere(user)
    start_form = None
    if assigns:
        start_form = forms.RelationshipStartForm(
            request.POST if request.method == "POST" else None, people=_people_to_assign(user)
        )
        if request.method == "POST" and start_form.is_valid():
            data = start_form.cleaned_data
            try:
                rel = services.relationship_create(
                    actor=user,
                    kind=data["kind"],
                    coach=Person.objects.get(pk=data["coach"]),
                    coachee=Person.objects.get(pk=data["coachee"]),
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                )
            except ApplicationError as exc:
                start_form.add_error(None, exc.message)
            else:
                messages.success(request, "The relationship is recorded: both of them see it under Coaching.")
                return redirect(rel)
    elif request.method == "POST":
        raise Http404("Nothing to post here.")
    rels = selectors.relationships_for_user(user)
    pid = getattr(user, "person_id", None)
    today = timezone.localdate()
    for r in rels:
        r.hours = round((getattr(r, "total_minutes", 0) or 0) / 60, 1)  # type: ignore[attr-defined]
        r.active_now = r.is_active(today)  # type: ignore[attr-defined]
    context = {
        "as_coach": [r for r in rels if r.coach_id == pid],
        "as_coachee": [r for r in rels if r.coachee_id == pid],
        "others": [r for r in rels if pid not in (r.coach_id, r.coachee_id)],
        "assigns": assigns,
        "awaiting": selectors.awaiting_mentor(user, today) if assigns else [],
        "start_form": start_form,
        "today": today,
    }
    status = 400 if request.method == "POST" else 200
    return _private(render(request, "coaching/relationship_list.html", context, status=status))


# --- one relationship ------------------------------------------------------------------------------------
def _detail_context(request: HttpRequest, rel: CoachingRelationship, **extra: Any) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    participant = services.is_participant(user, rel)
    is_coachee = getattr(user, "person_id", None) == rel.coachee_id
    hours = selectors.hours_of(rel, today)
    cycles: list[CoachingCycle] = []
    # The sessions the user may read (coach and coachee; the shared ones also for the evaluator and
    # supervisors); everyone else who sees the relationship sees its hours only.
    sessions = list(
        selectors.sessions_readable(user, CoachingSession.objects.filter(relationship=rel)).select_related(
            "cycle"
        )[:200]
    )
    goals: dict[int, list[CycleGoal]] = {}
    if participant:  # two queries, whether there are cycles or not
        cycles = list(rel.cycles.all())
        for goal in CycleGoal.objects.filter(cycle__relationship=rel).order_by("pk"):
            goals.setdefault(goal.cycle_id, []).append(goal)
        for cycle in cycles:
            cycle.goal_list = goals.get(cycle.pk, [])  # type: ignore[attr-defined]
    active = rel.is_active(today)
    context = {
        "rel": rel,
        "participant": participant,
        "is_coachee": is_coachee,
        "hours": hours,
        "induction": selectors.induction_progress(rel, hours),
        "cycles": cycles,
        "sessions": sessions,
        "active": active,
        "may_end": active and services.may_assign(user, rel.organization),
        "session_form": forms.SessionForm(cycles=cycles, is_coachee=is_coachee)
        if participant and active
        else None,
        "cycle_form": forms.CycleForm(initial={"starts_on": today}) if participant and active else None,
        "goal_statuses": CycleGoal.Status.choices,
        "shared_choices": CoachingSession.SharedWith.choices,
        "today": today,
    }
    context.update(extra)
    return context


@login_required
@require_safe
def relationship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rel = selectors.relationship_for_user(request.user, pk)
    return _private(render(request, "coaching/relationship_detail.html", _detail_context(request, rel)))


def _participant_rel(request: HttpRequest, pk: int) -> CoachingRelationship:
    rel = selectors.relationship_for_user(request.user, pk)
    if not services.is_participant(request.user, rel):
        raise Http404("Not your coaching.")
    return rel


@login_required
@require_POST
def session_log(request: HttpRequest, pk: int) -> HttpResponse:
    rel = _participant_rel(request, pk)
    is_coachee = request.user.person_id == rel.coachee_id  # type: ignore[union-attr]
    cycles = list(rel.cycles.all())
    form = forms.SessionForm(request.POST, cycles=cycles, is_coachee=is_coachee)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.session_log(
                actor=request.user,
                relationship=rel,
                held_on=data["held_on"],
                minutes=data["minutes"],
                focus=data["focus"],
                agreed_actions=data["agreed_actions"],
                notes=data["notes"],
                shared_with=data["shared_with"],
                cycle=next((c for c in cycles if c.pk == data["cycle"]), None),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "The session is logged.")
            return redirect(rel)
    context = _detail_context(request, rel, session_form=form)
    return _private(render(request, "coaching/relationship_detail.html", context, status=400))


@login_required
@require_POST
def cycle_add(request: HttpRequest, pk: int) -> HttpResponse:
    rel = _participant_rel(request, pk)
    form = forms.CycleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            cycle = services.cycle_add(
                actor=request.user,
                relationship=rel,
                title=data["title"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
            if data["goal"]:
                services.goal_add(actor=request.user, cycle=cycle, statement=data["goal"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "The cycle is added.")
            return redirect(rel)
    context = _detail_context(request, rel, cycle_form=form)
    return _private(render(request, "coaching/relationship_detail.html", context, status=400))


def _cycle_for(request: HttpRequest, pk: int) -> CoachingCycle:
    cycle = CoachingCycle.objects.select_related("relationship").filter(pk=pk).first()
    if cycle is None:
        raise Http404("No such cycle.")
    _participant_rel(request, cycle.relationship_id)
    return cycle


@login_required
@require_POST
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle_for(request, pk)
    form = forms.GoalForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError("Goal: write what the cycle aims for (at most 300 characters).")
        services.goal_add(actor=request.user, cycle=cycle, statement=form.cleaned_data["statement"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The goal is added.")
    return redirect(cycle.relationship)


@login_required
@require_POST
def goal_status(request: HttpRequest, pk: int) -> HttpResponse:
    goal = CycleGoal.objects.select_related("cycle__relationship").filter(pk=pk).first()
    if goal is None:
        raise Http404("No such goal.")
    _participant_rel(request, goal.cycle.relationship_id)
    form = forms.GoalStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError("Status: choose in progress, met or set aside.")
        services.goal_set_status(actor=request.user, goal=goal, status=form.cleaned_data["status"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(goal.cycle.relationship)


@login_required
@require_POST
def session_share(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for_user(request.user, pk)
    form = forms.ShareForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError("Shared with: choose who may read the notes.")
        services.session_share(
            actor=request.user, session=session, shared_with=form.cleaned_data["shared_with"]
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Who may read the notes is changed.")
    return redirect(session.relationship)


@login_required
@require_POST
def relationship_end(request: HttpRequest, pk: int) -> HttpResponse:
    rel = selectors.relationship_for_user(request.user, pk)
    try:
        services.relationship_end(actor=request.user, relationship=rel)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The relationship ends today; the access it gave ends with it.")
    return redirect(rel)


# --- mentor matching -----------------------------------------------------------------------------------------
@login_required
@require_safe
def matching_page(request: HttpRequest) -> HttpResponse:
    if not services.may_assign_anywhere(request.user):
        raise Http404("You do not assign mentors.")
    data = selectors.matching_data(request.user)
    proposal = matching.propose(data.problem, alternatives=ALTERNATIVES)
    problem = data.problem
    rows = []
    for m in sorted(proposal.matches, key=lambda m: data.mentees[m.mentee].due):
        waiting = data.mentees[m.mentee]
        alternatives = [j for j in proposal.alternatives.get(m.mentee, []) if j != m.mentor][:ALTERNATIVES]
        rows.append(
            {
                "mentee": waiting,
                "mentor": data.mentors[m.mentor],
                "reasons": m.reasons,
                "cost": round(m.cost, 2),
                "choices": [
                    (data.mentors[j], "; ".join(matching.reasons(problem, m.mentee, j)[:2]))
                    for j in alternatives
                ],
            }
        )
    unmatched = [data.mentees[i] for i in proposal.unmatched]
    context = {
        "rows": rows,
        "unmatched": unmatched,
        "mentor_count": len(data.mentors),
        "places": int(problem.free.sum()) if len(problem.free) else 0,
        "today": timezone.localdate(),
        "total_cost": round(sum(m.cost for m in proposal.matches), 2),
    }
    return _private(render(request, "coaching/matching.html", context))


@login_required
@require_POST
def matching_confirm(request: HttpRequest) -> HttpResponse:
    """Confirm one proposed (or overriding) mentor, or every pair sent (`pair` = "mentee:mentor")."""
    if not services.may_assign_anywhere(request.user):
        raise Http404("You do not assign mentors.")
    pairs: list[tuple[int, int]] = []
    raw = request.POST.getlist("pair") or [
        f"{request.POST.get('mentee', '')}:{request.POST.get('mentor', '')}"
    ]
    for item in raw:
        left, _, right = item.partition(":")
        if not (left.isdigit() and right.isdigit()):
            messages.error(request, "Mentor: choose a mentor for the new principal.")
            return redirect("coaching:matching")
        pairs.append((int(left), int(right)))
    # Only people the user may read: a crafted id outside their scope is refused like a missing one.
    ids = {p for pair in pairs for p in pair}
    people = {
        p.pk: p
        for p in policy.visible_to(request.user, Person.objects.filter(pk__in=ids), policy.PERSON_VIEW)
    }
    done = 0
    for mentee_id, mentor_id in pairs:
        mentee, mentor = people.get(mentee_id), people.get(mentor_id)
        try:
            if mentee is None or mentor is None:
                raise ApplicationError("Mentor: that person is not among those you assign.")
            services.mentor_assign(actor=request.user, mentee=mentee, mentor=mentor)
        except ApplicationError as exc:
            name = mentee.display_name if mentee else "A new principal"
            messages.error(request, f"{name}: {exc.message}")
        else:
            done += 1
    if done:
        messages.success(
            request,
            f"{done} mentor{'s' if done != 1 else ''} confirmed: each is told and invited to EdLead if new to it.",
        )
    return redirect(reverse("coaching:matching"))
