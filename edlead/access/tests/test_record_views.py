"""Who has seen my record, and the pages that record working relationships."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from edlead.access.models import Relationship, RoleGrant
from edlead.core.models import AuditEvent
from edlead.people.models import Position
from edlead.testing import (
    make_district,
    make_network,
    make_person,
    make_position,
    make_school,
    make_state,
    make_user,
)

R = Position.Role
G = RoleGrant.Role


@pytest.fixture
def place(db: Any) -> dict[str, Any]:
    make_state()
    district = make_district("Alpha Public Schools", code="99100000")
    network = make_network(district, "North Quadrant")
    school = make_school(network, "Lincoln Elementary", code="99100010")
    principal = make_person("Pat", "Principal")
    make_position(principal, school, R.PRINCIPAL)
    supervisor = make_person("Sam", "Supervisor")
    make_position(supervisor, network, R.PRINCIPAL_SUPERVISOR)
    ap = make_person("Ari", "Assistant")
    make_position(ap, school, R.ASSISTANT_PRINCIPAL)
    coach = make_person("Cory", "Coach")
    make_position(coach, district, R.COACH)
    return {
        "district": district,
        "school": school,
        "principal": principal,
        "principal_user": make_user(principal, password=None),
        "supervisor_user": make_user(supervisor, password=None),
        "ap_user": make_user(ap, password=None),
        "coach": coach,
        "hr_user": make_user(make_person("Hana", "Hr"), password=None, grants=[(G.HR, district)]),
    }


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_person_sees_who_opened_their_personnel_details_and_from_which_page(place: dict[str, Any]) -> None:
    principal = place["principal"]
    client_for(place["supervisor_user"]).get(principal.get_absolute_url())
    own = client_for(place["principal_user"])
    own.get(principal.get_absolute_url())  # their own visit is not listed
    page = own.get(reverse("access:record-views"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Sam Supervisor" in text
    assert principal.get_absolute_url() in text  # the page it came from
    assert "Sensitive record viewed" in text
    assert page["Cache-Control"].count("no-store") == 1
    events = AuditEvent.objects.filter(subject_person_id=principal.pk, action="record_viewed")
    assert events.count() == 2  # theirs and the supervisor's; only the supervisor's is shown
    assert "1 event" in text


def test_record_views_show_only_ones_own_record(place: dict[str, Any]) -> None:
    client_for(place["supervisor_user"]).get(place["principal"].get_absolute_url())
    # The assistant principal's page lists nothing about their principal's record.
    text = client_for(place["ap_user"]).get(reverse("access:record-views")).content.decode()
    assert "Sam Supervisor" not in text and "Nobody else has opened your record yet." in text
    # An account with no person record has nothing to show.
    nobody = make_user(None, password=None, grants=[(G.HR, place["district"])])
    text = client_for(nobody).get(reverse("access:record-views")).content.decode()
    assert "not linked to a person record" in text and "Sam Supervisor" not in text


def test_record_views_export_and_fixed_queries(place: dict[str, Any], django_assert_num_queries: Any) -> None:
    principal = place["principal"]
    supervisor = client_for(place["supervisor_user"])
    supervisor.get(principal.get_absolute_url())
    own = client_for(place["principal_user"])
    csv = own.get(reverse("access:record-views") + "?format=csv")
    assert csv.status_code == 200 and "Sam Supervisor" in csv.content.decode()
    own.get(reverse("access:record-views"))  # warm the session

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            own.get(reverse("access:record-views"))
        return len(ctx.captured_queries)

    few = count()
    for _ in range(12):
        supervisor.get(principal.get_absolute_url())
    assert count() == few


def test_hr_records_a_coach_and_the_coach_gains_the_shared_record(place: dict[str, Any]) -> None:
    principal, coach = place["principal"], place["coach"]
    hr = client_for(place["hr_user"])
    url = reverse("access:relationship-add", args=[principal.pk])
    form = hr.get(url)
    assert form.status_code == 200 and "Cory Coach" in form.content.decode()
    bad = hr.post(
        url, {"kind": "coach", "holder": coach.pk, "starts_on": "2026-01-10", "ends_on": "2025-01-01"}
    )
    assert "The end date is before the start date." in bad.content.decode()
    assert not Relationship.objects.exists()
    done = hr.post(url, {"kind": "coach", "holder": coach.pk, "starts_on": dt.date.today().isoformat()})
    assert done.status_code == 302
    rel = Relationship.objects.get()
    assert (rel.kind, rel.holder, rel.person, rel.organization) == (
        "coach",
        coach,
        principal,
        place["district"],
    )
    page = hr.get(principal.get_absolute_url()).content.decode()
    assert "Cory Coach" in page and "Working relationships" in page
    ended = hr.post(reverse("access:relationship-end", args=[rel.pk]))
    assert ended.status_code == 302
    rel.refresh_from_db()
    assert rel.ends_on == dt.date.today()


def test_people_who_do_not_manage_people_cannot_record_or_end_relationships(place: dict[str, Any]) -> None:
    principal, coach = place["principal"], place["coach"]
    url = reverse("access:relationship-add", args=[principal.pk])
    for key in ("ap_user", "supervisor_user", "principal_user"):
        client = client_for(place[key])
        assert client.get(url).status_code == 404, key
        assert (
            client.post(url, {"kind": "coach", "holder": coach.pk, "starts_on": "2026-01-10"}).status_code
            == 404
        )
    rel = Relationship.objects.create(
        kind="coach",
        holder=coach,
        person=principal,
        organization=place["district"],
        starts_on=dt.date.today(),
    )
    assert (
        client_for(place["ap_user"]).post(reverse("access:relationship-end", args=[rel.pk])).status_code
        == 404
    )
    rel.refresh_from_db()
    assert rel.ends_on is None
