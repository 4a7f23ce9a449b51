"""Home-page counts that mean what they say: a supervisor's schools named as their subset and agreeing
with the comparison page, words that agree with their numbers, and the state counting operating
districts and open schools only."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.urls import reverse

from edlead.orgs.models import Organization
from edlead.people.models import Position
from edlead.testing import make_district, make_network, make_person, make_position, make_school


def _html(client: Any, user: Any, url: str = "/") -> str:
    client.force_login(user)
    return client.get(url).content.decode()


def _stat(html: str, label: str) -> str:
    """The number on the card whose label is `label`."""
    match = re.search(r'<p class="edlead-stat">([\d,]+)</p><p>' + re.escape(label) + "</p>", html)
    assert match, label
    return match.group(1)


def test_supervisor_home_names_their_schools_as_theirs_and_agrees_with_compare(
    client: Any, world: Any
) -> None:
    sup = world.users["principal_supervisor"]
    make_position(
        make_person("Nell", "Newhead"), world.orgs["S2"], Position.Role.PRINCIPAL, dt.date.today()
    )  # one principal in their first year
    assert 'hx-get="/principals/"' in _html(client, sup)  # the home page loads the section as it opens
    html = _html(client, sup, reverse("home:principals"))
    assert "My principals: your 2 schools" in html
    assert _stat(html, "schools you supervise") == "2"
    assert _stat(html, "principal in their first year") == "1"  # not "1 principals"
    assert "Compare my schools (2)" in html
    compare = _html(client, sup, reverse("metrics:compare", args=[world.orgs["A"].pk]))
    assert "Compare schools: Your 2 schools in Alpha Public Schools" in compare
    assert "2 of the 3 open schools of Alpha Public Schools" in compare
    whole = _html(
        client, world.users["district_admin"], reverse("metrics:compare", args=[world.orgs["A"].pk])
    )
    assert "Compare schools: All 3 schools of Alpha Public Schools" in whole and "Your " not in whole


def test_district_home_pluralises_each_card(client: Any, world: Any) -> None:
    html = _html(client, world.users["district_admin"])
    assert _stat(html, "open schools") == "3"
    assert _stat(html, "networks") == "2"
    assert _stat(html, "principals in their first year") == "0"


def test_district_home_cards_count_each_figure_from_its_own_rows(client: Any, world: Any) -> None:
    """Open schools, networks, schools without a principal and first-year principals: a closed school, a
    network of another district, a principal who has left and a principal of another district count for
    nothing (the four figures come from two grouped queries)."""
    shut = make_school(world.orgs["N1"], "Shut School", code="99100090")
    Organization.objects.filter(pk=shut.pk).update(closed_on=dt.date(2021, 6, 30))
    make_position(make_person("Nell", "Newhead"), world.orgs["S2"], Position.Role.PRINCIPAL, dt.date.today())
    gone = make_position(make_person("Old", "Head"), world.orgs["S3"], Position.Role.PRINCIPAL)
    Position.objects.filter(pk=gone.pk).update(ends_on=dt.date.today() - dt.timedelta(days=30))
    make_position(make_person("Bea", "Betanew"), world.orgs["T1"], Position.Role.PRINCIPAL, dt.date.today())
    make_network(world.orgs["B"], "Beta Network")
    html = _html(client, world.users["district_admin"])
    assert _stat(html, "open schools") == "3"  # Oak, Elm, Birch: not the closed one
    assert _stat(html, "networks") == "2"  # North and South: not Beta's
    assert _stat(html, "principal in their first year") == "1"  # Elm's new principal: not Beta's
    # Every open school of Alpha has a principal now (Elm's is new; Birch's Pia is there, the one who
    # left is not counted twice).
    assert _stat(html, "schools without a principal on record") == "0"
    Position.objects.filter(organization=world.orgs["S3"]).update(
        ends_on=dt.date.today() - dt.timedelta(days=1)
    )
    html = _html(client, world.users["district_admin"])
    assert _stat(html, "school without a principal on record") == "1"  # Birch


def test_state_home_counts_operating_districts_and_open_schools(client: Any, world: Any) -> None:
    make_district("Acton (non-op)", code="00020000")
    closed = make_district("Old Regional", code="00030000")
    Organization.objects.filter(pk=closed.pk).update(closed_on=dt.date(2020, 6, 30))
    gone = make_school(world.orgs["A"], "Shut School", code="99100090")
    Organization.objects.filter(pk=gone.pk).update(closed_on=dt.date(2021, 6, 30))
    html = _html(client, world.users["state_admin"])
    operating = (
        Organization.objects.districts().filter(closed_on__isnull=True).exclude(name__contains="non-op")
    )
    assert operating.count() == 2  # Alpha and Beta
    assert _stat(html, "operating districts") == "2"
    assert _stat(html, "open schools") == "4"  # Oak, Elm, Birch, Cedar: not the closed one


def test_principal_home_links_to_their_school_performance(client: Any, world: Any) -> None:
    html = _html(client, world.users["school_leader"])
    assert reverse("metrics:school", args=[world.orgs["S1"].pk]) in html and "School performance" in html


def test_district_home_offers_the_district_performance_and_comparison(client: Any, world: Any) -> None:
    client.force_login(world.users["cabinet"])
    html = client.get("/").content.decode()
    district = world.orgs["A"].pk
    for name in ("metrics:district", "metrics:compare", "metrics:retention"):
        assert reverse(name, args=[district]) in html
