"""The metric catalog, declared in code and synced into the database by `services.catalog_sync()`.

Each source contributes a module with `METRICS: list[MetricSpec]`: `dese.py` for DESE report exports,
`monitoring.py` for in-year student-level monitoring. Groups are shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MetricSpec:
    code: str
    name: str
    unit: str
    direction: str = "neutral"
    definition: str = ""
    category: str = ""
    source_report: str = ""
    grade_span: str = ""
    groups_available: tuple[str, ...] = field(default_factory=lambda: ("all",))
    subject: str = "students"
    year_rule: str = "school_year"
    suppress_below: int | None = None
    decimals: int = 1


# DOMAIN.md §6: the student groups DESE reports.
GROUPS: list[tuple[str, str]] = [
    ("all", "All students"),
    ("high_needs", "High needs"),
    ("low_income", "Low income"),
    ("econ_disadvantaged", "Economically disadvantaged"),
    ("el", "English learners"),
    ("el_former_el", "EL and former EL"),
    ("swd", "Students with disabilities"),
    ("ai_an", "American Indian or Alaska Native"),
    ("asian", "Asian"),
    ("black", "African American/Black"),
    ("hispanic", "Hispanic/Latino"),
    ("multi_race", "Multi-race, non-Hispanic"),
    ("nh_pi", "Native Hawaiian or Pacific Islander"),
    ("white", "White"),
    ("female", "Female"),
    ("male", "Male"),
]


def all_metrics() -> list[MetricSpec]:
    from edlead.metrics.catalog import dese, monitoring

    return [*dese.METRICS, *monitoring.METRICS]
