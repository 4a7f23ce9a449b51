"""The first PDF pages: a school's performance and a person's record, each from its page's template
and access-checked exactly as the page is (404 for missing and not-yours alike)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from edlead.access import policy
from edlead.metrics.selectors import leader_outcomes
from edlead.metrics.selectors import school as school_selectors
from edlead.metrics.selectors.monthly import school_monthly
from edlead.people.models import Person
from edlead.people.views import record_context
from edlead.reports.pdf import render_pdf

PERFORMANCE_SOURCE = "figures imported into EdLead"


def performance_source(data: school_selectors.SchoolPerformance) -> str:
    """The reports the page's figures come from, as the measures name them."""
    blocks = [*data.key, *(b for cat in data.categories for b in cat.metrics)]
    reports = sorted({b.metric.source_report for b in blocks if b.metric.source_report})
    return "; ".join(reports) or PERFORMANCE_SOURCE


@login_required
def school_performance_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Every measure of the school (the page's key measures and the rest), as the page draws them."""
    data = school_selectors.school_performance(request.user, pk, measures=school_selectors.ALL_MEASURES)
    school = data.school
    return render_pdf(
        request,
        "metrics/school_performance.html",
        # The in-year monitoring the page loads afterwards (htmx) is drawn into the PDF directly.
        {"data": data, "org": school, "monthly": school_monthly(request.user, pk, "all")},
        filename=f"{school.code or school.pk}-performance.pdf",
        source=performance_source(data),
        title=f"{school.name}: school performance",
        audit_scope=[school.path],
    )


@login_required
def person_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The leader record as its page shows it to the user (personnel details only when they may read
    them, a read that the record's context audits as on the page). Directory-card readers get 404."""
    person = policy.get_for_user(request.user, Person.objects.all(), policy.PERSON_DIRECTORY, pk=pk)
    if not policy.can(request.user, policy.PERSON_VIEW, person):  # the page shows them a card only
        raise Http404("No such record")
    context = record_context(request, person)
    if context.get("led"):  # the outcomes the page loads afterwards (htmx), drawn into the PDF directly
        context["leader_data"] = leader_outcomes(request.user, pk)
    return render_pdf(
        request,
        "people/person_detail.html",
        context,
        filename=f"person-{person.pk}.pdf",
        source="EdLead people and positions records",
        title=f"{person.display_name}: leader record",
        audit_target=person,
        confidential=bool(context["show_personnel"]),
    )


def _profile_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The one-page leader profile: positions, schools led and their outcomes over each tenure, and the
    registered sections (credentials, learning, evaluation summary) — each as the reader may see it."""
    import datetime as dt

    from edlead.people.models import Position
    from edlead.reports import profile

    person = policy.get_for_user(request.user, Person.objects.all(), policy.PERSON_VIEW, pk=pk)
    today = dt.date.today()
    positions = list(
        Position.objects.filter(person=person)
        .select_related("organization", "organization__district")
        .order_by("-starts_on", "-pk")
    )
    current = [p for p in positions if p.is_current(today)]
    led = [p for p in positions if p.role == Position.Role.PRINCIPAL]
    return {
        "person": person,
        "current": current,
        "positions": positions,
        "led": led,
        "outcomes": leader_outcomes(request.user, pk) if led else None,
        "sections": profile.sections_for(request.user, person, today),
        "today": today,
    }


@login_required
def leader_profile(request: HttpRequest, pk: int) -> HttpResponse:
    from django.shortcuts import render

    context = _profile_context(request, pk)
    response = render(request, "reports/leader_profile.html", context)
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
def leader_profile_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    context = _profile_context(request, pk)
    person = context["person"]
    return render_pdf(
        request,
        "reports/leader_profile.html",
        context,
        filename=f"leader-profile-{person.pk}.pdf",
        source="EdLead people, credentials, learning and evaluation records; school metrics",
        title=f"{person.display_name}: leader profile",
        audit_target=person,
        confidential=any(s.key == "evaluation" for s, _lines in context["sections"]),
    )
