"""Dashboard rules in one place: which catalog metrics are the "key" ones, and when a school is off track.

The DESE catalog names its metrics; the dashboards find the few they treat specially (chronic absence,
meeting-or-exceeding shares, principal retention) by these patterns on the metric code, so a catalog
rename is one line here, and the demo generator reuses the same lookup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

# --- Off-track flags (points, i.e. percentage points for percent metrics) --------------------------
CHRONIC_ABSENCE_RISE = Decimal("3")  # chronic absence up this much or more from the prior year
MEETING_EXCEEDING_DROP = Decimal("3")  # a meeting-or-exceeding share down this much or more
PRINCIPAL_RETAINED_BELOW = Decimal("100")  # staffing-retention "principal % retained" under this

# The day a school's principal is read for a school year (DESE's October 1 snapshot).
SNAPSHOT_MONTH, SNAPSHOT_DAY = 10, 1

# Key metrics: role → patterns searched (in order) in metric codes.
KEY_PATTERNS: dict[str, tuple[str, ...]] = {
    "chronic_absence": (r"^chronic_absence_10_pct$", r"chronic.*(pct|rate)", r"chronic"),
    "ela_me": (r"^mcas_ela_me_pct$", r"(ela|english).*(meet|[_-]me[_-]pct)"),
    "math_me": (r"^mcas_math_me_pct$", r"math.*(meet|[_-]me[_-]pct)"),
    "principal_retention": (r"^principal_retained_pct$", r"principal.*retain.*pct", r"principal.*retention"),
}
# Every key pattern at once, for the database to pick the candidates (PostgreSQL's and SQLite's regular
# expressions both read these patterns; matched case-insensitively, then `key_metrics` picks in order).
KEY_CODE_REGEX = "|".join(f"({p})" for patterns in KEY_PATTERNS.values() for p in patterns)
# Any meeting-or-exceeding share counts for the "down" flag (percent metrics only).
MEETING_EXCEEDING_PATTERN = re.compile(r"(meet|[_-]me[_-]pct|[_-]me$)")

FLAG_LABELS = {
    "absence": "Chronic absence up",
    "achievement": "Meeting/exceeding down",
    "turnover": "Principal turnover",
}


def find_metric(metrics: Iterable[Any], role: str) -> Any | None:
    """The first metric (in catalog order) whose code matches the role's patterns."""
    items = list(metrics)
    for pattern in KEY_PATTERNS[role]:
        rx = re.compile(pattern)
        for metric in items:
            if rx.search(metric.code.lower()):
                return metric
    return None


def key_metrics(metrics: Iterable[Any]) -> dict[str, Any]:
    items = list(metrics)
    found = {role: find_metric(items, role) for role in KEY_PATTERNS}
    return {role: m for role, m in found.items() if m is not None}


def is_meeting_exceeding(metric: Any) -> bool:
    return bool(MEETING_EXCEEDING_PATTERN.search(metric.code.lower())) and metric.unit == "percent"
