"""The writers of people and positions: one current principal per school unless co-principals,
confirmation of what a source vouches for, transfers and corrections, each audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.lib.schoolyears import SchoolYear
from edlead.people import services
from edlead.people.models import Position
from edlead.people.selectors import principals_for_schools
from edlead.testing import make_district, make_person, make_position, make_school

R = Position.Role
D = dt.date


@pytest.fixture
def schools(db: Any) -> tuple[Any, Any]:
    district = make_district("Demo District", code="99010000")
    return make_school(district, "Oak School", code="99010005"), make_school(
        district, "Elm School", code="99010015"
    )


def _heads(school: Any) -> list[str]:
    return [p.person.last_name for p in principals_for_schools([school])[school.pk]]


def test_a_second_principal_without_an_end_date_for_the_first_is_refused(schools: Any) -> None:
    oak, _ = schools
    old = make_position(make_person("Ola", "Old"), oak, R.PRINCIPAL, starts_on=D(2019, 7, 1))
    with pytest.raises(services.PrincipalConflict) as caught:
        services.position_start(
            person=make_person("Nia", "New"), organization=oak, role=R.PRINCIPAL, starts_on=D(2024, 7, 1)
        )
    assert caught.value.holders == [old]
    assert "Ola Old" in str(caught.value)
    assert Position.objects.filter(organization=oak).count() == 1  # nothing written


def test_starting_a_principal_ends_the_old_one_on_the_given_day(schools: Any) -> None:
    oak, _ = schools
    old = make_position(make_person("Ola", "Old"), oak, R.PRINCIPAL, starts_on=D(2019, 7, 1))
    new = services.position_start(
        person=make_person("Nia", "New"),
        organization=oak,
        role=R.PRINCIPAL,
        starts_on=D(2024, 7, 1),
        end_current_principals_on=D(2024, 6, 30),
    )
    old.refresh_from_db()
    assert old.ends_on == D(2024, 6, 30)
    assert _heads(oak) == ["New"]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.POSITION_CHANGED, target_id=str(old.pk)
    ).exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.POSITION_CHANGED, target_id=str(new.pk)
    ).exists()


def test_an_end_day_on_or_after_the_new_start_is_refused(schools: Any) -> None:
    oak, _ = schools
    make_position(make_person("Ola", "Old"), oak, R.PRINCIPAL, starts_on=D(2019, 7, 1))
    with pytest.raises(ApplicationError, match="must leave before"):
        services.position_start(
            person=make_person("Nia", "New"),
            organization=oak,
            role=R.PRINCIPAL,
            starts_on=D(2024, 7, 1),
            end_current_principals_on=D(2024, 7, 1),
        )


def test_co_principals_are_recorded_as_such_and_both_stay_current(schools: Any) -> None:
    oak, _ = schools
    old = make_position(make_person("Ola", "Old"), oak, R.PRINCIPAL, starts_on=D(2019, 7, 1))
    new = services.position_start(
        person=make_person("Nia", "New"),
        organization=oak,
        role=R.PRINCIPAL,
        starts_on=D(2024, 7, 1),
        is_co_principal=True,
    )
    old.refresh_from_db()
    assert old.is_co_principal and new.is_co_principal
    assert sorted(_heads(oak)) == ["New", "Old"]


def test_only_a_principal_can_be_a_co_principal(schools: Any) -> None:
    oak, _ = schools
    with pytest.raises(ApplicationError, match="Only a principal"):
        services.position_start(
            person=make_person(),
            organization=oak,
            role=R.TEACHER,
            starts_on=D(2024, 7, 1),
            is_co_principal=True,
        )


def test_manual_entries_are_confirmed_through_the_school_year_they_were_entered_or_start(
    schools: Any,
) -> None:
    oak, _ = schools
    today = dt.date.today()
    pos = services.position_start(
        person=make_person(), organization=oak, role=R.TEACHER, starts_on=D(2020, 7, 1)
    )
    assert pos.confirmed_through == SchoolYear.containing(today).ends_on
    assert not pos.unconfirmed
    later = services.position_start(
        person=make_person(), organization=oak, role=R.TEACHER, starts_on=today + dt.timedelta(days=800)
    )
    assert later.confirmed_through == SchoolYear.containing(today + dt.timedelta(days=800)).ends_on


def test_a_transfer_ends_the_old_school_and_starts_the_new_one_the_next_day(schools: Any) -> None:
    oak, elm = schools
    mover = make_person("Mo", "Mover")
    pos = make_position(mover, oak, R.PRINCIPAL, starts_on=D(2018, 7, 1), title="Head of school")
    elm_head = make_position(make_person("Eli", "Elm"), elm, R.PRINCIPAL, starts_on=D(2015, 7, 1))
    moved = services.position_transfer(
        position=pos, to=elm, on=D(2024, 7, 1), end_current_principals_on=D(2024, 6, 30)
    )
    pos.refresh_from_db()
    elm_head.refresh_from_db()
    assert pos.ends_on == D(2024, 6, 30) and elm_head.ends_on == D(2024, 6, 30)
    assert (moved.organization, moved.role, moved.title, moved.starts_on) == (
        elm,
        R.PRINCIPAL,
        "Head of school",
        D(2024, 7, 1),
    )
    assert _heads(elm) == ["Mover"] and _heads(oak) == []


def test_a_transfer_to_a_school_with_a_principal_needs_an_answer(schools: Any) -> None:
    oak, elm = schools
    pos = make_position(make_person("Mo", "Mover"), oak, R.PRINCIPAL, starts_on=D(2018, 7, 1))
    make_position(make_person("Eli", "Elm"), elm, R.PRINCIPAL, starts_on=D(2015, 7, 1))
    with pytest.raises(services.PrincipalConflict):
        services.position_transfer(position=pos, to=elm, on=D(2024, 7, 1))
    pos.refresh_from_db()
    assert pos.ends_on is None  # the whole transfer rolled back


def test_correcting_a_person_logs_field_names_not_values(schools: Any) -> None:
    person = make_person("Jon", "Smth", mepid="12345678")
    services.person_correct(
        person=person, last_name="Smith", preferred_name="Johnny", email="j@example.org", mepid=""
    )
    person.refresh_from_db()
    assert (person.last_name, person.preferred_name, person.email, person.mepid) == (
        "Smith",
        "Johnny",
        "j@example.org",
        None,
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.PERSON_CHANGED, target_id=str(person.pk))
    assert event.detail == {"fields": ["email", "last_name", "mepid", "preferred_name"]}
    assert "Smith" not in str(event.detail) and "12345678" not in str(event.detail)


def test_a_correction_breaking_a_model_rule_writes_nothing(schools: Any) -> None:
    person = make_person("Jon", "Smith")
    with pytest.raises(ValidationError):
        services.person_correct(person=person, mepid="1234")
    person.refresh_from_db()
    assert person.mepid is None
    with pytest.raises(ApplicationError, match="cannot be corrected"):
        services.person_correct(person=person, is_aspiring_leader=True)


def test_an_open_position_past_its_confirmation_counts_tenure_only_to_it(schools: Any) -> None:
    oak, _ = schools
    pos = make_position(
        make_person(),
        oak,
        R.PRINCIPAL,
        starts_on=D(2016, 7, 1),
        source=Position.Source.DESE_DIRECTORY,
        confirmed_through=D(2017, 6, 30),
    )
    assert pos.unconfirmed and pos.confirmed_label == "2016-17"
    assert pos.tenure_years == 1.0
    assert pos.tenure_text == "at least 1 year"
    kept = make_position(make_person(), oak, R.TEACHER, starts_on=D(2016, 7, 1))
    assert not kept.unconfirmed and kept.tenure_text == f"{kept.tenure_years:g} years"
