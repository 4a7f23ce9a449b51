"""Learning pages: the catalog (search and filters), a program with its sessions and registration, and
a person's own learning."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.core.views import own_person_id
from edlead.learning import selectors, services
from edlead.learning.forms import CatalogForm
from edlead.learning.models import Enrollment, Program, Session
from edlead.people.models import Person

PER_PAGE = 25


@login_required
@require_safe
def catalog(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, policy.PROGRAM_VIEW):
        raise PermissionDenied("The learning catalog is for district and state staff.")
    form = CatalogForm(request.GET or None)
    page = Paginator(selectors.catalog(request.user, form.filter()), PER_PAGE).get_page(
        request.GET.get("page")
    )
    from edlead.learning.participation import offered_to
    from edlead.learning.services_manage import manageable_organizations

    context = {
        "form": form,
        "page": page,
        "may_add": bool(manageable_organizations(request.user)),
        "oversees": offered_to(request.user),
    }
    return render(request, "learning/catalog.html", context)


@login_required
@require_safe
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = policy.get_for_user(
        request.user, Program.objects.select_related("provider", "organization"), policy.PROGRAM_VIEW, pk=pk
    )
    context = {
        "program": program,
        "manages": policy.can(request.user, policy.PROGRAM_MANAGE, program),
        "competencies": list(program.competencies.all()),
        "sessions": selectors.program_sessions(program, getattr(request.user, "person_id", None)),
        "may_register": bool(getattr(request.user, "person_id", None)),
        "now": timezone.now(),
    }
    return render(request, "learning/program_detail.html", context)


@login_required
@require_POST
def session_register(request: HttpRequest, pk: int) -> HttpResponse:
    person_id = own_person_id(request)
    session = _session(request, pk)
    try:
        e = services.register(actor=request.user, session=session, person=Person.objects.get(pk=person_id))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if e.status == Enrollment.Status.ENROLLED:
            messages.success(request, f"You are enrolled in {session.program.title}.")
        else:
            messages.success(
                request, "The session is full: you are on its waitlist and will be told if a seat comes free."
            )
    return redirect(session.program.get_absolute_url())


def _session(request: HttpRequest, pk: int) -> Session:
    """A session of a program the reader may see (404 otherwise)."""
    session = Session.objects.select_related("program").filter(pk=pk).first()
    if session is None or not policy.can(request.user, policy.PROGRAM_VIEW, session.program):
        raise Http404("No such session.")
    return session


@login_required
@require_POST
def enrollment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = Enrollment.objects.select_related("session__program").filter(pk=pk).first()
    if enrollment is None or enrollment.person_id != getattr(request.user, "person_id", None):
        raise Http404("No such registration of yours.")
    try:
        services.cancel(actor=request.user, enrollment=enrollment)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Your registration is cancelled.")
    return redirect(enrollment.session.program.get_absolute_url())


@login_required
@require_safe
def my_learning(request: HttpRequest) -> HttpResponse:
    person_id = own_person_id(request)
    from edlead.learning.views_feeds import feed_url
    from edlead.learning.views_surveys import _learning_summary, my_cohorts

    rows = selectors.my_enrollments(person_id)
    context = {
        **_learning_summary(person_id, rows),
        "enrollments": rows,
        "feed_url": feed_url(request, person_id),
        "cohorts": my_cohorts(request.user),
    }
    return render(request, "learning/my_learning.html", context)
