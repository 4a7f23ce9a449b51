"""Hiring advice (issue 12, item 8): for an open posting, the slate — exactly the candidates the licensure
eligibility finds eligible among the district's people — each with their record (positions and tenure, licences, the
latest summative rating only where the evaluation rules let the reader see it, completed professional
learning) and the hiring notes about them for this posting (restricted: `posting.advise`, never the
candidate). A fixed number of queries whatever the number of candidates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from edlead.access import policy
from edlead.credentials import eligibility
from edlead.credentials.models import HiringNote, Licence, Posting
from edlead.credentials.services import LICENCE_VIEW
from edlead.people.models import Person, Position


@dataclass
class Candidate:
    person: Person
    assessment: eligibility.Assessment
    positions: list[Position] = field(default_factory=list)
    licences: list[Licence] = field(default_factory=list)
    rating: str | None = None  # the latest signed summative rating, if the reader may see it
    rating_year: str = ""
    rating_hidden: bool = True  # the reader may not see this candidate's evaluations
    learning: list[tuple[str, dt.date | None]] = field(default_factory=list)
    notes: list[HiringNote] = field(default_factory=list)

    def my_note(self, person_id: int | None) -> HiringNote | None:
        return next((n for n in self.notes if n.author_id == person_id), None)


@dataclass
class Slate:
    posting: Posting
    result: eligibility.PostingEligibility
    candidates: list[Candidate]


def candidates_visible(user: Any) -> QuerySet[Person]:
    """The pool the slate is drawn from: the district's people as the reader's directory shows them. Every
    adviser (`posting.advise` is held district-wide) gets the one slate HR and the superintendent see on the
    posting page; what each candidate's record then shows follows its own rule (licences, evaluations,
    learning)."""
    return policy.visible_to(user, Person.objects.all(), policy.PERSON_DIRECTORY)


def notes_visible(user: Any, queryset: QuerySet[HiringNote] | None = None) -> QuerySet[HiringNote]:
    """Hiring notes the user may read: `posting.advise` in the note's district, and never notes about
    themselves (a supervisor who is a candidate reads nothing written about them)."""
    rows = queryset if queryset is not None else HiringNote.objects.all()
    visible = policy.visible_to(user, rows, policy.HIRING_ADVICE)
    person_id = getattr(user, "person_id", None)
    return visible.exclude(candidate_id=person_id) if person_id else visible


def postings_to_advise(user: Any) -> QuerySet[Posting]:
    return policy.visible_to(
        user,
        Posting.objects.filter(status=Posting.Status.OPEN).select_related("organization"),
        policy.HIRING_ADVICE,
    ).order_by("-opens_on", "pk")


def hiring_slate(user: Any, posting: Posting, *, today: dt.date | None = None) -> Slate:
    """The slate and each candidate's record, in a fixed number of queries (eligibility's ~11, then one
    each for positions, licences, ratings, learning and notes)."""
    from edlead.evaluations.models_cycle import Assessment, Cycle
    from edlead.evaluations.services_cycle import CYCLE_VIEW
    from edlead.learning.models import Enrollment
    from edlead.learning.services import LEARNING_RECORD

    day = today or dt.date.today()
    result = eligibility.posting_eligibility(posting, visible=candidates_visible(user), today=day)
    ids = [a.person.pk for a in result.eligible]
    candidates = {a.person.pk: Candidate(a.person, a) for a in result.eligible}
    if ids:
        for pos in (
            Position.objects.filter(person_id__in=ids)
            .select_related("organization")
            .order_by("-starts_on", "-pk")
        ):
            candidates[pos.person_id].positions.append(pos)
        licences = policy.visible_to(
            user,
            Licence.objects.current().filter(person_id__in=ids).select_related("field"),
            LICENCE_VIEW,
        ).order_by("-issued_on", "pk")
        for licence in licences:
            candidates[licence.person_id].licences.append(licence)
        # The evaluations the reader may open (the evaluation rule), and their latest signed summative.
        cycles = policy.visible_to(user, Cycle.objects.filter(educator_id__in=ids), CYCLE_VIEW)
        readable = set(cycles.values_list("educator_id", flat=True).distinct())
        summaries = (
            Assessment.objects.filter(
                cycle__in=cycles.values("pk"),
                stage=Assessment.Stage.SUMMATIVE,
                evaluator_signed_at__isnull=False,
            )
            .exclude(overall="")
            .select_related("cycle")
            .order_by("cycle__educator_id", "-cycle__school_year", "-pk")
        )
        for summary in summaries:
            candidate = candidates[summary.cycle.educator_id]
            if candidate.rating is None:
                candidate.rating = summary.get_overall_display()
                candidate.rating_year = summary.cycle.year_label
        for pid in readable:
            candidates[pid].rating_hidden = False
        learning = policy.visible_to(
            user,
            Enrollment.objects.filter(person_id__in=ids, status=Enrollment.Status.COMPLETED).select_related(
                "session__program"
            ),
            LEARNING_RECORD,
        ).order_by("-completed_on", "-pk")
        for enrollment in learning:
            candidates[enrollment.person_id].learning.append(
                (enrollment.session.program.title, enrollment.completed_on)
            )
        notes = notes_visible(
            user, HiringNote.objects.filter(posting=posting, candidate_id__in=ids).select_related("author")
        ).order_by("created_at", "pk")
        for note in notes:
            candidates[note.candidate_id].notes.append(note)
    return Slate(posting, result, [candidates[pid] for pid in ids])


def slate_rows(slate: Slate) -> list[list[Any]]:
    """The slate as export rows (CSV): one line per candidate."""
    rows = []
    for c in slate.candidates:
        current = [p for p in c.positions if p.is_current()]
        rows.append(
            [
                c.person.display_name,
                "; ".join(f"{p.get_role_display()}, {p.organization.name}" for p in current),
                "; ".join(
                    f"{p.get_role_display()}, {p.organization.name} ({p.tenure_text})" for p in c.positions
                ),
                "; ".join(f"{lic.field} {lic.get_stage_display()}" for lic in c.licences),
                "(not shown)"
                if c.rating_hidden
                else (f"{c.rating} ({c.rating_year})" if c.rating else "none"),
                "; ".join(f"{title} ({day:%b %Y})" if day else title for title, day in c.learning),
                "; ".join(c.assessment.preferred_met),
                " | ".join(f"{n.author.display_name}: {n.text}" for n in c.notes),
            ]
        )
    return rows


EXPORT_HEADER = [
    "Candidate",
    "Current positions",
    "Positions and tenure",
    "Licences",
    "Latest summative rating",
    "Professional learning completed",
    "Preferred qualifications met",
    "Hiring notes",
]
