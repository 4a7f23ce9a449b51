"""The demo catalog: state and district programs with past and coming sessions; run once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from edlead.demo import services as demo
from edlead.demo.learning import PROGRAMS, learning_seed
from edlead.learning.models import Enrollment, Program, Session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_world")]


def test_the_demo_catalog(demo_world: Any) -> None:
    report = demo_world
    assert f"Learning: {len(PROGRAMS)} programs added." in report.lines
    assert learning_seed() == 0  # a second run adds nothing
    assert Program.objects.filter(organization__isnull=True).exists()
    assert Program.objects.filter(organization__isnull=False).exists()
    now = timezone.now()
    assert (
        Session.objects.filter(starts_at__lt=now).exists()
        and Session.objects.filter(starts_at__gt=now).exists()
    )
    assert Enrollment.objects.filter(status=Enrollment.Status.COMPLETED).exists()
    # Some coming session is nearly full: one seat left.
    nearly = [
        s
        for s in Session.objects.filter(starts_at__gt=now).select_related("program")
        if s.seats - s.enrollments.filter(status=Enrollment.Status.ENROLLED).count() == 1
    ]
    assert nearly


def test_the_demo_runs_its_past_sessions_and_shows_effectiveness(client: Any) -> None:
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from edlead.core import workqueue
    from edlead.credentials.models import PdpActivity
    from edlead.demo.learning import TO_RECORD
    from edlead.learning.effectiveness import program_effectiveness
    from edlead.learning.models import FollowUp, GrowthSurvey, Reaction

    # Completions of this year's sessions have their PDPs credited; the earlier school years' cohorts (for
    # level 5) were recorded before EdLead credited PDPs.
    completed = Enrollment.objects.filter(
        status=Enrollment.Status.COMPLETED, completed_on__gt=dt.date(2024, 7, 1)
    )
    assert (
        completed.filter(pdp_activity__isnull=False).count()
        == completed.exclude(session__program__pdp_hours=0).count()
        > 0
    )
    from edlead.demo.metrics import metrics_seed
    from edlead.learning.outcomes import level5

    metrics_seed(first=2020, last=2024)  # the demo's school outcomes (make run seeds them all)
    data_teams = Program.objects.get(title="Data Teams for School Improvement")
    assert any(c.did is not None for c in level5(data_teams).cohorts)
    assert PdpActivity.objects.filter(source__startswith="EdLead program completion").count() > 0
    assert GrowthSurvey.objects.filter(moment=GrowthSurvey.Moment.POST).exists()
    assert Reaction.objects.exists() and FollowUp.objects.exists()
    assert Enrollment.objects.filter(status=Enrollment.Status.PENDING).exists()
    # Level 1 and 2 figures are shown (six or more answers) for some program the district coordinator runs.
    coordinator = get_user_model().objects.get(email=demo.persona("programs").email)
    shown = []
    for program in Program.objects.filter(organization__isnull=False):
        data = program_effectiveness(program)
        if any(f.value is not None for f in data.reaction) and any(
            f.value is not None for f in data.learning
        ):
            shown.append(program)
    assert shown, "no district program has level 1 and 2 figures on the demo"
    client.force_login(coordinator)
    page = client.get(reverse("learning:effectiveness", args=[shown[0].pk]))
    assert page.status_code == 200
    assert b"Level 1" in page.content and b"Level 2" in page.content
    # The session left unrecorded is in the coordinator's work queue.
    titles = [e.item.title for e in workqueue.items_for(coordinator)]
    assert f"Take attendance and mark completion: {TO_RECORD}" in titles
