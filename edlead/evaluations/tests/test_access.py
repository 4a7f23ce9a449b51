"""Who sees and manages which framework: the state's frameworks are open to every role, a district's copy
to the roles in that district, and managing needs the district's (or the state's) administrator.
`can` and `visible_to` agree for every persona."""

from __future__ import annotations

import pytest

from edlead.access import policy
from edlead.access.tests.conftest import World
from edlead.access.tests.test_matrix import MATRIX
from edlead.evaluations import services
from edlead.evaluations.models import Framework

ROLES = list(MATRIX)
IN_ALPHA = set(ROLES) - {"no_role"}
EXPECTED: dict[str, dict[str, set[str]]] = {
    policy.FRAMEWORK_VIEW: {
        "state": IN_ALPHA,
        "alpha": IN_ALPHA,  # every role of the world works in Alpha (the state admin covers all)
        "beta": {"state_admin"},
    },
    policy.FRAMEWORK_MANAGE: {
        "state": {"state_admin"},
        "alpha": {"state_admin", "district_admin"},
        "beta": {"state_admin"},
    },
}


@pytest.mark.parametrize("action", list(EXPECTED))
def test_framework_access_matches_the_matrix(world: World, admin_framework: Framework, action: str) -> None:
    system = None
    frameworks = {
        "state": admin_framework,
        "alpha": services.framework_copy(actor=system, framework=admin_framework, district=world.orgs["A"]),
        "beta": services.framework_copy(actor=system, framework=admin_framework, district=world.orgs["B"]),
    }
    for role in ROLES:
        user = world.users[role]
        by_can = {name for name, f in frameworks.items() if policy.can(user, action, f)}
        pks = [f.pk for f in frameworks.values()]
        visible = set(
            policy.visible_to(user, Framework.objects.filter(pk__in=pks), action).values_list("pk", flat=True)
        )
        by_visible = {name for name, f in frameworks.items() if f.pk in visible}
        expected = {name for name, roles in EXPECTED[action].items() if role in roles}
        assert by_can == expected, role
        assert by_visible == expected, role
