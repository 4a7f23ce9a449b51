"""The people list: django-filter filters and sort, kept on every page; a fixed number of queries."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from edlead.people.models import Person, Position
from edlead.testing import make_person, make_position

URL = reverse("people:person-list")


def _add_teachers(world: Any, count: int) -> None:
    for i in range(count):
        person = make_person("Tess", f"Bulk{i:03d}", is_aspiring_leader=i % 2 == 0)
        make_position(person, world.orgs["S1"], Position.Role.TEACHER)


def test_filters_and_sort_are_kept_on_every_page(client: Any, world: Any) -> None:
    _add_teachers(world, 120)
    client.force_login(world.users["district_admin"])
    html = client.get(
        URL, {"q": "Bulk", "role": "teacher", "aspiring": "on", "sort": "-name"}
    ).content.decode()
    assert "60 people" in html
    next_link = re.search(r'href="([^"]*)"[^>]*usa-pagination__next-page', html)
    assert next_link is not None
    query = next_link.group(1).replace("&amp;", "&")
    for part in ("q=Bulk", "role=teacher", "aspiring=on", "sort=-name", "page=2"):
        assert part in query
    page2 = client.get(URL + query).content.decode()
    names = re.findall(r"Bulk(\d{3})", page2)
    assert names and all(int(n) % 2 == 0 for n in names)  # still only aspiring leaders
    assert names == sorted(names, reverse=True)  # still Z to A
    assert "Page 2 of 2" in page2
    export = re.search(r'href="([^"]*format=csv[^"]*)"', page2)
    assert export is not None and "page=" not in export.group(1) and "q=Bulk" in export.group(1)


def test_the_default_sort_is_by_name_and_an_unknown_value_is_ignored(client: Any, world: Any) -> None:
    client.force_login(world.users["district_admin"])
    html = client.get(URL, {"role": "janitor"}).content.decode()
    names = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', html)
    assert names == sorted(names, key=str.casefold) and len(names) > 3


def test_a_mepid_matches_only_for_someone_who_may_see_mepids(client: Any, world: Any) -> None:
    person = world.people["P1"]
    person.mepid = "24682468"
    person.save()
    client.force_login(world.users["hr"])
    assert "Principal-One" in client.get(URL, {"q": "24682468"}).content.decode()
    client.force_login(world.users["coach"])  # sees people, never MEPIDs
    html = client.get(URL, {"q": "24682468"}).content.decode()
    assert "Principal-One" not in html and "0 people" in html


@pytest.mark.parametrize("extra", [0, 60])
def test_the_list_issues_a_fixed_number_of_queries(
    client: Any, world: Any, django_assert_num_queries: Any, extra: int
) -> None:
    _add_teachers(world, extra)
    user = world.users["district_admin"]
    client.force_login(user)
    client.get(URL)  # warm the session
    with django_assert_num_queries(QUERIES):
        response = client.get(URL, {"q": "e", "role": "", "sort": "name", "page": "1"})
    assert response.status_code == 200
    assert Person.objects.count() >= 10 + extra


QUERIES = 6  # session and user, the grants, the count, the page and its current positions
