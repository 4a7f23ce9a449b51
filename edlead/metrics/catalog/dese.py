"""Metrics from DESE report exports (School and District Profiles), district and school level alike.

The same concept has the same code at every level, so a school compares with its district and the
state. Each report's year rule says how its own year label maps to a school year (see
`Metric.YearRule`): a single-year label is the spring (or fiscal year) that ends the school year; a
`2022-23` label is itself. The importers are declared in `edlead.metrics.kinds.dese_reports`.
"""

from __future__ import annotations

from edlead.metrics.catalog import MetricSpec

ALL = ("all",)

# unit, direction shorthands
PCT, COUNT, RATIO, DOLLARS, SCORE, PCTL, FTE, DAYS = (
    "percent",
    "count",
    "ratio",
    "dollars",
    "score",
    "percentile",
    "fte",
    "days",
)
UP, DOWN, FLAT = "higher", "lower", "neutral"


def _report(
    source_report: str,
    category: str,
    *,
    grade_span: str = "",
    subject: str = "students",
    year_rule: str = "school_year",
    items: list[tuple[str, str, str, str, str]],
) -> list[MetricSpec]:
    """items: (code, name, unit, direction, definition)."""
    out = []
    for code, name, unit, direction, definition in items:
        decimals = 0 if unit in (COUNT, SCORE, PCTL) else (2 if unit == DOLLARS else 1)
        out.append(
            MetricSpec(
                code=code,
                name=name,
                unit=unit,
                direction=direction,
                definition=definition,
                category=category,
                source_report=source_report,
                grade_span=grade_span,
                groups_available=ALL,
                subject=subject,
                year_rule=year_rule,
                decimals=decimals,
            )
        )
    return out


_GRADES = ["PK", "K", *[f"{g:02d}" for g in range(1, 13)], "SP"]


def _enrollment() -> list[tuple[str, str, str, str, str]]:
    items = []
    for g in _GRADES:
        label = {"PK": "pre-kindergarten", "K": "kindergarten", "SP": "special (ungraded)"}.get(
            g, f"grade {int(g) if g.isdigit() else g}"
        )
        items.append(
            (
                f"enrollment_{g.lower()}",
                f"Enrollment, {label}",
                COUNT,
                FLAT,
                f"Students enrolled in {label} on October 1.",
            )
        )
    items.append(
        ("enrollment_total", "Enrollment, total", COUNT, FLAT, "Students enrolled on October 1, all grades.")
    )
    return items


def _graduation(years: int) -> list[tuple[str, str, str, str, str]]:
    p = f"grad_{years}yr"
    c = f"{years}-year cohort"
    return [
        (
            f"{p}_cohort",
            f"Students in the {c}",
            COUNT,
            FLAT,
            f"Students in the {c} (first-time 9th graders {years} years earlier, adjusted for transfers).",
        ),
        (
            f"{p}_pct",
            f"{years}-year graduation rate",
            PCT,
            UP,
            f"% of the {c} who graduated within {years} years.",
        ),
        (
            f"{p}_still_in_school_pct",
            f"Still in school ({years}-year cohort)",
            PCT,
            FLAT,
            f"% of the {c} still enrolled.",
        ),
        (
            f"{p}_non_grad_completer_pct",
            f"Non-graduate completers ({years}-year cohort)",
            PCT,
            FLAT,
            f"% of the {c} who completed without a diploma.",
        ),
        (
            f"{p}_hs_equiv_pct",
            f"High school equivalency ({years}-year cohort)",
            PCT,
            FLAT,
            f"% of the {c} who earned a high school equivalency.",
        ),
        (
            f"{p}_dropped_out_pct",
            f"Dropped out ({years}-year cohort)",
            PCT,
            DOWN,
            f"% of the {c} who dropped out.",
        ),
        (
            f"{p}_excluded_pct",
            f"Permanently excluded ({years}-year cohort)",
            PCT,
            DOWN,
            f"% of the {c} permanently excluded.",
        ),
    ]


