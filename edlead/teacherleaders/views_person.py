"""The teacher-leader part of a person's record page: the catalog roles they hold and have held, with
their terms. Shown to whoever may open the person's full record (`PERSON_VIEW`), limited — as the record
page's own positions are — to the history in the reader's scope; nothing for anyone else."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from edlead.access import policy
from edlead.core.views import private as _private
from edlead.people.models import Person, Position
from edlead.teacherleaders import rules, selectors
from edlead.teacherleaders.models import TeacherLeaderAssignment


@dataclass
class HeldRole:
    assignment: TeacherLeaderAssignment
    current: bool
    ending_soon: bool
    linked: bool  # the reader may open the role's catalog page


@login_required
@require_safe
def person_roles(request: HttpRequest, pk: int) -> HttpResponse:
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise Http404("No such person.")
    if not policy.can(request.user, policy.PERSON_VIEW, person):
        return HttpResponse("")  # the record page shows no teacher-leader section to this reader
    rows = TeacherLeaderAssignment.objects.filter(person=person)
    scope = policy.person_record_scope(request.user, person)
    if scope is not None:  # a former employee seen by an old district: only the roles held there
        rows = rows.filter(position__in=Position.objects.filter(scope, person=person))
    today = timezone.localdate()
    found = list(
        rows.select_related("role", "organization").order_by("-term_starts_on", "-pk")[: selectors.LIST_LIMIT]
    )
    readable = set(
        rules.roles_readable(request.user)
        .filter(pk__in={a.role_id for a in found})
        .values_list("pk", flat=True)
    )
    held = [
        HeldRole(
            assignment=a,
            linked=a.role_id in readable,
            current=a.ended_on is None and a.term_ends_on >= today,
            ending_soon=a.ended_on is None
            and today <= a.term_ends_on
            and (a.term_ends_on - today).days <= selectors.ENDING_SOON_DAYS,
        )
        for a in found
    ]
    if not held:
        return HttpResponse("")
    context = {
        "person": person,
        "current": [h for h in held if h.current],
        "past": [h for h in held if not h.current],
        "soon": selectors.ENDING_SOON_DAYS,
        "today": today,
    }
    return _private(render(request, "teacherleaders/_person_roles.html", context))
