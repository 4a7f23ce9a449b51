"""The coordinator's pages that keep the catalog: add or edit a program, add a session, cancel one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.learning import services_manage
from edlead.learning.forms_manage import CancelForm, ProgramForm, SessionForm
from edlead.learning.models import Program
from edlead.learning.views_run import _managed_session


def _program_form(request: HttpRequest, program: Program | None) -> HttpResponse:
    form = ProgramForm(request.POST or None, instance=program, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services_manage.program_save(
                actor=request.user, program=form.apply(), competencies=list(form.cleaned_data["competencies"])
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{saved.title} is saved.")
            return redirect(saved.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "learning/program_form.html", {"form": form, "program": program}, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def program_new(request: HttpRequest) -> HttpResponse:
    if not services_manage.manageable_organizations(request.user):
        raise PermissionDenied("Program coordinators and administrators add programs.")
    return _program_form(request, None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def program_edit(request: HttpRequest, pk: int) -> HttpResponse:
    program = policy.get_for_user(request.user, Program.objects.all(), policy.PROGRAM_MANAGE, pk=pk)
    return _program_form(request, program)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    program = policy.get_for_user(request.user, Program.objects.all(), policy.PROGRAM_MANAGE, pk=pk)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            session = services_manage.session_add(
                actor=request.user,
                program=program,
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
                days=d["days"],
                place=d["place"],
                online_url=d["online_url"],
                facilitators=d["facilitators"],
                capacity=d["capacity"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Session of {session.starts_at:%d %B %Y} added: registration is open.")
            return redirect(program.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "learning/session_form.html", {"form": form, "program": program}, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = _managed_session(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            told = services_manage.session_cancel(
                actor=request.user, session=session, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                f"The session is cancelled; {told} registered {'person was' if told == 1 else 'people were'} told.",
            )
            return redirect(session.program.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "learning/session_cancel.html",
        {"form": form, "session": session, "program": session.program},
        status=status,
    )
