"""Every kind of bad input the issue lists: each is read right, refused with a clear reason, or skipped."""

from __future__ import annotations

import codecs
import os
import resource
from pathlib import Path

import pytest

from edlead.imports.services import import_file
from edlead.imports.tests.helpers import last_line, run_import, write_csv
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

HEADER = ["Org Name", "Org Code", "Org Type", "Function", "Contact Name", "Town", "Grade"]
ROW_A = [
    "Alphaville",
    "97010000",
    "Public School District",
    "Superintendent",
    "Dana Alvarez",
    "Alphaville",
    "K,01",
]
ROW_B = ["Betatown", "97020000", "Public School District", "Superintendent", "Lee Brown", "Betatown", "09,10"]


def nothing_written() -> bool:
    return (
        not Organization.objects.exclude(code=None).exists()
        and not Person.objects.exists()
        and not Position.objects.exists()
    )


def errors_text(outcome) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(str(e) for e in outcome.errors)


@pytest.mark.django_db
def test_byte_order_mark_is_not_part_of_the_first_header(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(",".join(r) for r in (HEADER, ROW_A)).encode())
    outcome = import_file(path=path)
    assert not outcome.refused, errors_text(outcome)
    assert Organization.objects.get(code="97010000").name == "Alphaville"


@pytest.mark.django_db
def test_title_row_above_the_header_is_skipped(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "t.csv", [["2023-24 District Directory - All Districts", "", "", ""], HEADER, ROW_A]
    )
    outcome = import_file(path=path)
    assert not outcome.refused, errors_text(outcome)
    assert any("header on line 2" in n for n in outcome.notes)
    assert Organization.objects.filter(code="97010000").exists()


@pytest.mark.django_db
def test_codes_missing_leading_zeros_are_restored(tmp_path: Path) -> None:
    districts = write_csv(
        tmp_path / "d.csv",
        [
            HEADER,
            ["Abington", "10000", "Public School District", "Superintendent", "Pat Doe", "Abington", "K"],
        ],
    )
    schools = write_csv(
        tmp_path / "s.csv",
        [
            ["School Code", "School Name", "School Type", "Contact Name", "District Name", "District Code"],
            ["10505", "Abington High", "Public School", "Sam Roe", "Abington", "10000.0"],
        ],
    )
    code, out, _ = run_import(districts, schools)
    assert code == 0, out
    school = Organization.objects.get(code="00010505")
    assert school.parent.code == "00010000"
    assert Organization.objects.filter(source=Organization.Source.LEARNED).count() == 0


@pytest.mark.django_db
def test_identical_duplicate_codes_are_read_once(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "d.csv", [HEADER, ROW_A, ["Alphaville", "97010000", *ROW_A[2:]], ROW_B])
    outcome = import_file(path=path)
    assert not outcome.refused
    assert Organization.objects.filter(code="97010000").count() == 1
    assert any("repeated row" in n for n in outcome.notes)


@pytest.mark.django_db
def test_conflicting_duplicate_codes_refuse_the_file(tmp_path: Path) -> None:
    row_a = ["Alphaville", "07010000", *ROW_A[2:]]
    path = write_csv(
        tmp_path / "d.csv", [HEADER, row_a, ROW_B, ["Alphaville Regional", "7010000", *ROW_A[2:]]]
    )
    code, out, _ = run_import(path)
    assert code == 1
    assert "Line 4, column “Org Code”: the same Org Code as line 2 but different values (Org Name)" in out
    assert nothing_written()


@pytest.mark.django_db
def test_unknown_parent_codes_are_skipped_with_a_reason_and_the_rest_applies(tmp_path: Path) -> None:
    districts = write_csv(tmp_path / "d.csv", [HEADER, ROW_A])
    schools = write_csv(
        tmp_path / "s.csv",
        [
            ["School Code", "School Name", "School Type", "Contact Name", "District Name", "District Code"],
            ["97010005", "Alpha High", "Public School", "Sam Roe", "Alphaville", "97010000"],
            ["96660005", "Orphan School", "Public School", "Kim Poe", "", "96660000"],
        ],
    )
    code, out, _ = run_import(districts, schools)
    assert code == 0
    assert "skipped: Line 3, column “District Code”: district 96660000 is not known to EdLead" in out
    assert last_line(out).endswith(", 1 skipped")
    assert Organization.objects.filter(code="97010005").exists()
    assert not Organization.objects.filter(code__in=["96660005", "96660000"]).exists()


@pytest.mark.django_db
def test_missing_required_column_refuses_naming_it(tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "Org Type"]
    row = [v for h, v in zip(HEADER, ROW_A, strict=True) if h != "Org Type"]
    path = write_csv(tmp_path / "d.csv", [header, row])
    outcome = import_file(path=path)
    assert outcome.refused
    assert "Line 1, column “Org Type”: this required column is missing from the header row" in errors_text(
        outcome
    )
    assert nothing_written()


@pytest.mark.django_db
def test_extra_columns_are_ignored_and_mentioned(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "d.csv", [[*HEADER, "Favorite Color", ""], [*ROW_A, "green", ""]])
    outcome = import_file(path=path)
    assert not outcome.refused
    assert any("Ignored columns" in n and "Favorite Color" in n for n in outcome.notes)


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_windows_1252_and_latin_1_text_is_decoded(tmp_path: Path, encoding: str) -> None:
    name = "Agawam École Française" + ("’s" if encoding == "cp1252" else "")
    path = write_csv(
        tmp_path / "d.csv", [HEADER, [name, *ROW_A[1:4], "Zoë Ñúñez", *ROW_A[5:]]], encoding=encoding
    )
    outcome = import_file(path=path)
    assert not outcome.refused, errors_text(outcome)
    assert Organization.objects.get(code="97010000").name == name
    assert Person.objects.get().first_name == "Zoë" and Person.objects.get().last_name == "Ñúñez"


