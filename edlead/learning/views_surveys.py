"""A participant's side of learning: the needs assessment and the growth profile with recommended
programs, the survey after a program (anonymous reaction, ratings after, the three-month follow-up),
the completion certificate, and the learning parts of the home page and of a person's record."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.core.views import own_person_id
from edlead.evaluations.views_feedback import survey_list_page
from edlead.learning import recommend, selectors, services, services_staff, services_surveys
from edlead.learning.models import SCALE, Competency, Enrollment, GrowthSurvey, ReactionReceipt
from edlead.people.models import Person

S = Enrollment.Status


def _own_person(request: HttpRequest) -> Person:
    person_id = own_person_id(request)
    return Person.objects.get(pk=person_id)


def _ratings_from(post: Any, competencies: list[Competency]) -> dict[str, str]:
    return {c.code: post.get(f"c-{c.code}", "") for c in competencies}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def needs_assessment(request: HttpRequest) -> HttpResponse:
    person = _own_person(request)
    competencies = list(Competency.objects.all())
    profile = recommend.growth_profile(person.pk)
    values = {r.competency.code: r.self_score for r in profile.rows}
    error = ""
    if request.method == "POST":
        answers = _ratings_from(request.POST, competencies)
        try:
            services_surveys.submit_ratings(actor=request.user, person=person, ratings=answers)
        except ApplicationError as exc:
            error = exc.message
            values = {k: int(v) if str(v).isdigit() else None for k, v in answers.items()}
        else:
            messages.success(request, "Your ratings are saved: here is your growth profile.")
            return redirect("learning:recommendations")
    context = {
        "competencies": competencies,
        "values": values,
        "scale": SCALE,
        "error": error,
        "profile": profile,
    }
    return render(request, "learning/needs.html", context, status=400 if error else 200)


@login_required
@require_safe
def recommendations(request: HttpRequest) -> HttpResponse:
    person = _own_person(request)
    profile, recs = recommend.recommendations(request.user, person)
    return render(request, "learning/recommendations.html", {"profile": profile, "recs": recs})


def _own_enrollment(request: HttpRequest, pk: int) -> Enrollment:
    e = Enrollment.objects.select_related("session__program__provider", "person").filter(pk=pk).first()
    if e is None or e.person_id != getattr(request.user, "person_id", None):
        raise Http404("No such registration of yours.")
    return e


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    """After completing: the anonymous reaction, the ratings after the program, and from three months on
    the follow-up — each part offered until answered."""
    e = _own_enrollment(request, pk)
    if e.status != S.COMPLETED:
        raise Http404("This survey opens when you have completed the program.")
    program = e.session.program
    targeted = list(program.competencies.all())
    answered = ReactionReceipt.objects.filter(enrollment=e).exists()
    rated = GrowthSurvey.objects.filter(enrollment=e).exists()
    follow_due = services_surveys.follow_up_due(e) and not hasattr_follow_up(e)
    error = ""
    if request.method == "POST":
        part = request.POST.get("part", "")
        try:
            if part == "reaction" and not answered:
                answers = {k: request.POST.get(k) for k, _ in services_surveys.REACTION_QUESTIONS}
                services_surveys.submit_reaction(
                    actor=request.user, enrollment=e, answers=answers, comment=request.POST.get("comment", "")
                )
                if targeted and not rated:
                    services_surveys.submit_ratings(
                        actor=request.user,
                        person=e.person,
                        ratings=_ratings_from(request.POST, targeted),
                        enrollment=e,
                    )
            elif part == "follow_up" and follow_due:
                services_surveys.submit_follow_up(
                    actor=request.user,
                    enrollment=e,
                    use=request.POST.get("use"),
                    example=request.POST.get("example", ""),
                )
            else:
                raise ApplicationError("This part of the survey is already answered.")
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, "Thank you: your answers are saved.")
            return redirect("learning:mine")
    context = {
        "enrollment": e,
        "program": program,
        "targeted": targeted,
        "answered": answered,
        "rated": rated,
        "follow_due": follow_due,
        "questions": services_surveys.REACTION_QUESTIONS,
        "agree": [
            (1, "Strongly disagree"),
            (2, "Disagree"),
            (3, "Neutral"),
            (4, "Agree"),
            (5, "Strongly agree"),
        ],
        "scale": SCALE,
        "use_scale": services_surveys.FOLLOW_UP_SCALE,
        "error": error,
        "post": request.POST if error else {},
    }
    return render(request, "learning/survey.html", context, status=400 if error else 200)


def hasattr_follow_up(e: Enrollment) -> bool:
    from edlead.learning.models import FollowUp

    return FollowUp.objects.filter(enrollment=e).exists()


@login_required
@require_safe
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The completion certificate, for the participant and anyone who may read their learning record."""
    from edlead.reports.pdf import render_pdf

    e = policy.get_for_user(
        request.user,
        Enrollment.objects.select_related(
            "session__program__provider", "session__program__organization", "person"
        ),
        services.LEARNING_RECORD,
        pk=pk,
    )
    if e.status != S.COMPLETED:
        raise Http404("A certificate is issued on completion.")
    return render_pdf(
        request,
        "learning/certificate.html",
        {"e": e, "program": e.session.program, "session": e.session},
        filename=f"certificate-{e.certificate_number}.pdf",
        source="EdLead professional learning record",
        title=f"Certificate of completion: {e.session.program.title}",
        audit_target=e.person,
    )


