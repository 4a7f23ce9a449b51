"""The library's search: words over every text field, filters by kind, topic, role, standard and
publisher, pages of 20, a CSV of the results, and a fixed number of queries whatever the size."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from edlead.access.tests.conftest import World
from edlead.library.models import Resource
from edlead.library.tests.factories import make_resource

pytestmark = pytest.mark.django_db
K = Resource.Kind


def _titles(client: Client, query: str) -> list[str]:
    resp = client.get(f"/library/?{query}&format=csv")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Title", "Kind", "Published by"]
    return sorted(r[0] for r in rows[1:])


@pytest.fixture
def shelf(world: World) -> dict[str, Resource]:
    A = world.orgs["A"]
    return {
        "case": make_resource(
            "Turning around attendance at a K-8",
            kind=K.CASE_STUDY,
            topics=("school-culture", "family-engagement"),
            roles=("principal",),
            indicators=("III-A",),
            results="Chronic absenteeism fell from 24% to 15% in a year.",
        ),
        "tool": make_resource(
            "Data meeting protocol",
            kind=K.TOOL,
            topics=("data-use",),
            roles=("teacher_leader", "principal"),
            indicators=("I-E",),
            organization=A,
        ),
        "video": make_resource(
            "Feedback after an observation",
            kind=K.VIDEO,
            url="https://video.example.org/feedback",
            topics=("instructional-leadership",),
            roles=("assistant_principal",),
            indicators=("I-B",),
        ),
        "draft": make_resource(
            "Unfinished budget primer", topics=("operations",), publish=False, organization=A
        ),
    }


def test_words_search_every_text_field_including_a_cases_results(world: World, shelf: Any) -> None:
    c = Client()
    c.force_login(world.users["school_leader"])
    assert _titles(c, "q=absenteeism+fell") == ["Turning around attendance at a K-8"]
    assert _titles(c, "q=PROTOCOL") == ["Data meeting protocol"]
    assert _titles(c, "q=nothing-like-this") == []
    assert len(_titles(c, "")) == 3  # the draft is not the principal's to read


def test_filters_by_kind_topic_role_standard_and_publisher(world: World, shelf: Any) -> None:
    c = Client()
    c.force_login(world.users["school_leader"])
    assert _titles(c, "kind=case_study") == ["Turning around attendance at a K-8"]
    assert _titles(c, "topic=data-use") == ["Data meeting protocol"]
    assert _titles(c, "role=principal") == ["Data meeting protocol", "Turning around attendance at a K-8"]
    assert _titles(c, "role=principal&topic=family-engagement") == ["Turning around attendance at a K-8"]
    assert _titles(c, "standard=I") == ["Data meeting protocol", "Feedback after an observation"]
    assert _titles(c, "standard=III") == ["Turning around attendance at a K-8"]
    assert _titles(c, f"publisher={world.orgs['A'].pk}") == ["Data meeting protocol"]
    assert _titles(c, "publisher=state") == [
        "Feedback after an observation",
        "Turning around attendance at a K-8",
    ]
    assert _titles(c, "role=not-a-role&kind=nonsense") == sorted(  # unknown values are ignored, not errors
        ["Data meeting protocol", "Feedback after an observation", "Turning around attendance at a K-8"]
    )
    coordinator = Client()
    coordinator.force_login(world.users["program_coordinator"])
    assert _titles(coordinator, "status=draft") == ["Unfinished budget primer"]


def test_the_page_shows_tags_and_pages_of_twenty(world: World) -> None:
    for n in range(23):
        make_resource(f"Reading {n:02d}", kind=K.READING, topics=("equity",), roles=("principal",))
    c = Client()
    c.force_login(world.users["educator"])
    first = c.get("/library/?topic=equity").content.decode()
    assert "23 resources matching the search" in first and "Page 1 of 2" in first
    assert "Equity and cultural proficiency" in first and "Principal" in first
    second = c.get("/library/?topic=equity&page=2").content.decode()
    assert second.count('scope="row"') == 3


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_issues_a_fixed_number_of_queries(
    world: World, size: int, django_assert_num_queries: Any
) -> None:
    for n in range(size):
        make_resource(
            f"Item {n}",
            topics=("equity", "data-use"),
            roles=("principal", "teacher"),
            indicators=("I-A",),
            organization=world.orgs["A"] if n % 2 else None,
        )
    c = Client()
    c.force_login(world.users["school_leader"])
    c.get("/library/")  # the session and the user warm up
    # session, user, grants (3), count, rows, topics and roles of the page, the filter lists (topics,
    # standards, publishers), the unread notices of the header
    with django_assert_num_queries(13):
        resp = c.get("/library/?role=principal&standard=I&q=item")
    assert resp.status_code == 200
