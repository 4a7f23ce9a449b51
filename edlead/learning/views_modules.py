"""Online module pages: a module's items with the participant's progress ("continue where you left off"),
one item to work through (a link, a file, a reflection, a quiz), and the coordinator's editing of the items.
Each page issues a fixed number of queries, whatever the number of items."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.learning import services_completion
from edlead.learning import services_modules as svc
from edlead.learning.forms_modules import ModuleItemForm
from edlead.learning.models import Enrollment, ModuleItem, Program

K = ModuleItem.Kind


def _online(program: Program) -> Program:
    if program.format != Program.Format.ONLINE:
        raise Http404("This program is not an online module.")
    return program


def _program(request: HttpRequest, pk: int, action: str) -> Program:
    """An online program the reader may do `action` to (404 otherwise)."""
    qs = Program.objects.select_related("provider", "organization")
    return _online(policy.get_for_user(request.user, qs, action, pk=pk))


def _item(request: HttpRequest, pk: int, action: str) -> ModuleItem:
    """An item of an online program the reader may do `action` to (404 otherwise)."""
    item = (
        ModuleItem.objects.select_related("program__provider", "program__organization", "attachment")
        .filter(pk=pk)
        .first()
    )
    if item is None or not policy.can(request.user, action, item.program):
        raise Http404("No such item.")
    _online(item.program)
    return item


def _module_url(program_id: int, anchor: str = "") -> str:
    return reverse("learning:module", args=[program_id]) + (f"#{anchor}" if anchor else "")


# --- the module ---------------------------------------------------------------------------------------------
@login_required
@require_safe
def module(request: HttpRequest, pk: int) -> HttpResponse:
    """A participant sees their progress and resumes; a coordinator edits the items; anyone else who may
    see the program sees the outline and how to register."""
    program = _program(request, pk, policy.PROGRAM_VIEW)
    manage = policy.can(request.user, policy.PROGRAM_MANAGE, program)
    enrollment = svc.participant_enrollment(getattr(request.user, "person_id", None), program)
    progress = svc.module_progress(enrollment) if enrollment is not None else None
    items: list[Any]
    if manage:
        items = list(
            ModuleItem.objects.filter(program=program)
            .select_related("attachment")
            .annotate(done_by=Count("progress", filter=Q(progress__completed_at__isnull=False)))
            .order_by("order", "pk")
        )
    elif progress is not None:
        items = [s.item for s in progress.items]
    else:
        items = list(ModuleItem.objects.filter(program=program).order_by("order", "pk"))
    context = {
        "program": program,
        "manage": manage,
        "enrollment": enrollment,
        "progress": progress,
        "items": items,
    }
    return render(request, "learning/module.html", context)


# --- one item -----------------------------------------------------------------------------------------------
def _answers_from(post: Any, item: ModuleItem) -> list[int | None]:
    """The quiz's answers from the form: None for a question left unanswered; a value that is not a choice's
    number becomes -1, which the service refuses."""
    answers: list[int | None] = []
    for n in range(len(item.questions or [])):
        raw = str(post.get(f"q-{n}", "")).strip()
        if not raw:
            answers.append(None)
        else:
            answers.append(int(raw) if raw.isdigit() else -1)
    return answers


def _neighbours(ids: list[int], item: ModuleItem) -> tuple[int | None, int | None]:
    at = ids.index(item.pk)
    return (ids[at - 1] if at > 0 else None, ids[at + 1] if at + 1 < len(ids) else None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def item(request: HttpRequest, pk: int) -> HttpResponse:
    """One item for its participant (GET shows it, POST completes it); a coordinator previews it read-only."""
    module_item = _item(request, pk, policy.PROGRAM_VIEW)
    program = module_item.program
    enrollment = svc.participant_enrollment(getattr(request.user, "person_id", None), program)
    manage = enrollment is None and policy.can(request.user, policy.PROGRAM_MANAGE, program)
    if enrollment is None and not manage:
        raise Http404("This module is for its participants: register for a session first.")
    if request.method == "POST" and enrollment is None:
        raise Http404("Only participants work through the module.")
    progress = svc.module_progress(enrollment) if enrollment is not None else None
    if progress is not None:
        ids = [s.item.pk for s in progress.items]
    else:
        ids = list(
            ModuleItem.objects.filter(program=program).order_by("order", "pk").values_list("pk", flat=True)
        )
    state = progress.state_of(module_item) if progress is not None else None
    response_text = state.progress.response if state is not None and state.progress is not None else ""
    chosen: list[int | None] = [None] * len(module_item.questions or [])
    error = ""
    result = ""
    status = 200
    if request.method == "POST" and enrollment is not None:
        was_completed = enrollment.status == Enrollment.Status.COMPLETED
        if module_item.kind == K.REFLECTION:
            response_text = request.POST.get("response", "")
        elif module_item.kind == K.QUIZ:
            chosen = _answers_from(request.POST, module_item)
        try:
            done_text, result = _perform(request, enrollment, module_item, response_text, chosen)
        except ApplicationError as exc:
            error, status = exc.message, 400
        else:
            if not result:
                if enrollment.status == Enrollment.Status.COMPLETED and not was_completed:
                    pdps = (
                        f": {services_completion.pdp_text(program.pdp_hours)} PDPs are on your record"
                        if enrollment.pdp_activity_id
                        else ""
                    )
                    messages.success(
                        request,
                        f"{done_text} You completed {program.title}{pdps}. Your certificate is ready.",
                    )
                    return redirect(_module_url(program.pk))
                messages.success(request, done_text)
                _, following = _neighbours(ids, module_item)
                if following is not None:
                    return redirect("learning:module-item", pk=following)
                return redirect(_module_url(program.pk))
            # A quiz not passed: the page again, their answers kept, with the attempt counted.
            progress = svc.module_progress(enrollment)
            state = progress.state_of(module_item)
    previous, following = _neighbours(ids, module_item)
    questions = [
        {"n": n, "text": q["question"], "choices": list(enumerate(q["choices"])), "chosen": chosen[n]}
        for n, q in enumerate(module_item.questions or [])
    ]
    context = {
        "program": program,
        "item": module_item,
        "enrollment": enrollment,
        "progress": progress,
        "state": state,
        "preview": enrollment is None,
        "position": ids.index(module_item.pk) + 1,
        "count": len(ids),
        "previous": previous,
        "following": following,
        "response_text": response_text,
        "max_reflection": svc.MAX_REFLECTION,
        "questions": questions,
        "error": error,
        "result": result,
    }
    return render(request, "learning/module_item.html", context, status=status)


def _perform(
    request: HttpRequest,
    enrollment: Enrollment,
    module_item: ModuleItem,
    response_text: str,
    chosen: list[int | None],
) -> tuple[str, str]:
    """Complete the item as its kind asks. Returns what to tell them when it is done, or (for a quiz not
    passed) the attempt's result to show above their answers."""
    if module_item.kind == K.REFLECTION:
        svc.save_reflection(request.user, enrollment, module_item, response_text)
        return "Your reflection is saved.", ""
    if module_item.kind == K.QUIZ:
        score = svc.answer_quiz(request.user, enrollment, module_item, chosen)
        questions = len(module_item.questions)
        right = round(score * questions / 100)
        if score < module_item.pass_percent:
            return "", (
                f"You got {right} of {questions} right ({score}%); {module_item.pass_percent}% passes. "
                "Your answers are below: change some and check again."
            )
        return f"Well done: {right} of {questions} right ({score}%).", ""
    svc.mark_done(request.user, enrollment, module_item)
    return f"“{module_item.title}” is done.", ""


