"""Leader outcomes and principal retention."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.urls import reverse

from edlead.metrics import selectors
from edlead.metrics.tests.dashboard_data import build


def _get(client: Any, user: Any, url: str) -> Any:
    client.force_login(user)
    return client.get(url)


def test_leader_page_shows_school_figures_before_during_and_after_tenure(client: Any, world: Any) -> None:
    build(world)
    olive = world.orgs["S2"].positions.get(person__last_name="Oldhead").person
    response = _get(client, world.users["district_admin"], reverse("metrics:leader", args=[olive.pk]))
    assert response.status_code == 200
    [tenure] = response.context["data"].tenures
    assert (tenure.first_year, tenure.last_year) == (2018, 2023)
    ela = next(m for m in tenure.metrics if m.metric.code == "mcas_ela_me_pct")
    assert [(y, phase, c.text) for y, _label, c, phase in ela.cells] == [
        (2021, "during", "49.0%"),
        (2022, "during", "50.0%"),
        (2023, "during", "47.0%"),
    ]
    assert ela.during_change.text == "-2.0 pts"
    p1 = world.people["P1"]  # principal of S1 since July 2020
    [tenure] = (
        _get(client, world.users["district_admin"], reverse("metrics:leader", args=[p1.pk]))
        .context["data"]
        .tenures
    )
    assert tenure.first_year == 2020 and tenure.last_year is None
    html = _get(
        client, world.users["district_admin"], reverse("people:person-detail", args=[p1.pk])
    ).content.decode()
    assert reverse("metrics:leader", args=[p1.pk]) in html


def test_leader_page_access_follows_the_person(client: Any, world: Any) -> None:
    build(world)
    sup = world.users["principal_supervisor"]
    assert _get(client, sup, reverse("metrics:leader", args=[world.people["P3"].pk])).status_code == 404
    assert _get(client, sup, reverse("metrics:leader", args=[world.people["FORMER"].pk])).status_code == 404
    assert _get(client, sup, reverse("metrics:leader", args=[world.people["P1"].pk])).status_code == 200
    admin = world.users["district_admin"]
    assert _get(client, admin, reverse("metrics:leader", args=[world.people["FORMER"].pk])).status_code == 200


def test_retention_rates_by_network_and_year_computed_by_hand(world: Any) -> None:
    build(world)
    data = selectors.retention(world.users["district_admin"], world.orgs["A"].pk, today=dt.date(2024, 3, 1))
    years = data.years
    assert years[-1] == 2023
    rows = {r.label: r for r in data.rows}
    whole, north, south = rows["All of Alpha Public Schools"], rows["North Quadrant"], rows["South Quadrant"]

    def at(row: Any, year: int) -> tuple[int, int]:
        cell = row.edlead[years.index(year)]
        return cell.changed, cell.base

    # Oct 2022 → Oct 2023: S1 Pat (kept), S2 Olive → Nia (changed), S3 Pia (kept).
    assert at(whole, 2023) == (1, 3) and whole.edlead[years.index(2023)].rate == Decimal("33.3")
    assert at(north, 2023) == (1, 2) and at(south, 2023) == (0, 1)
    # Oct 2018 → Oct 2019: S1 Fran left in June 2019 (changed), S2 Olive (kept); S3 had no principal.
    assert at(whole, 2019) == (1, 2) and at(north, 2019) == (1, 2) and at(south, 2019) == (0, 0)
    # Oct 2019 → Oct 2020: S1 had nobody in 2019 (not counted); S2 kept.
    assert at(whole, 2020) == (0, 1)
    # DESE's district figure, beside it.
    assert whole.dese[years.index(2023)].text == "80.0%" and whole.dese[years.index(2022)].text == "90.0%"


def test_retention_page_table_chart_export_and_access(client: Any, world: Any) -> None:
    build(world)
    url = reverse("metrics:retention", args=[world.orgs["A"].pk])
    response = _get(client, world.users["district_admin"], url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html and "North Quadrant" in html and "Principal % retained" in html
    text = client.get(url + "?format=csv").content.decode("utf-8-sig")
    assert "EdLead: % of schools whose principal changed" in text and "DESE: Principal % retained" in text
    assert client.get(url + "?format=xlsx").content[:2] == b"PK"
    state = reverse("metrics:retention", args=[world.orgs["state"].pk])
    assert _get(client, world.users["state_admin"], state).status_code == 200
    sup = world.users["principal_supervisor"]
    assert _get(client, sup, reverse("metrics:retention", args=[world.orgs["N1"].pk])).status_code == 200
    for key in ("B", "S1"):  # another district; a school has no retention page
        assert _get(client, sup, reverse("metrics:retention", args=[world.orgs[key].pk])).status_code == 404
    # Another network of their district, opened from its directory page, shows its own schools.
    assert _get(client, sup, reverse("metrics:retention", args=[world.orgs["N2"].pk])).status_code == 200


def test_person_page_loads_the_leader_summary_and_the_figures_export(client: Any, world: Any) -> None:
    build(world)
    olive = world.orgs["S2"].positions.get(person__last_name="Oldhead").person
    admin = world.users["district_admin"]
    page = _get(client, admin, reverse("people:person-detail", args=[olive.pk])).content.decode()
    assert f'hx-get="{reverse("metrics:leader-summary", args=[olive.pk])}"' in page
    summary = _get(client, admin, reverse("metrics:leader-summary", args=[olive.pk])).content.decode()
    assert "Elm Middle" in summary and "-2.0 pts" in summary
    assert "<html" not in summary  # a fragment for htmx, not a page
    export = _get(client, admin, reverse("metrics:leader", args=[olive.pk]) + "?format=csv")
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("School code,School,Principal from")
    assert any("2023-24" in line and "during" in line and "47.0" in line for line in lines[1:])
    sup_other = _get(client, world.users["school_leader"], reverse("metrics:leader-summary", args=[olive.pk]))
    assert sup_other.status_code == 404


def test_outcomes_are_attributed_only_through_the_last_confirmed_year(client: Any, world: Any) -> None:
    from edlead.people.models import Position

    build(world)
    p1 = world.people[
        "P1"
    ]  # principal of S1 since July 2020, learned from a 2021-22 directory, no later file
    Position.objects.filter(person=p1, role="principal").update(
        source=Position.Source.DESE_DIRECTORY, confirmed_through=dt.date(2022, 6, 30)
    )
    admin = world.users["district_admin"]
    [tenure] = _get(client, admin, reverse("metrics:leader", args=[p1.pk])).context["data"].tenures
    assert (tenure.first_year, tenure.last_year, tenure.confirmed_label) == (2020, 2021, "2021-22")
    ela = next(m for m in tenure.metrics if m.metric.code == "mcas_ela_me_pct")
    assert [(y, phase) for y, _label, _c, phase in ela.cells] == [
        (2021, "during"),
        (2022, "not confirmed"),
        (2023, "not confirmed"),
    ]
    assert ela.during_change.text != "+2.0 pts"  # 2021 → 2023 would credit them with years unconfirmed
    page = _get(client, admin, reverse("metrics:leader", args=[p1.pk])).content.decode()
    assert "Last confirmed 2021-22" in page and "at least" in page
    assert "not attributed to Pat Principal-One" in page
    summary = _get(client, admin, reverse("metrics:leader-summary", args=[p1.pk])).content.decode()
    assert "last confirmed 2021-22" in summary and "present" not in summary
    person_page = _get(client, admin, reverse("people:person-detail", args=[p1.pk])).content.decode()
    assert "Last confirmed 2021-22" in person_page and "at least 2 years" in person_page


def test_turnover_is_shown_only_for_years_the_position_history_covers(client: Any, world: Any) -> None:
    build(world)
    admin, alpha = world.users["district_admin"], world.orgs["A"].pk
    # The oldest principal on record started July 2010 (Fran at S1): turnover can be computed from 2011-12.
    data = selectors.retention(admin, alpha, today=dt.date(2024, 3, 1))
    assert (data.years[0], data.history_from, data.history_note) == (2014, 2014, "")
    older = selectors.retention(admin, alpha, today=dt.date(2024, 3, 1), years_back=16)
    assert older.years[0] == 2008 and older.history_from == 2011
    assert older.history_note == (
        "EdLead's position history starts in 2010-11, so turnover is shown from 2011-12."
    )
    assert [c.text for c in older.rows[0].edlead[:3]] == ["—", "—", "—"]  # 2008-09 to 2010-11: not 0 %
    assert older.rows[0].edlead[3].base == 1


def test_a_directory_position_years_after_its_file_gives_no_zero_turnover(client: Any, world: Any) -> None:
    from edlead.people.models import Position

    build(world)
    Position.objects.filter(role="principal").delete()
    for key, person in (("S1", "AP1"), ("S2", "TEA1"), ("S3", "COACH")):  # named only by a 2016-17 directory
        Position.objects.create(
            person=world.people[person],
            organization=world.orgs[key],
            role="principal",
            starts_on=dt.date(2015, 7, 1),
            source=Position.Source.DESE_DIRECTORY,
            confirmed_through=dt.date(2017, 6, 30),
        )
    admin, alpha = world.users["district_admin"], world.orgs["A"].pk
    data = selectors.retention(admin, alpha, today=dt.date(2024, 3, 1), years_back=10)
    texts = dict(zip(data.years, (c.text for c in data.rows[0].edlead), strict=True))
    assert texts[2016] == "0.0%"  # October 2015 → October 2016: all three confirmed, none changed
    assert all(texts[y] == "—" for y in data.years if y > 2016)  # before: 0.0% for 2017-18 to 2023-24
    assert (data.history_from, data.history_through) == (2016, 2016)
    assert data.history_note == (
        "EdLead's position history starts in 2015-16, so turnover is shown from 2016-17; no source has "
        "confirmed who led these schools after 2016-17, so later years are left blank."
    )
    html = _get(client, admin, reverse("metrics:retention", args=[alpha])).content.decode()
    assert "EdLead&#x27;s position history does not cover these years yet" in html
    assert ">0.0%" not in html and "turnover-chart" not in html  # no 0 %, no empty chart
