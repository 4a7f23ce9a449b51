"""People pages: the list and the person record (the start of the longitudinal leader record)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from edlead.access import policy
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.core.services import audit_record
from edlead.orgs.models import Organization
from edlead.people import forms, panels, selectors
from edlead.people import requests as corrections
from edlead.people.directory import directory_card
from edlead.people.filters import PersonFilterSet, name_filter  # noqa: F401 (home search uses it)
from edlead.people.models import Person, Position
from edlead.people.selectors import principals_for_schools

EXPORT_LIMIT = 100_000


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    """People the user may see, filtered and sorted (`PersonFilterSet`); 50 a page, filters kept."""
    visible = policy.visible_to(request.user, Person.objects.all(), policy.PERSON_VIEW)
    filters = PersonFilterSet(request.GET or None, queryset=visible, user=request.user)
    people = filters.qs.prefetch_related(
        Prefetch(
            "positions",
            queryset=Position.objects.current().select_related("organization").order_by("-is_primary", "pk"),
            to_attr="current_positions",
        )
    )
    if request.GET.get("format") in ("csv", "xlsx"):
        return _people_export(request, people, request.GET["format"])
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    # Account managers (roles or people editors) may pick people to invite (edlead.accounts).
    may_invite = policy.can(request.user, policy.ROLE_MANAGE) or policy.can(request.user, policy.PERSON_EDIT)
    return render(
        request, "people/person_list.html", {"page": page, "filters": filters, "may_invite": may_invite}
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
    response = (xlsx_response if fmt == "xlsx" else csv_response)(f"people.{fmt}", header, rows)
    response.audit_done = True  # type: ignore[attr-defined]  # audited above, with the row count
    return response


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The leader record for those whose roles cover the person; a directory card for colleagues."""
    person = policy.get_for_user(request.user, Person.objects.all(), policy.PERSON_DIRECTORY, pk=pk)
    if not policy.can(request.user, policy.PERSON_VIEW, person):
        card = directory_card(request.user, person)
        return render(request, "people/person_card.html", {"card": card, "person": person})
    response = render(request, "people/person_detail.html", record_context(request, person))
    patch_cache_control(response, no_store=True, private=True)
    return response


def record_context(request: HttpRequest, person: Person) -> dict[str, Any]:
    today = dt.date.today()
    scope = policy.person_record_scope(request.user, person)
    positions = selectors.person_positions(person)
    if scope is not None:  # a former employee seen by an old district: only the history there
        shown = set(Position.objects.filter(scope, person=person).values_list("pk", flat=True))
        positions = [p for p in positions if p.pk in shown]
    current = [p for p in positions if p.is_current(today)]
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
    org_ids = {p.organization_id for p in positions}
    return {
        "visible_orgs": set(
            policy.visible_to(
                request.user, Organization.objects.filter(pk__in=org_ids), policy.ORG_DIRECTORY
            ).values_list("pk", flat=True)
        ),
        "person": person,
        "record_panels": panels.panel_urls(person.pk),
        "current": current,
        "past": [p for p in positions if not p.is_current(today)],
        "led": selectors.schools_led(positions),
        "supervisors": selectors.supervisors_of(person, positions, on=today),
        "supervised": supervised,
        "show_personnel": show_personnel,
        "partial_history": scope is not None,
        "total_leadership_years": round(
            sum(p.tenure_years or 0 for p in positions if p.role in Position.LEADER_ROLES), 1
        ),
    }


# --- keeping the record current (HR and district administrators) ------------------------------------
PERSON_FORMS: dict[str, tuple[type[Any], str, str]] = {
    "start": (forms.PositionStartForm, "Start a position", "Started the position."),
    "end": (forms.PositionEndForm, "End a position", "Ended the position."),
    "transfer": (forms.PrincipalTransferForm, "Transfer to another school", "Recorded the transfer."),
    "correct": (forms.PersonCorrectForm, "Correct the record", "Saved the corrections."),
}


