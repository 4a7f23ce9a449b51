"""Online modules: the coordinator's items (checked, kept in order), each participant's progress with
"continue where you left off", quiz scoring, reflections, automatic completion with PDPs credited once,
who may see and do what, the pages in a fixed number of queries, and the demo module."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from edlead.access.models import RoleGrant
from edlead.access.tests.conftest import World
from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.credentials.models import PdpActivity
from edlead.files.models import Attachment
from edlead.learning import services_completion
from edlead.learning import services_modules as svc
from edlead.learning.forms_modules import ModuleItemForm, parse_questions, questions_text
from edlead.learning.models import Enrollment, ItemProgress, ModuleItem, Program, Session
from edlead.learning.tests.factories import make_program, make_session
from edlead.notices.models import Notice
from edlead.testing import make_user

pytestmark = pytest.mark.django_db
S = Enrollment.Status
K = ModuleItem.Kind
QUIZ = [
    {"question": "What does phishing want?", "choices": ["Your password", "Your lunch"], "answer": 0},
    {"question": "The best account protection?", "choices": ["Long password", "MFA", "None"], "answer": 1},
    {"question": "After a bad click?", "choices": ["Wait", "Tell IT"], "answer": 1},
]


def _module(world: World, **extra: Any) -> Program:
    return make_program(
        "Cyber Basics",
        organization=world.orgs["A"],
        format=Program.Format.ONLINE,
        pdp_hours=Decimal(3),
        pdp_category="content",
        **extra,
    )


def _file(program: Program, name: str = "checklist.pdf") -> Attachment:
    return Attachment.objects.create(
        owner_type=ContentType.objects.get_for_model(Program),
        owner_id=program.pk,
        view_action="program.view",
        name=name,
        stored_name=f"test/{program.pk}-{name}",
        content_type="application/pdf",
        size=1234,
        sha256="0" * 64,
    )


def _items(world: World, program: Program) -> list[ModuleItem]:
    """A video, a reading, a file, a reflection and a quiz, added by the district's coordinator."""
    c = world.users["program_coordinator"]
    return [
        svc.item_add(c, program, kind=K.VIDEO, title="Why schools", url="https://video.example.org/1"),
        svc.item_add(c, program, kind=K.READING, title="Phishing guide", url="https://learn.example.org/2"),
        svc.item_add(c, program, kind=K.FILE, title="The checklist", attachment=_file(program)),
        svc.item_add(c, program, kind=K.REFLECTION, title="Weak spots", body="What would an attacker use?"),
        svc.item_add(c, program, kind=K.QUIZ, title="Check", questions=QUIZ, pass_percent=66),
    ]


def _enrol(program: Program, person: Any, *, status: str = S.ENROLLED, **session: Any) -> Enrollment:
    return Enrollment.objects.create(session=make_session(program, **session), person=person, status=status)


