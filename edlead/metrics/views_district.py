"""The district performance page, the state overview and in-year monitoring by month. Each reads
through `edlead.metrics.selectors` (the chokepoint, fixed query counts) and exports the rows it shows."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from edlead.metrics.forms import MonthlyForm
from edlead.metrics.selectors import EXPORT_HEADER
from edlead.metrics.selectors.district import district_performance as district_data
from edlead.metrics.selectors.district import state_overview as state_data
from edlead.metrics.selectors.invented import INVENTED_LABEL
from edlead.metrics.selectors.monthly import district_monthly, school_monthly
from edlead.metrics.views import _export


def _show_all(request: HttpRequest) -> bool:
    return request.GET.get("all") == "1"


def _exporting(request: HttpRequest) -> bool:
    return request.GET.get("format") in ("csv", "xlsx")


@login_required
def district_performance(request: HttpRequest, pk: int) -> HttpResponse:
    data = district_data(request.user, pk, show_all=_show_all(request), export=_exporting(request))
    stem = f"{data.org.code or data.org.pk}-district-performance"
    export = _export(request, stem, EXPORT_HEADER, data.export_rows)
    if export:
        return export
    monthly = district_monthly(
        request.user, data.org, request.GET.get("group", "all"), request.GET.get("metric", "")
    )
    form = MonthlyForm(monthly=monthly, district=True, show_all=_show_all(request))
    context = {
        "data": data,
        "org": data.org,
        "monthly": monthly,
        "monthly_form": form,
        "invented_label": INVENTED_LABEL,
    }
    return render(request, "metrics/district_performance.html", context)


@login_required
def state_overview(request: HttpRequest, pk: int) -> HttpResponse:
    data = state_data(request.user, pk, show_all=_show_all(request), export=_exporting(request))
    export = _export(request, "state-overview", EXPORT_HEADER, data.export_rows)
    if export:
        return export
    context = {"data": data, "org": data.org, "invented_label": INVENTED_LABEL}
    return render(request, "metrics/state_overview.html", context)


@login_required
def school_monthly_view(request: HttpRequest, pk: int) -> HttpResponse:
    """In-year monitoring for a school: a partial for the school page (htmx), or a page of its own."""
    monthly = school_monthly(request.user, pk, request.GET.get("group", "all"))
    template = "metrics/_monthly.html" if request.headers.get("HX-Request") else "metrics/monthly.html"
    form = MonthlyForm(monthly=monthly, district=False)
    return render(request, template, {"monthly": monthly, "org": monthly.org, "monthly_form": form})
