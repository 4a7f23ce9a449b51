"""The jobs page (administrators), "Run now", and /healthz for load balancers and monitors."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from edlead.schedules import registry, selectors, services


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    if not selectors.may_manage_jobs(request.user):
        raise PermissionDenied
    return render(
        request,
        "schedules/job_list.html",
        {"rows": selectors.job_rows(), "time_zone": settings.EDLEAD_SCHEDULE_TIME_ZONE},
    )


@login_required
@require_POST
def job_run(request: HttpRequest, name: str) -> HttpResponse:
    if not selectors.may_manage_jobs(request.user):
        raise PermissionDenied
    try:
        registry.get(name)
    except LookupError:
        raise Http404("No such job") from None
    services.job_run_now(name=name, actor=request.user)
    messages.success(request, f"“{name}” is queued: the worker runs it in a moment.")
    return redirect("schedules:job-list")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers and a worker wrote a heartbeat recently; 503 naming the failing
    part otherwise. No sign-in, no personal data, not audited."""
    body: dict[str, str | None] = {"database": "ok", "worker": "ok", "last_heartbeat": None}
    try:
        beat = selectors.last_heartbeat()
    except DatabaseError:
        body.update(database="unavailable", worker="unknown")
        return JsonResponse(body, status=503)
    if beat is None:
        body["worker"] = "no heartbeat"
    else:
        body["last_heartbeat"] = beat.isoformat()
        if timezone.now() - beat > dt.timedelta(seconds=settings.EDLEAD_WORKER_MAX_AGE_SECONDS):
            body["worker"] = "stale"
    return JsonResponse(body, status=200 if body["worker"] == "ok" else 503)
