"""A position learned from a dated source is shown as "last confirmed in <year>" once that year is past,
on the person, school and district pages; tenure then counts only to the confirmation, as "at least"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from edlead.people.models import Position


def _stale(world: Any) -> Position:
    pos = Position.objects.get(person=world.people["P1"], role="principal")
    pos.source = Position.Source.DESE_DIRECTORY
    pos.starts_on = dt.date(2016, 7, 1)
    pos.confirmed_through = dt.date(2017, 6, 30)
    pos.save()
    return pos


def test_the_pages_say_when_a_principal_was_last_confirmed(client: Any, world: Any) -> None:
    _stale(world)
    client.force_login(world.users["district_admin"])
    school = client.get(world.orgs["S1"].get_absolute_url()).content.decode()
    assert "Last confirmed 2016-17" in school and "at least 1 year" in school
    assert "to present" not in school
    district = client.get(world.orgs["A"].get_absolute_url()).content.decode()
    assert "Pat Principal-One" in district and "Last confirmed 2016-17" in district
    person = client.get(reverse("people:person-detail", args=[world.people["P1"].pk])).content.decode()
    assert "Last confirmed 2016-17" in person and "at least 1 year" in person
    assert "At least " in person  # the leadership total is a lower bound too


def test_a_confirmed_or_kept_current_principal_shows_present(client: Any, world: Any) -> None:
    client.force_login(world.users["district_admin"])
    school = client.get(world.orgs["S1"].get_absolute_url()).content.decode()
    assert "Last confirmed" not in school and "present" in school


def test_people_list_finds_principals_only_an_old_file_confirms(client: Any, world: Any) -> None:
    """The HR queue item's link: current principals whose position an old directory file last confirmed."""
    import datetime as dt

    from django.urls import reverse

    from edlead.people.models import Position

    Position.objects.filter(person=world.people["P1"]).update(confirmed_through=dt.date(2017, 6, 30))
    client.force_login(world.users["hr"])
    page = client.get(reverse("people:person-list") + "?role=principal&confirmation=old")
    names = [p.last_name for p in page.context["page"]]
    assert names == ["Principal-One"]
    everyone = client.get(reverse("people:person-list") + "?role=principal")
    assert {"Principal-One", "Principal-Three"} <= {p.last_name for p in everyone.context["page"]}
