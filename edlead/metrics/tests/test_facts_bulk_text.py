"""Facts written in bulk keep their text and numbers exactly (PostgreSQL's COPY text is built by hand:
tabs, newlines and backslashes in a period or a note must be escaped, a missing value or n is NULL)."""

from decimal import Decimal

import pytest

from edlead.metrics.facts import FactRow, facts_upsert
from edlead.metrics.models import Fact, Metric, StudentGroup
from edlead.testing import make_district, make_school


@pytest.fixture
def metric(db: object) -> Metric:
    return Metric.objects.create(code="test-bulk-text", name="Test bulk text", unit="count")


def test_special_characters_and_nulls_survive_the_bulk_insert(metric: Metric) -> None:
    school = make_school(make_district())
    group = StudentGroup.objects.get(code="all")
    rows = [
        FactRow(school.pk, 2023, "a\tb", metric.pk, group.pk, Decimal("12.3456"), 7, ""),
        FactRow(school.pk, 2023, "c\\d", metric.pk, group.pk, None, None, "<10"),
        FactRow(school.pk, 2023, "e\nf", metric.pk, group.pk, Decimal("-1500000"), 0, "x\\N\r"),
        FactRow(school.pk, 2023, "", metric.pk, group.pk, Decimal("0.5"), None, "\\"),
    ]
    assert facts_upsert(rows).created == 4
    stored = {
        f.period: (f.value, f.n, f.note)
        for f in Fact.objects.filter(metric=metric).only("period", "value", "n", "note")
    }
    assert stored == {
        "a\tb": (Decimal("12.3456"), 7, ""),
        "c\\d": (None, None, "<10"),
        "e\nf": (Decimal("-1500000"), 0, "x\\N\r"),
        "": (Decimal("0.5"), None, "\\"),
    }
    again = facts_upsert(rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
