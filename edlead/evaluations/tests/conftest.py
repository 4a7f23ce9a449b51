"""Fixtures for the evaluation framework tests: the default rubrics (loaded by `migrate`) and copies."""

from __future__ import annotations

from typing import Any

import pytest

from edlead.access.tests.conftest import World
from edlead.evaluations import services
from edlead.evaluations.models import Framework


@pytest.fixture
def admin_framework(db: Any) -> Framework:
    """The state's MA school-level administrator rubric (loaded after every migrate)."""
    return Framework.objects.get(organization=None, code="ma-administrator", version="2024")


@pytest.fixture
def alpha_copy(world: World, admin_framework: Framework) -> Framework:
    """District Alpha's draft copy of the administrator rubric, made by Alpha's administrator."""
    return services.framework_copy(
        actor=world.users["district_admin"],
        framework=admin_framework,
        district=world.orgs["A"],
        name="Alpha rubric",
    )