MCAS_SUBJECTS = {"ela": "ELA", "math": "Mathematics", "science": "Science"}


def _mcas() -> list[MetricSpec]:
    out: list[MetricSpec] = []
    for subject, label in MCAS_SUBJECTS.items():
        p = f"mcas_{subject}"
        levels = [
            ("me", "meeting or exceeding expectations", UP),
            ("e", "exceeding expectations", UP),
            ("m", "meeting expectations", UP),
            ("pm", "partially meeting expectations", DOWN),
            ("nm", "not meeting expectations", DOWN),
        ]
        items: list[tuple[str, str, str, str, str]] = []
        for code, words, direction in levels:
            items.append(
                (
                    f"{p}_{code}_pct",
                    f"MCAS {label}: % {words}",
                    PCT,
                    direction,
                    f"% of students tested in {label} {words}.",
                )
            )
            items.append(
                (
                    f"{p}_{code}_count",
                    f"MCAS {label}: # {words}",
                    COUNT,
                    FLAT,
                    f"Students tested in {label} {words}.",
                )
            )
        items += [
            (
                f"{p}_included",
                f"MCAS {label}: students included",
                COUNT,
                FLAT,
                f"Students whose {label} results are included.",
            ),
            (
                f"{p}_participation_pct",
                f"MCAS {label}: participation rate",
                PCT,
                UP,
                f"% of enrolled students who took the {label} test.",
            ),
            (
                f"{p}_scaled_score",
                f"MCAS {label}: average scaled score",
                SCORE,
                UP,
                "Average next-generation scaled score (440–560).",
            ),
            (
                f"{p}_sgp",
                f"MCAS {label}: median SGP",
                PCTL,
                UP,
                "Median student growth percentile (1–99; grades 4–8 and 10).",
            ),
            (
                f"{p}_sgp_included",
                f"MCAS {label}: students included in SGP",
                COUNT,
                FLAT,
                "Students with a growth percentile.",
            ),
            (
                f"{p}_achievement_pctl",
                f"MCAS {label}: achievement percentile",
                PCTL,
                UP,
                "The school's achievement percentile among schools in the state.",
            ),
        ]
        out += _report(
            "Next Generation MCAS Achievement Results",
            "MCAS",
            grade_span="3–8, 10",
            year_rule="spring",
            items=items,
        )
    return out


