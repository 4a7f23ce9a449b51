"""Principal network pages: the networks one reads, a network (meetings this year, attendance per principal,
peer pairs, the cohorts its principals belong to) and a meeting (agenda, materials, problems of practice,
attendance). The network's supervisor and district administrators plan; every read goes through the
access module, and each page issues a fixed number of queries."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.core.views import private as _private
from edlead.networks import forms, selectors, services
from edlead.networks.models import AgendaItem, Attendance, Meeting, PeerPair
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

_ATTENDANCE_KEY = re.compile(r"^attendance-(\d+)$")


def _network(request: HttpRequest, pk: int) -> Organization:
    return policy.get_for_user(
        request.user, Organization.objects.networks().select_related("district"), policy.NETWORK_VIEW, pk=pk
    )


@login_required
@require_safe
def network_list(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, policy.NETWORK_VIEW):
        raise Http404("No principal network for you to read.")
    networks = list(selectors.networks_for(request.user))
    return _private(render(request, "networks/network_list.html", {"networks": networks}))


def _network_page(request: HttpRequest, network: Organization, **forms_given: Any) -> HttpResponse:
    page = selectors.network_page(request.user, network)
    may_manage = policy.can(request.user, policy.NETWORK_MANAGE, network)
    principals = [row.position.person for row in page.principals]
    from edlead.networks.reports import may_read

    context: dict[str, Any] = {
        "page": page,
        "network": network,
        "may_manage": may_manage,
        "may_read_reports": may_read(request.user, network),
    }
    if may_manage:
        context["meeting_form"] = forms_given.get("meeting_form") or forms.MeetingForm()
        context["pair_form"] = forms_given.get("pair_form") or forms.PairForm(principals=principals)
    status = 400 if forms_given else 200
    return _private(render(request, "networks/network_detail.html", context, status=status))


@login_required
@require_safe
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _network_page(request, _network(request, pk))


@login_required
@require_POST
def meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    network = _network(request, pk)
    if not policy.can(request.user, policy.NETWORK_MANAGE, network):
        raise Http404("Not yours to plan.")
    form = forms.MeetingForm(request.POST)
    if form.is_valid():
        try:
            meeting = services.meeting_schedule(actor=request.user, network=network, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "The meeting is scheduled and the network's principals are told.")
            return redirect(meeting)
    return _network_page(request, network, meeting_form=form)


@login_required
@require_POST
def pair_add(request: HttpRequest, pk: int) -> HttpResponse:
    network = _network(request, pk)
    if not policy.can(request.user, policy.NETWORK_MANAGE, network):
        raise Http404("Not yours to plan.")
    principals = [p.person for p in selectors.principals_of(network)]
    form = forms.PairForm(request.POST, principals=principals)
    if form.is_valid():
        people = Person.objects.in_bulk([form.cleaned_data["first"], form.cleaned_data["second"]])
        try:
            services.pair_add(
                actor=request.user,
                network=network,
                first=people[form.cleaned_data["first"]],
                second=people[form.cleaned_data["second"]],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "The peer pair is recorded for this school year.")
            return redirect("networks:network-detail", pk=network.pk)
    return _network_page(request, network, pair_form=form)


@login_required
@require_POST
def pair_remove(request: HttpRequest, pk: int) -> HttpResponse:
    pair = policy.get_for_user(
        request.user, PeerPair.objects.select_related("organization"), policy.NETWORK_MANAGE, pk=pk
    )
    services.pair_remove(actor=request.user, pair=pair)
    messages.success(request, "The peer pair is removed.")
    return redirect("networks:network-detail", pk=pair.organization_id)


# --- a meeting -----------------------------------------------------------------------------------------
def _leads(network: Organization, principals: list[Person]) -> list[Person]:
    """Who may lead an agenda item on the form: the network's supervisors and principals (1 query)."""
    supervisors = [
        p.person
        for p in Position.objects.current()
        .filter(role=Position.Role.PRINCIPAL_SUPERVISOR, organization=network)
        .select_related("person")
    ]
    return supervisors + principals


