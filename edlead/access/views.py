"""Role grants and the audit log, for administrators."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST

from edlead.access import policy, selectors, services
from edlead.access.filters import AuditEventFilterSet
from edlead.access.forms import RelationshipForm, RoleGrantForm
from edlead.access.models import Relationship, RoleGrant
from edlead.core.errors import ApplicationError
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position


@login_required
def grant_list(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, policy.ROLE_MANAGE):
        raise PermissionDenied
    manageable = policy.visible_to(
        request.user, Organization.objects.filter(closed_on__isnull=True), policy.ROLE_MANAGE
    ).order_by("kind", "name")
    form = RoleGrantForm(request.POST or None, organizations=manageable)
    if request.method == "POST" and form.is_valid() and _grant(request, form):
        return redirect("access:grant-list")
    grants = policy.visible_to(
        request.user,
        RoleGrant.objects.filter(revoked_at__isnull=True).select_related(
            "user", "organization", "granted_by"
        ),
        policy.ROLE_MANAGE,
    ).order_by("organization__name", "role", "user__email")
    page = Paginator(grants, 50).get_page(request.GET.get("page"))
    return render(request, "access/grant_list.html", {"page": page, "form": form})


def _grant(request: HttpRequest, form: RoleGrantForm) -> bool:
    try:
        services.role_grant(
            user=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            organization=form.cleaned_data["organization"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, "Role granted.")
    return True


@login_required
@require_POST
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = policy.get_for_user(
        request.user, RoleGrant.objects.select_related("user"), policy.ROLE_MANAGE, pk=pk
    )
    services.role_revoke(grant=grant, actor=request.user)
    messages.success(request, f"Revoked {grant.get_role_display()} from {grant.user}.")
    return redirect("access:grant-list")


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, policy.AUDIT_VIEW):
        raise PermissionDenied
    filters = AuditEventFilterSet(request.GET or None, queryset=selectors.audit_events_for(request.user))
    events = filters.qs
    if request.GET.get("format") == "csv":
        from edlead.lib.exports import csv_response

        return csv_response("audit-log.csv", selectors.AUDIT_HEADER, selectors.audit_rows(events))
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    response = render(request, "access/audit_list.html", {"page": page, "filters": filters})
    patch_cache_control(response, no_store=True, private=True)
    return response


@login_required
def record_views(request: HttpRequest) -> HttpResponse:
    """Who has seen my record: the audit log read for the person it is about."""
    events = selectors.record_events_about(request.user)
    if request.GET.get("format") == "csv":
        from edlead.lib.exports import csv_response

        return csv_response(
            "who-has-seen-my-record.csv", selectors.RECORD_EVENTS_HEADER, selectors.record_event_rows(events)
        )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    response = render(
        request,
        "access/record_views.html",
        {"page": page, "has_person": bool(getattr(request.user, "person_id", None))},
    )
    patch_cache_control(response, no_store=True, private=True)
    return response


def _person_district(user: Any, person: Person) -> Organization:
    """The district of the person's current position where `user` manages people (404 when none)."""
    districts = Organization.objects.filter(
        pk__in=Position.objects.current().filter(person=person).values("organization__district_id")
    ) | Organization.objects.filter(
        kind=Organization.Kind.DISTRICT,
        pk__in=Position.objects.current().filter(person=person).values("organization_id"),
    )
    managed = [d for d in districts if policy.may_manage_relationships(user, d)]
    if not managed:
        raise Http404("Not found")
    return managed[0]


@login_required
def relationship_add(request: HttpRequest, person_pk: int) -> HttpResponse:
    """Record an evaluator, coach or mentor of a person (HR and district administrators)."""
    person = policy.get_for_user(request.user, Person.objects.all(), policy.PERSON_EDIT, pk=person_pk)
    district = _person_district(request.user, person)
    colleagues = policy.visible_to(
        request.user,
        Person.objects.filter(
            pk__in=Position.objects.current()
            .filter(organization__path__startswith=district.path)
            .values("person_id")
        ).exclude(pk=person.pk),
        policy.PERSON_VIEW,
    ).order_by("last_name", "first_name", "pk")
    form = RelationshipForm(
        request.POST or None, colleagues=colleagues, initial={"starts_on": dt.date.today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.relationship_start(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                holder=form.cleaned_data["holder"],
                person=person,
                organization=district,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Relationship recorded. The access it gives starts on its first day.")
            return redirect(person.get_absolute_url())
    return render(
        request, "access/relationship_form.html", {"form": form, "person": person, "district": district}
    )


@login_required
@require_POST
def relationship_end(request: HttpRequest, pk: int) -> HttpResponse:
    rel = get_object_or_404(Relationship.objects.select_related("person", "holder", "organization"), pk=pk)
    if not policy.may_manage_relationships(request.user, rel.organization):
        raise Http404("Not found")
    try:
        services.relationship_end(actor=request.user, relationship=rel)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Ended: {rel}. The access it gave ends after today.")
    return redirect((rel.person or rel.holder).get_absolute_url())
