"""Credential pages: my licences, a person's credentials, one licence with its renewal progress and
history, the licence and PDP activity forms (through the services), one activity. Development plans
are in views_plans.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.core.views import own_person_id
from edlead.core.views import private as _private
from edlead.credentials import forms, selectors, services
from edlead.credentials.models import Licence, PdpActivity
from edlead.credentials.progress import progress_for
from edlead.people.models import Person

CREDENTIALS_VIEWED = "credentials_viewed"


def _person(request: HttpRequest, pk: int, action: str = services.CREDENTIALS_VIEW) -> Person:
    return policy.get_for_user(request.user, Person.objects.all(), action, pk=pk)


def _credentials_page(request: HttpRequest, person: Person, *, mine: bool) -> HttpResponse:
    data = selectors.person_credentials(person, with_plans=True)
    if not mine:
        audit_record(action=CREDENTIALS_VIEWED, actor=request.user, target=person, request=request)
    context = {
        "data": data,
        "mine": mine,
        "categories": selectors.category_names(),
        "may_edit": policy.can(request.user, services.CREDENTIALS_EDIT, person),
        "may_add_activity": policy.can(request.user, services.PDP_ADD, person),
        "today": dt.date.today(),
    }
    return _private(render(request, "credentials/credentials_person.html", context))


@login_required
@require_safe
def my_licences(request: HttpRequest) -> HttpResponse:
    person_id = own_person_id(request)
    person = _person(request, person_id)
    return _credentials_page(request, person, mine=True)


@login_required
@require_safe
def person_credentials(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    if person.pk == getattr(request.user, "person_id", None):
        return redirect("credentials:my-licences")
    return _credentials_page(request, person, mine=False)


@login_required
@require_safe
def licence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    licence = policy.get_for_user(
        request.user, Licence.objects.select_related("field", "person"), services.LICENCE_VIEW, pk=pk
    )
    progress = progress_for([licence])[licence.pk]
    chain = list(
        Licence.objects.filter(
            person=licence.person, field=licence.field, issuing_state=licence.issuing_state
        )
        .select_related("field", "recorded_by")
        .order_by("-created_at", "-pk")
    )
    if licence.person_id != getattr(request.user, "person_id", None):
        audit_record(action=CREDENTIALS_VIEWED, actor=request.user, target=licence, request=request)
    context = {
        "licence": licence,
        "p": progress,
        "history": chain,
        "may_edit": licence.is_current
        and policy.can(request.user, services.CREDENTIALS_EDIT, licence.person),
        "today": dt.date.today(),
    }
    return _private(render(request, "credentials/licence_detail.html", context))


def _editor_person(request: HttpRequest, pk: int) -> Person:
    person = _person(request, pk)
    if not policy.can(request.user, services.CREDENTIALS_EDIT, person):
        raise PermissionDenied("Only HR records licences.")
    return person


@login_required
@require_http_methods(["GET", "POST"])
def licence_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = _editor_person(request, pk)
    form = forms.LicenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            licence = services.licence_add(
                actor=request.user,
                person=person,
                field=d["field"],
                stage=d["stage"],
                issued_on=d["issued_on"],
                issuing_state=d["issuing_state"],
                grade_level=d["grade_level"],
                number=d["number"],
                expires_on=d["expires_on"],
                valid_employment_years=d["valid_employment_years"],
                status=d["status"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Recorded: {licence}.")
            return redirect(licence.get_absolute_url())
    return _private(
        render(
            request,
            "credentials/licence_form.html",
            {"form": form, "person": person, "heading": "Add a licence"},
        )
    )


def _current_licence(request: HttpRequest, pk: int) -> Licence:
    licence = policy.get_for_user(
        request.user, Licence.objects.select_related("field", "person"), services.LICENCE_VIEW, pk=pk
    )
    if not policy.can(request.user, services.CREDENTIALS_EDIT, licence.person):
        raise PermissionDenied("Only HR changes licences.")
    if not licence.is_current:
        raise Http404("Only the current record of a licence is renewed or corrected.")
    return licence


@login_required
@require_http_methods(["GET", "POST"])
def licence_renew(request: HttpRequest, pk: int) -> HttpResponse:
    licence = _current_licence(request, pk)
    form = forms.LicenceRenewForm(request.POST or None, initial={"stage": licence.stage})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            new = services.licence_renew(
                actor=request.user,
                licence=licence,
                issued_on=d["issued_on"],
                expires_on=d["expires_on"],
                stage=d["stage"],
                note=d["note"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Licence renewed; the earlier record is kept in its history.")
            return redirect(new.get_absolute_url())
    context = {"form": form, "person": licence.person, "licence": licence, "heading": f"Renew: {licence}"}
    return _private(render(request, "credentials/licence_form.html", context))


@login_required
@require_http_methods(["GET", "POST"])
def licence_correct(request: HttpRequest, pk: int) -> HttpResponse:
    licence = _current_licence(request, pk)
    initial = {name: getattr(licence, name) for name in services.LICENCE_CORRECTABLE}
    form = forms.LicenceCorrectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        changes = {name: d[name] for name in services.LICENCE_CORRECTABLE}
        changes["grade_level"] = changes["grade_level"] or ""
        changes["number"] = changes["number"] or ""
        try:
            new = services.licence_correct(
                actor=request.user, licence=licence, changes=changes, note=d["note"]
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if new.pk == licence.pk:
                messages.info(request, "Nothing was changed.")
            else:
                messages.success(request, "Licence corrected; the earlier record is kept in its history.")
            return redirect(new.get_absolute_url())
    context = {"form": form, "person": licence.person, "licence": licence, "heading": f"Correct: {licence}"}
    return _private(render(request, "credentials/licence_form.html", context))


@login_required
@require_http_methods(["GET", "POST"])
def activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, services.PDP_ADD)
    categories = selectors.category_names()
    form = forms.PdpActivityForm(request.POST or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            activity = services.pdp_activity_add(
                actor=request.user,
                person=person,
                title=d["title"],
                provider=d["provider"],
                topic=d["topic"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                amount=d["amount"],
                unit=d["unit"],
                category=None if d["split"] else d["category"],
                split=d["split"] or None,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Recorded: {activity.title}. Add its certificate or transcript below.")
            return redirect(activity.get_absolute_url())
    return _private(render(request, "credentials/activity_form.html", {"form": form, "person": person}))


@login_required
@require_http_methods(["GET", "POST"])
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = policy.get_for_user(
        request.user, PdpActivity.objects.select_related("person", "decided_by"), services.PDP_VIEW, pk=pk
    )
    may_decide = policy.can(request.user, services.PDP_DECIDE, activity)
    form = forms.DecisionForm(request.POST or None) if may_decide else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only HR approves activities.")
        if form.is_valid():
            try:
                services.pdp_activity_decide(
                    actor=request.user,
                    activity=activity,
                    approve=form.cleaned_data["decision"] == "approve",
                    note=form.cleaned_data["note"],
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "Decision recorded.")
                return redirect(activity.get_absolute_url())
    context: dict[str, Any] = {
        "activity": activity,
        "allocations": list(activity.allocations.all()),
        "events": list(activity.events.select_related("actor")),
        "categories": selectors.category_names(),
        "form": form,
    }
    return _private(render(request, "credentials/activity_detail.html", context))
