"""DESE report imports: small files written here for every rule and bad input; the real folder at the end."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from edlead.imports.tests.helpers import csv_to_xlsx, last_line, run_import, write_csv
from edlead.lib.schoolyears import SchoolYear
from edlead.metrics.catalog import dese as dese_catalog
from edlead.metrics.kinds.dese import DESE_KINDS, school_name, year_from_label
from edlead.metrics.models import Fact, Metric
from edlead.orgs.models import Organization
from edlead.testing import make_district, make_school, make_state

DATA = settings.BASE_DIR.parent / "shared" / "data" / "dese"
GRAD_HEADER = [
    "School Name",
    "School Code",
    "# in Cohort",
    "% Graduated",
    "% Still in School",
    "% Non-Grad Completers",
    "% H.S. Equiv.",
    "% Dropped Out",
    "% Permanently Excluded",
]
ATT_HEADER = [
    "District Name",
    "District Code",
    "Attendance Rate",
    "Average # of Absences",
    "Absent 10 or more days",
    "Chronically Absent (10% or more)",
    "Chronically Absent (20% or more)",
    "Unexcused > 9 days",
]
ATT_TITLE = ["2023-24 (March) Attendance (District)  - All Students", "", "", "", "", "", "", ""]


def facts(metric: str | None = None) -> dict[tuple[str, int, str], Decimal | None]:
    rows = Fact.objects.select_related("organization", "metric")
    if metric:
        rows = rows.filter(metric__code=metric)
    return {(f.organization.code or "state", f.school_year, f.metric.code): f.value for f in rows}


def value(code: str | None, metric: str, year: int) -> Decimal | None:
    org = Organization.objects.get(code=code) if code else make_state()
    return Fact.objects.get(organization=org, metric__code=metric, school_year=year).value


@pytest.fixture
def orgs(db: Any) -> dict[str, Organization]:
    abington = make_district("Abington", code="00010000")
    acton = make_district("Acton-Boxborough", code="06000000")
    return {
        "abington": abington,
        "acton": acton,
        "abington_high": make_school(abington, "Abington High", code="00010505"),
    }


# --- Catalog and declarations ----------------------------------------------------------------------
def test_every_declared_metric_is_in_the_catalog_with_the_reports_year_rule() -> None:
    catalog = {m.code: m for m in dese_catalog.METRICS}
    assert len(catalog) == len(dese_catalog.METRICS), "metric codes are unique"
    for kind in DESE_KINDS:
        for measure in kind.report.measures:
            codes = (
                [measure.metric.format(subject=s) for s in dese_catalog.MCAS_SUBJECTS]
                if "{subject}" in measure.metric
                else [measure.metric]
            )
            for code in codes:
                assert code in catalog, f"{kind.slug}: {code} is not in the catalog"
                assert catalog[code].year_rule == kind.report.year_rule, code
    for spec in dese_catalog.METRICS:
        assert spec.unit in Metric.Unit.values and spec.direction in Metric.Direction.values
        assert spec.subject in Metric.Subject.values and spec.year_rule in Metric.YearRule.values


# --- Year rules ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("label", "rule", "expected"),
    [
        ("2023-24 (March) Attendance (District) - All Students", "school_year", 2023),
        ("2022-23 Dropout Report (District) All Students", "school_year", 2022),
        ("2023 Graduation Rate (District) All Students 4-Year Graduation Rate", "spring", 2022),
        ("2023 Next Generation MCAS Achievement Results", "spring", 2022),
        ("2017 Per Pupil Expenditures, All Funds", "fiscal", 2016),
        ("2017 Chapter 70 Foundation Budget and Net School Spending", "fiscal", 2016),
        ("2017Staffing Retention Report", "spring", 2016),
        ("2017-18  Educator Evaluation Performance (District) - All Educators", "school_year", 2017),
        ("2017", "spring", 2016),
        ("Attendance", "school_year", None),
    ],
)
def test_year_labels_map_by_rule(label: str, rule: str, expected: int | None) -> None:
    year = year_from_label(label, rule)
    assert (year.start_year if year else None) == expected


def test_title_year_wins_over_folder_and_contradicting_year_is_refused(orgs: Any, tmp_path: Path) -> None:
    grad_title = ["2023 Graduation Rate (District) All Students 4-Year Graduation Rate"]
    rows = [
        grad_title,
        ["District Name", "District Code", *GRAD_HEADER[2:]],
        ["Abington", "00010000", "153", "88.9", "1.3", "0.7", "0.0", "9.2", "0.0"],
    ]
    path = write_csv(tmp_path / "2023-24" / "Gradrates.csv", rows)
    code, out, _ = run_import(path, "--year", "2023-24")
    assert code == 1 and "contradicts the title row" in out and not Fact.objects.exists()
    code, out, _ = run_import(path)
    assert code == 0, out
    assert value("00010000", "grad_4yr_pct", 2022) == Decimal("88.9")
    assert Fact.objects.get(metric__code="grad_4yr_pct").n == 153
    code, out, _ = run_import(path, "--year", "2022-23")
    assert code == 0 and last_line(out) == "0 created, 0 updated, 7 unchanged, 0 skipped"


def test_year_from_folder_or_file_name_and_refused_without_one(orgs: Any, tmp_path: Path) -> None:
    row = ["Abington-Abington High", "00010505", "97", "94.8", "2.1", "0.0", "0.0", "3.1", "0.0"]
    path = write_csv(tmp_path / "graduation_4yr" / "2023-24.csv", [GRAD_HEADER, row])
    assert run_import(path)[0] == 0
    assert value("00010505", "grad_4yr_pct", 2023) == Decimal("94.8")
    nameless = write_csv(tmp_path / "graduation_4yr" / "grads.csv", [GRAD_HEADER, row])
    code, out, _ = run_import(nameless)
    assert code == 1 and "cannot tell which school year" in out
    assert run_import(nameless, "--year", "2021-22")[0] == 0
    assert value("00010505", "grad_4yr_pct", 2021) == Decimal("94.8")


# --- Kind detection --------------------------------------------------------------------------------
def test_four_and_five_year_graduation_told_apart_by_folder_or_kind(orgs: Any, tmp_path: Path) -> None:
    row = ["Abington - Abington High", "00010505", "97", "95.9", "1.0", "0.0", "0.0", "3.1", "0.0"]
    five = write_csv(tmp_path / "graduation_5yr" / "2022-23.csv", [GRAD_HEADER, row])
    code, out, _ = run_import(five)
    assert code == 0, out
    assert set(facts()) >= {("00010505", 2022, "grad_5yr_pct")}
    assert not Fact.objects.filter(metric__code__startswith="grad_4yr").exists()
    unclear = write_csv(tmp_path / "panels" / "2022-23.csv", [GRAD_HEADER, row])
    code, out, _ = run_import(unclear)
    assert code == 1 and "cannot tell this file's kind" in out
    assert "dese-graduation-4yr" in out and "dese-graduation-5yr" in out
    code, out, _ = run_import(unclear, "--kind", "dese-graduation-4yr")
    assert code == 0, out
    assert value("00010505", "grad_4yr_pct", 2022) == Decimal("95.9")


def test_unknown_layout_is_refused_with_the_kinds(db: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["Foo", "Bar"], ["1", "2"]])
    code, out, _ = run_import(path)
    assert code == 1 and "does not recognise this file's layout" in out and "DESE attendance" in out


# --- Values ----------------------------------------------------------------------------------------
def test_values_as_dese_writes_them(orgs: Any, tmp_path: Path) -> None:
    rows = [
        ["2023-24 Teacher Data - All Teachers", "", "", "", "", "", "", ""],
        [
            "District Name",
            "District Code",
            "Total # of Teachers (FTE)",
            "% of Teachers Licensed",
            "Student / Teacher Ratio",
            "Percent of Experienced Teachers",
            "Percent of Teachers without Waiver or Provisional License",
            "Percent Teaching In-Field",
            "",
            "",
        ],
        ["Abington", "10000", " 1,158.7", "  99.3", "  13.4 to 1", "  79.6", "  91.2", "", "", ""],
        ["Acton-Boxborough", "06000000", "$425", "NA", "N/A", "Not Reported", "90", "", "", ""],
        ["State Totals", "00000000", '"  77,630.3"', "97.1", "11.8 to 1", "80.8", "93.2"],
    ]
    rows[4][2] = "  77,630.3"
    path = write_csv(tmp_path / "TeacherData.csv", rows)
    code, out, _ = run_import(path)
    assert code == 0, out
    year = 2023
    assert value("00010000", "teacher_fte", year) == Decimal("1158.7")
    assert value("00010000", "student_teacher_ratio", year) == Decimal("13.4")
    assert value("06000000", "teacher_fte", year) == Decimal("425")
    assert value("06000000", "teachers_licensed_pct", year) is None  # a placeholder: a fact, no value
    assert value("06000000", "student_teacher_ratio", year) is None
    assert not Fact.objects.filter(metric__code="teachers_in_field_pct").exists()  # empty: no fact
    assert value(None, "student_teacher_ratio", year) == Decimal("11.8")  # the state's own values
    assert value(None, "teacher_fte", year) == Decimal("77630.3")


def _attendance(tmp_path: Path, *rows: list[str], header: list[str] | None = None) -> tuple[int, str]:
    path = write_csv(tmp_path / "Attendance.csv", [ATT_TITLE, header or ATT_HEADER, *rows])
    code, out, _ = run_import(path)
    return code, out


GOOD = ["Abington", "00010000", "93.4", "7.4", "24.2", "16.6", "4.0", "10.2"]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (
            ["Acton-Boxborough", "06000000", "95.1", "six", "1", "1", "1", "1"],
            "Line 4, column “Average # of Absences”: “six” is not a number",
        ),
        (["Acton-Boxborough", "06000000", "Infinity", "1", "1", "1", "1", "1"], "“Infinity” is not a number"),
        (["Acton-Boxborough", "06000000", "101.5", "1", "1", "1", "1", "1"], "“101.5” is outside 0–100"),
        (["Acton-Boxborough", "06000000", "-1", "1", "1", "1", "1", "1"], "“-1” is outside 0–100"),
        (
            ["06000000", "Acton-Boxborough", "95", "1", "1", "1", "1", "1"],
            "column “District Code”: “Acton-Boxborough” is not an organization code",
        ),
        (
            ["Acton-Boxborough", "06000000", "Acton", "95", "1", "1", "1", "1", "1"],
            "Line 4: the row has 9 cells but the header names 8 columns",
        ),
        (["Abington", "10000", "93.5", "7.4", "24.2", "16.6", "4.0", "10.2"], "the same District Code"),
    ],
)
def test_bad_values_refuse_the_file_with_line_and_column(
    orgs: Any, tmp_path: Path, bad: list[str], message: str
) -> None:
    code, out = _attendance(tmp_path, GOOD, bad)
    assert code == 1 and message in out, out
    assert not Fact.objects.exists()


def test_repeated_header_refused_identical_duplicates_and_trailing_columns_accepted(
    orgs: Any, tmp_path: Path
) -> None:
    code, out = _attendance(tmp_path, GOOD, header=[*ATT_HEADER[:3], "Attendance Rate", *ATT_HEADER[4:]])
    assert code == 1 and "appears twice in the header row" in out
    code, out = _attendance(tmp_path, [*GOOD, "", ""], [*GOOD])
    assert code == 0 and "read once" in out, out
    assert value("00010000", "chronic_absence_10_pct", 2023) == Decimal("16.6")


def test_failed_to_report_row_is_skipped_and_listed(orgs: Any, tmp_path: Path) -> None:
    header = [
        "School Name",
        "School Code",
        "Principal Total",
        "Principal # Retained",
        "Principal % Retained",
        "Teacher Total",
        "Teacher # Retained",
        "Teacher % Retained",
    ]
    rows = [
        header,
        ["Abington-Abington High", "00010505", "", "Failed to", "meet reporting", "requirements", "", ""],
        ["Abington-Woodsdale", "00010015", "1", "1", "100.0", "40", "38", "95.0"],
    ]
    code, out, _ = run_import(write_csv(tmp_path / "staffing_retention" / "2022-23.csv", rows))
    assert (
        code == 0 and "failed to meet reporting requirements" in out and last_line(out).endswith("1 skipped")
    )


# --- Organizations ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("full", "district", "expected"),
    [
        ("Abington - Abington High", "Abington", "Abington High"),
        ("Abington-Abington High", "Abington", "Abington High"),
        ("Acton-Boxborough-Douglas Elementary", "Acton-Boxborough", "Douglas Elementary"),
        ("Acton-Boxborough - Blanchard Memorial", "Acton-Boxborough", "Blanchard Memorial"),
        (
            "Abby Kelley Foster Charter Public (District)-Abby Kelley Foster Charter Public School",
            "Abby Kelley Foster Charter Public (District)",
            "Abby Kelley Foster Charter Public School",
        ),
        ("Something Else - X", "Abington", "Something Else - X"),
    ],
)
def test_school_name_takes_the_district_name_off(full: str, district: str, expected: str) -> None:
    assert school_name(full, district) == expected


def test_learned_schools_and_unknown_districts(orgs: Any, tmp_path: Path) -> None:
    header = [
        "School Name",
        "School Code",
        "# Grade Nine Students",
        "# Passing All Courses",
        "% Passing All Courses",
    ]
    rows = [
        header,
        ["Acton-Boxborough-Acton-Boxborough Regional High", "6000505", "450", "440", "97.8"],
        ["Nowhere-Nowhere High", "77770505", "100", "90", "90.0"],
        ["Abington-Abington High", "00010505", "158", "136", "86.1"],
    ]
    path = write_csv(tmp_path / "grade9_course_pass" / "2023-24.csv", rows)
    code, out, _ = run_import(path)
    assert code == 0, out
    learned = Organization.objects.get(code="06000505")
    assert learned.name == "Acton-Boxborough Regional High" and learned.parent == orgs["acton"]
    assert learned.source == Organization.Source.LEARNED and learned.source_note == "2023-24.csv"
    assert learned.path.startswith(orgs["acton"].path)
    assert "Acton-Boxborough Regional High (06000505)" in out
    assert "77770505" in out and "its district 77770000 is not known" in out
    assert not Organization.objects.filter(code__in=["77770505", "77770000"]).exists()
    assert value("06000505", "grade9_passing_all_pct", 2023) == Decimal("97.8")
    code, out, _ = run_import(path)
    assert last_line(out) == "0 created, 0 updated, 6 unchanged, 1 skipped"


def test_xlsx_copy_gives_the_same_facts(orgs: Any, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "a" / "Attendance.csv",
        [
            ATT_TITLE,
            ATT_HEADER,
            GOOD,
            ["Acton-Boxborough", "6000000", "95.0", "5.4", "15.8", "13.2", "1.3", "0.0"],
        ],
    )
    assert run_import(path)[0] == 0
    from_csv = facts()
    Fact.objects.all().delete()
    xlsx = csv_to_xlsx(path, tmp_path / "b" / "Attendance.xlsx")
    code, out, _ = run_import(xlsx)
    assert code == 0, out
    assert facts() == from_csv and len(from_csv) == 12


# --- The real files --------------------------------------------------------------------------------
def _read(relative: str) -> tuple[list[str], list[list[str]]]:
    with (DATA / relative).open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.reader(fh) if any(c.strip() for c in r)]
    start = 0 if rows[0][0].strip() in ("School Name", "District Name") else 1
    return [c.strip() for c in rows[start]], rows[start + 1 :]


def _cell(relative: str, code: str, column: str, **match: str) -> Decimal:
    header, rows = _read(relative)
    code_col = header.index("School Code") if "School Code" in header else header.index("District Code")
    for row in rows:
        if row[code_col].strip().zfill(8) == code and all(
            row[header.index(k)].strip() == v for k, v in match.items()
        ):
            return Decimal(row[header.index(column)].replace(",", "").replace("to 1", "").strip())
    raise AssertionError(f"{code} not in {relative}")


@pytest.mark.heavy  # CI runs it once, on SQLite; the bench imports the same files on PostgreSQL
@pytest.mark.django_db
def test_every_real_dese_file_imports_and_reimports_unchanged() -> None:
    if not DATA.exists():
        pytest.skip(f"The shared DESE data is not here ({DATA}); see ../shared/data/README.md")
    code, out, err = run_import(DATA)
    assert code == 0, out[-3000:] + err
    assert "111 files: 111 applied, 0 refused." in out
    # Every real file has a declared kind: none falls back to the profile kind's learned metrics.
    assert not Metric.objects.filter(code__startswith="learned-").exists()
    created = int(last_line(out).split()[0])
    assert Fact.objects.count() > 1_000_000
    assert created > Fact.objects.count()  # facts and the directory's records
    # Values straight from the source files.
    g4 = "school/graduation_4yr/2023-24.csv"
    assert value("00010505", "grad_4yr_pct", 2023) == _cell(g4, "00010505", "% Graduated") == Decimal("94.1")
    att = "district/2023-24/Attendance.csv"
    for district in ("00010000", "03480000", "00350000"):
        assert value(district, "chronic_absence_10_pct", 2023) == _cell(
            att, district, "Chronically Absent (10% or more)"
        )
    assert value(None, "chronic_absence_10_pct", 2023) == _cell(
        att, "00000000", "Chronically Absent (10% or more)"
    )
    ppx = "district/2017-18/9_per_pupil_expenditures.csv"
    assert value("00010000", "per_pupil_expenditure", 2016) == _cell(
        ppx, "00010000", "Total Expenditures per Pupil"
    )
    mcas = "district/2023-24/NextGenMCAS.csv"
    assert value("04450000", "mcas_math_sgp", 2022) == _cell(mcas, "04450000", "SGP", Subject="MATH")
    assert value("04450000", "mcas_ela_me_pct", 2022) == _cell(mcas, "04450000", "M+E %", Subject="ELA")
    m17 = "school/mcas_2017/mcasSchoolAll2017.csv"
    assert value("04450105", "mcas_ela_sgp", 2016) == _cell(m17, "04450105", "SGP", Subject="ELA")
    ret = "school/staffing_retention/2019-20.csv"
    assert value("00010020", "principal_retained_pct", 2019) == _cell(ret, "00010020", "Principal % Retained")
    ratio = "school/teacher_data/2021-22.csv"
    assert value("00010015", "student_teacher_ratio", 2021) == _cell(
        ratio, "00010015", "Student/Teacher Ratio"
    )
    assert value("00010000", "principal_retained_pct", 2016) == _cell(
        "district/2017-18/zstaffingretention.csv", "00010000", "Principal % Retained"
    )
    assert Organization.objects.filter(source=Organization.Source.LEARNED, kind="school").count() > 50
    # Re-import changes nothing.
    code, out, _ = run_import(DATA)
    assert code == 0
    assert last_line(out).startswith("0 created, 0 updated, ")


def test_year_rule_of_a_label_is_the_school_year_itself() -> None:
    assert year_from_label("2024-25", "spring") == SchoolYear(2024)
