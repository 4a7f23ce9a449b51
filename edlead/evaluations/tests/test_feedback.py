"""Staff feedback on an administrator: single-use links, meeting codes with a limit, answers that cannot be
traced to a person (no field, audit event, notice, log record or stored value holds a token, a code or an
address), results suppressed below the staff threshold and shown only after closing, evidence attached
on closing, who sees what, and a fixed number of queries on the results page.

Pat Principal-One (P1, Oak Elementary) is evaluated by Sam Supervisor-North (SUP1, `principal_supervisor`)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from edlead.access.tests.conftest import World
from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.evaluations import selectors_feedback as fsel
from edlead.evaluations import services_feedback as fb
from edlead.evaluations.models import Cycle
from edlead.evaluations.models_feedback import FeedbackInvitation, FeedbackResponse, FeedbackSurvey
from edlead.evaluations.tests.factories import cycle_for
from edlead.testing import make_user

ADDRESSES = ["ada.staff@oak.example.org", "ben.staff@oak.example.org"]
FULL = {f"q{i}": str(1 + i % 5) for i in range(1, 11)}


@pytest.fixture
def cycle(world: World) -> Cycle:
    return cycle_for(world.people["P1"], evaluator=world.people["SUP1"])


@pytest.fixture
def evaluator(world: World) -> Any:
    return world.users["principal_supervisor"]


@pytest.fixture
def survey(cycle: Cycle, evaluator: Any) -> FeedbackSurvey:
    today = timezone.localdate()
    s = fb.survey_create(
        actor=evaluator, cycle=cycle, opens_on=today, closes_on=today + dt.timedelta(days=14)
    )
    return fb.survey_open(actor=evaluator, survey=s)


def _tokens(outbox: list[Any]) -> list[str]:
    return [re.search(r"#k=([A-Za-z0-9_-]+)", str(m.body)).group(1) for m in outbox]  # type: ignore[union-attr]


def _answer(survey: FeedbackSurvey, evaluator: Any, count: int, comment: str = "") -> None:
    code = fb.code_create(actor=evaluator, survey=survey, max_uses=count)
    for i in range(count):
        fb.response_submit(kind="code", key=code, data={**FULL, "q1": str(1 + i % 5), "comment": comment})


def _all_stored_text() -> str:
    """Every value of every row of every table, as text."""
    parts = []
    for model in apps.get_models():
        for row in model._default_manager.all().values():
            parts.append(repr(row))
    return "\n".join(parts)


@pytest.fixture
def captured_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG)
    yield caplog


# --- single use, codes -----------------------------------------------------------------------------------
def test_an_emailed_link_answers_once_and_the_second_try_gets_a_clear_page(
    survey: FeedbackSurvey, evaluator: Any, client: Client
) -> None:
    assert fb.survey_invite(actor=evaluator, survey=survey, addresses="\n".join(ADDRESSES)) == 2
    token = _tokens(mail.outbox)[0]
    page = client.post(reverse("staff_feedback:answer"), {"kind": "link", "key": token})
    assert page.status_code == 200
    body = page.content.decode()
    assert "<legend" in body and 'type="radio"' in body and "may identify you" in body
    assert "Pat Principal-One" in body and "Oak Elementary" in body and "Supervisor-North" not in body
    done = client.post(reverse("staff_feedback:answer-submit"), {"kind": "link", "key": token, **FULL})
    assert done.status_code == 302 and done["Location"] == reverse("staff_feedback:thanks")
    again = client.post(reverse("staff_feedback:answer-submit"), {"kind": "link", "key": token, **FULL})
    assert again.status_code == 410 and "already been used" in again.content.decode()
    assert client.post(reverse("staff_feedback:answer"), {"kind": "link", "key": token}).status_code == 410
    assert FeedbackResponse.objects.filter(survey=survey).count() == 1
    assert FeedbackInvitation.objects.filter(survey=survey, used=True).count() == 1
    with pytest.raises(fb.FeedbackUnavailable) as refused:
        fb.response_submit(kind="link", key=token, data=FULL)
    assert refused.value.reason == "used"
    bogus = client.post(reverse("staff_feedback:answer"), {"kind": "link", "key": "not-a-token"})
    assert bogus.status_code == 404 and "not valid" in bogus.content.decode()


def test_a_meeting_code_allows_its_number_of_answers(survey: FeedbackSurvey, evaluator: Any) -> None:
    code = fb.code_create(actor=evaluator, survey=survey, max_uses=2)
    fb.response_submit(kind="code", key=code, data=FULL)
    fb.response_submit(kind="code", key=code.lower().replace("-", " "), data=FULL)  # typed loosely
    with pytest.raises(fb.FeedbackUnavailable) as refused:
        fb.response_submit(kind="code", key=code, data=FULL)
    assert refused.value.reason == "used"
    assert survey.codes.get().uses == 2 and survey.responses.count() == 2


def test_a_closed_or_unopened_survey_takes_no_answers(
    cycle: Cycle, survey: FeedbackSurvey, evaluator: Any, client: Client
) -> None:
    fb.survey_invite(actor=evaluator, survey=survey, addresses=ADDRESSES[0])
    token = _tokens(mail.outbox)[0]
    past = timezone.localdate() - dt.timedelta(days=1)
    FeedbackSurvey.objects.filter(pk=survey.pk).update(opens_on=past - dt.timedelta(days=7), closes_on=past)
    page = client.post(reverse("staff_feedback:answer"), {"kind": "link", "key": token})
    assert page.status_code == 410 and "has closed" in page.content.decode()
    today = timezone.localdate()
    draft = fb.survey_create(actor=evaluator, cycle=cycle, opens_on=today, closes_on=today)
    code = fb.code_create(actor=evaluator, survey=draft, max_uses=5)
    with pytest.raises(fb.FeedbackUnavailable) as refused:
        fb.response_submit(kind="code", key=code, data=FULL)
    assert refused.value.reason == "not_open"


def test_answers_off_the_scale_or_empty_are_refused_and_consume_nothing(
    survey: FeedbackSurvey, evaluator: Any, client: Client
) -> None:
    code = fb.code_create(actor=evaluator, survey=survey, max_uses=1)
    with pytest.raises(ApplicationError):
        fb.response_submit(kind="code", key=code, data={"q1": "9"})
    bad = client.post(reverse("staff_feedback:answer-submit"), {"kind": "code", "key": code})
    assert bad.status_code == 400 and "Answer at least one question" in bad.content.decode()
    assert survey.codes.get().uses == 0 and survey.responses.count() == 0


# --- anonymity -----------------------------------------------------------------------------------------------
def test_nothing_links_a_response_to_a_person(
    survey: FeedbackSurvey, evaluator: Any, client: Client, captured_logs: pytest.LogCaptureFixture
) -> None:
    # The response has no reference to an invitation or code, no time and no client details.
    fields = {f.name for f in FeedbackResponse._meta.get_fields()}
    assert fields == {"id", "survey", "answers", "submitted_on"}
    assert FeedbackResponse._meta.get_field("submitted_on").get_internal_type() == "DateField"
    assert {f.name for f in FeedbackInvitation._meta.get_fields()} == {"id", "survey", "token_hash", "used"}

    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    client.force_login(evaluator)
    sent = client.post(
        reverse("staff_feedback:survey-invite", args=[survey.pk]), {"addresses": ", ".join(ADDRESSES)}
    )
    assert sent.status_code == 302
    made = client.post(reverse("staff_feedback:survey-code", args=[survey.pk]), {"max_uses": "3"})
    code = re.search(r"edlead-feedback-code\">([A-Z0-9-]+)<", made.content.decode()).group(1)  # type: ignore[union-attr]
    client.logout()
    tokens = _tokens(mail.outbox)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(ADDRESSES)
    # The link's key is after '#': never in the path or query the server sees.
    link = re.search(r"(https?://\S+#k=\S+)", str(mail.outbox[0].body)).group(1)  # type: ignore[union-attr]
    assert tokens[0] not in urlsplit(link).path + urlsplit(link).query

    events_before_answers = AuditEvent.objects.count()
    for token in tokens:
        client.post(reverse("staff_feedback:answer"), {"kind": "link", "key": token})
        client.post(reverse("staff_feedback:answer-submit"), {"kind": "link", "key": token, **FULL})
    client.post(reverse("staff_feedback:answer"), {"kind": "code", "key": code})
    client.post(reverse("staff_feedback:answer-submit"), {"kind": "code", "key": code, **FULL})
    assert survey.responses.count() == 3
    assert AuditEvent.objects.count() == events_before_answers  # answering writes no audit event

    secrets_ = [*tokens, code, code.replace("-", ""), *ADDRESSES]
    stored = _all_stored_text()  # every table: audit events, notices, invitations, responses, sessions…
    logged = captured_logs.text
    for secret in secrets_:
        assert secret not in stored, secret
        assert secret.lower() not in stored.lower(), secret
        assert secret not in logged, secret
    events = list(AuditEvent.objects.filter(pk__gt=last_event))
    assert {e.action for e in events} >= {fb.INVITATIONS_SENT, fb.CODE_CREATED}
    assert next(e for e in events if e.action == fb.INVITATIONS_SENT).detail["count"] == 2


# --- suppression and evidence --------------------------------------------------------------------------------
def test_fewer_than_six_shows_no_figures_and_closing_attaches_a_note_not_marked_as_feedback(
    survey: FeedbackSurvey, evaluator: Any, client: Client
) -> None:
    _answer(survey, evaluator, 5, comment="Zebra crossings need paint")
    closed = fb.survey_close(actor=evaluator, survey=survey)
    results = fsel.survey_results(closed)
    assert results.n == 5 and not results.shown and results.questions == [] and results.comments == []
    evidence = closed.evidence
    assert evidence is not None
    assert evidence.category == 3 and evidence.kind == "note" and evidence.staff_feedback is False
    assert "fewer than 6" in evidence.text and "Mean" not in evidence.text
    client.force_login(evaluator)
    body = client.get(closed.get_absolute_url()).content.decode()
    assert "Fewer than 6 responses" in body
    assert "Mean" not in body and "Zebra" not in body and "Strongly agree" not in body


def test_six_responses_show_figures_only_after_closing_and_attach_staff_feedback_evidence(
    survey: FeedbackSurvey, evaluator: Any, client: Client, settings: Any
) -> None:
    settings.EDLEAD_SUPPRESS_MIN_STAFF = 6
    _answer(survey, evaluator, 6, comment="Clear weekly notes")
    client.force_login(evaluator)
    open_page = client.get(survey.get_absolute_url()).content.decode()
    assert "Mean" not in open_page and "Clear weekly notes" not in open_page  # not while answers arrive
    closed = fb.survey_close(actor=evaluator, survey=survey)
    results = fsel.survey_results(closed)
    assert results.shown and results.n == 6
    q1 = results.questions[0]
    assert q1.answered == 6 and [c for _, c, _ in q1.distribution] == [2, 1, 1, 1, 1]
    assert q1.mean == round((1 + 2 + 3 + 4 + 5 + 1) / 6, 2)
    evidence = closed.evidence
    assert evidence is not None
    assert evidence.staff_feedback is True and evidence.category == 3 and "Mean" in evidence.text
    assert "Clear weekly notes" not in evidence.text  # free text stays on the survey page
    assert {i.code for i in evidence.indicators.all()} >= {"I-B", "IV-F"}
    body = client.get(closed.get_absolute_url()).content.decode()
    assert "Mean" in body and f"{q1.mean:.2f}" in body and "Clear weekly notes" in body


def test_the_threshold_is_the_setting(survey: FeedbackSurvey, evaluator: Any, settings: Any) -> None:
    settings.EDLEAD_SUPPRESS_MIN_STAFF = 3
    _answer(survey, evaluator, 3)
    assert fsel.survey_results(survey, closed=True).shown
    settings.EDLEAD_SUPPRESS_MIN_STAFF = 4
    assert not fsel.survey_results(survey, closed=True).shown


# --- who --------------------------------------------------------------------------------------------------
def test_who_sees_and_manages_a_survey(
    world: World, cycle: Cycle, survey: FeedbackSurvey, evaluator: Any, client: Client
) -> None:
    url = survey.get_absolute_url()
    peer = make_user(person=world.people["P3"], password=None)
    for outsider in (peer, world.users["assistant_principal"], world.users["coach"], world.users["no_role"]):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.get(reverse("staff_feedback:cycle", args=[cycle.pk])).status_code == 404
        assert client.post(reverse("staff_feedback:survey-open", args=[survey.pk])).status_code == 404
    _answer(survey, evaluator, 6, comment="Kind and fair")
    educator = world.users["school_leader"]
    client.force_login(educator)
    assert "Mean" not in client.get(url).content.decode()  # not before it closes
    assert client.post(reverse("staff_feedback:survey-close", args=[survey.pk])).status_code == 404
    with pytest.raises(ApplicationError):
        fb.code_create(actor=educator, survey=survey, max_uses=3)
    with pytest.raises(ApplicationError, match="Only the evaluator closes"):
        fb.survey_close(actor=world.users["hr"], survey=survey)
    fb.survey_close(actor=evaluator, survey=survey)
    for reader in (educator, world.users["superintendent"], world.users["hr"]):
        client.force_login(reader)
        body = client.get(url).content.decode()
        assert "Mean" in body, reader
    assert "Send the links" not in body  # HR manages, but a closed survey sends nothing
    client.force_login(educator)
    assert "Send the links" not in client.get(url).content.decode()


def test_hr_creates_a_survey_and_teachers_cycles_take_none(world: World, cycle: Cycle) -> None:
    today = timezone.localdate()
    made = fb.survey_create(actor=world.users["hr"], cycle=cycle, opens_on=today, closes_on=today)
    assert made.questions[0]["indicator"] == "I-B" and len(made.questions) == 10
    teacher_cycle = cycle_for(world.people["TEA1"], evaluator=world.people["P1"])
    with pytest.raises(ApplicationError, match="administrators"):
        fb.survey_create(actor=world.users["hr"], cycle=teacher_cycle, opens_on=today, closes_on=today)
    with pytest.raises(ApplicationError):
        fb.survey_create(actor=world.users["school_leader"], cycle=cycle, opens_on=today, closes_on=today)


def test_pages_through_the_browser_forms(cycle: Cycle, evaluator: Any, client: Client) -> None:
    client.force_login(evaluator)
    today = timezone.localdate()
    made = client.post(
        reverse("staff_feedback:cycle", args=[cycle.pk]),
        {"title": "", "opens_on": today.isoformat(), "closes_on": (today + dt.timedelta(days=7)).isoformat()},
    )
    survey = FeedbackSurvey.objects.get(cycle=cycle)
    assert made.status_code == 302 and made["Location"] == survey.get_absolute_url()
    assert client.post(reverse("staff_feedback:survey-open", args=[survey.pk])).status_code == 302
    bad = client.post(reverse("staff_feedback:survey-invite", args=[survey.pk]), {"addresses": "x@y, nope"})
    assert bad.status_code == 400 and "not e-mail addresses" in bad.content.decode()
    assert FeedbackInvitation.objects.count() == 0 and mail.outbox == []
    listing = client.get(reverse("staff_feedback:cycle", args=[cycle.pk])).content.decode()
    assert survey.title in listing and "fewer than 6" in listing
    assert client.get(reverse("staff_feedback:answer")).status_code == 200
    assert client.get(reverse("staff_feedback:meeting")).status_code == 200
    assert client.get(reverse("staff_feedback:thanks")).status_code == 200


# --- queries -------------------------------------------------------------------------------------------------
def test_the_results_page_costs_the_same_queries_at_two_sizes(
    survey: FeedbackSurvey, evaluator: Any, client: Client, django_assert_num_queries: Any
) -> None:
    _answer(survey, evaluator, 6, comment="One")
    closed = fb.survey_close(actor=evaluator, survey=survey)
    client.force_login(evaluator)
    client.get(closed.get_absolute_url())  # warm the session and the district settings
    with CaptureQueriesContext(connection) as small:
        assert client.get(closed.get_absolute_url()).status_code == 200
    FeedbackResponse.objects.bulk_create(
        [
            FeedbackResponse(
                survey=closed,
                answers={**{k: 3 for k in FULL}, "comment": ""},
                submitted_on=timezone.localdate(),
            )
            for _ in range(40)
        ]
    )
    with django_assert_num_queries(len(small.captured_queries)):
        assert "46 responses" in client.get(closed.get_absolute_url()).content.decode()
    assert len(small.captured_queries) <= 20


@pytest.mark.usefixtures("empty_cache")
def test_guessing_keys_is_throttled_per_client_address(
    survey: FeedbackSurvey, evaluator: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After N keys that open nothing from one address within 15 minutes, that address is refused with a
    plain message (429) — even with a good code, and on the submit step too — while another address still
    answers; the window ends and it may try again. The cache holds no address in clear."""
    from edlead.evaluations import views_feedback

    settings.EDLEAD_FEEDBACK_KEY_FAILURES = 3
    now = [1_000_000.0]
    monkeypatch.setattr(views_feedback, "_clock", lambda: now[0])
    code = fb.code_create(actor=evaluator, survey=survey, max_uses=5)
    url = reverse("staff_feedback:answer")
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(3):
        r = guesser.post(url, {"kind": "code", "key": f"WRONG-00{n}"})
        assert r.status_code == 404 and "not valid" in r.content.decode()
    r = guesser.post(url, {"kind": "code", "key": code})
    assert r.status_code == 429 and r["Retry-After"] == "900"
    assert "Too many keys or codes that did not work" in r.content.decode()
    r = guesser.post(reverse("staff_feedback:answer-submit"), {"kind": "code", "key": code, **FULL})
    assert r.status_code == 429 and FeedbackResponse.objects.count() == 0
    # a link's key counts the same; another address is not held back
    other = Client(REMOTE_ADDR="198.51.100.4")
    assert other.post(url, {"kind": "link", "key": "not-a-token"}).status_code == 404
    assert other.post(url, {"kind": "code", "key": code}).status_code == 200
    # the window ends: the first address may try again
    now[0] += views_feedback.KEY_FAILURE_WINDOW
    assert guesser.post(url, {"kind": "code", "key": code}).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM edlead_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert keys and not any("203.0.113" in k for k in keys)


@pytest.mark.usefixtures("empty_cache")
def test_used_or_closed_keys_do_not_count_as_guesses(
    survey: FeedbackSurvey, evaluator: Any, settings: Any
) -> None:
    """A real key that is used up (or a closed survey's) is not a guess: it never throttles the address."""
    settings.EDLEAD_FEEDBACK_KEY_FAILURES = 2
    code = fb.code_create(actor=evaluator, survey=survey, max_uses=1)
    fb.response_submit(kind="code", key=code, data=FULL)
    client = Client(REMOTE_ADDR="203.0.113.8")
    for _ in range(4):
        assert client.post(reverse("staff_feedback:answer"), {"kind": "code", "key": code}).status_code == 410
