"""Who reads and acts on support requests: a role × scope matrix, through the pages (404 for "missing"
and "not yours" alike) and through the selectors, which agree.

Three requests: R1 at Oak Elementary (S1, Alpha's North Quadrant) routed by its principal, R2 at Birch
High (S3, Alpha's South Quadrant), R3 at Cedar Elementary (T1, Beta) — each to Special Education.
Responders: Rae (Alpha's Special Education), Mo (Alpha's Multilingual Education), Bea (Beta's Special
Education, the same name in another district)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from edlead.access import policy
from edlead.access.tests.conftest import World
from edlead.support import rules
from edlead.support.models import SupportRequest
from edlead.support.tests.factories import make_request, make_responder

pytestmark = pytest.mark.django_db

READ: dict[str, set[str]] = {
    "school_leader": {"R1"},
    "assistant_principal": {"R1"},  # the school's leaders
    "principal_supervisor": {"R1"},  # their schools; never another quadrant's
    "superintendent": {"R1", "R2"},
    "district_admin": {"R1", "R2"},
    "state_admin": {"R1", "R2", "R3"},
    "hr": set(),
    "cabinet": set(),
    "coach": set(),
    "educator": set(),  # a teacher at the school
    "program_coordinator": set(),
    "no_role": set(),
    "rae": {"R1", "R2"},  # the department's responder, whichever school
    "mo": set(),  # another department
    "bea": {"R3"},  # the same department's name in another district
}
RESPOND = {"rae": {"R1", "R2"}, "bea": {"R3"}}
ROUTE_S1 = {"school_leader", "assistant_principal", "principal_supervisor"}


@pytest.fixture
def place(world: World) -> dict[str, Any]:
    _rae, rae = make_responder(world.orgs["A"])
    _mo, mo = make_responder(world.orgs["A"], "Multilingual Education", "Mo", "Multilingual")
    _bea, bea = make_responder(world.orgs["B"], first="Bea", last="Beta")
    users = {**world.users, "rae": rae, "mo": mo, "bea": bea}
    reqs = {
        "R1": make_request(world.orgs["S1"], world.people["P1"]),
        "R2": make_request(world.orgs["S3"], world.people["P3"]),
        "R3": make_request(world.orgs["T1"], world.people["PT1"]),
    }
    return {"users": users, "reqs": reqs}


@pytest.mark.parametrize("who", list(READ))
def test_reading_matrix_pages_and_selectors_agree(place: dict[str, Any], who: str) -> None:
    user, reqs = place["users"][who], place["reqs"]
    names = {v.pk: k for k, v in reqs.items()}
    listed = {names[pk] for pk in rules.readable(user).values_list("pk", flat=True)}
    assert listed == READ[who]
    client = Client()
    client.force_login(user)
    for name, req in reqs.items():
        status = client.get(reverse("support:request-detail", args=[req.pk])).status_code
        assert status == (200 if name in READ[who] else 404), (who, name)
        assert rules.may_read(user, req) is (name in READ[who])
        assert rules.may_respond(user, req) is (name in RESPOND.get(who, set())), (who, name)
    page = client.get(reverse("support:request-list"))
    if READ[who] or who in ("mo",):  # responders and the school's side have the list, even when empty
        assert page.status_code == 200
        shown = {name for name, req in reqs.items() if req.get_absolute_url() in page.content.decode()}
        assert shown == READ[who]
    elif not policy.can(user, policy.SUPPORT_VIEW):
        assert page.status_code == 404


@pytest.mark.parametrize("who", list(READ))
def test_only_a_schools_leaders_and_supervisor_route_for_it(
    place: dict[str, Any], world: World, who: str
) -> None:
    user = place["users"][who]
    assert policy.can(user, policy.SUPPORT_ROUTE, world.orgs["S1"]) is (who in ROUTE_S1)


def test_acting_on_a_request_one_cannot_read_is_404(place: dict[str, Any]) -> None:
    client = Client()
    client.force_login(place["users"]["bea"])
    r1 = place["reqs"]["R1"]
    response = client.post(reverse("support:request-act", args=[r1.pk, "triage"]), {"priority": "low"})
    assert response.status_code == 404
    assert SupportRequest.objects.get(pk=r1.pk).status == "new"


def test_a_reader_who_may_not_answer_is_refused_plainly(place: dict[str, Any]) -> None:
    client = Client()
    client.force_login(place["users"]["superintendent"])
    r1 = place["reqs"]["R1"]
    page = client.get(r1.get_absolute_url()).content.decode()
    assert "Send the answer" not in page and "Mark triaged" not in page
    response = client.post(reverse("support:request-act", args=[r1.pk, "triage"]), {"priority": "low"})
    assert response.status_code == 400
    assert "Only a responder of Special Education may triage this request." in response.content.decode()


def test_department_pages_open_to_the_districts_staff_and_responders_only(
    place: dict[str, Any], world: World
) -> None:
    alpha = world.orgs["A"]
    url = reverse("support:department-detail", args=[alpha.pk, "special-education"])
    for who, status in (("educator", 200), ("rae", 200), ("mo", 200), ("bea", 404), ("no_role", 404)):
        client = Client()
        client.force_login(place["users"][who])
        assert client.get(url).status_code == status, who
        assert client.get(reverse("support:district-departments", args=[alpha.pk])).status_code == status, who