# --- the coordinator's items -------------------------------------------------------------------------------
def test_items_are_checked_with_messages_naming_the_field(world: World) -> None:
    c = world.users["program_coordinator"]
    program = _module(world)
    other = _module(world)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"kind": K.VIDEO, "title": "V"}, "URL: a video needs its link"),
        ({"kind": K.READING, "title": "R", "url": "not a link"}, "URL: enter the full web address"),
        ({"kind": K.READING, "title": "R", "url": "javascript:alert(1)"}, "URL: enter the full web address"),
        ({"kind": K.VIDEO, "title": "  ", "url": "https://example.org/v"}, "Title: give the item a title"),
        ({"kind": K.FILE, "title": "F"}, "File: choose one of the program's materials"),
        (
            {"kind": K.FILE, "title": "F", "attachment": _file(other)},
            "File: the file must be one of this program",
        ),
        ({"kind": K.REFLECTION, "title": "Think"}, "Text: a reflection needs its prompt"),
        ({"kind": K.QUIZ, "title": "Q"}, "Questions: a quiz needs at least one question"),
        ({"kind": K.QUIZ, "title": "Q", "questions": []}, "Questions: a quiz needs at least one question"),
        (
            {"kind": K.QUIZ, "title": "Q", "questions": {"q": 1}},
            "Questions: a quiz needs at least one question",
        ),
        ({"kind": K.QUIZ, "title": "Q", "questions": ["x"]}, "Questions: question 1 is not a question"),
        (
            {
                "kind": K.QUIZ,
                "title": "Q",
                "questions": [{"question": "", "choices": ["a", "b"], "answer": 0}],
            },
            "Questions: question 1 has no text",
        ),
        (
            {
                "kind": K.QUIZ,
                "title": "Q",
                "questions": [QUIZ[0], {"question": "Hm", "choices": ["a"], "answer": 0}],
            },
            "Questions: question 2 needs at least two choices",
        ),
        (
            {
                "kind": K.QUIZ,
                "title": "Q",
                "questions": [{"question": "Hm", "choices": ["a", "b"], "answer": 2}],
            },
            "Questions: question 1 has no valid right answer",
        ),
        (
            {
                "kind": K.QUIZ,
                "title": "Q",
                "questions": [{"question": "Hm", "choices": ["a", "b"], "answer": "0"}],
            },
            "Questions: question 1 has no valid right answer",
        ),
        (
            {
                "kind": K.QUIZ,
                "title": "Q",
                "questions": [{"question": "Hm", "choices": ["a", " "], "answer": 0}],
            },
            "Questions: question 1 has an empty choice",
        ),
        (
            {"kind": K.QUIZ, "title": "Q", "questions": QUIZ, "pass_percent": 0},
            "Pass mark: between 1 and 100",
        ),
        ({"kind": "podcast", "title": "P"}, "Kind: choose"),
    ]
    for kwargs, message in cases:
        with pytest.raises(ApplicationError, match=message):
            svc.item_add(c, program, **kwargs)
    assert not ModuleItem.objects.exists()
    workshop = make_program("Workshop", organization=world.orgs["A"])
    with pytest.raises(ApplicationError, match="not an online module") as exc:
        svc.item_add(c, workshop, kind=K.VIDEO, title="V", url="https://example.org/v")
    assert exc.value.extra == {"field": "kind"}


def test_only_the_programs_coordinators_edit_its_items(world: World) -> None:
    program = _module(world)
    state_module = make_program("State module", format=Program.Format.ONLINE)
    beta = make_user(grants=[(RoleGrant.Role.PROGRAM_COORDINATOR, world.orgs["B"])], password=None)
    for actor, target in (
        (world.users["school_leader"], program),
        (beta, program),
        (world.users["program_coordinator"], state_module),  # the state's program: its own coordinators
    ):
        with pytest.raises(ApplicationError, match="Only a coordinator"):
            svc.item_add(actor, target, kind=K.VIDEO, title="V", url="https://example.org/v")
    item = svc.item_add(
        world.users["program_coordinator"], program, kind=K.VIDEO, title="V", url="https://e.org/v"
    )
    with pytest.raises(ApplicationError, match="Only a coordinator"):
        svc.item_remove(beta, item)
    with pytest.raises(ApplicationError, match="Only a coordinator"):
        svc.item_move(world.users["school_leader"], item, "down")
    assert (
        svc.item_add(world.users["state_admin"], state_module, kind=K.REFLECTION, title="T", body="B").order
        == 1
    )


def test_order_stays_contiguous_through_adds_moves_and_removals(world: World) -> None:
    c = world.users["program_coordinator"]
    program = _module(world)
    video, reading, file_item, reflection, quiz = _items(world, program)

    def titles() -> list[str]:
        rows = ModuleItem.objects.filter(program=program).order_by("order")
        assert [r.order for r in rows] == list(range(1, len(rows) + 1))
        return [r.title for r in rows]

    assert titles() == ["Why schools", "Phishing guide", "The checklist", "Weak spots", "Check"]
    svc.item_move(c, quiz, "up")
    svc.item_move(c, video, "down")
    assert titles() == ["Phishing guide", "Why schools", "The checklist", "Check", "Weak spots"]
    with pytest.raises(ApplicationError, match="already the first"):
        svc.item_move(c, reading, "up")
    with pytest.raises(ApplicationError, match="already the last"):
        svc.item_move(c, reflection, "down")
    with pytest.raises(ApplicationError, match="up or down"):
        svc.item_move(c, reading, "sideways")
    svc.item_remove(c, video)
    assert titles() == ["Phishing guide", "The checklist", "Check", "Weak spots"]
    svc.item_add(c, program, kind=K.READING, title="More", url="https://example.org/more")
    assert titles()[-1] == "More"
    # Changing an item clears what its new kind does not use.
    changed = svc.item_update(c, file_item, kind=K.REFLECTION, title="Now a reflection", body="Why?")
    assert (changed.kind, changed.attachment_id, changed.order) == (K.REFLECTION, None, 2)
    assert AuditEvent.objects.filter(action=svc.ITEM_MOVED).count() == 2
    assert AuditEvent.objects.filter(action=svc.ITEM_REMOVED, target_id=str(program.pk)).count() == 1


