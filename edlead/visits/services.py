"""Writers of visits: schedule or record one, edit it until its feedback is released (notes, look-fors,
evidence tagged to plan goals — and to evaluation indicators only when the visit is evaluative), next
steps, cancel a visit still to come, release the feedback (the educator is notified), and a user's private
calendar address. Keyword-only, actor first, one transaction, audited."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from edlead import config
from edlead.access import policy
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.evaluations.models import Cycle, Indicator
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position
from edlead.visits.models import CalendarFeed, NextStep, Visit

VISIT_VIEW = "visits.visit.view"
NOTICE_FEEDBACK = "visits.feedback"
NOTICE_SCHEDULED = "visits.scheduled"
VISIT_RECORDED = "visit_recorded"
VISIT_FEEDBACK_RELEASED = "visit_feedback_released"
VISIT_CHANGED = "visit_changed"
AUDIT_VERBS = {
    VISIT_RECORDED: "Visit recorded",
    VISIT_FEEDBACK_RELEASED: "Visit feedback released",
    VISIT_CHANGED: "Visit changed",
}
LOOK_FORS = "visits.look_fors"
TARGET = "visits.target_per_school"
ALERT_DAYS = "visits.alert_days"
DEFAULT_LOOK_FORS = [
    "Learning target posted, stated in student-friendly words and referred to",
    "Students do the cognitive work: they explain, question and justify",
    "Teacher checks for understanding and adjusts",
    "Academic talk between students, with evidence",
    "Multilingual learners and students with disabilities supported to reach the same target",
    "Safe, orderly and welcoming learning environment",
]


def declare_settings() -> None:
    section = "School visits"
    config.register(
        LOOK_FORS,
        "Look-for protocol",
        config.LIST,
        DEFAULT_LOOK_FORS,
        "What visitors look for in classrooms, one per line: each visit records whether it was evident.",
        section=section,
    )
    config.register(
        TARGET,
        "Supervision visits per school each school year",
        config.INT,
        12,
        "The number of visits a principal supervisor aims to make to each school in a school year.",
        section=section,
        minimum=0,
        maximum=200,
    )
    config.register(
        ALERT_DAYS,
        "Days without a visit before a school is flagged",
        config.INT,
        30,
        "A school not visited for this many days is flagged on the supervisor's coverage page.",
        section=section,
        minimum=1,
        maximum=365,
    )


# An evaluative visit is evidence: it is recorded while the cycle takes evidence.
EVIDENCE_STEPS = (
    Cycle.Step.SELF_ASSESSMENT,
    Cycle.Step.GOALS_PLAN,
    Cycle.Step.IMPLEMENTATION,
    Cycle.Step.FORMATIVE,
    Cycle.Step.SUMMATIVE,
)
EDITABLE = (
    "announced",
    "date",
    "start_time",
    "length_minutes",
    "purpose",
    "notes",
    "feedback",
    "evaluative",
    "look_fors",
)


def _visitor(actor: Any) -> Person:
    person = getattr(actor, "person", None)
    if person is None:
        raise ApplicationError("Your account is not linked to a person record, so you cannot record visits.")
    return person


def _check_cycle(visitor: Person, cycle: Cycle, educator: Person | None) -> None:
    if cycle.evaluator_id != visitor.pk:
        raise ApplicationError("Only the evaluator of this evaluation records visits that belong to it.")
    if educator is not None and educator.pk != cycle.educator_id:
        raise ApplicationError("The visit's educator is not the educator of that evaluation.")
    if cycle.step not in EVIDENCE_STEPS:
        raise ApplicationError("This evaluation is signed and locked: no more visits can be added to it.")


@transaction.atomic
def visit_record(
    *,
    actor: Any,
    organization: Organization,
    date: dt.date,
    length_minutes: int,
    educator: Person | None = None,
    cycle: Cycle | None = None,
    announced: bool = True,
    evaluative: bool = False,
    focus_indicators: Iterable[Indicator] = (),
    notes: str = "",
    feedback: str = "",
    purpose: str = Visit.Purpose.OBSERVATION,
    start_time: dt.time | None = None,
) -> Visit:
    """Schedule (a date still to come) or record a visit made by the actor. With a cycle (its educator is
    the educator visited) the actor must be its evaluator; `evaluative` makes it evidence of that cycle.
    Without a cycle, the actor must be allowed the educator's restricted record (evaluator, supervision
    chain, HR) or, for a visit to the school alone, the school. The educator is told of an announced
    visit scheduled ahead."""
    visitor = _visitor(actor)
    if cycle is not None:
        educator = educator or cycle.educator
        _check_cycle(visitor, cycle, educator)
        if organization.pk != cycle.organization_id and not organization.path.startswith(
            cycle.organization.path
        ):
            raise ApplicationError("The visit is to the educator's school in that evaluation.")
    elif evaluative:
        raise ApplicationError("An evaluative visit belongs to an evaluation cycle: choose it.")
    elif educator is not None:
        if not policy.can(actor, policy.PERSON_RESTRICTED, educator):
            raise ApplicationError(f"You may not record visits to {educator.display_name}.")
    elif not policy.can(actor, policy.ORG_VIEW, organization):
        raise ApplicationError(f"You may not record visits to {organization.name}.")
    today = timezone.localdate()
    if date > today + dt.timedelta(days=366):
        raise ApplicationError("A visit is scheduled at most a year ahead.")
    if date > today and (notes.strip() or feedback.strip()):
        raise ApplicationError("A visit still to come has no notes or feedback yet.")
    if purpose not in Visit.Purpose.values:
        raise ApplicationError("Choose the visit's purpose.")
    indicators = list(focus_indicators)
    if indicators and not evaluative:
        raise ApplicationError(
            "Evidence is tagged to evaluation indicators only when the visit is evaluative."
        )
    if cycle is not None and any(i.standard.framework_id != cycle.framework_id for i in indicators):
        raise ApplicationError("Focus on indicators of the evaluation's rubric.")
    visit = Visit(
        organization=organization,
        visitor=visitor,
        educator=educator,
        cycle=cycle,
        announced=announced,
        purpose=purpose,
        date=date,
        start_time=start_time,
        length_minutes=length_minutes,
        notes=notes.strip(),
        feedback=feedback.strip(),
        evaluative=evaluative,
        version=0,
    )
    visit.mark_edited(actor)
    visit.full_clean()
    visit.save()
    visit.focus_indicators.set(indicators)
    audit_record(
        action=VISIT_RECORDED,
        actor=actor,
        target=visit,
        detail={"visit": visit.pk, "cycle": cycle.pk if cycle else None, "evaluative": evaluative},
    )
    if date > today and announced and educator is not None:
        from edlead.notices.services import notify

        notify(
            person=educator,
            kind=NOTICE_SCHEDULED,
            subject=f"Visit scheduled: {visit.get_purpose_display()}, {date:%d %B %Y}",
            body=f"{visitor.display_name} will visit {organization.name} on {date:%A %d %B %Y}"
            + (f" at {start_time:%H:%M}" if start_time else "")
            + ".",
            link=visit.get_absolute_url(),
            once_key=f"visit-scheduled:{visit.pk}",
        )
    return visit


@transaction.atomic
def visit_update(*, actor: Any, visit: Visit, expected_version: int, **changes: Any) -> Visit:
    """The visitor edits the visit (notes, feedback, date…) until its feedback is released."""
    current = editing.lock(visit)
    if current.visitor_id != getattr(actor, "person_id", None):
        raise ApplicationError("Only the visitor edits a visit.")
    if current.released:
        raise ApplicationError("The feedback is released: the visit can no longer change.")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ApplicationError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    if current.cancelled:
        raise ApplicationError("The visit was cancelled.")
    if changes.get("evaluative") and current.cycle_id is None:
        raise ApplicationError("An evaluative visit belongs to an evaluation cycle.")
    if changes.get("evaluative") is False and current.focus_indicators.exists():
        raise ApplicationError("Remove the evaluation indicators first: only an evaluative visit has them.")
    if "purpose" in changes and changes["purpose"] not in Visit.Purpose.values:
        raise ApplicationError("Choose the visit's purpose.")
    if "look_fors" in changes:
        changes["look_fors"] = _look_fors(current, changes["look_fors"])
    clean: dict[str, Any] = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}
    date: dt.date = clean["date"] if "date" in changes else current.date
    if date > timezone.localdate() and (
        clean.get("notes", current.notes) or clean.get("feedback", current.feedback)
    ):
        raise ApplicationError(
            "Notes and feedback are written once the visit has happened: its date is still to come."
        )
    return editing.save_versioned(obj=current, expected_version=expected_version, changes=clean, actor=actor)


def _look_fors(visit: Visit, given: Any) -> dict[str, str]:
    """Look-fors of the district's protocol only, each with a known level; an empty level drops it."""
    if not isinstance(given, dict):
        raise ApplicationError("Look-fors: expected each look-for with its level.")
    protocol = set(config.setting(visit.organization, LOOK_FORS)) | set(visit.look_fors)
    out: dict[str, str] = {}
    for text, level in given.items():
        if text not in protocol:
            raise ApplicationError(f"Look-fors: “{str(text)[:80]}” is not in the district's protocol.")
        if level in ("", None):
            continue
        if level not in Visit.LookFor.values:
            raise ApplicationError(f"Look-fors: “{level}” is not a level (evident, partly, not evident).")
        out[str(text)] = str(level)
    return out


