"""The supervisor's school rows (issue 12 item 6): what each app says about each school — the principal's
evaluation, the plan, chronic absence with its trend, the supervisor's last visit, learning, licence —
each linking to its detail, exported as CSV, and only what the reader may see."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from edlead.access.tests.conftest import World
from edlead.credentials.tests.factories import make_licence
from edlead.evaluations.tests.factories import cycle_for
from edlead.home import columns
from edlead.home.selectors import supervisor_section
from edlead.home.templatetags.home_tags import sparkline
from edlead.metrics.facts import FactRow, facts_upsert
from edlead.plans.tests.test_plans import _ready
from edlead.visits import services as visit_services
from edlead.visits.models import Visit

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _cells(section: dict[str, Any], school: Any) -> dict[str, Any]:
    row = next(r for r in section["rows"] if r.school.pk == school.pk)
    return {c.key: cell for c, cell in row.cells}


def test_each_app_says_what_it_knows_about_the_school(world: World) -> None:
    sup, s1 = world.users["principal_supervisor"], world.orgs["S1"]
    cycle = cycle_for(world.people["P1"], evaluator=world.people["SUP1"])
    plan = _ready(world)
    visit_services.visit_record(
        actor=sup,
        organization=s1,
        date=TODAY - dt.timedelta(days=5),
        length_minutes=45,
        educator=world.people["P1"],
        purpose=Visit.Purpose.PLAN_CHECK,
    )
    make_licence(world.people["P1"], expires_on=TODAY + dt.timedelta(days=40))
    section = supervisor_section(sup)
    assert section is not None
    keys = [c.key for c in section["columns"]]
    assert {"evaluation", "plans", "visits", "learning", "licence", "chronic_absence"} <= set(keys)
    cells = _cells(section, s1)
    assert (
        cells["evaluation"].url == cycle.get_absolute_url()
        and cells["evaluation"].text == cycle.get_step_display()
    )
    assert cells["plans"].url == plan.get_absolute_url() and cells["plans"].text == "Draft"
    assert cells["visits"].text == "5 days ago" and cells["visits"].note.startswith("1 this year")
    assert not cells["visits"].attention
    assert cells["licence"].attention and cells["licence"].text.startswith("Expires")
    assert cells["chronic_absence"] is columns.EMPTY  # no monthly figures imported
    # A school the supervisor never visited is flagged.
    s3 = world.orgs["S3"]
    if any(r.school.pk == s3.pk for r in section["rows"]):
        assert _cells(section, s3)["visits"].attention


def test_chronic_absence_by_month_with_a_sparkline(world: World) -> None:
    from decimal import Decimal

    from edlead.metrics.models import Metric, StudentGroup

    s1 = world.orgs["S1"]
    year = TODAY.year if TODAY.month >= 7 else TODAY.year - 1
    if dt.date(year, 10, 1) > TODAY:
        pytest.skip("Needs the school year's October to have begun")
    metric, everyone = (
        Metric.objects.get(code="monitor_chronic_absence"),
        StudentGroup.objects.get(code="all"),
    )
    rows = [
        FactRow(s1.pk, y, f"{y + (month < 7)}-{month:02d}", metric.pk, everyone.pk, Decimal(value), 300)
        for month, this, last in ((9, "8.0", "9.0"), (10, "11.0", "9.5"))
        for y, value in ((year, this), (year - 1, last))
    ]
    facts_upsert(rows)
    section = supervisor_section(world.users["principal_supervisor"])
    assert section is not None
    cell = _cells(section, s1)["chronic_absence"]
    assert cell.text == "11.0% (Oct)" and cell.attention and "up from 9.5%" in cell.note
    assert list(cell.spark)[:2] == [8.0, 11.0] and "Sep 8.0%, Oct 11.0%" in cell.spark_label
    svg = sparkline(cell.spark, cell.spark_label)
    assert svg.startswith('<svg class="edlead-spark"') and "polyline" in svg and 'role="img"' in svg


def test_the_rows_as_csv_and_only_for_supervisors(world: World, client: Client) -> None:
    visit_services.visit_record(
        actor=world.users["principal_supervisor"],
        organization=world.orgs["S1"],
        date=TODAY,
        length_minutes=45,
        educator=world.people["P1"],
        purpose=Visit.Purpose.LEARNING_WALK,
    )
    client.force_login(world.users["principal_supervisor"])
    page = client.get(reverse("home:principals"))
    assert page.status_code == 200 and "Last visit" in page.text and "Today" in page.text
    response = client.get(reverse("home:principals") + "?format=csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][:4] == ["School", "Code", "Principal", "Principal since"] and "Last visit" in table[0]
    s1 = next(r for r in table if r[0] == world.orgs["S1"].name)
    assert s1[table[0].index("Last visit")] == "Today"
    client.force_login(world.users["school_leader"])
    assert "Last visit" not in client.get(reverse("home:principals")).text


def test_a_column_is_offered_only_where_it_is_allowed(world: World) -> None:
    seen: list[int] = []
    columns.register(
        columns.Column(
            "test_only",
            "Test",
            99,
            lambda user, rows, today: seen.append(len(rows)) or {},  # type: ignore[func-returns-value]
            allowed=lambda user: False,
        )
    )
    try:
        section = supervisor_section(world.users["principal_supervisor"])
        assert section is not None and "test_only" not in [c.key for c in section["columns"]] and not seen
    finally:
        columns.unregister("test_only")
