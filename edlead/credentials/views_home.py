"""A leader's own licences and renewal progress, the part their home page loads with htmx as it opens (and
a page of its own without JavaScript: "My licences")."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from edlead.access import policy
from edlead.credentials import selectors, services
from edlead.people.models import Person


@login_required
@require_safe
def home_licences(request: HttpRequest) -> HttpResponse:
    """The signed-in person's licences in force, each with its renewal: PDPs earned of those required,
    the date due and the standing; endorsements their current role requires and they lack."""
    if not request.headers.get("HX-Request"):
        return redirect("credentials:my-licences")
    person_id = getattr(request.user, "person_id", None)
    data = None
    if person_id:
        person = policy.get_for_user(
            request.user, Person.objects.all(), services.CREDENTIALS_VIEW, pk=person_id
        )
        data = selectors.person_credentials(person)
    response = render(request, "credentials/_home_licences.html", {"data": data, "today": dt.date.today()})
    patch_cache_control(response, no_store=True, private=True)
    return response
