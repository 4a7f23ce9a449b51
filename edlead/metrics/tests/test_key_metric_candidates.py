"""The database picks the key-metric candidates by one regular expression (PostgreSQL's and SQLite's
readings of it), and `rules.key_metrics` of those few rows must be that of the whole catalog."""

from __future__ import annotations

import pytest

from edlead.metrics import rules
from edlead.metrics.models import Metric
from edlead.metrics.selectors.common import key_metric_candidates
from edlead.metrics.services import catalog_sync

pytestmark = pytest.mark.django_db


def _keys(metrics: list[Metric]) -> dict[str, str]:
    return {role: m.code for role, m in rules.key_metrics(metrics).items()}


def test_candidates_give_the_key_metrics_of_the_whole_catalog() -> None:
    catalog_sync()
    whole = list(Metric.objects.all())
    candidates = key_metric_candidates()
    assert _keys(candidates) == _keys(whole)
    assert set(_keys(whole)) == set(rules.KEY_PATTERNS)  # the real catalog has all four
    assert len(candidates) < len(whole) // 4  # a few rows, not the catalog


def test_candidates_follow_the_fallback_patterns_and_catalog_order() -> None:
    """Without the preferred codes, the later patterns choose — upper case too — as on the whole list."""
    Metric.objects.all().delete()
    for code in ("Chronic_Rate_Grade9", "ela_meeting_share", "MATH_ME_PCT_x", "principal_retention_5yr"):
        Metric.objects.create(code=code, name=code, unit=Metric.Unit.PERCENT)
    Metric.objects.create(code="enrollment_total", name="Enrollment", unit=Metric.Unit.COUNT)
    whole = list(Metric.objects.all())
    candidates = key_metric_candidates()
    assert "enrollment_total" not in {m.code for m in candidates}
    assert (
        _keys(candidates)
        == _keys(whole)
        == {
            "chronic_absence": "Chronic_Rate_Grade9",
            "ela_me": "ela_meeting_share",
            "math_me": "MATH_ME_PCT_x",
            "principal_retention": "principal_retention_5yr",
        }
    )