METRICS: list[MetricSpec] = [
    *_report(
        "Enrollment by Grade",
        "Enrollment",
        grade_span="PK–12",
        items=_enrollment(),
    ),
    *_report(
        "Attendance",
        "Attendance",
        items=[
            (
                "attendance_rate",
                "Attendance rate",
                PCT,
                UP,
                "Average % of days enrolled that students attended.",
            ),
            ("absences_avg", "Average absences", DAYS, DOWN, "Average number of days absent per student."),
            (
                "absent_10_days_pct",
                "Absent 10 or more days",
                PCT,
                DOWN,
                "% of students absent 10 or more days.",
            ),
            (
                "chronic_absence_10_pct",
                "Chronically absent (10% or more)",
                PCT,
                DOWN,
                "% of students missing at least 10% of the days they were enrolled, for any reason.",
            ),
            (
                "chronic_absence_20_pct",
                "Chronically absent (20% or more)",
                PCT,
                DOWN,
                "% of students missing at least 20% of the days they were enrolled.",
            ),
            (
                "unexcused_9_days_pct",
                "Unexcused absences over 9 days",
                PCT,
                DOWN,
                "% of students with more than 9 unexcused absences.",
            ),
        ],
    ),
    *_report(
        "Dropout Report",
        "Dropout",
        grade_span="9–12",
        items=[
            (
                "dropout_enrolled",
                "Enrolled in grades 9–12",
                COUNT,
                FLAT,
                "Students enrolled in grades 9 through 12.",
            ),
            (
                "dropout_count",
                "Dropouts",
                COUNT,
                DOWN,
                "Students in grades 9–12 who dropped out during the year.",
            ),
            (
                "dropout_pct",
                "Dropout rate",
                PCT,
                DOWN,
                "% of students in grades 9–12 who dropped out during the year.",
            ),
            ("dropout_g09_pct", "Dropout rate, grade 9", PCT, DOWN, "% of 9th graders who dropped out."),
            ("dropout_g10_pct", "Dropout rate, grade 10", PCT, DOWN, "% of 10th graders who dropped out."),
            ("dropout_g11_pct", "Dropout rate, grade 11", PCT, DOWN, "% of 11th graders who dropped out."),
            ("dropout_g12_pct", "Dropout rate, grade 12", PCT, DOWN, "% of 12th graders who dropped out."),
        ],
    ),
    *_report(
        "Graduation Rate (4-year)", "Graduation", grade_span="9–12", year_rule="spring", items=_graduation(4)
    ),
    *_report(
        "Graduation Rate (5-year)", "Graduation", grade_span="9–12", year_rule="spring", items=_graduation(5)
    ),
    *_mcas(),
    *_report(
        "SAT Performance",
        "College readiness",
        grade_span="11–12",
        items=[
            ("sat_tests_taken", "SAT tests taken", COUNT, FLAT, "SAT tests taken by the year's students."),
            (
                "sat_ebrw_mean",
                "SAT evidence-based reading and writing, mean",
                SCORE,
                UP,
                "Mean SAT reading / writing score (200–800).",
            ),
            (
                "sat_writing_mean",
                "SAT writing (essay), mean",
                SCORE,
                UP,
                "Mean SAT writing score, where reported.",
            ),
            ("sat_math_mean", "SAT math, mean", SCORE, UP, "Mean SAT math score (200–800)."),
        ],
    ),
    *_report(
        "Teacher Data",
        "Teachers",
        subject="staff",
        items=[
            ("teacher_fte", "Teachers (FTE)", FTE, FLAT, "Teachers, in full-time equivalents."),
            (
                "teachers_licensed_pct",
                "Teachers licensed",
                PCT,
                UP,
                "% of teachers licensed in their teaching assignment.",
            ),
            (
                "student_teacher_ratio",
                "Student / teacher ratio",
                RATIO,
                DOWN,
                "Students per teacher FTE (DESE's “11.3 to 1” is stored as 11.3).",
            ),
            (
                "teachers_experienced_pct",
                "Experienced teachers",
                PCT,
                UP,
                "% of teachers with at least three years in the district.",
            ),
            (
                "teachers_no_waiver_pct",
                "Teachers without waiver or provisional license",
                PCT,
                UP,
                "% of teachers without a waiver or provisional license.",
            ),
            (
                "teachers_in_field_pct",
                "Teaching in-field",
                PCT,
                UP,
                "% of teachers teaching in the field of their license.",
            ),
        ],
    ),
    *_report(
        "Teacher FTE by Grade",
        "Teachers",
        subject="staff",
        items=[
            (
                "teacher_fte_pk_2",
                "Teacher FTE, grades PK–2",
                FTE,
                FLAT,
                "Teacher FTE assigned to grades PK–2.",
            ),
            ("teacher_fte_3_5", "Teacher FTE, grades 3–5", FTE, FLAT, "Teacher FTE assigned to grades 3–5."),
            ("teacher_fte_6_8", "Teacher FTE, grades 6–8", FTE, FLAT, "Teacher FTE assigned to grades 6–8."),
            (
                "teacher_fte_9_12",
                "Teacher FTE, grades 9–12",
                FTE,
                FLAT,
                "Teacher FTE assigned to grades 9–12.",
            ),
            (
                "teacher_fte_multiple_grades",
                "Teacher FTE, multiple grades",
                FTE,
                FLAT,
                "Teacher FTE assigned to several grade spans.",
            ),
            (
                "teacher_fte_all_grades",
                "Teacher FTE, all grades",
                FTE,
                FLAT,
                "Teacher FTE assigned to all grades.",
            ),
            (
                "teacher_fte_by_grade_total",
                "Teacher FTE (grade report total)",
                FTE,
                FLAT,
                "Teacher FTE, total of the teacher-FTE-by-grade report.",
            ),
        ],
    ),
    *_report(
        "Teacher Salaries",
        "Teachers",
        subject="finance",
        items=[
            ("teacher_salary_total", "Teacher salaries, total", DOLLARS, FLAT, "Total teacher salaries."),
            ("teacher_salary_avg", "Average teacher salary", DOLLARS, FLAT, "Average teacher salary."),
            (
                "teacher_salary_fte",
                "Teacher FTE (salary report)",
                FTE,
                FLAT,
                "Teacher FTE counted in the salary report.",
            ),
        ],
    ),
    *_report(
        "Staffing Retention",
        "Staff retention",
        subject="staff",
        year_rule="spring",
        items=[
            ("superintendent_total", "Superintendents", COUNT, FLAT, "Superintendents in the base year."),
            (
                "superintendent_retained",
                "Superintendents retained",
                COUNT,
                FLAT,
                "Superintendents still in the role the next year.",
            ),
            (
                "superintendent_retained_pct",
                "Superintendent % retained",
                PCT,
                UP,
                "% of superintendents retained.",
            ),
            ("principal_total", "Principals", COUNT, FLAT, "Principals in the base year."),
            (
                "principal_retained",
                "Principals retained",
                COUNT,
                FLAT,
                "Principals still in the role the next year.",
            ),
            (
                "principal_retained_pct",
                "Principal % retained",
                PCT,
                UP,
                "% of principals retained (100 minus it is leader turnover).",
            ),
            ("teacher_total", "Teachers (retention base)", COUNT, FLAT, "Teachers in the base year."),
            (
                "teacher_retained",
                "Teachers retained",
                COUNT,
                FLAT,
                "Teachers still teaching in the district the next year.",
            ),
            ("teacher_retained_pct", "Teacher % retained", PCT, UP, "% of teachers retained."),
        ],
    ),
    *_report(
        "Educator Evaluation Performance",
        "Educator evaluation",
        subject="staff",
        items=[
            ("eval_to_evaluate", "Educators to be evaluated", COUNT, FLAT, "Educators due an evaluation."),
            ("eval_evaluated", "Educators evaluated", COUNT, FLAT, "Educators evaluated."),
            (
                "eval_evaluated_pct",
                "% evaluated",
                PCT,
                UP,
                "% of educators due an evaluation who were evaluated.",
            ),
            ("eval_exemplary_pct", "% Exemplary", PCT, FLAT, "% of evaluated educators rated Exemplary."),
            ("eval_proficient_pct", "% Proficient", PCT, FLAT, "% of evaluated educators rated Proficient."),
            (
                "eval_needs_improvement_pct",
                "% Needs Improvement",
                PCT,
                FLAT,
                "% of evaluated educators rated Needs Improvement.",
            ),
            (
                "eval_unsatisfactory_pct",
                "% Unsatisfactory",
                PCT,
                FLAT,
                "% of evaluated educators rated Unsatisfactory.",
            ),
        ],
    ),
    *_report(
        "Class Size by Gender and Selected Populations",
        "Class size",
        items=[
            ("classes_total", "Classes", COUNT, FLAT, "Classes counted."),
            ("class_size_avg", "Average class size", COUNT, DOWN, "Average number of students per class."),
            ("class_students", "Students in classes", COUNT, FLAT, "Students counted in classes."),
            ("class_female_pct", "Female %", PCT, FLAT, "% of students in classes who are female."),
            ("class_male_pct", "Male %", PCT, FLAT, "% of students in classes who are male."),
            (
                "class_el_pct",
                "English learners %",
                PCT,
                FLAT,
                "% of students in classes who are English learners.",
            ),
            (
                "class_swd_pct",
                "Students with disabilities %",
                PCT,
                FLAT,
                "% of students in classes with disabilities.",
            ),
            (
                "class_econ_disadvantaged_pct",
                "Economically disadvantaged %",
                PCT,
                FLAT,
                "% of students in classes who are economically disadvantaged.",
            ),
        ],
    ),
    *_report(
        "Student Discipline",
        "Discipline",
        items=[
            ("discipline_students", "Students (discipline report)", COUNT, FLAT, "Students enrolled."),
            (
                "disciplined_count",
                "Students disciplined",
                COUNT,
                DOWN,
                "Students suspended or expelled at least once.",
            ),
            (
                "discipline_1_day_pct",
                "Disciplined: 1 day",
                PCT,
                DOWN,
                "% of students with 1 day of suspension or expulsion.",
            ),
            (
                "discipline_2_3_days_pct",
                "Disciplined: 2 to 3 days",
                PCT,
                DOWN,
                "% of students with 2–3 days.",
            ),
            (
                "discipline_4_7_days_pct",
                "Disciplined: 4 to 7 days",
                PCT,
                DOWN,
                "% of students with 4–7 days.",
            ),
            (
                "discipline_8_10_days_pct",
                "Disciplined: 8 to 10 days",
                PCT,
                DOWN,
                "% of students with 8–10 days.",
            ),
            (
                "discipline_over_10_days_pct",
                "Disciplined: more than 10 days",
                PCT,
                DOWN,
                "% of students with more than 10 days.",
            ),
        ],
    ),
    *_report(
        "Grade Nine Course Passing",
        "Course passing",
        grade_span="9",
        items=[
            ("grade9_students", "Grade 9 students", COUNT, FLAT, "Students in grade 9."),
            (
                "grade9_passing_all",
                "Grade 9 students passing all courses",
                COUNT,
                UP,
                "Grade 9 students who passed every course.",
            ),
            (
                "grade9_passing_all_pct",
                "Grade 9 passing all courses",
                PCT,
                UP,
                "% of grade 9 students who passed every course.",
            ),
        ],
    ),
    *_report(
        "Plans of High School Graduates",
        "Plans of graduates",
        grade_span="12",
        items=[
            (
                "plans_4yr_private_pct",
                "Plans: 4-year private college",
                PCT,
                FLAT,
                "% of graduates planning a 4-year private college.",
            ),
            (
                "plans_4yr_public_pct",
                "Plans: 4-year public college",
                PCT,
                FLAT,
                "% of graduates planning a 4-year public college.",
            ),
            (
                "plans_2yr_private_pct",
                "Plans: 2-year private college",
                PCT,
                FLAT,
                "% of graduates planning a 2-year private college.",
            ),
            (
                "plans_2yr_public_pct",
                "Plans: 2-year public college",
                PCT,
                FLAT,
                "% of graduates planning a 2-year public college.",
            ),
            (
                "plans_other_postsecondary_pct",
                "Plans: other post-secondary",
                PCT,
                FLAT,
                "% of graduates planning other post-secondary education.",
            ),
            (
                "plans_apprenticeship_pct",
                "Plans: apprenticeship",
                PCT,
                FLAT,
                "% of graduates planning an apprenticeship.",
            ),
            ("plans_work_pct", "Plans: work", PCT, FLAT, "% of graduates planning to work."),
            ("plans_military_pct", "Plans: military", PCT, FLAT, "% of graduates planning military service."),
            ("plans_other_pct", "Plans: other", PCT, FLAT, "% of graduates with other plans."),
            ("plans_unknown_pct", "Plans: unknown", PCT, DOWN, "% of graduates whose plans are unknown."),
            ("plans_graduates", "Graduates (plans report)", COUNT, FLAT, "High school graduates counted."),
        ],
    ),
    *_report(
        "Graduates Attending Institutions of Higher Education",
        "College enrollment",
        grade_span="12",
        items=[
            ("college_graduates", "High school graduates", COUNT, FLAT, "High school graduates of the year."),
            (
                "college_attending",
                "Graduates attending college",
                COUNT,
                UP,
                "Graduates enrolled in a college or university.",
            ),
            (
                "college_attending_pct",
                "Graduates attending college %",
                PCT,
                UP,
                "% of graduates enrolled in a college or university.",
            ),
            (
                "college_private_2yr_pct",
                "Attending: private 2-year",
                PCT,
                FLAT,
                "% of college-goers at private two-year institutions.",
            ),
            (
                "college_private_4yr_pct",
                "Attending: private 4-year",
                PCT,
                FLAT,
                "% of college-goers at private four-year institutions.",
            ),
            (
                "college_public_2yr_pct",
                "Attending: public 2-year",
                PCT,
                FLAT,
                "% of college-goers at public two-year institutions.",
            ),
            (
                "college_public_4yr_pct",
                "Attending: public 4-year",
                PCT,
                FLAT,
                "% of college-goers at public four-year institutions.",
            ),
            (
                "college_ma_community_pct",
                "Attending: MA community college",
                PCT,
                FLAT,
                "% of college-goers at a Massachusetts community college.",
            ),
            (
                "college_ma_state_univ_pct",
                "Attending: MA state university",
                PCT,
                FLAT,
                "% of college-goers at a Massachusetts state university.",
            ),
            (
                "college_umass_pct",
                "Attending: UMass",
                PCT,
                FLAT,
                "% of college-goers at the University of Massachusetts.",
            ),
        ],
    ),
    *_report(
        "Chapter 70 Foundation Budget and Net School Spending",
        "Finance",
        subject="finance",
        year_rule="fiscal",
        items=[
            (
                "nss_required",
                "Required net school spending",
                DOLLARS,
                FLAT,
                "Net school spending required under Chapter 70.",
            ),
            ("nss_actual", "Actual net school spending", DOLLARS, FLAT, "Actual net school spending."),
            (
                "nss_over_under",
                "Spending over (under) requirement",
                DOLLARS,
                FLAT,
                "Actual minus required net school spending.",
            ),
            (
                "nss_pct_of_required",
                "Actual NSS as % of required",
                PCT,
                UP,
                "Actual net school spending as a % of the requirement (may exceed 100).",
            ),
            ("foundation_budget", "Foundation budget", DOLLARS, FLAT, "Chapter 70 foundation budget."),
            (
                "nss_pct_of_foundation",
                "Actual NSS as % of foundation",
                PCT,
                UP,
                "Actual net school spending as a % of the foundation budget (may exceed 100).",
            ),
        ],
    ),
    *_report(
        "Per Pupil Expenditures, All Funds",
        "Finance",
        subject="finance",
        year_rule="fiscal",
        items=[
            (
                "ppx_in_district_expenditures",
                "In-district expenditures",
                DOLLARS,
                FLAT,
                "Expenditures for students educated in the district.",
            ),
            (
                "ppx_in_district_fte",
                "In-district pupil FTEs",
                FTE,
                FLAT,
                "Pupil FTEs educated in the district.",
            ),
            (
                "per_pupil_expenditure_in_district",
                "In-district expenditure per pupil",
                DOLLARS,
                FLAT,
                "In-district expenditures per in-district pupil FTE.",
            ),
            (
                "ppx_total_expenditures",
                "Total expenditures",
                DOLLARS,
                FLAT,
                "All expenditures, including tuition paid out of district.",
            ),
            ("ppx_total_fte", "Total pupil FTEs", FTE, FLAT, "All pupil FTEs."),
            (
                "per_pupil_expenditure",
                "Per-pupil expenditure",
                DOLLARS,
                FLAT,
                "Total expenditures per pupil FTE, all funds.",
            ),
        ],
    ),
]
