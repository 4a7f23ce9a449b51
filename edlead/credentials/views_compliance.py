"""The licence compliance page for HR and supervisors, with its CSV and XLSX export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from edlead.access import policy
from edlead.credentials import compliance, services
from edlead.lib.exports import csv_response, xlsx_response
from edlead.people.models import Person

PER_PAGE = 25  # leaders listed a page at a time


@login_required
@require_safe
def compliance_page(request: HttpRequest) -> HttpResponse:
    if not compliance.may_open(request.user):
        raise PermissionDenied("Licence compliance is for HR, administrators and supervisors.")
    flag = request.GET.get("flag", "")
    if flag not in compliance.FLAGS:
        flag = ""
    choices = compliance.district_choices(request.user)
    district = None
    if choices is not None:
        district = next((d for d in choices if str(d.pk) == request.GET.get("district", "")), None)
        if district is None:  # a reader of many districts picks one first
            response = render(request, "credentials/compliance/choose_district.html", {"districts": choices})
            patch_cache_control(response, no_store=True, private=True)
            return response
    data = compliance.compliance_for(request.user, district=district)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        stamp = dt.date.today().isoformat()
        where = f"-{district.code or district.pk}" if district is not None else ""
        name = f"edlead-licence-compliance{where}{'-' + flag if flag else ''}-{stamp}.{fmt}"
        rows = compliance.export_rows(data, flag)
        if fmt == "csv":
            response = csv_response(name, compliance.EXPORT_HEADER, rows)
        else:
            response = xlsx_response(name, compliance.EXPORT_HEADER, rows, sheet_title="Licence compliance")
        response.audit_label = "Licence compliance"  # type: ignore[attr-defined]
        return response

    def counted(groups: list[Any]) -> list[tuple[Any, int, list[tuple[str, int]]]]:
        return [
            (org, counts["people"], [(label, counts[code]) for code, label in compliance.FLAGS.items()])
            for org, counts in groups
        ]

    # A page of leaders at a time (those with something to act on first); the counts cover everyone.
    page = Paginator(data.flagged(flag), PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    # A licence links to its page only for a reader who may open it (an administrator sees the list but
    # not the licences: their names stay plain text, no link that would not open).
    readable = set(
        policy.visible_to(
            request.user,
            Person.objects.filter(pk__in={r.person.pk for r in shown}),
            services.CREDENTIALS_VIEW,
        ).values_list("pk", flat=True)
    )
    context = {
        "readable": readable,
        "school_rows": counted(data.by_school),
        "network_rows": counted(data.by_network),
        "district": district,
        "data": data,
        "rows": shown,
        "page": page,
        "flag": flag,
        "flags": compliance.FLAGS,
        "today": dt.date.today(),
    }
    response = render(request, "credentials/compliance/compliance.html", context)
    patch_cache_control(response, no_store=True, private=True)
    return response
