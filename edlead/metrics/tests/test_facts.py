from decimal import Decimal

import pytest

from edlead.metrics.facts import FactRow, facts_upsert
from edlead.metrics.models import Fact, Metric, StudentGroup
from edlead.testing import make_district, make_school


@pytest.fixture
def metric(db: object) -> Metric:
    return Metric.objects.create(code="test-rate", name="Test rate", unit="percent")


def test_upsert_creates_then_changes_nothing_then_updates(metric: Metric) -> None:
    school = make_school(make_district())
    group = StudentGroup.objects.get(code="all")
    rows = [FactRow(school.pk, 2023, "", metric.pk, group.pk, Decimal("12.3"), 150)]
    assert facts_upsert(rows).created == 1
    again = facts_upsert(rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = facts_upsert([rows[0]._replace(value=Decimal("12.4"))])
    assert changed.updated == 1
    assert Fact.objects.get().value == Decimal("12.4")
    suppressed = facts_upsert([rows[0]._replace(value=None, n=None)])
    assert suppressed.updated == 1 and Fact.objects.get().value is None


def test_dry_run_writes_nothing(metric: Metric) -> None:
    school = make_school(make_district())
    group = StudentGroup.objects.get(code="all")
    counts = facts_upsert(
        [FactRow(school.pk, 2023, "", metric.pk, group.pk, Decimal("1"), None)], dry_run=True
    )
    assert counts.created == 1 and not Fact.objects.exists()
