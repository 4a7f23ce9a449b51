"""Writers of anonymous staff surveys about a leader: create a survey, send single-use links by e-mail,
make a staff-meeting code, open it, take an anonymous response, close it. An evaluation's survey
attaches its aggregate to the cycle as category-3 evidence when it closes; other purposes (the learning
app's colleague ratings) register who may read, run and close theirs (`purpose_register`) and use the
same links, codes, answer pages and suppression.

Anonymity rules every function here keeps (and `tests/test_feedback.py` pins):
- plain tokens and codes exist only in memory and in what is sent or shown once; the database holds a
  keyed hash (`_digest`), audit events hold neither;
- e-mail addresses are used to send and then forgotten: not stored, not audited, not logged;
- a response is stored with no reference to the invitation or code that let it in, with the date only,
  and submitting one writes **no audit event** — an audit event records the time, the client address
  and the page, which together would point at the person;
- results are shown only for a closed survey and only when at least `EDLEAD_SUPPRESS_MIN_STAFF` people
  answered (figures while it is open would let a reader subtract one answer from the next).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.evaluations import services_cycle as sc
from edlead.evaluations.models import Cycle, Evidence, Indicator
from edlead.evaluations.models_feedback import (
    CODE_CREATED,
    INVITATIONS_SENT,
    SURVEY_CLOSED,
    SURVEY_CREATED,
    SURVEY_OPENED,
    FeedbackCode,
    FeedbackInvitation,
    FeedbackResponse,
    FeedbackSurvey,
)

Status = FeedbackSurvey.Status


LIKERT = (
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Neither agree nor disagree"),
    (4, "Agree"),
    (5, "Strongly agree"),
)
NOT_APPLICABLE = "na"
COMMENT_KEY = "comment"
# The default items, each tied to an indicator of the school-level administrator rubric (DOMAIN.md §3).
DEFAULT_QUESTIONS: tuple[dict[str, str], ...] = (
    {"key": "q1", "indicator": "I-B", "text": "The principal helps teachers improve their instruction."},
    {
        "key": "q2",
        "indicator": "I-D",
        "text": "Feedback I get from the principal on my work is timely and useful.",
    },
    {
        "key": "q3",
        "indicator": "I-E",
        "text": "The principal uses data on student learning to guide the school's decisions.",
    },
    {
        "key": "q4",
        "indicator": "II-A",
        "text": "The school is a safe and orderly place for students and staff.",
    },
    {"key": "q5", "indicator": "II-C", "text": "The schedule gives staff time to plan and work together."},
    {"key": "q6", "indicator": "III-C", "text": "The principal communicates well with families."},
    {
        "key": "q7",
        "indicator": "IV-B",
        "text": "Every student and adult is treated with respect in this school.",
    },
    {"key": "q8", "indicator": "IV-C", "text": "The principal communicates clearly and listens to staff."},
    {
        "key": "q9",
        "indicator": "IV-E",
        "text": "Staff share a vision for the school that the principal leads.",
    },
    {
        "key": "q10",
        "indicator": "IV-F",
        "text": "The principal handles disagreement and conflict constructively.",
    },
)
COMMENT_PROMPT = "Anything else you would like the principal's evaluator to know? (optional)"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a meeting
MAX_COMMENT = 2000
MAX_ADDRESSES = 500


def min_staff() -> int:
    """The staff suppression threshold (`EDLEAD_SUPPRESS_MIN_STAFF`, 6 by default)."""
    return int(getattr(settings, "EDLEAD_SUPPRESS_MIN_STAFF", 6))


def _digest(secret: str) -> str:
    """A keyed hash of a token or a normalized code: what the database keeps instead of the secret."""
    return salted_hmac("edlead.evaluations.feedback", secret, algorithm="sha256").hexdigest()


def normalize_code(code: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", code.upper())


# --- purposes -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Purpose:
    """What one kind of survey may do: who reads it (its page and results), who runs it (links, codes,
    opening) and who closes it, the answer scale, the words its pages and e-mails use, and what closing
    does besides (returns the evidence it attached, if any)."""

    key: str
    scale: tuple[tuple[int, str], ...]
    may_read: Callable[[Any, FeedbackSurvey], bool]
    may_manage: Callable[[Any, FeedbackSurvey], bool]
    may_close: Callable[[Any, FeedbackSurvey], bool]
    place: Callable[[FeedbackSurvey], str]
    back: Callable[[FeedbackSurvey], tuple[str, str]]  # (label, address) of the page it belongs to
    invited_for: str  # "for their evaluation"
    helps: str  # who the answers help, on the answer page
    scale_words: str
    comment_prompt: str
    closing_words: str
    on_close: Callable[[Any, FeedbackSurvey, Any], Evidence | None] | None = None


PURPOSES: dict[str, Purpose] = {}


def purpose_register(purpose: Purpose) -> None:
    PURPOSES[purpose.key] = purpose


def purpose_of(survey: FeedbackSurvey) -> Purpose:
    return PURPOSES[survey.purpose]


def may_read(user: Any, survey: FeedbackSurvey) -> bool:
    return purpose_of(survey).may_read(user, survey)


def may_manage_survey(user: Any, survey: FeedbackSurvey) -> bool:
    return purpose_of(survey).may_manage(user, survey)


def may_close(user: Any, survey: FeedbackSurvey) -> bool:
    return purpose_of(survey).may_close(user, survey)


# --- who (evaluation surveys) ------------------------------------------------------------------------------
def may_manage(user: Any, cycle: Cycle) -> bool:
    """The administrator's evaluator, or HR / the district administrator of their district."""
    person_id = getattr(user, "person_id", None)
    if person_id is not None and cycle.evaluator_id is not None and person_id == cycle.evaluator_id:
        return True
    return policy.can(user, sc.CYCLE_MANAGE, cycle)


