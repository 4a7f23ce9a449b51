"""Leaders named in a directory: name splitting, succession, never a match by name across organizations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from edlead.imports.kinds.leaders import split_name
from edlead.imports.services import import_file, school_year_from_names
from edlead.imports.tests.helpers import write_csv
from edlead.lib.schoolyears import SchoolYear
from edlead.people.models import Person, Position

HEADER = ["Org Name", "Org Code", "Org Type", "Function", "Contact Name"]


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("Peter Schafer", ("Peter", "Schafer")),
        ("Mary Beth Banios", ("Mary Beth", "Banios")),
        ("Kelley St. Coeur", ("Kelley", "St. Coeur")),
        ("Marlene Di Leo", ("Marlene", "Di Leo")),
        ("Joanne Hentnick, Coordinator", ("Joanne", "Hentnick")),
        ("  R.  Luke   Carroll ", ("R. Luke", "Carroll")),
        ("John Smith Jr.", ("John", "Smith")),
        ("Cher", ("", "Cher")),
        ("", None),
        ("Vacant", None),
    ],
)
def test_split_name(full: str, expected: tuple[str, str] | None) -> None:
    assert split_name(full) == expected


def test_school_year_from_file_and_folder_names() -> None:
    assert school_year_from_names("directory_2016-17.csv") == SchoolYear(2016)
    assert school_year_from_names("PublicSchoolDistrict.csv", "2023-24", "district") == SchoolYear(2023)
    assert school_year_from_names("locations.csv") is None


def _file(tmp_path: Path, name: str, *rows: list[str]) -> Path:
    return write_csv(tmp_path / name, [HEADER, *rows])


@pytest.mark.django_db
def test_a_new_name_ends_the_old_position_and_an_older_file_slots_into_history(tmp_path: Path) -> None:
    row = ["Alphaville", "97010000", "Public School District", "Superintendent"]
    import_file(path=_file(tmp_path, "a.csv", [*row, "Dana Alvarez"]), year=SchoolYear(2020))
    outcome = import_file(path=_file(tmp_path, "b.csv", [*row, "Robin Chen"]), year=SchoolYear(2023))
    assert (outcome.created, outcome.updated) == (2, 1)
    # an older file naming someone else in between: inserted, bounded by both neighbours
    outcome = import_file(path=_file(tmp_path, "c.csv", [*row, "Kim Park"]), year=SchoolYear(2021))
    history = [
        (p.person.last_name, p.starts_on, p.ends_on)
        for p in Position.objects.filter(organization__code="97010000")
        .order_by("starts_on")
        .select_related("person")
    ]
    assert history == [
        ("Alvarez", dt.date(2020, 7, 1), dt.date(2021, 6, 30)),
        ("Park", dt.date(2021, 7, 1), dt.date(2023, 6, 30)),
        ("Chen", dt.date(2023, 7, 1), None),
    ]
    # every file again, in any order: nothing changes
    for name, year in (("b.csv", 2023), ("a.csv", 2020), ("c.csv", 2021)):
        again = import_file(path=tmp_path / name, year=SchoolYear(year))
        assert (again.created, again.updated) == (0, 0), name


@pytest.mark.django_db
def test_same_name_at_two_organizations_is_two_people(tmp_path: Path) -> None:
    rows = [
        ["Alphaville", "97010000", "Public School District", "Superintendent", "Carol Lynn Costello"],
        ["Betatown", "97020000", "Public School District", "Superintendent", "Carol Lynn Costello"],
    ]
    import_file(path=_file(tmp_path, "a.csv", *rows), year=SchoolYear(2023))
    assert Person.objects.filter(first_name="Carol Lynn", last_name="Costello").count() == 2
    # and a manually entered person with the same name is not taken over either
    assert Position.objects.values("person").distinct().count() == 2


@pytest.mark.django_db
def test_empty_contact_creates_no_person(tmp_path: Path) -> None:
    outcome = import_file(
        path=_file(
            tmp_path, "a.csv", ["Alphaville", "97010000", "Public School District", "Superintendent", ""]
        )
    )
    assert outcome.created == 1 and not Person.objects.exists()


@pytest.mark.django_db
def test_a_directory_position_is_confirmed_through_its_files_year_until_a_later_file(tmp_path: Path) -> None:
    row = ["Alphaville", "97010000", "Public School District", "Superintendent"]
    import_file(path=_file(tmp_path, "a.csv", [*row, "Dana Alvarez"]), year=SchoolYear(2016))
    pos = Position.objects.get(organization__code="97010000")
    assert pos.confirmed_through == dt.date(2017, 6, 30) and pos.ends_on is None
    assert pos.unconfirmed and pos.confirmed_label == "2016-17"  # years later: not assumed still there
    assert pos.tenure_years == 1.0 and pos.tenure_text == "at least 1 year"
    # an older file does not move the confirmation back; a later one naming the same person moves it on
    import_file(path=_file(tmp_path, "b.csv", [*row, "Dana Alvarez"]), year=SchoolYear(2015))
    pos.refresh_from_db()
    assert (pos.starts_on, pos.confirmed_through) == (dt.date(2015, 7, 1), dt.date(2017, 6, 30))
    import_file(path=_file(tmp_path, "c.csv", [*row, "Dana Alvarez"]), year=SchoolYear(2019))
    pos.refresh_from_db()
    assert pos.confirmed_through == dt.date(2020, 6, 30) and pos.confirmed_label == "2019-20"
    # a later file naming someone else ends it
    import_file(path=_file(tmp_path, "d.csv", [*row, "Robin Chen"]), year=SchoolYear(2021))
    pos.refresh_from_db()
    assert pos.ends_on == dt.date(2021, 6, 30) and not pos.unconfirmed
    assert pos.tenure_text == "at least 6 years"  # its start is only the first file that named them


@pytest.mark.django_db
def test_a_directory_naming_one_of_two_current_holders_confirms_them_and_naming_another_ends_both(
    tmp_path: Path,
) -> None:
    from edlead.testing import make_district, make_person, make_position

    district = make_district("Alphaville", code="97010000")
    kim = make_position(make_person("Kim", "Park"), district, "superintendent", starts_on=dt.date(2018, 7, 1))
    lee = make_position(make_person("Lee", "Wu"), district, "superintendent", starts_on=dt.date(2019, 7, 1))
    row = ["Alphaville", "97010000", "Public School District", "Superintendent"]
    outcome = import_file(path=_file(tmp_path, "a.csv", [*row, "Kim Park"]), year=SchoolYear(2021))
    assert not outcome.refused, outcome.errors
    kim.refresh_from_db()
    lee.refresh_from_db()
    assert kim.confirmed_through == dt.date(2022, 6, 30) and kim.ends_on is None and lee.ends_on is None
    assert Person.objects.filter(last_name="Park").count() == 1  # never a second Kim Park
    import_file(path=_file(tmp_path, "b.csv", [*row, "Robin Chen"]), year=SchoolYear(2023))
    kim.refresh_from_db()
    lee.refresh_from_db()
    assert kim.ends_on == lee.ends_on == dt.date(2023, 6, 30)
    current = Position.objects.current(dt.date(2024, 1, 1)).filter(
        organization=district, role="superintendent"
    )
    assert [p.person.last_name for p in current] == ["Chen"]
