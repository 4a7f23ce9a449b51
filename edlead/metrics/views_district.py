"""The district performance page, the state overview and in-year monitoring by month. Each reads
through `edlead.metrics.selectors` (the chokepoint, fixed query counts) and exports the rows it shows."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from edlead.metrics.forms import MonthlyForm
from edlead.metrics.selectors import EXPORT_HEADER
from edlead.metrics.selectors.district import district_get_for_user
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
    # In-year monitoring (every school of the district, month by month) loads into the page with htmx,
    # after the key measures, like the school page's: its own request, measured on its own in bench/.
    monthly_url = reverse("metrics:district-monthly", args=[data.org.pk])
    chosen = {k: request.GET[k] for k in ("group", "metric") if request.GET.get(k)}
    context = {
        "data": data,
        "org": data.org,
        "monthly_url": f"{monthly_url}?{urlencode(chosen)}" if chosen else monthly_url,
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
def district_monthly_view(request: HttpRequest, pk: int) -> HttpResponse:
    """In-year monitoring for a district's schools: a partial for the district page (htmx), or a page of
    its own (without JavaScript, and after the form is sent)."""
    district = district_get_for_user(request.user, pk)
    monthly = district_monthly(
        request.user, district, request.GET.get("group", "all"), request.GET.get("metric", "")
    )
    template = "metrics/_monthly.html" if request.headers.get("HX-Request") else "metrics/monthly.html"
    form = MonthlyForm(monthly=monthly, district=True)
    context = {"monthly": monthly, "org": district, "monthly_form": form, "district": True}
    return render(request, template, context)


@login_required
def school_monthly_view(request: HttpRequest, pk: int) -> HttpResponse:
    """In-year monitoring for a school: a partial for the school page (htmx), or a page of its own."""
    monthly = school_monthly(request.user, pk, request.GET.get("group", "all"))
    template = "metrics/_monthly.html" if request.headers.get("HX-Request") else "metrics/monthly.html"
    form = MonthlyForm(monthly=monthly, district=False)
    return render(request, template, {"monthly": monthly, "org": monthly.org, "monthly_form": form})
