"""The demo pipeline (edlead/demo/pipeline.py): Riverton's pool across stages, the educator persona's
practicum under the principal persona with hours waiting for her signature, applications (some flagged),
successors with gaps; the personas' pages open; a second run adds nothing."""

from __future__ import annotations

import calendar
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from edlead.access.models import User
from edlead.core import workqueue
from edlead.demo import services as demo
from edlead.demo.demo import RIVERTON_CODE
from edlead.demo.pipeline import pipeline_seed
from edlead.orgs.models import Organization
from edlead.pipeline import selectors
from edlead.pipeline.models import Application, Placement, PoolEntry

pytestmark = pytest.mark.django_db


def _user(key: str) -> Any:
    return User.objects.select_related("person").get(email=demo.persona(key).email)


def test_the_demo_pipeline() -> None:
    report = demo.demo_seed(scale="demo")
    riverton = Organization.objects.get(code=RIVERTON_CODE)
    entries = PoolEntry.objects.filter(organization=riverton)
    assert any(
        line.startswith("Leadership pipeline: ") and "aspiring leaders" in line for line in report.lines
    )
    assert set(entries.values_list("stage", flat=True)) >= {
        "interested",
        "preparing",
        "practicum",
        "licensed",
        "applying",
    }
    educator, principal = _user("educator"), _user("principal")
    mira = Placement.objects.get(person_id=educator.person_id)
    assert mira.mentor_id == principal.person_id
    assert mira.hours.filter(signed_at__isnull=True).count() == 3
    assert any("practicum hours" in e.item.title for e in workqueue.items_for(principal))
    assert Application.objects.filter(eligible=False).exists()  # teachers without the licence yet
    assert Application.objects.filter(eligible=True).exists()  # assistant principals who hold it
    view = selectors.succession(_user("superintendent"), riverton)
    assert 0 < view.gaps < len(view.rows)
    # The pool beside the district's students: the demo's in-year enrollment counts by race/ethnicity.
    diversity = selectors.pool_diversity(riverton)
    shares = [r.students_pct for r in diversity.race]
    assert all(s is not None for s in shares) and abs(sum(s or 0 for s in shares) - 100) < 1.5
    month, _, year = diversity.students_period.partition(" ")
    assert month in calendar.month_name[1:] and year.isdigit()
    for key, url in (
        ("educator", reverse("pipeline:home")),
        ("educator", reverse("pipeline:placement", args=[mira.pk])),
        ("principal", reverse("pipeline:placement", args=[mira.pk])),
        ("district_admin", reverse("pipeline:pool", args=[riverton.pk])),
        ("district_admin", reverse("pipeline:succession", args=[riverton.pk])),
        ("superintendent", reverse("pipeline:outcomes", args=[riverton.pk])),
        ("hr", reverse("pipeline:applicants", args=[Application.objects.first().posting_id])),  # type: ignore[union-attr]
    ):
        c = Client()
        c.force_login(_user(key))
        assert c.get(url).status_code == 200, (key, url)
    assert pipeline_seed() == 0
