"""The only writers of credentials: the catalog and state rules (data files), licences, endorsements,
degrees and assessments (never overwritten: renewals and corrections supersede), the PDP ledger and
development plans. Every write is checked (`full_clean`) and audited."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from edlead.access import policy
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.credentials import rules as rules_mod
from edlead.credentials.models import (
    AssessmentPassed,
    CredentialRecord,
    CredentialType,
    Degree,
    Endorsement,
    Licence,
    PdpActivity,
    PdpActivityEvent,
    PdpAllocation,
    StateRules,
)
from edlead.people.models import Person

DATA_DIR = Path(__file__).resolve().parent / "data"
CATALOG_FILE = DATA_DIR / "catalog.json"
DEFAULT_RULES = (DATA_DIR / "rules" / "ma.json",)

# --- access actions (rules declared in apps.py) --------------------------------------------------------
CREDENTIALS_VIEW = "credentials.view"  # a person's credentials: themselves, their chain, HR
CREDENTIALS_EDIT = "credentials.edit"  # record licences, endorsements, degrees: HR
PDP_ADD = "credentials.pdp_add"  # report an activity: the person themselves, HR
LICENCE_VIEW = "credentials.licence_view"
PDP_VIEW = "credentials.pdp_view"
PDP_EDIT = "credentials.pdp_edit"  # evidence files of an activity: the person, HR
PDP_DECIDE = "credentials.pdp_decide"  # approve or refuse an activity: HR
PLAN_VIEW = "credentials.plan_view"
PLAN_APPROVE = "credentials.plan_approve"  # the evaluator of record: evaluator, supervision chain
PLAN_APPROVE_BOARD = "credentials.plan_approve_board"  # a superintendent's: a school committee member

# --- audit verbs and notices --------------------------------------------------------------------------
CATALOG_LOADED = "credential_catalog_loaded"
RULES_LOADED = "licence_rules_loaded"
LICENCE_ADDED = "licence_added"
LICENCE_RENEWED = "licence_renewed"
LICENCE_CORRECTED = "licence_corrected"
CREDENTIAL_ADDED = "credential_added"
CREDENTIAL_CORRECTED = "credential_corrected"
CREDENTIAL_WITHDRAWN = "credential_withdrawn"
PDP_ADDED = "pdp_activity_added"
PDP_CREDITED = "pdp_credited"
PDP_DECIDED = "pdp_activity_decided"
PLAN_CHANGED = "development_plan_changed"
AUDIT_VERBS = {
    CATALOG_LOADED: "Credential catalog loaded",
    RULES_LOADED: "Licence rules loaded",
    LICENCE_ADDED: "Licence recorded",
    LICENCE_RENEWED: "Licence renewed",
    LICENCE_CORRECTED: "Licence corrected",
    CREDENTIAL_ADDED: "Credential recorded",
    CREDENTIAL_CORRECTED: "Credential corrected",
    CREDENTIAL_WITHDRAWN: "Credential withdrawn",
    PDP_ADDED: "PDP activity recorded",
    PDP_CREDITED: "PDPs credited by a program",
    PDP_DECIDED: "PDP activity approved or refused",
    PLAN_CHANGED: "Professional development plan changed",
    "credentials_viewed": "Credentials viewed",
}
NOTICE_LICENCE = "credentials.licence_due"
NOTICE_HR = "credentials.hr_licence_due"
NOTICE_PLAN = "credentials.plan"


# --- data files -----------------------------------------------------------------------------------------
@transaction.atomic
def load_catalog(path: Path = CATALOG_FILE) -> int:
    """Licence fields, endorsements and assessments from the catalog file; entries are added or renamed
    by code, never removed (records point at them). Returns how many rows changed."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    existing = {(t.kind, t.code): t for t in CredentialType.objects.all()}
    changed = 0
    for key, kind in (
        ("fields", CredentialType.Kind.FIELD),
        ("endorsements", CredentialType.Kind.ENDORSEMENT),
        ("assessments", CredentialType.Kind.ASSESSMENT),
    ):
        for order, entry in enumerate(doc.get(key, [])):
            values = {
                "name": entry["name"],
                "group": entry.get("group", CredentialType.Group.OTHER),
                "levels": list(entry.get("levels", [])),
                "order": order,
            }
            row = existing.get((kind, entry["code"]))
            if row is None:
                row = CredentialType(kind=kind, code=entry["code"], **values)
            elif all(getattr(row, k) == v for k, v in values.items()):
                continue
            else:
                for k, v in values.items():
                    setattr(row, k, v)
            row.full_clean()
            row.save()
            changed += 1
    if changed:
        audit_record(action=CATALOG_LOADED, detail={"file": path.name, "changed": changed})
    return changed


