"""Online modules (issue 11 item 3): a program of format "online" is a list of items in order — a video or
a reading (a link), one of the program's files, a reflection prompt, a short quiz — that its coordinators
edit, and that each participant works through at their own pace. Progress is kept per person and item, so
they resume where they left off; when every item is done the enrollment completes by itself, with the
program's PDPs credited once and the same notice as a session's completion."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from edlead.access import policy
from edlead.core.errors import ApplicationError
from edlead.core.services import audit_record
from edlead.learning import services_completion
from edlead.learning.models import Enrollment, ItemProgress, ModuleItem, Program

S = Enrollment.Status
K = ModuleItem.Kind
ON_ROSTER = (S.ENROLLED, S.COMPLETED)
LINKED = (K.VIDEO, K.READING)
MARKED = (K.VIDEO, K.READING, K.FILE)  # done when the participant says so
MAX_ITEMS = 100
MAX_REFLECTION = 10_000
MAX_QUESTIONS = 30
MAX_CHOICES = 8
MAX_QUESTION_LENGTH = 500
MAX_CHOICE_LENGTH = 300
_RENUMBER_OFFSET = 10_000  # above any real order (MAX_ITEMS), so renumbering never collides

ITEM_ADDED = "learning_module_item_added"
ITEM_CHANGED = "learning_module_item_changed"
ITEM_MOVED = "learning_module_item_moved"
ITEM_REMOVED = "learning_module_item_removed"
ITEM_DONE = "learning_module_item_done"
REFLECTION_SAVED = "learning_module_reflection_saved"
QUIZ_ANSWERED = "learning_module_quiz_answered"
AUDIT_VERBS = {
    ITEM_ADDED: "Online module item added",
    ITEM_CHANGED: "Online module item changed",
    ITEM_MOVED: "Online module item moved",
    ITEM_REMOVED: "Online module item removed",
    ITEM_DONE: "Online module item done",
    REFLECTION_SAVED: "Online module reflection saved",
    QUIZ_ANSWERED: "Online module quiz answered",
}


def _refuse(field: str, message: str) -> ApplicationError:
    """A refusal naming the form field it concerns (`extra["field"]`), so a form can show it there."""
    return ApplicationError(message, extra={"field": field})


# --- the coordinator's side: items ------------------------------------------------------------------------
def _check_manage(actor: Any, program: Program) -> None:
    if actor is not None and not policy.can(actor, policy.PROGRAM_MANAGE, program):
        raise ApplicationError("Only a coordinator of this program edits its online module.")


def _locked_program(program: Program) -> Program:
    """The program's row, locked: every edit of its items waits here, so orders never collide."""
    return Program.objects.select_for_update(of=("self",)).select_related("organization").get(pk=program.pk)


def clean_questions(questions: Any) -> list[dict[str, Any]]:
    """A quiz's questions checked and normalised: a non-empty list of {"question": text, "choices": two or
    more texts, "answer": the index of the right choice}. Refuses with the question's number."""
    if not isinstance(questions, list) or not questions:
        raise _refuse("questions", "Questions: a quiz needs at least one question.")
    if len(questions) > MAX_QUESTIONS:
        raise _refuse("questions", f"Questions: a short quiz has at most {MAX_QUESTIONS} questions.")
    clean: list[dict[str, Any]] = []
    for n, q in enumerate(questions, start=1):
        if not isinstance(q, dict):
            raise _refuse("questions", f"Questions: question {n} is not a question with choices.")
        text = " ".join(str(q.get("question") or "").split())
        if not text:
            raise _refuse("questions", f"Questions: question {n} has no text.")
        if len(text) > MAX_QUESTION_LENGTH:
            raise _refuse(
                "questions", f"Questions: question {n} is longer than {MAX_QUESTION_LENGTH} characters."
            )
        choices = q.get("choices")
        if not isinstance(choices, list) or len(choices) < 2:
            raise _refuse("questions", f"Questions: question {n} needs at least two choices.")
        if len(choices) > MAX_CHOICES:
            raise _refuse("questions", f"Questions: question {n} has more than {MAX_CHOICES} choices.")
        texts = [" ".join(str(c if c is not None else "").split()) for c in choices]
        if not all(texts):
            raise _refuse("questions", f"Questions: question {n} has an empty choice.")
        if any(len(c) > MAX_CHOICE_LENGTH for c in texts):
            raise _refuse(
                "questions",
                f"Questions: a choice of question {n} is longer than {MAX_CHOICE_LENGTH} characters.",
            )
        answer = q.get("answer")
        if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer < len(texts):
            raise _refuse("questions", f"Questions: question {n} has no valid right answer.")
        clean.append({"question": text, "choices": texts, "answer": answer})
    return clean


