"""Small-group suppression of the figures EdLead computes itself (DOMAIN.md §6): no student figure for
fewer than 10 students, no staff figure for fewer than 6 staff. Thresholds are settings; a metric may
set its own.

Which figures: only those EdLead aggregates from individual records — today the in-year monitoring
metrics (`monitor_…`, from the district's student-level exports; later its own ratings and surveys).
A figure DESE published (a retention percentage for one principal, a rate, a count) was screened by
DESE before publication and is shown as DESE published it: DESE leaves a cell blank when it suppresses,
and that blank is what EdLead stores.

Two steps, both applied to every page and export that shows an EdLead-computed figure:

1. **Primary**: a value describing fewer people than the threshold is hidden (`is_suppressed`).
2. **Complementary (secondary)**: where groups partition a total (`PARTITIONS`), a single hidden member
   could be worked out by subtraction — all students minus the shown race groups, or all minus female
   minus male when a small third gender group is not shown. So when exactly one piece of a partition is
   unknown and that piece is small, the next-smallest shown member is hidden as well
   (`complementary_hidden`), and no combination of the shown cells recovers either.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings

SUPPRESSED = None  # what a suppressed value becomes; templates show "—" with an explanation

# Metrics EdLead computes from individual records, by code prefix. Everything else is a published
# aggregate (DESE's), shown as published.
COMPUTED_PREFIXES: tuple[str, ...] = ("monitor_",)

# Groups that together make up all students (each student is in exactly one member). DESE's race and
# ethnicity categories partition the students; the gender groups EdLead stores (female, male) do not
# quite — students reported as non-binary are in "all" but in neither — so the remainder
# (all − the members) is treated as one more, unshown member.
PARTITIONS: dict[str, tuple[str, ...]] = {
    "race": ("ai_an", "asian", "black", "hispanic", "multi_race", "nh_pi", "white"),
    "gender": ("female", "male"),
}
TOTAL_GROUP = "all"
# Not partitions: the needs groups overlap (high needs, low income, EL, students with disabilities) and
# none has its complement shown. A nested pair would need the same care (EL inside "EL and former EL"
# gives former EL by subtraction); the in-year monitoring groups have no such pair.


def computed_by_edlead(metric: Any) -> bool:
    """Is this a figure EdLead aggregates from individual records (so EdLead must screen it)?"""
    return str(getattr(metric, "code", "")).startswith(COMPUTED_PREFIXES)


def threshold(metric: Any) -> int:
    if getattr(metric, "suppress_below", None):
        return int(metric.suppress_below)
    if getattr(metric, "subject", "students") == "staff":
        return int(getattr(settings, "EDLEAD_SUPPRESS_MIN_STAFF", 6))
    return int(getattr(settings, "EDLEAD_SUPPRESS_MIN_STUDENTS", 10))


def is_suppressed(metric: Any, n: int | None) -> bool:
    """An EdLead-computed value is suppressed when we know how many it describes and that is too few.
    Counts of students in a tiny group would identify them too, so they are suppressed alike."""
    if not computed_by_edlead(metric) or getattr(metric, "subject", "students") == "finance":
        return False
    return n is not None and n < threshold(metric)


def visible_value(metric: Any, value: Decimal | None, n: int | None) -> Decimal | None:
    return SUPPRESSED if is_suppressed(metric, n) else value


def complementary_hidden(total_n: int | None, members: Mapping[str, int | None], limit: int) -> set[str]:
    """Members of one partition to hide, primary and complementary, given the all-students count and
    each present member's count (None when unknown).

    A piece is "unknown" to a reader when it is hidden or never shown (the remainder of all students
    outside the stored members). Subtraction recovers a piece exactly when it is the only unknown one;
    so if a small piece (hidden member, or a remainder under `limit`) is the only unknown piece, the
    smallest shown member is hidden too."""
    hidden = {code for code, n in members.items() if n is not None and n < limit}
    if total_n is not None and total_n < limit:
        return set(members)  # the whole population is small: nothing of it is shown
    known = {code: n for code, n in members.items() if n is not None}
    remainder = total_n - sum(known.values()) if total_n is not None and len(known) == len(members) else None
    # A piece of no students hides nothing: only pieces with students count as unknown.
    unknown_pieces = sum(1 for code in hidden if known.get(code)) + (
        1 if remainder is not None and remainder > 0 else 0
    )
    small_remainder = remainder is not None and 0 < remainder < limit
    small_member = any(known.get(code) for code in hidden)
    if unknown_pieces == 1 and (small_member or small_remainder):
        shown = sorted((n, code) for code, n in known.items() if code not in hidden and n > 0)
        if shown:
            hidden.add(shown[0][1])
    return hidden


def hidden_groups(metric: Any, n_by_group: Mapping[str, int | None]) -> set[str]:
    """Every group code to hide for one organization × year × period × metric: the primary-suppressed
    groups and, for each partition, the complementary ones. `n_by_group` maps the group codes present
    (including "all") to their counts."""
    if not computed_by_edlead(metric):
        return set()
    limit = threshold(metric)
    hidden = {code for code, n in n_by_group.items() if is_suppressed(metric, n)}
    total = n_by_group.get(TOTAL_GROUP)
    for members in PARTITIONS.values():
        present = {code: n_by_group[code] for code in members if code in n_by_group}
        if present:
            hidden |= complementary_hidden(total, present, limit)
    return hidden
