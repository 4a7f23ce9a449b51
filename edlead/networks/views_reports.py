"""Network report pages: a network's reports (monthly and annual, with their history), one report (the
snapshot of the schools, the period's figures, a chart of the schools needing attention by area with its
table, the supervisor's narrative that saves itself), sent to the superintendent, printed or as a PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from edlead.access import policy
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.networks import reports
from edlead.networks.forms import NarrativeForm
from edlead.networks.models import NetworkReport
from edlead.networks.views import _network, _private
from edlead.orgs.models import Organization

BAR = 320  # the chart's longest bar, in its own units


def _readable_network(request: HttpRequest, pk: int) -> Organization:
    network = _network(request, pk)
    if not reports.may_read(request.user, network):
        raise Http404("Not a report you may read.")
    return network


def _report(request: HttpRequest, pk: int) -> NetworkReport:
    report = (
        NetworkReport.objects.select_related("network", "network__district", "author", "edited_by")
        .filter(pk=pk)
        .first()
    )
    if report is None or not reports.may_read(request.user, report.network):
        raise Http404("No such report.")
    return report


@login_required
@require_safe
def report_list(request: HttpRequest, pk: int) -> HttpResponse:
    network = _readable_network(request, pk)
    rows = list(
        NetworkReport.objects.filter(network=network)
        .only("pk", "kind", "period_start", "period_end", "generated_at", "sent_at", "network_id")
        .order_by("-period_start", "kind")
    )
    context = {
        "network": network,
        "reports": rows,
        "may_manage": policy.can(request.user, policy.NETWORK_MANAGE, network),
        "month": reports.month_of(timezone.localdate()),
        "year": reports.school_year_of(timezone.localdate()),
    }
    return _private(render(request, "networks/report_list.html", context))


@login_required
@require_POST
def report_generate(request: HttpRequest, pk: int) -> HttpResponse:
    """Generate (or refresh) this month's report so far, or this school year's annual report so far."""
    network = _readable_network(request, pk)
    kind = request.POST.get("kind", NetworkReport.Kind.MONTHLY)
    today = timezone.localdate()
    start, end = (
        reports.school_year_of(today) if kind == NetworkReport.Kind.ANNUAL else reports.month_of(today)
    )
    try:
        report = reports.report_generate(actor=request.user, network=network, kind=kind, start=start, end=end)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("networks:report-list", pk=network.pk)
    messages.success(request, "Report generated from today's figures.")
    return redirect(report)


def _context(request: HttpRequest, report: NetworkReport, **given: Any) -> dict[str, Any]:
    content = report.content or {}
    schools = max(1, int(content.get("schools") or 0))
    bars = [
        {"label": label, "n": n, "width": round(BAR * n / schools), "y": 8 + i * 30}
        for i, (label, n) in enumerate(content.get("attention", []))
    ]
    may_manage = policy.can(request.user, policy.NETWORK_MANAGE, report.network)
    return {
        "report": report,
        "content": content,
        "bars": bars,
        "chart_height": 16 + 30 * len(bars),
        "bar_max": BAR,
        "may_manage": may_manage,
        "form": given.get("form")
        or NarrativeForm(initial={"narrative": report.narrative, "version": report.version}),
        "autosave": given.get("autosave") or editing.Autosave(slug="narrative", version=report.version),
        "trigger": editing.AUTOSAVE_TRIGGER,
    }


@login_required
@require_safe
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return _private(render(request, "networks/report_detail.html", _context(request, report)))


@login_required
@require_POST
def report_save(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    expected = editing.expected_version(request.POST)
    form = NarrativeForm(request.POST)
    autosave = editing.Autosave(slug="narrative", version=expected)
    autosave.attempt(
        form,
        lambda data: reports.narrative_save(
            actor=request.user, report=report, expected_version=expected, narrative=data["narrative"]
        ),
        report.get_absolute_url(),
    )
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "includes/_autosave.html", autosave.context)
    if autosave.ok:
        messages.success(request, "Narrative saved.")
        return redirect(report)
    report.refresh_from_db()
    status = 409 if autosave.conflict else 400
    return _private(
        render(
            request,
            "networks/report_detail.html",
            _context(request, report, form=form, autosave=autosave),
            status=status,
        )
    )


@login_required
@require_POST
def report_send(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    try:
        reports.report_send(actor=request.user, report=report)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Sent to the superintendent.")
    return redirect(report)


@login_required
@require_safe
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from edlead.reports.pdf import render_pdf

    report = _report(request, pk)
    return render_pdf(
        request,
        "networks/report_detail.html",
        _context(request, report),
        filename=f"{report.kind}-report-{report.network.code or report.network_id}-{report.period_start:%Y-%m}.pdf",
        source="EdLead: visits, plans, evaluations, support requests, learning, licences and school metrics",
        title=f"{report.network.name}: {report.get_kind_display().lower()}, {report.period_label}",
        audit_target=report,
        audit_scope=[report.network.path],
        confidential=True,
    )