# --- progress ----------------------------------------------------------------------------------------------
def test_progress_and_the_next_item_resume_where_they_left_off(world: World) -> None:
    program = _module(world)
    video, reading, file_item, reflection, quiz = _items(world, program)
    e = _enrol(program, world.people["P1"])
    me = world.users["school_leader"]
    p = svc.module_progress(e)
    assert (p.done, p.total, p.percent, p.next_item, p.started) == (0, 5, 0, video, False)
    svc.mark_done(me, e, video)
    svc.mark_done(me, e, file_item)  # out of order: the first not done is where they resume
    svc.mark_done(me, e, video)  # twice: nothing more
    p = svc.module_progress(e)
    assert (p.done, p.percent, p.next_item, p.started) == (2, 40, reading, True)
    assert [s.done for s in p.items] == [True, False, True, False, False]
    assert AuditEvent.objects.filter(action=svc.ITEM_DONE, target_id=str(e.pk)).count() == 2
    with pytest.raises(ApplicationError, match="Write your reflection"):
        svc.mark_done(me, e, reflection)
    with pytest.raises(ApplicationError, match="Answer the quiz"):
        svc.mark_done(me, e, quiz)


def test_quiz_scores_pass_fail_best_score_attempts_and_refuses_out_of_range(world: World) -> None:
    program = _module(world)
    *_, quiz = _items(world, program)
    e = _enrol(program, world.people["P1"])
    me = world.users["school_leader"]
    assert svc.answer_quiz(me, e, quiz, [0, 0, 0]) == 33  # 1 of 3: below 66%
    row = ItemProgress.objects.get(enrollment=e, item=quiz)
    assert (row.attempts, row.score, row.completed_at) == (1, 33, None)
    assert svc.answer_quiz(me, e, quiz, [None, None, None]) == 0  # unanswered counts as wrong
    assert svc.answer_quiz(me, e, quiz, [0, 1, 0]) == 67  # passes
    row.refresh_from_db()
    assert (row.attempts, row.score) == (3, 67) and row.completed_at is not None
    passed_at = row.completed_at
    assert svc.answer_quiz(me, e, quiz, [1, 0, 0]) == 0  # a worse try later keeps the best and the pass
    row.refresh_from_db()
    assert (row.attempts, row.score, row.completed_at) == (4, 67, passed_at)
    for answers, message in (
        ([0, 5, 0], "Question 2: choose one of its 3 answers"),
        ([0, -1, 1], "Question 2"),
        ([0, 1], "this quiz has 3 questions"),
    ):
        with pytest.raises(ApplicationError, match=message):
            svc.answer_quiz(me, e, quiz, answers)
    row.refresh_from_db()
    assert row.attempts == 4  # refused attempts are not counted


def test_reflection_is_saved_and_can_be_rewritten_within_limits(world: World) -> None:
    program = _module(world)
    reflection = _items(world, program)[3]
    e = _enrol(program, world.people["P1"])
    me = world.users["school_leader"]
    with pytest.raises(ApplicationError, match="write your reflection before"):
        svc.save_reflection(me, e, reflection, "   ")
    with pytest.raises(ApplicationError, match="at most 10,000 characters"):
        svc.save_reflection(me, e, reflection, "x" * 10_001)
    first = svc.save_reflection(me, e, reflection, "  Shared logins.  ")
    assert first.response == "Shared logins." and first.completed_at is not None
    again = svc.save_reflection(me, e, reflection, "Shared logins and paper passwords.")
    assert again.completed_at == first.completed_at and again.response.endswith("paper passwords.")
    event = AuditEvent.objects.filter(action=svc.REFLECTION_SAVED).latest("pk")
    assert "paper" not in str(event.detail)  # the audit keeps only its length