def _fill(
    item: ModuleItem,
    program: Program,
    *,
    kind: str,
    title: str,
    body: str,
    url: str,
    attachment: Any,
    questions: Any,
    pass_percent: Any,
) -> None:
    """Check what the coordinator entered and put it on `item`; what the kind does not use is cleared."""
    if program.format != Program.Format.ONLINE:
        raise _refuse(
            "kind",
            f"Items belong to online modules: “{program.title}” is a {program.get_format_display().lower()}, "
            "not an online module.",
        )
    if kind not in K.values:
        raise _refuse("kind", "Kind: choose a video, a reading, a file, a reflection or a short quiz.")
    title = " ".join((title or "").split())
    if not title:
        raise _refuse("title", "Title: give the item a title.")
    if len(title) > 200:
        raise _refuse("title", "Title: at most 200 characters.")
    body = (body or "").strip()
    url = (url or "").strip()
    if kind in LINKED:
        if not url:
            raise _refuse("url", f"URL: a {K(kind).label.lower()} needs its link (https://…).")
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as exc:
            raise _refuse("url", "URL: enter the full web address, starting with https://.") from exc
        if len(url) > 200:
            raise _refuse("url", "URL: at most 200 characters.")
    if kind == K.FILE:
        if attachment is None:
            raise _refuse("attachment", "File: choose one of the program's materials.")
        from django.contrib.contenttypes.models import ContentType

        if (
            attachment.owner_type_id != ContentType.objects.get_for_model(Program).pk
            or attachment.owner_id != program.pk
        ):
            raise _refuse("attachment", "File: the file must be one of this program's materials.")
    if kind == K.REFLECTION and not body:
        raise _refuse("body", "Text: a reflection needs its prompt.")
    clean = clean_questions(questions) if kind == K.QUIZ else []
    try:
        percent = int(pass_percent)
    except (TypeError, ValueError):
        percent = 0
    if not 1 <= percent <= 100:
        raise _refuse("pass_percent", "Pass mark: between 1 and 100 per cent.")
    item.kind, item.title, item.body = kind, title, body
    item.url = url if kind in LINKED else ""
    item.attachment = attachment if kind == K.FILE else None
    item.questions = clean
    item.pass_percent = percent if kind == K.QUIZ else 80


@transaction.atomic
def item_add(
    actor: Any,
    program: Program,
    *,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    attachment: Any = None,
    questions: Any = None,
    pass_percent: Any = 80,
) -> ModuleItem:
    """A new item at the end of the module."""
    current = _locked_program(program)
    _check_manage(actor, current)
    item = ModuleItem(program=current)
    _fill(
        item,
        current,
        kind=kind,
        title=title,
        body=body,
        url=url,
        attachment=attachment,
        questions=questions,
        pass_percent=pass_percent,
    )
    count = ModuleItem.objects.filter(program=current).count()
    if count >= MAX_ITEMS:
        raise ApplicationError(f"A module holds at most {MAX_ITEMS} items.")
    item.order = count + 1  # orders are kept 1…n
    item.full_clean()
    item.save()
    audit_record(
        action=ITEM_ADDED,
        actor=actor,
        target=current,
        detail={"item": item.pk, "kind": kind, "title": item.title},
    )
    return item


