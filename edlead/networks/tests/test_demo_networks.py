"""The demo's principal networks (edlead/demo/networks.py): every Riverton quadrant has its monthly meetings
of this school year with agendas and attendance, a problem of practice, peer pairs, one upcoming meeting;
the supervisor persona plans North's, the demo principal reads it and presents its problem of practice; a
second run adds nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from edlead.access import policy
from edlead.access.models import User
from edlead.demo import services as demo
from edlead.demo.demo import RIVERTON_CODE
from edlead.demo.networks import networks_seed
from edlead.lib.schoolyears import SchoolYear
from edlead.networks.models import Attendance, Meeting, PeerPair, ProblemOfPractice
from edlead.networks.selectors import principals_of
from edlead.orgs.models import Organization

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_world")]


def _user(key: str) -> Any:
    return User.objects.select_related("person").get(email=demo.persona(key).email)


def test_the_demo_networks(client: Any, demo_world: Any) -> None:
    report = demo_world
    today = dt.date.today()
    year = SchoolYear.containing(today)
    riverton = Organization.objects.get(code=RIVERTON_CODE)
    quadrants = list(Organization.objects.networks().within(riverton))
    assert len(quadrants) == 4
    added = Meeting.objects.count()
    assert f"Network meetings: {added} added." in report.lines
    for q in quadrants:
        meetings = list(Meeting.objects.filter(organization=q).order_by("meets_on"))
        upcoming = [m for m in meetings if m.meets_on >= today]
        past = [m for m in meetings if m.meets_on < today]
        assert len(upcoming) == 1 and all(year.starts_on <= m.meets_on for m in meetings)
        assert all(m.agenda_items.count() == 5 for m in meetings)
        principals = {p.person_id for p in principals_of(q, today)}
        for m in past:
            assert set(Attendance.objects.filter(meeting=m).values_list("person_id", flat=True)) == principals
        if past:
            assert ProblemOfPractice.objects.filter(meeting__organization=q).count() == 1
        pairs = PeerPair.objects.filter(organization=q, school_year=year.start_year)
        assert pairs.count() == len(principals) // 2
    # The supervisor persona plans North's; the demo principal reads it and presents its problem of practice.
    supervisor, principal = _user("supervisor"), _user("principal")
    north = next(q for q in quadrants if q.name.startswith("North"))
    assert policy.can(supervisor, policy.NETWORK_MANAGE, north)
    assert policy.can(principal, policy.NETWORK_VIEW, north) and not policy.can(
        principal, policy.NETWORK_MANAGE, north
    )
    if Meeting.objects.filter(organization=north, meets_on__lt=today).exists():
        assert ProblemOfPractice.objects.get(meeting__organization=north).presenter == principal.person
    client.force_login(principal)
    page = client.get(reverse("networks:network-detail", args=[north.pk]))
    assert page.status_code == 200 and "Upcoming meetings" in page.content.decode()
    other = next(q for q in quadrants if q != north)
    assert client.get(reverse("networks:network-detail", args=[other.pk])).status_code == 404
    assert networks_seed() == 0


def test_the_demo_network_report(client: Any, demo_world: Any) -> None:
    from edlead.networks.models import NetworkReport

    report = demo_world
    assert any(line.startswith("Network reports: 1 added") for line in report.lines)
    north = NetworkReport.objects.select_related("network").get()
    today = dt.date.today()
    assert north.network.name.startswith("North") and north.kind == "monthly" and north.sent_at is not None
    assert north.period_end == today.replace(day=1) - dt.timedelta(days=1) and north.narrative
    assert north.content["schools"] == len(north.content["rows"]) > 5
    sections = {f["section"] for f in north.content["figures"]}
    assert {"Evaluation", "Improvement plan", "Last visit", "Support requests"} <= sections
    client.force_login(_user("superintendent"))
    assert client.get(north.get_absolute_url()).status_code == 200
    client.force_login(_user("principal"))
    assert client.get(north.get_absolute_url()).status_code == 404