def load_default_rules() -> list[StateRules]:
    """The shipped rules files (Massachusetts): loaded when absent, refreshed when the shipped file
    changed; a state whose rules an administrator loaded from a file is never touched."""
    loaded = []
    for path in DEFAULT_RULES:
        document, ruleset = rules_mod.read_file(path)
        row = StateRules.objects.filter(state=ruleset.state).first()
        if row is not None and (row.origin != StateRules.Origin.DEFAULT or row.document == document):
            continue
        loaded.append(rules_load(document=document, where=path.name, origin=StateRules.Origin.DEFAULT))
    return loaded


def rules_load_file(*, path: Path, actor: Any = None) -> StateRules:
    """A state's rules from a JSON file (a second state: no code change). Refused whole, with every
    mistake and its place, when anything is wrong."""
    document, _ = rules_mod.read_file(path)
    return rules_load(document=document, where=path.name, actor=actor)


@transaction.atomic
def rules_load(
    *, document: dict[str, Any], where: str = "the rules file", actor: Any = None, origin: str = "file"
) -> StateRules:
    ruleset = rules_mod.parse(document, where=where)  # RulesError before anything is written
    row, created = StateRules.objects.update_or_create(
        state=ruleset.state,
        defaults={"name": ruleset.name, "source": ruleset.source, "document": document, "origin": origin},
    )
    row.full_clean()
    audit_record(
        action=RULES_LOADED,
        actor=actor,
        target=row,
        detail={"state": row.state, "file": where, "new": created, "origin": origin},
    )
    return row


def ruleset_for(state: str) -> rules_mod.StateRuleSet | None:
    """The rules of one issuing state (None: none loaded)."""
    row = StateRules.objects.filter(state=state).first()
    return rules_mod.parse(row.document, where=f"{state} rules") if row is not None else None


def all_rulesets() -> dict[str, rules_mod.StateRuleSet]:
    """Every loaded state's rules (1 query)."""
    return {r.state: rules_mod.parse(r.document, where=f"{r.state} rules") for r in StateRules.objects.all()}


def known_categories() -> dict[str, str]:
    """The renewal categories of every loaded state (code → name), Massachusetts first."""
    result: dict[str, str] = {}
    sets = all_rulesets()
    for state in sorted(sets, key=lambda s: (s != "MA", s)):
        for code, name in sets[state].categories.items():
            result.setdefault(code, name)
    return result


# --- who may write -------------------------------------------------------------------------------------
def _check(actor: Any, action: str, record: Any) -> None:
    """The system (actor None: imports' own checks, the demo, other apps' services) checks nothing here."""
    if actor is not None and not policy.can(actor, action, record):
        raise ApplicationError("You may not change these credentials.")


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _clean(record: Any) -> None:
    """full_clean with the model's messages kept as an ApplicationError for the form."""
    try:
        record.full_clean()
    except ValidationError as exc:
        messages: list[str] = []
        for field, errors in exc.message_dict.items():
            label = "" if field == "__all__" else f"{field.replace('_', ' ')}: "
            messages.extend(f"{label}{e}" for e in errors)
        raise ApplicationError(" ".join(messages)) from exc


