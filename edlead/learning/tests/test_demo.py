"""The demo catalog: state and district programs with past and coming sessions; run once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from edlead.demo import services as demo
from edlead.demo.learning import PROGRAMS, learning_seed
from edlead.learning.models import Enrollment, Program, Session

pytestmark = pytest.mark.django_db


def test_the_demo_catalog() -> None:
    report = demo.demo_seed(scale="demo")
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
