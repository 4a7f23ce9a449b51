"""Cohorts and think tanks: members from any district see their cohort through the membership
relationship; outsiders get a 404; the facilitator and coordinators run it (members, meetings,
attendance); members and the facilitator post; each refusal leaves nothing behind; pages in fixed
queries; the demo's cohorts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from edlead.access.models import Relationship, RoleGrant
from edlead.access.tests.conftest import World
from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.learning import services_cohorts as sc
from edlead.learning.models import Cohort, CohortAttendance, CohortMeeting, CohortPost
from edlead.notices.models import Notice
from edlead.testing import make_person, make_position, make_school, make_user

pytestmark = pytest.mark.django_db
R = Relationship.Kind


def _cohort(world: World, **extra: Any) -> Cohort:
    """A district-A cohort facilitated by A's coach, started by A's program coordinator."""
    return sc.cohort_create(
        actor=world.users["program_coordinator"],
        name=extra.pop("name", "Alpha New Principals"),
        kind=extra.pop("kind", Cohort.Kind.COHORT),
        facilitator=world.people["COACH"],
        starts_on=timezone.localdate() - dt.timedelta(days=30),
        organization=world.orgs["A"],
        **extra,
    )


def _add(world: World, cohort: Cohort, *keys: str) -> None:
    for key in keys:
        sc.member_add(actor=world.users["program_coordinator"], cohort=cohort, person=world.people[key])


def _meeting(cohort: Cohort, *, days: int, agenda: str = "Entry plans", actor: Any = None) -> CohortMeeting:
    start = timezone.now() + dt.timedelta(days=days)
    return sc.meeting_add(
        actor=actor, cohort=cohort, starts_at=start, ends_at=start + dt.timedelta(hours=2), agenda=agenda
    )


def _user(world: World, key: str) -> Any:
    named = {"P1": "school_leader", "COACH": "coach", "SUP1": "principal_supervisor"}
    if key in named:
        return world.users[named[key]]
    return make_user(person=world.people[key], password=None)


# --- seeing a cohort --------------------------------------------------------------------------------
def test_a_member_from_another_district_sees_a_district_cohort_and_its_posts(
    world: World, client: Any
) -> None:
    cohort = _cohort(world)
    _add(world, cohort, "P1", "PT1")  # PT1 is a principal in district B
    sc.post_add(
        actor=world.users["school_leader"],
        cohort=cohort,
        kind=CohortPost.Kind.SUCCESS,
        title="Attendance up a third",
        body="Monday check-ins worked.",
    )
    client.force_login(_user(world, "PT1"))
    page = client.get(cohort.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Attendance up a third" in html and "Monday check-ins worked." in html
    # Members from both districts, each with their school and district.
    assert "Oak Elementary (Alpha Public Schools)" in html
    assert "Cedar Elementary (Beta Regional)" in html
    assert "Write a post" in html  # a member posts
    assert "Save attendance" not in html and "Schedule a meeting" not in html  # members do not run it
    listing = client.get(reverse("learning:cohorts")).content.decode()
    assert "Alpha New Principals" in listing and "Start a cohort" not in listing
    # Told when added, once.
    assert Notice.objects.filter(person=world.people["PT1"], kind=sc.NOTICE_MEMBER).count() == 1


def test_anyone_neither_member_facilitator_nor_coordinator_gets_a_404(world: World, client: Any) -> None:
    cohort = _cohort(world)
    _add(world, cohort, "PT1")
    meeting = _meeting(cohort, days=-1)
    post = sc.post_add(
        actor=None, cohort=cohort, kind="note", title="Hello", body="Welcome.", author=world.people["PT1"]
    )
    beta_coordinator = make_user(
        grants=[(RoleGrant.Role.PROGRAM_COORDINATOR, world.orgs["B"])], password=None
    )
    for user in (world.users["school_leader"], world.users["superintendent"], beta_coordinator):
        client.force_login(user)
        assert client.get(cohort.get_absolute_url()).status_code == 404
        assert client.get(reverse("learning:cohort-members", args=[cohort.pk])).status_code == 404
        assert client.get(reverse("learning:cohort-post-new", args=[cohort.pk])).status_code == 404
        assert client.post(reverse("learning:cohort-attendance", args=[meeting.pk])).status_code == 404
        assert client.post(reverse("learning:cohort-post-remove", args=[post.pk])).status_code == 404
        assert "Alpha New Principals" not in client.get(reverse("learning:cohorts")).content.decode()
    assert CohortPost.objects.filter(pk=post.pk).exists()
    # The district's coordinator and the state administrator manage it: they open it.
    for key in ("program_coordinator", "state_admin"):
        client.force_login(world.users[key])
        page = client.get(cohort.get_absolute_url()).content.decode()
        assert "Schedule a meeting" in page and "Add or remove members" in page
    # A member who does not run it is refused the running pages (403: they know it exists).
    client.force_login(_user(world, "PT1"))
    assert client.get(reverse("learning:cohort-members", args=[cohort.pk])).status_code == 403
    assert client.get(reverse("learning:cohort-meeting-new", args=[cohort.pk])).status_code == 403


def test_starting_a_cohort_takes_a_coordinator_of_its_district_or_of_the_state(world: World) -> None:
    coordinator, admin = world.users["program_coordinator"], world.users["state_admin"]
    common = {
        "kind": Cohort.Kind.THINK_TANK,
        "facilitator": world.people["P1"],
        "starts_on": timezone.localdate(),
    }
    with pytest.raises(ApplicationError, match="of the state starts"):
        sc.cohort_create(actor=coordinator, name="Statewide", **common)  # a district grant: not the state
    with pytest.raises(ApplicationError, match="of Beta Regional"):
        sc.cohort_create(actor=coordinator, name="Beta's", organization=world.orgs["B"], **common)
    with pytest.raises(ApplicationError, match="of Alpha Public Schools"):
        sc.cohort_create(
            actor=world.users["school_leader"], name="Mine", organization=world.orgs["A"], **common
        )
    with pytest.raises(ApplicationError, match="ends after it starts"):
        sc.cohort_create(
            actor=coordinator,
            name="Backwards",
            organization=world.orgs["A"],
            ends_on=timezone.localdate() - dt.timedelta(days=1),
            **common,
        )
    state_run = sc.cohort_create(actor=admin, name="  Statewide   think tank ", **common)
    assert state_run.name == "Statewide think tank" and state_run.group_key.startswith("cohort:")
    assert sc.manages(admin, state_run) and not sc.manages(coordinator, state_run)
    assert Cohort.objects.count() == 1
    assert AuditEvent.objects.filter(action=sc.COHORT_CREATED).count() == 1
    # A state-run cohort's memberships belong to the state.
    rel = sc.member_add(actor=admin, cohort=state_run, person=world.people["PT1"])
    assert rel.organization == world.orgs["state"] and rel.group == state_run.group_key


def test_the_new_cohort_page_finds_the_facilitator_and_starts_the_cohort(world: World, client: Any) -> None:
    client.force_login(world.users["school_leader"])
    assert client.get(reverse("learning:cohort-new")).status_code == 403
    client.force_login(world.users["program_coordinator"])
    assert "Start a cohort" in client.get(reverse("learning:cohorts")).content.decode()
    page = client.get(reverse("learning:cohort-new") + "?q=Coach").content.decode()
    assert "Cory Coach" in page and "Pat Principal-One" not in page
    data = {
        "name": "Alpha Think Tank",
        "kind": "think_tank",
        "run_by": str(world.orgs["A"].pk),
        "facilitator": str(world.people["COACH"].pk),
        "starts_on": timezone.localdate().isoformat(),
        "ends_on": "",
        "program": "",
        "description": "Mental health.",
    }
    # Someone outside the coordinator's directory cannot be made facilitator.
    bad = client.post(reverse("learning:cohort-new"), {**data, "facilitator": str(world.people["PT1"].pk)})
    assert bad.status_code == 400 and not Cohort.objects.exists()
    response = client.post(reverse("learning:cohort-new"), data)
    cohort = Cohort.objects.get()
    assert response.status_code == 302 and response["Location"] == cohort.get_absolute_url()
    assert cohort.organization == world.orgs["A"] and cohort.facilitator == world.people["COACH"]


# --- members ----------------------------------------------------------------------------------------
def test_a_member_twice_or_the_facilitator_as_member_is_refused(world: World) -> None:
    cohort = _cohort(world)
    _add(world, cohort, "PT1")
    with pytest.raises(
        ApplicationError, match="Quinn Principal-Beta is already a member of Alpha New Principals"
    ):
        _add(world, cohort, "PT1")
    with pytest.raises(ApplicationError, match="facilitates"):
        _add(world, cohort, "COACH")
    with pytest.raises(ApplicationError, match="Only the facilitator or a coordinator"):
        sc.member_add(actor=world.users["school_leader"], cohort=cohort, person=world.people["P1"])
    assert Relationship.objects.filter(kind=R.MEMBER, group=cohort.group_key).count() == 1
    assert [p.pk for p in sc.members(cohort)] == [world.people["PT1"].pk]
    assert AuditEvent.objects.filter(action=sc.COHORT_MEMBER_ADDED).count() == 1


def test_the_members_page_adds_people_the_reader_finds_in_their_directory(world: World, client: Any) -> None:
    cohort = _cohort(world)
    url = reverse("learning:cohort-members", args=[cohort.pk])
    client.force_login(world.users["program_coordinator"])
    page = client.get(url + "?q=Principal").content.decode()
    assert "Pat Principal-One" in page and "Pia Principal-Three" in page
    assert "Quinn Principal-Beta" not in page  # district B: not in the coordinator's directory
    assert client.post(url, {"action": "add", "person": world.people["P1"].pk}).status_code == 302
    # A made-up POST for someone outside the directory adds nobody.
    client.post(url, {"action": "add", "person": world.people["PT1"].pk})
    assert [p.pk for p in sc.members(cohort)] == [world.people["P1"].pk]
    page = client.get(url + "?q=Principal").content.decode()
    # Listed as a member (to remove), no longer among the matches (to add).
    assert 'Remove<span class="usa-sr-only"> Pat Principal-One' in page
    assert 'Add<span class="usa-sr-only"> Pat Principal-One' not in page
    assert 'Add<span class="usa-sr-only"> Pia Principal-Three' in page
    # The facilitator brings colleagues from their own district: a district-B facilitator adds PT1.
    beta_head = make_person("Bea", "Facilitator-Beta")
    make_position(beta_head, world.orgs["T1"], "assistant_principal")
    beta_user = make_user(person=beta_head, password=None)
    other = sc.cohort_create(
        actor=world.users["program_coordinator"],
        name="Alpha and friends",
        kind=Cohort.Kind.PLC,
        facilitator=beta_head,
        starts_on=timezone.localdate(),
        organization=world.orgs["A"],
    )
    client.force_login(beta_user)
    other_url = reverse("learning:cohort-members", args=[other.pk])
    assert "Quinn Principal-Beta" in client.get(other_url + "?q=Quinn").content.decode()
    client.post(other_url, {"action": "add", "person": world.people["PT1"].pk})
    assert [p.pk for p in sc.members(other)] == [world.people["PT1"].pk]


def test_removing_a_member_ends_their_access(world: World, client: Any) -> None:
    cohort = _cohort(world)
    sc.member_add(
        actor=world.users["program_coordinator"],
        cohort=cohort,
        person=world.people["PT1"],
        starts_on=timezone.localdate() - dt.timedelta(days=5),
    )
    pt1 = _user(world, "PT1")
    client.force_login(pt1)
    assert client.get(cohort.get_absolute_url()).status_code == 200
    with pytest.raises(ApplicationError, match="Only the facilitator or a coordinator"):
        sc.member_remove(actor=pt1, cohort=cohort, person=world.people["PT1"])
    sc.member_remove(actor=world.users["coach"], cohort=cohort, person=world.people["PT1"])  # the facilitator
    assert sc.members(cohort) == []
    assert client.get(cohort.get_absolute_url()).status_code == 404
    with pytest.raises(ApplicationError, match="is not a member"):
        sc.member_remove(actor=world.users["coach"], cohort=cohort, person=world.people["PT1"])
    _add(world, cohort, "PT1")  # back again, from today
    assert client.get(cohort.get_absolute_url()).status_code == 200


# --- meetings and attendance ------------------------------------------------------------------------
def test_members_are_told_of_a_new_meeting_once(world: World) -> None:
    cohort = _cohort(world)
    _add(world, cohort, "P1", "PT1")
    coach = world.users["coach"]  # the facilitator schedules it
    meeting = _meeting(cohort, days=7, agenda="Budget season", actor=coach)
    told = Notice.objects.filter(kind=sc.NOTICE_MEETING)
    assert sorted(told.values_list("person_id", flat=True)) == sorted(
        [world.people["P1"].pk, world.people["PT1"].pk]
    )
    assert told.first().once_key == f"learning-cohort-meeting:{meeting.pk}"  # type: ignore[union-attr]
    assert "Budget season" in told.first().body  # type: ignore[union-attr]
    # A meeting entered after the fact tells nobody; a second meeting to come tells them again, once.
    _meeting(cohort, days=-3, actor=coach)
    _meeting(cohort, days=14, actor=coach)
    assert told.count() == 4
    with pytest.raises(ApplicationError, match="Only the facilitator or a coordinator"):
        _meeting(cohort, days=3, actor=world.users["school_leader"])
    with pytest.raises(ApplicationError, match="ends after it starts"):
        start = timezone.now()
        sc.meeting_add(actor=coach, cohort=cohort, starts_at=start, ends_at=start)
    assert CohortMeeting.objects.filter(cohort=cohort).count() == 3


def test_attendance_for_a_non_member_is_refused_and_nothing_is_saved(world: World) -> None:
    cohort = _cohort(world)
    _add(world, cohort, "P1", "PT1")
    held = _meeting(cohort, days=-2)
    coach = world.users["coach"]
    with pytest.raises(ApplicationError, match="1 of those marked present is not a member"):
        sc.record_attendance(
            actor=coach, meeting=held, present_person_ids=[world.people["P1"].pk, world.people["P3"].pk]
        )
    assert not CohortAttendance.objects.exists()
    with pytest.raises(ApplicationError, match="has not begun"):
        sc.record_attendance(actor=coach, meeting=_meeting(cohort, days=2), present_person_ids=[])
    with pytest.raises(ApplicationError, match="Only the facilitator or a coordinator"):
        sc.record_attendance(
            actor=world.users["school_leader"], meeting=held, present_person_ids=[world.people["P1"].pk]
        )
    assert not CohortAttendance.objects.exists()


def test_the_facilitator_takes_attendance_on_the_page(world: World, client: Any) -> None:
    cohort = _cohort(world)
    _add(world, cohort, "P1", "PT1")
    held = _meeting(cohort, days=-1)
    client.force_login(world.users["coach"])
    page = client.get(cohort.get_absolute_url()).content.decode()
    assert "Attendance not taken" in page and "Save attendance" in page
    url = reverse("learning:cohort-attendance", args=[held.pk])
    response = client.post(url, {"present": [world.people["PT1"].pk]})
    assert response.status_code == 302 and response["Location"].endswith(f"#meeting-{held.pk}")
    marks = dict(CohortAttendance.objects.filter(meeting=held).values_list("person_id", "present"))
    assert marks == {world.people["PT1"].pk: True, world.people["P1"].pk: False}
    # Taken again: changed, not doubled.
    client.post(url, {"present": [world.people["PT1"].pk, world.people["P1"].pk]})
    assert CohortAttendance.objects.filter(meeting=held, present=True).count() == 2
    assert "2 of 2 present" in client.get(cohort.get_absolute_url()).content.decode()
    # A stranger in the form: refused with a message, nothing changed.
    client.post(url, {"present": [world.people["P3"].pk]})
    assert CohortAttendance.objects.filter(meeting=held, present=True).count() == 2
    assert AuditEvent.objects.filter(action=sc.COHORT_ATTENDANCE).count() == 2


def test_a_meeting_is_scheduled_on_the_page(world: World, client: Any) -> None:
    cohort = _cohort(world)
    _add(world, cohort, "PT1")
    client.force_login(world.users["program_coordinator"])
    url = reverse("learning:cohort-meeting-new", args=[cohort.pk])
    start = timezone.localtime() + dt.timedelta(days=5)
    data = {
        "meeting-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "meeting-ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "meeting-place": "Central Office",
        "meeting-online_url": "",
        "meeting-agenda": "Instructional rounds",
    }
    backwards = {**data, "meeting-ends_at": (start - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")}
    assert client.post(url, backwards).status_code == 400
    assert client.post(url, data).status_code == 302
    assert CohortMeeting.objects.get(cohort=cohort).agenda == "Instructional rounds"
    client.force_login(_user(world, "PT1"))
    page = client.get(cohort.get_absolute_url()).content.decode()
    assert "Instructional rounds" in page and "Central Office" in page


# --- posts ------------------------------------------------------------------------------------------
def test_posts_by_non_members_are_refused(world: World, client: Any) -> None:
    cohort = _cohort(world)
    _add(world, cohort, "P1")
    for actor in (world.users["program_coordinator"], _user(world, "P3"), world.users["state_admin"]):
        with pytest.raises(ApplicationError, match="Only the members and the facilitator"):
            sc.post_add(actor=actor, cohort=cohort, kind="success", title="Mine", body="Text")
    leader = world.users["school_leader"]
    with pytest.raises(ApplicationError, match="Title"):
        sc.post_add(actor=leader, cohort=cohort, kind="success", title="   ", body="Text")
    with pytest.raises(ApplicationError, match="Text"):
        sc.post_add(actor=leader, cohort=cohort, kind="success", title="Empty", body=" \n ")
    with pytest.raises(ApplicationError, match="at most"):
        sc.post_add(actor=leader, cohort=cohort, kind="note", title="Long", body="x" * (sc.BODY_MAX + 1))
    with pytest.raises(ApplicationError, match="Kind"):
        sc.post_add(actor=leader, cohort=cohort, kind="rant", title="Odd", body="Text")
    assert not CohortPost.objects.exists()
    # The facilitator posts; a member posts through the page.
    sc.post_add(actor=world.users["coach"], cohort=cohort, kind="note", title="Welcome", body="Hello all.")
    client.force_login(leader)
    url = reverse("learning:cohort-post-new", args=[cohort.pk])
    data = {"post-kind": "success", "post-title": "Rounds that work", "post-body": "One glow, one question."}
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "post-body": ""}).status_code == 400
    assert list(CohortPost.objects.values_list("title", flat=True)) == ["Rounds that work", "Welcome"]


def test_a_post_is_removed_by_its_author_or_a_coordinator_only(world: World, client: Any) -> None:
    cohort = _cohort(world)
    _add(world, cohort, "P1", "PT1")
    mine = sc.post_add(actor=world.users["school_leader"], cohort=cohort, kind="note", title="A", body="a")
    theirs = sc.post_add(
        actor=None, cohort=cohort, kind="note", title="B", body="b", author=world.people["PT1"]
    )
    client.force_login(world.users["school_leader"])
    client.post(reverse("learning:cohort-post-remove", args=[theirs.pk]))  # another member's: refused
    assert CohortPost.objects.filter(pk=theirs.pk).exists()
    client.post(reverse("learning:cohort-post-remove", args=[mine.pk]))
    assert not CohortPost.objects.filter(pk=mine.pk).exists()
    client.force_login(world.users["program_coordinator"])
    client.post(reverse("learning:cohort-post-remove", args=[theirs.pk]))
    assert not CohortPost.objects.exists()
    assert AuditEvent.objects.filter(action=sc.COHORT_POST_REMOVED).count() == 2


# --- fixed queries ----------------------------------------------------------------------------------
def _grow(world: World, cohort: Cohort, n: int) -> None:
    """n more members (from district B), meetings held with attendance, and posts."""
    coordinator = world.users["program_coordinator"]
    for i in range(n):
        school = make_school(world.orgs["B"], f"Beta School {cohort.pk}-{i}")
        person = make_person("Member", f"Extra-{cohort.pk}-{i}")
        make_position(person, school, "principal")
        sc.member_add(actor=coordinator, cohort=cohort, person=person)
    ids = [p.pk for p in sc.members(cohort)]
    for _ in range(n):
        held = _meeting(cohort, days=-3)
        sc.record_attendance(actor=None, meeting=held, present_person_ids=ids[:2])
        _meeting(cohort, days=9)
        sc.post_add(
            actor=None,
            cohort=cohort,
            kind="success",
            title="Story",
            body="Body",
            author=sc.members(cohort)[0],
        )


@pytest.mark.parametrize("extra", [0, 5])
def test_the_cohort_page_issues_a_fixed_number_of_queries(
    world: World, client: Any, django_assert_num_queries: Any, extra: int
) -> None:
    cohort = _cohort(world)
    _add(world, cohort, "P1", "PT1")
    _grow(world, cohort, 1 + extra)
    url = cohort.get_absolute_url()
    client.force_login(world.users["coach"])  # the facilitator: attendance forms as well
    client.get(url)
    # 16: + whether the coach answers for a department (the Support link; edlead/support)
    # 17: + the library resources linked to the cohort (edlead/library, {% library_links %})
    with django_assert_num_queries(17):
        page = client.get(url)
    assert page.status_code == 200 and f"{3 + extra} members" in page.content.decode()
    client.force_login(world.users["school_leader"])  # a member
    client.get(url)
    with django_assert_num_queries(15):  # 15: + the linked library resources
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("extra", [0, 4])
def test_the_cohort_list_and_members_pages_issue_a_fixed_number_of_queries(
    world: World, client: Any, django_assert_num_queries: Any, extra: int
) -> None:
    for n in range(1 + extra):
        cohort = _cohort(world, name=f"Cohort {n}")
        _add(world, cohort, "P1")
        _grow(world, cohort, 2)
    client.force_login(world.users["program_coordinator"])
    url = reverse("learning:cohorts")
    client.get(url)
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200
    client.force_login(world.users["school_leader"])
    client.get(url)
    with django_assert_num_queries(7):
        page = client.get(url)
    assert page.content.decode().count("3 members") == 0 and "Cohort 0" in page.content.decode()
    client.force_login(world.users["program_coordinator"])
    members_url = reverse("learning:cohort-members", args=[cohort.pk]) + "?q=Principal"
    client.get(members_url)
    with django_assert_num_queries(8):
        assert client.get(members_url).status_code == 200


# --- the demo ---------------------------------------------------------------------------------------
def test_the_demo_cohorts_span_districts_and_the_demo_principal_is_in_one(client: Any) -> None:
    from django.contrib.auth import get_user_model

    from edlead.demo import services as demo
    from edlead.demo.learning_cohorts import THINK_TANK_TITLE, cohorts_seed

    report = demo.demo_seed(scale="demo")
    assert "Cohorts: 2 added." in report.lines
    assert cohorts_seed() == 0  # a second run adds nothing
    new = Cohort.objects.get(name__startswith="New Principals Cohort")
    tank = Cohort.objects.get(name=THINK_TANK_TITLE)
    assert new.organization is None and new.kind == Cohort.Kind.COHORT
    assert tank.kind == Cohort.Kind.THINK_TANK and tank.program is not None
    assert tank.program.title == THINK_TANK_TITLE
    for cohort, districts in ((new, 2), (tank, 3)):
        people = sc.members(cohort)
        seen = {pos.organization.district_id for p in people for pos in p.current_positions}
        assert len(seen) >= districts, cohort.name
    meetings = list(new.meetings.all())
    now = timezone.now()
    assert sum(m.starts_at <= now for m in meetings) == 3 and sum(m.starts_at > now for m in meetings) == 1
    assert CohortAttendance.objects.filter(meeting__cohort=new, present=True).exists()
    assert new.posts.filter(kind=CohortPost.Kind.SUCCESS).count() == 2
    assert tank.meetings.count() == 1
    principal = get_user_model().objects.get(email=demo.persona("principal").email)
    assert sc.is_member(principal.person_id, tank)
    client.force_login(principal)
    listing = client.get(reverse("learning:cohorts")).content.decode()
    assert THINK_TANK_TITLE in listing
    page = client.get(tank.get_absolute_url()).content.decode()
    assert "Lakemont Public Schools" in page and "Harborlight" in page
    # The coach persona facilitates the think tank.
    coach = get_user_model().objects.get(email=demo.persona("coach").email)
    assert tank.facilitator_id == coach.person_id


def test_a_members_home_names_the_cohort_and_links_to_it(world: World, client: Any) -> None:
    cohort = _cohort(world)
    sc.member_add(actor=world.users["program_coordinator"], cohort=cohort, person=world.people["PT1"])
    client.force_login(make_user(person=world.people["PT1"], password=None))
    home = client.get("/").content.decode()
    assert f'Member of <a href="{cohort.get_absolute_url()}">Alpha New Principals</a>' in home
    assert cohort.group_key not in home  # never the raw key
    part = client.get(reverse("learning:home-part")).content.decode()
    assert "Alpha New Principals" in part
