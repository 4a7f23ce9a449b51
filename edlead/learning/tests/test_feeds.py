"""iCal feeds: a person's sessions (signed in, or by a signed token without cookies) and one session's
file, parsed back to check the events, their UIDs, statuses, times and text; a fixed number of
queries; no other person's name; 404 for a bad token or a program one may not see."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import signing
from django.urls import reverse
from icalendar import Calendar

from edlead.access.tests.conftest import World
from edlead.core.models import AuditEvent
from edlead.learning import views_feeds
from edlead.learning.models import Enrollment, Meeting, Session
from edlead.learning.tests.factories import make_program, make_session

S = Enrollment.Status
FEED_QUERIES = 2  # the registrations with sessions, programs and providers; the meetings
MY_CALENDAR_QUERIES = FEED_QUERIES + 2  # plus the signed-in user's session and user rows


def parse(response: Any) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(cal: Calendar) -> dict[str, Any]:
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def status(event: Any) -> str:
    return str(event["status"])


def whole_seconds(value: dt.datetime) -> dt.datetime:
    return value.replace(microsecond=0)


def enroll(session: Session, person: Any, status: str) -> Enrollment:
    return Enrollment.objects.create(session=session, person=person, status=status)


def two_meetings(session: Session) -> list[Meeting]:
    first = session.starts_at
    return [
        Meeting.objects.create(
            session=session, starts_at=first, ends_at=first + dt.timedelta(hours=2), agenda="Day one: data"
        ),
        Meeting.objects.create(
            session=session,
            starts_at=first + dt.timedelta(days=1),
            ends_at=first + dt.timedelta(days=1, hours=2),
            agenda="Day two: action plans",
        ),
    ]


@pytest.mark.django_db
def test_my_calendar_holds_my_registrations_with_their_statuses(world: World, client: Any) -> None:
    me, other = world.people["P1"], world.people["AP1"]
    program = make_program("Data Teams", summary="Using student data in teams.")
    enrolled = make_session(
        program, days=5, place="Room 12, Central Office", facilitators="Dr. Rivera", online_url=""
    )
    institute = make_session(
        make_program("Summer Institute"), days=20, online_url="https://meet.example.org/inst"
    )
    meetings = two_meetings(institute)
    pending = make_session(make_program("Coaching Cycle"), days=30)
    declined = make_session(make_program("Declined Program"), days=8)
    called_off = make_session(make_program("Called Off"), days=12, cancelled=True)
    withdrawn = make_session(make_program("Withdrawn From"), days=15)
    recent = make_session(make_program("Last Spring"), days=-30)
    too_old = make_session(make_program("Long Ago"), days=-400)
    not_mine = make_session(make_program("Someone Else's"), days=6)
    enroll(enrolled, me, S.ENROLLED)
    enroll(enrolled, other, S.ENROLLED)  # a classmate: never named in my calendar
    enroll(institute, me, S.WAITLISTED)
    enroll(pending, me, S.PENDING)
    enroll(declined, me, S.DECLINED)
    enroll(called_off, me, S.ENROLLED)
    enroll(withdrawn, me, S.CANCELLED)
    enroll(recent, me, S.COMPLETED)
    enroll(too_old, me, S.COMPLETED)
    enroll(not_mine, other, S.ENROLLED)

    client.force_login(world.users["school_leader"])
    response = client.get(reverse("learning:my-calendar"))
    cal = parse(response)
    assert response["Content-Disposition"] == 'inline; filename="my-learning.ics"'
    assert str(cal["prodid"]) == "-//EdLead//Professional learning//EN"
    assert str(cal["version"]) == "2.0"
    assert str(cal["x-wr-calname"]) == "My professional learning"

    got = events(cal)
    assert {uid: status(e) for uid, e in got.items()} == {
        f"learning-session-{enrolled.pk}@edlead": "CONFIRMED",
        f"learning-meeting-{meetings[0].pk}@edlead": "TENTATIVE",
        f"learning-meeting-{meetings[1].pk}@edlead": "TENTATIVE",
        f"learning-session-{pending.pk}@edlead": "TENTATIVE",
        f"learning-session-{called_off.pk}@edlead": "CANCELLED",
        f"learning-session-{recent.pk}@edlead": "CONFIRMED",
    }

    one = got[f"learning-session-{enrolled.pk}@edlead"]
    assert str(one["summary"]) == "Data Teams"
    assert str(one["location"]) == "Room 12, Central Office"
    assert one.decoded("dtstart") == whole_seconds(enrolled.starts_at)
    assert one.decoded("dtend") == whole_seconds(enrolled.ends_at)
    assert one.decoded("dtstart").utcoffset() == dt.timedelta(0)
    program_url = f"http://testserver{program.get_absolute_url()}"
    assert str(one["url"]) == program_url
    description = str(one["description"])
    for text in (
        "Using student data in teams.",
        "Facilitators: Dr. Rivera",
        "Offered by: State Leadership Academy",
        "Your registration: Enrolled",
        f"Program page: {program_url}",
    ):
        assert text in description

    day_two = got[f"learning-meeting-{meetings[1].pk}@edlead"]
    assert str(day_two["summary"]) == "Summer Institute"
    assert str(day_two["location"]) == "https://meet.example.org/inst"
    assert day_two.decoded("dtstart") == whole_seconds(meetings[1].starts_at)
    assert day_two.decoded("dtend") == whole_seconds(meetings[1].ends_at)
    assert "Day two: action plans" in str(day_two["description"])
    assert "Join online: https://meet.example.org/inst" in str(day_two["description"])
    assert "This session is cancelled." in str(got[f"learning-session-{called_off.pk}@edlead"]["description"])

    raw = response.content.decode()
    assert "DTSTART:" in raw and "Z\r\n" in raw  # UTC times, no floating or zoned ones
    for absent in ("Declined Program", "Withdrawn From", "Long Ago", "Someone Else's"):
        assert absent not in raw
    for name in ("Assistant-One", "Principal-One", "Ash", "Pat "):
        assert name not in raw


@pytest.mark.django_db
def test_my_calendar_needs_a_person_and_a_sign_in(world: World, client: Any) -> None:
    url = reverse("learning:my-calendar")
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(world.users["state_admin"])  # no person record
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_token_feed_works_without_sign_in_and_refuses_a_bad_token(world: World, client: Any) -> None:
    me = world.people["P1"]
    session = make_session(make_program("Data Teams"))
    enroll(session, me, S.ENROLLED)
    other_session = make_session(make_program("Beta Cohort", organization=world.orgs["B"]))
    enroll(other_session, world.people["PT1"], S.ENROLLED)

    token = views_feeds.feed_token(me.pk)
    url = reverse("learning:feed", args=[token])
    response = client.get(url)  # no cookies, as a calendar app asks
    cal = parse(response)
    assert list(events(cal)) == [f"learning-session-{session.pk}@edlead"]
    assert str(cal["x-wr-calname"]) == "My professional learning"
    assert response["Cache-Control"] == "private, max-age=900"
    assert response["Content-Disposition"].startswith("inline;")
    assert b"Beta Cohort" not in response.content
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).exists()  # not a download

    rf_request = client.get(url).wsgi_request
    link = views_feeds.feed_url(rf_request, me.pk)
    assert link == "http://testserver" + url
    again = parse(client.get(link.removeprefix("http://testserver")))
    assert list(events(again)) == [f"learning-session-{session.pk}@edlead"]

    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    wrong_salt = signing.Signer(salt="edlead.something.else").sign_object(me.pk)
    swapped = signing.Signer().sign_object(world.people["PT1"].pk)  # the right person's id, no salt
    not_an_id = signing.Signer(salt=views_feeds.SALT).sign_object("x")
    assert views_feeds.feed_token(me.pk) == views_feeds.feed_token(me.pk)  # one address to subscribe to
    for bad in (tampered, wrong_salt, swapped, "nonsense", not_an_id):
        answer = client.get(reverse("learning:feed", args=[bad]))
        assert answer.status_code == 404
        assert b"VCALENDAR" not in answer.content


@pytest.mark.django_db
def test_a_session_file_with_its_meetings_for_a_reader_who_may_see_it(world: World, client: Any) -> None:
    program = make_program("Summer Institute", summary="Two days on school improvement.")
    session = make_session(program, days=14, place="Oak Elementary library")
    meetings = two_meetings(session)
    client.force_login(world.users["school_leader"])

    response = client.get(reverse("learning:session-calendar", args=[session.pk]))
    cal = parse(response)
    assert response["Content-Disposition"] == (
        f'attachment; filename="summer-institute-{session.starts_at:%Y-%m-%d}.ics"'
    )
    assert str(cal["x-wr-calname"]) == "Summer Institute"
    got = events(cal)
    assert list(got) == [f"learning-meeting-{m.pk}@edlead" for m in meetings]
    assert {status(e) for e in got.values()} == {"CONFIRMED"}
    assert [e.decoded("dtstart") for e in got.values()] == [whole_seconds(m.starts_at) for m in meetings]
    assert all(str(e["location"]) == "Oak Elementary library" for e in got.values())
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).count() == 1  # a download

    # A waitlisted reader gets a tentative event; a session without meetings is one event.
    single = make_session(program, days=40)
    enroll(single, world.people["P1"], S.WAITLISTED)
    got = events(parse(client.get(reverse("learning:session-calendar", args=[single.pk]))))
    assert {uid: status(e) for uid, e in got.items()} == {f"learning-session-{single.pk}@edlead": "TENTATIVE"}

    beta = make_session(make_program("Beta only", organization=world.orgs["B"]))
    assert client.get(reverse("learning:session-calendar", args=[beta.pk])).status_code == 404
    assert client.get(reverse("learning:session-calendar", args=[999999])).status_code == 404
    client.logout()
    assert client.get(reverse("learning:session-calendar", args=[session.pk])).status_code == 302


@pytest.mark.django_db
def test_a_fixed_number_of_queries_whatever_the_number_of_sessions(
    world: World, client: Any, django_assert_num_queries: Any
) -> None:
    me = world.people["P1"]
    feed = reverse("learning:feed", args=[views_feeds.feed_token(me.pk)])
    mine = reverse("learning:my-calendar")

    def add_sessions(n: int) -> None:
        for i in range(n):
            session = make_session(make_program(f"Program {i}"), days=3 + i, facilitators="A. Facilitator")
            if i % 2:
                two_meetings(session)
            enroll(session, me, S.ENROLLED if i % 3 else S.WAITLISTED)

    add_sessions(1)
    with django_assert_num_queries(FEED_QUERIES):
        assert len(events(parse(client.get(feed)))) == 1
    client.force_login(world.users["school_leader"])
    with django_assert_num_queries(MY_CALENDAR_QUERIES):
        assert len(events(parse(client.get(mine)))) == 1
    client.logout()

    add_sessions(4)  # five sessions now, two of them with two meetings
    with django_assert_num_queries(FEED_QUERIES):
        assert len(events(parse(client.get(feed)))) == 5 + 2
    client.force_login(world.users["school_leader"])
    with django_assert_num_queries(MY_CALENDAR_QUERIES):
        assert len(events(parse(client.get(mine)))) == 5 + 2
