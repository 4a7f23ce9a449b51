"""Every performance page issues a fixed number of queries, whatever the number of schools and facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from edlead.metrics.facts import FactRow, facts_upsert
from edlead.metrics.models import StudentGroup
from edlead.metrics.tests.dashboard_data import build
from edlead.people.models import Position
from edlead.testing import make_person, make_position, make_school


@pytest.mark.parametrize("extra_schools", [0, 6])
def test_performance_query_counts_do_not_grow_with_data(
    client: Any, world: Any, django_assert_num_queries: Any, extra_schools: int
) -> None:
    data = build(world)
    groups = list(StudentGroup.objects.all()[:6])
    rows = []
    for i in range(extra_schools):
        school = make_school(world.orgs["N1"], f"Extra School {i}", code=f"991006{i:02d}")
        for year in range(2012, 2024):
            make_position(
                make_person("Head", f"Extra{i}-{year}"),
                school,
                Position.Role.PRINCIPAL,
                dt.date(year, 7, 1),
                dt.date(year + 1, 6, 30),
            )
            for metric in (data.absence, data.ela, data.retention):
                for group in groups:
                    rows.append(FactRow(school.pk, year, "", metric.pk, group.pk, Decimal(i + 10), 40))
    if extra_schools:  # more years and groups on S1's page too
        for year in range(2012, 2021):
            for group in groups:
                rows.append(FactRow(world.orgs["S1"].pk, year, "", data.ela.pk, group.pk, Decimal(50), 30))
    facts_upsert(rows)
    sup = world.users["principal_supervisor"]
    admin = world.users["district_admin"]
    pages = [
        # A signed-in person's full page adds one query: the inbox's unread count in the header.
        (sup, reverse("metrics:school", args=[world.orgs["S1"].pk]), 12),
        # The other measures, loaded with htmx, or the whole page: the same reads.
        (sup, reverse("metrics:school", args=[world.orgs["S1"].pk]) + "?part=rest", 11),
        (sup, reverse("metrics:school", args=[world.orgs["S1"].pk]) + "?all=1", 12),
        (admin, reverse("metrics:school", args=[world.orgs["S2"].pk]), 9),
        (sup, reverse("metrics:compare", args=[world.orgs["N1"].pk]), 13),
        # An export also writes its audit event (2 queries).
        (admin, reverse("metrics:compare", args=[world.orgs["A"].pk]) + "?format=csv", 12),
        (admin, reverse("metrics:school", args=[world.orgs["S2"].pk]) + "?format=csv", 11),
        (admin, reverse("metrics:leader", args=[world.people["P1"].pk]), 9),
        (admin, reverse("metrics:retention", args=[world.orgs["A"].pk]), 10),
        (sup, reverse("metrics:retention", args=[world.orgs["N1"].pk]), 13),
    ]
    for user, url, expected in pages:
        client.force_login(user)
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200
