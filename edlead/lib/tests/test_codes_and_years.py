import datetime as dt

import pytest

from edlead.lib.codes import OrgCodeError, district_code_of, is_district_code, normalize_org_code
from edlead.lib.schoolyears import SchoolYear, SchoolYearError


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("10505", "00010505"),
        ("00010505", "00010505"),
        (" 4450000 ", "04450000"),
        (4450000, "04450000"),
        ("10505.0", "00010505"),
    ],
)
def test_codes_get_their_leading_zeros_back(raw: object, code: str) -> None:
    assert normalize_org_code(raw) == code


@pytest.mark.parametrize("raw", ["", "abc", "123456789", "12-34", None, "=1+1"])
def test_not_a_code(raw: object) -> None:
    with pytest.raises(OrgCodeError):
        normalize_org_code(raw)


def test_district_of_a_school() -> None:
    assert district_code_of("00010505") == "00010000"
    assert is_district_code("00010000") and not is_district_code("00010505")


@pytest.mark.parametrize(
    ("text", "start"), [("2024-25", 2024), ("1999-00", 1999), ("2024-2025", 2024), ("2017/18", 2017)]
)
def test_school_year_labels(text: str, start: int) -> None:
    year = SchoolYear.parse(text)
    assert year.start_year == start
    assert year.starts_on == dt.date(start, 7, 1) and year.ends_on == dt.date(start + 1, 6, 30)


@pytest.mark.parametrize("text", ["2024-26", "2024", "24-25", "", "next year"])
def test_bad_school_years(text: str) -> None:
    with pytest.raises(SchoolYearError):
        SchoolYear.parse(text)


def test_year_containing_a_day() -> None:
    assert SchoolYear.containing(dt.date(2024, 6, 30)).label == "2023-24"
    assert SchoolYear.containing(dt.date(2024, 7, 1)).label == "2024-25"


@pytest.mark.parametrize(
    ("grades", "shown"),
    [
        ("PK,K,01,02,03,04,05,06", "PK–6"),
        ("09,10,11,12", "9–12"),
        ("K,01,02,05,06", "K–2, 5–6"),
        ("06", "6"),
        ("", ""),
        ("NA", "NA"),
    ],
)
def test_grades_read_as_spans(grades: str, shown: str) -> None:
    from edlead.orgs.models import grades_span

    assert grades_span(grades) == shown
