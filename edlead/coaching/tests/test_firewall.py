"""The coaching firewall: a session's focus, actions and notes are read by the coach and the coachee of
its relationship only — not by the coachee's evaluator, supervisors, HR, the superintendent, an
administrator, a coordinator, or a coach holding a district-wide COACH role who is not their coach — and
never appear in evaluation pages, exports or searches, even when the coachee shared them."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from edlead.access import policy
from edlead.coaching import selectors
from edlead.coaching.models import CoachingSession
from edlead.coaching.rules import COACHING_NOTES, COACHING_VIEW
from edlead.coaching.tests.conftest import P1_NOTE, P1_SHARED_NOTE, P3_NOTE, Coaching

pytestmark = pytest.mark.django_db

SECRETS = (P1_NOTE, "P1-FOCUS", "P1-ACTIONS", P1_SHARED_NOTE, P3_NOTE)


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def test_only_coach_and_coachee_read_private_notes(coaching: Coaching) -> None:
    users = coaching.world.users
    readable = {
        name: set(selectors.sessions_readable(u, CoachingSession.objects.all()).values_list("pk", flat=True))
        for name, u in users.items()
    }
    p1 = {coaching.private.pk, coaching.shared.pk}
    assert readable["exec_coach"] == p1  # P1's coach: not P3's notes, whatever her district-wide role
    assert readable["school_leader"] == p1  # the coachee
    assert readable["coach"] == {coaching.other.pk}  # P3's coach: not P1's notes
    # The coachee shared one session: their evaluator and supervision chain read that one, no other.
    assert readable["principal_supervisor"] == {coaching.shared.pk}
    assert readable["superintendent"] == {coaching.shared.pk}
    for name in (
        "state_admin",
        "district_admin",
        "hr",
        "assistant_principal",
        "educator",
        "program_coordinator",
        "cabinet",
        "no_role",
    ):
        assert readable[name] == set(), name


def test_the_notes_rule_names_no_role_and_no_evaluator(coaching: Coaching) -> None:
    sessions = CoachingSession.objects.filter(pk=coaching.private.pk)
    users = coaching.world.users
    for name in (
        "principal_supervisor",
        "superintendent",
        "hr",
        "district_admin",
        "coach",
        "program_coordinator",
    ):
        assert not policy.visible_to(users[name], sessions, COACHING_NOTES).exists(), name
        assert not policy.can(users[name], COACHING_NOTES, coaching.private), name
    assert policy.can(users["exec_coach"], COACHING_NOTES, coaching.private)
    assert policy.can(users["school_leader"], COACHING_NOTES, coaching.private)


def test_relationship_page_shows_notes_only_to_coach_and_coachee(coaching: Coaching) -> None:
    url = reverse("coaching:relationship-detail", args=[coaching.p1.pk])
    for name in ("exec_coach", "school_leader"):
        body = _client(coaching.world.users[name]).get(url).content.decode()
        assert P1_NOTE in body and "P1-ACTIONS" in body, name
    for name, user in coaching.world.users.items():
        if name in ("exec_coach", "school_leader"):
            continue
        response = _client(user).get(url)
        assert response.status_code in (200, 404), name
        body = response.content.decode()
        assert P1_NOTE not in body and "P1-FOCUS" not in body and "P1-ACTIONS" not in body, name
        if name in ("principal_supervisor", "superintendent"):
            assert response.status_code == 200 and P1_SHARED_NOTE in body, name  # shared by the coachee
        else:
            assert P1_SHARED_NOTE not in body, name
    # The district-wide coach who does not coach P1, and roles without a relationship: not even the page.
    for name in ("coach", "hr", "educator", "assistant_principal", "cabinet", "no_role"):
        assert _client(coaching.world.users[name]).get(url).status_code == 404, name
    assert not policy.can(coaching.world.users["coach"], COACHING_VIEW, coaching.p1)


def test_other_peoples_session_actions_are_404(coaching: Coaching) -> None:
    share = reverse("coaching:session-share", args=[coaching.private.pk])
    log = reverse("coaching:session-log", args=[coaching.p1.pk])
    for name in ("principal_supervisor", "coach", "hr", "program_coordinator"):
        c = _client(coaching.world.users[name])
        assert c.post(share, {"shared_with": "supervision"}).status_code == 404, name
        assert c.post(log, {"held_on": "2020-01-01", "minutes": 30, "focus": "x"}).status_code == 404, name
    coaching.private.refresh_from_db()
    assert coaching.private.shared_with == CoachingSession.SharedWith.PRIVATE


def test_evaluation_pages_exports_and_search_never_show_notes(coaching: Coaching) -> None:
    from pypdf import PdfReader

    from edlead.evaluations.tests.cycle_helpers import open_principal_cycle

    walk = open_principal_cycle(coaching.world)
    p1 = coaching.world.people["P1"]
    pages = [
        reverse("evaluations:cycle-detail", args=[walk.cycle.pk]),
        reverse("evaluations:cycle-list"),
        reverse("people:person-detail", args=[p1.pk]),
        reverse("evaluation_reports:ratings-export") + f"?year={walk.cycle.school_year}",
        reverse("evaluation_reports:completion"),
        reverse("home:home"),
        reverse("home:search") + "?q=zebra",
        reverse("home:search") + "?q=walrus",
        reverse("home:search") + "?q=Principal-One",
    ]
    readers = (
        "principal_supervisor",
        "superintendent",
        "hr",
        "district_admin",
        "school_leader",
        "exec_coach",
    )
    checked = 0
    for name in readers:
        c = _client(coaching.world.users[name])
        for url in pages:
            response = c.get(url)
            if response.status_code != 200:
                continue
            body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
            text = body.decode("utf-8", "replace")
            for secret in SECRETS:
                assert secret not in text, (name, url, secret)
            checked += 1
    assert checked >= 20  # the evaluator, HR and the coachee open the evaluation pages
    pdf = _client(coaching.world.users["principal_supervisor"]).get(
        reverse("evaluations:cycle-pdf", args=[walk.cycle.pk])
    )
    assert pdf.status_code == 200
    text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Principal-One" in text
    for secret in SECRETS:
        assert secret not in text
