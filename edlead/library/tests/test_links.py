"""Programs and cohorts link library resources instead of keeping copies: who may link, what fits
(a district's resource only into its own district's programs), and what the pages show."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from edlead.access.tests.conftest import World
from edlead.core.errors import ApplicationError
from edlead.learning import services_cohorts
from edlead.learning.models import Cohort
from edlead.learning.tests.factories import make_program
from edlead.library import services
from edlead.library.models import Resource, ResourceLink
from edlead.library.tests.factories import make_resource

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_coordinator_links_from_the_program_page_and_participants_see_it(world: World) -> None:
    program = make_program("Aspiring Principals", organization=world.orgs["A"])
    item = make_resource("Leading data meetings", kind=Resource.Kind.TOOL, topics=("data-use",))
    coordinator = client_for(world.users["program_coordinator"])
    page = coordinator.get(program.get_absolute_url()).content.decode()
    assert "From the library" in page and f"/library/link/?program={program.pk}" in page
    pick = coordinator.get(f"/library/link/?program={program.pk}&topic=data-use").content.decode()
    assert "Leading data meetings" in pick
    resp = coordinator.post("/library/link/add/", {"program": program.pk, "resource": item.pk})
    assert resp.status_code == 302 and resp["Location"].endswith("#library")
    assert ResourceLink.objects.filter(program=program, resource=item).count() == 1
    leader_page = client_for(world.users["school_leader"]).get(program.get_absolute_url()).content.decode()
    assert "Leading data meetings" in leader_page and "Link from the library" not in leader_page
    again = coordinator.post("/library/link/add/", {"program": program.pk, "resource": item.pk}, follow=True)
    assert "already linked" in again.content.decode()
    assert ResourceLink.objects.filter(program=program).count() == 1
    assert "Program: " in client_for(world.users["educator"]).get(item.get_absolute_url()).content.decode()


def test_only_those_who_run_a_program_link_to_it(world: World) -> None:
    program = make_program("Aspiring Principals", organization=world.orgs["A"])
    item = make_resource("Reading")
    leader = client_for(world.users["school_leader"])
    assert leader.get(f"/library/link/?program={program.pk}").status_code == 403
    assert leader.post("/library/link/add/", {"program": program.pk, "resource": item.pk}).status_code == 403
    from edlead.access.models import RoleGrant
    from edlead.testing import make_user

    beta_coordinator = make_user(
        grants=[(RoleGrant.Role.PROGRAM_COORDINATOR, world.orgs["B"])], password=None
    )
    outsider = client_for(beta_coordinator)
    assert (
        outsider.post("/library/link/add/", {"program": program.pk, "resource": item.pk}).status_code == 404
    )
    assert not ResourceLink.objects.exists()
    link = services.link_add(actor=world.users["program_coordinator"], resource=item, program=program)
    assert leader.post(f"/library/link/{link.pk}/remove/").status_code == 403
    assert (
        client_for(world.users["program_coordinator"]).post(f"/library/link/{link.pk}/remove/").status_code
        == 302
    )
    assert not ResourceLink.objects.exists()


def test_a_districts_resource_links_only_into_its_own_district_and_drafts_not_at_all(world: World) -> None:
    state_program = make_program("Statewide institute")
    alpha_item = make_resource("Alpha protocol", organization=world.orgs["A"])
    draft = make_resource("Half-written", publish=False)
    admin = world.users["state_admin"]
    with pytest.raises(ApplicationError, match="only its own programs"):
        services.link_add(actor=admin, resource=alpha_item, program=state_program)
    with pytest.raises(ApplicationError, match="publish it first"):
        services.link_add(actor=admin, resource=draft, program=state_program)
    pick = client_for(admin).get(f"/library/link/?program={state_program.pk}").content.decode()
    assert "Alpha protocol" not in pick and "Half-written" not in pick


def test_withdrawn_resources_leave_the_program_page_and_come_back_when_published(world: World) -> None:
    program = make_program("Aspiring Principals", organization=world.orgs["A"])
    item = make_resource("Alpha protocol", organization=world.orgs["A"])
    coordinator = world.users["program_coordinator"]
    services.link_add(actor=coordinator, resource=item, program=program)
    leader = client_for(world.users["school_leader"])
    services.resource_withdraw(actor=coordinator, resource=item)
    assert "Alpha protocol" not in leader.get(program.get_absolute_url()).content.decode()
    services.resource_publish(actor=coordinator, resource=item)
    assert "Alpha protocol" in leader.get(program.get_absolute_url()).content.decode()


def test_a_cohorts_facilitator_links_and_its_members_see_it(world: World) -> None:
    coordinator = world.users["program_coordinator"]
    cohort = services_cohorts.cohort_create(
        actor=coordinator,
        name="New Principals Cohort",
        kind=Cohort.Kind.COHORT,
        facilitator=world.people["SUP1"],
        starts_on=timezone.localdate(),
        ends_on=None,
        organization=world.orgs["A"],
        program=None,
        description="",
    )
    services_cohorts.member_add(actor=coordinator, cohort=cohort, person=world.people["P1"])
    item = make_resource("Entry plan template", kind=Resource.Kind.TOOL)
    facilitator = client_for(world.users["principal_supervisor"])
    resp = facilitator.post("/library/link/add/", {"cohort": cohort.pk, "resource": item.pk})
    assert resp.status_code == 302
    member_page = client_for(world.users["school_leader"]).get(cohort.get_absolute_url()).content.decode()
    assert "Entry plan template" in member_page and "Link from the library" not in member_page
    assert (
        client_for(world.users["school_leader"])
        .post("/library/link/add/", {"cohort": cohort.pk, "resource": item.pk})
        .status_code
        == 403
    )
    # Someone outside the cohort does not learn it exists.
    assert client_for(world.users["educator"]).get(f"/library/link/?cohort={cohort.pk}").status_code == 404


@pytest.mark.parametrize("extra", [0, 5])
def test_a_resources_page_reads_in_a_fixed_number_of_queries(
    world: World, extra: int, django_assert_num_queries: Any
) -> None:
    item = make_resource("Shared widely", topics=("equity",), roles=("principal",), indicators=("IV-B",))
    coordinator = world.users["program_coordinator"]
    for n in range(1 + extra):
        program = make_program(f"Program {n}", organization=world.orgs["A"])
        services.link_add(actor=coordinator, resource=item, program=program)
    c = client_for(world.users["school_leader"])
    c.get(item.get_absolute_url())
    # session, user, grants (3), the resource, its topics, roles and indicators, its links, the programs
    # the reader may open, its files (whether the reader may open the resource, content type and rows),
    # unread notices: 14 however many links
    with django_assert_num_queries(QUERIES):
        page = c.get(item.get_absolute_url())
    assert page.content.decode().count("Program: ") == 1 + extra


QUERIES = 14
