"""The school performance page: trends with district and state, principal markers, gaps, suppression."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from edlead.metrics.tests.dashboard_data import build


def _get(client: Any, user: Any, url: str) -> Any:
    client.force_login(user)
    return client.get(url)


def test_school_page_shows_each_metric_as_chart_and_table_with_district_and_state(
    client: Any, world: Any
) -> None:
    build(world)
    url = reverse("metrics:school", args=[world.orgs["S1"].pk])
    response = _get(client, world.users["principal_supervisor"], url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chronic absenteeism" in html and "ELA meeting or exceeding" in html
    assert html.count('role="img"') >= 2  # one chart per metric
    assert "<title id=" in html and "<desc id=" in html
    data = response.context["data"]
    # Key measures first, in the curated order; the in-year attendance rate is one of the others.
    assert [b.metric.code for b in data.key] == ["chronic_absence_10_pct", "mcas_ela_me_pct"]
    assert data.rest_count == 1 and data.categories == []  # the others load on request
    absence = data.key[0]
    latest = absence.rows[0]  # newest first
    assert (latest.label, latest.school.text, latest.district.text, latest.state.text) == (
        "2023-24",
        "13.5%",
        "16.0%",
        "13.5%",
    )


def test_principal_changes_are_marked_on_the_timeline(client: Any, world: Any) -> None:
    build(world)
    url = reverse("metrics:school", args=[world.orgs["S2"].pk])
    response = _get(client, world.users["principal_supervisor"], url)
    data = response.context["data"]
    marks = [(m.year, m.position.person.display_name) for m in data.principals]
    assert marks == [(2018, "Olive Oldhead"), (2023, "Nia Newhead")]
    html = response.content.decode()
    assert "New principal (2): Nia Newhead" in html  # in the table row of 2023-24
    chart = data.key[0].chart
    assert [m.label for m in chart.markers] == ["Nia Newhead"]  # 2018 is before the figures start
    assert 'class="edlead-chart__marker"' in html


def test_gaps_against_all_students_district_and_state(client: Any, world: Any) -> None:
    build(world)
    url = reverse("metrics:school", args=[world.orgs["S1"].pk])
    data = _get(client, world.users["district_admin"], url).context["data"]
    assert [g.metric.code for g in data.gaps] == ["mcas_ela_me_pct", "monitor_attendance_rate"]
    gap = data.gaps[0]
    assert gap.year == 2023
    by_group = {r.group.code: r for r in gap.rows}
    low = by_group["low_income"]
    # 48 for low-income students against 60 for all students, 50 in the district, 55 in the state.
    assert (low.vs_all.text, low.vs_district.text, low.vs_state.text) == ("-12.0 pts", "-2.0 pts", "-7.0 pts")
    assert low.vs_all.better is False


def test_dese_published_small_groups_are_shown_as_published(client: Any, world: Any) -> None:
    """DESE screened its own figures: its ELA share for five English learners and its 0% principal
    retention for one principal are shown as DESE published them, on the page and in the export."""
    build(world)
    user = world.users["district_admin"]
    url = reverse("metrics:school", args=[world.orgs["S1"].pk])
    response = _get(client, user, url)
    ela_gap = next(g for g in response.context["data"].gaps if g.metric.code == "mcas_ela_me_pct")
    el = {r.group.code: r for r in ela_gap.rows}["el"]
    assert el.school.text == "11.7%" and el.vs_all.text == "-48.3 pts"
    text = client.get(url + "?format=csv").content.decode("utf-8-sig")
    assert any("Oak Elementary" in line and "English learners" in line for line in text.splitlines())
    birch = _get(client, user, reverse("metrics:school", args=[world.orgs["S3"].pk])).context["data"]
    retained = next(b for b in birch.key if b.metric.code == "principal_retained_pct")
    assert retained.rows[0].school.text == "0.0%" and retained.rows[0].school.note == ""


def test_small_group_of_an_edlead_figure_shows_a_dash_and_is_left_out_of_the_export(
    client: Any, world: Any
) -> None:
    build(world)
    user = world.users["district_admin"]
    url = reverse("metrics:school", args=[world.orgs["S1"].pk])
    response = _get(client, user, url)
    gap = next(g for g in response.context["data"].gaps if g.metric.code == "monitor_attendance_rate")
    asian = {r.group.code: r for r in gap.rows}["asian"]
    assert asian.school.text == "—" and asian.school.value is None
    assert asian.vs_all.text == "—" and asian.vs_district.text == "—"
    html = response.content.decode()
    assert "fewer than 10 students" in html
    assert "80.0%" not in html
    text = client.get(url + "?format=csv").content.decode("utf-8-sig")
    assert not [line for line in text.splitlines() if "monitor_attendance_rate" in line and "Asian" in line]
    assert any(
        "Oak Elementary" in line and "Low income" in line and ",89.0000," in line
        for line in text.splitlines()
    )
    xlsx = client.get(url + "?format=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_school_page_is_404_outside_scope(client: Any, world: Any) -> None:
    """The page opens for the whole district, like the school's directory page (its figures are DESE's
    public ones and EdLead's suppressed aggregates); another district's school is not found."""
    build(world)
    sup = world.users["principal_supervisor"]
    assert _get(client, sup, reverse("metrics:school", args=[world.orgs["S3"].pk])).status_code == 200
    assert _get(client, sup, reverse("metrics:school", args=[world.orgs["T1"].pk])).status_code == 404
    assert (
        _get(client, sup, reverse("metrics:school", args=[world.orgs["N1"].pk])).status_code == 404
    )  # not a school
    assert _get(client, sup, reverse("metrics:school", args=[999999])).status_code == 404
    assert (
        _get(
            client, world.users["no_role"], reverse("metrics:school", args=[world.orgs["S1"].pk])
        ).status_code
        == 404
    )


def test_school_without_figures_says_so(client: Any, world: Any) -> None:
    response = _get(
        client, world.users["district_admin"], reverse("metrics:school", args=[world.orgs["S1"].pk])
    )
    assert response.status_code == 200
    assert "No performance figures for this school yet" in response.content.decode()


def test_school_page_links_to_performance(client: Any, world: Any) -> None:
    html = _get(
        client, world.users["district_admin"], reverse("orgs:organization-detail", args=[world.orgs["S1"].pk])
    ).content.decode()
    assert reverse("metrics:school", args=[world.orgs["S1"].pk]) in html
