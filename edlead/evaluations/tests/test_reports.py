"""District views of evaluation: completion by network and step, calibration, rating–outcome divergence
(issue 9 item 6). Access, aggregates, suppression below the staff threshold, fixed query counts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from edlead.access.tests.conftest import World
from edlead.evaluations import selectors_reports as sr
from edlead.evaluations.models import Cycle
from edlead.evaluations.tests import reports_helpers as rh
from edlead.metrics.models import Fact, Metric, StudentGroup
from edlead.testing import make_school

pytestmark = pytest.mark.django_db
Step = Cycle.Step
P, E, NI = "proficient", "exemplary", "needs_improvement"


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_completion_counts_cycles_by_network_and_step_with_schools_outside_networks_apart(
    world: World,
) -> None:
    rh.cycles(
        evaluator=world.people["SUP1"], school=world.orgs["S1"], steps=[Step.SELF_ASSESSMENT, Step.FORMATIVE]
    )
    rh.cycles(evaluator=world.people["SUP2"], school=world.orgs["S3"], levels=[P, P])
    direct = make_school(world.orgs["A"], "Lone School", code="99100090")
    rh.cycles(evaluator=world.people["SUP2"], school=direct, steps=[Step.GOALS_PLAN])
    data = sr.completion(world.users["district_admin"], rh.YEAR)
    rows = {r.label: r for r in data.rows}
    assert rows["North Quadrant"].counts[Step.SELF_ASSESSMENT] == 1
    assert rows["North Quadrant"].counts[Step.FORMATIVE] == 1
    assert rows["South Quadrant"].counts[Step.DONE] == 2
    lone = next(r for label, r in rows.items() if label.startswith(sr.NO_NETWORK))
    assert lone.counts[Step.GOALS_PLAN] == 1
    assert data.total.total == 5
    # Steps 1 and 2 of 2025-26 were due long ago: overdue today.
    assert rows["North Quadrant"].overdue[Step.SELF_ASSESSMENT] == 1
    assert lone.overdue[Step.GOALS_PLAN] == 1
    assert rows["South Quadrant"].overdue_total == 0


def test_supervisor_sees_only_their_networks_completion_counts(world: World) -> None:
    rh.cycles(evaluator=world.people["SUP1"], school=world.orgs["S1"], steps=[Step.IMPLEMENTATION])
    rh.cycles(evaluator=world.people["SUP2"], school=world.orgs["S3"], steps=[Step.IMPLEMENTATION] * 3)
    data = sr.completion(world.users["principal_supervisor"], rh.YEAR)
    assert [r.label for r in data.rows] == ["North Quadrant"]
    assert data.total.total == 1
    page = _client(world.users["principal_supervisor"]).get(
        reverse("evaluation_reports:completion"), {"year": rh.YEAR}
    )
    assert page.status_code == 200
    assert b"North Quadrant" in page.content and b"South Quadrant" not in page.content


@pytest.mark.parametrize("who", ["school_leader", "educator", "coach", "assistant_principal", "no_role"])
def test_district_views_are_closed_to_school_roles(world: World, who: str) -> None:
    client = _client(world.users[who])
    for name in ("completion", "calibration", "divergence", "ratings-export"):
        assert client.get(reverse(f"evaluation_reports:{name}")).status_code == 404


@pytest.mark.parametrize("who", ["district_admin", "superintendent", "hr", "principal_supervisor"])
def test_district_views_open_to_district_roles(world: World, who: str) -> None:
    rh.cycles(evaluator=world.people["SUP1"], school=world.orgs["S1"], levels=[P] * 6)
    client = _client(world.users[who])
    for name in ("completion", "calibration", "divergence"):
        assert client.get(reverse(f"evaluation_reports:{name}"), {"year": rh.YEAR}).status_code == 200


def test_completion_exports_csv_and_xlsx(world: World) -> None:
    rh.cycles(evaluator=world.people["SUP1"], school=world.orgs["S1"], steps=[Step.IMPLEMENTATION])
    client = _client(world.users["district_admin"])
    url = reverse("evaluation_reports:completion")
    csv = client.get(url, {"year": str(rh.YEAR), "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Network,1 Self-assessment")
    assert "North Quadrant,0,0,0,0,1,1,0,0,0,0,0,0,1,1" in text  # implementation, overdue (formative due)
    xlsx = client.get(url, {"year": str(rh.YEAR), "format": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_calibration_suppresses_evaluators_with_fewer_than_six_final_ratings(world: World) -> None:
    rh.cycles(evaluator=world.people["SUP1"], school=world.orgs["S1"], levels=[P] * 5)
    rh.cycles(evaluator=world.people["SUP2"], school=world.orgs["S3"], levels=[P] * 6)
    data = sr.calibration(world.users["district_admin"], rh.YEAR)
    by = {ev.name: ev for ev in data.evaluators}
    north, south = by[world.people["SUP1"].display_name], by[world.people["SUP2"].display_name]
    assert north.overall.n == 5 and north.overall.suppressed and north.overall.shares == [None] * 4
    assert all(d.suppressed for _c, d in north.standard_list)
    assert south.overall.shares[1] == Decimal(100)
    assert data.district.overall.n == 11
    page = _client(world.users["district_admin"]).get(
        reverse("evaluation_reports:calibration"), {"year": rh.YEAR}
    )
    row = page.content.decode().split(world.people["SUP1"].display_name)[1].split("</tr>")[0]
    assert "—" in row and "%" not in row


def test_calibration_flags_an_evaluator_far_from_the_district(world: World) -> None:
    rh.cycles(evaluator=world.people["SUP1"], school=world.orgs["S1"], levels=[E] * 6)
    rh.cycles(evaluator=world.people["SUP2"], school=world.orgs["S3"], levels=[P] * 12)
    data = sr.calibration(world.users["district_admin"], rh.YEAR)
    by = {ev.evaluator_id: ev for ev in data.evaluators}
    assert by[world.people["SUP1"].pk].flags == ["100% Exemplary against the district's 33%"]
    assert by[world.people["SUP2"].pk].flags == ["0% Exemplary against the district's 33%"]
    # A supervisor sees their own network's evaluators, compared with the whole district.
    mine = sr.calibration(world.users["principal_supervisor"], rh.YEAR)
    assert [ev.evaluator_id for ev in mine.evaluators] == [world.people["SUP1"].pk]
    assert mine.district.overall.n == 18


def test_far_from_peers_rule_threshold_is_twenty_points() -> None:
    district = sr.Distribution()
    district.counts.update({P: 80, E: 20})
    near = sr.Distribution()
    near.counts.update({P: 6, E: 4})  # 40% vs 20%: exactly 20 points
    assert sr.far_from_peers(near, district) == ["40% Exemplary against the district's 20%"]
    close = sr.Distribution()
    close.counts.update({P: 7, E: 3})  # 30% vs 20%
    assert sr.far_from_peers(close, district) == []
    small = sr.Distribution()
    small.counts.update({E: 5})
    assert sr.far_from_peers(small, district) == []


def _facts(school: Any, year: int, absence: str, ela: str) -> None:
    group, _ = StudentGroup.objects.get_or_create(code="all", defaults={"name": "All students"})
    for code, value in (("chronic_absence_10_pct", absence), ("mcas_ela_me_pct", ela)):
        metric = Metric.objects.get(code=code)
        Fact.objects.create(
            organization=school, school_year=year, metric=metric, group=group, value=Decimal(value)
        )


def test_divergence_flags_high_ratings_with_worsening_outcomes(world: World) -> None:
    for code in ("chronic_absence_10_pct", "mcas_ela_me_pct"):
        assert Metric.objects.filter(code=code).exists(), code
    _facts(world.orgs["S1"], rh.YEAR - 1, "10", "50")
    _facts(world.orgs["S1"], rh.YEAR, "15", "40")  # absence up, ELA down: worse
    _facts(world.orgs["S3"], rh.YEAR - 1, "10", "50")
    _facts(world.orgs["S3"], rh.YEAR, "8", "55")  # better
    rh.cycles(evaluator=world.people["SUP1"], school=world.orgs["S1"], levels=[P] * 5 + [E])
    rh.cycles(evaluator=world.people["SUP2"], school=world.orgs["S3"], levels=[P] * 6)
    rh.cycles(evaluator=world.people["P1"], school=world.orgs["S1"], levels=[P] * 5)
    rows = {d.evaluator_id: d for d in sr.divergence(world.users["district_admin"], rh.YEAR)}
    north, south, small = (
        rows[world.people["SUP1"].pk],
        rows[world.people["SUP2"].pk],
        rows[world.people["P1"].pk],
    )
    assert north.flag.startswith("Mostly Proficient or Exemplary") and north.worsening_share == 100
    assert south.flag == "" and south.improving_share == 100
    assert small.suppressed and small.flag == "" and small.high_share is None
    page = _client(world.users["district_admin"]).get(
        reverse("evaluation_reports:divergence"), {"year": rh.YEAR}
    )
    assert b"more than half of their ratings are Proficient or Exemplary" in page.content


def _query_count(client: Client, url: str, django_assert_num_queries: Any, n: int) -> None:
    with django_assert_num_queries(n):
        assert client.get(url).status_code == 200


# session, user, grants, years; then completion: counts, open cycles, the district's settings;
# calibration: the scope's districts (2), scoped and district ratings, standard ratings, evaluators;
# divergence: ratings, metrics, facts, evaluators.
QUERIES = {"completion": 7, "calibration": 10, "divergence": 8}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_district_views_issue_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: Any, name: str
) -> None:
    client = _client(world.users["district_admin"])
    url = reverse(f"evaluation_reports:{name}") + f"?year={rh.YEAR}"
    rh.cycles(
        evaluator=world.people["SUP1"], school=world.orgs["S1"], levels=[P] * 2, steps=[Step.GOALS_PLAN]
    )
    _query_count(client, url, django_assert_num_queries, QUERIES[name])
    rh.cycles(
        evaluator=world.people["SUP2"],
        school=world.orgs["S3"],
        levels=[P, E, NI] * 3,
        steps=[Step.SELF_ASSESSMENT] * 4,
    )
    rh.cycles(
        evaluator=world.people["SUP1"], school=world.orgs["S2"], levels=[P] * 4, steps=[Step.FORMATIVE] * 3
    )
    _query_count(client, url, django_assert_num_queries, QUERIES[name])


def test_completion_chart_has_a_colour_key_naming_every_step(world: World) -> None:
    """The chart's key names each colour's step in the bars' left-to-right order (not colour alone), and
    the table of numbers stays beside the chart."""
    import re

    rh.cycles(evaluator=world.people["SUP1"], school=world.orgs["S1"], steps=[Step.IMPLEMENTATION])
    page = (
        _client(world.users["district_admin"])
        .get(reverse("evaluation_reports:completion"), {"year": rh.YEAR})
        .content.decode()
    )
    key = re.search(r'<ul class="edlead-legend" aria-labelledby="completion-key-h">(.*?)</ul>', page, re.S)
    assert key is not None and 'id="completion-key-h"' in page and "left to right" in page
    items = re.findall(
        r'<li><svg[^>]*aria-hidden="true"[^>]*><rect[^>]*fill="(#[0-9a-f]{6})"[^>]*/></svg>([^<]+)</li>',
        key.group(1),
    )
    assert items == [(sr.STEP_COLOURS[s], str(Step(s).label)) for s in Step.values]
    assert "<caption>Cycles by network and step" in page
    # Each bar is named by its network beside it, and says its numbers to a screen reader.
    bars = re.findall(r'<span class="edlead-bars__label">([^<]+)</span><svg[^>]*aria-label="([^"]+)"', page)
    assert bars == [("North Quadrant", "North Quadrant: 1 at 3 Plan implementation")], bars
