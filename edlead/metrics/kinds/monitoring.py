"""Student-level in-year monitoring imports: attendance and interim assessments from a district SIS.

Both stream the file and aggregate it as they read (`edlead.metrics.monitoring`), so `parse` returns
school × group × period facts, never student rows. Planning resolves school codes (unknown ones are
skipped with the number of rows they had), compares with stored facts set-wise and writes in bulk.
Re-importing the same file changes nothing. No student name or ID is stored or reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from edlead.imports.kinds.base import Column, Context, ImportKind, Outcome, Plan, ProgressFn, fetch_in
from edlead.lib.schoolyears import SchoolYear
from edlead.metrics import monitoring
from edlead.metrics.facts import FactRow, facts_apply, facts_plan
from edlead.metrics.models import Metric, StudentGroup
from edlead.orgs.models import Organization

# --- Columns (the aggregation reads them by key) ----------------------------------------------------
STUDENT_ID = Column(
    "student_id",
    "Student ID",
    required=True,
    aliases=("SASID", "LASID", "State Student ID", "Local Student ID", "Student Number", "Student No"),
    help="Used only to notice a student listed twice for one school and period; never stored.",
)
SCHOOL = Column(
    "school_code",
    "School Code",
    required=True,
    aliases=("Org Code", "School", "School Number", "DESE School Code", "School ID"),
    help="The DESE code of the school (8 digits; missing leading zeros are restored).",
)
DATE = Column(
    "date",
    "Date",
    aliases=("As Of Date", "As Of", "Report Date", "Attendance Date", "Test Date", "Assessment Date"),
    help="A date (2024-10-31 or 10/31/2024): the row counts for that month and its school year. "
    "Give a Date, a Period or a School Year.",
)
PERIOD = Column(
    "period",
    "Period",
    aliases=("Month", "Term", "Window", "Testing Window"),
    help="A month (2024-10) or a term label (Q1, Fall, T2). A term label needs a School Year column "
    "or the school year given when importing.",
)
YEAR = Column(
    "school_year",
    "School Year",
    aliases=("SY", "Year"),
    help="2024-25. Optional when a Date or a month Period gives it; must agree with them.",
)
GROUP_COLUMNS = (
    Column(
        "low_income",
        "Low Income",
        aliases=("Economically Disadvantaged", "Econ Disadvantaged", "Low-Income", "FRL", "EcoDis"),
        help="Y/N, Yes/No, 1/0 or true/false.",
    ),
    Column("el", "EL", aliases=("English Learner", "ELL", "LEP", "English Learners"), help="Y/N."),
    Column(
        "swd",
        "SWD",
        aliases=(
            "Students with Disabilities",
            "Student with Disabilities",
            "Special Education",
            "SPED",
            "IEP",
        ),
        help="Y/N.",
    ),
    Column(
        "high_needs",
        "High Needs",
        help="Y/N. When absent, a student is high needs if low income, EL or SWD (all three columns given).",
    ),
    Column(
        "race",
        "Race/Ethnicity",
        aliases=("Race", "Ethnicity", "Race Ethnicity", "Race and Ethnicity"),
        help="One column with DESE's names: American Indian or Alaska Native, Asian, African American/Black, "
        "Hispanic/Latino, Multi-race non-Hispanic, Native Hawaiian or Pacific Islander, White.",
    ),
    Column("gender", "Gender", aliases=("Sex",), help="F, M or N (Female, Male, Nonbinary)."),
)

ATTENDANCE_COLUMNS: tuple[Column, ...] = (
    STUDENT_ID,
    SCHOOL,
    DATE,
    PERIOD,
    YEAR,
    Column(
        "days_enrolled",
        "Days Enrolled",
        required=True,
        aliases=("Days in Membership", "Membership Days", "Days Membership", "Enrolled Days", "Membership"),
        help="Days the student was enrolled in the period (0–366, up to two decimals).",
    ),
    Column(
        "days_absent",
        "Days Absent",
        required=True,
        aliases=("Absences", "Absent Days", "Days Absence", "Total Absences"),
        help="Days absent for any reason; not more than days enrolled.",
    ),
    *GROUP_COLUMNS,
)

INTERIM_COLUMNS: tuple[Column, ...] = (
    STUDENT_ID,
    SCHOOL,
    DATE,
    PERIOD,
    YEAR,
    Column(
        "subject",
        "Subject",
        required=True,
        aliases=("Content Area", "Test Subject"),
        help="ELA, Math or Science.",
    ),
    Column(
        "score",
        "Score",
        required=True,
        aliases=("Scaled Score", "Scale Score", "Percent Correct", "% Correct", "Raw Score"),
        help="The scaled score or percent correct (0–10000, up to two decimals).",
    ),
    Column(
        "level",
        "Performance Level",
        aliases=("Achievement Level", "Proficiency Level", "Level"),
        help="Optional. Used to decide “meeting” when a row has no Benchmark: Meeting, Exceeding, "
        "Proficient, Advanced, On Track, At/Above Benchmark count as meeting.",
    ),
    Column(
        "benchmark",
        "Benchmark",
        aliases=("Benchmark Score", "Cut Score", "Target"),
        help="Optional. The score that meets the benchmark for this assessment; else the performance "
        "level, else the default (settings EDLEAD_INTERIM_DEFAULT_BENCHMARK, 70).",
    ),
    *GROUP_COLUMNS,
)


@dataclass
class FactsPlan(Plan):
    inserts: list[FactRow] = field(default_factory=list)
    updates: list[tuple[int, FactRow]] = field(default_factory=list)

    def write(self) -> None:
        facts_apply(self.inserts, self.updates)


def plan_facts(
    facts: Sequence[monitoring.MonitorFact],
    schools: dict[str, monitoring.SchoolRows],
    ctx: Context,
    outcome: Outcome,
    *,
    code_column: str,
    what: str = "school",
) -> FactsPlan:
    """Resolve codes to ids (skipping unknown or out-of-scope organizations, listed once each with their
    row count), then compare with stored facts."""
    plan = FactsPlan()
    orgs = {
        code: (pk, path, name)
        for code, pk, path, name in fetch_in(
            Organization.objects.values_list("code", "pk", "path", "name"), "code", schools
        )
    }
    usable: dict[str, int] = {}
    for code, seen in sorted(schools.items(), key=lambda item: item[1].first_line):
        found = orgs.get(code)
        if found is None:
            reason = f"{what} {code} is not known to EdLead"
        elif not ctx.in_scope(found[1]):
            reason = f"{found[2]} ({code}) is outside the organizations you may import for"
        else:
            usable[code] = found[0]
            continue
        counted = f"{seen.rows:,} row{'s' if seen.rows != 1 else ''}"
        outcome.skip(seen.first_line, code_column, f"{reason}; {counted} skipped (the first on this line)")
        outcome.skipped += seen.rows - 1
    if any(f.school_year is None for f in facts) and ctx.year is None:
        outcome.error(
            None,
            None,
            "EdLead cannot tell which school year this file describes: a row has a term label but no date, "
            "month or School Year, and no year was given. Add a School Year column or give the year (--year 2024-25).",
        )
        return plan
    metric_ids = dict(Metric.objects.filter(code__in={f.metric for f in facts}).values_list("code", "pk"))
    missing = sorted({f.metric for f in facts} - set(metric_ids))
    if missing:
        outcome.error(
            None, None, f"metrics missing from the catalog (run migrate): {', '.join(missing[:10])}"
        )
        return plan
    group_ids = dict(StudentGroup.objects.values_list("code", "pk"))
    rows: list[FactRow] = []
    for f in facts:
        org_id = usable.get(f.org_code)
        if org_id is None:
            continue
        year = f.school_year if f.school_year is not None else ctx.year.start_year  # type: ignore[union-attr]
        rows.append(FactRow(org_id, year, f.period, metric_ids[f.metric], group_ids[f.group], f.value, f.n))
    years = sorted({r.school_year for r in rows})
    if len(years) == 1 and not outcome.school_year:
        outcome.school_year = SchoolYear(years[0]).label
    elif len(years) > 1:  # the run's school year holds one label; the report lists them all
        outcome.notes.append(
            "School years in this file: " + ", ".join(SchoolYear(y).label for y in years) + "."
        )
    plan.inserts, plan.updates, unchanged = facts_plan(rows)
    outcome.created += len(plan.inserts)
    outcome.updated += len(plan.updates)
    outcome.unchanged += unchanged
    return plan


class FactList(list[Any]):
    """Aggregated facts, with the rows read per school code (to skip unknown schools by name)."""

    def __init__(self, facts: Iterable[Any], *, schools: dict[str, monitoring.SchoolRows]) -> None:
        super().__init__(facts)
        self.schools = schools


class _MonitoringKind(ImportKind):
    """Shared by the student-level kinds: streamed parse, facts plan."""

    uses_school_year = True
    commits_in_chunks = True  # the plan only reads; facts commit a chunk at a time
    priority = 70
    aggregate: ClassVar[Any]
    template_header: ClassVar[list[str]] = []
    template_rows: ClassVar[list[list[str]]] = []
    natural_key = ("student_id",)

    @classmethod
    def column_docs(cls) -> list[tuple[str, bool, str]]:
        return [(c.header, c.required, c.help) for c in cls.columns]

    @classmethod
    def parse(
        cls,
        header: Sequence[str],
        rows: Iterable[tuple[int, list[str]]],
        outcome: Outcome,
        progress: ProgressFn | None = None,
        header_line: int = 1,
    ) -> list[Any]:
        result = cls.aggregate(cls.columns, header, rows, outcome, progress, header_line)
        return FactList(result.facts, schools=result.schools)

    @classmethod
    def parsed_dump(cls, rows: Any) -> Any:
        """The aggregated facts and rows per school as they are (plain dataclasses pickle as they are)."""
        return list(rows), getattr(rows, "schools", {})

    @classmethod
    def parsed_load(cls, data: Any) -> Any:
        facts, schools = data
        return FactList(facts, schools=schools)

    @classmethod
    def plan(cls, rows: list[Any], ctx: Context, outcome: Outcome) -> Plan:
        schools = rows.schools if isinstance(rows, FactList) else {}
        return plan_facts(rows, schools, ctx, outcome, code_column=SCHOOL.header)


class StudentAttendance(_MonitoringKind):
    slug = "monitoring_attendance"
    label = "Student attendance (in-year monitoring)"
    description = (
        "A student-level attendance export from the district SIS (one row per student per school and "
        "month or term): aggregated on import to students enrolled, attendance rate and chronic absence "
        "by school, student group and period. No student name or ID is stored."
    )
    columns: ClassVar[tuple[Column, ...]] = ATTENDANCE_COLUMNS
    key_columns = ("student_id", "days_enrolled", "days_absent")
    aggregate = staticmethod(monitoring.aggregate_attendance)
    template_header = [
        "Student ID",
        "School Code",
        "Date",
        "Days Enrolled",
        "Days Absent",
        "Low Income",
        "EL",
        "SWD",
        "Race/Ethnicity",
        "Gender",
    ]
    template_rows = [
        ["1000000001", "99010005", "2024-10-31", "21", "3", "Y", "N", "N", "Hispanic/Latino", "F"],
        ["1000000002", "99010005", "2024-10-31", "21", "0", "N", "N", "Y", "White", "M"],
    ]


class InterimAssessment(_MonitoringKind):
    slug = "monitoring_interim"
    label = "Interim assessment scores (in-year monitoring)"
    description = (
        "Student-level interim assessment scores from the district (one row per student, subject and "
        "testing window): aggregated on import to students tested, average score and % meeting the "
        "benchmark by school, subject, student group and period. No student name or ID is stored."
    )
    columns: ClassVar[tuple[Column, ...]] = INTERIM_COLUMNS
    key_columns = ("student_id", "subject", "score")
    aggregate = staticmethod(monitoring.aggregate_interim)
    template_header = [
        "Student ID",
        "School Code",
        "Period",
        "School Year",
        "Subject",
        "Score",
        "Benchmark",
        "Performance Level",
        "Low Income",
        "EL",
        "SWD",
        "Race/Ethnicity",
        "Gender",
    ]
    template_rows = [
        ["1000000001", "99010005", "Fall", "2024-25", "Math", "512", "500", "", "Y", "N", "N", "Asian", "F"],
        [
            "1000000001",
            "99010005",
            "Fall",
            "2024-25",
            "ELA",
            "64",
            "",
            "Partially Meeting",
            "Y",
            "N",
            "N",
            "Asian",
            "F",
        ],
    ]


MONITORING_KINDS: list[type[ImportKind]] = [StudentAttendance, InterimAssessment]