def _meeting_page(request: HttpRequest, meeting: Meeting, **forms_given: Any) -> HttpResponse:
    network = meeting.organization
    may_manage = policy.can(request.user, policy.NETWORK_MANAGE, meeting)
    attendance = selectors.attendance_for(request.user, meeting)
    context: dict[str, Any] = {
        "meeting": meeting,
        "network": network,
        "may_manage": may_manage,
        "attendance": attendance,
        "is_past": meeting.is_past(),
        "statuses": Attendance.Status.choices,
    }
    if may_manage:
        principals = [p.person for p in selectors.principals_of(network, meeting.meets_on)]
        recorded = {row.person_id: row.status for row in attendance}
        context["roster"] = [(p, recorded.get(p.pk, "")) for p in principals]
        context["agenda_form"] = forms_given.get("agenda_form") or forms.AgendaItemForm(
            leads=_leads(network, principals)
        )
        context["problem_form"] = forms_given.get("problem_form") or forms.ProblemForm(presenters=principals)
        context["attendance_error"] = forms_given.get("attendance_error")
    status = 400 if forms_given else 200
    return _private(render(request, "networks/meeting_detail.html", context, status=status))


@login_required
@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, selectors.meeting_detail(request.user, pk))


def _managed_meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = selectors.meeting_detail(request.user, pk)
    if not policy.can(request.user, policy.NETWORK_MANAGE, meeting):
        raise Http404("Not yours to plan.")
    return meeting


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    principals = [p.person for p in selectors.principals_of(meeting.organization, meeting.meets_on)]
    leads = _leads(meeting.organization, principals)
    form = forms.AgendaItemForm(request.POST, leads=leads)
    if form.is_valid():
        data = form.cleaned_data
        lead = next((p for p in leads if p.pk == data["lead"]), None)
        try:
            services.agenda_item_add(
                actor=request.user,
                meeting=meeting,
                title=data["title"],
                starts_at=data["starts_at"],
                minutes=data["minutes"],
                lead=lead,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "The item is added to the agenda.")
            return redirect(meeting)
    return _meeting_page(request, meeting, agenda_form=form)


@login_required
@require_POST
def agenda_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = policy.get_for_user(
        request.user,
        Meeting.objects.select_related("organization"),
        policy.NETWORK_MANAGE,
        agenda_items__pk=pk,
    )
    services.agenda_item_remove(actor=request.user, item=AgendaItem.objects.get(pk=pk, meeting=item))
    messages.success(request, "The item is removed from the agenda.")
    return redirect(item)


@login_required
@require_POST
def attendance_record(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    statuses: dict[int, str] = {}
    for key in request.POST:
        match = _ATTENDANCE_KEY.match(key)
        value = request.POST.get(key, "")
        if match and value:
            statuses[int(match.group(1))] = value
    try:
        if not statuses:
            raise ApplicationError("Attendance: mark each principal present, absent or excused.")
        services.attendance_record(actor=request.user, meeting=meeting, statuses=statuses)
    except ApplicationError as exc:
        return _meeting_page(request, meeting, attendance_error=exc.message)
    messages.success(request, "Attendance is recorded.")
    return redirect(meeting)


@login_required
@require_POST
def problem_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    presenters = [p.person for p in selectors.principals_of(meeting.organization, meeting.meets_on)]
    form = forms.ProblemForm(request.POST, presenters=presenters)
    if form.is_valid():
        data = form.cleaned_data
        presenter = next(p for p in presenters if p.pk == data["presenter"])
        try:
            services.problem_add(
                actor=request.user,
                meeting=meeting,
                presenter=presenter,
                question=data["question"],
                protocol=data["protocol"],
                protocol_notes=data["protocol_notes"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "The problem of practice is recorded.")
            return redirect(meeting)
    return _meeting_page(request, meeting, problem_form=form)
