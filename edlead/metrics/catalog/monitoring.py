"""Metrics aggregated from student-level in-year monitoring files (`edlead.metrics.monitoring`).

Codes start with `monitor_`. Values are per school × student group × period (a month `2024-10`, or a
term label); `n` is the number of students behind each value, so small groups are suppressed
(`edlead.metrics.suppression`) wherever a value is shown or exported.
"""

from edlead.metrics.catalog import MetricSpec

MONITOR_GROUPS: tuple[str, ...] = (
    "all",
    "high_needs",
    "low_income",
    "el",
    "swd",
    "ai_an",
    "asian",
    "black",
    "hispanic",
    "multi_race",
    "nh_pi",
    "white",
    "female",
    "male",
)

# Interim assessment subjects: code → name. Each has its own three metrics.
INTERIM_SUBJECTS: dict[str, str] = {
    "ela": "English language arts",
    "math": "Mathematics",
    "science": "Science",
}

_SOURCE = "District student information system export (in-year monitoring)"

METRICS: list[MetricSpec] = [
    MetricSpec(
        code="monitor_students_enrolled",
        name="Students enrolled (in-year)",
        unit="count",
        direction="neutral",
        definition="Students with at least one day enrolled in the period, from the district's attendance export.",
        category="In-year attendance",
        source_report=_SOURCE,
        groups_available=MONITOR_GROUPS,
        decimals=0,
    ),
    MetricSpec(
        code="monitor_attendance_rate",
        name="Attendance rate (in-year)",
        unit="percent",
        direction="higher",
        definition="Days attended as a percentage of days enrolled, over all students in the group "
        "(total days enrolled minus total days absent, divided by total days enrolled).",
        category="In-year attendance",
        source_report=_SOURCE,
        groups_available=MONITOR_GROUPS,
    ),
    MetricSpec(
        code="monitor_chronic_absence",
        name="Chronically absent (in-year)",
        unit="percent",
        direction="lower",
        definition="Percentage of students who missed at least 10% of the days they were enrolled in the "
        "period, for any reason (DESE's definition of chronic absenteeism).",
        category="In-year attendance",
        source_report=_SOURCE,
        groups_available=MONITOR_GROUPS,
    ),
]

for _subject, _name in INTERIM_SUBJECTS.items():
    METRICS += [
        MetricSpec(
            code=f"monitor_interim_{_subject}_tested",
            name=f"Students tested, interim {_name}",
            unit="count",
            definition=f"Students with an interim {_name} score in the period.",
            category="Interim assessments",
            source_report=_SOURCE,
            groups_available=MONITOR_GROUPS,
            decimals=0,
        ),
        MetricSpec(
            code=f"monitor_interim_{_subject}_avg_score",
            name=f"Average score, interim {_name}",
            unit="score",
            direction="higher",
            definition=f"Mean interim {_name} score (scaled score or percent correct, as the file gives it).",
            category="Interim assessments",
            source_report=_SOURCE,
            groups_available=MONITOR_GROUPS,
        ),
        MetricSpec(
            code=f"monitor_interim_{_subject}_meeting",
            name=f"Meeting benchmark, interim {_name}",
            unit="percent",
            direction="higher",
            definition=f"Percentage of students tested in {_name} whose score reached the assessment's "
            "benchmark (the file's Benchmark column, else its performance level, else the default).",
            category="Interim assessments",
            source_report=_SOURCE,
            groups_available=MONITOR_GROUPS,
        ),
    ]