def _learning_summary(person_id: int, rows: list[Enrollment]) -> dict[str, Any]:
    done = [e for e in rows if e.status == S.COMPLETED]
    return {
        "current": [e for e in rows if e.status in (S.PENDING, S.ENROLLED, S.WAITLISTED)],
        "completed": done,
        "hours": sum((e.session.program.pdp_hours for e in done if e.pdp_activity_id), start=0),
    }


@login_required
@require_safe
def home_part(request: HttpRequest) -> HttpResponse:
    """The signed-in person's learning on their home page (htmx asks for it as the page opens)."""
    person = _own_person(request)
    rows = selectors.my_enrollments(person.pk)
    profile, recs = recommend.recommendations(request.user, person, limit=3)
    context = {
        **_learning_summary(person.pk, rows),
        "recs": recs,
        "profile": profile,
        "own": True,
        "cohorts": my_cohorts(request.user),
    }
    return render(request, "learning/_home_part.html", context)


def my_cohorts(user: Any) -> list[Any]:
    """The cohorts and think tanks the user belongs to or facilitates (1 query)."""
    from edlead.learning.models import Cohort

    return list(policy.visible_to(user, Cohort.objects.all(), services.COHORT_VIEW).order_by("name")[:10])


@login_required
@require_safe
def person_part(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's learning on their record, for those who may read it (nothing otherwise)."""
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise Http404("No such person.")
    rows = list(
        policy.visible_to(
            request.user,
            Enrollment.objects.filter(person=person).exclude(status__in=[S.CANCELLED, S.DECLINED]),
            services.LEARNING_RECORD,
        )
        .select_related("session__program__provider")
        .order_by("-session__starts_at")[:100]
    )
    if not rows and not policy.can(request.user, policy.PERSON_SHARED, person):
        return HttpResponse("")  # the record page shows no learning section to this reader
    own = person.pk == getattr(request.user, "person_id", None)
    context = {
        **_learning_summary(person.pk, rows),
        "person": person,
        "own": own,
        "growth": not own and services_staff.may_read_growth(request.user, person),
        "evaluates": not own and services_staff.evaluates(request.user, person.pk),
    }
    return render(request, "learning/_person_part.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def person_growth(request: HttpRequest, pk: int) -> HttpResponse:
    """Someone else's growth profile and the programs recommended for them, for those who support them;
    their evaluator also rates them here (the supervisor's ratings sit beside their own)."""
    person = Person.objects.filter(pk=pk).first()
    if person is None or person.pk == getattr(request.user, "person_id", None):
        raise Http404("No such person.")
    if not services_staff.may_read_growth(request.user, person):
        raise Http404("No such person.")
    evaluator = services_staff.evaluates(request.user, person.pk)
    competencies = list(Competency.objects.all())
    error = ""
    if request.method == "POST":
        if not evaluator:
            raise Http404("Only their evaluator rates them.")
        answers = _ratings_from(request.POST, competencies)
        try:
            services_surveys.submit_ratings(
                actor=request.user, person=person, ratings=answers, rater_kind=GrowthSurvey.Rater.SUPERVISOR
            )
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, f"Your ratings of {person.display_name} are saved.")
            return redirect("learning:person-growth", pk=person.pk)
    profile, recs = recommend.recommendations(request.user, person)
    values = {r.competency.code: r.supervisor_score for r in profile.rows}
    context = {
        "person": person,
        "profile": profile,
        "recs": recs,
        "evaluator": evaluator,
        "competencies": competencies,
        "values": values,
        "scale": SCALE,
        "error": error,
    }
    return render(request, "learning/person_growth.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_ratings(request: HttpRequest, pk: int) -> HttpResponse:
    """Colleague ratings (360) of a leader: their surveys, and for the leader and their evaluator a form
    that starts one (it is then run from the staff survey's own page: links, a meeting code, close)."""
    person = Person.objects.filter(pk=pk).first()
    if person is None or not services_staff.may_read(request.user, person):
        raise Http404("No such person.")
    return survey_list_page(
        request,
        template="learning/staff_ratings.html",
        may_create=services_staff.may_ask(request.user, person.pk),
        create=lambda **data: services_staff.ask(actor=request.user, person=person, **data),
        context={
            "person": person,
            "own": person.pk == getattr(request.user, "person_id", None),
            "surveys": list(services_staff.surveys_for(person.pk)),
            "competencies": list(Competency.objects.all()),
        },
    )