@pytest.mark.django_db
def test_empty_file_is_refused(tmp_path: Path) -> None:
    for content in (b"", codecs.BOM_UTF8, b"\r\n\r\n"):
        path = tmp_path / "empty.csv"
        path.write_bytes(content)
        code, out, _ = run_import(path)
        assert code == 1
        assert "The file is empty." in out
    assert nothing_written()


@pytest.mark.django_db
def test_binary_junk_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(os.urandom(200_000))
    code, out, err = run_import(path)
    assert code == 1
    assert "binary data" in out
    assert "Traceback" not in out + err
    fake_xlsx = tmp_path / "fake.xlsx"
    fake_xlsx.write_bytes(b"PK\x03\x04" + os.urandom(5000))
    code, out, _ = run_import(fake_xlsx)
    assert code == 1 and "cannot be read" in out
    xls = tmp_path / "old.xls"
    xls.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + os.urandom(1000))
    code, out, _ = run_import(xls)
    assert code == 1 and "old Excel .xls" in out
    assert nothing_written()


@pytest.mark.django_db
def test_truncated_file_with_an_unclosed_quote_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_text(",".join(HEADER) + "\n" + ",".join(ROW_A) + '\n"Betatown,97020000,Public School Dist')
    outcome = import_file(path=path)
    assert outcome.refused
    assert "ends inside a quoted cell that starts on line 3" in errors_text(outcome)
    assert nothing_written()


@pytest.mark.django_db
def test_a_cell_of_several_megabytes_is_refused_naming_row_and_column(tmp_path: Path) -> None:
    huge = "A" * (4 * 1024 * 1024)
    path = write_csv(tmp_path / "big-cell.csv", [HEADER, ROW_A, [huge, *ROW_B[1:]]])
    code, out, _ = run_import(path)
    assert code == 1
    assert "Line 3, column “Org Name”: 4,194,304 characters, longer than the 255 this field holds" in out
    assert len(out) < 10_000  # the cell itself is not echoed
    assert nothing_written()


@pytest.mark.django_db
def test_cells_starting_with_formula_characters_are_stored_verbatim(tmp_path: Path) -> None:
    rows = [
        [
            '=HYPERLINK("http://x")',
            "97010000",
            "Public School District",
            "Superintendent",
            "+Dana Alvarez",
            "-Town",
            "K",
        ],
        ["@Betatown", "97020000", "Public School District", "Superintendent", "Lee -Brown", "Betatown", "K"],
    ]
    path = write_csv(tmp_path / "d.csv", [HEADER, *rows])
    outcome = import_file(path=path)
    assert not outcome.refused, errors_text(outcome)
    assert Organization.objects.get(code="97010000").name == '=HYPERLINK("http://x")'
    assert Organization.objects.get(code="97010000").town == "-Town"
    assert Organization.objects.get(code="97020000").name == "@Betatown"
    assert Person.objects.filter(first_name="+Dana", last_name="Alvarez").exists()


@pytest.mark.heavy  # CI runs it once, on SQLite
@pytest.mark.slow
@pytest.mark.django_db
def test_a_50_mb_file_streams_without_exhausting_memory(tmp_path: Path) -> None:
    """A 50 MB staff file whose organizations EdLead does not know: every row read, validated and
    skipped, nothing written, and the process grows by far less than the file would as lists."""
    path = tmp_path / "big.csv"
    line = "{mepid},Firstname{n},Lastname-Hyphenated{n},person{n}@example.org,9999{n4:04d},teacher,Teacher of mathematics and computer science,2024-07-01,1.0\n"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("MEPID,First Name,Last Name,E-mail,Org Code,Role,Title,Start Date,FTE\n")
        n = 0
        written = 0
        while written < 50 * 1024 * 1024:
            text = line.format(mepid=10_000_000 + n, n=n, n4=n % 10_000)
            fh.write(text)
            written += len(text)
            n += 1
    assert path.stat().st_size >= 50 * 1024 * 1024
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    outcome = import_file(path=path)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert not outcome.refused, str(outcome.errors[:3])
    assert outcome.rows_total == n
    assert outcome.skipped == n and len(outcome.skips) == 1000  # all counted, the first thousand listed
    assert nothing_written()
    print(f"peak memory grew by {grown_mb:.0f} MB for {n} rows")
    assert grown_mb < 300, f"peak memory grew by {grown_mb:.0f} MB"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (
            0,
            '\x1b=HYPERLINK("http://x")',
            "column “Org Name”: holds a control character (U+001B) at position 1",
        ),
        (5, "Alpha\x07ville", "column “Town”: holds a control character (U+0007) at position 6"),
        (4, "A" * 200 + " Brown", "column “Contact Name”: the first name read from it has 200 characters"),
        (4, "Dana " + "B" * 200, "column “Contact Name”: the last name read from it has 200 characters"),
        (0, "N" * 256, "column “Org Name”: 256 characters, longer than the 255 this field holds"),
    ],
)
def test_values_that_break_a_record_rule_are_row_errors_not_unexpected_problems(
    tmp_path: Path, column: int, value: str, message: str
) -> None:
    """A directory value that a model would refuse (a control character, a name too long for a
    person's record) is an error naming line and column, on every database; never "unexpected"."""
    row = list(ROW_A)
    row[column] = value
    path = tmp_path / "d.csv"
    path.write_text("\n".join(",".join(r) for r in (HEADER, ROW_B, row)), encoding="utf-8")
    code, out, _ = run_import(path)
    assert code == 1 and f"Line 3, {message}" in out, out
    assert "unexpected" not in out
    assert nothing_written()
