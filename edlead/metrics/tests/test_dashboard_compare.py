"""The district / network comparison table: values, change, flags, filters, exports, access."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse

from edlead.metrics.facts import FactRow, facts_upsert
from edlead.metrics.tests.dashboard_data import build


def _get(client: Any, user: Any, url: str) -> Any:
    client.force_login(user)
    return client.get(url)


def test_comparison_rows_changes_and_flags(client: Any, world: Any) -> None:
    build(world)
    response = _get(
        client, world.users["district_admin"], reverse("metrics:compare", args=[world.orgs["A"].pk])
    )
    assert response.status_code == 200
    data = response.context["data"]
    assert data.year == 2023
    rows = {r.school.name: r for r in data.rows}
    assert set(rows) == {"Oak Elementary", "Elm Middle", "Birch High"}
    oak = rows["Oak Elementary"]
    absence = next(c for c in oak.cells if c.metric.code == "chronic_absence_10_pct")
    assert (absence.now.text, absence.prior.text, absence.delta.text) == ("13.5%", "10.0%", "+3.5 pts")
    assert absence.delta.better is False
    assert oak.flags == ["absence"]  # chronic absence up 3.5 ≥ 3
    assert rows["Elm Middle"].flags == ["achievement", "turnover"]  # ELA down 3; new principal in 2023
    assert rows["Elm Middle"].principal_changed is True
    # DESE published 0% retained for Birch High's one principal: shown as published, and flagged.
    assert rows["Birch High"].flags == ["turnover"]
    assert rows["Birch High"].principal_retained.text == "0.0%"
    html = response.content.decode()
    assert "data-sortable" in html and "Meeting/exceeding down" in html


def test_comparison_of_an_earlier_year_and_filters(client: Any, world: Any) -> None:
    build(world)
    url = reverse("metrics:compare", args=[world.orgs["A"].pk])
    user = world.users["district_admin"]
    data = _get(client, user, url + "?year=2022").context["data"]
    assert data.year == 2022 and all(not r.flags for r in data.rows)
    data = _get(client, user, url + "?flag=absence").context["data"]
    assert [r.school.name for r in data.rows] == ["Oak Elementary"]
    data = _get(client, user, url + f"?network={world.orgs['N2'].pk}").context["data"]
    assert [r.school.name for r in data.rows] == ["Birch High"]
    data = _get(client, user, url + "?flag=any").context["data"]
    assert {r.school.name for r in data.rows} == {"Oak Elementary", "Elm Middle", "Birch High"}
    data = _get(client, user, url + "?metric=principal_retained_pct").context["data"]
    assert [m.code for m in data.chosen] == ["principal_retained_pct"]


def test_supervisor_compares_only_their_network(client: Any, world: Any) -> None:
    build(world)
    sup = world.users["principal_supervisor"]
    data = _get(client, sup, reverse("metrics:compare", args=[world.orgs["N1"].pk])).context["data"]
    assert {r.school.name for r in data.rows} == {"Oak Elementary", "Elm Middle"}
    # The district page is visible for context, but only their schools are compared.
    data = _get(client, sup, reverse("metrics:compare", args=[world.orgs["A"].pk])).context["data"]
    assert {r.school.name for r in data.rows} == {"Oak Elementary", "Elm Middle"}
    for key in ("B", "S1"):  # another district; a school is not a comparison
        assert _get(client, sup, reverse("metrics:compare", args=[world.orgs[key].pk])).status_code == 404
    # Another network of their district opens from its directory page: its schools, as published.
    data = _get(client, sup, reverse("metrics:compare", args=[world.orgs["N2"].pk])).context["data"]
    assert {r.school.name for r in data.rows} == {"Birch High"}


def test_comparison_exports(client: Any, world: Any) -> None:
    build(world)
    url = reverse("metrics:compare", args=[world.orgs["N1"].pk])
    response = _get(client, world.users["principal_supervisor"], url + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("School code,School,Network,Type,Principal,School year,Chronic absenteeism")
    oak = next(line for line in lines if "Oak Elementary" in line)
    assert "13.5" in oak and "Chronic absence up" in oak
    assert client.get(url + "?format=xlsx").content[:2] == b"PK"


def test_links_to_comparison_from_district_network_and_supervisor_home(client: Any, world: Any) -> None:
    admin, sup = world.users["district_admin"], world.users["principal_supervisor"]
    html = _get(
        client, admin, reverse("orgs:organization-detail", args=[world.orgs["A"].pk])
    ).content.decode()
    assert reverse("metrics:compare", args=[world.orgs["A"].pk]) in html
    html = _get(client, sup, reverse("orgs:organization-detail", args=[world.orgs["N1"].pk])).content.decode()
    assert reverse("metrics:compare", args=[world.orgs["N1"].pk]) in html
    html = _get(client, sup, reverse("home:principals")).content.decode()  # the part the home page loads
    # "Compare my schools" opens the district, narrowed by access to the schools the supervisor has:
    # their network's, plus any school whose principal they supervise by override.
    assert "Compare my schools" in html and reverse("metrics:compare", args=[world.orgs["A"].pk]) in html
    mine = _get(client, sup, reverse("metrics:compare", args=[world.orgs["A"].pk])).content.decode()
    assert "Oak Elementary" in mine and "Elm Middle" in mine and "Birch High" not in mine


def test_comparison_opens_on_the_latest_year_with_values_of_the_chosen_metrics(
    client: Any, world: Any
) -> None:
    """A later year that only a flag metric (or blank cells) reaches is not the year the page opens on."""
    data = build(world)
    o = world.orgs
    all_students = data.groups["all"].pk
    facts_upsert(
        [
            FactRow(o["S1"].pk, 2024, "", data.retention.pk, all_students, Decimal("100"), 1),
            FactRow(o["S2"].pk, 2024, "", data.absence.pk, all_students, None, None),
        ]
    )
    url = reverse("metrics:compare", args=[o["A"].pk])
    page = _get(client, world.users["district_admin"], url).context["data"]
    assert page.year == 2023 and page.latest == 2023 and 2024 in page.years
    html = _get(client, world.users["district_admin"], url).content.decode()
    assert '<option value="2023" selected>2023-24 (latest with figures)</option>' in html
    chosen = _get(client, world.users["district_admin"], url + "?metric=principal_retained_pct").context[
        "data"
    ]
    assert chosen.year == 2024