def _cycle(survey: FeedbackSurvey) -> Cycle:
    """An evaluation survey's cycle (the database holds every evaluation survey to one)."""
    if survey.cycle is None:
        raise ApplicationError("This survey belongs to no evaluation.")
    return survey.cycle


def _is_evaluator(user: Any, survey: FeedbackSurvey) -> bool:
    person_id = getattr(user, "person_id", None)
    return person_id is not None and person_id == _cycle(survey).evaluator_id


def _require_manager(actor: Any, survey: FeedbackSurvey, what: str) -> None:
    if not may_manage_survey(actor, survey):
        who = "the evaluator or HR" if survey.purpose == FeedbackSurvey.Purpose.EVALUATION else "who asked"
        raise ApplicationError(f"Only {who} can {what}.")


def _audit(survey: FeedbackSurvey, verb: str, actor: Any, **detail: Any) -> None:
    # About the cycle (so the event is scoped to the school and listed for the educator), or for a 360
    # about the leader; never a token, a code, an address or anything about a respondent.
    target = survey.cycle if survey.cycle_id else survey.subject
    audit_record(action=verb, actor=actor, target=target, detail={"survey": survey.pk, **detail})


def _lock(survey: FeedbackSurvey) -> FeedbackSurvey:
    return (
        FeedbackSurvey.objects.select_for_update(of=("self",))
        .select_related("cycle", "cycle__educator", "cycle__organization", "cycle__framework", "subject")
        .get(pk=survey.pk)
    )


