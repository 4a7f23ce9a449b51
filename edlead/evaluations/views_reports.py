"""District views of evaluation (issue 9 item 6): completion, calibration, rating–outcome divergence and
the final ratings export. Aggregates only; the export lists the cycles the user may read (CYCLE_VIEW)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from edlead.access import policy
from edlead.evaluations import ratings
from edlead.evaluations import selectors_reports as sr
from edlead.evaluations.models import Cycle
from edlead.evaluations.services_cycle import CYCLE_VIEW
from edlead.lib.exports import csv_response, xlsx_response
from edlead.lib.schoolyears import SchoolYear


def _allowed(request: HttpRequest) -> None:
    if not sr.reports_allowed(request.user):
        raise Http404("No such page.")


def _year(request: HttpRequest) -> tuple[int, list[int]]:
    years = sr.year_choices(request.user)
    raw = request.GET.get("year", "")
    if raw.isdigit() and 1990 <= int(raw) <= 2100:
        chosen = int(raw)
    else:
        current = SchoolYear.current().start_year
        chosen = current if current in years or not years else years[0]
    if chosen not in years:
        years = sorted({*years, chosen}, reverse=True)
    return chosen, years


def _context(request: HttpRequest, year: int, years: list[int], **extra: Any) -> dict[str, Any]:
    return {
        "year": year,
        "year_label": ratings.year_label(year),
        "years": [(y, ratings.year_label(y)) for y in years],
        "threshold": sr.staff_threshold(),
        "tab": extra.pop("tab", ""),
        **extra,
    }


@login_required
def completion(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    year, years = _year(request)
    data = sr.completion(request.user, year)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        header, rows = sr.completion_table(data)
        name = f"evaluation-completion-{ratings.year_label(year)}.{fmt}"
        if fmt == "csv":
            return csv_response(name, header, rows)
        return xlsx_response(name, header, rows, sheet_title="Completion")
    steps = [(s, Cycle.Step(s).label) for s in Cycle.Step.values]
    return render(
        request,
        "evaluations/reports_completion.html",
        _context(
            request,
            year,
            years,
            tab="completion",
            data=data,
            steps=steps,
            # each bar with what it says to a screen reader: "North: 3 at 1 Self-assessment, 9 at …"
            chart=[
                (row, ", ".join(f"{n} at {label}" for _s, label, _x, _w, n, _c in row.bars if n))
                for row in data.rows
            ],
            legend=[(Cycle.Step(s).label, sr.STEP_COLOURS[s]) for s in Cycle.Step.values],
        ),
    )


@login_required
def calibration(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    year, years = _year(request)
    data = sr.calibration(request.user, year)
    return render(
        request,
        "evaluations/reports_calibration.html",
        _context(
            request,
            year,
            years,
            tab="calibration",
            data=data,
            levels=[lv.label for lv in sr.PerformanceLevel],
            flag_points=sr.FLAG_POINTS,
        ),
    )


@login_required
def divergence(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    year, years = _year(request)
    rows = sr.divergence(request.user, year)
    return render(
        request,
        "evaluations/reports_divergence.html",
        _context(request, year, years, tab="divergence", rows=rows, rule=sr.DIVERGENCE_RULE),
    )


@login_required
def ratings_export(request: HttpRequest) -> HttpResponse:
    """Final ratings of the year, EPIMS-like CSV: the signed evaluations the user may read in their scope."""
    _allowed(request)
    year, _years = _year(request)
    cycles = policy.visible_to(request.user, sr.scope_cycles(request.user, year), CYCLE_VIEW)
    return csv_response(
        f"evaluation-ratings-{ratings.year_label(year)}.csv", ratings.HEADER, ratings.export_rows(cycles)
    )