def _own_open(actor: Any, visit: Visit) -> Visit:
    """The visit locked, for a change by its visitor while it is still open."""
    current = editing.lock(visit)
    if current.visitor_id != getattr(actor, "person_id", None):
        raise ApplicationError("Only the visitor changes a visit.")
    if current.released:
        raise ApplicationError("The feedback is released: the visit can no longer change.")
    if current.cancelled:
        raise ApplicationError("The visit was cancelled.")
    return current


@transaction.atomic
def visit_tags_set(
    *, actor: Any, visit: Visit, plan_goals: Iterable[Any] = (), indicators: Iterable[Indicator] = ()
) -> Visit:
    """Tag the visit's evidence to goals of the school's plans and, only when the visit is evaluative, to
    indicators of the evaluation's rubric. Replaces the tags. Tags and next steps are parts of their own:
    they leave the visit's version (which guards the notes being typed) as it is."""
    current = _own_open(actor, visit)
    goals = list(plan_goals)
    for goal in goals:
        plan = goal.plan
        if plan.is_template or plan.organization_id != current.organization_id:
            raise ApplicationError(f"“{goal.statement[:60]}” is not a goal of this school's plan.")
    chosen = list(indicators)
    if chosen and not current.evaluative:
        raise ApplicationError(
            "Evidence is tagged to evaluation indicators only when the visit is evaluative."
        )
    if (
        chosen
        and current.cycle is not None
        and any(i.standard.framework_id != current.cycle.framework_id for i in chosen)
    ):
        raise ApplicationError("Tag indicators of the evaluation's rubric.")
    current.plan_goals.set(goals)
    current.focus_indicators.set(chosen)
    audit_record(
        action=VISIT_CHANGED,
        actor=actor,
        target=current,
        detail={"visit": current.pk, "goals": [g.pk for g in goals], "indicators": [i.pk for i in chosen]},
    )
    return current


