"""Keeping a record current through the person page's forms: who gets the buttons, what each form
writes, the principal confirmation step, and access never given through a side door."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from edlead.core.models import AuditEvent
from edlead.people.models import Person, Position
from edlead.people.selectors import principals_for_schools
from edlead.testing import make_person

R = Position.Role


def _url(person: Person, action: str) -> str:
    return reverse("people:person-change", args=[person.pk, action])


def _heads(school: Any) -> list[str]:
    return sorted(p.person.last_name for p in principals_for_schools([school]).get(school.pk, []))


@pytest.mark.parametrize("who", ["hr", "district_admin"])
def test_hr_and_district_admins_get_the_buttons_on_the_person_page(client: Any, world: Any, who: str) -> None:
    client.force_login(world.users[who])
    html = client.get(world.people["P1"].get_absolute_url()).content.decode()
    for action, label in [
        ("start", "Start a position"),
        ("end", "End a position"),
        ("transfer", "Transfer to another school"),
        ("correct", "Correct the record"),
    ]:
        assert f'href="{_url(world.people["P1"], action)}"' in html and label in html


@pytest.mark.parametrize("who", ["school_leader", "principal_supervisor", "superintendent", "coach"])
def test_others_get_no_buttons_and_the_forms_are_not_found(client: Any, world: Any, who: str) -> None:
    client.force_login(world.users[who])
    person = world.people["TEA1"]
    html = client.get(person.get_absolute_url()).content.decode()
    assert "Correct the record" not in html and "Start a position" not in html
    for action in ("start", "end", "transfer", "correct"):
        assert client.get(_url(person, action)).status_code == 404


def test_another_districts_hr_cannot_open_the_forms(client: Any, world: Any) -> None:
    client.force_login(world.users["hr"])  # HR of Alpha
    assert client.get(_url(world.people["PT1"], "correct")).status_code == 404


def test_ending_a_position_through_the_form(client: Any, world: Any) -> None:
    hr = world.users["hr"]
    client.force_login(hr)
    pos = Position.objects.get(person=world.people["TEA1"])
    response = client.post(_url(world.people["TEA1"], "end"), {"position": pos.pk, "ends_on": "2025-06-30"})
    assert response.status_code == 302
    pos.refresh_from_db()
    assert pos.ends_on == dt.date(2025, 6, 30)
    assert AuditEvent.objects.filter(action="position_changed", actor=hr, target_id=str(pos.pk)).exists()
    revoked = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_REVOKED)  # the teacher has an account
    assert revoked.actor == hr and revoked.detail["from_position"] == pos.pk


def test_an_end_before_the_start_is_a_form_error(client: Any, world: Any) -> None:
    client.force_login(world.users["hr"])
    pos = Position.objects.get(person=world.people["TEA1"])
    response = client.post(_url(world.people["TEA1"], "end"), {"position": pos.pk, "ends_on": "2001-01-01"})
    assert response.status_code == 200
    assert "it cannot end before" in response.content.decode()
    pos.refresh_from_db()
    assert pos.ends_on is None


def test_a_new_principal_asks_when_the_old_one_left_and_then_ends_them(client: Any, world: Any) -> None:
    hr = world.users["hr"]
    client.force_login(hr)
    oak = world.orgs["S1"]
    newcomer = world.people["AP1"]
    data = {"organization": oak.pk, "role": "principal", "starts_on": "2025-07-01", "fte": "1.00"}
    first = client.post(_url(newcomer, "start"), data)
    assert first.status_code == 200
    html = first.content.decode()
    assert "Oak Elementary has a current principal with no end date: Pat Principal-One" in html
    assert _heads(oak) == ["Principal-One"]  # nothing written yet
    second = client.post(_url(newcomer, "start"), {**data, "previous_left_on": "2025-06-30"})
    assert second.status_code == 302, second.content.decode()
    old = Position.objects.get(person=world.people["P1"], organization=oak)
    assert old.ends_on == dt.date(2025, 6, 30)
    assert _heads(oak) == ["Assistant-One"]
    started = Position.objects.get(person=newcomer, role=R.PRINCIPAL)
    assert started.confirmed_through is not None and started.source == Position.Source.MANUAL
    granted = AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_GRANTED, actor=hr)
    assert [e.detail["from_position"] for e in granted] == [started.pk]


def test_a_co_principal_keeps_both_principals_current(client: Any, world: Any) -> None:
    client.force_login(world.users["district_admin"])
    oak = world.orgs["S1"]
    data = {"organization": oak.pk, "role": "principal", "starts_on": "2025-07-01", "fte": "1.00"}
    response = client.post(_url(world.people["AP1"], "start"), {**data, "is_co_principal": "on"})
    assert response.status_code == 302
    assert _heads(oak) == ["Assistant-One", "Principal-One"]
    assert all(p.is_co_principal for p in principals_for_schools([oak])[oak.pk])


def test_transferring_a_principal_to_a_school_with_a_principal(client: Any, world: Any) -> None:
    client.force_login(world.users["hr"])
    p1 = world.people["P1"]
    oak, birch = world.orgs["S1"], world.orgs["S3"]
    pos = Position.objects.get(person=p1, organization=oak)
    data = {"position": pos.pk, "to": birch.pk, "on": "2025-07-01"}
    asked = client.post(_url(p1, "transfer"), data)
    assert asked.status_code == 200 and "Pia Principal-Three" in asked.content.decode()
    done = client.post(_url(p1, "transfer"), {**data, "previous_left_on": "2025-06-30"})
    assert done.status_code == 302
    assert _heads(oak) == [] and _heads(birch) == ["Principal-One"]
    pos.refresh_from_db()
    assert pos.ends_on == dt.date(2025, 6, 30)


def test_hr_cannot_give_a_superintendent_position_or_one_of_their_own(client: Any, world: Any) -> None:
    from edlead.access.models import RoleGrant
    from edlead.testing import make_position, make_user

    alpha = world.orgs["A"]
    me = make_person("Hana", "Resources")
    make_position(me, alpha, R.OTHER, title="HR director")
    hr = make_user(person=me, grants=[(RoleGrant.Role.HR, alpha)], password=None)
    client.force_login(hr)
    data = {"organization": alpha.pk, "role": "superintendent", "starts_on": "2025-07-01", "fte": "1"}
    for person in (me, world.people["TEA1"]):
        response = client.post(_url(person, "start"), data)
        assert response.status_code == 200
        assert "gives access you could not grant directly" in response.content.decode() or (
            "position of your own" in response.content.decode()
        )
    assert not Position.objects.filter(role=R.SUPERINTENDENT).exclude(person=world.people["SUPT"]).exists()
    own_principal = client.post(
        _url(me, "start"), {**data, "role": "principal", "organization": world.orgs["S2"].pk}
    )
    assert "position of your own" in own_principal.content.decode()


def test_correcting_a_person_through_the_form(client: Any, world: Any) -> None:
    hr = world.users["hr"]
    client.force_login(hr)
    person = world.people["TEA1"]
    page = client.get(_url(person, "correct"))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert AuditEvent.objects.filter(action="record_viewed", actor=hr, target_id=str(person.pk)).exists()
    data = {
        "first_name": "Terry",
        "last_name": "Teacher-Won",
        "preferred_name": "T",
        "email": "t@example.org",
        "mepid": "13572468",
        "local_employee_number": "E-1",
    }
    assert client.post(_url(person, "correct"), data).status_code == 302
    person.refresh_from_db()
    assert (person.last_name, person.preferred_name, person.mepid) == ("Teacher-Won", "T", "13572468")
    event = AuditEvent.objects.get(action="person_changed", actor=hr, target_id=str(person.pk))
    assert "13572468" not in str(event.detail)


def test_a_mepid_in_use_gives_one_message_whoever_holds_it(client: Any, world: Any) -> None:
    world.people["PT1"].mepid = "11111111"  # another district's principal
    world.people["PT1"].save()
    client.force_login(world.users["hr"])
    person = world.people["TEA1"]
    base = {
        "first_name": "Terry",
        "last_name": "Teacher-One",
        "preferred_name": "",
        "email": "",
        "local_employee_number": "",
    }
    bad = client.post(_url(person, "correct"), {**base, "mepid": "11111111"}).content.decode()
    assert "This MEPID cannot be used for this person" in bad and "Quinn" not in bad
    short = client.post(_url(person, "correct"), {**base, "mepid": "1234"}).content.decode()
    assert "A MEPID has 8 digits." in short
    person.refresh_from_db()
    assert person.mepid is None


def test_a_school_never_shows_two_current_principals_across_forms_and_imports(
    client: Any, world: Any, tmp_path: Any
) -> None:
    from edlead.imports.kinds.staff import TEMPLATE_HEADER
    from edlead.imports.services import _scope_for, import_file
    from edlead.imports.tests.helpers import write_csv

    hr = world.users["hr"]
    oak = world.orgs["S1"]
    client.force_login(hr)

    def lone_principal() -> None:
        heads = principals_for_schools([oak]).get(oak.pk, [])
        assert len(heads) <= 1 or all(p.is_co_principal for p in heads)

    client.post(
        _url(world.people["AP1"], "start"),
        {"organization": oak.pk, "role": "principal", "starts_on": "2024-07-01", "fte": "1"},
    )  # refused: asks about Pat first
    lone_principal()
    row = ["31313131", "Imp", "Orted", "", oak.code, "principal", "", "2025-07-01", "", "", ""]
    scope, _ = _scope_for(hr)
    outcome = import_file(
        path=write_csv(tmp_path / "s.csv", [TEMPLATE_HEADER, row]), actor=hr, scope_paths=scope
    )
    assert outcome.applied
    lone_principal()
    assert _heads(oak) == ["Orted"]
    p3 = world.people["P3"]
    pos = Position.objects.get(person=p3, role=R.PRINCIPAL)
    client.post(_url(p3, "transfer"), {"position": pos.pk, "to": oak.pk, "on": "2026-01-05"})
    lone_principal()  # refused until answered
    client.post(
        _url(p3, "transfer"), {"position": pos.pk, "to": oak.pk, "on": "2026-01-05", "is_co_principal": "on"}
    )
    lone_principal()
    assert _heads(oak) == ["Orted", "Principal-Three"]
