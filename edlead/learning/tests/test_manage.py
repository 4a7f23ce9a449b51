"""Coordinators keep the catalog: programs added and edited where they may run them, sessions with a
meeting a day, cancellation that tells everyone registered; bad input named, nothing half-saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from edlead.access.tests.conftest import World
from edlead.learning import services_manage
from edlead.learning.models import Enrollment, Meeting, Program, Provider, Session
from edlead.learning.tests.factories import make_program, make_session
from edlead.notices.models import Notice


def _form(provider: Provider, **extra: Any) -> dict[str, Any]:
    data = {
        "title": "Leading Data Meetings",
        "summary": "How to run a data meeting.",
        "format": "workshop",
        "provider": provider.pk,
        "offered_by": "",
        "audience_roles": ["principal", "assistant_principal"],
        "competencies": [],
        "indicators": "i-b, II",
        "pdp_category": "content",
        "pdp_hours": "6",
        "cost": "0",
        "capacity": "25",
        "completion_attendance": "80",
        "active": "on",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_a_coordinator_adds_a_program_for_their_district_only(world: World, client: Any) -> None:
    provider = Provider.objects.create(name="Alpha Leadership Office", kind="district")
    coordinator = world.users["program_coordinator"]
    assert services_manage.manageable_organizations(coordinator) == [
        (str(world.orgs["A"].pk), world.orgs["A"].name)
    ]
    client.force_login(coordinator)
    # The state is not theirs to offer to: refused by the form, nothing saved.
    refused = client.post(reverse("learning:program-new"), _form(provider, offered_by=""))
    assert refused.status_code == 400 and not Program.objects.exists()
    bad = client.post(
        reverse("learning:program-new"), _form(provider, offered_by=world.orgs["A"].pk, indicators="I-A, Z9")
    )
    assert bad.status_code == 400 and "Not an indicator code: Z9" in bad.content.decode()
    ok = client.post(reverse("learning:program-new"), _form(provider, offered_by=world.orgs["A"].pk))
    program = Program.objects.get()
    assert ok["Location"] == program.get_absolute_url()
    assert program.organization == world.orgs["A"] and program.indicator_codes == ["I-B", "II"]
    assert program.audience_roles == ["principal", "assistant_principal"]
    # A principal may not add or edit programs; the state administrator may offer one to every district.
    client.force_login(world.users["school_leader"])
    assert client.get(reverse("learning:program-new")).status_code == 403
    assert client.get(reverse("learning:program-edit", args=[program.pk])).status_code == 404
    assert ("", "The state (every district)") in services_manage.manageable_organizations(
        world.users["state_admin"]
    )


@pytest.mark.django_db
def test_a_session_over_several_days_has_a_meeting_a_day(world: World, client: Any) -> None:
    program = make_program(organization=world.orgs["A"])
    client.force_login(world.users["program_coordinator"])
    start = (timezone.localtime() + dt.timedelta(days=20)).replace(hour=9, minute=0, second=0, microsecond=0)
    url = reverse("learning:session-new", args=[program.pk])
    wrong = client.post(
        url, {"starts_at": f"{start:%Y-%m-%dT%H:%M}", "ends_at": f"{start:%Y-%m-%dT08:%M}", "days": 2}
    )
    assert wrong.status_code == 400 and "ends after it starts" in wrong.content.decode()
    client.post(
        url,
        {
            "starts_at": f"{start:%Y-%m-%dT%H:%M}",
            "ends_at": f"{start:%Y-%m-%dT15:%M}",
            "days": 2,
            "place": "Room 4",
        },
    )
    session = Session.objects.get()
    meetings = list(Meeting.objects.filter(session=session))
    assert [timezone.localtime(m.starts_at).day for m in meetings] == [
        start.day,
        (start + dt.timedelta(days=1)).day,
    ]
    assert timezone.localtime(session.ends_at) == start.replace(hour=15) + dt.timedelta(days=1)
    client.force_login(world.users["school_leader"])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_cancelling_a_session_tells_everyone_registered(world: World, client: Any) -> None:
    session = make_session(make_program(organization=world.orgs["A"]))
    for key, status in (("P1", "enrolled"), ("AP1", "waitlisted"), ("TEA1", "cancelled")):
        Enrollment.objects.create(session=session, person=world.people[key], status=status)
    client.force_login(world.users["program_coordinator"])
    url = reverse("learning:session-cancel", args=[session.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    client.post(url, {"reason": "The presenter is ill; a new date follows."})
    session.refresh_from_db()
    assert session.cancelled
    told = set(
        Notice.objects.filter(kind=services_manage.NOTICE_CANCELLED).values_list("person_id", flat=True)
    )
    assert told == {world.people["P1"].pk, world.people["AP1"].pk}
    again = client.post(url, {"reason": "Twice"})
    assert again.status_code == 400 and "already cancelled" in again.content.decode()


@pytest.mark.django_db
def test_the_program_page_offers_the_coordinator_their_tools(world: World, client: Any) -> None:
    program = make_program(organization=world.orgs["A"])
    make_session(program)
    client.force_login(world.users["program_coordinator"])
    page = client.get(program.get_absolute_url()).content.decode()
    for text in ("Edit the program", "Add a session", "Roster", "Effectiveness", "Materials"):
        assert text in page
    client.force_login(world.users["school_leader"])
    page = client.get(program.get_absolute_url()).content.decode()
    assert "Edit the program" not in page and "Add to calendar" in page
