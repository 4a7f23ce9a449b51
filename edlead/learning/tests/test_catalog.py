"""The learning catalog: the state's programs for everyone, a district's for its own people; search and
filters; a fixed number of queries; the program page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from edlead.access import policy
from edlead.access.tests.conftest import World
from edlead.learning import selectors
from edlead.learning.models import Program
from edlead.learning.selectors import CatalogFilter
from edlead.learning.tests.factories import make_program, make_session

pytestmark = pytest.mark.django_db


def _titles(user: Any, **f: Any) -> set[str]:
    return {p.title for p in selectors.catalog(user, CatalogFilter(**f))}


def test_state_programs_reach_every_district_and_a_districts_only_its_own(world: World) -> None:
    make_program("State Institute")
    make_program("Alpha Rounds", organization=world.orgs["A"])
    make_program("Beta Cohort", organization=world.orgs["B"])
    make_program("Retired", active=False)
    assert _titles(world.users["school_leader"]) == {"State Institute", "Alpha Rounds"}
    assert _titles(world.users["educator"]) == {"State Institute", "Alpha Rounds"}
    assert _titles(world.users["state_admin"]) == {"State Institute", "Alpha Rounds", "Beta Cohort"}
    assert _titles(world.users["no_role"]) == set()
    beta = Program.objects.get(title="Beta Cohort")
    assert not policy.can(world.users["school_leader"], policy.PROGRAM_VIEW, beta)
    assert policy.can(
        world.users["program_coordinator"], policy.PROGRAM_MANAGE, Program.objects.get(title="Alpha Rounds")
    )
    assert not policy.can(world.users["program_coordinator"], policy.PROGRAM_MANAGE, beta)
    assert not policy.can(world.users["school_leader"], policy.PROGRAM_MANAGE, beta)
    # `can` agrees with `visible_to` for every reader and program: a school's people read their district's.
    for user in world.users.values():
        seen = set(
            policy.visible_to(user, Program.objects.all(), policy.PROGRAM_VIEW).values_list("pk", flat=True)
        )
        for program in Program.objects.all():
            assert policy.can(user, policy.PROGRAM_VIEW, program) == (program.pk in seen), (user, program)


def test_search_and_filters(world: World) -> None:
    make_program("Data Teams", competencies=["data-decisions"], audience_roles=["principal"])
    make_program(
        "Leading for English Learners",
        competencies=["english-learners"],
        format=Program.Format.COURSE,
        audience_roles=["principal", "assistant_principal"],
    )
    alpha = make_program(
        "Alpha Rounds",
        organization=world.orgs["A"],
        audience_roles=["teacher"],
        competencies=["collaborative-teams"],
    )
    make_session(alpha, days=5)
    user = world.users["school_leader"]
    assert _titles(user, q="english") == {"Leading for English Learners"}
    assert _titles(user, q="state leadership academy") == {
        "Data Teams",
        "Leading for English Learners",
        "Alpha Rounds",
    }
    assert _titles(user, format=Program.Format.COURSE) == {"Leading for English Learners"}
    assert _titles(user, competency="data-decisions") == {"Data Teams"}
    assert _titles(user, role="assistant_principal") == {"Leading for English Learners"}
    assert _titles(user, offered_by="district") == {"Alpha Rounds"}
    assert _titles(user, upcoming=True) == {"Alpha Rounds"}


@pytest.mark.parametrize("extra", [0, 6])
def test_the_catalog_page_issues_a_fixed_number_of_queries(
    world: World, client: Any, django_assert_num_queries: Any, extra: int
) -> None:
    for n in range(3 + extra):
        program = make_program(f"Program {n}")
        make_session(program, days=n + 1)
    client.force_login(world.users["school_leader"])
    url = reverse("learning:catalog") + "?format=workshop&upcoming=on"
    client.get(url)
    with django_assert_num_queries(9):
        page = client.get(url)
    assert page.status_code == 200 and f"{3 + extra} programs" in page.content.decode()


def test_program_page_shows_sessions_and_is_hidden_from_other_districts(world: World, client: Any) -> None:
    beta = make_program("Beta Cohort", organization=world.orgs["B"])
    mine = make_program("State Institute", capacity=2)
    make_session(mine, days=9, place="Springfield")
    make_session(mine, days=3, place="Worcester")
    make_session(mine, days=-3, place="Lowell")
    client.force_login(world.users["school_leader"])
    page = client.get(mine.get_absolute_url()).content.decode()
    assert "Worcester" in page and "2 of 2" in page and "Register" in page
    assert page.index("Lowell") < page.index("Worcester") < page.index("Springfield")  # by date
    assert "Held (0 took part)" in page
    assert client.get(beta.get_absolute_url()).status_code == 404
    assert "My learning" in client.get(reverse("learning:catalog")).content.decode()
    # An account without a person record (a state administrator) is not offered a page it cannot open.
    client.force_login(world.users["state_admin"])
    assert "My learning" not in client.get(reverse("learning:catalog")).content.decode()