# --- licences --------------------------------------------------------------------------------------------
def _licence_checks(licence: Licence) -> None:
    """Field, level and validity; the expiry from the state's rules when not given."""
    field = licence.field
    if field.kind != CredentialType.Kind.FIELD:
        raise ApplicationError(f"{field.name} is not a licence field.")
    if field.levels:
        if not licence.grade_level and len(field.levels) == 1:
            licence.grade_level = field.levels[0]
        if licence.grade_level not in field.levels:
            raise ApplicationError(
                f"Grade level “{licence.grade_level}” is not one of {field.name}'s: {', '.join(field.levels)}."
            )
    if licence.expires_on is None and licence.valid_employment_years is None:
        ruleset = ruleset_for(licence.issuing_state)
        validity = ruleset.stages.get(licence.stage) if ruleset is not None else None
        if validity is None:
            raise ApplicationError(
                f"No rules say how long a {licence.get_stage_display()} licence of {licence.issuing_state} "
                "is valid: give its expiry date or the years of employment it is valid for."
            )
        if validity.years:
            licence.expires_on = _add_years(licence.issued_on, validity.years) - dt.timedelta(days=1)
        else:
            licence.valid_employment_years = validity.employment_years
    if licence.number:
        clash = (
            Licence.objects.filter(issuing_state=licence.issuing_state, number=licence.number)
            .exclude(person_id=licence.person_id)
            .exists()
        )
        if clash:
            raise ApplicationError(
                f"Licence number {licence.number} of {licence.issuing_state} is recorded for another person."
            )


def _licence_detail(licence: Licence) -> dict[str, Any]:
    return {
        "state": licence.issuing_state,
        "field": licence.field.code,
        "grade_level": licence.grade_level,
        "stage": licence.stage,
        "number": licence.number,
        "issued_on": licence.issued_on.isoformat(),
        "expires_on": licence.expires_on.isoformat() if licence.expires_on else None,
        "valid_employment_years": licence.valid_employment_years,
        "status": licence.status,
    }


@transaction.atomic
def licence_add(
    *,
    actor: Any,
    person: Person,
    field: CredentialType,
    stage: str,
    issued_on: dt.date,
    issuing_state: str = "MA",
    grade_level: str = "",
    number: str = "",
    expires_on: dt.date | None = None,
    valid_employment_years: int | None = None,
    status: str = Licence.Status.ACTIVE,
    source: str = CredentialRecord.Source.MANUAL,
    note: str = "",
) -> Licence:
    """Record a licence; without an expiry or employment-years validity, the state's rules for its
    stage give it (a Massachusetts Professional licence: five years)."""
    _check(actor, CREDENTIALS_EDIT, person)
    licence = Licence(
        person=person,
        field=field,
        stage=stage,
        issued_on=issued_on,
        issuing_state=(issuing_state or "").strip().upper(),
        grade_level=grade_level.strip(),
        number=number.strip(),
        expires_on=expires_on,
        valid_employment_years=valid_employment_years,
        status=status,
        source=source,
        note=note.strip(),
        recorded_by=_user(actor),
    )
    if stage not in Licence.Stage.values:
        raise ApplicationError(f"“{stage}” is not a licence stage ({', '.join(Licence.Stage.labels)}).")
    _licence_checks(licence)
    _clean(licence)
    licence.save()
    audit_record(action=LICENCE_ADDED, actor=actor, target=licence, detail=_licence_detail(licence))
    return licence


def _lock_current(model: type[Any], record: Any) -> Any:
    current = model.objects.select_for_update(of=("self",)).select_related("person").get(pk=record.pk)
    if not current.is_current:
        raise ApplicationError(
            "This record was already renewed, corrected or withdrawn: open the current one."
        )
    return current


def _supersede(old: Any, new: Any, change: str) -> Any:
    """Mark `old` as no longer current (before `new` is saved, so the number stays unique), save `new`,
    link them."""
    old.change = change
    old.superseded_at = timezone.now()
    old.save(update_fields=["change", "superseded_at", "updated_at"])
    _clean(new)
    new.save()
    old.superseded_by = new
    old.save(update_fields=["superseded_by", "updated_at"])
    return new


