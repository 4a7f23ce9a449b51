"""The command line contract: exit statuses, the last line, dry runs, folders, directory files first."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from edlead.imports.models import ImportRun
from edlead.imports.tests.helpers import last_line, run_import, write_csv
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

COUNTS = re.compile(r"^\d+ created, \d+ updated, \d+ unchanged, \d+ skipped$")
DISTRICT_HEADER = [
    "Org Name",
    "Org Code",
    "Org Type",
    "Function",
    "Contact Name",
    "Address 1",
    "Town",
    "State",
    "Zip",
    "Grade",
]
SCHOOL_HEADER = [
    "School Code",
    "School Name",
    "School Type",
    "Function",
    "Contact Name",
    "Town",
    "Grade",
    "District Name",
    "District Code",
]


def district_file(path: Path, *rows: list[str]) -> Path:
    return write_csv(path, [DISTRICT_HEADER, *rows])


def school_file(path: Path, *rows: list[str]) -> Path:
    return write_csv(path, [SCHOOL_HEADER, *rows])


ALPHA = [
    "Alphaville",
    "97010000",
    "Public School District",
    "Superintendent",
    "Dana Alvarez",
    "1 Main St",
    "Alphaville",
    "MA",
    "01001",
    "PK,K,1,2",
]
BETA = [
    "Beta Charter (District)",
    "97020000",
    "Charter District",
    "Charter School Leader",
    "Lee Brown",
    "2 Elm St",
    "Betatown",
    "MA",
    "01002",
    "K,01",
]


@pytest.mark.django_db
def test_import_applies_and_exits_0_with_the_counts_as_last_line(tmp_path: Path) -> None:
    path = district_file(tmp_path / "2024-25" / "districts.csv", ALPHA, BETA)
    code, out, _ = run_import(path)
    assert code == 0
    assert COUNTS.match(last_line(out))
    assert last_line(out) == "6 created, 0 updated, 0 unchanged, 0 skipped"
    alpha = Organization.objects.get(code="97010000")
    assert alpha.grades == "PK,K,01,02"
    assert (
        Position.objects.get(organization=alpha).starts_on.isoformat() == "2024-07-01"
    )  # from the folder name
    code, out, _ = run_import(path)
    assert code == 0 and last_line(out) == "0 created, 0 updated, 6 unchanged, 0 skipped"
    assert (
        ImportRun.objects.filter(origin=ImportRun.Origin.COMMAND, status=ImportRun.Status.APPLIED).count()
        == 2
    )


@pytest.mark.django_db
def test_refused_file_exits_1_lists_errors_and_writes_nothing(tmp_path: Path) -> None:
    bad = district_file(
        tmp_path / "bad.csv",
        ALPHA,
        ["Gamma", "not-a-code", "Public School District", "", "", "", "", "", "", "13"],
    )
    code, out, err = run_import(bad)
    assert code == 1
    assert "line 3, column “Org Code”" in out.lower() or "Line 3, column “Org Code”" in out
    assert "Line 3, column “Grade”" in out
    assert COUNTS.match(last_line(out)) and last_line(out) == "0 created, 0 updated, 0 unchanged, 0 skipped"
    assert "refused" in err
    assert not Organization.objects.exclude(code=None).exists() and not Person.objects.exists()
    assert "Traceback" not in out + err


@pytest.mark.django_db
def test_usage_mistakes_exit_2(tmp_path: Path) -> None:
    path = district_file(tmp_path / "d.csv", ALPHA)
    assert run_import(tmp_path / "missing.csv")[0] == 2
    assert run_import(path, "--kind", "nonsense")[0] == 2
    assert run_import(path, "--year", "2024")[0] == 2
    assert run_import(path, "--year", "2024-26")[0] == 2
    assert run_import()[0] == 2
    empty_folder = tmp_path / "empty"
    empty_folder.mkdir()
    assert run_import(empty_folder)[0] == 2
    assert not Organization.objects.exclude(code=None).exists()


@pytest.mark.django_db
def test_dry_run_reports_what_it_would_do_and_writes_nothing(tmp_path: Path) -> None:
    districts = district_file(tmp_path / "d.csv", ALPHA)
    schools = school_file(
        tmp_path / "s.csv",
        [
            "97010005",
            "Alpha High",
            "Public School",
            "Principal",
            "Sam Lee",
            "Alphaville",
            "09,10",
            "Alphaville",
            "97010000",
        ],
    )
    counts_before = (
        Organization.objects.count(),
        Person.objects.count(),
        Position.objects.count(),
        ImportRun.objects.count(),
    )
    code, out, _ = run_import(schools, districts, "--dry-run")
    assert code == 0
    # the school file saw the district the district file would create: nothing learned, nothing skipped
    assert last_line(out) == "6 created, 0 updated, 0 unchanged, 0 skipped"
    assert "Would apply" in out and "Learned district" not in out
    assert (
        Organization.objects.count(),
        Person.objects.count(),
        Position.objects.count(),
        ImportRun.objects.count(),
    ) == counts_before


@pytest.mark.django_db
def test_folders_recurse_and_directory_files_apply_first(tmp_path: Path) -> None:
    school_file(
        tmp_path / "a" / "0-schools.csv",
        [
            "97010005",
            "Alpha High",
            "Public School",
            "Principal",
            "Sam Lee",
            "Alphaville",
            "09,10",
            "",
            "97010000",
        ],
    )
    district_file(tmp_path / "b" / "deep" / "z-districts.csv", ALPHA)
    code, out, _ = run_import(tmp_path)
    assert code == 0, out
    assert out.index("z-districts.csv") < out.index("0-schools.csv")
    school = Organization.objects.get(code="97010005")
    assert school.parent.code == "97010000" and school.path.startswith(school.parent.path)
    assert last_line(out) == "6 created, 0 updated, 0 unchanged, 0 skipped"


@pytest.mark.django_db
def test_one_refused_file_among_several_still_applies_the_others_and_exits_1(tmp_path: Path) -> None:
    good = district_file(tmp_path / "good.csv", ALPHA)
    junk = tmp_path / "junk.csv"
    junk.write_text("nothing,to,see\n1,2,3\n")
    code, out, _ = run_import(good, junk)
    assert code == 1
    assert Organization.objects.filter(code="97010000").exists()
    assert "does not recognise this file's layout" in out
    assert last_line(out) == "3 created, 0 updated, 0 unchanged, 0 skipped"


@pytest.mark.django_db
def test_explicit_year_dates_leader_changes(tmp_path: Path) -> None:
    path = district_file(tmp_path / "d.csv", ALPHA)
    run_import(path, "--year", "2020-21")
    changed = district_file(tmp_path / "d2.csv", [*ALPHA[:4], "Robin Chen", *ALPHA[5:]])
    code, out, _ = run_import(changed, "--year", "2022-23")
    assert code == 0
    assert last_line(out) == "2 created, 1 updated, 1 unchanged, 0 skipped"
    old, new = Position.objects.filter(organization__code="97010000").order_by("starts_on")
    assert (old.starts_on.isoformat(), old.ends_on.isoformat()) == ("2020-07-01", "2022-06-30")
    assert (new.starts_on.isoformat(), new.ends_on) == ("2022-07-01", None)
