"""The demo's communications (edlead/demo/communications.py): three issues sent once to their audiences, a
state draft, reflection pieces with one waiting for Riverton's review, a recognition cycle with work for
the supervisor persona on the panel and an award on a record; a second run adds nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from edlead.access.models import User
from edlead.communications.models import Award, NewsletterDelivery, NewsletterIssue, Nomination, Reflection
from edlead.core import workqueue
from edlead.demo import services as demo
from edlead.demo.communications import communications_seed
from edlead.notices.models import Notice
from edlead.notices.registry import OFF

pytestmark = pytest.mark.django_db


def _user(key: str) -> Any:
    return User.objects.select_related("person").get(email=demo.persona(key).email)


def test_the_demo_communications_and_what_the_personas_see() -> None:
    report = demo.demo_seed(scale="demo")
    line = next(x for x in report.lines if x.startswith("Communications: "))
    assert int(line.split()[1]) > 10, line
    published = list(NewsletterIssue.objects.filter(status="published").order_by("published_at"))
    assert len(published) == 3 and NewsletterIssue.objects.filter(status="draft").count() == 1
    for issue in published:
        assert issue.sent_at is not None and issue.recipients > 0
        sent = NewsletterDelivery.objects.filter(issue=issue).count()
        notices = Notice.objects.filter(once_key=f"newsletter:{issue.pk}")
        assert sent == issue.recipients == notices.count()  # once each
        assert not notices.exclude(delivery=OFF).exists()  # the demo e-mails nobody
    principal = _user("principal")
    assert Notice.objects.filter(person=principal.person, once_key__startswith="newsletter:").count() == 3
    assert Reflection.objects.filter(status="published").count() == 2
    waiting = [
        e.item for e in workqueue.items_for(_user("district_admin")) if e.item.source == "communications"
    ]
    assert any("Why I want to lead a school one day" in i.title for i in waiting)
    reviews = [e.item for e in workqueue.items_for(_user("supervisor")) if e.item.source == "communications"]
    assert (
        len(reviews) == Nomination.objects.filter(program__name="Riverton Principal of the Year").count() >= 2
    )
    award = Award.objects.get()
    client = Client()
    client.force_login(_user("district_admin"))
    part = client.get(reverse("communications:person-awards", args=[award.person_id])).content.decode()
    assert "Massachusetts Teacher Leader Award" in part
    for url in (
        reverse("communications:archive"),
        reverse("communications:program-list"),
        reverse("communications:reflection-list"),
    ):
        assert client.get(url).status_code == 200
    assert communications_seed() == 0
