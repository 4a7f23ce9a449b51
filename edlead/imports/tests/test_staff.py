"""The staff-position CSV: upsert by MEPID and (person, org, role, start), refusals, skips."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from edlead.imports.kinds.staff import TEMPLATE_EXAMPLE, TEMPLATE_HEADER
from edlead.imports.services import import_file
from edlead.imports.tests.helpers import csv_to_xlsx, last_line, run_import, write_csv
from edlead.people.models import Person, Position
from edlead.testing import make_district, make_school

HEADER = TEMPLATE_HEADER


@pytest.fixture
def school(db: object) -> object:
    district = make_district("Demo District", code="99010000")
    return make_school(district, "Demo School", code="99010005")


@pytest.mark.django_db
def test_template_row_imports_and_reimport_changes_nothing(tmp_path: Path, school: object) -> None:
    path = write_csv(tmp_path / "staff.csv", [HEADER, TEMPLATE_EXAMPLE])
    code, out, _ = run_import(path)
    assert code == 0, out
    assert last_line(out) == "2 created, 0 updated, 0 unchanged, 0 skipped"
    person = Person.objects.get(mepid="12345678")
    assert (person.first_name, person.last_name, person.email, person.source) == (
        "Jordan",
        "Example",
        "jordan.example@example.org",
        "staff_import",
    )
    position = Position.objects.get(person=person)
    assert (position.organization, position.role, position.title) == (school, "principal", "Head of school")
    assert position.starts_on == dt.date(2024, 7, 1) and position.fte == Decimal("1.00")
    code, out, _ = run_import(path)
    assert last_line(out) == "0 created, 0 updated, 2 unchanged, 0 skipped"


@pytest.mark.django_db
def test_upserts_by_mepid_and_position_key(tmp_path: Path, school: object) -> None:
    write = lambda rows: write_csv(tmp_path / "staff.csv", [HEADER, *rows])  # noqa: E731
    run_import(write([["12345678", "Jordan", "Example", "", "99010005", "Teacher", "", "7/1/2023", "0.5"]]))
    code, out, _ = run_import(
        write(
            [
                [
                    "12345678",
                    "Jordan",
                    "Example-Smith",
                    "j@example.org",
                    "99010005",
                    "teacher",
                    "Grade 3",
                    "2023-07-01",
                    "0.8",
                ],
                [
                    "12345678",
                    "Jordan",
                    "Example-Smith",
                    "",
                    "99010005",
                    "Coach / mentor",
                    "Instructional coach",
                    "2024-07-01",
                    "",
                ],
            ]
        )
    )
    assert code == 0, out
    assert last_line(out) == "1 created, 2 updated, 0 unchanged, 0 skipped"
    person = Person.objects.get(mepid="12345678")
    assert person.last_name == "Example-Smith" and person.email == "j@example.org"
    teacher, coach = person.positions.order_by("starts_on")
    assert (teacher.title, teacher.fte) == ("Grade 3", Decimal("0.80"))
    assert (coach.role, coach.fte) == (Position.Role.COACH, Decimal("1.00"))


@pytest.mark.django_db
def test_unknown_org_code_skips_the_row(tmp_path: Path, school: object) -> None:
    path = write_csv(
        tmp_path / "staff.csv",
        [
            HEADER,
            TEMPLATE_EXAMPLE,
            ["87654321", "Ana", "Other", "", "12340005", "teacher", "", "2024-07-01", "1"],
        ],
    )
    code, out, _ = run_import(path)
    assert code == 0
    assert "Line 3, column “Org Code”: organization 12340005 is not known to EdLead" in out
    assert last_line(out) == "2 created, 0 updated, 0 unchanged, 1 skipped"
    assert not Person.objects.filter(mepid="87654321").exists()


@pytest.mark.django_db
def test_invalid_values_refuse_the_file_with_line_and_column(tmp_path: Path, school: object) -> None:
    rows = [
        ["1234567", "A", "B", "", "99010005", "teacher", "", "2024-07-01", "1"],
        ["12345678", "A", "B", "not-an-email", "99010005", "teacher", "", "2024-07-01", "1"],
        ["22345678", "A", "B", "", "99010005", "janitor", "", "2024-07-01", "1"],
        ["32345678", "A", "B", "", "99010005", "teacher", "", "2024-02-30", "1"],
        ["42345678", "A", "B", "", "99010005", "teacher", "", "July 1", "1"],
        ["52345678", "A", "B", "", "99010005", "teacher", "", "2024-07-01", "1.6"],
        ["62345678", "A", "B", "", "99010005", "teacher", "", "2024-07-01", "half"],
        ["", "A", "B", "", "99010005", "teacher", "", "2024-07-01", "1"],
    ]
    outcome = import_file(path=write_csv(tmp_path / "staff.csv", [HEADER, *rows]))
    assert outcome.refused
    found = {(e.line, e.column) for e in outcome.errors}
    assert found == {
        (2, "MEPID"),
        (3, "E-mail"),
        (4, "Role"),
        (5, "Start Date"),
        (6, "Start Date"),
        (7, "FTE"),
        (8, "FTE"),
        (9, "MEPID"),
    }
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_one_mepid_with_two_names_is_refused(tmp_path: Path, school: object) -> None:
    rows = [
        ["12345678", "Jordan", "Example", "", "99010005", "teacher", "", "2024-07-01", "1"],
        ["12345678", "Jordan", "Different", "", "99010005", "principal", "", "2024-07-01", "1"],
    ]
    outcome = import_file(path=write_csv(tmp_path / "staff.csv", [HEADER, *rows]))
    assert [(e.line, e.column) for e in outcome.errors] == [(3, "Last Name")]


@pytest.mark.django_db
def test_staff_xlsx_gives_the_same_records(tmp_path: Path, school: object) -> None:
    csv_path = write_csv(tmp_path / "staff.csv", [HEADER, TEMPLATE_EXAMPLE])
    xlsx_path = csv_to_xlsx(csv_path, tmp_path / "staff.xlsx")
    assert import_file(path=xlsx_path).created == 2
    assert import_file(path=csv_path).unchanged == 2
