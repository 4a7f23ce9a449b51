"""The demo's teacher leadership: roles held, the principal persona's guide and council, the cabinets;
a second run adds nothing; the principal opens the guide and the state administrator the report."""

from __future__ import annotations

import pytest
from django.test import Client

from edlead.access.models import User
from edlead.demo import services as demo
from edlead.demo.teacherleaders import teacherleaders_seed
from edlead.teacherleaders.models import BodyDecision, LeadershipBody, LeadershipPlan, TeacherLeaderAssignment

pytestmark = pytest.mark.django_db


def test_the_demo_seed_and_the_personas_pages() -> None:
    report = demo.demo_seed(scale="demo")
    line = next(x for x in report.lines if x.startswith("Teacher leadership: "))
    assert int(line.split()[2]) > 0, line
    assert teacherleaders_seed() == 0
    assert TeacherLeaderAssignment.objects.count() >= 5
    plan = LeadershipPlan.objects.get()
    assert plan.ratings.filter(checkpoint="middle").exists() and plan.actions.count() == 4
    assert BodyDecision.objects.filter(body__kind="leadership_team").count() == 3
    cab = LeadershipBody.objects.get(kind="teacher_cabinet")
    c = Client()
    c.force_login(User.objects.get(email=demo.persona("principal").email))
    page = c.get(plan.get_absolute_url())
    assert page.status_code == 200 and b"Middle of year" in page.content
    c.force_login(User.objects.get(email=demo.persona("state_admin").email))
    assert c.get(f"/teacher-leaders/bodies/{cab.pk}/").status_code == 200
    c.force_login(User.objects.get(email=demo.persona("educator").email))
    assert c.get("/teacher-leaders/").status_code == 200
