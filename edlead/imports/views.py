"""Import pages: history with the upload form, a run's preview / progress / report, apply, template.

Every page asks the access chokepoint: only people who may run imports see them, and a run is
fetched through `policy.get_for_user` (404 for runs that are not theirs to see).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.imports import services
from edlead.imports.filters import ImportRunFilterSet
from edlead.imports.forms import ImportUploadForm
from edlead.imports.kinds import KINDS
from edlead.imports.kinds.staff import COLUMN_DOCS, TEMPLATE_EXAMPLE, TEMPLATE_HEADER
from edlead.imports.models import ImportRun
from edlead.lib.exports import csv_response

PREVIEW_CHANGES = 50  # changes listed on the preview page; the report keeps up to 1,000


def _require_import(request: HttpRequest) -> None:
    if not policy.can(request.user, policy.IMPORT_RUN):
        raise PermissionDenied("You may not run imports.")


def _runs(request: HttpRequest):  # type: ignore[no-untyped-def]
    return policy.visible_to(
        request.user, ImportRun.objects.select_related("user", "organization"), policy.IMPORT_RUN
    )


def _list_context(request: HttpRequest, form: ImportUploadForm) -> dict:
    history = ImportRunFilterSet(request.GET or None, queryset=_runs(request), prefix="history")
    page = Paginator(history.qs.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    return {
        "form": form,
        "history": history,
        "page": page,
        "kinds": list(KINDS.values()),
        "column_docs": COLUMN_DOCS,
        "documented_kinds": [k for k in KINDS.values() if getattr(k, "template_header", None)],
        "suppress_min_students": getattr(settings, "EDLEAD_SUPPRESS_MIN_STUDENTS", 10),
        "max_mb": services.max_bytes() // 1_048_576,
        "background_mb": services.background_bytes() / 1_048_576,
    }


@login_required
@require_GET
def run_list(request: HttpRequest) -> HttpResponse:
    _require_import(request)
    return render(request, "imports/run_list.html", _list_context(request, ImportUploadForm()))


@login_required
@require_POST
def run_create(request: HttpRequest) -> HttpResponse:
    _require_import(request)
    form = ImportUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            run = services.run_create(
                upload=form.cleaned_data["file"],
                actor=request.user,
                kind=form.cleaned_data["kind"],
                year=form.cleaned_data["school_year"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(run)
    return render(request, "imports/run_list.html", _list_context(request, form), status=400)


def _get_run(request: HttpRequest, pk: int) -> ImportRun:
    _require_import(request)
    services.runs_fail_stale()  # a run whose worker died shows as failed, not "Running 96 %" forever
    return policy.get_for_user(
        request.user, ImportRun.objects.select_related("user"), policy.IMPORT_RUN, pk=pk
    )


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    report = run.report or {}
    return render(
        request,
        "imports/run_detail.html",
        {
            "run": run,
            "errors": report.get("errors", []),
            "skips": report.get("skips", []),
            "notes": report.get("notes", []),
            "changes": sorted(report.get("changes", [])[:PREVIEW_CHANGES], key=lambda c: c.get("line") or 0),
            "changes_total": run.created_count + run.updated_count,
            "preview_changes": PREVIEW_CHANGES,
        },
    )


@login_required
@require_GET
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The polled status region. Once the run is finished, htmx reloads the page to show the report."""
    run = _get_run(request, pk)
    response = render(request, "imports/_run_progress.html", {"run": run})
    if run.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def run_apply(request: HttpRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    try:
        run = services.run_apply_request(run=run, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(run)
    if run.status == ImportRun.Status.APPLIED:
        messages.success(request, f"Import applied: {run.counts_line}.")
    elif run.status in (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING):
        messages.info(request, "The import is running in the background; this page shows its progress.")
    else:
        messages.error(request, f"The import was not applied: {run.summary or run.get_status_display()}.")
    return redirect(run)


@login_required
@require_GET
def staff_template(request: HttpRequest) -> HttpResponse:
    _require_import(request)
    return csv_response("edlead-staff-positions-template.csv", TEMPLATE_HEADER, [TEMPLATE_EXAMPLE])


@login_required
@require_GET
def kind_template(request: HttpRequest, slug: str) -> HttpResponse:
    """A header and example rows for a kind that declares `template_header` (long format, monitoring)."""
    _require_import(request)
    kind = KINDS.get(slug)
    header = getattr(kind, "template_header", None)
    if kind is None or not header:
        raise Http404("No template for this kind.")
    return csv_response(
        f"edlead-{slug.replace('_', '-')}-template.csv", header, getattr(kind, "template_rows", [])
    )
