"""The demo's supervision visits (edlead/demo/visits.py): every quadrant's supervisor visits their schools
this school year with purposes, look-fors, plan-goal tags, next steps and released feedback; visits to
come (one unannounced, some cancelled); some schools behind the target; the supervisor persona's pages
show them; a second run adds nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from edlead.access.models import User
from edlead.demo import services as demo
from edlead.demo.visits import visits_seed
from edlead.visits.models import NextStep, Visit
from edlead.visits.selectors import school_year_start

pytestmark = pytest.mark.django_db


def test_the_demo_visits(client: Any) -> None:
    report = demo.demo_seed(scale="demo")
    assert any(line.startswith("Supervision visits:") for line in report.lines)
    today = timezone.localdate()
    made = Visit.objects.filter(cycle__isnull=True)
    assert made.filter(date__gte=school_year_start(today), date__lte=today).count() > 100
    assert set(made.values_list("purpose", flat=True)) >= {
        Visit.Purpose.LEARNING_WALK,
        Visit.Purpose.PLAN_CHECK,
        Visit.Purpose.COACHING,
        Visit.Purpose.OPERATIONS,
    }
    assert made.filter(date__gt=today, cancelled_at__isnull=True, announced=False).exists()
    assert made.filter(cancelled_at__isnull=False).exists()
    assert made.filter(date__lte=today, feedback_released_at__isnull=True).exists()  # waiting for feedback
    assert made.filter(plan_goals__isnull=False).exists() and made.exclude(look_fors={}).exists()
    assert (
        NextStep.objects.filter(done_on__isnull=False).exists()
        and NextStep.objects.filter(done_on=None).exists()
    )
    # No visit is both still to come and released, and none has evaluation indicators (not evaluative).
    assert not made.filter(date__gt=today, feedback_released_at__isnull=False).exists()
    assert not made.filter(focus_indicators__isnull=False).exists()
    assert not Visit.objects.filter(evaluative=False, focus_indicators__isnull=False).exists()

    supervisor = User.objects.get(email=demo.persona("supervisor").email)
    client.force_login(supervisor)
    page = client.get(reverse("visits:coverage"))
    assert page.status_code == 200 and "over 30" in page.text  # a school behind
    listing = client.get(reverse("visits:visit-list"))
    assert listing.status_code == 200 and "Scheduled" in listing.text
    principal = User.objects.get(email=demo.persona("principal").email)
    client.force_login(principal)
    mine = client.get(reverse("visits:visit-list"))
    assert mine.status_code == 200 and "Feedback released" in mine.text
    assert visits_seed(today=today + dt.timedelta(days=1)) == 0
