"""Fixtures for import tests: the real DESE files (skipped when absent), users by role."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from edlead.access.models import RoleGrant
from edlead.imports.tests.helpers import REAL_FILES


@pytest.fixture
def real_files() -> tuple[Path, Path, Path]:
    missing = [str(p) for p in REAL_FILES if not p.exists()]
    if missing:
        pytest.skip(f"The shared DESE data is not here ({', '.join(missing)}); see ../shared/data/README.md")
    return REAL_FILES


@pytest.fixture
def state(db: Any) -> Any:
    from edlead.testing import make_state

    return make_state()


@pytest.fixture
def users(db: Any, state: Any) -> dict[str, Any]:
    """One account per role that matters to imports, plus a district with one school."""
    from edlead.people.models import Position
    from edlead.testing import make_district, make_person, make_position, make_school, make_user

    district = make_district("Alpha Public Schools", code="99100000")
    other = make_district("Beta Regional", code="99200000")
    school = make_school(district, "Oak Elementary", code="99100010")
    principal_person = make_person("Pat", "Principal")
    make_position(principal_person, school, Position.Role.PRINCIPAL)
    return {
        "district": district,
        "other_district": other,
        "school": school,
        "state_admin": make_user(email="state@example.org", grants=[(RoleGrant.Role.STATE_ADMIN, state)]),
        "district_admin": make_user(
            email="district@example.org", grants=[(RoleGrant.Role.DISTRICT_ADMIN, district)]
        ),
        "other_admin": make_user(email="other@example.org", grants=[(RoleGrant.Role.DISTRICT_ADMIN, other)]),
        "hr": make_user(email="hr@example.org", grants=[(RoleGrant.Role.HR, district)]),
        "principal": make_user(person=principal_person, email="principal@example.org"),
        "superuser": make_user(email="root@example.org", is_superuser=True, is_staff=True),
    }