@transaction.atomic
def visit_cancel(*, actor: Any, visit: Visit) -> Visit:
    """Cancel a visit still to come (it stays on record, marked cancelled, and leaves the calendar)."""
    current = _own_open(actor, visit)
    if current.date < timezone.localdate():
        raise ApplicationError("Only a visit still to come can be cancelled.")
    current.cancelled_at = timezone.now()
    current.mark_edited(actor)
    current.save()
    audit_record(
        action=VISIT_CHANGED, actor=actor, target=current, detail={"visit": current.pk, "step": "cancel"}
    )
    return current


def _step_owner_ok(visit: Visit, owner: Person) -> None:
    """A next step's owner: the visitor, the educator visited, or someone working at the school or in
    its district's offices."""
    if owner.pk in (visit.visitor_id, visit.educator_id):
        return
    from edlead.plans.checks import school_people_q

    if (
        not Position.objects.current(timezone.localdate())
        .filter(person=owner)
        .filter(school_people_q(visit.organization))
        .exists()
    ):
        raise ApplicationError(
            f"Next step owner: {owner.display_name} does not work at the school or its district's offices."
        )


@transaction.atomic
def next_step_add(*, actor: Any, visit: Visit, description: str, owner: Person, due_on: dt.date) -> NextStep:
    """Add a next step (what, who, by when) to a visit of the actor's that is still open."""
    current = _own_open(actor, visit)
    text = (description or "").strip()
    if not text:
        raise ApplicationError("Next step: say what is to be done.")
    if len(text) > 500:
        raise ApplicationError("Next step: at most 500 characters.")
    if due_on < current.date:
        raise ApplicationError("Next step: the due date is before the visit.")
    if due_on > current.date + dt.timedelta(days=366):
        raise ApplicationError("Next step: the due date is more than a year after the visit.")
    _step_owner_ok(current, owner)
    step = NextStep.objects.create(visit=current, description=text, owner=owner, due_on=due_on)
    audit_record(
        action=VISIT_CHANGED, actor=actor, target=current, detail={"visit": current.pk, "next_step": step.pk}
    )
    return step