@transaction.atomic
def licence_renew(
    *,
    actor: Any,
    licence: Licence,
    issued_on: dt.date,
    expires_on: dt.date | None = None,
    stage: str | None = None,
    number: str | None = None,
    note: str = "",
) -> Licence:
    """The licence renewed (or advanced to another stage) from `issued_on`: a new current row; the old
    one stays as history, superseded."""
    old = _lock_current(Licence, licence)
    _check(actor, CREDENTIALS_EDIT, old.person)
    if issued_on <= old.issued_on:
        raise ApplicationError(f"A renewal is issued after the licence it renews ({old.issued_on:%d %b %Y}).")
    new = Licence(
        person=old.person,
        field=old.field,
        stage=stage or old.stage,
        issued_on=issued_on,
        issuing_state=old.issuing_state,
        grade_level=old.grade_level,
        number=(number if number is not None else old.number).strip(),
        expires_on=expires_on,
        valid_employment_years=None,
        status=Licence.Status.ACTIVE,
        source=old.source if actor is None else CredentialRecord.Source.MANUAL,
        note=note.strip(),
        recorded_by=_user(actor),
    )
    _licence_checks(new)
    _supersede(old, new, CredentialRecord.Change.RENEWED)
    audit_record(
        action=LICENCE_RENEWED, actor=actor, target=new, detail={"renews": old.pk, **_licence_detail(new)}
    )
    return new


LICENCE_CORRECTABLE = (
    "issuing_state",
    "field",
    "grade_level",
    "stage",
    "number",
    "issued_on",
    "expires_on",
    "valid_employment_years",
    "status",
)


@transaction.atomic
def licence_correct(*, actor: Any, licence: Licence, changes: dict[str, Any], note: str = "") -> Licence:
    """A mistake in a licence corrected: a new current row with `changes`, the old one kept as history
    (superseded, "corrected"). Changing nothing writes nothing."""
    old = _lock_current(Licence, licence)
    _check(actor, CREDENTIALS_EDIT, old.person)
    unknown = set(changes) - set(LICENCE_CORRECTABLE)
    if unknown:
        raise ApplicationError(f"These cannot be corrected: {', '.join(sorted(unknown))}.")
    if all(getattr(old, k) == v for k, v in changes.items()):
        return old
    values = {name: getattr(old, name) for name in LICENCE_CORRECTABLE}
    values.update(changes)
    if "issuing_state" in changes:
        values["issuing_state"] = str(values["issuing_state"]).strip().upper()
    new = Licence(
        person=old.person,
        source=old.source,
        note=note.strip() or old.note,
        recorded_by=_user(actor),
        **values,
    )
    _licence_checks(new)
    _supersede(old, new, CredentialRecord.Change.CORRECTED)
    audit_record(
        action=LICENCE_CORRECTED,
        actor=actor,
        target=new,
        detail={
            "corrects": old.pk,
            "changed": sorted(k for k in changes if getattr(old, k) != getattr(new, k)),
        },
    )
    return new


R = TypeVar("R", bound=CredentialRecord)


@transaction.atomic
def credential_withdraw(*, actor: Any, record: R, note: str = "") -> R:
    """A record entered in error, withdrawn: kept as history, no longer current."""
    current = _lock_current(type(record), record)
    _check(actor, CREDENTIALS_EDIT, current.person)
    current.change = CredentialRecord.Change.WITHDRAWN
    current.superseded_at = timezone.now()
    if note.strip():
        current.note = note.strip()[:255]
    current.save(update_fields=["change", "superseded_at", "note", "updated_at"])
    audit_record(action=CREDENTIAL_WITHDRAWN, actor=actor, target=current, detail={"note": note.strip()})
    return current


# --- endorsements, degrees, assessments ----------------------------------------------------------------
def _record_add(actor: Any, record: CredentialRecord) -> Any:
    _check(actor, CREDENTIALS_EDIT, record.person)
    record.recorded_by = _user(actor)
    _clean(record)
    record.save()
    audit_record(
        action=CREDENTIAL_ADDED, actor=actor, target=record, detail={"kind": record._meta.model_name}
    )
    return record


def _kind_check(kind: CredentialType, expected: str) -> None:
    if kind.kind != expected:
        raise ApplicationError(f"{kind.name} is not an {CredentialType.Kind(expected).label.lower()}.")


@transaction.atomic
def endorsement_add(
    *,
    actor: Any,
    person: Person,
    kind: CredentialType,
    issued_on: dt.date | None = None,
    issuing_state: str = "MA",
    source: str = CredentialRecord.Source.MANUAL,
) -> Endorsement:
    _kind_check(kind, CredentialType.Kind.ENDORSEMENT)
    if Endorsement.objects.current().filter(person=person, kind=kind, issuing_state=issuing_state).exists():
        raise ApplicationError(f"{person.display_name} already holds the {kind.name} endorsement.")
    return _record_add(
        actor,
        Endorsement(
            person=person, kind=kind, issued_on=issued_on, issuing_state=issuing_state, source=source
        ),
    )


