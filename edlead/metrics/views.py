"""Performance pages: a school's trends and gaps, a district or network comparison, a leader's
outcomes, principal retention. Each reads through `edlead.metrics.selectors` (fixed query counts) and
exports the same rows it shows, with suppressed values left out."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from edlead.lib.exports import csv_response, xlsx_response
from edlead.metrics import rules, selectors
from edlead.metrics.forms import ComparisonForm
from edlead.metrics.selectors import school as school_selectors


def _export(request: HttpRequest, stem: str, header: list[Any], rows: list[list[Any]]) -> HttpResponse | None:
    fmt = request.GET.get("format")
    if fmt == "csv":
        return csv_response(f"{stem}.csv", header, rows)
    if fmt == "xlsx":
        return xlsx_response(f"{stem}.xlsx", header, rows, sheet_title=stem)
    return None


def _query_without_format(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("format", None)
    return params.urlencode()


@login_required
def school_performance(request: HttpRequest, pk: int) -> HttpResponse:
    """The key measures first; the others load into the page with htmx (`?part=rest`) or, without
    JavaScript, with the whole page (`?all=1`)."""
    wants_export = request.GET.get("format") in ("csv", "xlsx")
    part = request.GET.get("part")
    measures = school_selectors.REST if part == "rest" else school_selectors.KEY
    if request.GET.get("all"):
        measures = school_selectors.ALL_MEASURES
    data = school_selectors.school_performance(request.user, pk, measures=measures, export=wants_export)
    export = _export(
        request,
        f"{data.school.code or data.school.pk}-performance",
        selectors.EXPORT_HEADER,
        data.export_rows,
    )
    if export:
        return export
    if part == "rest":
        return render(request, "metrics/_school_measures.html", {"data": data})
    return render(request, "metrics/school_performance.html", {"data": data, "org": data.school})


@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    params = {
        "metric": request.GET.getlist("metric"),
        "year": request.GET.get("year"),
        "network": request.GET.get("network"),
        "type": request.GET.get("type"),
        "flag": request.GET.get("flag"),
    }
    data = selectors.comparison(request.user, pk, params)
    if request.GET.get("format") in ("csv", "xlsx"):
        header, rows = _comparison_rows(data)
        return _export(request, f"{data.org.code or data.org.pk}-comparison-{data.year_label}", header, rows)  # type: ignore[return-value]
    return render(
        request,
        "metrics/compare.html",
        {
            "data": data,
            "org": data.org,
            "form": ComparisonForm(data_=data, flag_choices=list(rules.FLAG_LABELS.items())),
            "flag_choices": list(rules.FLAG_LABELS.items()),
            "query": _query_without_format(request),
            "rules": rules,
        },
    )


def _comparison_rows(data: Any) -> tuple[list[Any], list[list[Any]]]:
    header: list[Any] = ["School code", "School", "Network", "Type", "Principal", "School year"]
    for m in data.chosen:
        header += [m.name, f"{m.name} ({data.prior_label})", f"{m.name} change"]
    header += ["Principal changed", "Flags"]
    rows = []
    for r in data.rows:
        line: list[Any] = [
            r.school.code or "",
            r.school.name,
            r.network.name if r.network else "",
            r.school.type_label,
            r.principal.person.display_name if r.principal else "",
            data.year_label,
        ]
        for c in r.cells:
            line += [c.now.value, c.prior.value, c.delta.value]
        line += ["" if r.principal_changed is None else ("yes" if r.principal_changed else "no")]
        line += ["; ".join(r.flag_labels)]
        rows.append(line)
    return header, rows


LEADER_HEADER = [
    "School code",
    "School",
    "Principal from",
    "Principal to",
    "Metric",
    "School year",
    "Tenure",
    "Value",
]


@login_required
def leader(request: HttpRequest, pk: int) -> HttpResponse:
    data = selectors.leader_outcomes(request.user, pk)
    rows = [
        [
            t.school.code or "",
            t.school.name,
            t.position.starts_on,
            t.position.ends_on,
            m.metric.name,
            label,
            phase,
            cell.value,
        ]
        for t in data.tenures
        for m in t.metrics
        for _year, label, cell, phase in m.cells
    ]
    export = _export(request, f"leader-{data.person.pk}-outcomes", LEADER_HEADER, rows)
    if export is not None:
        return export
    return render(request, "metrics/leader_outcomes.html", {"data": data, "person": data.person})


@login_required
def leader_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The short version for the person page, loaded into it with htmx: each school led and how its key
    figures moved over the tenure."""
    data = selectors.leader_outcomes(request.user, pk)
    return render(request, "metrics/_leader_summary.html", {"data": data})


@login_required
def retention(request: HttpRequest, pk: int) -> HttpResponse:
    data = selectors.retention(request.user, pk)
    if request.GET.get("format") in ("csv", "xlsx"):
        header: list[Any] = ["Organization", "Source", *[selectors.year_label(y) for y in data.years]]
        rows: list[list[Any]] = []
        for r in data.rows:
            rows.append(
                [r.label, "EdLead: % of schools whose principal changed", *[c.rate for c in r.edlead]]
            )
            rows.append(
                [r.label, "EdLead: schools with a principal the year before", *[c.base for c in r.edlead]]
            )
            if data.metric:
                rows.append([r.label, f"DESE: {data.metric.name}", *[c.value for c in r.dese]])
        export = _export(request, f"{data.org.code or data.org.pk}-principal-retention", header, rows)
        assert export is not None
        return export
    return render(request, "metrics/retention.html", {"data": data, "org": data.org})
