"""The only writers of the pipeline's records: keyword-only, actor first, one transaction each, audited.
A refusal is an `ApplicationError` in plain words; nothing is written half-way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from edlead.access import policy
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.credentials import eligibility
from edlead.credentials.models import Posting
from edlead.notices.services import notify, notify_many
from edlead.orgs.models import Organization
from edlead.people.models import Person
from edlead.pipeline import rules
from edlead.pipeline.models import (
    STANDARDS,
    Application,
    ApplicationEvent,
    Candidacy,
    Demographics,
    HoursEntry,
    LeadershipProject,
    Placement,
    PoolEntry,
    PoolEvent,
    PrepProgram,
    ReadinessNote,
    SuccessionCandidate,
)

Stage = PoolEntry.Stage
A = Application.Status

PIPELINE_CHANGED = "pipeline_changed"
AUDIT_VERBS = {PIPELINE_CHANGED: "Leadership pipeline record changed"}
NOTICE_HOURS = "pipeline.hours_to_sign"
NOTICE_SIGNED = "pipeline.hours_signed"
NOTICE_APPLICATION = "pipeline.application"
NOTICE_APPLICATION_MOVED = "pipeline.application_moved"
NOTICES = {
    NOTICE_HOURS: "Practicum hours are waiting for your signature",
    NOTICE_SIGNED: "Your practicum hours were signed",
    NOTICE_APPLICATION: "A new application to a posting",
    NOTICE_APPLICATION_MOVED: "Your application moved on",
}


def _audit(actor: Any, target: Any, what: str, **detail: Any) -> None:
    audit_record(action=PIPELINE_CHANGED, actor=actor, target=target, detail={"what": what, **detail})


def _clean(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages)) from exc


def _person_id(actor: Any) -> int | None:
    return getattr(actor, "person_id", None)


def district_of(org: Organization) -> Organization:
    return eligibility.district_of(org)


# --- the pool --------------------------------------------------------------------------------------------
def _event(entry: PoolEntry, actor: Any, action: str, before: str, note: str = "") -> None:
    PoolEvent.objects.create(
        record=entry,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=str(getattr(actor, "email", "") or "EdLead"),
        action=action,
        from_status=before,
        to_status=entry.stage,
        note=note,
    )


def _may_manage_pool(actor: Any, district: Organization) -> bool:
    return bool(policy.actions_on(actor, district) & {policy.PROGRAM_MANAGE, policy.PERSON_EDIT})


@transaction.atomic
def pool_join(
    *, actor: Any, person: Person, district: Organization, interests: Iterable[str] = (), goal: str = ""
) -> PoolEntry:
    """Add `person` to the district's pool (themselves, or the district's HR and coordinators)."""
    if _person_id(actor) != person.pk and not _may_manage_pool(actor, district):
        raise ApplicationError(
            "Only the person themselves, HR or a program coordinator adds them to the pool."
        )
    entry = PoolEntry(
        person=person,
        organization=district,
        stage=Stage.INTERESTED,
        stage_since=dt.date.today(),
        interests=sorted({i.strip() for i in interests if i.strip()}),
        goal=goal.strip(),
    )
    _clean(entry)
    entry.save()
    _event(entry, actor, "joined", "")
    _audit(actor, entry, "joined the pool")
    return entry


@transaction.atomic
def pool_profile_save(*, actor: Any, entry: PoolEntry, interests: Iterable[str], goal: str) -> PoolEntry:
    if _person_id(actor) != entry.person_id:
        raise ApplicationError("Only the aspiring leader edits their own interests.")
    entry.interests = sorted({i.strip() for i in interests if i.strip()})
    entry.goal = goal.strip()
    _clean(entry)
    entry.save(update_fields=["interests", "goal", "updated_at"])
    return entry


@transaction.atomic
def pool_stage_set(*, actor: Any, entry: PoolEntry, stage: str, note: str = "") -> PoolEntry:
    """Move a pool entry to `stage` (HR, coordinators and administrators; the services below move it as
    things happen: enrolled → preparing, placed in a practicum, applying, hired → placed)."""
    if stage not in Stage.values:
        raise ApplicationError("Choose one of the pool's stages.")
    if actor is not None and not _may_manage_pool(actor, entry.organization):
        raise ApplicationError(
            "Only HR, a program coordinator or an administrator moves someone in the pool."
        )
    return _advance(entry, stage, actor, note=note, only_forward=False)


def _advance(
    entry: PoolEntry, stage: str, actor: Any, *, note: str = "", only_forward: bool = True
) -> PoolEntry:
    locked = PoolEntry.objects.select_for_update().get(pk=entry.pk)
    order = PoolEntry.STAGE_ORDER
    if locked.stage == stage or (only_forward and order.index(stage) < order.index(locked.stage)):
        return locked
    before = locked.stage
    locked.stage = stage
    locked.stage_since = dt.date.today()
    locked.save(update_fields=["stage", "stage_since", "updated_at"])
    _event(locked, actor, "stage", before, note)
    _audit(actor, locked, "stage", stage=stage)
    return locked


def _advance_person(person_id: int, district: Organization | None, stage: str, actor: Any) -> None:
    """Move the person's pool entries (in `district`, or every district) forward to `stage`."""
    entries = PoolEntry.objects.filter(person_id=person_id)
    if district is not None:
        entries = entries.filter(organization=district)
    for entry in entries:
        _advance(entry, stage, actor)


