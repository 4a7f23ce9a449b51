"""Correction requests: a person proposes a correction to their own record, HR of their district
applies or declines it. The first use of the safe-editing pattern's workflow part
(`edlead.core.editing`): a draft that autosaves, a send step with confirmation, take-back until HR acts,
a version check so that two HR users acting at once never both succeed, an append-only timeline.

Services (the only writers) are `correction_request_<verb>`; `plug_in()` (from PeopleConfig.ready)
declares who may see and decide requests, the audit verbs, the work-queue items and the departments
setting."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from edlead.core import editing, workqueue
from edlead.core.errors import ApplicationError
from edlead.core.forms import UswdsFormMixin
from edlead.core.services import audit_record
from edlead.orgs.models import Organization
from edlead.people.models import CorrectionRequest, CorrectionRequestEvent, Person, Position
from edlead.people.services import person_correct

Status = CorrectionRequest.Status
UNSENT = (Status.DRAFT, Status.WITHDRAWN)  # only the person sees these
CORRECTION_VIEW = "people.correction.view"  # the person themselves, HR and administrators of their district
CORRECTION_DECIDE = "people.correction.decide"  # HR and administrators of the person's district

# The person's fields a request may correct (through `person_correct`), and its other typed fields.
PERSON_FIELDS = ("first_name", "last_name", "preferred_name", "email")
DRAFT_FIELDS = (*PERSON_FIELDS, "title_note", "note")

FIELD_LABELS = {
    name: str(getattr(CorrectionRequest._meta.get_field(name), "verbose_name", name)).capitalize()
    for name in DRAFT_FIELDS
}

AUDIT_VERBS = {
    "correction_started": "Correction request started",
    "correction_submitted": "Correction request sent to HR",
    "correction_taken_back": "Correction request taken back",
    "correction_applied": "Correction request applied",
    "correction_declined": "Correction request declined",
    "correction_withdrawn": "Correction request withdrawn",
}


# --- selectors ------------------------------------------------------------------------------------
def correction_requests_visible_to(user: Any) -> QuerySet[CorrectionRequest]:
    from edlead.access import policy

    return policy.visible_to(
        user, CorrectionRequest.objects.select_related("person", "district"), CORRECTION_VIEW
    )


def correction_request_waiting_for(user: Any) -> QuerySet[CorrectionRequest]:
    """Sent requests the user may decide (HR's list)."""
    from edlead.access import policy

    return policy.visible_to(
        user,
        CorrectionRequest.objects.filter(status=Status.SUBMITTED).select_related("person", "district"),
        CORRECTION_DECIDE,
    )


def differences(req: CorrectionRequest, person: Person | None = None) -> dict[str, tuple[str, str]]:
    """Field → (on the record, proposed), for the person fields the request changes: against the record
    now while the request is open, against the record as it was when sent once it is decided."""
    if person is None and req.status in (Status.APPLIED, Status.DECLINED) and req.record_when_sent:
        before = dict(req.record_when_sent)
    else:
        before = _record_values(person or req.person)
    return {
        name: (before.get(name, ""), getattr(req, name) or "")
        for name in PERSON_FIELDS
        if before.get(name, "") != (getattr(req, name) or "")
    }


def _record_values(person: Person) -> dict[str, str]:
    return {name: getattr(person, name) or "" for name in PERSON_FIELDS}


def _district_of(person: Person) -> Organization | None:
    positions = (
        Position.objects.current()
        .filter(person=person)
        .select_related("organization__district")
        .order_by("-is_primary", "-starts_on", "pk")
    )
    for pos in positions:
        org = pos.organization
        if org.kind == Organization.Kind.DISTRICT:
            return org
        if org.district is not None:
            return org.district
    return None


# --- services ---------------------------------------------------------------------------------------
def _audit(req: CorrectionRequest, verb: str, actor: Any, **detail: Any) -> None:
    audit_record(
        action=verb,
        actor=actor,
        target=req,
        target_label=f"Correction request of {req.person.display_name}",
        # Values of personnel fields are not copied into the log: field names only.
        detail={"request": req.pk, "person": req.person_id, **detail},
        scope=[req.district.path],
    )


def _require_owner(req: CorrectionRequest, actor: Any) -> None:
    if getattr(actor, "person_id", None) != req.person_id:
        raise ApplicationError("Only the person whose record it is can change or send this request.")


@transaction.atomic
def correction_request_start(*, actor: Any) -> CorrectionRequest:
    """The actor's open request (draft or sent), else a new draft filled from their record."""
    person = getattr(actor, "person", None)
    if person is None:
        raise ApplicationError(
            "Your account is not linked to a person record, so there is nothing to correct."
        )
    existing = CorrectionRequest.objects.filter(person=person, status__in=CorrectionRequest.OPEN).first()
    if existing is not None:
        return existing
    district = _district_of(person)
    if district is None:
        raise ApplicationError(
            "You hold no current position in a district, so no HR office can take a request."
        )
    req = CorrectionRequest(
        person=person,
        district=district,
        version=0,  # mark_edited makes the first saved version 1
        **{name: getattr(person, name) or "" for name in PERSON_FIELDS},
    )
    req.mark_edited(actor)
    req.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            req.save()
    except IntegrityError:  # a second click in another tab won the race: use its draft
        return CorrectionRequest.objects.get(person=person, status__in=CorrectionRequest.OPEN)
    CorrectionRequestEvent.objects.create(
        record=req,
        actor=req.edited_by,
        actor_label=editing.user_label(actor),
        action="started",
        to_status=req.status,
    )
    _audit(req, "correction_started", actor)
    return req


@transaction.atomic
def correction_request_save(
    *, req: CorrectionRequest, expected_version: int, actor: Any, **fields: Any
) -> CorrectionRequest:
    """Autosave of the draft: refused once sent (take it back first) and from a stale version."""
    _require_owner(req, actor)
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise ApplicationError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    current = editing.lock(req)
    if current.status != Status.DRAFT:
        raise editing.TransitionRefused(
            "This request has been sent to HR: take it back to change it."
            if current.status == Status.SUBMITTED
            else f"This request is {current.get_status_display().lower()}: it cannot change any more."
        )
    return editing.save_versioned(
        obj=current,
        expected_version=expected_version,
        changes={name: (value or "").strip() for name, value in fields.items()},
        actor=actor,
        labels=FIELD_LABELS,
    )


@transaction.atomic
def correction_request_submit(
    *, req: CorrectionRequest, expected_version: int, actor: Any
) -> CorrectionRequest:
    """Send the draft to HR (after the confirmation step). Refused when the draft changed in another
    window since the confirmation page was drawn, or when it asks for nothing."""
    _require_owner(req, actor)
    current = editing.lock(req)
    if not (current.first_name.strip() and current.last_name.strip()):
        raise ApplicationError("A first and a last name are needed.")
    if not (differences(current) or current.title_note.strip() or current.note.strip()):
        raise ApplicationError("Nothing to correct yet: change a field or describe the correction in a note.")
    done = editing.transition(
        obj=current,
        action="submitted",
        to=Status.SUBMITTED,
        allowed_from=[Status.DRAFT],
        actor=actor,
        event_model=CorrectionRequestEvent,
        expected_version=expected_version,
        changes={"submitted_at": timezone.now(), "record_when_sent": _record_values(current.person)},
    )
    _audit(
        done,
        "correction_submitted",
        actor,
        fields=sorted(differences(done)),
        title_note=bool(done.title_note),
    )
    return done


@transaction.atomic
def correction_request_take_back(*, req: CorrectionRequest, actor: Any) -> CorrectionRequest:
    """Back to a draft, allowed only until HR acts."""
    _require_owner(req, actor)
    done = editing.transition(
        obj=req,
        action="taken_back",
        to=Status.DRAFT,
        allowed_from=[Status.SUBMITTED],
        actor=actor,
        event_model=CorrectionRequestEvent,
        changes={"submitted_at": None},
    )
    _audit(done, "correction_taken_back", actor)
    return done


@transaction.atomic
def correction_request_withdraw(*, req: CorrectionRequest, actor: Any) -> CorrectionRequest:
    """Drop a draft the person no longer wants to send."""
    _require_owner(req, actor)
    done = editing.transition(
        obj=req,
        action="withdrawn",
        to=Status.WITHDRAWN,
        allowed_from=[Status.DRAFT],
        actor=actor,
        event_model=CorrectionRequestEvent,
    )
    _audit(done, "correction_withdrawn", actor)
    return done


def _decide(
    req: CorrectionRequest, *, to: str, action: str, expected_version: int, actor: Any, note: str
) -> CorrectionRequest:
    if getattr(actor, "person_id", None) == req.person_id:
        raise ApplicationError("A correction to your own record is decided by someone else in HR.")
    return editing.transition(
        obj=req,
        action=action,
        to=to,
        allowed_from=[Status.SUBMITTED],
        actor=actor,
        event_model=CorrectionRequestEvent,
        expected_version=expected_version,
        note=note.strip(),
        changes={"decided_at": timezone.now(), "decided_by": actor, "response_note": note.strip()},
    )


@transaction.atomic
def correction_request_apply(
    *, req: CorrectionRequest, expected_version: int, actor: Any, note: str = ""
) -> CorrectionRequest:
    """HR applies the proposed name and e-mail through `person_correct` (audited by field name). A
    second HR user acting on the same request meets the first one's decision, not a double write."""
    done = _decide(
        req, to=Status.APPLIED, action="applied", expected_version=expected_version, actor=actor, note=note
    )
    person = Person.objects.select_for_update().get(pk=done.person_id)
    changed = differences(done, person)
    if changed:
        person_correct(person=person, actor=actor, **{name: new for name, (_old, new) in changed.items()})
    _audit(done, "correction_applied", actor, fields=sorted(changed))
    return done


@transaction.atomic
def correction_request_decline(
    *, req: CorrectionRequest, expected_version: int, actor: Any, note: str
) -> CorrectionRequest:
    """HR declines, saying why (the person reads the note)."""
    if not note.strip():
        raise ApplicationError("Say why the correction is declined: the person reads your note.")
    done = _decide(
        req, to=Status.DECLINED, action="declined", expected_version=expected_version, actor=actor, note=note
    )
    _audit(done, "correction_declined", actor)
    return done


# --- forms --------------------------------------------------------------------------------------------
class CorrectionDraftForm(UswdsFormMixin, forms.ModelForm):
    """The person's draft. Fields prefixed `correction`, the version plain (`editing.expected_version`)."""

    version = forms.IntegerField(widget=forms.HiddenInput(attrs={"id": "correction-version"}), required=False)

    class Meta:
        model = CorrectionRequest
        fields = list(DRAFT_FIELDS)
        widgets = {"note": forms.Textarea(attrs={"rows": 4})}

    def add_prefix(self, field_name: str) -> str:
        return field_name


class CorrectionDecisionForm(UswdsFormMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("apply", "Apply the correction"), ("decline", "Decline it")], widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Note to the person",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you decline: say why.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].widget.attrs["class"] = "usa-radio__input"


# --- plugged into the platform --------------------------------------------------------------------------
def hr_work_items(user: Any, today: dt.date) -> list[workqueue.WorkItem]:
    """HR: each request waiting for a decision. The person: their unsent draft. One query."""
    from edlead.access import policy
    from edlead.access.models import RoleGrant

    hr_paths = [g.path for g in policy.effective_grants(user) if g.role == RoleGrant.Role.HR]
    q = Q(pk__in=[])
    if hr_paths:
        in_scope = Q()
        for path in hr_paths:
            in_scope |= Q(district__path__startswith=path)
        q |= Q(status=Status.SUBMITTED) & in_scope & ~Q(person_id=getattr(user, "person_id", None))
    if getattr(user, "person_id", None):
        q |= Q(person_id=user.person_id, status=Status.DRAFT)
    rows = (
        CorrectionRequest.objects.filter(q)
        .select_related("person", "district")
        .order_by("submitted_at", "pk")
    )
    items = []
    for req in rows:
        mine = req.person_id == getattr(user, "person_id", None)
        items.append(
            workqueue.WorkItem(
                title="Your correction request is not sent yet"
                if mine
                else f"Correction request from {req.person.display_name}",
                url=req.get_absolute_url(),
                source="corrections",
                organization=req.district.name,
                detail="Send it to HR when it is ready" if mine else "Apply or decline it",
                waiting=not mine,
                new=mine,
            )
        )
    return items


def plug_in() -> None:
    """Called from PeopleConfig.ready()."""
    from edlead import config
    from edlead.access import policy
    from edlead.access.models import RoleGrant
    from edlead.core.models import audit_verbs_register

    keepers = frozenset({RoleGrant.Role.HR, RoleGrant.Role.DISTRICT_ADMIN, RoleGrant.Role.STATE_ADMIN})
    policy.declare(
        CorrectionRequest,
        CORRECTION_VIEW,
        policy.Rule(
            person="person", roles=keepers, label="A correction request: the person, HR and administrators"
        ),
    )
    policy.declare(
        CorrectionRequest,
        CORRECTION_DECIDE,
        policy.Rule(
            person="person",
            owner=False,
            roles=keepers,
            label="Deciding a correction request: HR and administrators",
        ),
    )
    audit_verbs_register(AUDIT_VERBS)
    workqueue.register("corrections", hr_work_items)
    config.register(
        "people.departments",
        "Departments",
        config.LIST,
        [],
        "The district's departments, one per line (used for “responder for” a department).",
        section="Organization",
    )