def test_the_last_item_completes_the_enrollment_and_credits_pdps_once(world: World) -> None:
    program = _module(world)
    video, reading, file_item, reflection, quiz = _items(world, program)
    e = _enrol(program, world.people["P1"])
    me = world.users["school_leader"]
    for item in (video, reading, file_item):
        svc.mark_done(me, e, item)
    svc.answer_quiz(me, e, quiz, [0, 1, 1])
    e.refresh_from_db()
    assert e.status == S.ENROLLED and not PdpActivity.objects.exists()
    svc.save_reflection(me, e, reflection, "Done thinking.")
    assert e.status == S.COMPLETED  # the caller's object is told
    e.refresh_from_db()
    assert e.status == S.COMPLETED and e.completed_on is not None and e.pdp_activity_id is not None
    activity = PdpActivity.objects.get(person=world.people["P1"])
    assert activity.title == "Cyber Basics" and activity.amount == Decimal(3)
    assert activity.status == PdpActivity.Status.APPROVED
    assert (
        Notice.objects.filter(
            person=world.people["P1"],
            kind=services_completion.NOTICE_COMPLETED,
            once_key=f"learning-completed:{e.pk}",
        ).count()
        == 1
    )
    # Redoing items, re-answering the quiz, a new item done later: never credited or told again.
    svc.save_reflection(me, e, reflection, "Second thoughts.")
    svc.answer_quiz(me, e, quiz, [0, 1, 1])
    later = svc.item_add(
        world.users["program_coordinator"],
        program,
        kind=K.READING,
        title="Later",
        url="https://example.org/l",
    )
    svc.mark_done(me, e, later)
    assert PdpActivity.objects.filter(person=world.people["P1"]).count() == 1
    assert (
        Notice.objects.filter(person=world.people["P1"], kind=services_completion.NOTICE_COMPLETED).count()
        == 1
    )
    assert AuditEvent.objects.filter(action=services_completion.COMPLETED, target_id=str(e.pk)).count() == 1


def test_only_the_participant_with_a_live_enrollment_of_that_program(world: World) -> None:
    program = _module(world)
    video = _items(world, program)[0]
    e = _enrol(program, world.people["P1"])
    for actor in (world.users["assistant_principal"], world.users["program_coordinator"]):
        with pytest.raises(ApplicationError, match="Only the participant"):
            svc.mark_done(actor, e, video)
    waiting = _enrol(program, world.people["AP1"], status=S.WAITLISTED)
    with pytest.raises(ApplicationError, match="on the waitlist"):
        svc.mark_done(world.users["assistant_principal"], waiting, video)
    cancelled = _enrol(program, world.people["TEA1"], cancelled=True)
    with pytest.raises(ApplicationError, match="cancelled"):
        svc.mark_done(world.users["educator"], cancelled, video)
    other = _module(world)
    foreign = svc.item_add(
        world.users["program_coordinator"], other, kind=K.VIDEO, title="X", url="https://e.org/x"
    )
    with pytest.raises(ApplicationError, match="not part of your module"):
        svc.mark_done(world.users["school_leader"], e, foreign)
    assert not ItemProgress.objects.exists()


# --- the form ------------------------------------------------------------------------------------------------
def test_quiz_text_is_parsed_with_line_numbered_errors_and_round_trips() -> None:
    text = "What does phishing want?\n* Your password\nYour lunch\n\n\nBest protection?\nLong password\n*MFA\nNone"
    parsed = parse_questions(text)
    assert parsed == [
        {"question": "What does phishing want?", "choices": ["Your password", "Your lunch"], "answer": 0},
        {"question": "Best protection?", "choices": ["Long password", "MFA", "None"], "answer": 1},
    ]
    assert parse_questions(questions_text(parsed)) == parsed
    bad = "Only one choice?\n* Yes\n\nNo answer?\nA\nB\n\nTwo answers?\n* A\n* B\n*"
    with pytest.raises(Exception) as exc:
        parse_questions(bad)
    messages = exc.value.messages  # type: ignore[attr-defined]
    assert "Line 1: question 1 needs at least two choices, one per line below it." in messages
    assert "Line 4: question 2 has no right answer; mark it with a * at the start." in messages
    assert "Line 10: question 3 has a second right answer; mark only one with *." in messages
    assert "Line 11: a * with no choice after it (question 3)." in messages