@transaction.atomic
def degree_add(
    *,
    actor: Any,
    person: Person,
    level: str,
    field: str,
    institution: str,
    year: int,
    source: str = CredentialRecord.Source.MANUAL,
) -> Degree:
    return _record_add(
        actor,
        Degree(
            person=person,
            level=level,
            field=field.strip(),
            institution=institution.strip(),
            year=year,
            source=source,
        ),
    )


@transaction.atomic
def assessment_add(
    *,
    actor: Any,
    person: Person,
    kind: CredentialType,
    passed_on: dt.date,
    source: str = CredentialRecord.Source.MANUAL,
) -> AssessmentPassed:
    _kind_check(kind, CredentialType.Kind.ASSESSMENT)
    return _record_add(actor, AssessmentPassed(person=person, kind=kind, passed_on=passed_on, source=source))


CORRECTABLE = {
    Endorsement: ("kind", "issuing_state", "issued_on", "status"),
    Degree: ("level", "field", "institution", "year"),
    AssessmentPassed: ("kind", "passed_on"),
}


@transaction.atomic
def credential_correct(*, actor: Any, record: R, changes: dict[str, Any], note: str = "") -> R:
    """An endorsement, degree or assessment corrected: a new current row, the old one kept (superseded)."""
    model = type(record)
    allowed = CORRECTABLE.get(model)  # type: ignore[call-overload]
    if allowed is None:
        raise ApplicationError("Licences are corrected with licence_correct.")
    old = _lock_current(model, record)
    _check(actor, CREDENTIALS_EDIT, old.person)
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ApplicationError(f"These cannot be corrected: {', '.join(sorted(unknown))}.")
    if all(getattr(old, k) == v for k, v in changes.items()):
        return old
    values = {name: getattr(old, name) for name in allowed}
    values.update(changes)
    new = model(person=old.person, source=old.source, note=note.strip(), recorded_by=_user(actor), **values)
    _supersede(old, new, CredentialRecord.Change.CORRECTED)
    audit_record(action=CREDENTIAL_CORRECTED, actor=actor, target=new, detail={"corrects": old.pk})
    return new


