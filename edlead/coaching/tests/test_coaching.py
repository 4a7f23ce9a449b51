"""Coaching relationships, cycles and sessions: hours and induction progress, the lead's hours selector,
refusals of bad input (nothing half-written), and the pages' fixed query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from edlead.access.models import Relationship
from edlead.coaching import selectors, services
from edlead.coaching.models import CoachingCycle, CoachingRelationship, CoachingSession
from edlead.coaching.services import shows_coaching
from edlead.coaching.tests.conftest import TODAY, Coaching
from edlead.core.errors import ApplicationError
from edlead.people.models import Position
from edlead.testing import make_person, make_position, make_school

pytestmark = pytest.mark.django_db
K = CoachingRelationship.Kind


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _mentoring(coaching: Coaching) -> CoachingRelationship:
    w = coaching.world
    newbie = make_person("Nia", "Newcomer")
    make_position(
        newbie,
        make_school(w.orgs["N1"], "New School", code="99100201"),
        Position.Role.PRINCIPAL,
        starts_on=TODAY - dt.timedelta(days=60),
    )
    w.people["NEW"] = newbie
    return services.mentor_assign(
        actor=w.users["program_coordinator"],
        mentee=newbie,
        mentor=w.people["P1"],
        starts_on=TODAY - dt.timedelta(days=50),
    )


def test_relationship_stands_on_an_access_relationship(coaching: Coaching) -> None:
    access = coaching.p1.access
    assert access.kind == Relationship.Kind.COACH
    assert access.holder == coaching.world.people["EXEC"] and access.person == coaching.world.people["P1"]
    services.relationship_end(actor=coaching.world.users["program_coordinator"], relationship=coaching.p1)
    access.refresh_from_db()
    assert access.ends_on == TODAY
    # An access relationship already recorded (the demo's) is used, not doubled.
    rel = Relationship.objects.create(
        kind=Relationship.Kind.COACH,
        holder=coaching.world.people["EXEC"],
        person=coaching.world.people["P3"],
        organization=coaching.world.orgs["A"],
        starts_on=TODAY - dt.timedelta(days=3),
    )
    made = services.relationship_create(
        actor=None,
        kind=K.EXECUTIVE_COACH,
        coach=coaching.world.people["EXEC"],
        coachee=coaching.world.people["P3"],
    )
    assert made.access == rel and made.starts_on == rel.starts_on
    assert (
        Relationship.objects.filter(
            holder=coaching.world.people["EXEC"], person=coaching.world.people["P3"]
        ).count()
        == 1
    )


def test_hours_and_induction_progress(coaching: Coaching) -> None:
    from edlead.config.services import setting_set

    hours = selectors.hours_of(coaching.p1, TODAY)
    assert hours.total == 2.5 and hours.sessions == 2
    assert selectors.induction_progress(coaching.p1, hours) is None  # executive coaching: not induction
    rel = _mentoring(coaching)
    mentor = coaching.world.users["school_leader"]  # P1 mentors the newcomer
    for days, minutes in ((40, 90), (20, 60), (3, 30)):
        services.session_log(
            actor=mentor,
            relationship=rel,
            held_on=TODAY - dt.timedelta(days=days),
            minutes=minutes,
            focus="Induction",
        )
    hours = selectors.hours_of(rel, TODAY)
    assert hours.total == 3.0
    progress = selectors.induction_progress(rel, hours)
    assert (
        progress is not None
        and progress.required == 50
        and progress.percent == 6
        and progress.remaining == 47.0
    )
    setting_set(
        organization=coaching.world.orgs["A"],
        key=services.INDUCTION_HOURS,
        value=10,
        expected_version=0,
        actor=coaching.world.users["district_admin"],
    )
    rel = CoachingRelationship.objects.select_related("organization").get(pk=rel.pk)
    progress = selectors.induction_progress(rel, hours)
    assert progress is not None and progress.percent == 30
    body = _client(mentor).get(rel.get_absolute_url()).content.decode()
    assert "3.0 of 10 hours" in body and 'value="30"' in body


def test_hours_by_person_for_the_lead(coaching: Coaching, django_assert_num_queries: Any) -> None:
    p1, p3 = coaching.world.people["P1"].pk, coaching.world.people["P3"].pk
    with django_assert_num_queries(1):
        hours = selectors.coaching_hours_by_person([p1, p3, 999999], TODAY - dt.timedelta(days=60))
    assert hours == {p1: 2.5, p3: 0.75}
    assert selectors.coaching_hours_by_person([p1], TODAY - dt.timedelta(days=15)) == {p1: 1.0}
    assert selectors.coaching_hours_by_person([], TODAY) == {}


def test_bad_input_is_refused_with_nothing_written(coaching: Coaching) -> None:
    coach = coaching.exec_user
    before = CoachingSession.objects.count()

    def log(**changes: Any) -> None:
        data: dict[str, Any] = {
            "held_on": TODAY - dt.timedelta(days=1),
            "minutes": 30,
            "focus": "Hiring",
        } | changes
        services.session_log(
            actor=changes.pop("actor", coach),
            relationship=coaching.p1,
            **{k: v for k, v in data.items() if k != "actor"},
        )

    with pytest.raises(ApplicationError, match="Date: it is outside the relationship"):
        log(held_on=coaching.p1.starts_on - dt.timedelta(days=1))
    with pytest.raises(ApplicationError, match="Date: a session is logged once"):
        log(held_on=TODAY + dt.timedelta(days=1))
    with pytest.raises(ApplicationError, match="Length in minutes"):
        log(minutes=-30)
    with pytest.raises(ApplicationError, match="Length in minutes"):
        log(minutes=0)
    with pytest.raises(ApplicationError, match="Focus"):
        log(focus="  ")
    with pytest.raises(ApplicationError, match="only the coachee shares"):
        log(shared_with=CoachingSession.SharedWith.SUPERVISION)
    # Someone else's relationship: P3's coach, the evaluator, HR.
    for name in ("coach", "principal_supervisor", "hr"):
        with pytest.raises(ApplicationError, match="Only the coach and the coachee"):
            log(actor=coaching.world.users[name])
    other_cycle = CoachingCycle.objects.create(relationship=coaching.p3, title="P3's", starts_on=TODAY)
    with pytest.raises(ApplicationError, match="Cycle: choose a cycle of this relationship"):
        log(cycle=other_cycle)
    assert CoachingSession.objects.count() == before
    # An ended relationship takes no session after its end.
    services.relationship_end(
        actor=coaching.world.users["program_coordinator"],
        relationship=coaching.p1,
        ends_on=TODAY - dt.timedelta(days=2),
    )
    coaching.p1.refresh_from_db()
    with pytest.raises(ApplicationError, match="outside the relationship"):
        log()
    # Starting: with oneself, by someone who does not assign mentors.
    with pytest.raises(ApplicationError, match="themselves"):
        services.relationship_create(
            actor=None,
            kind=K.PEER_MENTOR,
            coach=coaching.world.people["P1"],
            coachee=coaching.world.people["P1"],
        )
    with pytest.raises(ApplicationError, match="may not start"):
        services.relationship_create(
            actor=coaching.world.users["principal_supervisor"],
            kind=K.PEER_MENTOR,
            coach=coaching.world.people["P1"],
            coachee=coaching.world.people["P3"],
        )
    assert CoachingSession.objects.count() == before


def test_log_form_names_the_field(coaching: Coaching) -> None:
    c = _client(coaching.exec_user)
    url = reverse("coaching:session-log", args=[coaching.p1.pk])
    response = c.post(
        url, {"held_on": TODAY.isoformat(), "minutes": "-5", "focus": "Hiring", "shared_with": "private"}
    )
    assert response.status_code == 400
    assert "Length in minutes" in response.content.decode()
    early = (coaching.p1.starts_on - dt.timedelta(days=3)).isoformat()
    response = c.post(url, {"held_on": early, "minutes": "30", "focus": "Hiring", "shared_with": "private"})
    assert response.status_code == 400 and "outside the relationship" in response.content.decode()
    ok = c.post(
        url,
        {
            "held_on": TODAY.isoformat(),
            "minutes": "45",
            "focus": "Hiring",
            "shared_with": "private",
            "notes": "n",
        },
    )
    assert ok.status_code == 302
    assert coaching.p1.sessions.count() == 3


def test_coachee_shares_and_takes_back(coaching: Coaching) -> None:
    c = _client(coaching.world.users["school_leader"])
    url = reverse("coaching:session-share", args=[coaching.private.pk])
    assert c.post(url, {"shared_with": "supervision"}).status_code == 302
    sup = coaching.world.users["principal_supervisor"]
    assert (
        selectors.sessions_readable(sup, CoachingSession.objects.all())
        .filter(pk=coaching.private.pk)
        .exists()
    )
    c.post(url, {"shared_with": "private"})
    assert (
        not selectors.sessions_readable(sup, CoachingSession.objects.all())
        .filter(pk=coaching.private.pk)
        .exists()
    )
    # The coach cannot share the coachee's notes.
    with pytest.raises(ApplicationError, match="Only the coachee"):
        services.session_share(actor=coaching.exec_user, session=coaching.private, shared_with="supervision")


def test_cycles_and_goals(coaching: Coaching) -> None:
    c = _client(coaching.exec_user)
    response = c.post(
        reverse("coaching:cycle-add", args=[coaching.p1.pk]),
        {
            "title": "Feedback to teachers",
            "starts_on": TODAY.isoformat(),
            "goal": "Weekly walkthrough feedback",
        },
    )
    assert response.status_code == 302
    cycle = coaching.p1.cycles.get()
    assert [g.statement for g in cycle.goals.all()] == ["Weekly walkthrough feedback"]
    goal = cycle.goals.get()
    c.post(reverse("coaching:goal-status", args=[goal.pk]), {"status": "met"})
    goal.refresh_from_db()
    assert goal.status == "met"
    early = (coaching.p1.starts_on - dt.timedelta(days=1)).isoformat()
    bad = c.post(
        reverse("coaching:cycle-add", args=[coaching.p1.pk]), {"title": "Too early", "starts_on": early}
    )
    assert bad.status_code == 400 and "Start date: it is outside" in bad.content.decode()
    # Not a participant: 404.
    assert (
        _client(coaching.world.users["principal_supervisor"])
        .post(reverse("coaching:goal-add", args=[cycle.pk]), {"statement": "x"})
        .status_code
        == 404
    )


def test_navigation_and_pages_by_role(coaching: Coaching) -> None:
    users = coaching.world.users
    assert shows_coaching(users["exec_coach"]) and shows_coaching(users["school_leader"])
    assert shows_coaching(users["program_coordinator"]) and shows_coaching(users["district_admin"])
    assert not shows_coaching(users["hr"]) and not shows_coaching(users["no_role"])
    page = _client(users["exec_coach"]).get(reverse("coaching:relationship-list")).content.decode()
    assert "Pat Principal-One" in page and "Pia Principal-Three" not in page
    page = _client(users["program_coordinator"]).get(reverse("coaching:relationship-list")).content.decode()
    assert "Pat Principal-One" in page and "Pia Principal-Three" in page and "Start a coaching" in page
    assert _client(users["hr"]).get(reverse("coaching:relationship-list")).status_code == 404
    assert _client(users["school_leader"]).get(reverse("coaching:matching")).status_code == 404


def _more_sessions(coaching: Coaching, n: int) -> None:
    for k in range(n):
        services.session_log(
            actor=coaching.exec_user,
            relationship=coaching.p1,
            held_on=TODAY - dt.timedelta(days=k % 60),
            minutes=30,
            focus=f"Topic {k}",
        )
    cycle = services.cycle_add(
        actor=coaching.exec_user, relationship=coaching.p1, title=f"Cycle {n}", starts_on=TODAY
    )
    services.goal_add(actor=coaching.exec_user, cycle=cycle, statement="A goal")


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    "who", ["exec_coach", "school_leader", "program_coordinator", "principal_supervisor"]
)
def test_pages_issue_a_fixed_number_of_queries(coaching: Coaching, who: str) -> None:
    client = _client(coaching.world.users[who])
    urls = [
        reverse("coaching:relationship-list"),
        reverse("coaching:relationship-detail", args=[coaching.p1.pk]),
    ]
    if who == "program_coordinator":
        urls.append(reverse("coaching:matching"))
    small = [_count(client, u) for u in urls]
    _more_sessions(coaching, 12)
    _mentoring(coaching)
    big = [_count(client, u) for u in urls]
    assert small == big