def test_the_form_offers_only_the_programs_files(world: World) -> None:
    program = _module(world)
    mine, theirs = _file(program), _file(_module(world), "other.pdf")
    form = ModuleItemForm(
        {"kind": K.FILE, "title": "F", "attachment": theirs.pk, "pass_percent": 80}, program=program
    )
    assert not form.is_valid() and "attachment" in form.errors
    form = ModuleItemForm(
        {"kind": K.FILE, "title": "F", "attachment": mine.pk, "pass_percent": 80}, program=program
    )
    assert form.is_valid(), form.errors


# --- pages ---------------------------------------------------------------------------------------------------
def test_the_participant_sees_progress_and_continues_where_they_left_off(world: World, client: Any) -> None:
    program = _module(world)
    video, reading, *_ = _items(world, program)
    e = _enrol(program, world.people["P1"])
    svc.mark_done(world.users["school_leader"], e, video)
    client.force_login(world.users["school_leader"])
    page = client.get(reverse("learning:module", args=[program.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "1 of 5 items done (20%)." in html
    assert '<progress class="edlead-progress" max="100" value="20"' in html
    assert "Continue where you left off" in html
    assert f'href="{reverse("learning:module-item", args=[reading.pk])}">Continue where you left off' in html
    assert "Add an item" not in html


def test_item_pages_show_each_kind_and_post_moves_on(world: World, client: Any) -> None:
    program = _module(world)
    video, reading, file_item, reflection, quiz = _items(world, program)
    _enrol(program, world.people["P1"])
    client.force_login(world.users["school_leader"])
    url = lambda item: reverse("learning:module-item", args=[item.pk])  # noqa: E731
    html = client.get(url(video)).content.decode()
    assert (
        'target="_blank" rel="noopener noreferrer">Watch the video: Why schools (opens in a new tab)</a>'
        in html
    )
    assert "Mark as done" in html and "Item 1 of 5" in html and "Previous item" not in html
    html = client.get(url(file_item)).content.decode()
    attachment = file_item.attachment
    assert attachment is not None
    assert f'href="{reverse("files:download", args=[attachment.pk])}">Download checklist.pdf</a>' in html
    response = client.post(url(video))
    assert response.status_code == 302 and response["Location"] == url(reading)
    # A reflection refused keeps what they typed (400); saved, it moves on and is prefilled later.
    response = client.post(url(reflection), {"response": "x" * 10_001})
    assert response.status_code == 400 and "at most 10,000 characters" in response.content.decode()
    assert "x" * 10_001 in response.content.decode()
    response = client.post(url(reflection), {"response": "Paper passwords <b>everywhere</b>."})
    assert response.status_code == 302 and response["Location"] == url(quiz)
    assert (
        "Paper passwords &lt;b&gt;everywhere&lt;/b&gt;.</textarea>"
        in client.get(url(reflection)).content.decode()
    )
    # The quiz: fieldsets with legends; a failed attempt shows the score and keeps the answers.
    html = client.get(url(quiz)).content.decode()
    assert '<legend class="usa-legend">Question 2 of 3: The best account protection?</legend>' in html
    response = client.post(url(quiz), {"q-0": "1", "q-1": "1", "q-2": "0"})
    html = response.content.decode()
    assert response.status_code == 200 and "You got 1 of 3 right (33%); 66% passes." in html
    assert 'id="q-0-1" name="q-0" value="1" checked' in html
    response = client.post(url(quiz), {"q-0": "0", "q-1": "7", "q-2": "1"})
    assert (
        response.status_code == 400 and "Question 2: choose one of its 3 answers" in response.content.decode()
    )
    assert 'id="q-2-1" name="q-2" value="1" checked' in response.content.decode()
    response = client.post(url(quiz), {"q-0": "0", "q-1": "1", "q-2": "1"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "learning:module", args=[program.pk]
    )
    assert ItemProgress.objects.get(item=quiz).attempts == 2


def test_finishing_the_last_item_on_the_page_says_the_program_is_completed(world: World, client: Any) -> None:
    program = _module(world)
    video, reading, file_item, reflection, quiz = _items(world, program)
    e = _enrol(program, world.people["P1"])
    me = world.users["school_leader"]
    for item in (video, reading, file_item):
        svc.mark_done(me, e, item)
    svc.save_reflection(me, e, reflection, "Thoughts.")
    client.force_login(me)
    response = client.post(
        reverse("learning:module-item", args=[quiz.pk]), {"q-0": "0", "q-1": "1", "q-2": "1"}, follow=True
    )
    html = response.content.decode()
    assert "You completed Cyber Basics: 3 PDPs are on your record." in html
    assert "5 of 5 items done (100%)." in html and "Your certificate (PDF)" in html


def test_the_coordinator_edits_items_and_previews_them_read_only(world: World, client: Any) -> None:
    program = _module(world)
    client.force_login(world.users["program_coordinator"])
    new = reverse("learning:module-item-new", args=[program.pk])
    assert client.get(new).status_code == 200
    response = client.post(
        new, {"kind": K.QUIZ, "title": "Check", "questions": "Q?\nA\nB", "pass_percent": 80}
    )
    assert response.status_code == 400
    assert "Line 1: question 1 has no right answer" in response.content.decode()
    assert "Q?\nA\nB</textarea>" in response.content.decode()  # nothing lost
    response = client.post(new, {"kind": K.VIDEO, "title": "No link", "pass_percent": 80})
    assert response.status_code == 400 and "URL: a video needs its link" in response.content.decode()
    response = client.post(
        new, {"kind": K.QUIZ, "title": "Check", "questions": "Q?\n*A\nB", "pass_percent": 80}
    )
    assert response.status_code == 302
    quiz = ModuleItem.objects.get(program=program)
    assert quiz.questions == [{"question": "Q?", "choices": ["A", "B"], "answer": 0}]
    client.post(new, {"kind": K.READING, "title": "Read", "url": "example.org/read", "pass_percent": 80})
    reading = ModuleItem.objects.get(program=program, title="Read")
    assert reading.url == "https://example.org/read" and reading.order == 2
    edit = reverse("learning:module-item-edit", args=[quiz.pk])
    assert "* A\nB</textarea>" in client.get(edit).content.decode()
    client.post(edit, {"kind": K.QUIZ, "title": "Check again", "questions": "Q?\nA\n*B", "pass_percent": 50})
    quiz.refresh_from_db()
    assert (quiz.title, quiz.questions[0]["answer"], quiz.pass_percent) == ("Check again", 1, 50)
    client.post(reverse("learning:module-item-move", args=[reading.pk]), {"direction": "up"})
    assert list(
        ModuleItem.objects.filter(program=program).order_by("order").values_list("title", flat=True)
    ) == [
        "Read",
        "Check again",
    ]
    html = client.get(reverse("learning:module", args=[program.pk])).content.decode()
    assert "Move down<span" in html and "Remove<span" in html and "0 participants" in html
    preview = client.get(reverse("learning:module-item", args=[quiz.pk])).content.decode()
    assert "Preview: participants see this item" in preview and "Check my answers" not in preview
    assert client.post(reverse("learning:module-item", args=[quiz.pk]), {"q-0": "1"}).status_code == 404
    client.post(reverse("learning:module-item-remove", args=[reading.pk]))
    assert list(ModuleItem.objects.filter(program=program).values_list("title", "order")) == [
        ("Check again", 1)
    ]


def test_who_sees_what(world: World, client: Any) -> None:
    program = _module(world)
    video = _items(world, program)[0]
    _enrol(program, world.people["P1"])
    module_url = reverse("learning:module", args=[program.pk])
    item_url = reverse("learning:module-item", args=[video.pk])
    # A colleague who may see the program but is not enrolled: the outline and where to register.
    client.force_login(world.users["assistant_principal"])
    html = client.get(module_url).content.decode()
    assert "What the module holds" in html and "register for a session of Cyber Basics" in html
    assert "Why schools" in html and "Continue where you left off" not in html
    assert client.get(item_url).status_code == 404
    assert client.post(item_url).status_code == 404
    assert client.get(reverse("learning:module-item-new", args=[program.pk])).status_code == 404
    # Another district's coordinator and principal: the program does not exist for them.
    beta = make_user(grants=[(RoleGrant.Role.PROGRAM_COORDINATOR, world.orgs["B"])], password=None)
    for user in (beta, world.users["no_role"]):
        client.force_login(user)
        assert client.get(module_url).status_code == 404
        assert client.get(item_url).status_code == 404
        assert client.get(reverse("learning:module-item-edit", args=[video.pk])).status_code == 404
        assert client.post(reverse("learning:module-item-remove", args=[video.pk])).status_code == 404
        assert (
            client.post(
                reverse("learning:module-item-move", args=[video.pk]), {"direction": "down"}
            ).status_code
            == 404
        )
    # A participant cannot edit; a workshop has no module page.
    client.force_login(world.users["school_leader"])
    assert client.post(reverse("learning:module-item-remove", args=[video.pk])).status_code == 404
    workshop = make_program("Workshop", organization=world.orgs["A"])
    assert client.get(reverse("learning:module", args=[workshop.pk])).status_code == 404
    assert ModuleItem.objects.filter(pk=video.pk).exists()


# --- fixed query counts --------------------------------------------------------------------------------------
PARTICIPANT_MODULE_QUERIES = 11
COORDINATOR_MODULE_QUERIES = 6
ITEM_QUERIES = 10


def _grow(world: World, program: Program, extra: int) -> None:
    c = world.users["program_coordinator"]
    for n in range(extra):
        svc.item_add(c, program, kind=K.FILE, title=f"File {n}", attachment=_file(program, f"f{n}.pdf"))
        svc.item_add(c, program, kind=K.QUIZ, title=f"Quiz {n}", questions=QUIZ)


@pytest.mark.parametrize("extra", [0, 6])
def test_the_pages_read_in_a_fixed_number_of_queries(
    world: World, client: Any, django_assert_num_queries: Any, extra: int
) -> None:
    program = _module(world)
    items = _items(world, program)
    _grow(world, program, extra)
    e = _enrol(program, world.people["P1"])
    for item in ModuleItem.objects.filter(program=program, kind__in=svc.MARKED):
        svc.mark_done(world.users["school_leader"], e, item)
    module_url = reverse("learning:module", args=[program.pk])
    item_url = reverse("learning:module-item", args=[items[4].pk])
    client.force_login(world.users["school_leader"])
    client.get(module_url)  # warm the session
    with django_assert_num_queries(PARTICIPANT_MODULE_QUERIES):
        assert client.get(module_url).status_code == 200
    with django_assert_num_queries(ITEM_QUERIES):
        assert client.get(item_url).status_code == 200
    client.force_login(world.users["program_coordinator"])
    client.get(module_url)
    with django_assert_num_queries(COORDINATOR_MODULE_QUERIES):
        assert client.get(module_url).status_code == 200


# --- the demo ------------------------------------------------------------------------------------------------
def test_the_demo_module_has_items_and_progress() -> None:
    from edlead.demo import services as demo
    from edlead.demo.learning_modules import MODULE_TITLE, modules_seed

    report = demo.demo_seed(scale="demo")  # seeds the module after the catalog
    assert "Online module: 5 items added." in report.lines
    assert modules_seed() == 0  # a second run adds nothing
    program = Program.objects.get(title=MODULE_TITLE)
    kinds = list(ModuleItem.objects.filter(program=program).order_by("order").values_list("kind", flat=True))
    assert kinds == [K.VIDEO, K.READING, K.REFLECTION, K.QUIZ, K.READING]
    quiz = ModuleItem.objects.get(program=program, kind=K.QUIZ)
    assert len(svc.clean_questions(quiz.questions)) == 3
    assert all(
        "example.org" in url
        for url in ModuleItem.objects.filter(program=program).exclude(url="").values_list("url", flat=True)
    )
    under_way = [
        svc.module_progress(e)
        for e in Enrollment.objects.filter(
            session__program=program, status=S.ENROLLED, item_progress__isnull=False
        ).distinct()
    ]
    assert under_way and all(0 < p.done < p.total for p in under_way)
    assert any(p.next_item is not None and p.next_item.kind == K.QUIZ for p in under_way)  # the one mid-way
    finished = [
        svc.module_progress(e)
        for e in Enrollment.objects.filter(
            session__program=program, status=S.COMPLETED, item_progress__isnull=False
        ).distinct()
    ]
    assert finished and all(p.complete for p in finished)
    assert not Session.objects.filter(program=program, cancelled=True).exists()