# --- the PDP ledger ---------------------------------------------------------------------------------------
def _decimal(value: Any, what: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ApplicationError(f"{what} must be a number, not “{value}”.") from exc
    if not number.is_finite():
        raise ApplicationError(f"{what} must be a number, not “{value}”.")
    return number


def _allocations(
    amount: Decimal, unit: str, category: str | None, split: dict[str, Any] | None
) -> dict[str, Decimal]:
    """The category split of an activity, checked: known categories, positive parts adding up to the
    whole amount."""
    if unit not in PdpActivity.Unit.values:
        raise ApplicationError(f"“{unit}” is not a unit ({', '.join(PdpActivity.Unit.labels)}).")
    if amount <= 0:
        raise ApplicationError("The amount must be more than zero.")
    limit = PdpActivity.UNIT_MAXIMUM[unit]
    if amount > limit:
        label = PdpActivity.Unit(unit).label.lower()
        raise ApplicationError(f"{amount} {label} is more than one activity can be ({limit} at most).")
    if split and category:
        raise ApplicationError("Give one category or a split, not both.")
    parts = {
        k: _decimal(v, f"The part for {k}") for k, v in (split or {category or "elective": amount}).items()
    }
    parts = {k: v for k, v in parts.items() if v != 0}
    known = known_categories()
    for code, part in parts.items():
        if code not in known:
            raise ApplicationError(f"“{code}” is not a renewal category ({', '.join(known)}).")
        if part < 0:
            raise ApplicationError(f"The part for {known[code]} cannot be negative.")
    if sum(parts.values(), Decimal(0)) != amount:
        raise ApplicationError(
            f"The parts ({', '.join(f'{known[k]} {v}' for k, v in parts.items())}) must add up to the "
            f"activity's {amount}."
        )
    return parts


@transaction.atomic
def pdp_activity_add(
    *,
    actor: Any,
    person: Person,
    title: str,
    provider: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    amount: Any,
    unit: str = PdpActivity.Unit.CLOCK_HOUR,
    category: str | None = None,
    split: dict[str, Any] | None = None,
    topic: str = "",
    source: str = "",
    status: str = PdpActivity.Status.REPORTED,
) -> PdpActivity:
    """Record an activity a person completed (reported by themselves or HR). A second activity with the
    same provider, title and start date is refused."""
    _check(actor, PDP_ADD, person)
    number = _decimal(amount, "The amount")
    parts = _allocations(number, unit, category, split)
    activity = PdpActivity(
        person=person,
        title=" ".join(title.split()),
        provider=" ".join(provider.split()),
        topic=" ".join(topic.split()),
        starts_on=starts_on,
        ends_on=ends_on or starts_on,
        amount=number,
        unit=unit,
        status=status,
        source=source,
        recorded_by=_user(actor),
    )
    if PdpActivity.objects.filter(
        person=person, provider=activity.provider, title=activity.title, starts_on=starts_on
    ).exists():
        raise ApplicationError(
            f"“{activity.title}” from {activity.provider} starting {starts_on:%d %b %Y} is already recorded."
        )
    if activity.ends_on > timezone.localdate():
        raise ApplicationError("Record an activity once it has ended.")
    _clean(activity)
    activity.save()
    PdpAllocation.objects.bulk_create(
        PdpAllocation(activity=activity, category=code, amount=part) for code, part in parts.items()
    )
    if status == PdpActivity.Status.APPROVED:
        activity.decided_at = timezone.now()
        activity.save(update_fields=["decided_at"])
        PdpActivityEvent.objects.create(
            record=activity, actor=None, actor_label=source or "system", action="credited", to_status=status
        )
    audit_record(
        action=PDP_CREDITED if source else PDP_ADDED,
        actor=actor,
        target=activity,
        detail={"amount": str(number), "unit": unit, "split": {k: str(v) for k, v in parts.items()}},
    )
    return activity


def credit_pdps(
    *,
    person: Person,
    provider: str,
    title: str,
    starts_on: dt.date,
    hours: Any,
    category: str,
    source: str,
    ends_on: dt.date | None = None,
    topic: str = "",
) -> PdpActivity:
    """For other apps: credit `hours` clock hours in `category` when `person` completes an EdLead
    program. Idempotent on person + provider + title + start date: a second call returns the activity
    already credited and writes nothing. Credited activities are approved (the program vouches)."""
    if not source.strip():
        raise ApplicationError("Say what credits the PDPs (source).")
    key = {"person": person, "provider": " ".join(provider.split()), "title": " ".join(title.split())}
    existing = PdpActivity.objects.filter(**key, starts_on=starts_on).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return pdp_activity_add(
                actor=None,
                person=person,
                title=title,
                provider=provider,
                starts_on=starts_on,
                ends_on=ends_on,
                amount=hours,
                unit=PdpActivity.Unit.CLOCK_HOUR,
                category=category,
                topic=topic,
                source=source.strip(),
                status=PdpActivity.Status.APPROVED,
            )
    except IntegrityError:  # a concurrent call credited it first
        return PdpActivity.objects.get(**key, starts_on=starts_on)


@transaction.atomic
def pdp_activity_decide(*, actor: Any, activity: PdpActivity, approve: bool, note: str = "") -> PdpActivity:
    """HR approves an activity, or refuses it (it then no longer counts), saying why."""
    current = PdpActivity.objects.select_for_update(of=("self",)).get(pk=activity.pk)
    _check(actor, PDP_DECIDE, current)
    to = PdpActivity.Status.APPROVED if approve else PdpActivity.Status.REJECTED
    if not approve and not note.strip():
        raise ApplicationError("Say why the activity is not accepted.")
    if current.status == to:
        return current
    before = current.status
    current.status = to
    current.decided_by = _user(actor)
    current.decided_at = timezone.now()
    current.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    PdpActivityEvent.objects.create(
        record=current,
        actor=_user(actor),
        actor_label=editing.user_label(actor) if actor else "system",
        action="approved" if approve else "refused",
        from_status=before,
        to_status=to,
        note=note.strip(),
    )
    audit_record(action=PDP_DECIDED, actor=actor, target=current, detail={"status": to, "note": note.strip()})
    return current
