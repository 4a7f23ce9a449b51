"""The teacher-leader part of a person's record page (who sees it, current and past roles with their
terms) and the fixed query counts of the guide and body pages whatever the data size."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from edlead.people import panels
from edlead.people.models import Person, Position
from edlead.teacherleaders import dimensions, services, services_bodies, services_guide
from edlead.teacherleaders.models import LeadershipBody, LeadershipPlan, TeacherLeaderRole
from edlead.testing import make_person, make_position, make_user

from .conftest import World, client_for

pytestmark = pytest.mark.django_db


def _role(w: World, name: str) -> TeacherLeaderRole:
    return services.role_save(
        actor=w.admin,
        district=w.district,
        name=name,
        kind=TeacherLeaderRole.Kind.MENTOR_TEACHER,
        responsibilities="Mentors a first-year teacher.",
        stipend=Decimal("1200"),
        term_years=1,
    )


def _queries(c: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_panel_is_registered_for_the_record_page(w: World) -> None:
    urls = dict(panels.panel_urls(w.teacher_person.pk))
    assert urls["teacherleader"] == reverse("teacherleaders:person-roles", args=[w.teacher_person.pk])


def test_the_record_part_lists_current_and_past_roles_with_terms(w: World) -> None:
    today = dt.date.today()
    mentor, data = _role(w, "Mentor teacher"), _role(w, "Data lead")
    services.assignment_start(
        actor=w.hr, role=mentor, person=w.teacher_person, organization=w.school, starts_on=today
    )
    past = services.assignment_start(
        actor=w.hr,
        role=data,
        person=w.teacher_person,
        organization=w.school,
        starts_on=today - dt.timedelta(days=200),
    )
    services.assignment_end(actor=w.hr, assignment=past, ends_on=today - dt.timedelta(days=10))
    url = reverse("teacherleaders:person-roles", args=[w.teacher_person.pk])

    for reader in (w.hr, w.teacher):  # HR of the district, and the person on their own record
        page = client_for(reader).get(url)
        text = page.content.decode()
        assert page.status_code == 200
        assert "<section" in text and "<h2" in text and "Teacher-leader roles</h2>" in text
        assert "1 role held now, 1 before" in text
        assert "Mentor teacher" in text and f"{today:%-d %b %Y}" in text
        assert "Data lead" in text and "Left the role" in text
        assert page["Cache-Control"].count("no-store") == 1

    # Someone who may not open the full record (a principal of another district) sees nothing.
    outsider = client_for(w.outsider).get(url)
    assert outsider.status_code == 200 and outsider.content == b""
    # Nor does the record show an empty section for someone who never held a role.
    none = client_for(w.hr).get(reverse("teacherleaders:person-roles", args=[w.teacher2_person.pk]))
    assert none.status_code == 200 and none.content == b""
    # A missing person is a 404.
    assert client_for(w.hr).get(reverse("teacherleaders:person-roles", args=[999_999])).status_code == 404


def test_the_record_part_escapes_a_role_name(w: World) -> None:
    role = _role(w, "<script>alert(1)</script> lead")
    services.assignment_start(actor=w.hr, role=role, person=w.teacher_person, organization=w.school)
    text = client_for(w.hr).get(reverse("teacherleaders:person-roles", args=[w.teacher_person.pk])).content
    assert b"<script>alert(1)" not in text and b"&lt;script&gt;" in text


def test_the_record_part_costs_a_fixed_number_of_queries(w: World) -> None:
    c = client_for(w.hr)
    url = reverse("teacherleaders:person-roles", args=[w.teacher_person.pk])
    services.assignment_start(
        actor=w.hr, role=_role(w, "Role 0"), person=w.teacher_person, organization=w.school
    )
    c.get(url)
    few = _queries(c, url)
    for i in range(1, 5):
        services.assignment_start(
            actor=w.hr, role=_role(w, f"Role {i}"), person=w.teacher_person, organization=w.other_school
        )
    with CaptureQueriesContext(connection) as ctx:
        page = c.get(url)
    assert page.content.decode().count('<th scope="row">') == 5
    assert len(ctx.captured_queries) == few


def _staff(w: World, n: int, start: int) -> list[Person]:
    out = []
    for i in range(start, start + n):
        p = make_person(f"Teacher{i}", f"Number{i}")
        make_position(p, w.school, Position.Role.TEACHER)
        out.append(p)
    return out


def test_the_guide_page_costs_a_fixed_number_of_queries(w: World, django_assert_num_queries: Any) -> None:
    team = services_bodies.body_create(
        actor=w.principal,
        organization=w.school,
        kind="leadership_team",
        name="Leadership team",
        convener=w.principal_person,
    )
    plan: LeadershipPlan = services_guide.plan_create(
        actor=w.principal, school=w.school, school_year=2026, team=team
    )
    levels = {d.key: 2 for d in dimensions.DIMENSIONS}

    def grow(people: list[Person], k: int) -> None:
        for p in people:
            services_bodies.member_seat(actor=w.principal, body=team, person=p, starts_on=dt.date(2025, 8, 1))
            services_guide.ratings_save(
                actor=w.principal, plan=plan, person=p, checkpoint="start", levels=levels
            )
            a = services_guide.action_add(
                actor=w.principal,
                plan=plan,
                dimension="roles",
                action=f"Action {k} for {p.last_name}",
                owner=p,
                due_on=dt.date.today() + dt.timedelta(days=k),
            )
            services_guide.action_update(actor=w.principal, action=a, status="in_progress", note="Begun")

    grow(_staff(w, 1, 0), 1)
    c = client_for(w.principal)
    url = reverse("teacherleaders:plan-detail", args=[plan.pk])
    c.get(url)
    few = _queries(c, url)
    grow(_staff(w, 4, 1), 2)
    with django_assert_num_queries(few):
        page = c.get(url)
    assert page.content.decode().count("Record progress") == 5


def test_the_body_page_costs_a_fixed_number_of_queries(w: World, django_assert_num_queries: Any) -> None:
    council = services_bodies.body_create(
        actor=w.principal, organization=w.school, kind="council", name="Council", convener=w.principal_person
    )
    start = dt.date.today() - dt.timedelta(days=30)

    def grow(people: list[Person], k: int) -> None:
        seats = [
            services_bodies.member_seat(actor=w.principal, body=council, person=p, starts_on=start)
            for p in people
        ]
        for j in range(len(people)):
            services_bodies.meeting_record(
                actor=w.principal,
                body=council,
                held_on=start + dt.timedelta(days=k * 10 + j),
                agenda="Planning time",
                attendee_ids=[s.pk for s in seats],
            )
            services_bodies.decision_log(
                actor=w.principal,
                body=council,
                decided_on=start + dt.timedelta(days=k * 10 + j),
                decision=f"Decision {k}-{j}",
                owner=people[j],
            )

    grow(_staff(w, 1, 0), 0)
    url = reverse("teacherleaders:body-detail", args=[council.pk])
    for k, reader in enumerate((w.principal, w.teacher), start=1):  # who runs it (forms); a colleague
        c = client_for(reader)
        c.get(url)
        few = _queries(c, url)
        grow(_staff(w, 3, 10 * k), k)
        with django_assert_num_queries(few):
            page = c.get(url)
        assert "Decision " in page.content.decode()
    body = LeadershipBody.objects.get(pk=council.pk)
    assert body.decisions.count() == 7


def test_outsiders_get_no_panel_even_as_a_user_without_a_person(w: World) -> None:
    nobody = make_user(None, email="nobody@example.org", password=None)
    page = client_for(nobody).get(reverse("teacherleaders:person-roles", args=[w.teacher_person.pk]))
    assert page.status_code == 200 and page.content == b""
