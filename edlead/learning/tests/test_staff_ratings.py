"""Colleague ratings (360) of a leader through the platform's anonymous staff survey: the leader or their
evaluator asks, staff answer through single-use links or a meeting code on the 1–4 scale, the averages
reach the growth profile (and count as gaps) only once the survey closes with enough answers; who may
ask, run and read; nothing in the tables ties an answer to a person.

Pat Principal-One (P1, Oak Elementary) is evaluated by Sam Supervisor-North (SUP1)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from edlead.access.tests.conftest import World
from edlead.core.errors import ApplicationError
from edlead.evaluations import services_feedback as fb
from edlead.evaluations.models_feedback import FeedbackResponse, FeedbackSurvey
from edlead.learning import recommend, services_staff, services_surveys
from edlead.learning.tests.factories import make_evaluator, make_program, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluated(world: World) -> World:
    make_evaluator(world)
    return world


def _ask(world: World, who: str = "school_leader") -> FeedbackSurvey:
    today = timezone.localdate()
    survey = services_staff.ask(
        actor=world.users[who],
        person=world.people["P1"],
        opens_on=today,
        closes_on=today + dt.timedelta(days=14),
    )
    return fb.survey_open(actor=world.users[who], survey=survey)


def _answer(survey: FeedbackSurvey, actor: Any, scores: list[dict[str, str]]) -> None:
    code = fb.code_create(actor=actor, survey=survey, max_uses=len(scores))
    for data in scores:
        fb.response_submit(kind="code", key=code, data=data)


def test_colleague_averages_join_the_profile_only_when_closed_with_enough_answers(
    evaluated: World, settings: Any
) -> None:
    world = evaluated
    settings.EDLEAD_SUPPRESS_MIN_STAFF = 3
    leader = world.users["school_leader"]
    services_surveys.submit_ratings(
        actor=leader, person=world.people["P1"], ratings={"equity": 3, "communication": 4}
    )
    survey = _ask(world)
    assert {q["key"] for q in survey.questions} >= {"c-equity", "c-communication"}
    assert all(q["key"] == f"c-{q['competency']}" for q in survey.questions)
    _answer(
        survey,
        leader,
        [{"c-equity": "1", "c-communication": "4"}, {"c-equity": "2", "c-communication": "na"}],
    )
    # Open: nothing shows, however many answered.
    assert recommend.growth_profile(world.people["P1"].pk).staff_n == 0
    _answer(survey, leader, [{"c-equity": "2", "c-communication": "3", "comment": "Listens well."}])
    assert recommend.growth_profile(world.people["P1"].pk).staff_n == 0
    fb.survey_close(actor=leader, survey=survey)
    profile = recommend.growth_profile(world.people["P1"].pk)
    rows = {r.competency.code: r for r in profile.rows}
    assert profile.staff_n == 3 and profile.staff_closed_on == timezone.localdate()
    assert (rows["equity"].staff_mean, rows["equity"].staff_n) == (1.7, 3)
    assert (rows["communication"].staff_mean, rows["communication"].staff_n) == (3.5, 2)
    # The colleagues' Developing on equity is a gap though the leader rated themselves Proficient.
    assert rows["equity"].self_score == 3 and rows["equity"].is_gap
    assert not rows["communication"].is_gap
    make_session(make_program("Equity Institute", competencies=["equity"]))
    _, recs = recommend.recommendations(leader, world.people["P1"])
    assert [r.program.title for r in recs] == ["Equity Institute"]
    assert (
        "Develops equity and cultural proficiency, which your colleagues rated Developing" in recs[0].reasons
    )


def test_a_closed_survey_with_too_few_answers_shows_nothing(evaluated: World, settings: Any) -> None:
    world = evaluated
    settings.EDLEAD_SUPPRESS_MIN_STAFF = 3
    survey = _ask(world, "principal_supervisor")
    _answer(survey, world.users["principal_supervisor"], [{"c-equity": "1"}, {"c-equity": "1"}])
    fb.survey_close(actor=world.users["principal_supervisor"], survey=survey)
    assert FeedbackSurvey.objects.get(pk=survey.pk).closed_responses == 2
    profile = recommend.growth_profile(world.people["P1"].pk)
    assert profile.staff_n == 0 and all(r.staff_mean is None for r in profile.rows)
    assert not profile.gaps


def test_answers_off_the_scale_are_refused_and_nothing_is_kept(evaluated: World) -> None:
    world = evaluated
    survey = _ask(world)
    code = fb.code_create(actor=world.users["school_leader"], survey=survey, max_uses=5)
    for bad in ("5", "0", "x"):
        with pytest.raises(ApplicationError, match="Choose one of the answers"):
            fb.response_submit(kind="code", key=code, data={"c-equity": bad})
    assert not FeedbackResponse.objects.exists()


def test_who_may_ask_run_and_read(evaluated: World, client: Client) -> None:
    world = evaluated
    url = reverse("learning:staff-ratings", args=[world.people["P1"].pk])
    today = timezone.localdate()
    form = {"opens_on": today.isoformat(), "closes_on": (today + dt.timedelta(days=7)).isoformat()}
    # Neither a coordinator, a colleague nor the other network's supervisor sees the page or the survey.
    survey = _ask(world)
    detail = reverse("staff_feedback:survey-detail", args=[survey.pk])
    for key in ("program_coordinator", "assistant_principal", "educator", "hr", "no_role"):
        client.force_login(world.users[key])
        assert client.get(url).status_code == 404, key
        assert client.post(url, form).status_code == 404, key
        assert client.get(detail).status_code == 404, key
    # The leader and their evaluator read and run it; their supervisor's chain reads it.
    for key in ("school_leader", "principal_supervisor"):
        client.force_login(world.users[key])
        page = client.get(detail)
        assert page.status_code == 200 and "Invite the staff" in page.content.decode(), key
        assert survey.title in client.get(url).content.decode()
    client.force_login(world.users["superintendent"])
    page = client.get(detail)
    assert page.status_code == 200 and "Invite the staff" not in page.content.decode()
    assert "Create the survey" not in client.get(url).content.decode()
    with pytest.raises(ApplicationError, match="Only who asked"):
        fb.survey_close(actor=world.users["superintendent"], survey=survey)
    # One runs at a time: a second one is refused with a plain message, the first kept.
    client.force_login(world.users["principal_supervisor"])
    again = client.post(url, form)
    assert again.status_code == 400 and "already running" in again.content.decode()
    assert FeedbackSurvey.objects.filter(purpose="growth").count() == 1
    fb.survey_close(actor=world.users["principal_supervisor"], survey=survey)
    made = client.post(url, form)
    assert made.status_code == 302
    assert FeedbackSurvey.objects.filter(purpose="growth", subject=world.people["P1"]).count() == 2


def test_staff_answer_through_an_emailed_link_on_the_growth_scale(evaluated: World, client: Client) -> None:
    world = evaluated
    survey = _ask(world)
    fb.survey_invite(actor=world.users["school_leader"], survey=survey, addresses="ana@oak.example.org")
    (message,) = mail.outbox
    assert "Pat Principal-One, Oak Elementary, to help them plan their professional learning" in message.body
    token = re.search(r"#k=([A-Za-z0-9_-]+)", str(message.body)).group(1)  # type: ignore[union-attr]
    page = client.post(reverse("staff_feedback:answer"), {"kind": "link", "key": token})
    body = page.content.decode()
    assert page.status_code == 200 and "Rate the leadership of Pat Principal-One" in body
    assert "Beginning" in body and "Strong" in body and "Strongly agree" not in body
    assert "Equity and cultural proficiency" in body
    done = client.post(
        reverse("staff_feedback:answer-submit"),
        {"kind": "link", "key": token, "c-equity": "2", "comment": "Great listener"},
    )
    assert done.status_code == 302
    (row,) = FeedbackResponse.objects.values("answers", "submitted_on", "survey_id")
    assert row["answers"]["c-equity"] == 2 and row["survey_id"] == survey.pk
    # The stored row names no one: no invitation, address, time of day or person.
    assert {f.name for f in FeedbackResponse._meta.get_fields()} == {
        "id",
        "survey",
        "answers",
        "submitted_on",
    }
    assert "ana@oak.example.org" not in repr(list(FeedbackSurvey.objects.values()))


def test_the_profile_pages_show_the_colleagues_column(
    evaluated: World, client: Client, settings: Any
) -> None:
    world = evaluated
    settings.EDLEAD_SUPPRESS_MIN_STAFF = 2
    services_surveys.submit_ratings(
        actor=world.users["school_leader"], person=world.people["P1"], ratings={"equity": 3}
    )
    survey = _ask(world)
    _answer(survey, world.users["school_leader"], [{"c-equity": "2"}, {"c-equity": "3"}])
    fb.survey_close(actor=world.users["school_leader"], survey=survey)
    client.force_login(world.users["school_leader"])
    own = client.get(reverse("learning:recommendations")).content.decode()
    assert "Colleagues" in own and "2.5" in own and "(n = 2)" in own and "and your colleagues'." in own
    assert f"survey closed {timezone.localdate():%-d %B %Y}" in own
    client.force_login(world.users["principal_supervisor"])
    theirs = client.get(reverse("learning:person-growth", args=[world.people["P1"].pk])).content.decode()
    assert "2.5" in theirs and reverse("learning:staff-ratings", args=[world.people["P1"].pk]) in theirs
