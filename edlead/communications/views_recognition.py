"""Recognition programs: the list, a program (criteria, window, panel, nominating, the nominations the
reader may see), a nomination (panel reviews, the award decision) and the awards on a person's record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from edlead.access import policy
from edlead.communications import rules, services
from edlead.communications.forms import AwardForm, NominationForm, PanelistForm, ProgramForm, ReviewForm
from edlead.communications.models import Award, Nomination, RecognitionProgram
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.lib.exports import csv_response
from edlead.people.models import Person, Position

NS = Nomination.Status
CHOICES_LIMIT = 3000


@login_required
@require_safe
def program_list(request: HttpRequest) -> HttpResponse:
    programs = list(
        rules.readable_programs(request.user)
        .select_related("organization")
        .order_by("-closes_on", "name")[:200]
    )
    awards = list(
        Award.objects.filter(program__in=[p.pk for p in programs])
        .select_related("person", "program__organization")
        .order_by("-awarded_on")[:200]
    )
    if request.GET.get("format") == "csv":
        return csv_response(
            "recognition-awards.csv",
            ["Awarded on", "Award", "Program", "Run by", "Person"],
            (
                (
                    a.awarded_on.isoformat(),
                    a.title,
                    a.program.name,
                    a.program.organization.name,
                    a.person.display_name,
                )
                for a in awards
            ),
        )
    today = timezone.localdate()
    return render(
        request,
        "communications/program_list.html",
        {
            "programs": programs,
            "awards": awards,
            "today": today,
            "may_create": rules.is_publisher(request.user),
        },
    )


def _program_form_page(request: HttpRequest, program: RecognitionProgram | None) -> HttpResponse:
    """Start a program (choosing who runs it) or change one (who runs it stays)."""
    if program is None:
        publishers = list(rules.publishers(request.user))
        if not publishers:
            raise Http404("You do not run recognition programs.")
        initial: dict[str, Any] = {}
    else:
        publishers = [program.organization]
        initial = {
            "organization": program.organization_id,
            **{name: getattr(program, name) for name in services.PROGRAM_LABELS},
        }
    form = ProgramForm(request.POST or None, publishers=publishers, initial=initial)
    if program is not None:
        form.fields["organization"].disabled = True
    error = ""
    conflict: editing.EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = {name: d[name] for name in services.PROGRAM_LABELS}
        try:
            if program is None:
                org = next(o for o in publishers if o.pk == d["organization"])
                program = services.program_create(actor=request.user, organization=org, **fields)
                messages.success(request, "Program created. Name its review panel next.")
            else:
                program = services.program_update(
                    actor=request.user,
                    program=program,
                    expected_version=editing.expected_version(request.POST),
                    **fields,
                )
                messages.success(request, "Program saved.")
        except editing.EditConflict as exc:
            conflict = exc
        except ApplicationError as exc:
            error = str(exc)
        else:
            return redirect(program.get_absolute_url())
    context = {"form": form, "program": program, "error": error, "conflict": conflict}
    return render(request, "communications/program_form.html", context, status=409 if conflict else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def program_new(request: HttpRequest) -> HttpResponse:
    return _program_form_page(request, None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def program_edit(request: HttpRequest, pk: int) -> HttpResponse:
    program = rules.get_program(request.user, pk)
    if not rules.may_publish(request.user, program.organization):
        raise Http404("No such recognition program.")
    return _program_form_page(request, program)


def _nominees(user: Any, program: RecognitionProgram) -> list[Person]:
    """Colleagues the nominator sees in the directory who work under the program's organization now."""
    working = Position.objects.current().filter(organization__path__startswith=program.organization.path)
    people = policy.visible_to(
        user, Person.objects.filter(pk__in=working.values("person_id")), policy.PERSON_DIRECTORY
    )
    return list(people.order_by("last_name", "first_name")[:CHOICES_LIMIT])


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = rules.get_program(request.user, pk)
    administers = rules.may_publish(request.user, program.organization)
    person = getattr(request.user, "person", None)
    today = timezone.localdate()
    is_open = program.opens_on <= today <= program.closes_on
    form: NominationForm | None = None
    error = ""
    if person is not None and is_open:
        nominees = [p for p in _nominees(request.user, program) if p.pk != person.pk]
        if program.self_nomination:
            nominees.insert(0, person)
        # A posted self-nomination is refused by the service with the program's plain reason, not by
        # the form as "not one of the choices".
        form = NominationForm(
            request.POST or None, people=nominees if request.method != "POST" else [person, *nominees]
        )
        nominees = [person, *(p for p in nominees if p.pk != person.pk)]
        if request.method == "POST" and form.is_valid():
            nominee = next((p for p in nominees if p.pk == form.cleaned_data["nominee"]), None)
            try:
                if nominee is None:
                    raise ApplicationError("Nominee: choose a colleague from the list.")
                services.nomination_create(
                    actor=request.user,
                    program=program,
                    nominee=nominee,
                    statement=form.cleaned_data["statement"],
                )
            except ApplicationError as exc:
                error = str(exc)
            else:
                messages.success(
                    request, f"Thank you: your nomination of {nominee.display_name} goes to the review panel."
                )
                return redirect(program.get_absolute_url())
    elif request.method == "POST":
        raise Http404("Nominations are closed.")
    nominations = list(
        rules.readable_nominations(request.user, Nomination.objects.filter(program=program))
        .select_related("nominee", "nominator")
        .annotate(reviews_count=Count("reviews"), average=Avg("reviews__score"))
        .order_by("-average", "pk")
    )
    if request.GET.get("format") == "csv" and nominations:
        return csv_response(
            f"nominations-{program.pk}.csv",
            ["Nominee", "Nominated by", "Submitted", "Status", "Reviews", "Average score"],
            (
                (
                    n.nominee.display_name,
                    n.nominator.display_name,
                    n.created_at.date().isoformat(),
                    n.get_status_display(),
                    n.reviews_count,
                    round(n.average, 1) if n.average else "",
                )
                for n in nominations
            ),
        )
    panel = services.panel(program)
    panel_form = None
    if administers:
        candidates = _nominees(request.user, program)
        on_panel = {p.pk for p in panel}
        panel_form = PanelistForm(people=[p for p in candidates if p.pk not in on_panel])
    context = {
        "program": program,
        "administers": administers,
        "is_open": is_open,
        "form": form,
        "error": error,
        "nominations": nominations,
        "panel": panel,
        "panel_form": panel_form,
        "awards": list(program.awards.select_related("person")),
        "today": today,
    }
    return render(request, "communications/program_detail.html", context)