@transaction.atomic
def readiness_note_save(*, actor: Any, entry: PoolEntry, readiness: str, text: str) -> ReadinessNote:
    """The author's own note on a candidate (one per author, kept current). Only the candidate's chain."""
    author_id = _person_id(actor)
    if not author_id or not rules.in_chain_of(actor, entry.person_id):
        raise ApplicationError(
            "Only the candidate's principal, supervisor or superintendent writes a readiness note."
        )
    probe = ReadinessNote.objects.filter(entry=entry, author_id=author_id).first() or ReadinessNote(
        entry=entry, person_id=entry.person_id, author_id=author_id
    )
    probe.readiness = readiness
    probe.text = text.strip()
    if not probe.text:
        raise ApplicationError("Say why: the note needs a few words of evidence.")
    _clean(probe)
    probe.save()
    _audit(actor, entry, "readiness note", readiness=readiness)
    return probe


@transaction.atomic
def demographics_save(
    *, actor: Any, person: Person, race: str, gender: str, first_generation: bool | None
) -> Demographics:
    if _person_id(actor) != person.pk:
        raise ApplicationError("Only the person themselves answers these questions.")
    row, _ = Demographics.objects.get_or_create(person=person)
    row.race, row.gender, row.first_generation = race, gender, first_generation
    _clean(row)
    row.save()
    return row  # not audited with its answers: the audit log would disclose them


# --- preparation and practicum ------------------------------------------------------------------------
def _may_run(actor: Any, org: Organization | None) -> bool:
    if org is None:
        return policy.can(actor, policy.PROGRAM_MANAGE) and any(
            g.path.count("/") == 2 for g in policy.grants_for(actor, policy.PROGRAM_MANAGE)
        )
    return policy.PROGRAM_MANAGE in policy.actions_on(actor, org)


@transaction.atomic
def prep_program_save(
    *,
    actor: Any,
    organization: Organization | None,
    name: str,
    partner: str,
    provider: str,
    required_hours: int,
    active: bool = True,
    program: PrepProgram | None = None,
) -> PrepProgram:
    """Add or change a preparation program: the state's (a state grant) or a district's (its coordinators
    and administrators)."""
    for org in {organization, program.organization if program else organization}:
        if not _may_run(actor, org):
            raise ApplicationError("Only those who run the state's or the district's programs keep this one.")
    row = program or PrepProgram()
    row.organization, row.name, row.partner = organization, name.strip(), partner.strip()
    row.provider, row.required_hours, row.active = provider, required_hours, active
    _clean(row)
    row.save()
    _audit(actor, row, "preparation program saved", name=row.name)
    return row