@transaction.atomic
def item_update(
    actor: Any,
    item: ModuleItem,
    *,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    attachment: Any = None,
    questions: Any = None,
    pass_percent: Any = 80,
) -> ModuleItem:
    """Change an item. Participants' progress on it is kept (a quiz passed stays passed)."""
    current = _locked_program(item.program)
    _check_manage(actor, current)
    row = ModuleItem.objects.get(pk=item.pk)
    _fill(
        row,
        current,
        kind=kind,
        title=title,
        body=body,
        url=url,
        attachment=attachment,
        questions=questions,
        pass_percent=pass_percent,
    )
    row.full_clean()
    row.save()
    audit_record(
        action=ITEM_CHANGED,
        actor=actor,
        target=current,
        detail={"item": row.pk, "kind": kind, "title": row.title},
    )
    return row


def _renumber(items: list[ModuleItem]) -> None:
    """Give `items` the orders 1…n in this sequence. Two passes through orders above any real one, so the
    unique (program, order) constraint holds after every row (PostgreSQL checks it row by row)."""
    changed = [(n, it) for n, it in enumerate(items, start=1) if it.order != n]
    if not changed:
        return
    for n, it in changed:
        it.order = _RENUMBER_OFFSET + n
    ModuleItem.objects.bulk_update([it for _, it in changed], ["order"])
    for n, it in changed:
        it.order = n
    ModuleItem.objects.bulk_update([it for _, it in changed], ["order"])


@transaction.atomic
def item_move(actor: Any, item: ModuleItem, direction: str) -> ModuleItem:
    """Move an item one place "up" (earlier) or "down" (later)."""
    current = _locked_program(item.program)
    _check_manage(actor, current)
    if direction not in ("up", "down"):
        raise _refuse("direction", "Move an item up or down.")
    items = list(ModuleItem.objects.filter(program=current).order_by("order", "pk"))
    at = next((n for n, it in enumerate(items) if it.pk == item.pk), None)
    if at is None:
        raise ApplicationError("This item is no longer in the module.")
    to = at - 1 if direction == "up" else at + 1
    if not 0 <= to < len(items):
        where = "first" if direction == "up" else "last"
        raise ApplicationError(f"“{items[at].title}” is already the {where} item.")
    items[at], items[to] = items[to], items[at]
    _renumber(items)
    moved = items[to]
    audit_record(
        action=ITEM_MOVED,
        actor=actor,
        target=current,
        detail={"item": moved.pk, "direction": direction, "order": moved.order},
    )
    return moved


@transaction.atomic
def item_remove(actor: Any, item: ModuleItem) -> None:
    """Remove an item (and everyone's progress on it); the items after it move up one place."""
    current = _locked_program(item.program)
    _check_manage(actor, current)
    row = ModuleItem.objects.filter(pk=item.pk, program=current).first()
    if row is None:
        raise ApplicationError("This item is no longer in the module.")
    detail = {"item": row.pk, "kind": row.kind, "title": row.title}
    row.delete()
    _renumber(list(ModuleItem.objects.filter(program=current).order_by("order", "pk")))
    audit_record(action=ITEM_REMOVED, actor=actor, target=current, detail=detail)


# --- the participant's side: progress ---------------------------------------------------------------------
@dataclass(frozen=True)
class ItemState:
    """One item with where this participant stands on it."""

    item: ModuleItem
    progress: ItemProgress | None

    @property
    def done(self) -> bool:
        return self.progress is not None and self.progress.completed_at is not None

    @property
    def started(self) -> bool:
        return self.progress is not None

    @property
    def status(self) -> str:
        """In words, for the list of items."""
        p = self.progress
        if p is not None and p.completed_at is not None:
            if self.item.kind == K.QUIZ and p.score is not None:
                return f"Done (best score {p.score}%)"
            return "Done"
        if p is not None and self.item.kind == K.QUIZ and p.attempts:
            tries = "1 try" if p.attempts == 1 else f"{p.attempts} tries"
            return f"Not passed yet ({tries}, best {p.score or 0}%; {self.item.pass_percent}% passes)"
        return "Not started"


