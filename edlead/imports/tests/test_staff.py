"""The staff-position CSV: upsert by MEPID and (person, org, role, start), refusals, skips."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

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


# --- writes in scope, principal succession, co-principals, End Date ------------------------------------
def _row(mepid: str, first: str, last: str, code: str, role: str, start: str, **extra: str) -> list[str]:
    return [
        mepid,
        first,
        last,
        extra.get("email", ""),
        code,
        role,
        extra.get("title", ""),
        start,
        extra.get("fte", ""),
        extra.get("end", ""),
        extra.get("co", ""),
    ]


def _import_as(tmp_path: Path, user: object, *rows: list[str], dry_run: bool = False) -> object:
    from edlead.imports.services import _scope_for

    scope, _ = _scope_for(user)
    path = write_csv(tmp_path / "staff.csv", [HEADER, *rows])
    return import_file(path=path, actor=user, scope_paths=scope, dry_run=dry_run)


def _current_principals(school: Any) -> list[str]:
    from edlead.people.selectors import principals_for_schools

    return sorted(p.person.last_name for p in principals_for_schools([school]).get(school.pk, []))


def test_a_row_for_someone_outside_the_importers_scope_is_skipped_without_saying_they_exist(
    tmp_path: Path, world: object
) -> None:
    beta_principal = world.people["PT1"]
    beta_principal.mepid = "11112222"
    beta_principal.save()
    oak = world.orgs["S1"]
    outcome = _import_as(
        tmp_path,
        world.users["hr"],
        _row("11112222", "Quinn", "Renamed", oak.code, "teacher", "2024-07-01"),
    )
    assert not outcome.refused and outcome.skipped == 1
    (skip,) = outcome.skips
    assert (skip.line, skip.column) == (2, "MEPID")
    assert skip.message == "MEPID 11112222 is not among the people you may change; the row was not imported"
    assert "Beta" not in skip.message and "Cedar" not in skip.message
    beta_principal.refresh_from_db()
    assert beta_principal.last_name == "Principal-Beta"
    assert not Position.objects.filter(person=beta_principal, organization=oak).exists()


def test_hr_cannot_import_a_superintendent_position_for_themselves(tmp_path: Path, world: object) -> None:
    from edlead.access.models import RoleGrant
    from edlead.testing import make_person, make_position, make_user

    me = make_person("Hana", "Human-Resources", mepid="33334444")
    make_position(me, world.orgs["A"], Position.Role.OTHER, title="HR director")  # in her own scope
    hr = make_user(person=me, grants=[(RoleGrant.Role.HR, world.orgs["A"])], password=None)
    outcome = _import_as(
        tmp_path,
        hr,
        _row("33334444", "Hana", "Human-Resources", world.orgs["A"].code, "superintendent", "2024-07-01"),
        _row("55556666", "Sam", "Newhire", world.orgs["A"].code, "superintendent", "2024-07-01"),
    )
    assert outcome.applied and outcome.skipped == 2
    assert {(s.line, s.column) for s in outcome.skips} == {(2, "Role"), (3, "Role")}
    assert "gives access you could not grant directly" in outcome.skips[0].message
    assert not Position.objects.filter(role=Position.Role.SUPERINTENDENT, person=me).exists()
    from edlead.access import policy

    policy.forget_grants(hr)
    assert not policy.can(hr, policy.AUDIT_VIEW)


def test_an_imported_position_that_gives_an_account_access_is_audited_as_an_access_change(
    tmp_path: Path, world: object
) -> None:
    from edlead.core.models import AuditEvent

    teacher = world.people["TEA1"]  # has an account
    teacher.mepid = "77778888"
    teacher.save()
    hr = world.users["hr"]
    outcome = _import_as(
        tmp_path,
        hr,
        _row("77778888", "Terry", "Teacher-One", world.orgs["S2"].code, "assistant principal", "2024-07-01"),
    )
    assert outcome.applied and outcome.created == 1, outcome.skips
    event = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_GRANTED)
    assert event.actor == hr
    assert event.detail["role"] == "school_leader" and event.detail["via"] == "staff import"
    assert (
        event.detail["from_position"] == Position.objects.get(person=teacher, role="assistant_principal").pk
    )
    assert event.detail["user"] == world.users["educator"].pk
    # accounts only: a person without one gets no access event
    _import_as(tmp_path, hr, _row("99990000", "No", "Account", world.orgs["S2"].code, "coach", "2024-07-01"))
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_GRANTED).count() == 1


def test_a_new_principal_ends_the_open_ended_one_the_day_before(tmp_path: Path, world: object) -> None:
    oak = world.orgs["S1"]
    preview = _import_as(
        tmp_path,
        world.users["hr"],
        _row("12121212", "Nia", "Newhead", oak.code, "principal", "2025-07-01"),
        dry_run=True,
    )
    assert [(c.action, c.detail) for c in preview.changes if c.action == "end"] == [
        ("end", "ends 2025-06-30 (the day before the new principal starts)")
    ]
    assert _current_principals(oak) == ["Principal-One"]  # a preview writes nothing
    outcome = _import_as(
        tmp_path, world.users["hr"], _row("12121212", "Nia", "Newhead", oak.code, "principal", "2025-07-01")
    )
    assert outcome.applied
    old = Position.objects.get(person=world.people["P1"], organization=oak)
    assert old.ends_on == dt.date(2025, 6, 30)
    assert _current_principals(oak) == ["Newhead"]


def test_an_overlapping_principal_with_a_later_start_makes_the_row_need_an_end_date(
    tmp_path: Path, world: object
) -> None:
    oak = world.orgs["S1"]  # Pat Principal-One since 2020-07-01
    outcome = _import_as(
        tmp_path, world.users["hr"], _row("12121212", "Old", "Timer", oak.code, "principal", "2019-07-01")
    )
    assert outcome.skipped == 1 and outcome.skips[0].column == "End Date"
    assert "give them an End Date first" in outcome.skips[0].message
    assert _current_principals(oak) == ["Principal-One"]


def test_co_principals_must_be_marked_on_both_rows(tmp_path: Path, world: object) -> None:
    oak = world.orgs["S1"]
    one = _import_as(
        tmp_path,
        world.users["hr"],
        _row("12121212", "Cora", "Colead", oak.code, "principal", "2025-07-01", co="yes"),
    )
    assert one.skipped == 1 and "mark Co-Principal yes on their row too" in one.skips[0].message
    world.people["P1"].mepid = "23232323"
    world.people["P1"].save()
    both = _import_as(
        tmp_path,
        world.users["hr"],
        _row("23232323", "Pat", "Principal-One", oak.code, "principal", "2020-07-01", co="yes"),
        _row("12121212", "Cora", "Colead", oak.code, "principal", "2025-07-01", co="yes"),
    )
    assert both.skipped == 0, both.skips
    assert _current_principals(oak) == ["Colead", "Principal-One"]
    assert set(
        Position.objects.filter(organization=oak, role="principal", ends_on=None).values_list(
            "is_co_principal", flat=True
        )
    ) == {True}


def test_end_date_column_ends_a_position_and_is_checked(tmp_path: Path, school: object) -> None:
    rows = [
        _row("12345678", "Jordan", "Example", "99010005", "teacher", "2020-07-01"),
    ]
    run_import(write_csv(tmp_path / "staff.csv", [HEADER, *rows]))
    rows = [_row("12345678", "Jordan", "Example", "99010005", "teacher", "2020-07-01", end="6/30/2024")]
    outcome = import_file(path=write_csv(tmp_path / "staff.csv", [HEADER, *rows]))
    assert outcome.updated == 1 and outcome.changes[0].detail == "end date"
    assert Position.objects.get().ends_on == dt.date(2024, 6, 30)
    bad = [
        _row("12345678", "Jordan", "Example", "99010005", "teacher", "2020-07-01", end="2019-01-01"),
        _row("22345678", "Ana", "B", "99010005", "teacher", "2020-07-01", co="yes"),
        _row("32345678", "Bo", "C", "99010005", "principal", "2020-07-01", co="maybe"),
    ]
    refused = import_file(path=write_csv(tmp_path / "staff.csv", [HEADER, *bad]))
    assert {(e.line, e.column) for e in refused.errors} == {(4, "Co-Principal")}  # a parse error first
    refused = import_file(path=write_csv(tmp_path / "staff.csv", [HEADER, *bad[:2]]))
    assert {(e.line, e.column) for e in refused.errors} == {(2, "End Date"), (3, "Co-Principal")}


def test_a_formula_like_name_is_text_and_a_control_character_is_a_cell_error(
    tmp_path: Path, school: object
) -> None:
    formula = '=HYPERLINK("http://evil.example","x")'
    outcome = import_file(
        path=write_csv(
            tmp_path / "staff.csv",
            [HEADER, _row("12345678", formula, "Example", "99010005", "teacher", "2024-07-01")],
        )
    )
    assert outcome.applied and Person.objects.get().first_name == formula
    outcome = import_file(
        path=write_csv(
            tmp_path / "staff.csv",
            [
                HEADER,
                _row("22345678", "\x07=cmd", "Bell", "99010005", "teacher", "2024-07-01"),
                _row("32345678", "Esc", "By\x1bte", "99010005", "teacher", "2024-07-01"),
            ],
        )
    )
    assert outcome.refused and not outcome.applied
    assert [(e.line, e.column) for e in outcome.errors] == [(2, "First Name"), (3, "Last Name")]
    assert "control character (U+0007)" in outcome.errors[0].message
    assert Person.objects.count() == 1


def test_staff_import_confirms_its_positions_through_the_current_school_year(
    tmp_path: Path, school: object
) -> None:
    from edlead.lib.schoolyears import SchoolYear

    run_import(write_csv(tmp_path / "staff.csv", [HEADER, TEMPLATE_EXAMPLE]))
    assert Position.objects.get().confirmed_through == SchoolYear.current().ends_on
    Position.objects.update(confirmed_through=dt.date(2017, 6, 30))
    run_import(write_csv(tmp_path / "staff.csv", [HEADER, TEMPLATE_EXAMPLE]))
    assert Position.objects.get().confirmed_through == SchoolYear.current().ends_on


def test_a_position_starting_next_school_year_is_confirmed_through_that_year(
    tmp_path: Path, school: object
) -> None:
    from edlead.lib.schoolyears import SchoolYear

    start = SchoolYear.current().ends_on + dt.timedelta(days=1)  # next July 1
    row = _row("12345678", "Jordan", "Example", "99010005", "teacher", start.isoformat())
    run_import(write_csv(tmp_path / "staff.csv", [HEADER, row]))
    assert Position.objects.get().confirmed_through == SchoolYear.containing(start).ends_on


@pytest.mark.django_db
def test_the_import_audit_event_names_the_people_and_fields_it_changed(
    tmp_path: Path, school: object
) -> None:
    from edlead.core.models import AuditEvent

    write = lambda rows: write_csv(tmp_path / "staff.csv", [HEADER, *rows])  # noqa: E731
    run_import(write([["12345678", "Jordan", "Example", "", "99010005", "Teacher", "", "7/1/2023", "0.5"]]))
    run_import(
        write([["12345678", "Jordan", "Example-Smith", "", "99010005", "Teacher", "", "7/1/2023", "0.8"]])
    )
    first, second = AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT_APPLIED).order_by("pk")
    assert {c["record"] for c in first.detail["changes"]} == {"person", "position"}
    changed = {(c["record"], c["detail"]) for c in second.detail["changes"]}
    person_change = next(d for r, d in changed if r == "person")
    position_change = next(d for r, d in changed if r == "position")
    assert "last_name" in person_change or "last name" in person_change.lower()
    assert "fte" in position_change.lower()
    assert all("Example" in c["label"] for c in second.detail["changes"])
