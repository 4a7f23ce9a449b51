"""One declaration per DESE report: how to recognise it, its year rule, and which metric each column
feeds. District-level exports (title row, `District Name, District Code`) and school-level panels
(`School Name, School Code`) of the same report share a declaration. The reader, validator and
planner are generic (`edlead.metrics.kinds.dese`).

Value types: `pct` 0–100 · `pct_any` a percentage that may exceed 100 · `count` a number ≥ 0 ·
`number` any number (may be negative) · `ratio` “11.3 to 1” or 11.3 · `score` a number ≥ 0.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    header: str
    metric: str  # a metric code; `{subject}` is filled from the row's Subject (MCAS)
    type: str = "pct"
    aliases: tuple[str, ...] = ()
    n_from: str = ""  # the header of the column that counts the students (or staff) behind the value


@dataclass(frozen=True)
class Report:
    slug: str
    label: str
    year_rule: str  # school_year | spring | fiscal (see Metric.YearRule)
    measures: tuple[Measure, ...]
    key: tuple[str, ...]  # headers (of measures) that identify the layout
    title: str = ""  # a regex the title row matches (case-insensitive)
    hints: str = ""  # a regex the title, file name or folder name matches, to tell apart equal headers
    by_subject: bool = False  # rows per subject (Subject column); metric codes carry `{subject}`


def _m(header: str, metric: str, type: str = "pct", *aliases: str, n: str = "") -> Measure:
    return Measure(header, metric, type, tuple(aliases), n)


def _graduation(years: int) -> Report:
    p = f"grad_{years}yr"
    cohort = "# in Cohort"
    return Report(
        slug=f"dese-graduation-{years}yr",
        label=f"DESE graduation rate ({years}-year)",
        year_rule="spring",
        key=("% Graduated",),
        title=r"graduation rate",
        hints=rf"(?<!\d){years}[\s_-]*(-?year|yr)",
        measures=(
            _m(cohort, f"{p}_cohort", "count"),
            _m("% Graduated", f"{p}_pct", n=cohort),
            _m("% Still in School", f"{p}_still_in_school_pct", n=cohort),
            _m("% Non-Grad Completers", f"{p}_non_grad_completer_pct", n=cohort),
            _m("% H.S. Equiv.", f"{p}_hs_equiv_pct", n=cohort),
            _m("% Dropped Out", f"{p}_dropped_out_pct", n=cohort),
            _m("% Permanently Excluded", f"{p}_excluded_pct", n=cohort),
        ),
    )


_GRADE_HEADERS = [("PK", "pk"), ("K", "k")] + [(str(g), f"{g:02d}") for g in range(1, 13)] + [("SP", "sp")]

REPORTS: tuple[Report, ...] = (
    Report(
        slug="dese-enrollment-by-grade",
        label="DESE enrollment by grade",
        year_rule="school_year",
        key=("PK", "K", "Total"),
        title=r"enrollment by grade",
        measures=(
            *(
                _m(h, f"enrollment_{code}", "count", *((f"G{h}", f"Grade {h}") if h.isdigit() else ()))
                for h, code in _GRADE_HEADERS
            ),
            _m("Total", "enrollment_total", "count"),
        ),
    ),
    Report(
        slug="dese-attendance",
        label="DESE attendance",
        year_rule="school_year",
        key=("Attendance Rate",),
        title=r"attendance",
        measures=(
            _m("Attendance Rate", "attendance_rate"),
            _m("Average # of Absences", "absences_avg", "score"),
            _m("Absent 10 or more days", "absent_10_days_pct"),
            _m("Chronically Absent (10% or more)", "chronic_absence_10_pct"),
            _m("Chronically Absent (20% or more)", "chronic_absence_20_pct"),
            _m("Unexcused > 9 days", "unexcused_9_days_pct"),
        ),
    ),
    Report(
        slug="dese-dropout",
        label="DESE dropout report",
        year_rule="school_year",
        key=("% Dropout All Grades",),
        title=r"dropout",
        measures=(
            _m("# Enrolled Grades 09 through 12", "dropout_enrolled", "count"),
            _m("# Dropout All Grades", "dropout_count", "count"),
            _m("% Dropout All Grades", "dropout_pct", n="# Enrolled Grades 09 through 12"),
            _m("% Dropout Grade 09", "dropout_g09_pct"),
            _m("% Dropout Grade 10", "dropout_g10_pct"),
            _m("% Dropout Grade 11", "dropout_g11_pct"),
            _m("% Dropout Grade 12", "dropout_g12_pct"),
        ),
    ),
    _graduation(4),
    _graduation(5),
    Report(
        slug="dese-mcas",
        label="DESE Next-Generation MCAS achievement",
        year_rule="spring",
        key=("M+E %", "SGP"),
        title=r"mcas",
        by_subject=True,
        measures=(
            _m("M+E #", "mcas_{subject}_me_count", "count"),
            _m("M+E %", "mcas_{subject}_me_pct", n="No. of Students Included"),
            _m("E #", "mcas_{subject}_e_count", "count"),
            _m("E %", "mcas_{subject}_e_pct", n="No. of Students Included"),
            _m("M #", "mcas_{subject}_m_count", "count"),
            _m("M %", "mcas_{subject}_m_pct", n="No. of Students Included"),
            _m("PM #", "mcas_{subject}_pm_count", "count"),
            _m("PM %", "mcas_{subject}_pm_pct", n="No. of Students Included"),
            _m("NM #", "mcas_{subject}_nm_count", "count"),
            _m("NM %", "mcas_{subject}_nm_pct", n="No. of Students Included"),
            _m(
                "No. of Students Included",
                "mcas_{subject}_included",
                "count",
                "Student Included",
                "Students Included",
            ),
            _m("Part. Rate %", "mcas_{subject}_participation_pct"),
            _m("Avg. Scaled Score", "mcas_{subject}_scaled_score", "score"),
            _m("SGP", "mcas_{subject}_sgp", n="Included In SGP"),
            _m("Included In SGP", "mcas_{subject}_sgp_included", "count"),
            _m("Ach. PCTL", "mcas_{subject}_achievement_pctl"),
        ),
    ),
    Report(
        slug="dese-sat",
        label="DESE SAT performance",
        year_rule="school_year",
        key=("Tests Taken", "Math"),
        title=r"\bsat\b",
        measures=(
            _m("Tests Taken", "sat_tests_taken", "count"),
            _m("Reading / Writing", "sat_ebrw_mean", "score", "EBRW"),
            _m("Writing", "sat_writing_mean", "score"),
            _m("Math", "sat_math_mean", "score"),
        ),
    ),
    Report(
        slug="dese-teacher-data",
        label="DESE teacher data",
        year_rule="school_year",
        key=("Total # of Teachers (FTE)",),
        title=r"teacher data",
        measures=(
            _m("Total # of Teachers (FTE)", "teacher_fte", "count"),
            _m("% of Teachers Licensed", "teachers_licensed_pct", "pct", "Percent of Teachers Licensed"),
            _m("Student / Teacher Ratio", "student_teacher_ratio", "ratio"),
            _m(
                "Percent of Experienced Teachers",
                "teachers_experienced_pct",
                "pct",
                "% of Experienced Teachers",
            ),
            _m("Percent of Teachers without Waiver or Provisional License", "teachers_no_waiver_pct"),
            _m("Percent Teaching In-Field", "teachers_in_field_pct"),
        ),
    ),
    Report(
        slug="dese-teacher-fte-by-grade",
        label="DESE teacher FTE by grade",
        year_rule="school_year",
        key=("PK-2 (#)", "FTE Count"),
        title=r"teacher.*grade",
        measures=(
            _m("PK-2 (#)", "teacher_fte_pk_2", "count"),
            _m("3-5 (#)", "teacher_fte_3_5", "count"),
            _m("6-8 (#)", "teacher_fte_6_8", "count"),
            _m("9-12 (#)", "teacher_fte_9_12", "count"),
            _m("Multiple Grades (#)", "teacher_fte_multiple_grades", "count"),
            _m("All Grades (#)", "teacher_fte_all_grades", "count"),
            _m("FTE Count", "teacher_fte_by_grade_total", "count"),
        ),
    ),
    Report(
        slug="dese-teacher-salaries",
        label="DESE teacher salaries",
        year_rule="school_year",
        key=("Average Salary",),
        title=r"salar",
        measures=(
            _m("Salary Totals", "teacher_salary_total", "number"),
            _m("Average Salary", "teacher_salary_avg", "number"),
            _m("FTE Count", "teacher_salary_fte", "count"),
        ),
    ),
    Report(
        slug="dese-staffing-retention",
        label="DESE staffing retention",
        year_rule="spring",
        key=("Principal % Retained", "Teacher % Retained"),
        title=r"retention",
        measures=(
            _m("Superintendent Total", "superintendent_total", "count"),
            _m("Superintendent # Retained", "superintendent_retained", "count"),
            _m("Superintendent % Retained", "superintendent_retained_pct", n="Superintendent Total"),
            _m("Principal Total", "principal_total", "count"),
            _m("Principal # Retained", "principal_retained", "count"),
            _m("Principal % Retained", "principal_retained_pct", n="Principal Total"),
            _m("Teacher Total", "teacher_total", "count"),
            _m("Teacher # Retained", "teacher_retained", "count"),
            _m("Teacher % Retained", "teacher_retained_pct", n="Teacher Total"),
        ),
    ),
    Report(
        slug="dese-educator-evaluation",
        label="DESE educator evaluation performance",
        year_rule="school_year",
        key=("% Exemplary", "% Proficient"),
        title=r"evaluation",
        measures=(
            _m("# of Educators to be Evaluated", "eval_to_evaluate", "count"),
            _m("# Evaluated", "eval_evaluated", "count"),
            _m("% Evaluated", "eval_evaluated_pct", n="# of Educators to be Evaluated"),
            _m("% Exemplary", "eval_exemplary_pct", n="# Evaluated"),
            _m("% Proficient", "eval_proficient_pct", n="# Evaluated"),
            _m("% Needs Improvement", "eval_needs_improvement_pct", n="# Evaluated"),
            _m("% Unsatisfactory", "eval_unsatisfactory_pct", n="# Evaluated"),
        ),
    ),
    Report(
        slug="dese-class-size",
        label="DESE class size",
        year_rule="school_year",
        key=("Average Class Size",),
        title=r"class size",
        measures=(
            _m("Total # of Classes", "classes_total", "count"),
            _m("Average Class Size", "class_size_avg", "score"),
            _m("Number of Students", "class_students", "count"),
            _m("Female %", "class_female_pct", n="Number of Students"),
            _m("Male %", "class_male_pct", n="Number of Students"),
            _m("English Language Learner %", "class_el_pct", n="Number of Students"),
            _m("Students with Disabilities %", "class_swd_pct", n="Number of Students"),
            _m("Economically Disadvantaged %", "class_econ_disadvantaged_pct", n="Number of Students"),
        ),
    ),
    Report(
        slug="dese-student-discipline",
        label="DESE student discipline",
        year_rule="school_year",
        key=("Students Disciplined",),
        title=r"discipline",
        measures=(
            _m("Students", "discipline_students", "count"),
            _m("Students Disciplined", "disciplined_count", "count"),
            _m("% 1 Day", "discipline_1_day_pct"),
            _m("% 2 to 3 Days", "discipline_2_3_days_pct"),
            _m("% 4 to 7 Days", "discipline_4_7_days_pct"),
            _m("% 8 to 10 Days", "discipline_8_10_days_pct"),
            _m("% > 10 Days", "discipline_over_10_days_pct"),
        ),
    ),
    Report(
        slug="dese-grade9-course-pass",
        label="DESE grade nine course passing",
        year_rule="school_year",
        key=("% Passing All Courses",),
        title=r"grade nine|grade 9",
        measures=(
            _m("# Grade Nine Students", "grade9_students", "count"),
            _m("# Passing All Courses", "grade9_passing_all", "count"),
            _m("% Passing All Courses", "grade9_passing_all_pct", n="# Grade Nine Students"),
        ),
    ),
    Report(
        slug="dese-plans-of-graduates",
        label="DESE plans of high school graduates",
        year_rule="school_year",
        key=("4 Year Private College", "Military"),
        title=r"plans",
        measures=(
            _m("4 Year Private College", "plans_4yr_private_pct"),
            _m("4 Year Public College", "plans_4yr_public_pct"),
            _m("2 Year Private College", "plans_2yr_private_pct"),
            _m("2 Year Public College", "plans_2yr_public_pct"),
            _m("Other Post Secondary", "plans_other_postsecondary_pct"),
            _m("Apprenticeship", "plans_apprenticeship_pct"),
            _m("Work", "plans_work_pct"),
            _m("Military", "plans_military_pct"),
            _m("Other", "plans_other_pct"),
            _m("Unknown", "plans_unknown_pct"),
            _m("Total Count", "plans_graduates", "count", "Total"),
        ),
    ),
    Report(
        slug="dese-graduates-attending-college",
        label="DESE graduates attending higher education",
        year_rule="school_year",
        key=("Attending Coll./Univ. (%)",),
        title=r"higher education|college",
        measures=(
            _m("High School Graduates (#)", "college_graduates", "count"),
            _m("Attending Coll./Univ. (#)", "college_attending", "count"),
            _m("Attending Coll./Univ. (%)", "college_attending_pct", n="High School Graduates (#)"),
            _m("Private Two-Year (%)", "college_private_2yr_pct"),
            _m("Private Four-Year (%)", "college_private_4yr_pct"),
            _m("Public Two-Year (%)", "college_public_2yr_pct"),
            _m("Public Four-Year (%)", "college_public_4yr_pct"),
            _m("MA Community College (%)", "college_ma_community_pct"),
            _m("MA State University (%)", "college_ma_state_univ_pct"),
            _m("Univ.of Mass. (%)", "college_umass_pct"),
        ),
    ),
    Report(
        slug="dese-net-school-spending",
        label="DESE Chapter 70 net school spending",
        year_rule="fiscal",
        key=("Required NSS", "Actual NSS"),
        title=r"net school spending|chapter 70",
        measures=(
            _m("Required NSS", "nss_required", "number"),
            _m("Actual NSS", "nss_actual", "number"),
            _m("Amount Over or Under Required", "nss_over_under", "number"),
            _m("Actual NSS as % of Required", "nss_pct_of_required", "pct_any"),
            _m("Foundation Budget", "foundation_budget", "number"),
            _m("Public Actual NSS as % of Foundation", "nss_pct_of_foundation", "pct_any"),
        ),
    ),
    Report(
        slug="dese-per-pupil-expenditures",
        label="DESE per-pupil expenditures",
        year_rule="fiscal",
        key=("Total Expenditures per Pupil",),
        title=r"per pupil",
        measures=(
            _m("In-District Expenditures", "ppx_in_district_expenditures", "number"),
            _m("Total In-district FTEs", "ppx_in_district_fte", "count"),
            _m("In-District Expenditures per Pupil", "per_pupil_expenditure_in_district", "number"),
            _m("Total Expenditures", "ppx_total_expenditures", "number"),
            _m("Total Pupil FTEs", "ppx_total_fte", "count"),
            _m("Total Expenditures per Pupil", "per_pupil_expenditure", "number"),
        ),
    ),
)