# --- the coordinator's editing -----------------------------------------------------------------------------
def _item_form_page(
    request: HttpRequest, program: Program, form: ModuleItemForm, module_item: ModuleItem | None, status: int
) -> HttpResponse:
    return render(
        request,
        "learning/module_item_form.html",
        {"program": program, "form": form, "item": module_item},
        status=status,
    )


def _save_item(
    request: HttpRequest, program: Program, form: ModuleItemForm, module_item: ModuleItem | None
) -> HttpResponse:
    if not form.is_valid():
        return _item_form_page(request, program, form, module_item, 400)
    try:
        if module_item is None:
            saved = svc.item_add(request.user, program, **form.service_kwargs())
        else:
            saved = svc.item_update(request.user, module_item, **form.service_kwargs())
    except ApplicationError as exc:
        field = exc.extra.get("field")
        form.add_error(field if field in form.fields else None, exc.message)
        return _item_form_page(request, program, form, module_item, 400)
    messages.success(request, f"“{saved.title}” is {'added' if module_item is None else 'saved'}.")
    return redirect(_module_url(program.pk, f"item-{saved.pk}"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def item_new(request: HttpRequest, pk: int) -> HttpResponse:
    program = _program(request, pk, policy.PROGRAM_MANAGE)
    if request.method == "POST":
        return _save_item(request, program, ModuleItemForm(request.POST, program=program), None)
    return _item_form_page(request, program, ModuleItemForm(program=program), None, 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    module_item = _item(request, pk, policy.PROGRAM_MANAGE)
    program = module_item.program
    if request.method == "POST":
        return _save_item(request, program, ModuleItemForm(request.POST, program=program), module_item)
    form = ModuleItemForm(initial=ModuleItemForm.initial_for(module_item), program=program)
    return _item_form_page(request, program, form, module_item, 200)


@login_required
@require_POST
def item_move(request: HttpRequest, pk: int) -> HttpResponse:
    module_item = _item(request, pk, policy.PROGRAM_MANAGE)
    try:
        svc.item_move(request.user, module_item, request.POST.get("direction", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{module_item.title}” moved {request.POST.get('direction')}.")
    return redirect(_module_url(module_item.program_id, f"item-{module_item.pk}"))


@login_required
@require_POST
def item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    module_item = _item(request, pk, policy.PROGRAM_MANAGE)
    try:
        svc.item_remove(request.user, module_item)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{module_item.title}” is removed from the module.")
    return redirect(_module_url(module_item.program_id, "items"))
