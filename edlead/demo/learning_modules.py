"""Demo online module (issue 11 item 3): the demo's online program, "Cybersecurity for School Leaders", gets
five items (a video, a reading, a reflection, a three-question quiz, another reading); three of those who
completed its last held session did every item, and a few participants of its next session are part-way
through it — some have done the first items, one is mid-way (reflection written, quiz tried once and not
yet passed) — so the module page shows progress and "continue where you left off". Links point at example.org; nothing comes from the internet. Runs once: a module that
has items is left alone."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from edlead.learning.models import Enrollment, ItemProgress, ModuleItem, Program

SEED = "edlead-demo-modules-v1"
MODULE_TITLE = "Cybersecurity for School Leaders"
K = ModuleItem.Kind
ITEMS: tuple[dict[str, Any], ...] = (
    {
        "kind": K.VIDEO,
        "title": "Why schools are targets",
        "url": "https://video.example.org/cybersecurity/why-schools",
        "body": "A twelve-minute talk on the attacks districts see most: phishing, ransomware, stolen accounts.",
    },
    {
        "kind": K.READING,
        "title": "Phishing: spotting the signs",
        "url": "https://learn.example.org/cybersecurity/phishing",
        "body": "Read the guide, then look again at the last suspicious e-mail your school received.",
    },
    {
        "kind": K.REFLECTION,
        "title": "Your school's weak spots",
        "body": "Which of your school's routines (sharing passwords, shared devices, personal e-mail for "
        "work) would an attacker use first? What one change will you make this month?",
    },
    {
        "kind": K.QUIZ,
        "title": "Check your understanding",
        "body": "Three questions on what you watched and read.",
        "pass_percent": 66,
        "questions": [
            {
                "question": "What does a phishing e-mail usually try to do?",
                "choices": [
                    "Make you give away a password or open a file",
                    "Speed up your computer",
                    "Back up your files",
                ],
                "answer": 0,
            },
            {
                "question": "Which is the strongest protection for staff accounts?",
                "choices": [
                    "A longer password",
                    "Multi-factor authentication",
                    "Changing passwords every month",
                ],
                "answer": 1,
            },
            {
                "question": "A teacher clicked a suspicious link. What comes first?",
                "choices": ["Wait and see", "Delete the e-mail", "Tell the district's IT team at once"],
                "answer": 2,
            },
        ],
    },
    {
        "kind": K.READING,
        "title": "An incident response checklist for principals",
        "url": "https://learn.example.org/cybersecurity/incident-checklist",
        "body": "Keep it where you can find it on a bad day.",
    },
)
REFLECTION = (
    "Staff share the front-office login, and substitutes are given a colleague's password on paper. This "
    "month I will ask IT for substitute accounts and turn on multi-factor authentication for the office."
)


def modules_seed(*, now: dt.datetime | None = None) -> int:
    """The demo module's items and some participants' progress; returns the items added (0 when the
    program is missing or already has items)."""
    program = Program.objects.filter(
        title=MODULE_TITLE, format=Program.Format.ONLINE, organization__isnull=True
    ).first()
    if program is None or ModuleItem.objects.filter(program=program).exists():
        return 0
    at = now or timezone.now()
    rng = random.Random(SEED)
    items = ModuleItem.objects.bulk_create(
        ModuleItem(
            program=program,
            order=n,
            kind=spec["kind"],
            title=spec["title"],
            body=spec.get("body", ""),
            url=spec.get("url", ""),
            questions=spec.get("questions", []),
            pass_percent=spec.get("pass_percent", 80),
        )
        for n, spec in enumerate(ITEMS, start=1)
    )
    rows = _finished(rng, program, items, at) + _under_way(rng, program, items, at)
    ItemProgress.objects.bulk_create(rows)
    return len(items)


def _finished(
    rng: random.Random, program: Program, items: list[ModuleItem], at: dt.datetime
) -> list[ItemProgress]:
    """Three who completed the last held session did every item, in its first days (already completed:
    nothing is credited again)."""
    session = (
        program.sessions.filter(cancelled=False, starts_at__lte=at).order_by("-starts_at", "-pk").first()
    )
    if session is None:
        return []
    done = list(Enrollment.objects.filter(session=session, status=Enrollment.Status.COMPLETED).order_by("pk"))
    rows = []
    for enrollment in rng.sample(done, min(3, len(done))):
        when = session.starts_at
        for item in items:
            when += dt.timedelta(hours=rng.randint(2, 30))
            attempts = rng.choice([1, 1, 2]) if item.kind == K.QUIZ else 0
            rows.append(
                ItemProgress(
                    enrollment=enrollment,
                    item=item,
                    completed_at=when,
                    response=REFLECTION if item.kind == K.REFLECTION else "",
                    score=rng.choice([67, 100]) if item.kind == K.QUIZ else None,
                    attempts=attempts,
                )
            )
    return rows


def _under_way(
    rng: random.Random, program: Program, items: list[ModuleItem], at: dt.datetime
) -> list[ItemProgress]:
    """A few participants of the next session have begun: one mid-way, the others an item or two in."""
    session = program.sessions.filter(cancelled=False, starts_at__gt=at).order_by("starts_at", "pk").first()
    if session is None:
        return []
    enrolled = list(
        Enrollment.objects.filter(session=session, status=Enrollment.Status.ENROLLED).order_by("pk")
    )
    chosen = rng.sample(enrolled, min(4, len(enrolled)))
    principal = _demo_principal_id()
    mine = next((e for e in enrolled if e.person_id == principal), None)
    if mine is not None:  # the demo principal's account shows "continue where you left off"
        chosen = [mine] + [e for e in chosen if e.pk != mine.pk][:3]
    rows = []
    for n, enrollment in enumerate(chosen):
        begun = at - dt.timedelta(days=rng.randint(3, 12), hours=rng.randint(0, 8))
        if n == 0:  # mid-way: watched, read, reflected, tried the quiz once without passing
            for step, item in enumerate(items[:3]):
                rows.append(
                    ItemProgress(
                        enrollment=enrollment,
                        item=item,
                        completed_at=begun + dt.timedelta(days=step),
                        response=REFLECTION if item.kind == K.REFLECTION else "",
                    )
                )
            rows.append(ItemProgress(enrollment=enrollment, item=items[3], score=33, attempts=1))
            continue
        for step, item in enumerate(items[: rng.randint(1, 2)]):  # the first item or two
            rows.append(
                ItemProgress(enrollment=enrollment, item=item, completed_at=begun + dt.timedelta(days=step))
            )
    return rows


def _demo_principal_id() -> int | None:
    from edlead.access.models import User

    from .services import persona

    user = User.objects.filter(email=persona("principal").email).first()
    return user.person_id if user is not None else None