def survey_start(
    *,
    actor: Any,
    purpose: str,
    subject: Any,
    questions: list[dict[str, str]],
    opens_on: dt.date,
    closes_on: dt.date,
    title: str,
    cycle: Cycle | None = None,
) -> FeedbackSurvey:
    """A draft survey (the caller has checked that `actor` may ask it)."""
    survey = FeedbackSurvey(
        purpose=purpose,
        cycle=cycle,
        subject=subject,
        title=title,
        questions=questions,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    survey.full_clean()
    survey.save()
    _audit(survey, SURVEY_CREATED, actor)
    return survey


# --- the evaluator's steps ------------------------------------------------------------------------------
@transaction.atomic
def survey_create(
    *, actor: Any, cycle: Cycle, opens_on: dt.date, closes_on: dt.date, title: str = ""
) -> FeedbackSurvey:
    """A draft survey with the default questions, for an administrator's cycle still taking evidence."""
    if not may_manage(actor, cycle):
        raise ApplicationError("Only the evaluator or HR can create a staff feedback survey.")
    if not sc.is_administrator_cycle(cycle):
        raise ApplicationError("Staff feedback surveys are for administrators' evaluations.")
    if cycle.step not in sc.EVIDENCE_STEPS:
        raise ApplicationError("This evaluation no longer takes evidence: a survey could not be attached.")
    return survey_start(
        actor=actor,
        purpose=FeedbackSurvey.Purpose.EVALUATION,
        cycle=cycle,
        subject=cycle.educator,
        title=title.strip() or f"Staff feedback on {cycle.educator.display_name} ({cycle.year_label})",
        questions=[dict(q) for q in DEFAULT_QUESTIONS],
        opens_on=opens_on,
        closes_on=closes_on,
    )


@transaction.atomic
def survey_open(*, actor: Any, survey: FeedbackSurvey) -> FeedbackSurvey:
    current = _lock(survey)
    _require_manager(actor, current, "open the survey")
    if current.status != Status.DRAFT:
        raise ApplicationError(f"This survey is {current.get_status_display().lower()}: only a draft opens.")
    current.status = Status.OPEN
    current.save(update_fields=["status", "updated_at"])
    _audit(current, SURVEY_OPENED, actor)
    return current


def parse_addresses(text: str) -> list[str]:
    """The addresses in pasted text (commas, semicolons, spaces or lines), each once, or a plain refusal
    naming the ones that are not addresses."""
    found: dict[str, str] = {}
    wrong: list[str] = []
    for part in re.split(r"[\s,;]+", text):
        part = part.strip().strip("<>")
        if not part:
            continue
        try:
            validate_email(part)
        except ValidationError:
            wrong.append(part)
            continue
        found.setdefault(part.lower(), part)
    if wrong:
        raise ApplicationError("These are not e-mail addresses: " + ", ".join(wrong[:10]) + ".")
    if not found:
        raise ApplicationError("Paste at least one e-mail address.")
    if len(found) > MAX_ADDRESSES:
        raise ApplicationError(f"Send at most {MAX_ADDRESSES} invitations at a time.")
    return list(found.values())


def answer_url() -> str:
    return settings.EDLEAD_SITE_URL.rstrip("/") + reverse("staff_feedback:answer")


@transaction.atomic
def survey_invite(*, actor: Any, survey: FeedbackSurvey, addresses: str | Iterable[str]) -> int:
    """E-mail one single-use link to each address; returns how many were sent. The addresses are used
    to send and then forgotten; each invitation keeps only its token's hash, created in a random order
    so the rows' order says nothing about the list's."""
    current = _lock(survey)
    _require_manager(actor, current, "send invitations")
    if current.status == Status.CLOSED:
        raise ApplicationError("This survey is closed.")
    to = parse_addresses(addresses if isinstance(addresses, str) else "\n".join(addresses))
    secrets.SystemRandom().shuffle(to)
    url = answer_url()
    purpose = purpose_of(current)
    place = purpose.place(current)
    messages = []
    for address in to:
        token = secrets.token_urlsafe(24)
        FeedbackInvitation.objects.create(survey=current, token_hash=_digest(token))
        # The token travels after '#': browsers never send a fragment to the server, so it appears in
        # no request line, server log or audit event (see views_feedback.answer).
        body = (
            f"You are invited to give anonymous feedback on {current.subject.display_name}"
            f"{', ' + place if place else ''}, {purpose.invited_for}.\n\n"
            f"Open this link (it works once):\n{url}#k={token}\n\n"
            f"If the link does not open the survey, go to {url} and enter this key:\n{token}\n\n"
            f"The survey is open until {current.closes_on:%B %-d, %Y}. Your answers are not linked to "
            "you or to this e-mail: they are shown only as totals, and only when at least "
            f"{min_staff()} people have answered."
        )
        messages.append(EmailMessage(subject=current.title, body=body, to=[address]))
    # Sent inside the transaction: if sending fails, the invitations roll back (links already sent
    # then show "not valid" rather than working without a row).
    get_connection().send_messages(messages)
    current.invitations_sent = F("invitations_sent") + len(to)
    current.save(update_fields=["invitations_sent", "updated_at"])
    current.refresh_from_db(fields=["invitations_sent"])
    _audit(current, INVITATIONS_SENT, actor, count=len(to))
    return len(to)


@transaction.atomic
def code_create(*, actor: Any, survey: FeedbackSurvey, max_uses: int) -> str:
    """A code for a staff meeting, good for `max_uses` answers; returned once to be shown, never stored."""
    current = _lock(survey)
    _require_manager(actor, current, "create a meeting code")
    if current.status == Status.CLOSED:
        raise ApplicationError("This survey is closed.")
    if not 1 <= max_uses <= 1000:
        raise ApplicationError("A code is good for 1 to 1000 answers.")
    while True:
        plain = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        if not FeedbackCode.objects.filter(code_hash=_digest(plain)).exists():
            break
    FeedbackCode.objects.create(survey=current, code_hash=_digest(plain), max_uses=max_uses)
    _audit(current, CODE_CREATED, actor, max_uses=max_uses)
    return f"{plain[:4]}-{plain[4:]}"


@transaction.atomic
def survey_close(*, actor: Any, survey: FeedbackSurvey) -> FeedbackSurvey:
    """Close the survey; what else closing does is the purpose's (an evaluation's survey is attached to
    the cycle's evidence)."""
    from edlead.evaluations.selectors_feedback import survey_results

    current = _lock(survey)
    purpose = purpose_of(current)
    if not purpose.may_close(actor, current):
        if current.purpose == FeedbackSurvey.Purpose.EVALUATION:
            raise ApplicationError("Only the evaluator closes the survey: closing adds it to the evidence.")
        raise ApplicationError("Only who asked for these ratings closes the survey.")
    if current.status == Status.CLOSED:
        raise ApplicationError("This survey is already closed.")
    results = survey_results(current, closed=True)
    current.evidence = purpose.on_close(actor, current, results) if purpose.on_close else None
    current.status = Status.CLOSED
    current.closed_responses = results.n
    current.save(update_fields=["status", "evidence", "closed_responses", "updated_at"])
    _audit(current, SURVEY_CLOSED, actor, shown=results.shown)
    return current


def _attach_to_evaluation(actor: Any, survey: FeedbackSurvey, results: Any) -> Evidence:
    """Category-3 evidence, added by the evaluator (evidence is the educator's and evaluator's to add):
    the aggregate, marked as staff feedback, when at least the threshold answered; otherwise a note that
    too few answered, not marked as staff feedback (no feedback is shown, so it cannot count as such)."""
    from edlead.evaluations.selectors_feedback import aggregate_text

    cycle = _cycle(survey)
    codes = {q["indicator"] for q in survey.questions if q.get("indicator")}
    indicators = list(
        Indicator.objects.filter(standard__framework_id=cycle.framework_id, code__in=codes).select_related(
            "standard"
        )
    )
    if results.shown:
        return sc.evidence_add(
            actor=actor,
            cycle=cycle,
            kind=Evidence.Kind.NOTE,
            title=f"Staff feedback: {survey.title}"[:200],
            category=Evidence.Category.OTHER,
            indicators=indicators,
            text=aggregate_text(survey, results),
            staff_feedback=True,
        )
    return sc.evidence_add(
        actor=actor,
        cycle=cycle,
        kind=Evidence.Kind.NOTE,
        title=f"Staff feedback (too few responses): {survey.title}"[:200],
        category=Evidence.Category.OTHER,
        text=(
            f"The staff feedback survey closed with fewer than {results.threshold} responses. "
            "To protect the staff who answered, no results are shown, and this survey does not count "
            "as staff feedback evidence."
        ),
        staff_feedback=False,
    )


purpose_register(
    Purpose(
        key=FeedbackSurvey.Purpose.EVALUATION,
        scale=LIKERT,
        # The pages read an evaluation survey through the cycle's own rule (views_feedback._survey).
        may_read=lambda user, survey: policy.can(user, sc.CYCLE_VIEW, survey.cycle),
        may_manage=lambda user, survey: may_manage(user, _cycle(survey)),
        may_close=_is_evaluator,
        place=lambda survey: _cycle(survey).organization.name,
        back=lambda survey: (
            f"Staff feedback on {survey.subject.display_name}",
            reverse("staff_feedback:cycle", args=[survey.cycle_id]),
        ),
        invited_for="for their evaluation",
        helps="evaluator",
        scale_words="Scale 1 (strongly disagree) to 5 (strongly agree)",
        comment_prompt=COMMENT_PROMPT,
        closing_words=(
            "Closing ends the survey and adds it to the evaluation's evidence: the results as staff "
            "feedback when at least {threshold} answered, otherwise a note that too few answered (which "
            "does not count as staff feedback)."
        ),
        on_close=_attach_to_evaluation,
    )
)


# --- the anonymous answer ---------------------------------------------------------------------------------
class FeedbackUnavailable(ApplicationError):
    """A key that cannot be answered with: `reason` is "invalid", "used", "not_open" or "closed"."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Ticket:
    """What a key lets in: the survey, and which kind of key it was ("link" or "code")."""

    survey: FeedbackSurvey
    kind: str
    digest: str


def _check_open(survey: FeedbackSurvey) -> None:
    today = timezone.localdate()
    if survey.status == Status.CLOSED or today > survey.closes_on:
        raise FeedbackUnavailable("closed", "This survey has closed. Thank you for your interest.")
    if survey.status != Status.OPEN or today < survey.opens_on:
        raise FeedbackUnavailable(
            "not_open", f"This survey is not open yet. It opens on {survey.opens_on:%B %-d, %Y}."
        )


def _survey_qs() -> Any:
    return FeedbackSurvey.objects.select_related("cycle__educator", "cycle__organization", "subject")


def ticket_for(*, kind: str, key: str, lock: bool = False) -> Ticket:
    """The survey a link token or meeting code opens, or `FeedbackUnavailable` with a plain reason."""
    if kind == "code":
        digest = _digest(normalize_code(key))
        qs = FeedbackCode.objects.filter(code_hash=digest)
        code = (qs.select_for_update() if lock else qs).first()
        if code is None:
            raise FeedbackUnavailable("invalid", "This code is not valid. Check it and try again.")
        survey = _survey_qs().get(pk=code.survey_id)
        _check_open(survey)
        if code.uses >= code.max_uses:
            raise FeedbackUnavailable("used", "This code has been used as many times as it may be.")
        return Ticket(survey, "code", digest)
    digest = _digest(key.strip())
    inv_qs = FeedbackInvitation.objects.filter(token_hash=digest)
    invitation = (inv_qs.select_for_update() if lock else inv_qs).first()
    if invitation is None:
        raise FeedbackUnavailable("invalid", "This link is not valid. Check that you copied all of it.")
    if invitation.used:
        raise FeedbackUnavailable("used", "This link has already been used: each link answers once.")
    survey = _survey_qs().get(pk=invitation.survey_id)
    _check_open(survey)
    return Ticket(survey, "link", digest)


def clean_answers(survey: FeedbackSurvey, data: Mapping[str, Any]) -> dict[str, Any]:
    """{question key: a value of the purpose's scale or None (not applicable / blank), "comment": text};
    a plain refusal for a value off the scale or an empty sheet."""
    answers: dict[str, Any] = {}
    valid = {str(v) for v, _ in purpose_of(survey).scale}
    for q in survey.questions:
        raw = str(data.get(q["key"], "") or "").strip()
        if raw in ("", NOT_APPLICABLE):
            answers[q["key"]] = None
        elif raw in valid:
            answers[q["key"]] = int(raw)
        else:
            raise ApplicationError(f"Choose one of the answers for “{q['text']}”.")
    comment = str(data.get(COMMENT_KEY, "") or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ApplicationError(f"Keep the comment under {MAX_COMMENT} characters.")
    if all(v is None for v in answers.values()) and not comment:
        raise ApplicationError("Answer at least one question.")
    answers[COMMENT_KEY] = comment
    return answers


@transaction.atomic
def response_submit(*, kind: str, key: str, data: Mapping[str, Any]) -> FeedbackSurvey:
    """Store one anonymous response. The key is checked under a row lock and consumed (an invitation
    marked used, a code's uses counted) in the same transaction as the response is stored, so a link
    answers once and a code no more than its uses, even when two submit at the same moment.
    No audit event: see the module's docstring."""
    ticket = ticket_for(kind=kind, key=key, lock=True)
    answers = clean_answers(ticket.survey, data)
    # Conditional updates: even where the row lock is a no-op (SQLite), a key is consumed at most as
    # often as it may be.
    if ticket.kind == "code":
        consumed = FeedbackCode.objects.filter(code_hash=ticket.digest, uses__lt=F("max_uses")).update(
            uses=F("uses") + 1
        )
    else:
        consumed = FeedbackInvitation.objects.filter(token_hash=ticket.digest, used=False).update(used=True)
    if consumed != 1:
        raise FeedbackUnavailable("used", "This link or code has already been used.")
    response = FeedbackResponse(survey=ticket.survey, answers=answers, submitted_on=timezone.localdate())
    response.full_clean()
    response.save(force_insert=True)
    return ticket.survey
