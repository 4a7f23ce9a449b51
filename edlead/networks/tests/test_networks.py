"""Principal network meetings: the access matrix (role × scope), the services' refusals, notices, the
attendance selector, and the pages with their fixed query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from edlead.access import policy
from edlead.access.models import Relationship
from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.lib.schoolyears import SchoolYear
from edlead.networks import selectors, services
from edlead.networks.models import AgendaItem, Attendance, Meeting, PeerPair
from edlead.networks.tests.factories import Net, make_meeting, make_net, record_builders
from edlead.notices.models import Notice
from edlead.people.models import Position
from edlead.testing import make_person, make_position, make_school

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
YEAR = SchoolYear.containing(TODAY)

# role → (reads the North network's meetings, plans them)
MATRIX: dict[str, tuple[bool, bool]] = {
    "supervisor": (True, True),
    "district_admin": (True, True),
    "superintendent": (True, False),
    "principal_n1": (True, False),
    "assistant_principal": (True, False),  # a school leader of the network's school (see README of access)
    "teacher": (False, False),
    "hr": (False, False),
    "cabinet": (False, False),
    "south_supervisor": (False, False),
    "south_principal": (False, False),
    "other_admin": (False, False),
    "other_principal": (False, False),
}


@pytest.fixture
def net() -> Net:
    return make_net()


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _past() -> dt.date:
    return max(YEAR.starts_on, TODAY - dt.timedelta(days=7))


@pytest.mark.parametrize("role", list(MATRIX))
def test_access_matrix_for_a_networks_meeting(net: Net, role: str) -> None:
    meeting = make_meeting(net.north, TODAY)
    user = net.users[role]
    reads, plans = MATRIX[role]
    assert policy.can(user, policy.NETWORK_VIEW, meeting) is reads
    assert policy.can(user, policy.NETWORK_MANAGE, meeting) is plans
    listed = (
        policy.visible_to(user, Meeting.objects.all(), policy.NETWORK_VIEW).filter(pk=meeting.pk).exists()
    )
    assert listed is reads
    assert policy.can(user, policy.NETWORK_VIEW, net.north) is reads
    assert policy.can(user, policy.NETWORK_MANAGE, net.north) is plans
    client = client_for(user)
    assert client.get(meeting.get_absolute_url()).status_code == (200 if reads else 404)
    page = client.get(reverse("networks:network-detail", args=[net.north.pk]))
    assert page.status_code == (200 if reads else 404)
    post = client.post(
        reverse("networks:meeting-add", args=[net.north.pk]),
        {"title": "x", "meets_on": TODAY.isoformat(), "starts_at": "08:30", "place": "x"},
    )
    assert post.status_code == (302 if plans else 404)


def test_south_supervisor_plans_only_the_south(net: Net) -> None:
    with pytest.raises(ApplicationError):
        services.meeting_schedule(
            actor=net.users["south_supervisor"],
            network=net.north,
            title="Data",
            meets_on=TODAY,
            starts_at=dt.time(9),
            place="Here",
        )
    assert not Meeting.objects.exists()


def test_scheduling_tells_the_networks_principals_once(net: Net) -> None:
    meeting = services.meeting_schedule(
        actor=net.users["supervisor"],
        network=net.north,
        title="Instructional rounds",
        meets_on=TODAY + dt.timedelta(days=3),
        starts_at=dt.time(8, 30),
        place="Lincoln Elementary library",
    )
    told = set(Notice.objects.filter(kind=services.NOTICE_MEETING).values_list("person_id", flat=True))
    assert told == {p.pk for p in net.principals()}
    assert Notice.objects.filter(link=meeting.get_absolute_url()).count() == 3
    assert AuditEvent.objects.filter(action="network_meeting_scheduled", target_id=str(meeting.pk)).exists()


@pytest.mark.parametrize(
    ("meets_on", "words"),
    [(YEAR.starts_on - dt.timedelta(days=1), "Date:"), (SchoolYear(YEAR.start_year + 2).starts_on, "Date:")],
)
def test_a_meeting_outside_this_year_or_the_next_is_refused(net: Net, meets_on: dt.date, words: str) -> None:
    with pytest.raises(ApplicationError, match=words):
        services.meeting_schedule(
            actor=net.users["supervisor"],
            network=net.north,
            title="Data",
            meets_on=meets_on,
            starts_at=dt.time(9),
            place="Here",
        )


def test_a_bad_date_on_the_form_is_named_and_nothing_is_written(net: Net) -> None:
    response = client_for(net.users["supervisor"]).post(
        reverse("networks:meeting-add", args=[net.north.pk]),
        {"title": "Data", "meets_on": "31/02/2026", "starts_at": "25:00", "place": "Here"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Enter a date like 2026-10-14." in text and "Enter a time like 08:30." in text
    assert not Meeting.objects.exists()


def test_agenda_items_run_in_time_order_from_the_start(net: Net) -> None:
    meeting = make_meeting(net.north, TODAY)
    sup = net.users["supervisor"]
    services.agenda_item_add(actor=sup, meeting=meeting, title="Welcome", starts_at=dt.time(8, 30))
    services.agenda_item_add(
        actor=sup, meeting=meeting, title="Consultancy", starts_at=dt.time(9), lead=net.people["principal_n2"]
    )
    with pytest.raises(ApplicationError, match="cannot start before it"):
        services.agenda_item_add(actor=sup, meeting=meeting, title="Early", starts_at=dt.time(8))
    with pytest.raises(ApplicationError, match="time order"):
        services.agenda_item_add(actor=sup, meeting=meeting, title="Back", starts_at=dt.time(8, 45))
    outsider = net.people["other_principal"]
    with pytest.raises(ApplicationError, match="does not work in"):
        services.agenda_item_add(actor=sup, meeting=meeting, title="X", starts_at=dt.time(10), lead=outsider)
    assert list(meeting.agenda_items.values_list("order", "title")) == [(1, "Welcome"), (2, "Consultancy")]
    with pytest.raises(ApplicationError):
        services.agenda_item_add(
            actor=net.users["principal_n1"], meeting=meeting, title="Mine", starts_at=dt.time(11)
        )


def test_attendance_is_recorded_after_the_meeting_for_the_networks_principals_only(net: Net) -> None:
    sup = net.users["supervisor"]
    ahead = make_meeting(net.north, TODAY + dt.timedelta(days=2))
    p1, p2, p3 = net.principals()
    with pytest.raises(ApplicationError, match="after the meeting"):
        services.attendance_record(actor=sup, meeting=ahead, statuses={p1.pk: "present"})
    held = make_meeting(net.north, _past())
    with pytest.raises(ApplicationError, match="was not a principal of North"):
        services.attendance_record(
            actor=sup, meeting=held, statuses={p1.pk: "present", net.people["south_principal"].pk: "present"}
        )
    with pytest.raises(ApplicationError, match="present, absent or excused"):
        services.attendance_record(actor=sup, meeting=held, statuses={p1.pk: "late"})
    assert not Attendance.objects.exists()  # nothing half-written
    services.attendance_record(
        actor=sup, meeting=held, statuses={p1.pk: "present", p2.pk: "absent", p3.pk: "excused"}
    )
    services.attendance_record(actor=sup, meeting=held, statuses={p1.pk: "present", p2.pk: "present"})
    assert dict(Attendance.objects.values_list("person_id", "status")) == {p1.pk: "present", p2.pk: "present"}


def test_attendance_of_an_outsider_through_the_page_is_refused_plainly(net: Net) -> None:
    held = make_meeting(net.north, _past())
    p1 = net.principals()[0]
    outsider = net.people["other_principal"]
    response = client_for(net.users["supervisor"]).post(
        reverse("networks:attendance-record", args=[held.pk]),
        {f"attendance-{p1.pk}": "present", f"attendance-{outsider.pk}": "present"},
    )
    assert response.status_code == 400
    assert "was not a principal of North on the meeting" in response.content.decode()
    assert not Attendance.objects.exists()


def test_attendance_by_person_counts_attended_and_held_since_a_day(net: Net) -> None:
    p1, p2, p3 = net.principals()
    sup = net.users["supervisor"]
    old = make_meeting(net.north, YEAR.starts_on - dt.timedelta(days=30))
    Attendance.objects.create(meeting=old, person=p1, status="present")
    for offset, statuses in (
        (20, {p1.pk: "present", p2.pk: "absent"}),
        (10, {p1.pk: "excused", p2.pk: "present"}),
    ):
        meeting = make_meeting(net.north, max(YEAR.starts_on, TODAY - dt.timedelta(days=offset)))
        services.attendance_record(actor=sup, meeting=meeting, statuses=statuses)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        figures = selectors.attendance_by_person([p1.pk, p2.pk, p3.pk], YEAR.starts_on)
    assert len(ctx.captured_queries) == 1
    assert figures == {p1.pk: (1, 2), p2.pk: (1, 2)}


def test_a_principal_sees_only_their_own_attendance(net: Net) -> None:
    held = make_meeting(net.north, _past())
    p1, p2, p3 = net.principals()
    services.attendance_record(
        actor=net.users["supervisor"], meeting=held, statuses={p1.pk: "present", p2.pk: "absent"}
    )
    mine = selectors.attendance_for(net.users["principal_n1"], held)
    assert [a.person_id for a in mine] == [p1.pk]
    assert len(selectors.attendance_for(net.users["superintendent"], held)) == 2
    page = client_for(net.users["principal_n1"]).get(reverse("networks:network-detail", args=[net.north.pk]))
    rows = {row.position.person_id: row for row in page.context["page"].principals}
    assert rows[p1.pk].shown and rows[p1.pk].rate == 100
    assert not rows[p2.pk].shown


def test_the_attendance_rule_gives_exactly_what_it_says() -> None:
    """The declared rule on attendance, checked against the access tests' whole cast (as
    edlead/access/tests/test_relationships.py does for every declared rule)."""
    from edlead.access.tests.test_relationships import Cast, expected

    cast = Cast()
    rule = policy.declared_rules()[("networks.attendance", selectors.ATTENDANCE_VIEW)]
    record = record_builders()["networks.attendance"](cast.owner)
    for key, user in cast.users.items():
        want = expected(rule, key)
        assert policy.can(user, selectors.ATTENDANCE_VIEW, record) is want, key
        listed = policy.visible_to(user, Attendance.objects.all(), selectors.ATTENDANCE_VIEW)
        assert listed.filter(pk=record.pk).exists() is want, key


def test_peer_pairs_are_two_principals_of_the_network_once_a_year(net: Net) -> None:
    sup = net.users["supervisor"]
    p1, p2, p3 = net.principals()
    pair = services.pair_add(actor=sup, network=net.north, first=p2, second=p1)
    assert (pair.first_id, pair.second_id) == (min(p1.pk, p2.pk), max(p1.pk, p2.pk))
    with pytest.raises(ApplicationError, match="already in a peer pair"):
        services.pair_add(actor=sup, network=net.north, first=p3, second=p1)
    with pytest.raises(ApplicationError, match="does not lead a school in North"):
        services.pair_add(actor=sup, network=net.north, first=p3, second=net.people["south_principal"])
    with pytest.raises(ApplicationError, match="two different"):
        services.pair_add(actor=sup, network=net.north, first=p3, second=p3)
    with pytest.raises(ApplicationError, match="does not lead a school"):  # an assistant principal
        services.pair_add(actor=sup, network=net.north, first=p3, second=net.people["assistant_principal"])
    next_year = services.pair_add(
        actor=sup, network=net.north, first=p3, second=p1, school_year=YEAR.start_year + 1
    )
    assert PeerPair.objects.count() == 2 and next_year.school_year == YEAR.start_year + 1
    services.pair_remove(actor=sup, pair=pair)
    assert PeerPair.objects.count() == 1


def test_a_pair_with_a_principal_from_elsewhere_through_the_page_is_refused(net: Net) -> None:
    p1 = net.principals()[0]
    response = client_for(net.users["supervisor"]).post(
        reverse("networks:pair-add", args=[net.north.pk]),
        {"first": p1.pk, "second": net.people["south_principal"].pk},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not PeerPair.objects.exists()


def test_problem_of_practice_is_a_networks_principals(net: Net) -> None:
    meeting = make_meeting(net.north, _past())
    sup = net.users["supervisor"]
    problem = services.problem_add(
        actor=sup,
        meeting=meeting,
        presenter=net.people["principal_n3"],
        question="How do we make common planning time about student work?",
        protocol="consultancy",
        protocol_notes="Clarifying questions first.",
    )
    assert problem.get_protocol_display() == "Consultancy"
    with pytest.raises(ApplicationError, match="Presenter"):
        services.problem_add(
            actor=sup,
            meeting=meeting,
            presenter=net.people["south_principal"],
            question="Q",
            protocol="tuning",
        )
    body = client_for(net.users["principal_n1"]).get(meeting.get_absolute_url()).content.decode()
    assert "common planning time" in body and "Consultancy protocol" in body


def test_network_page_links_cohorts_of_its_principals_in_one_query(net: Net) -> None:
    from edlead.learning.models import Cohort

    p1 = net.principals()[0]
    tank = Cohort.objects.create(
        name="Urban principals think tank",
        kind="think_tank",
        facilitator=make_person("Fay", "Cilitator"),
        starts_on=TODAY,
    )
    Cohort.objects.create(name="Unrelated cohort", facilitator=make_person("Una", "Related"), starts_on=TODAY)
    Relationship.objects.create(
        kind=Relationship.Kind.MEMBER,
        holder=p1,
        group=tank.group_key,
        organization=net.district,
        starts_on=TODAY,
    )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reader = net.users["principal_n1"]
    policy.effective_grants(reader)  # computed once per request
    with CaptureQueriesContext(connection) as ctx:
        cohorts = selectors.cohorts_of(reader, [p.pk for p in net.principals()], TODAY)
    assert len(ctx.captured_queries) == 1
    assert [(c.name, c.openable) for c in cohorts] == [("Urban principals think tank", True)]
    supervisor_view = selectors.cohorts_of(net.users["supervisor"], [p1.pk], TODAY)
    assert [(c.name, c.openable) for c in supervisor_view] == [("Urban principals think tank", False)]
    body = client_for(net.users["supervisor"]).get(reverse("networks:network-detail", args=[net.north.pk]))
    assert "Urban principals think tank" in body.content.decode()
    assert tank.get_absolute_url() not in body.content.decode()  # named, not a dead link


def _grow(net: Net, principals: int, meetings: int) -> None:
    sup = net.users["supervisor"]
    for i in range(principals):
        school = make_school(net.north, f"Grown School {i}")
        make_position(make_person("Grown", f"Principal{i}"), school, Position.Role.PRINCIPAL)
    everyone = selectors.principals_of(net.north, _past())
    for i in range(meetings):
        day = max(YEAR.starts_on, TODAY - dt.timedelta(days=i + 1))
        meeting = make_meeting(net.north, day, f"Meeting {i}")
        AgendaItem.objects.create(meeting=meeting, order=1, starts_at=dt.time(9), title="Rounds")
        services.attendance_record(
            actor=sup, meeting=meeting, statuses={p.person_id: "present" for p in everyone}
        )
    make_meeting(net.north, TODAY + dt.timedelta(days=5), "Ahead")


@pytest.mark.parametrize("role", ["supervisor", "principal_n1", "superintendent"])
def test_network_page_issues_a_fixed_number_of_queries(
    net: Net, role: str, django_assert_num_queries: Any
) -> None:
    client = client_for(net.users[role])
    url = reverse("networks:network-detail", args=[net.north.pk])
    _grow(net, 1, 1)
    client.get(url)
    with django_assert_num_queries(QUERIES[role]["network"]) as small:
        assert client.get(url).status_code == 200
    _grow(net, 6, 5)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ["supervisor", "principal_n1"])
def test_meeting_page_issues_a_fixed_number_of_queries(
    net: Net, role: str, django_assert_num_queries: Any
) -> None:
    client = client_for(net.users[role])
    meeting = make_meeting(net.north, _past())
    AgendaItem.objects.create(meeting=meeting, order=1, starts_at=dt.time(9), title="Rounds")
    client.get(meeting.get_absolute_url())
    with django_assert_num_queries(QUERIES[role]["meeting"]) as small:
        assert client.get(meeting.get_absolute_url()).status_code == 200
    for i in range(2, 8):
        AgendaItem.objects.create(meeting=meeting, order=i, starts_at=dt.time(9 + i), title=f"Item {i}")
    for i in range(5):
        make_position(make_person("More", f"P{i}"), make_school(net.north), Position.Role.PRINCIPAL)
    everyone = selectors.principals_of(net.north, meeting.meets_on)
    services.attendance_record(
        actor=net.users["supervisor"], meeting=meeting, statuses={p.person_id: "absent" for p in everyone}
    )
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(meeting.get_absolute_url()).status_code == 200


QUERIES: dict[str, dict[str, int]] = {
    # session, user, grants (3), then the page's own; the meeting page adds its files list
    "supervisor": {"network": 13, "meeting": 13},
    "principal_n1": {"network": 13, "meeting": 11},
    "superintendent": {"network": 13, "meeting": 11},
}


def test_the_network_list_shows_the_readers_networks_and_never_a_dead_end(net: Net) -> None:
    body = client_for(net.users["principal_n1"]).get(reverse("networks:network-list")).content.decode()
    assert reverse("networks:network-detail", args=[net.north.pk]) in body
    assert reverse("networks:network-detail", args=[net.south.pk]) not in body
    lone = make_school(net.district, "Lone School")  # directly under the district: no network
    principal = make_person("Lo", "Ne")
    make_position(principal, lone, Position.Role.PRINCIPAL)
    from edlead.testing import make_user

    response = client_for(make_user(principal, password=None)).get(reverse("networks:network-list"))
    assert response.status_code == 200 and "in no network" in response.content.decode()
    assert client_for(net.users["teacher"]).get(reverse("networks:network-list")).status_code == 404