@dataclass(frozen=True)
class ModuleProgress:
    """A participant's way through a module: its items in order, each with their progress."""

    enrollment: Enrollment
    items: list[ItemState]

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def done(self) -> int:
        return sum(1 for s in self.items if s.done)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return bool(self.items) and self.done == self.total

    @property
    def next_item(self) -> ModuleItem | None:
        """The first item not yet done: where they resume."""
        return next((s.item for s in self.items if not s.done), None)

    @property
    def started(self) -> bool:
        return any(s.started for s in self.items)

    def state_of(self, item: ModuleItem) -> ItemState | None:
        return next((s for s in self.items if s.item.pk == item.pk), None)


def module_progress(enrollment: Enrollment) -> ModuleProgress:
    """The module's items in order with the participant's progress on each (2 queries, whatever the
    number of items; the enrollment's session need not be loaded)."""
    items = list(
        ModuleItem.objects.filter(program__sessions=enrollment.session_id)
        .select_related("attachment")
        .order_by("order", "pk")
    )
    progress = {p.item_id: p for p in ItemProgress.objects.filter(enrollment=enrollment)}
    return ModuleProgress(enrollment, [ItemState(it, progress.get(it.pk)) for it in items])


def participant_enrollment(person_id: int | None, program: Program) -> Enrollment | None:
    """The enrollment through which a person takes the module: enrolled in (or completed) a session of the
    program that was not cancelled — a current enrollment before a completed one, the latest session first
    (one query)."""
    if not person_id:
        return None
    return (
        Enrollment.objects.filter(
            person_id=person_id, session__program=program, status__in=ON_ROSTER, session__cancelled=False
        )
        .select_related("session")
        .annotate(
            current=Case(
                When(status=S.ENROLLED, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("current", "-session__starts_at", "-pk")
        .first()
    )


def _locked_enrollment(actor: Any, enrollment: Enrollment, item: ModuleItem) -> Enrollment:
    """The enrollment's row, locked, after checking that the actor is its participant (None: the system),
    that it is on the roster of a session not cancelled, and that the item is of its program."""
    if actor is not None and getattr(actor, "person_id", None) != enrollment.person_id:
        raise ApplicationError("Only the participant works through their own module.")
    row = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("session__program__provider", "person")
        .get(pk=enrollment.pk)
    )
    if row.status not in ON_ROSTER:
        raise ApplicationError(
            f"Your registration is {row.get_status_display().lower()}: the module opens to enrolled participants."
        )
    if row.session.cancelled:
        raise ApplicationError("This session was cancelled: its module is closed.")
    if item.program_id != row.session.program_id:
        raise ApplicationError("This item is not part of your module.")
    return row


def _progress_row(enrollment: Enrollment, item: ModuleItem) -> ItemProgress:
    row, _ = ItemProgress.objects.get_or_create(enrollment=enrollment, item=item)
    return row


def _sync(target: Enrollment, source: Enrollment) -> None:
    """Tell the caller's object what happened to the row (the view says "you completed the module")."""
    target.status, target.completed_on, target.pdp_activity_id = (
        source.status,
        source.completed_on,
        source.pdp_activity_id,
    )


@transaction.atomic
def mark_done(actor: Any, enrollment: Enrollment, item: ModuleItem) -> ItemProgress:
    """A video watched, a reading read, a file read: done when the participant says so."""
    row = _locked_enrollment(actor, enrollment, item)
    if item.kind not in MARKED:
        raise ApplicationError(
            "Write your reflection to complete this item."
            if item.kind == K.REFLECTION
            else "Answer the quiz to complete this item."
        )
    progress = _progress_row(row, item)
    if progress.completed_at is None:
        progress.completed_at = timezone.now()
        progress.save(update_fields=["completed_at", "updated_at"])
        audit_record(action=ITEM_DONE, actor=actor, target=row, detail={"item": item.pk, "kind": item.kind})
        _complete_when_all_done(actor, row)
    _sync(enrollment, row)
    return progress


@transaction.atomic
def save_reflection(actor: Any, enrollment: Enrollment, item: ModuleItem, text: str) -> ItemProgress:
    """The participant's reflection (they may rewrite it); saving it completes the item."""
    row = _locked_enrollment(actor, enrollment, item)
    if item.kind != K.REFLECTION:
        raise ApplicationError("This item is not a reflection.")
    text = (text or "").strip()
    if not text:
        raise _refuse("response", "Reflection: write your reflection before saving it.")
    if len(text) > MAX_REFLECTION:
        raise _refuse(
            "response",
            f"Reflection: at most {MAX_REFLECTION:,} characters (yours has {len(text):,}); shorten it and save again.",
        )
    progress = _progress_row(row, item)
    first = progress.completed_at is None
    progress.response = text
    if first:
        progress.completed_at = timezone.now()
    progress.save(update_fields=["response", "completed_at", "updated_at"])
    # The reflection's words stay on the progress row: the audit records only that it was written.
    audit_record(
        action=REFLECTION_SAVED, actor=actor, target=row, detail={"item": item.pk, "characters": len(text)}
    )
    if first:
        _complete_when_all_done(actor, row)
    _sync(enrollment, row)
    return progress


def quiz_score(item: ModuleItem, answers: Sequence[int | None]) -> int:
    """Per cent of the questions answered right (an unanswered question counts as wrong). Refuses answers
    that do not fit the quiz."""
    questions = item.questions or []
    if len(answers) != len(questions):
        raise _refuse(
            "answers", f"Answers: this quiz has {len(questions)} questions; {len(answers)} were sent."
        )
    right = 0
    for n, (q, a) in enumerate(zip(questions, answers, strict=True), start=1):
        if a is None:
            continue
        if isinstance(a, bool) or not isinstance(a, int) or not 0 <= a < len(q["choices"]):
            raise _refuse("answers", f"Question {n}: choose one of its {len(q['choices'])} answers.")
        right += int(a == q["answer"])
    return round(100 * right / len(questions)) if questions else 0


@transaction.atomic
def answer_quiz(actor: Any, enrollment: Enrollment, item: ModuleItem, answers: Sequence[int | None]) -> int:
    """Score one attempt (returned, per cent). Every attempt is counted and the best score kept; the item
    is done once a score reaches the quiz's pass mark."""
    row = _locked_enrollment(actor, enrollment, item)
    if item.kind != K.QUIZ:
        raise ApplicationError("This item is not a quiz.")
    score = quiz_score(item, answers)
    progress = _progress_row(row, item)
    progress.attempts += 1
    progress.score = max(score, progress.score or 0)
    passed = score >= item.pass_percent
    first = passed and progress.completed_at is None
    if first:
        progress.completed_at = timezone.now()
    progress.save(update_fields=["attempts", "score", "completed_at", "updated_at"])
    audit_record(
        action=QUIZ_ANSWERED,
        actor=actor,
        target=row,
        detail={"item": item.pk, "score": score, "passed": passed, "attempt": progress.attempts},
    )
    if first:
        _complete_when_all_done(actor, row)
    _sync(enrollment, row)
    return score


def _complete_when_all_done(actor: Any, enrollment: Enrollment) -> bool:
    """Complete the (locked) enrollment once every item of the module is done — once."""
    if enrollment.status == S.COMPLETED:
        return False
    program_id = enrollment.session.program_id
    total = ModuleItem.objects.filter(program_id=program_id).count()
    done = ItemProgress.objects.filter(
        enrollment=enrollment, item__program_id=program_id, completed_at__isnull=False
    ).count()
    if not total or done < total:
        return False
    complete_enrollment(actor, enrollment)
    return True


def complete_enrollment(actor: Any, e: Enrollment) -> Enrollment:
    """Every item done: the enrollment completes as a session's participants do."""
    return services_completion.complete_one(actor, e, detail={"module": True})
