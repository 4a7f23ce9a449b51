"""The distributed-leadership guide (ratings, averages, actions and progress) and leadership bodies
(membership through the access module, meetings, decisions, the cabinet's annual report as a PDF)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from edlead.core.errors import ApplicationError
from edlead.teacherleaders import dimensions, queue, selectors, services_bodies, services_guide
from edlead.teacherleaders.models import BodyDecision, LeadershipBody, LeadershipPlan, PlanAction

from .conftest import World, client_for

pytestmark = pytest.mark.django_db
ALL3 = {d.key: 3 for d in dimensions.DIMENSIONS}


def _plan(w: World) -> LeadershipPlan:
    return services_guide.plan_create(actor=w.principal, school=w.school, school_year=2026)


def test_ratings_average_by_dimension_and_checkpoint(w: World) -> None:
    plan = _plan(w)
    services_guide.ratings_save(
        actor=w.principal, plan=plan, person=w.principal_person, checkpoint="start", levels=ALL3
    )
    services_guide.ratings_save(
        actor=w.principal,
        plan=plan,
        person=w.principal_person,
        checkpoint="start",
        levels={**ALL3, "trust": 1},
    )
    with pytest.raises(ApplicationError, match="Rate every dimension"):
        services_guide.ratings_save(
            actor=w.principal, plan=plan, person=w.principal_person, checkpoint="middle", levels={"vision": 2}
        )
    rows = {r.key: r for r in selectors.plan_assessment(plan, w.principal_person.pk)}
    assert rows["trust"].averages["start"] == 1.0 and rows["vision"].averages["start"] == 3.0
    assert rows["vision"].averages["middle"] is None


def test_teachers_read_the_guide_but_only_leaders_and_the_team_rate_it(w: World) -> None:
    team = services_bodies.body_create(
        actor=w.principal,
        organization=w.school,
        kind="leadership_team",
        name="Leadership team",
        convener=w.principal_person,
    )
    services_bodies.member_seat(
        actor=w.principal, body=team, person=w.teacher_person, starts_on=dt.date(2025, 8, 1)
    )
    plan = services_guide.plan_create(actor=w.principal, school=w.school, school_year=2026, team=team)
    services_guide.ratings_save(
        actor=w.teacher, plan=plan, person=w.teacher_person, checkpoint="start", levels=ALL3
    )
    with pytest.raises(ApplicationError):
        services_guide.ratings_save(
            actor=w.teacher2, plan=plan, person=w.teacher2_person, checkpoint="start", levels=ALL3
        )
    url = plan.get_absolute_url()
    assert client_for(w.teacher2).get(url).status_code == 200
    assert client_for(w.outsider).get(url).status_code == 404
    r = client_for(w.teacher2).post(
        reverse("teacherleaders:plan-rate", args=[plan.pk]), {"checkpoint": "start", **ALL3}
    )
    assert r.status_code == 404
    r = client_for(w.principal).post(
        reverse("teacherleaders:plan-rate", args=[plan.pk]), {"checkpoint": "start", "vision": 2}
    )
    assert r.status_code == 400 and b"not rated" in r.content


def test_an_action_has_an_owner_from_the_staff_and_its_owner_reports_progress(w: World) -> None:
    plan = _plan(w)
    due = dt.date.today() - dt.timedelta(days=2)
    a = services_guide.action_add(
        actor=w.principal,
        plan=plan,
        dimension="roles",
        action="Write role descriptions",
        owner=w.teacher_person,
        due_on=due,
    )
    with pytest.raises(ApplicationError, match="not on the school's staff"):
        services_guide.action_add(
            actor=w.principal, plan=plan, dimension="roles", action="x", owner=w.outsider.person, due_on=due
        )
    with pytest.raises(ApplicationError):
        services_guide.action_add(
            actor=w.teacher, plan=plan, dimension="roles", action="x", owner=w.teacher_person, due_on=due
        )
    items = queue.items(w.teacher, dt.date.today())
    assert items and items[0].due == due
    r = client_for(w.teacher).post(
        reverse("teacherleaders:action-progress", args=[a.pk]),
        {"status": "in_progress", "note": "Drafts shared"},
    )
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == PlanAction.Status.IN_PROGRESS and a.updates.count() == 1
    assert (
        client_for(w.teacher2)
        .post(reverse("teacherleaders:action-progress", args=[a.pk]), {"status": "done"})
        .status_code
        == 302
    )
    a.refresh_from_db()
    assert a.status == PlanAction.Status.IN_PROGRESS  # refused: not the owner, not a leader


def test_council_members_read_and_log_decisions_outsiders_404(w: World) -> None:
    council = services_bodies.body_create(
        actor=w.principal,
        organization=w.school,
        kind="council",
        name="School council",
        convener=w.principal_person,
    )
    m = services_bodies.member_seat(
        actor=w.principal, body=council, person=w.teacher_person, role="secretary"
    )
    with pytest.raises(ApplicationError):
        services_bodies.member_seat(actor=w.teacher, body=council, person=w.teacher2_person)
    url = council.get_absolute_url()
    assert client_for(w.teacher2).get(url).status_code == 200  # the school's staff read it
    assert client_for(w.outsider).get(url).status_code == 404
    r = client_for(w.teacher).post(
        reverse("teacherleaders:decision-add", args=[council.pk]),
        {
            "decided_on": "2026-01-15",
            "decision": "Move PLC time to Wednesdays",
            "rationale": "Fewer conflicts",
            "status": "decided",
        },
    )
    assert r.status_code == 302 and BodyDecision.objects.filter(body=council).count() == 1
    r = client_for(w.teacher2).post(
        reverse("teacherleaders:decision-add", args=[council.pk]),
        {"decided_on": "2026-01-15", "decision": "x", "status": "decided"},
    )
    assert r.status_code == 404
    services_bodies.meeting_record(
        actor=w.teacher, body=council, held_on=dt.date.today(), agenda="Budget", attendee_ids=[m.pk]
    )
    services_bodies.member_unseat(actor=w.principal, member=m, ends_on=dt.date.today())
    m.relationship.refresh_from_db()  # type: ignore[union-attr]
    assert m.relationship.ends_on == dt.date.today()  # type: ignore[union-attr]


def _cabinet(w: World) -> LeadershipBody:
    cab = services_bodies.body_create(
        actor=w.state_admin,
        organization=w.state,
        kind="teacher_cabinet",
        name="Teacher Advisory Cabinet",
        convener=w.state_admin.person,
    )
    start = dt.date(2025, 9, 1)
    m = services_bodies.member_seat(
        actor=w.state_admin,
        body=cab,
        person=w.teacher_person,
        role="chair",
        starts_on=start,
        ends_on=dt.date.today() + dt.timedelta(days=30),
        district=w.district,
    )
    services_bodies.meeting_record(
        actor=w.state_admin,
        body=cab,
        held_on=dt.date(2025, 10, 2),
        agenda="Evaluation guidance",
        minutes="Private minutes",
        attendee_ids=[m.pk],
    )
    services_bodies.decision_log(
        actor=w.state_admin,
        body=cab,
        decided_on=dt.date(2025, 10, 2),
        decision="Recommend fewer evidence artifacts",
        rationale="Workload",
    )
    return cab


def test_cabinet_public_part_private_minutes_and_terms_in_the_queue(w: World) -> None:
    cab = _cabinet(w)
    url = cab.get_absolute_url()
    assert b"Private minutes" in client_for(w.teacher).get(url).content  # a member
    other = client_for(w.teacher2).get(url)
    assert (
        other.status_code == 200
        and b"Terry Teacher" in other.content
        and b"Private minutes" not in other.content
    )
    with pytest.raises(ApplicationError):
        services_bodies.meeting_record(actor=w.teacher, body=cab, held_on=dt.date.today())
    items = queue.items(w.state_admin, dt.date.today())
    assert any("Term ending" in i.title for i in items)


def test_annual_report_html_and_pdf(w: World) -> None:
    cab = _cabinet(w)
    url = reverse("teacherleaders:body-report", args=[cab.pk, 2026])
    page = client_for(w.teacher2).get(url)
    assert page.status_code == 200 and b"Recommend fewer evidence artifacts" in page.content
    pdf = client_for(w.state_admin).get(reverse("teacherleaders:body-report-pdf", args=[cab.pk, 2026]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Teacher Advisory Cabinet" in text and "Recommend fewer evidence artifacts" in text
    assert "1 of 1" in text  # the chair attended the one meeting
    assert (
        client_for(w.outsider.__class__.objects.create_user("nobody@example.org", None)).get(url).status_code
        == 404
    )


def test_body_list_queries_fixed(w: World, django_assert_num_queries: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _cabinet(w)
    c = client_for(w.principal)
    u = reverse("teacherleaders:body-list")
    c.get(u)
    with CaptureQueriesContext(connection) as ctx:
        c.get(u)
    for i in range(4):
        b = services_bodies.body_create(
            actor=w.principal,
            organization=w.school,
            kind="council",
            name=f"Council {i}",
            convener=w.principal_person,
        )
        services_bodies.member_seat(actor=w.principal, body=b, person=w.teacher_person)
    with django_assert_num_queries(len(ctx.captured_queries)):
        assert c.get(u).status_code == 200


def _council_with_meeting(w: World) -> tuple[LeadershipBody, Any, Any]:
    council = services_bodies.body_create(
        actor=w.principal,
        organization=w.school,
        kind="council",
        name="School council",
        convener=w.principal_person,
    )
    start = dt.date(2025, 8, 1)
    sec = services_bodies.member_seat(
        actor=w.principal, body=council, person=w.teacher_person, role="secretary", starts_on=start
    )
    meeting = services_bodies.meeting_record(
        actor=w.teacher, body=council, held_on=dt.date(2025, 11, 5), agenda="Budget", minutes="Draft notes"
    )
    return council, sec, meeting


def test_minutes_are_finished_after_the_meeting_with_the_version_check(w: World) -> None:
    council, sec, meeting = _council_with_meeting(w)
    url = reverse("teacherleaders:meeting-edit", args=[meeting.pk])
    body_page = client_for(w.teacher).get(council.get_absolute_url())
    assert url.encode() in body_page.content  # the secretary sees the link
    assert url.encode() not in client_for(w.teacher2).get(council.get_absolute_url()).content
    form = {
        "version": "1",
        "held_on": "2025-11-05",
        "agenda": "Budget",
        "minutes": "Agreed the budget; PLC time moves to Wednesdays.",
        "attendees": [str(sec.pk)],
    }
    r = client_for(w.teacher).post(url, form)
    assert r.status_code == 302 and r["Location"].endswith(f"#mt-{meeting.pk}")
    meeting.refresh_from_db()
    assert meeting.minutes.startswith("Agreed the budget") and meeting.version == 2
    assert list(meeting.attendees.values_list("pk", flat=True)) == [sec.pk]
    assert meeting.edited_by == w.teacher
    # The principal opened the form at version 1 too: refused with both versions, nothing saved.
    stale = {**form, "minutes": "Budget postponed."}
    r = client_for(w.principal).post(url, stale)
    assert r.status_code == 409
    assert b"Agreed the budget" in r.content and b"Budget postponed." in r.content
    assert b"Keep mine" in r.content
    meeting.refresh_from_db()
    assert meeting.minutes.startswith("Agreed the budget")
    # Keep mine: posted over the saved version, knowingly.
    r = client_for(w.principal).post(url, {**stale, "keep_mine": "2"})
    assert r.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Budget postponed." and meeting.version == 3


def test_meeting_edit_refuses_outsiders_and_absent_members_and_loses_nothing(w: World) -> None:
    council, sec, meeting = _council_with_meeting(w)
    url = reverse("teacherleaders:meeting-edit", args=[meeting.pk])
    assert client_for(w.teacher2).get(url).status_code == 404  # staff read the body, do not run it
    assert client_for(w.outsider).get(url).status_code == 404
    assert client_for(w.teacher).get(reverse("teacherleaders:meeting-edit", args=[10**8])).status_code == 404
    page = client_for(w.teacher).get(url)
    assert page.status_code == 200 and b"Draft notes" in page.content
    # A member seated only after the meeting cannot be marked present at it.
    later = services_bodies.member_seat(
        actor=w.principal, body=council, person=w.teacher2_person, starts_on=dt.date(2026, 1, 10)
    )
    r = client_for(w.teacher).post(
        url,
        {
            "version": "1",
            "held_on": "2025-11-05",
            "minutes": "New",
            "attendees": [str(sec.pk), str(later.pk)],
        },
    )
    assert r.status_code == 400 and b"seated on the day of the meeting" in r.content
    assert b"New" in r.content  # what was typed is still in the form
    r = client_for(w.teacher).post(url, {"version": "1", "held_on": "5 Nov", "minutes": "New"})
    assert r.status_code == 400
    meeting.refresh_from_db()
    assert meeting.minutes == "Draft notes" and meeting.version == 1
    # Saving what is already saved is not a change.
    same = services_bodies.meeting_update(
        actor=w.teacher, meeting=meeting, held_on=meeting.held_on, agenda="Budget", minutes="Draft notes"
    )
    assert same.version == 1
