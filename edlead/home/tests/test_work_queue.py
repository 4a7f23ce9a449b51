"""The work queue on every home page: order, the spine's own items, and the supervisor's flags."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from edlead.access.models import Relationship
from edlead.core import workqueue
from edlead.core.workqueue import WorkItem
from edlead.imports.models import ImportRun
from edlead.metrics.selectors.common import year_label
from edlead.metrics.tests.dashboard_data import build
from edlead.people.models import Position

TODAY = dt.date(2026, 12, 2)


def test_items_are_ordered_overdue_waiting_due_new_later() -> None:
    items = [
        WorkItem(title="later", url="/l", source="t", due=TODAY + dt.timedelta(days=60)),
        WorkItem(title="new", url="/n", source="t", new=True),
        WorkItem(title="due", url="/d", source="t", due=TODAY + dt.timedelta(days=3)),
        WorkItem(title="waiting", url="/w", source="t", waiting=True),
        WorkItem(title="overdue", url="/o", source="t", due=TODAY - dt.timedelta(days=2), waiting=True),
    ]
    states = [i.state(TODAY) for i in items]
    assert states == ["later", "new", "due", "waiting", "overdue"]
    # A district with a 90-day window calls the 60-day item due soon.
    assert items[0].state(TODAY, due_soon_days=90) == "due"
    entry = workqueue.QueueEntry(
        WorkItem(title="x", url="/", source="t", due=dt.date.today() - dt.timedelta(days=2)), "overdue"
    )
    assert entry.due_text == "2 days overdue"
    assert (
        workqueue.QueueEntry(WorkItem(title="x", url="/", source="t", due=dt.date.today()), "due").due_text
        == "due today"
    )


def test_registered_providers_feed_items_for_in_urgency_order(world: Any) -> None:
    calls: list[Any] = []

    def provider(user: Any, today: dt.date) -> list[WorkItem]:
        calls.append(user)
        return [
            WorkItem(title="b later", url="/b", source="test", due=today + dt.timedelta(days=40)),
            WorkItem(title="a overdue", url="/a", source="test", due=today - dt.timedelta(days=1)),
        ]

    workqueue.register("test-provider", provider)
    try:
        entries = workqueue.items_for(world.users["educator"])
        titles = [e.item.title for e in entries if e.item.source == "test"]
        assert titles == ["a overdue", "b later"]
        assert calls == [world.users["educator"]]
        counts = dict((s, n) for s, _label, n in workqueue.counts(entries))
        assert counts["overdue"] >= 1 and counts["later"] >= 1
    finally:
        workqueue._PROVIDERS.pop("test-provider")


def _queue(client: Any, user: Any) -> tuple[list[Any], str]:
    client.force_login(user)
    response = client.get(reverse("home:home"))
    assert response.status_code == 200
    return response.context["queue"], response.content.decode()


def test_supervisor_is_asked_to_record_a_principal_for_a_vacant_school(client: Any, world: Any) -> None:
    queue, html = _queue(client, world.users["principal_supervisor"])
    titles = [e.item.title for e in queue]
    # Elm Middle (North Quadrant) has no principal; Birch High is another supervisor's school.
    assert "Elm Middle has no principal on record" in titles
    assert not any("Birch High" in t for t in titles)
    assert "Your work" in html and "Elm Middle has no principal on record" in html
    entry = next(e for e in queue if e.item.title.startswith("Elm Middle"))
    assert entry.state == "waiting" and entry.item.url == world.orgs["S2"].get_absolute_url()


def test_district_keepers_see_vacancies_and_hr_sees_unconfirmed_principals(client: Any, world: Any) -> None:
    Position.objects.filter(person=world.people["P1"]).update(confirmed_through=dt.date(2017, 6, 30))
    queue, _ = _queue(client, world.users["hr"])
    titles = [e.item.title for e in queue]
    assert "1 school without a principal on record" in titles
    assert "Confirm or end 1 principal position last confirmed by an old file" in titles
    # The superintendent sees the vacancy but is not asked to keep personnel records.
    titles = [e.item.title for e in _queue(client, world.users["superintendent"])[0]]
    assert "1 school without a principal on record" in titles
    assert not any(t.startswith("Confirm or end") for t in titles)
    # An educator has nothing of these.
    queue, _ = _queue(client, world.users["educator"])
    assert [e for e in queue if e.item.source in ("people", "imports", "relationships")] == []


def test_an_unapplied_preview_waits_for_its_importer_until_the_upload_is_deleted(
    client: Any, world: Any, settings: Any
) -> None:
    settings.EDLEAD_IMPORT_STALE_FILE_DAYS = 7
    user = world.users["hr"]
    run = ImportRun.objects.create(
        user=user, file_name="staff.csv", status=ImportRun.Status.PREVIEWED, organization=world.orgs["A"]
    )
    ImportRun.objects.create(
        user=world.users["district_admin"], file_name="other.csv", status=ImportRun.Status.PREVIEWED
    )
    queue, html = _queue(client, user)
    mine = [e for e in queue if e.item.source == "imports"]
    assert [e.item.title for e in mine] == ["Apply or leave the preview of staff.csv"]
    assert mine[0].item.url == run.get_absolute_url()
    assert mine[0].item.due == dt.date.today() + dt.timedelta(days=7)
    assert "due in 7 days" in html


def test_new_and_ending_relationships_reach_both_people(client: Any, world: Any) -> None:
    today = dt.date.today()
    Relationship.objects.create(
        kind="coach",
        holder=world.people["COACH"],
        person=world.people["P1"],
        organization=world.orgs["A"],
        starts_on=today,
    )
    Relationship.objects.create(
        kind="mentor",
        holder=world.people["COACH"],
        person=world.people["AP1"],
        organization=world.orgs["A"],
        starts_on=today - dt.timedelta(days=300),
        ends_on=today + dt.timedelta(days=10),
    )
    coach_titles = {e.item.title: e for e in _queue(client, world.users["coach"])[0]}
    assert "You are now coach of Pat Principal-One" in coach_titles
    ending = coach_titles["Your time as mentor of Ash Assistant-One ends"]
    assert ending.state == "due" and ending.item.due == today + dt.timedelta(days=10)
    principal_titles = [e.item.title for e in _queue(client, world.users["school_leader"])[0]]
    assert "Cory Coach is now your coach" in principal_titles


def test_supervisor_home_flags_each_school_beside_its_principal(client: Any, world: Any) -> None:
    build(world)
    client.force_login(world.users["principal_supervisor"])
    response = client.get(reverse("home:principals"), headers={"HX-Request": "true"})
    section = response.context["supervisor"]
    flags = {r.school.name: r.flags for r in section["rows"]}
    # The same rule as the comparison page (Oak: chronic absence up; Elm: ELA down and a new principal).
    assert flags["Oak Elementary"] == ["Chronic absence up"]
    assert flags["Elm Middle"] == ["Meeting/exceeding down", "Principal turnover"]
    assert section["flagged"] == 2 and section["flags_year"] == year_label(2023)  # the comparison's year
    html = response.content.decode()
    assert "Chronic absence up" in html and "off-track flag" in html


def test_home_lists_the_people_one_works_with(client: Any, world: Any) -> None:
    Relationship.objects.create(
        kind="coach",
        holder=world.people["COACH"],
        person=world.people["P1"],
        organization=world.orgs["A"],
        starts_on=dt.date.today() - dt.timedelta(days=100),
    )
    _, coach_html = _queue(client, world.users["coach"])
    assert (
        "People I work with" in coach_html and "Coach of" in coach_html and "Pat Principal-One" in coach_html
    )
    _, principal_html = _queue(client, world.users["school_leader"])
    assert "Supporting me" in principal_html and "Cory Coach</a>, my coach" in principal_html
    _, ap_html = _queue(client, world.users["assistant_principal"])
    assert "People I work with" not in ap_html


def test_principal_home_shows_their_schools_flags(client: Any, world: Any) -> None:
    build(world)
    client.force_login(world.users["school_leader"])  # Oak Elementary's principal
    item = client.get(reverse("home:home")).context["led_schools"][0]
    assert item["school"].name == "Oak Elementary" and item["flags"] == ["Chronic absence up"]
