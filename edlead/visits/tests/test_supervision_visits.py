"""Supervision visits (issue 12): scheduled or unannounced, a purpose, the district's look-fors, notes
that autosave with the version check, evidence tagged to plan goals (and to indicators only when
evaluative), next steps, feedback released to the principal, coverage and the calendar feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from edlead import config
from edlead.access.tests.conftest import World
from edlead.core.errors import ApplicationError
from edlead.evaluations.models import Indicator
from edlead.evaluations.tests.factories import cycle_for
from edlead.notices.models import Notice
from edlead.plans.tests.test_plans import _goal, _plan
from edlead.visits import calendar, selectors, services
from edlead.visits.models import CalendarFeed, NextStep, Visit

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
WALK = Visit.Purpose.LEARNING_WALK


def _schedule(world: World, *, days: int = 7, **kw: Any) -> Visit:
    args: dict[str, Any] = {
        "actor": world.users["principal_supervisor"],
        "organization": world.orgs["S1"],
        "date": TODAY + dt.timedelta(days=days),
        "start_time": dt.time(9, 30),
        "length_minutes": 90,
        "educator": world.people["P1"],
        "purpose": WALK,
    }
    args.update(kw)
    return services.visit_record(**args)


def _login(client: Client, world: World, key: str) -> None:
    client.force_login(world.users[key])


def test_a_scheduled_announced_visit_tells_the_principal_and_an_unannounced_one_stays_hidden(
    world: World,
) -> None:
    announced = _schedule(world)
    notice = Notice.objects.get(person=world.people["P1"], kind=services.NOTICE_SCHEDULED)
    assert "Learning walk" in notice.subject and notice.link == announced.get_absolute_url()
    hidden = _schedule(world, days=3, announced=False)
    assert Notice.objects.filter(kind=services.NOTICE_SCHEDULED).count() == 1
    principal = world.users["school_leader"]
    seen = set(selectors.visits_for(principal).values_list("pk", flat=True))
    assert announced.pk in seen and hidden.pk not in seen
    # The supervisor (the visitor, and the principal's chain) sees both.
    assert {announced.pk, hidden.pk} <= set(
        selectors.visits_for(world.users["principal_supervisor"]).values_list("pk", flat=True)
    )
    # Nothing is written before the day; feedback is not released before it either.
    with pytest.raises(ApplicationError, match="still to come"):
        _schedule(world, notes="Early notes")
    with pytest.raises(ApplicationError, match="has not happened"):
        services.visit_release_feedback(actor=world.users["principal_supervisor"], visit=announced)
    with pytest.raises(ApplicationError, match="a year ahead"):
        _schedule(world, days=400)


def test_notes_look_fors_tags_steps_and_release(world: World) -> None:
    sup = world.users["principal_supervisor"]
    plan = _plan(world)
    goal = _goal(world, plan)
    visit = _schedule(world, days=0)
    look_for = config.setting(world.orgs["S1"], services.LOOK_FORS)[0]
    visit = services.visit_update(
        actor=sup,
        visit=visit,
        expected_version=visit.version,
        notes="Grade 3 math",
        look_fors={look_for: "partly"},
    )
    assert visit.look_fors == {look_for: "partly"}
    with pytest.raises(ApplicationError, match="not in the district's protocol"):
        services.visit_update(
            actor=sup, visit=visit, expected_version=visit.version, look_fors={"Invented": "evident"}
        )
    with pytest.raises(ApplicationError, match="not a level"):
        services.visit_update(
            actor=sup, visit=visit, expected_version=visit.version, look_fors={look_for: "great"}
        )
    # Plan goals may be tagged; indicators only on an evaluative visit.
    framework = cycle_for(world.people["P1"], evaluator=world.people["SUP1"]).framework
    indicator: Any = Indicator.objects.filter(standard__framework=framework).first()
    with pytest.raises(ApplicationError, match="only when the visit is evaluative"):
        services.visit_tags_set(actor=sup, visit=visit, plan_goals=[goal], indicators=[indicator])
    visit = services.visit_tags_set(actor=sup, visit=visit, plan_goals=[goal])
    assert list(visit.plan_goals.all()) == [goal]
    # A goal of another school's plan is refused.
    from edlead.plans.models import Plan

    other = Plan.objects.create(
        organization=world.orgs["S3"], title="Other", first_year=plan.first_year, last_year=plan.first_year
    )
    with pytest.raises(ApplicationError, match="not a goal of this school's plan"):
        services.visit_tags_set(actor=sup, visit=visit, plan_goals=[_goal_of(other)])
    # Next steps: owned by the principal, someone at the school or the district's offices — not a stranger.
    step = services.next_step_add(
        actor=sup,
        visit=visit,
        description="Share the math look-fors with grade 3",
        owner=world.people["P1"],
        due_on=TODAY + dt.timedelta(days=14),
    )
    with pytest.raises(ApplicationError, match="does not work at the school"):
        services.next_step_add(
            actor=sup, visit=visit, description="x", owner=world.people["PT1"], due_on=TODAY
        )
    with pytest.raises(ApplicationError, match="before the visit"):
        services.next_step_add(
            actor=sup,
            visit=visit,
            description="x",
            owner=world.people["P1"],
            due_on=TODAY - dt.timedelta(days=1),
        )
    with pytest.raises(ApplicationError, match="Write the feedback"):
        services.visit_release_feedback(actor=sup, visit=visit)
    visit = services.visit_update(
        actor=sup, visit=visit, expected_version=visit.version, feedback="Strong start."
    )
    released = services.visit_release_feedback(actor=sup, visit=visit)
    assert released.feedback_released_at is not None
    notice = Notice.objects.get(person=world.people["P1"], kind=services.NOTICE_FEEDBACK)
    assert notice.link == visit.get_absolute_url()
    # The principal marks their step done; the visit itself no longer changes.
    services.next_step_done(actor=world.users["school_leader"], step=step)
    assert NextStep.objects.get(pk=step.pk).done_on == TODAY
    with pytest.raises(ApplicationError, match="can no longer change"):
        services.visit_tags_set(actor=sup, visit=visit, plan_goals=[])
    with pytest.raises(ApplicationError, match="owner or the visitor"):
        services.next_step_done(actor=world.users["educator"], step=step)


def _goal_of(plan: Any) -> Any:
    from edlead.plans.models import Goal

    return Goal.objects.create(
        plan=plan,
        statement="Elsewhere",
        metric_id=Goal.objects.first().metric_id,  # type: ignore[union-attr]
        group_id=Goal.objects.first().group_id,  # type: ignore[union-attr]
        school_year=plan.first_year,
        baseline=1,
        target=2,
    )


def test_cancel_only_a_visit_to_come(world: World) -> None:
    sup = world.users["principal_supervisor"]
    visit = _schedule(world)
    cancelled = services.visit_cancel(actor=sup, visit=visit)
    assert cancelled.cancelled
    with pytest.raises(ApplicationError, match="cancelled"):
        services.visit_update(
            actor=sup, visit=cancelled, expected_version=cancelled.version, length_minutes=30
        )
    past = _schedule(world, days=-2)
    with pytest.raises(ApplicationError, match="still to come"):
        services.visit_cancel(actor=sup, visit=past)
    with pytest.raises(ApplicationError, match="Only the visitor"):
        services.visit_cancel(actor=world.users["superintendent"], visit=_schedule(world, days=5))


def test_coverage_counts_the_supervisors_visits_made_this_year(world: World) -> None:
    _schedule(world, days=-40)
    _schedule(world, days=-3)
    cancelled = _schedule(world, days=-1)
    Visit.objects.filter(pk=cancelled.pk).update(cancelled_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    nxt = _schedule(world, days=9)
    _schedule(world, days=-5, actor=world.users["superintendent"])  # someone else's visit: not theirs
    found = selectors.coverage([world.orgs["S1"].pk, world.orgs["S3"].pk], world.people["SUP1"].pk, TODAY)
    s1 = found[world.orgs["S1"].pk]
    start = selectors.school_year_start(TODAY)
    assert s1.last == TODAY - dt.timedelta(days=3)
    assert s1.this_year == sum(1 for d in (40, 3) if TODAY - dt.timedelta(days=d) >= start)
    assert s1.upcoming == nxt.date and s1.days_since(TODAY) == 3
    assert world.orgs["S3"].pk not in found


def test_the_pages_for_the_supervisor_and_the_principal(world: World, client: Client) -> None:
    plan = _plan(world)
    _goal(world, plan)
    _login(client, world, "principal_supervisor")
    response = client.get(reverse("visits:visit-new"))
    assert response.status_code == 200 and world.orgs["S1"].name in response.text
    day = TODAY.isoformat()
    response = client.post(
        reverse("visits:visit-new"),
        {
            "school": world.orgs["S1"].pk,
            "purpose": WALK,
            "date": day,
            "length_minutes": 60,
            "with_principal": "on",
            "announced": "on",
        },
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == visit.get_absolute_url()
    page = client.get(visit.get_absolute_url())
    assert (
        page.status_code == 200 and 'id="visit-notes-form"' in page.text and "visit-offline.js" in page.text
    )
    # Autosave (htmx) answers the status line; a stale version is a conflict, nothing overwritten.
    saved = client.post(
        reverse("visits:visit-save", args=[visit.pk]),
        {"version": visit.version, "notes": "Calm halls", "feedback": "", "lf_1": "evident"},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200 and "Saved" in saved.text
    stale = client.post(
        reverse("visits:visit-save", args=[visit.pk]),
        {"version": visit.version, "notes": "Other tab", "feedback": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "Not saved" in stale.text
    visit.refresh_from_db()
    assert visit.notes == "Calm halls" and len(visit.look_fors) == 1
    # Not released: the principal sees the visit but not the notes.
    principal = Client()
    principal.force_login(world.users["school_leader"])
    page = principal.get(visit.get_absolute_url())
    assert (
        page.status_code == 200 and "Calm halls" not in page.text and "not released the feedback" in page.text
    )
    services.visit_update(
        actor=world.users["principal_supervisor"],
        visit=visit,
        expected_version=visit.version,
        feedback="Keep the calm.",
    )
    assert client.post(reverse("visits:visit-release", args=[visit.pk])).status_code == 302
    page = principal.get(visit.get_absolute_url())
    assert "Keep the calm." in page.text and "Released" in page.text
    assert principal.get(reverse("visits:visit-list")).status_code == 200
    # Outsiders: another quadrant's supervisor, a teacher, a coach — 404.
    for key in ("educator", "coach"):
        other = Client()
        other.force_login(world.users[key])
        assert other.get(visit.get_absolute_url()).status_code == 404, key
    assert principal.post(reverse("visits:visit-save", args=[visit.pk]), {"notes": "x"}).status_code == 404


def test_coverage_page_and_csv(world: World, client: Client) -> None:
    _schedule(world, days=-2)
    _login(client, world, "principal_supervisor")
    page = client.get(reverse("visits:coverage"))
    assert page.status_code == 200 and world.orgs["S1"].name in page.text and "target of 12" in page.text
    rows = client.get(reverse("visits:coverage") + "?format=csv").content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("School,Last visit,Days since")
    s1 = next(r for r in rows if r.startswith(world.orgs["S1"].name))
    assert f",{TODAY - dt.timedelta(days=2)},2," in s1
    _login(client, world, "school_leader")
    assert client.get(reverse("visits:coverage")).status_code == 404


def test_the_visit_page_reads_in_a_fixed_number_of_queries(
    world: World, client: Client, django_assert_max_num_queries: Any
) -> None:
    sup = world.users["principal_supervisor"]
    visit = _schedule(world, days=0)
    _login(client, world, "principal_supervisor")
    client.get(visit.get_absolute_url())  # warm the session and settings caches
    with django_assert_max_num_queries(30) as few:
        client.get(visit.get_absolute_url())
    for n in range(6):
        services.next_step_add(
            actor=sup, visit=visit, description=f"Step {n}", owner=world.people["P1"], due_on=TODAY
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(visit.get_absolute_url())


def test_the_calendar_feed(world: World, client: Client) -> None:
    visit = _schedule(world)
    hidden = _schedule(world, days=4, announced=False)
    _login(client, world, "principal_supervisor")
    assert client.post(reverse("visits:calendar")).status_code == 302
    feed = CalendarFeed.objects.get(user=world.users["principal_supervisor"])
    anonymous = Client()
    body = anonymous.get(reverse("visits:calendar-feed", args=[feed.token])).content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.count("BEGIN:VEVENT") == 2
    assert f"UID:visit-{visit.pk}@edlead" in body and "SUMMARY:Learning walk / instructional rounds: " in body
    # The principal's own feed has the announced visit only.
    principal = Client()
    principal.force_login(world.users["school_leader"])
    principal.post(reverse("visits:calendar"))
    theirs = CalendarFeed.objects.get(user=world.users["school_leader"])
    text = anonymous.get(reverse("visits:calendar-feed", args=[theirs.token])).content.decode()
    assert f"visit-{visit.pk}@" in text and f"visit-{hidden.pk}@" not in text
    # A new address ends the old one.
    old = feed.token
    client.post(reverse("visits:calendar"))
    assert anonymous.get(reverse("visits:calendar-feed", args=[old])).status_code == 404


def test_ical_text_is_escaped_and_folded() -> None:
    assert calendar.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "é" * 60
    folded = calendar.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_the_work_queue_asks_for_feedback_and_next_steps(world: World) -> None:
    from edlead.visits import queue

    sup = world.users["principal_supervisor"]
    past = _schedule(world, days=-5)
    soon = _schedule(world, days=3)
    later = _schedule(world, days=30)
    titles = {i.url: i for i in queue.items(sup, TODAY)}
    assert titles[past.get_absolute_url()].title.startswith("Release the feedback")
    assert titles[past.get_absolute_url()].due == past.date + dt.timedelta(days=queue.FEEDBACK_DAYS)
    assert soon.get_absolute_url() in titles and later.get_absolute_url() not in titles
    step = services.next_step_add(
        actor=sup,
        visit=past,
        description="Share the list",
        owner=world.people["P1"],
        due_on=TODAY + dt.timedelta(days=2),
    )
    assert not any(i.title.startswith("Next step") for i in queue.items(world.users["school_leader"], TODAY))
    services.visit_update(actor=sup, visit=past, expected_version=past.version, feedback="Good.")
    services.visit_release_feedback(actor=sup, visit=Visit.objects.get(pk=past.pk))
    mine = queue.items(world.users["school_leader"], TODAY)
    assert [i.title for i in mine] == ["Next step: Share the list"] and mine[0].due == step.due_on
    assert past.get_absolute_url() not in {i.url for i in queue.items(sup, TODAY)}
