"""Registration: seats, then the waitlist in order; no one twice; a freed seat goes to the first person
waiting, who is told; a past or cancelled session refuses; only oneself (or a coordinator)."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest
from django.db import connection, connections
from django.urls import reverse

from edlead.access.tests.conftest import World
from edlead.core.errors import ApplicationError
from edlead.learning import services
from edlead.learning.models import Enrollment
from edlead.learning.tests.factories import make_program, make_session
from edlead.notices.models import Notice
from edlead.testing import make_person

S = Enrollment.Status


@pytest.mark.django_db
def test_seats_then_the_waitlist_then_promotion_with_a_notice(world: World) -> None:
    session = make_session(make_program(capacity=2))
    people = [world.people[k] for k in ("P1", "AP1", "TEA1", "P3")]
    got = [services.register(actor=None, session=session, person=p).status for p in people]
    assert got == [S.ENROLLED, S.ENROLLED, S.WAITLISTED, S.WAITLISTED]
    with pytest.raises(ApplicationError, match="already enrolled"):
        services.register(actor=None, session=session, person=people[0])
    first = Enrollment.objects.get(session=session, person=people[0])
    services.cancel(actor=None, enrollment=first)
    statuses = dict(Enrollment.objects.filter(session=session).values_list("person_id", "status"))
    assert statuses[people[2].pk] == S.ENROLLED and statuses[people[3].pk] == S.WAITLISTED
    assert Notice.objects.filter(person=people[2], kind=services.NOTICE_SEAT).count() == 1
    # Registering again after cancelling: to the back of the waitlist.
    assert services.register(actor=None, session=session, person=people[0]).status == S.WAITLISTED


@pytest.mark.django_db
def test_refusals(world: World) -> None:
    program = make_program(capacity=2)
    past = make_session(program, days=-2)
    with pytest.raises(ApplicationError, match="already started"):
        services.register(actor=None, session=past, person=world.people["P1"])
    cancelled = make_session(program, days=4, cancelled=True)
    with pytest.raises(ApplicationError, match="not open"):
        services.register(actor=None, session=cancelled, person=world.people["P1"])
    open_session = make_session(program, days=4)
    with pytest.raises(ApplicationError, match="only yourself"):
        services.register(
            actor=world.users["school_leader"], session=open_session, person=world.people["AP1"]
        )
    beta = make_session(make_program("Beta only", organization=world.orgs["B"]))
    with pytest.raises(ApplicationError, match="only yourself"):
        services.register(actor=world.users["school_leader"], session=beta, person=world.people["P1"])
    coordinator = world.users["program_coordinator"]
    alpha = make_session(make_program("Alpha", organization=world.orgs["A"]))
    assert (
        services.register(actor=coordinator, session=alpha, person=world.people["AP1"]).status == S.ENROLLED
    )


@pytest.mark.django_db
def test_register_and_cancel_from_the_program_page(world: World, client: Any) -> None:
    program = make_program(capacity=1)
    session = make_session(program)
    services.register(actor=None, session=session, person=world.people["AP1"])
    client.force_login(world.users["school_leader"])
    page = client.get(program.get_absolute_url()).content.decode()
    assert "Join the waitlist" in page
    client.post(reverse("learning:session-register", args=[session.pk]))
    mine = Enrollment.objects.get(session=session, person=world.people["P1"])
    assert mine.status == S.WAITLISTED
    assert "On the waitlist" in client.get(reverse("learning:mine")).content.decode()
    other = Enrollment.objects.get(session=session, person=world.people["AP1"])
    assert client.post(reverse("learning:enrollment-cancel", args=[other.pk])).status_code == 404
    client.post(reverse("learning:enrollment-cancel", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.status == S.CANCELLED


@pytest.mark.django_db(transaction=True)
def test_fifty_people_racing_for_the_last_five_seats_never_overbook(world: World) -> None:
    """On PostgreSQL, 50 threads with their own connections register at once for a session with five
    seats left: exactly five are enrolled and the rest waitlisted."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite runs one writer at a time")
    session = make_session(make_program(capacity=8))
    for n in range(3):
        services.register(actor=None, session=session, person=make_person("Early", f"Bird{n}"))
    racers = [make_person("Racer", f"No{n}") for n in range(50)]
    barrier = threading.Barrier(len(racers))
    errors: list[str] = []

    def race(person: Any) -> None:
        try:
            barrier.wait()
            services.register(actor=None, session=session, person=person)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(p,)) for p in racers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    counts = Counter(
        Enrollment.objects.filter(session=session, person__in=racers).values_list("status", flat=True)
    )
    assert counts == {S.ENROLLED: 5, S.WAITLISTED: 45}
    assert Enrollment.objects.filter(session=session, status=S.ENROLLED).count() == 8