def may_run_programs(actor: Any, district: Organization | None) -> bool:
    """Records enrolments and placements for the district's candidates: its program coordinators and
    administrators (a state grant included)."""
    return _may_run(actor, district)


@transaction.atomic
def candidacy_enroll(*, actor: Any, person: Person, program: PrepProgram, cohort_year: int) -> Candidacy:
    district = program.organization
    from edlead.people.models import Position

    where = [
        p.organization
        for p in Position.objects.current().filter(person=person).select_related("organization")
    ]
    runs_here = _may_run(actor, district) if district is not None else any(_may_run(actor, o) for o in where)
    if not (runs_here or _may_run(actor, None) or _person_id(actor) == person.pk):
        raise ApplicationError("Only the candidate or the program's coordinators record an enrolment.")
    row = Candidacy(person=person, program=program, cohort_year=cohort_year)
    _clean(row)
    row.save()
    _advance_person(person.pk, None, Stage.PREPARING, actor)
    _audit(actor, row, "enrolled", program=program.pk)
    return row


@transaction.atomic
def placement_create(
    *,
    actor: Any,
    candidacy: Candidacy,
    school: Organization,
    mentor: Person,
    supervisor: Person,
    starts_on: dt.date,
    ends_on: dt.date,
) -> Placement:
    if not _may_run(actor, school):
        raise ApplicationError(
            "Only a program coordinator or administrator for the host school places a candidate."
        )
    if school.kind != Organization.Kind.SCHOOL:
        raise ApplicationError("A practicum is at a school.")
    if mentor.pk == candidacy.person_id or supervisor.pk == candidacy.person_id:
        raise ApplicationError("The candidate cannot be their own mentor or supervisor.")
    row = Placement(
        candidacy=candidacy,
        person_id=candidacy.person_id,
        organization=school,
        mentor=mentor,
        supervisor=supervisor,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    _clean(row)
    row.save()
    _advance_person(candidacy.person_id, district_of(school), Stage.PRACTICUM, actor)
    _audit(actor, row, "placed")
    return row


def _minutes(start: dt.time, end: dt.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


@transaction.atomic
def hours_log(
    *,
    actor: Any,
    placement: Placement,
    day: dt.date,
    starts_at: dt.time,
    ends_at: dt.time,
    standard: str,
    activity: str,
    today: dt.date | None = None,
) -> HoursEntry:
    """The candidate logs time at the host school. Refused: another person's practicum, a day outside the
    placement or still to come, an end before the start, time overlapping what is already logged that day,
    a practicum already signed off."""
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    if _person_id(actor) != locked.person_id:
        raise ApplicationError("Only the candidate logs their practicum hours.")
    if locked.signed_off_at:
        raise ApplicationError("This practicum is signed off: its hours can no longer change.")
    day_today = today or timezone.localdate()
    if not (locked.starts_on <= day <= locked.ends_on):
        raise ApplicationError(
            f"{day:%b %-d, %Y} is outside the placement ({locked.starts_on:%b %-d, %Y} to {locked.ends_on:%b %-d, %Y})."
        )
    if day > day_today:
        raise ApplicationError("Hours are logged once they are worked: that day is still to come.")
    if ends_at <= starts_at:
        raise ApplicationError("The end time must be after the start time.")
    clash = (
        HoursEntry.objects.filter(placement=locked, day=day, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        raise ApplicationError(
            f"That time overlaps hours already logged on {day:%b %-d}: {clash.starts_at:%H:%M}–{clash.ends_at:%H:%M} "
            f"({clash.activity})."
        )
    row = HoursEntry(
        placement=locked,
        day=day,
        starts_at=starts_at,
        ends_at=ends_at,
        minutes=_minutes(starts_at, ends_at),
        standard=standard,
        activity=activity.strip(),
    )
    _clean(row)
    row.save()
    link = reverse("pipeline:placement", args=[locked.pk])
    transaction.on_commit(
        lambda: notify(
            person=locked.mentor,
            kind=NOTICE_HOURS,
            subject="Practicum hours to sign",
            body=f"{locked.person.display_name} logged hours on {day:%b %-d}.",
            link=link,
            once_key=f"pipeline-hours-{locked.pk}-{day_today.isoformat()}",
        )
    )
    return row


@transaction.atomic
def hours_sign(*, actor: Any, placement: Placement, entry_ids: Iterable[int]) -> int:
    """The mentor principal signs logged hours. Anyone else is refused, whoever they are."""
    if not rules.is_mentor(actor, placement) or _person_id(actor) != placement.mentor_id:
        raise ApplicationError("Only the practicum's mentor principal signs its hours.")
    ids = sorted(set(entry_ids))
    if not ids:
        raise ApplicationError("Choose the hours to sign.")
    rows = HoursEntry.objects.select_for_update().filter(
        placement=placement, pk__in=ids, signed_at__isnull=True
    )
    found = list(rows)
    if len(found) != len(ids):
        raise ApplicationError(
            "Some of those hours are already signed or not in this practicum: nothing was signed."
        )
    now = timezone.now()
    HoursEntry.objects.filter(pk__in=[r.pk for r in found]).update(
        signed_at=now, signed_by_id=placement.mentor_id
    )
    _audit(actor, placement, "hours signed", entries=len(found))
    link = reverse("pipeline:placement", args=[placement.pk])
    transaction.on_commit(
        lambda: notify(
            person=placement.person,
            kind=NOTICE_SIGNED,
            subject="Your practicum hours were signed",
            body=f"{len(found)} entries signed by {placement.mentor.display_name}.",
            link=link,
        )
    )
    return len(found)


def hours_totals(placement: Placement) -> dict[str, int]:
    """Minutes logged and signed, and by standard (one query)."""
    totals = {"logged": 0, "signed": 0, **{code: 0 for code, _ in STANDARDS}}
    for minutes, signed, standard in HoursEntry.objects.filter(placement=placement).values_list(
        "minutes", "signed_at", "standard"
    ):
        totals["logged"] += minutes
        totals[standard] = totals.get(standard, 0) + minutes
        if signed is not None:
            totals["signed"] += minutes
    return totals


@transaction.atomic
def placement_sign_off(*, actor: Any, placement: Placement) -> Placement:
    """The program's supervisor signs off the practicum: every entry signed by the mentor and the program's
    required hours reached."""
    locked = Placement.objects.select_for_update().select_related("candidacy__program").get(pk=placement.pk)
    if not rules.is_program_supervisor(actor, locked) or _person_id(actor) != locked.supervisor_id:
        raise ApplicationError("Only the program's supervisor signs off the practicum.")
    if locked.signed_off_at:
        raise ApplicationError("This practicum is already signed off.")
    totals = hours_totals(locked)
    if totals["signed"] < totals["logged"]:
        raise ApplicationError("Some hours are not signed by the mentor yet.")
    required = locked.candidacy.program.required_hours * 60
    if totals["signed"] < required:
        raise ApplicationError(
            f"{totals['signed'] / 60:.1f} of the {locked.candidacy.program.required_hours} hours the program "
            "requires are signed."
        )
    locked.signed_off_at = timezone.now()
    locked.signed_off_by_id = locked.supervisor_id
    locked.save(update_fields=["signed_off_at", "signed_off_by", "updated_at"])
    _audit(actor, locked, "practicum signed off")
    return locked


@transaction.atomic
def project_save(
    *,
    actor: Any,
    placement: Placement,
    title: str,
    description: str,
    plan_goal_id: int | None,
    status: str,
    results: str = "",
    project: LeadershipProject | None = None,
) -> LeadershipProject:
    if _person_id(actor) not in {placement.person_id, placement.mentor_id}:
        raise ApplicationError("The candidate and their mentor keep the leadership project.")
    if plan_goal_id is not None:
        from edlead.plans.models import Goal

        if not Goal.objects.filter(pk=plan_goal_id, plan__organization_id=placement.organization_id).exists():
            raise ApplicationError("Choose a goal of the host school's improvement plan.")
    row = project or LeadershipProject(placement=placement)
    if row.placement_id != placement.pk:
        raise ApplicationError("That project belongs to another practicum.")
    row.title, row.description, row.plan_goal_id = title.strip(), description.strip(), plan_goal_id
    row.status, row.results = status, results.strip()
    _clean(row)
    row.save()
    return row


# --- applications ---------------------------------------------------------------------------------------
def assess_applicant(posting: Posting, person: Person, *, today: dt.date) -> eligibility.Assessment:
    """The posting's requirements checked for one person (the licensure app's rules, a few queries)."""
    org = posting.organization
    district = eligibility.district_of(org)
    names = eligibility.catalog_names()
    template = eligibility.templates_by_role(district).get(posting.role)
    needs = eligibility.needs_for(
        district=district, role=posting.role, template=template, posting=posting, catalog=names
    )
    ev = eligibility.Evidence.load([person], today=today)[person.pk]
    return eligibility.assess(needs, ev, grades=org.grades, today=today, names=names)


def posting_is_open(posting: Posting, today: dt.date) -> bool:
    return posting.status == Posting.Status.OPEN and (posting.closes_on is None or posting.closes_on >= today)


@transaction.atomic
def application_submit(
    *, actor: Any, posting: Posting, statement: str, today: dt.date | None = None
) -> Application:
    """The signed-in person applies. A closed posting refuses; not meeting the requirements does not (the
    district decides) — the application is flagged with what is missing."""
    pid = _person_id(actor)
    if not pid:
        raise ApplicationError("Only a person on record applies to a posting.")
    day = today or timezone.localdate()
    locked = Posting.objects.select_for_update().select_related("organization").get(pk=posting.pk)
    if not posting_is_open(locked, day):
        when = f" on {locked.closes_on:%b %-d, %Y}" if locked.closes_on and locked.closes_on < day else ""
        raise ApplicationError(f"This posting closed{when}: it takes no more applications.")
    if Application.objects.filter(posting=locked, person_id=pid).exists():
        raise ApplicationError("You have already applied to this posting.")
    person = Person.objects.get(pk=pid)
    assessment = assess_applicant(locked, person, today=day)
    row = Application(
        posting=locked,
        person=person,
        organization=locked.organization,
        statement=statement.strip(),
        eligible=assessment.eligible,
        missing=list(assessment.lacking),
    )
    _clean(row)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise ApplicationError("You have already applied to this posting.") from exc
    ApplicationEvent.objects.create(
        record=row,
        actor=actor,
        actor_label=str(getattr(actor, "email", "")),
        action="submitted",
        to_status=A.SUBMITTED,
    )
    _advance_person(pid, district_of(locked.organization), Stage.APPLYING, actor)
    _audit(actor, row, "applied", posting=locked.pk, eligible=row.eligible)
    link = reverse("pipeline:applicants", args=[locked.pk])
    team = hiring_team(locked)
    transaction.on_commit(
        lambda: notify_many(
            people=team,
            kind=NOTICE_APPLICATION,
            subject=f"New application: {locked.title}",
            body=f"{person.display_name} applied{'' if row.eligible else ' (does not meet every requirement)'}.",
            link=link,
            once_key=f"pipeline-application-{row.pk}",
        )
    )
    return row


def hiring_team(posting: Posting) -> list[Person]:
    """Who manages the district's postings (HR): told of each application. Advisers read them on the page."""
    from edlead.access.models import RoleGrant

    district = eligibility.district_of(posting.organization)
    ids = RoleGrant.objects.filter(
        role=RoleGrant.Role.HR, revoked_at__isnull=True, organization__path__startswith=district.path
    ).values_list("user__person_id", flat=True)
    return list(Person.objects.filter(pk__in=[i for i in ids if i]))


MOVES = {
    "interview": (A.INTERVIEW, (A.SUBMITTED,)),
    "offer": (A.OFFERED, (A.SUBMITTED, A.INTERVIEW)),
    "hire": (A.HIRED, (A.OFFERED,)),
    "decline": (A.NOT_SELECTED, (A.SUBMITTED, A.INTERVIEW, A.OFFERED)),
}


@transaction.atomic
def application_move(*, actor: Any, application: Application, move: str, note: str = "") -> Application:
    """The hiring team moves an application (interview, offer, hire, not selected): those who manage the
    district's postings (HR, administrators)."""
    if move not in MOVES:
        raise ApplicationError("Choose what happens next.")
    if policy.POSTING_MANAGE not in policy.actions_on(actor, application.organization):
        raise ApplicationError("Only those who manage the district's postings move an application on.")
    if _person_id(actor) == application.person_id:
        raise ApplicationError("Nobody decides on their own application.")
    to, allowed = MOVES[move]
    row = editing.transition(
        obj=application,
        action=move,
        to=to,
        allowed_from=allowed,
        actor=actor,
        event_model=ApplicationEvent,
        note=note,
    )
    if to == A.HIRED:
        _advance_person(row.person_id, district_of(row.organization), Stage.PLACED, actor)
    _audit(actor, row, "application moved", to=to)
    person = row.person
    label = A(to).label.lower()
    transaction.on_commit(
        lambda: notify(
            person=person,
            kind=NOTICE_APPLICATION_MOVED,
            subject=f"Your application: {label}",
            body=f"{row.posting.title}: {label}.",
            link=reverse("pipeline:home"),
        )
    )
    return row


@transaction.atomic
def application_withdraw(*, actor: Any, application: Application) -> Application:
    if _person_id(actor) != application.person_id:
        raise ApplicationError("Only the applicant withdraws their application.")
    return editing.transition(
        obj=application,
        action="withdraw",
        to=A.WITHDRAWN,
        allowed_from=Application.OPEN_STATUSES,
        actor=actor,
        event_model=ApplicationEvent,
    )


# --- succession -----------------------------------------------------------------------------------------
@transaction.atomic
def succession_add(
    *, actor: Any, school: Organization, person: Person, readiness: str, note: str = ""
) -> SuccessionCandidate:
    if not policy.can(actor, policy.SUCCESSION_EDIT, school):
        raise ApplicationError(
            "Only the school's principal supervisor or the superintendent names its successors."
        )
    if school.kind != Organization.Kind.SCHOOL:
        raise ApplicationError("Successors are named for a school's principal post.")
    row = SuccessionCandidate.objects.filter(
        organization=school, person=person
    ).first() or SuccessionCandidate(organization=school, person=person)
    row.readiness, row.note, row.added_by_id = readiness, note.strip(), _person_id(actor)
    _clean(row)
    row.save()
    _audit(actor, school, "successor named", person=person.pk, readiness=readiness)
    return row


@transaction.atomic
def succession_remove(*, actor: Any, row: SuccessionCandidate) -> None:
    if not policy.can(actor, policy.SUCCESSION_EDIT, row.organization):
        raise ApplicationError(
            "Only the school's principal supervisor or the superintendent changes its successors."
        )
    school = row.organization
    pid = row.person_id
    row.delete()
    _audit(actor, school, "successor removed", person=pid)


def candidates_filter(district: Organization) -> Q:
    """People of the district's pool (any stage before placed)."""
    return Q(pool_entries__organization=district) & ~Q(pool_entries__stage=Stage.PLACED)