@login_required
@require_POST
def program_panel_add(request: HttpRequest, pk: int) -> HttpResponse:
    program = rules.get_program(request.user, pk)
    if not rules.may_publish(request.user, program.organization):
        raise Http404("No such recognition program.")
    candidates = _nominees(request.user, program)
    form = PanelistForm(request.POST, people=candidates)
    try:
        if not form.is_valid():
            raise ApplicationError("Add a panelist: choose a person from the list.")
        person = next(p for p in candidates if p.pk == form.cleaned_data["person"])
        services.panel_member_add(actor=request.user, program=program, person=person)
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{person.display_name} is on the review panel.")
    return redirect(program.get_absolute_url())


@login_required
@require_POST
def program_panel_remove(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    program = rules.get_program(request.user, pk)
    if not rules.may_publish(request.user, program.organization):
        raise Http404("No such recognition program.")
    person = next((p for p in services.panel(program) if p.pk == person_pk), None)
    if person is None:
        messages.error(request, "That person is not on the review panel.")
        return redirect(program.get_absolute_url())
    try:
        services.panel_member_remove(actor=request.user, program=program, person=person)
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{person.display_name} leaves the review panel at the end of today.")
    return redirect(program.get_absolute_url())


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = rules.get_nomination(request.user, pk)
    program = nomination.program
    administers = rules.may_publish(request.user, program.organization)
    panelist = rules.may_review(request.user, nomination) and nomination.nominee_id != request.user.person_id  # type: ignore[union-attr]
    reviews = list(nomination.reviews.select_related("panelist"))
    pid = getattr(request.user, "person_id", None)
    mine = next((r for r in reviews if r.panelist_id == pid), None)
    review_form = None
    if panelist and nomination.status == NS.SUBMITTED:
        initial = {"score": mine.score, "comment": mine.comment} if mine else {}
        review_form = ReviewForm(request.POST or None, initial=initial)
        if request.method == "POST" and review_form.is_valid():
            try:
                services.nomination_review(
                    actor=request.user,
                    nomination=nomination,
                    score=review_form.cleaned_data["score"],
                    comment=review_form.cleaned_data["comment"],
                )
            except ApplicationError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "Your review is saved.")
            return redirect(nomination.get_absolute_url())
    elif request.method == "POST":
        raise Http404("Reviews are closed.")
    context = {
        "nomination": nomination,
        "program": program,
        "administers": administers,
        "reviews": reviews if (administers or panelist) else [r for r in reviews if r.panelist_id == pid],
        "review_form": review_form,
        "award_form": AwardForm() if administers and nomination.status == NS.SUBMITTED else None,
        "award": getattr(nomination, "award", None) if nomination.status == NS.AWARDED else None,
    }
    return render(request, "communications/nomination_detail.html", context)


@login_required
@require_POST
def nomination_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    nomination = rules.get_nomination(request.user, pk)
    if not rules.may_publish(request.user, nomination.program.organization):
        raise Http404("No such nomination.")
    try:
        if decision == "award":
            form = AwardForm(request.POST)
            citation = form.cleaned_data["citation"] if form.is_valid() else ""
            award = services.nomination_award(actor=request.user, nomination=nomination, citation=citation)
            messages.success(
                request,
                f"{award.title} awarded to {nomination.nominee.display_name}; it is on their record and they are told.",
            )
        elif decision == "decline":
            services.nomination_decline(actor=request.user, nomination=nomination)
            messages.success(request, "Marked not selected.")
        else:
            raise Http404("No such decision.")
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return redirect(nomination.get_absolute_url())


@login_required
@require_safe
def person_awards(request: HttpRequest, pk: int) -> HttpResponse:
    """The awards on a person's record: public to everyone who may open the record (nothing otherwise)."""
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise Http404("No such person.")
    if not (
        policy.can(request.user, policy.PERSON_VIEW, person)
        or policy.can(request.user, policy.PERSON_DIRECTORY, person)
    ):
        return HttpResponse("")
    awards = list(
        Award.objects.filter(person=person).select_related("program__organization").order_by("-awarded_on")
    )
    if not awards:
        return HttpResponse("")
    return render(
        request,
        "communications/_person_awards.html",
        {"awards": awards, "person": person, "year": dt.date.today().year},
    )
