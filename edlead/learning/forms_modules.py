"""What a coordinator types to add or change an online module's item; the service checks and writes. A
quiz's questions are typed as text — one block per question: its first line the question, the following
lines its choices, the right one marked with a leading `*` — and parsed here with line-numbered errors."""

from __future__ import annotations

from typing import Any

from django import forms

from edlead.core.forms import UswdsFormMixin
from edlead.files.models import Attachment
from edlead.learning.models import ModuleItem, Program
from edlead.learning.services_modules import (
    MAX_CHOICE_LENGTH,
    MAX_CHOICES,
    MAX_QUESTION_LENGTH,
    MAX_QUESTIONS,
)

QUESTIONS_HELP = (
    "For a quiz: one block per question, blocks separated by an empty line. The block's first line is the "
    "question, each following line a choice; mark the right choice with a * at the start of its line."
)
QUESTIONS_EXAMPLE = (
    "What does a phishing e-mail try to do?\n* Make you give away a password\nSpeed up your computer"
)


def parse_questions(text: str) -> list[dict[str, Any]]:
    """The quiz's questions from the coordinator's text; every problem at once, by line number."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            if current:
                blocks.append(current)
                current = []
            continue
        current.append((number, line))
    if current:
        blocks.append(current)
    if not blocks:
        raise forms.ValidationError("Type at least one question with its choices.")
    errors: list[str] = []
    if len(blocks) > MAX_QUESTIONS:
        errors.append(f"A short quiz has at most {MAX_QUESTIONS} questions (this one has {len(blocks)}).")
    questions: list[dict[str, Any]] = []
    for q, block in enumerate(blocks, start=1):
        (first_line, question), rows = block[0], block[1:]
        if question.startswith("*"):
            errors.append(
                f"Line {first_line}: question {q} starts with a *; the first line of a block is the question."
            )
            question = question.lstrip("* ").strip()
        if len(question) > MAX_QUESTION_LENGTH:
            errors.append(f"Line {first_line}: question {q} is longer than {MAX_QUESTION_LENGTH} characters.")
        choices: list[str] = []
        answer: int | None = None
        for number, line in rows:
            right = line.startswith("*")
            choice = line[1:].strip() if right else line
            if not choice:
                errors.append(f"Line {number}: a * with no choice after it (question {q}).")
                continue
            if len(choice) > MAX_CHOICE_LENGTH:
                errors.append(f"Line {number}: a choice longer than {MAX_CHOICE_LENGTH} characters.")
            if right:
                if answer is not None:
                    errors.append(
                        f"Line {number}: question {q} has a second right answer; mark only one with *."
                    )
                else:
                    answer = len(choices)
            choices.append(choice)
        if len(choices) < 2:
            errors.append(
                f"Line {first_line}: question {q} needs at least two choices, one per line below it."
            )
        elif len(choices) > MAX_CHOICES:
            errors.append(f"Line {first_line}: question {q} has more than {MAX_CHOICES} choices.")
        if answer is None and choices:
            errors.append(
                f"Line {first_line}: question {q} has no right answer; mark it with a * at the start."
            )
        questions.append({"question": question, "choices": choices, "answer": answer})
    if errors:
        raise forms.ValidationError(errors)
    return questions


def questions_text(questions: list[dict[str, Any]]) -> str:
    """The text a coordinator edits, from a quiz's stored questions (parse_questions reads it back)."""
    blocks = []
    for q in questions or []:
        lines = [str(q.get("question", ""))]
        for n, choice in enumerate(q.get("choices") or []):
            lines.append(f"* {choice}" if n == q.get("answer") else str(choice))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


class ModuleItemForm(UswdsFormMixin, forms.Form):
    kind = forms.ChoiceField(choices=ModuleItem.Kind.choices, label="Kind of item")
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Text",
        help_text="Instructions, the reading's summary, or the reflection's prompt (needed for a reflection).",
    )
    url = forms.URLField(
        required=False,
        max_length=200,
        assume_scheme="https",
        label="Link",
        help_text="A video's or reading's web address, https://… (needed for a video or a reading).",
    )
    attachment = forms.ModelChoiceField(
        queryset=Attachment.objects.none(),
        required=False,
        label="File",
        empty_label="—",
        help_text="For a file item: one of the program's materials (add files under “Materials” first).",
    )
    questions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10, "placeholder": QUESTIONS_EXAMPLE}),
        required=False,
        label="Quiz questions",
        help_text=QUESTIONS_HELP,
    )
    pass_percent = forms.IntegerField(
        min_value=1,
        max_value=100,
        initial=80,
        label="Pass mark (per cent)",
        help_text="For a quiz: the score that completes it.",
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachment"].queryset = Attachment.objects.for_owner(program).order_by("name", "pk")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == ModuleItem.Kind.QUIZ and "questions" not in self.errors:
            try:
                data["parsed_questions"] = parse_questions(data.get("questions", ""))
            except forms.ValidationError as exc:
                self.add_error("questions", exc)
        return data

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned values as the service's keyword arguments."""
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "title": d["title"],
            "body": d.get("body", ""),
            "url": d.get("url", ""),
            "attachment": d.get("attachment"),
            "questions": d.get("parsed_questions"),
            "pass_percent": d.get("pass_percent") or 80,
        }

    @classmethod
    def initial_for(cls, item: ModuleItem) -> dict[str, Any]:
        return {
            "kind": item.kind,
            "title": item.title,
            "body": item.body,
            "url": item.url,
            "attachment": item.attachment_id,
            "questions": questions_text(item.questions),
            "pass_percent": item.pass_percent,
        }
