"""The teacher-leader roles catalog: who manages it, assignment through a position, holders' terms,
learning and coaching shown only where the reader may see them, the catalog's CSV and query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from edlead.core.errors import ApplicationError
from edlead.people.models import Position
from edlead.teacherleaders import services
from edlead.teacherleaders.models import TeacherLeaderAssignment, TeacherLeaderRole

from .conftest import World, client_for

pytestmark = pytest.mark.django_db


def _role(w: World, name: str = "Instructional coach", term: int = 2) -> TeacherLeaderRole:
    return services.role_save(
        actor=w.admin,
        district=w.district,
        name=name,
        kind=TeacherLeaderRole.Kind.INSTRUCTIONAL_COACH,
        responsibilities="Coaches teachers in grades 3–5.",
        stipend=Decimal("3500"),
        term_years=term,
    )


def test_hr_assigns_a_role_through_a_teacher_leader_position(w: World) -> None:
    role = _role(w)
    a = services.assignment_start(
        actor=w.hr, role=role, person=w.teacher_person, organization=w.school, starts_on=dt.date(2025, 8, 1)
    )
    assert a.term_ends_on == dt.date(2027, 7, 31)
    assert a.position.role == Position.Role.TEACHER_LEADER
    assert a.position.title == "Instructional coach"
    with pytest.raises(ApplicationError, match="already holds"):
        services.assignment_start(
            actor=w.hr,
            role=role,
            person=w.teacher_person,
            organization=w.school,
            starts_on=dt.date(2025, 9, 1),
        )
    services.assignment_end(actor=w.hr, assignment=a, ends_on=dt.date(2026, 1, 31))
    a.refresh_from_db()
    a.position.refresh_from_db()
    assert a.ended_on == a.position.ends_on == dt.date(2026, 1, 31)


def test_a_principal_or_teacher_cannot_manage_the_catalog(w: World) -> None:
    with pytest.raises(ApplicationError, match="administrators and HR"):
        services.role_save(
            actor=w.principal, district=w.district, name="X", kind="other", responsibilities="y"
        )
    role = _role(w)
    with pytest.raises(ApplicationError):
        services.assignment_start(actor=w.teacher, role=role, person=w.teacher_person, organization=w.school)
    assert not TeacherLeaderAssignment.objects.exists()


def test_catalog_pages_per_role(w: World) -> None:
    role = _role(w)
    services.assignment_start(actor=w.hr, role=role, person=w.teacher_person, organization=w.school)
    url = reverse("teacherleaders:role-detail", args=[role.pk])
    for user in (w.teacher, w.principal, w.hr, w.admin):
        r = client_for(user).get(url)
        assert r.status_code == 200
        assert "Terry Teacher" in r.content.decode()
    assert client_for(w.outsider).get(url).status_code == 404
    assert (
        b"Instructional coach" not in client_for(w.outsider).get(reverse("teacherleaders:role-list")).content
    )
    # Only managers see the assignment form; a teacher posting it is refused.
    assert b"Assign the role" in client_for(w.hr).get(url).content
    assert b"Assign the role" not in client_for(w.teacher).get(url).content
    assert client_for(w.teacher).post(url, {"person": w.teacher2_person.pk}).status_code == 404
    new = reverse("teacherleaders:role-new", args=[w.district.pk])
    assert client_for(w.principal).get(new).status_code == 404
    r = client_for(w.admin).post(
        new, {"name": "", "kind": "data_lead", "responsibilities": "", "term_years": 1}
    )
    assert r.status_code == 400 and TeacherLeaderRole.objects.count() == 1


def test_holders_learning_and_coaching_only_for_readers_who_may_see_them(w: World) -> None:
    role = _role(w)
    services.assignment_start(actor=w.hr, role=role, person=w.teacher_person, organization=w.school)
    url = reverse("teacherleaders:role-detail", args=[role.pk])
    teacher_view = client_for(w.teacher2).get(url).content.decode()
    assert "Not shown to you" in teacher_view  # a colleague sees the holder, not their learning
    principal_view = client_for(w.principal).get(url).content.decode()
    assert "Not shown to you" not in principal_view  # the supervision chain reads the holder's learning


def test_ending_soon_is_flagged_and_the_catalog_exports(w: World) -> None:
    role = _role(w, term=1)
    start = dt.date.today() - dt.timedelta(days=340)
    services.assignment_start(
        actor=w.hr, role=role, person=w.teacher_person, organization=w.school, starts_on=start
    )
    page = client_for(w.admin).get(reverse("teacherleaders:role-detail", args=[role.pk]))
    assert b"Ending soon" in page.content
    csv = client_for(w.teacher).get(reverse("teacherleaders:role-list") + "?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert "Instructional coach" in csv.content.decode("utf-8-sig")


def _holders(w: World, role: TeacherLeaderRole, n: int) -> None:
    from edlead.testing import make_person, make_position

    for _ in range(n):
        p = make_person()
        make_position(p, w.school, Position.Role.TEACHER)
        services.assignment_start(actor=w.hr, role=role, person=p, organization=w.school)


def test_list_and_role_pages_issue_a_fixed_number_of_queries(
    w: World, django_assert_num_queries: Any
) -> None:
    role = _role(w)
    _holders(w, role, 2)
    c = client_for(w.principal)
    url = reverse("teacherleaders:role-detail", args=[role.pk])
    c.get(url)
    import django.db

    def count(u: str) -> int:
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(django.db.connection) as ctx:
            assert c.get(u).status_code == 200
        return len(ctx.captured_queries)

    small_detail, small_list = count(url), count(reverse("teacherleaders:role-list"))
    _holders(w, role, 5)
    _role(w, "Data lead")
    with django_assert_num_queries(small_detail):
        c.get(url)
    with django_assert_num_queries(small_list):
        c.get(reverse("teacherleaders:role-list"))