@transaction.atomic
def next_step_remove(*, actor: Any, step: NextStep) -> None:
    current = _own_open(actor, step.visit)
    audit_record(
        action=VISIT_CHANGED,
        actor=actor,
        target=current,
        detail={"visit": current.pk, "removed_step": step.pk},
    )
    step.delete()


@transaction.atomic
def next_step_done(*, actor: Any, step: NextStep, done: bool = True) -> NextStep:
    """The step's owner or the visitor marks it done (or not done again), also after the release."""
    pid = getattr(actor, "person_id", None)
    locked = NextStep.objects.select_for_update().select_related("visit").get(pk=step.pk)
    if pid not in (locked.owner_id, locked.visit.visitor_id):
        raise ApplicationError("Only the step's owner or the visitor marks it done.")
    locked.done_on = timezone.localdate() if done else None
    locked.save(update_fields=["done_on", "updated_at"])
    audit_record(
        action=VISIT_CHANGED,
        actor=actor,
        target=locked.visit,
        detail={"visit": locked.visit_id, "step_done": locked.pk, "done": done},
    )
    return locked


@transaction.atomic
def calendar_feed_reset(*, actor: Any) -> CalendarFeed:
    """Give the user a new private calendar address (the old one stops working)."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        user=actor, defaults={"token": secrets.token_urlsafe(32)}
    )
    if not created:
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token", "updated_at"])
    audit_record(action=VISIT_CHANGED, actor=actor, target=feed, detail={"calendar": "new address"})
    return feed


@transaction.atomic
def visit_release_feedback(*, actor: Any, visit: Visit, expected_version: int | None = None) -> Visit:
    """Release the feedback (and notes) to the educator, time-stamped; the educator is notified. An
    evaluative visit then counts as evidence of the cycle (category 2)."""
    current = editing.lock(visit)
    if current.visitor_id != getattr(actor, "person_id", None):
        raise ApplicationError("Only the visitor releases a visit's feedback.")
    if current.released:
        raise ApplicationError("The feedback was already released.")
    if current.cancelled:
        raise ApplicationError("The visit was cancelled.")
    if current.date > timezone.localdate():
        raise ApplicationError("The visit has not happened yet: feedback is released after it.")
    if not current.feedback.strip():
        raise ApplicationError("Write the feedback before releasing it.")
    if expected_version is not None and current.version != expected_version:
        raise editing.conflict_with(current, saved={"feedback": current.feedback}, submitted={})
    current.feedback_released_at = timezone.now()
    current.mark_edited(actor)
    current.full_clean()
    current.save()
    audit_record(action=VISIT_FEEDBACK_RELEASED, actor=actor, target=current, detail={"visit": current.pk})
    if current.educator is not None:
        from edlead.notices.services import notify

        notify(
            person=current.educator,
            kind=NOTICE_FEEDBACK,
            subject=f"Feedback from your visit on {current.date:%d %B %Y}",
            body=f"{current.visitor.display_name} released the feedback from the visit.",
            link=current.get_absolute_url(),
            once_key=f"visit-feedback:{current.pk}",
        )
    return current
