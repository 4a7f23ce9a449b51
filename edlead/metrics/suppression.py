"""Small-group suppression: no student percentage for fewer than 10 students, no staff aggregate for
fewer than 6 staff (DOMAIN.md §6). Thresholds are settings; a metric may set its own.

Every page and export that shows a fact passes it through `visible_value`, so a suppressed value
never leaves the server.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings

SUPPRESSED = None  # what a suppressed value becomes; templates show "—" with an explanation


def threshold(metric: Any) -> int:
    if getattr(metric, "suppress_below", None):
        return int(metric.suppress_below)
    if getattr(metric, "subject", "students") == "staff":
        return int(getattr(settings, "EDLEAD_SUPPRESS_MIN_STAFF", 6))
    return int(getattr(settings, "EDLEAD_SUPPRESS_MIN_STUDENTS", 10))


def is_suppressed(metric: Any, n: int | None) -> bool:
    """A value is suppressed when we know how many it describes and that is too few. Counts themselves
    (unit `count`) are not percentages of a group, but a count of students in a tiny group would still
    identify them, so they are suppressed too."""
    if getattr(metric, "subject", "students") == "finance":
        return False
    return n is not None and n < threshold(metric)


def visible_value(metric: Any, value: Decimal | None, n: int | None) -> Decimal | None:
    return SUPPRESSED if is_suppressed(metric, n) else value
