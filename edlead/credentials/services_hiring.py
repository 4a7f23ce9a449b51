"""The only writer of hiring notes: a note about one candidate for one open posting, written by a principal
supervisor, the superintendent or HR of the district (`posting.advise`), edited only by its author with
the version check. Audited; the candidate never reads it."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from edlead.access import policy
from edlead.core import editing
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.credentials import eligibility
from edlead.credentials.hiring import candidates_visible
from edlead.credentials.models import HiringNote, Posting
from edlead.people.models import Person

AUDIT_VERBS = {"hiring_note_written": "Hiring note written", "hiring_advice_viewed": "Hiring advice viewed"}
MAX_TEXT = 10000


@transaction.atomic
def hiring_note_save(
    *,
    actor: Any,
    posting: Posting,
    candidate: Person,
    text: str,
    expected_version: int | None = None,
) -> HiringNote:
    """Write (or, with the version the form was drawn from, revise) the actor's note about `candidate`."""
    author_id = getattr(actor, "person_id", None)
    if author_id is None or not policy.can(actor, policy.HIRING_ADVICE, posting):
        raise ApplicationError(
            "Hiring notes are written by the district's principal supervisors, superintendent and HR."
        )
    if candidate.pk == author_id:
        raise ApplicationError("You cannot write a hiring note about yourself.")
    if posting.status != Posting.Status.OPEN:
        raise ApplicationError("Notes are written while the posting is open.")
    text = text.strip()
    if not text:
        raise ApplicationError("Note: write the note, or leave it as it was.")
    if len(text) > MAX_TEXT:
        raise ApplicationError(f"Note: at most {MAX_TEXT} characters.")
    result = eligibility.posting_eligibility(posting, visible=candidates_visible(actor))
    if candidate.pk not in {a.person.pk for a in result.eligible}:
        raise ApplicationError(f"{candidate} is not on this posting's slate.")
    existing = HiringNote.objects.filter(posting=posting, candidate=candidate, author_id=author_id).first()
    if existing is None:
        note = HiringNote(
            posting=posting,
            candidate=candidate,
            author_id=author_id,
            organization=eligibility.district_of(posting.organization),
            text=text,
        )
        note.mark_edited(actor)
        note.version = 1
        note.full_clean()
        note.save()
    else:
        if expected_version is None:
            raise ApplicationError("You already have a note about this candidate: edit it.")
        note = editing.save_versioned(
            obj=existing, expected_version=expected_version, changes={"text": text}, actor=actor
        )
    audit_record(
        action="hiring_note_written",
        actor=actor,
        target=posting,
        detail={"candidate": candidate.pk, "version": note.version},
    )
    return note
