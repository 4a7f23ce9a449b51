"""People pages: the list and the person record (the start of the longitudinal leader record)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from edlead.access import policy
from edlead.core.models import AuditEvent
from edlead.core.services import audit_record
from edlead.people import selectors
from edlead.people.models import Person, Position
from edlead.people.selectors import principals_for_schools

EXPORT_LIMIT = 100_000


def name_filter(query: str) -> Q:
    """Every word must match a first, preferred or last name; an 8-digit number matches the MEPID."""
    q = Q()
    for word in query.split()[:5]:
        if word.isdigit() and len(word) == 8:
            q &= Q(mepid=word)
        else:
            q &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(preferred_name__icontains=word)
            )
    return q


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    people = policy.visible_to(request.user, Person.objects.all(), policy.PERSON_VIEW)
    query = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    aspiring = request.GET.get("aspiring") == "1"
    if query:
        people = people.filter(name_filter(query))
    if role in Position.Role.values:
        people = people.filter(pk__in=Position.objects.current().filter(role=role).values("person_id"))
    if aspiring:
        people = people.filter(is_aspiring_leader=True)
    people = people.prefetch_related(
        Prefetch(
            "positions",
            queryset=Position.objects.current().select_related("organization").order_by("-is_primary", "pk"),
            to_attr="current_positions",
        )
    )
    people = people.order_by("last_name", "first_name", "pk")
    if request.GET.get("format") in ("csv", "xlsx"):
        return _people_export(request, people, request.GET["format"])
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "people/person_list.html",
        {"page": page, "q": query, "role": role, "aspiring": aspiring, "roles": Position.Role.choices},
    )


def _people_export(request: HttpRequest, people: Any, fmt: str) -> HttpResponse:
    """The filtered list as CSV or XLSX; no personnel fields, so nobody's MEPID leaves in a list."""
    from edlead.lib.exports import csv_response, xlsx_response

    header = ["Last name", "First name", "Preferred name", "Current positions", "Aspiring leader"]
    rows = [
        [
            p.last_name,
            p.first_name,
            p.preferred_name,
            "; ".join(f"{pos.display_title}, {pos.organization.name}" for pos in p.current_positions),
            "yes" if p.is_aspiring_leader else "",
        ]
        for p in people[:EXPORT_LIMIT]
    ]
    audit_record(
        action=AuditEvent.Action.EXPORTED,
        actor=request.user,
        target_label="people list",
        request=request,
        detail={"rows": len(rows), "query": request.GET.urlencode()},
    )
    if fmt == "xlsx":
        return xlsx_response("people.xlsx", header, rows)
    return csv_response("people.csv", header, rows)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = policy.get_for_user(request.user, Person.objects.all(), policy.PERSON_VIEW, pk=pk)
    today = dt.date.today()
    positions = selectors.person_positions(person)
    current = [p for p in positions if p.is_current(today)]
    past = [p for p in positions if not p.is_current(today)]
    led = selectors.schools_led(positions)
    supervisors = selectors.supervisors_of(person, positions, on=today)
    supervised = []
    if any(p.role == Position.Role.PRINCIPAL_SUPERVISOR for p in current):
        schools = list(selectors.supervised_schools(person, on=today).order_by("name"))
        heads = principals_for_schools(schools, on=today)
        supervised = [(s, heads.get(s.pk, [])) for s in schools]
    show_personnel = policy.can(request.user, policy.PERSONNEL_VIEW, person)
    if show_personnel:
        audit_record(
            action=AuditEvent.Action.RECORD_VIEWED,
            actor=request.user,
            target=person,
            request=request,
            detail={"record": "personnel details"},
        )
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "current": current,
            "past": past,
            "led": led,
            "supervisors": supervisors,
            "supervised": supervised,
            "show_personnel": show_personnel,
            "total_leadership_years": round(
                sum(p.tenure_years or 0 for p in positions if p.role in Position.LEADER_ROLES), 1
            ),
        },
    )
