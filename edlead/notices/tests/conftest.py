"""Notice kinds used by the tests, and a principal with an account in a named district."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from edlead import notices
from edlead.people.models import Person, Position
from edlead.testing import make_district, make_person, make_position, make_school, make_user

REMINDER = "tests.reminder"
NEWS = "tests.news"
notices.register_kind(REMINDER, "Test reminder", notices.IMMEDIATE)
notices.register_kind(NEWS, "Test news", notices.DIGEST)


@dataclass
class Cast:
    district: Any
    school: Any
    principal: Person
    user: Any
    other: Person
    other_user: Any


@pytest.fixture
def cast(db: Any) -> Cast:
    district = make_district("Riverton Public Schools")
    school = make_school(district, "Lincoln Elementary")
    principal = make_person("Pat", "Lincoln", email="pat.work@riverton.example")
    make_position(principal, school, Position.Role.PRINCIPAL)
    other = make_person("Olly", "Other")
    make_position(other, school, Position.Role.ASSISTANT_PRINCIPAL)
    return Cast(
        district=district,
        school=school,
        principal=principal,
        user=make_user(person=principal, email="pat@riverton.example"),
        other=other,
        other_user=make_user(person=other, email="olly@riverton.example"),
    )
