"""A person's licences and renewal progress as a part other pages load with htmx as they open: the
leader's own on their home page, and on a person page for those who may read that person's credentials
(the person, their supervision chain, HR). Without JavaScript each address opens the whole page."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from edlead.access import policy
from edlead.core.services import audit_record
from edlead.credentials import selectors, services
from edlead.credentials.views import CREDENTIALS_VIEWED
from edlead.people.models import Person


def _part(request: HttpRequest, person: Person | None, *, mine: bool) -> HttpResponse:
    data = selectors.person_credentials(person) if person is not None else None
    context = {"data": data, "mine": mine, "today": dt.date.today()}
    response = render(request, "credentials/_home_licences.html", context)
    patch_cache_control(response, no_store=True, private=True)
    return response


@login_required
@require_safe
def home_licences(request: HttpRequest) -> HttpResponse:
    """The signed-in person's licences in force, each with its renewal: PDPs earned of those required,
    the date due and the standing; endorsements their current role requires and they lack."""
    if not request.headers.get("HX-Request"):
        return redirect("credentials:my-licences")
    person_id = getattr(request.user, "person_id", None)
    person = None
    if person_id:
        person = policy.get_for_user(
            request.user, Person.objects.all(), services.CREDENTIALS_VIEW, pk=person_id
        )
    return _part(request, person, mine=True)


@login_required
@require_safe
def person_licences(request: HttpRequest, pk: int) -> HttpResponse:
    """The same part on a person page: empty for a reader who may not see the person's credentials, so
    the page shows nothing (not a link that would not open) to them."""
    if not request.headers.get("HX-Request"):
        return redirect("credentials:person-credentials", pk=pk)
    person = get_object_or_404(Person, pk=pk)
    if not policy.can(request.user, services.CREDENTIALS_VIEW, person):
        response = HttpResponse("")
        patch_cache_control(response, no_store=True, private=True)
        return response
    mine = person.pk == getattr(request.user, "person_id", None)
    if not mine:
        audit_record(action=CREDENTIALS_VIEWED, actor=request.user, target=person, request=request)
    return _part(request, person, mine=mine)