@never_cache
@login_required
def person_change(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One page per write: the form, then the service it calls (which audits); 404 out of scope."""
    if action not in PERSON_FORMS:
        raise Http404("No such form")
    person = policy.get_for_user(request.user, Person.objects.all(), policy.PERSON_EDIT, pk=pk)
    form_class, title, done = PERSON_FORMS[action]
    kwargs: dict[str, Any] = {"user": request.user}
    kwargs.update({"instance": person} if action == "correct" else {"person": person})
    form = form_class(request.POST or None, **kwargs)
    if action == "correct" and request.method != "POST":
        _audit_correction_form(request, person)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except (ApplicationError, ValidationError) as exc:
            form.add_error(None, getattr(exc, "message", None) or "; ".join(exc.messages))  # type: ignore[union-attr]
        else:
            messages.success(request, done)
            return redirect(person.get_absolute_url())
    return render(request, "people/person_form.html", {"person": person, "form": form, "title": title})


def _audit_correction_form(request: HttpRequest, person: Person) -> None:
    """The correction form shows the MEPID and e-mail: a read of personnel details."""
    audit_record(
        action=AuditEvent.Action.RECORD_VIEWED,
        actor=request.user,
        target=person,
        request=request,
        detail={"record": "personnel details (correction form)"},
    )


# --- correction requests: a person proposes, HR decides (edlead/people/requests.py) -------------------
def _correction_for(request: HttpRequest, pk: int, *, unsent_too: bool = False) -> Any:
    qs = corrections.CorrectionRequest.objects.select_related("person", "district", "edited_by__person")
    req = policy.get_for_user(request.user, qs, corrections.CORRECTION_VIEW, pk=pk)
    mine = req.person_id == getattr(request.user, "person_id", None)
    if not (mine or unsent_too) and req.status in corrections.UNSENT:
        raise Http404("Not found")  # a draft is the person's own until they send it
    return req


@login_required
def correction_list(request: HttpRequest) -> HttpResponse:
    """One's own requests, and (HR) the requests waiting for a decision."""
    person_id = getattr(request.user, "person_id", None)
    visible = corrections.correction_requests_visible_to(request.user)
    waiting = corrections.correction_request_waiting_for(request.user)
    return render(
        request,
        "people/correction_request_list.html",
        {
            "mine": list(visible.filter(person_id=person_id)[:20]) if person_id else [],
            "waiting": list(waiting.exclude(person_id=person_id) if person_id else waiting),
            "has_person": bool(person_id),
        },
    )


@login_required
@require_POST
def correction_start(request: HttpRequest) -> HttpResponse:
    try:
        req = corrections.correction_request_start(actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("people:correction-list")
    return redirect(req.get_absolute_url())


@never_cache
@login_required
def correction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _correction_page(request, _correction_for(request, pk))


def _correction_page(
    request: HttpRequest,
    req: Any,
    *,
    draft_form: Any = None,
    decision_form: Any = None,
    autosave: Any = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    mine = req.person_id == getattr(request.user, "person_id", None)
    can_decide = (
        not mine
        and req.status == corrections.Status.SUBMITTED
        and policy.can(request.user, corrections.CORRECTION_DECIDE, req)
    )
    editable = mine and req.status == corrections.Status.DRAFT
    if editable and draft_form is None:
        draft_form = corrections.CorrectionDraftForm(instance=req, initial={"version": req.version})
    if can_decide and decision_form is None:
        decision_form = corrections.CorrectionDecisionForm(initial={"version": req.version})
    if not mine:  # HR reads the person's e-mail beside the proposed one: a read of personnel details
        audit_record(
            action=AuditEvent.Action.RECORD_VIEWED,
            actor=request.user,
            target=req.person,
            request=request,
            detail={"record": "personnel details (correction request)"},
        )
    response = render(
        request,
        "people/correction_request_detail.html",
        {
            "req": req,
            "mine": mine,
            "editable": editable,
            "can_decide": can_decide,
            "draft_form": draft_form,
            "decision_form": decision_form,
            "differences": corrections.differences(req),
            "events": list(req.events.select_related("actor")),
            "autosave": autosave or editing.Autosave(slug="correction", version=req.version),
            "trigger": editing.AUTOSAVE_TRIGGER,
            "error": error,
        },
        status=status,
    )
    patch_cache_control(response, no_store=True, private=True)
    return response


@never_cache
@login_required
@require_POST
def correction_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave of the draft (htmx: the status partial), or a plain save; `send` goes on to the
    confirmation step once saved."""
    req = _correction_for(request, pk)
    expected = editing.expected_version(request.POST)
    form = corrections.CorrectionDraftForm(request.POST, instance=corrections.CorrectionRequest(pk=req.pk))
    autosave = editing.Autosave(slug="correction", version=expected)
    autosave.attempt(
        form,
        lambda data: corrections.correction_request_save(
            req=req,
            expected_version=expected,
            actor=request.user,
            **{name: data[name] for name in corrections.DRAFT_FIELDS},
        ),
        req.get_absolute_url(),
    )
    ok = autosave.ok
    next_url = reverse("people:correction-submit", args=[req.pk]) if request.POST.get("send") else ""
    if request.htmx:  # type: ignore[attr-defined]
        if ok and next_url:
            return HttpResponseClientRedirect(next_url)
        return render(request, "includes/_autosave.html", autosave.context)
    if ok:
        messages.success(request, "Draft saved.")
        return redirect(next_url or req.get_absolute_url())
    req.refresh_from_db()
    return _correction_page(
        request, req, draft_form=form, autosave=autosave, status=409 if autosave.conflict else 400
    )


@never_cache
@login_required
def correction_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation step, then the send."""
    req = _correction_for(request, pk)
    if req.person_id != getattr(request.user, "person_id", None):
        raise Http404("Not found")
    if request.method == "POST":
        try:
            corrections.correction_request_submit(
                req=req, expected_version=editing.expected_version(request.POST), actor=request.user
            )
        except editing.EditConflict:
            messages.warning(
                request, "The draft changed in another window: check it again before you send it."
            )
            return redirect("people:correction-submit", pk=req.pk)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(req.get_absolute_url())
        messages.success(
            request, f"Sent to HR of {req.district.name}. You can take it back until they act on it."
        )
        return redirect(req.get_absolute_url())
    if req.status != corrections.Status.DRAFT:
        return redirect(req.get_absolute_url())
    return render(
        request,
        "people/correction_request_confirm.html",
        {"req": req, "differences": corrections.differences(req)},
    )


@login_required
@require_POST
def correction_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """The person's take-back and withdraw."""
    services_by_step = {
        "take-back": (
            corrections.correction_request_take_back,
            "Taken back: it is a draft again, HR no longer sees it.",
        ),
        "withdraw": (corrections.correction_request_withdraw, "Withdrawn."),
    }
    if step not in services_by_step:
        raise Http404("No such step")
    req = _correction_for(request, pk)
    service, done = services_by_step[step]
    try:
        service(req=req, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(req.get_absolute_url())


@login_required
@require_POST
def correction_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """HR applies or declines. Another HR user deciding first: this one sees their decision and keeps
    the note they typed."""
    req = _correction_for(request, pk, unsent_too=True)
    if not policy.can(request.user, corrections.CORRECTION_DECIDE, req):
        raise Http404("Not found")
    form = corrections.CorrectionDecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        service = (
            corrections.correction_request_apply
            if data["decision"] == "apply"
            else corrections.correction_request_decline
        )
        try:
            service(req=req, expected_version=data["version"], actor=request.user, note=data["note"])
        except (editing.EditConflict, editing.TransitionRefused) as exc:
            req.refresh_from_db()
            if req.status in corrections.UNSENT:  # taken back: the draft is the person's again
                kept = f" Your note was not recorded: “{data['note']}”" if data["note"] else ""
                messages.warning(request, exc.message + kept)
                return redirect("people:correction-list")
            return _correction_page(request, req, decision_form=form, error=exc.message, status=409)
        except (ApplicationError, ValidationError) as exc:
            form.add_error(None, getattr(exc, "message", None) or "; ".join(exc.messages))  # type: ignore[union-attr]
        else:
            messages.success(
                request, "Applied to the record." if data["decision"] == "apply" else "Declined."
            )
            return redirect(req.get_absolute_url())
    return _correction_page(request, req, decision_form=form, status=400)
