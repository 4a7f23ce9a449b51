"""The demo's coaching (edlead/demo/coaching.py): the demo coach's relationships stand on the COACH
relationships the demo already had (none doubled) and have sessions; a first-year principal is mentored
with hours toward induction; another first-year principal waits, overdue, on the coordinator's queue and
the matching page; the pages open for each persona with a part in it; a second run adds nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from edlead.access.models import Relationship, User
from edlead.coaching import queue, selectors
from edlead.coaching.models import CoachingRelationship, CoachingSession
from edlead.core import workqueue
from edlead.demo import services as demo
from edlead.demo.coaching import coaching_seed

pytestmark = pytest.mark.django_db
K = CoachingRelationship.Kind


def _user(key: str) -> Any:
    return User.objects.select_related("person").get(email=demo.persona(key).email)


def test_the_demo_coaching() -> None:
    report = demo.demo_seed(scale="demo")
    today = timezone.localdate()
    coach = _user("coach")
    rels = list(CoachingRelationship.objects.select_related("access"))
    coached = [r for r in rels if r.kind == K.EXECUTIVE_COACH]
    assert f"Coaching: {len(rels)} relationships added." in report.lines
    assert len(coached) == 3 and all(r.coach_id == coach.person_id for r in coached)
    # Built on the demo's own COACH relationships: one access relationship each, none doubled.
    assert Relationship.objects.filter(kind=Relationship.Kind.COACH, holder=coach.person).count() == 3
    assert {r.access.kind for r in coached} == {Relationship.Kind.COACH}
    principal = _user("principal")
    mine = next(r for r in coached if r.coachee_id == principal.person_id)
    assert mine.sessions.count() >= 5 and mine.cycles.exists()
    assert mine.sessions.filter(shared_with=CoachingSession.SharedWith.SUPERVISION).exists()
    # A first-year principal mentored, with hours toward induction.
    mentoring = [r for r in rels if r.kind == K.NEW_PRINCIPAL_MENTOR]
    assert len(mentoring) == 1 and mentoring[0].access.kind == Relationship.Kind.MENTOR
    hours = selectors.hours_of(mentoring[0], today)
    progress = selectors.induction_progress(mentoring[0], hours)
    assert progress is not None and 5 <= hours.total < progress.required
    # Another waits, overdue, for the coordinator.
    coordinator = _user("programs")
    waiting = selectors.awaiting_mentor(coordinator, today)
    assert waiting and all(w.person.pk != mentoring[0].coachee_id for w in waiting)
    items = queue.items(coordinator, today)
    assert items and items[0].state(today) == workqueue.OVERDUE
    # The pages, as each persona with a part in it.
    for key, url in (
        ("coach", reverse("coaching:relationship-detail", args=[mine.pk])),
        ("principal", reverse("coaching:relationship-detail", args=[mine.pk])),
        ("coach", reverse("coaching:relationship-list")),
        ("programs", reverse("coaching:relationship-list")),
        ("programs", reverse("coaching:matching")),
        ("district_admin", reverse("coaching:matching")),
    ):
        c = Client()
        c.force_login(_user(key))
        response = c.get(url)
        assert response.status_code == 200, (key, url)
    c = Client()
    c.force_login(coordinator)
    body = c.get(reverse("coaching:matching")).content.decode()
    assert waiting[0].person.display_name in body and "Confirm" in body
    # The supervisor reads the shared sessions only; HR not even the page.
    supervisor = _user("supervisor")
    readable = selectors.sessions_readable(supervisor, CoachingSession.objects.all())
    assert set(readable.values_list("shared_with", flat=True)) <= {CoachingSession.SharedWith.SUPERVISION}
    hr = Client()
    hr.force_login(_user("hr"))
    assert hr.get(reverse("coaching:relationship-detail", args=[mine.pk])).status_code == 404
    assert coaching_seed() == 0
