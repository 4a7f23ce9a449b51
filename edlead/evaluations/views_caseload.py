"""The evaluator's caseload as a page of its own (`/evaluation/caseload/`): the table the supervisor's and
the principal's home pages load as they open (htmx asks for the table alone), the same table as a page
without JavaScript, and its CSV export. Rows come from `caseload.caseload_for`, which reads through the
access chokepoint (`cycles_for`), so nobody sees a cycle here they could not open."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from edlead.evaluations.caseload import caseload_for
from edlead.lib.exports import csv_response
from edlead.lib.schoolyears import SchoolYear

NOT_STORED = "no-store, private"
CSV_HEADER = (
    "Educator",
    "School",
    "Step",
    "Next due",
    "Overdue",
    "Standards with evidence",
    "Standards without evidence",
    "Visits this year",
    "Days since feedback",
)


@require_safe
@login_required
def caseload_view(request: HttpRequest) -> HttpResponse:
    """The educators the user evaluates this school year (empty for someone who evaluates nobody)."""
    rows = caseload_for(request.user)
    year = SchoolYear.containing(timezone.localdate())
    if request.GET.get("format") == "csv":
        response = csv_response(
            f"caseload-{year.label}.csv",
            CSV_HEADER,
            (
                (
                    r.cycle.educator.display_name,
                    r.cycle.organization.name,
                    r.cycle.get_step_display(),
                    r.due.isoformat() if r.due else "",
                    "yes" if r.overdue else "no",
                    "; ".join(r.standards_with_evidence),
                    "; ".join(r.missing_standards),
                    r.visits,
                    "" if r.days_since_feedback is None else r.days_since_feedback,
                )
                for r in rows
            ),
        )
        response.audit_label = f"Evaluation caseload {year.label}"  # type: ignore[attr-defined]
        return response
    partial = bool(request.headers.get("HX-Request"))
    template = "evaluations/_cycle_caseload.html" if partial else "evaluations/caseload.html"
    response = render(request, template, {"caseload": rows, "year": year, "partial": partial})
    response["Cache-Control"] = NOT_STORED
    return response
