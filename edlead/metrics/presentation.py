"""How a metric is shown, declared in code beside the catalog rather than stored: its display precision,
whether it is a total that grows with the organization (so a school is never drawn on the same axis as
the state), which grades it concerns, and the curated key measures a principal supervisor watches.

The catalog (`edlead.metrics.catalog`) says what a metric is; this module says how pages show it, so a
change of presentation needs no migration and no re-import.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from edlead.metrics import rules

# --- precision --------------------------------------------------------------------------------------
# Averages the catalog stores as whole numbers but that read wrongly rounded: MCAS scaled scores and
# student growth percentiles, and average class size, to one decimal (as DESE publishes them).
ONE_DECIMAL = re.compile(r"(_scaled_score$|_sgp$|^class_size_avg$)")
# Counts and dollars never show decimals ($12,345, 1,234 students); averages keep theirs.
AVERAGE = re.compile(r"(avg|mean|per_pupil|ratio|class_size|_pct$|_sgp$|scaled_score)")


def decimals(metric: Any) -> int:
    """The number of decimals a metric's values are shown with."""
    code = str(metric.code)
    if ONE_DECIMAL.search(code):
        return max(int(metric.decimals), 1)
    if metric.unit == "dollars":
        return 0
    if metric.unit == "count" and not AVERAGE.search(code):
        return 0
    return int(metric.decimals)


def quantum(metric: Any) -> Decimal:
    places = decimals(metric)
    return Decimal(1).scaleb(-places) if places else Decimal(1)


# --- totals -----------------------------------------------------------------------------------------
def is_total(metric: Any) -> bool:
    """A count, FTE or dollar total grows with the organization: a school's 400 students and the state's
    900,000 on one axis would flatten the school's line. Such charts show the school alone."""
    return metric.unit in ("count", "fte", "dollars") and not AVERAGE.search(str(metric.code))


# --- grades -----------------------------------------------------------------------------------------
GRADE_ORDER = ["PK", "K", *[str(g) for g in range(1, 13)]]
# Metrics about particular grades, by code: per-grade enrollment and teacher FTE by grade band.
_ENROLLMENT_GRADE = re.compile(r"^enrollment_(pk|k|\d\d)$")
_FTE_BAND = re.compile(r"^teacher_fte_(pk|\d+)_(\d+)$")


def _grade(token: str) -> str | None:
    token = token.strip().upper()
    if token.isdigit():
        token = str(int(token))
    return token if token in GRADE_ORDER else None


def parse_grades(text: str) -> set[str]:
    """ "PK,K,01,02" or "3–8, 10" or "9-12" → the set of grades named ("PK", "K", "1" … "12")."""
    found: set[str] = set()
    for part in re.split(r"[,;]", text or ""):
        bounds = [b for b in re.split(r"\s*[–-]\s*", part.strip()) if b]
        if len(bounds) == 2:
            lo, hi = _grade(bounds[0]), _grade(bounds[1])
            if lo and hi:
                found.update(GRADE_ORDER[GRADE_ORDER.index(lo) : GRADE_ORDER.index(hi) + 1])
        elif len(bounds) == 1 and (g := _grade(bounds[0])):
            found.add(g)
    return found


def metric_grades(metric: Any) -> set[str]:
    """The grades a metric concerns; empty for a whole-school measure (attendance, staffing, …)."""
    code = str(metric.code)
    if m := _ENROLLMENT_GRADE.match(code):
        return {g} if (g := _grade(m.group(1))) else set()
    if m := _FTE_BAND.match(code):
        return parse_grades(f"{m.group(1)}-{m.group(2)}")
    return parse_grades(metric.grade_span or "")


def grades_enrolled(enrollment: dict[Any, Any]) -> set[str]:
    """The grades with students enrolled, from a school's per-grade enrollment of one year (metric →
    value): more current than a directory's grade list, and there when the directory has none."""
    found: set[str] = set()
    for metric, value in enrollment.items():
        if value and (m := _ENROLLMENT_GRADE.match(str(metric.code))) and (g := _grade(m.group(1))):
            found.add(g)
    return found


def fits_grades(metric: Any, school_grades: set[str]) -> bool:
    """Does the metric concern any grade the school serves? A school with no grades on record, or a
    whole-school metric, always fits."""
    wanted = metric_grades(metric)
    return not wanted or not school_grades or bool(wanted & school_grades)


# --- key measures -----------------------------------------------------------------------------------
# The measures a principal supervisor watches, in the order shown first on every school page: each is
# found by pattern in the catalog codes (the first matching metric wins), so a catalog rename is one
# line here. Measures that do not fit the school's grades (graduation at an elementary school) or that
# the school has no figures for drop out.
KEY_MEASURES: list[tuple[str, tuple[str, ...]]] = [
    ("chronic_absence", rules.KEY_PATTERNS["chronic_absence"]),
    ("attendance", (r"^attendance_rate$",)),
    ("ela_me", rules.KEY_PATTERNS["ela_me"]),
    ("math_me", rules.KEY_PATTERNS["math_me"]),
    ("ela_sgp", (r"^mcas_ela_sgp$",)),
    ("math_sgp", (r"^mcas_math_sgp$",)),
    ("graduation", (r"^grad_4yr_pct$",)),
    ("principal_retention", rules.KEY_PATTERNS["principal_retention"]),
    ("teacher_retention", (r"^teacher_retained_pct$",)),
    ("enrollment", (r"^enrollment_total$",)),
]


def key_measures(metrics: list[Any]) -> list[Any]:
    """The key measures among `metrics`, in the curated order."""
    chosen: list[Any] = []
    for _role, patterns in KEY_MEASURES:
        found = None
        for pattern in patterns:
            rx = re.compile(pattern)
            found = next((m for m in metrics if rx.search(str(m.code).lower()) and m not in chosen), None)
            if found is not None:
                break
        if found is not None:
            chosen.append(found)
    return chosen
