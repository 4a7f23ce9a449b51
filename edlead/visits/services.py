"""Writers of visits: record one, edit it until its feedback is released, release the feedback (the
educator is notified). Keyword-only, actor first, one transaction, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from edlead.access import policy
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.evaluations.models import Cycle, Indicator
from edlead.orgs.models import Organization
from edlead.people.models import Person
from edlead.visits.models import Visit

VISIT_VIEW = "visits.visit.view"
NOTICE_FEEDBACK = "visits.feedback"
VISIT_RECORDED = "visit_recorded"
VISIT_FEEDBACK_RELEASED = "visit_feedback_released"
AUDIT_VERBS = {VISIT_RECORDED: "Visit recorded", VISIT_FEEDBACK_RELEASED: "Visit feedback released"}

# An evaluative visit is evidence: it is recorded while the cycle takes evidence.
EVIDENCE_STEPS = (
    Cycle.Step.SELF_ASSESSMENT,
    Cycle.Step.GOALS_PLAN,
    Cycle.Step.IMPLEMENTATION,
    Cycle.Step.FORMATIVE,
    Cycle.Step.SUMMATIVE,
)
EDITABLE = ("announced", "date", "length_minutes", "notes", "feedback", "evaluative")


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
) -> Visit:
    """Record a visit made by the actor. With a cycle (its educator is the educator visited) the actor
    must be its evaluator; `evaluative` makes it evidence of that cycle. Without a cycle, the actor must
    be allowed the educator's restricted record (evaluator, supervision chain, HR) or, for a visit to
    the school alone, the school."""
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
    if date > timezone.localdate():
        raise ApplicationError("A visit is recorded once it has happened: the date is in the future.")
    indicators = list(focus_indicators)
    if cycle is not None and any(i.standard.framework_id != cycle.framework_id for i in indicators):
        raise ApplicationError("Focus on indicators of the evaluation's rubric.")
    visit = Visit(
        organization=organization,
        visitor=visitor,
        educator=educator,
        cycle=cycle,
        announced=announced,
        date=date,
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
    if changes.get("evaluative") and current.cycle_id is None:
        raise ApplicationError("An evaluative visit belongs to an evaluation cycle.")
    clean = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}
    return editing.save_versioned(obj=current, expected_version=expected_version, changes=clean, actor=actor)


@transaction.atomic
def visit_release_feedback(*, actor: Any, visit: Visit, expected_version: int | None = None) -> Visit:
    """Release the feedback (and notes) to the educator, time-stamped; the educator is notified. An
    evaluative visit then counts as evidence of the cycle (category 2)."""
    current = editing.lock(visit)
    if current.visitor_id != getattr(actor, "person_id", None):
        raise ApplicationError("Only the visitor releases a visit's feedback.")
    if current.released:
        raise ApplicationError("The feedback was already released.")
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
            link=current.cycle.get_absolute_url() if current.cycle is not None else "/inbox/",
            once_key=f"visit-feedback:{current.pk}",
        )
    return current
