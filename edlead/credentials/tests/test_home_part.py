"""A leader's own renewal progress on their home page: the part the page loads with htmx as it opens."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from edlead.access.tests.conftest import World
from edlead.credentials.tests.factories import make_activity, make_licence

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}
# session, user, roles (3), the person (access), licences, activities and their splits, state rules,
# endorsements, degrees, assessments, positions, endorsements held, district settings
QUERIES = 16


def test_home_loads_the_leaders_own_renewal_progress(world: World, client: Any) -> None:
    person = world.people["P1"]
    make_licence(person, issued_on=dt.date(2022, 7, 1))
    make_activity(person, title="SEI for leaders", hours=15, category="sei")
    make_licence(world.people["P3"], issued_on=dt.date(2022, 7, 1), number="999111")  # a peer's
    client.force_login(world.users["school_leader"])
    url = reverse("credentials:home-licences")
    assert f'hx-get="{url}"' in client.get("/").content.decode()
    part = client.get(url, headers=HX)
    assert part.status_code == 200 and "no-store" in part["Cache-Control"]
    text = part.content.decode()
    assert "<html" not in text and "My licences" in text and "Principal/Assistant Principal" in text
    assert "15 of 150 PDPs" in text and "Still needed" in text and "135 PDPs" in text
    assert "SEI Administrator (required of a principal)" in text
    assert "999111" not in text
    # Without JavaScript the address opens the whole "My licences" page.
    assert client.get(url)["Location"] == reverse("credentials:my-licences")


def test_someone_without_a_licence_is_told_so_plainly(world: World, client: Any) -> None:
    client.force_login(world.users["coach"])
    text = client.get(reverse("credentials:home-licences"), headers=HX).content.decode()
    assert "No licence of yours is on record in EdLead yet." in text


@pytest.mark.parametrize("extra", [0, 4])
def test_the_part_issues_a_fixed_number_of_queries(
    world: World, client: Any, django_assert_num_queries: Any, extra: int
) -> None:
    person = world.people["P1"]
    make_licence(person, issued_on=dt.date(2022, 7, 1))
    make_activity(person, title="SEI for leaders", hours=15, category="sei")
    for n in range(extra):
        make_licence(person, code="supervisor-director", issued_on=dt.date(2021, 7, 1 + n))
        make_activity(person, title=f"Course {n}", hours=12, category="content")
    client.force_login(world.users["school_leader"])
    url = reverse("credentials:home-licences")
    client.get(url, headers=HX)  # the per-process caches a running server has warm
    with django_assert_num_queries(QUERIES):
        assert client.get(url, headers=HX).status_code == 200


def test_person_page_loads_licences_only_for_those_who_may_read_them(world: World, client: Any) -> None:
    from edlead.core.models import AuditEvent

    person = world.people["P1"]
    make_licence(person, issued_on=dt.date(2022, 7, 1), number="412345")
    part = reverse("credentials:person-licences", args=[person.pk])
    client.force_login(world.users["principal_supervisor"])  # P1's supervisor: in the chain
    assert f'hx-get="{part}"' in client.get(person.get_absolute_url()).content.decode()
    text = client.get(part, headers=HX).content.decode()
    assert "Licences and renewal" in text and "of 150 PDPs" in text
    assert reverse("credentials:person-credentials", args=[person.pk]) in text
    assert AuditEvent.objects.filter(
        action="credentials_viewed", actor=world.users["principal_supervisor"]
    ).exists()
    client.force_login(world.users["coach"])  # a colleague who may open the page, not the credentials
    empty = client.get(part, headers=HX)
    assert empty.status_code == 200 and empty.content == b""
    assert client.get(part)["Location"] == reverse("credentials:person-credentials", args=[person.pk])
