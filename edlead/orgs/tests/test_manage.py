"""District administrators manage networks, school moves and supervision overrides; all audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.orgs import services
from edlead.orgs.models import Organization, SupervisionOverride
from edlead.people.selectors import supervisors_for_schools


def _manage(world: Any) -> str:
    return reverse("orgs:district-manage", args=[world.orgs["A"].pk])


@pytest.mark.parametrize(
    "role",
    ["principal_supervisor", "school_leader", "superintendent", "hr", "cabinet", "educator", "no_role"],
)
def test_only_administrators_reach_the_manage_page(client: Any, world: Any, role: str) -> None:
    client.force_login(world.users[role])
    assert client.get(_manage(world)).status_code == 404


def test_district_admin_creates_a_network(client: Any, world: Any) -> None:
    client.force_login(world.users["district_admin"])
    response = client.post(
        _manage(world), {"action": "network", "network-name": "East Quadrant", "network-label": "quadrant"}
    )
    assert response.status_code == 302
    net = Organization.objects.get(name="East Quadrant")
    assert (
        net.kind == "network" and net.parent == world.orgs["A"] and net.path.startswith(world.orgs["A"].path)
    )
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ORG_CREATED, target_id=str(net.pk)).exists()


def test_duplicate_network_name_is_refused_with_a_message(client: Any, world: Any) -> None:
    client.force_login(world.users["district_admin"])
    response = client.post(
        _manage(world),
        {"action": "network", "network-name": "north quadrant", "network-label": "quadrant"},
        follow=True,
    )
    assert "already has a network called" in response.content.decode()
    assert Organization.objects.filter(name__iexact="north quadrant").count() == 1


def test_moving_a_school_changes_its_supervisor_and_is_audited(client: Any, world: Any) -> None:
    s2 = world.orgs["S2"]
    assert supervisors_for_schools([s2])[s2.pk] == world.people["SUP1"]
    client.force_login(world.users["district_admin"])
    response = client.post(
        _manage(world), {"action": "move", "move-school": s2.pk, "move-to": world.orgs["N2"].pk}
    )
    assert response.status_code == 302
    s2.refresh_from_db()
    assert s2.parent == world.orgs["N2"]
    assert s2.path == f"{world.orgs['N2'].path}{s2.pk}/"
    assert supervisors_for_schools([s2])[s2.pk] == world.people["SUP2"]
    event = AuditEvent.objects.filter(action=AuditEvent.Action.ORG_CHANGED, target_id=str(s2.pk)).latest("at")
    assert event.detail["moved"] == ["North Quadrant", "South Quadrant"]
    assert event.actor == world.users["district_admin"]
    assert event.ip_address == "127.0.0.1"  # the test client's address, recorded through the middleware


def test_a_school_cannot_move_to_another_district(world: Any) -> None:
    with pytest.raises(ApplicationError):
        services.school_move(school=world.orgs["S1"], to=world.orgs["B"])


def test_override_then_end_it(client: Any, world: Any) -> None:
    s3 = world.orgs["S3"]
    client.force_login(world.users["district_admin"])
    response = client.post(
        _manage(world),
        {
            "action": "override",
            "override-school": s3.pk,
            "override-supervisor": world.people["SUP1"].pk,
            "override-starts_on": dt.date.today().isoformat(),
            "override-reason": "Caseload rebalance",
        },
    )
    assert response.status_code == 302
    assert supervisors_for_schools([s3])[s3.pk] == world.people["SUP1"]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.SUPERVISION_CHANGED, target_id=str(s3.pk)
    ).exists()
    response = client.post(reverse("orgs:override-end", args=[world.orgs["A"].pk, s3.pk]))
    assert response.status_code == 302
    assert not SupervisionOverride.objects.filter(school=s3, ends_on__isnull=True).exists()
    # Ended today: still in force today, gone tomorrow.
    assert (
        supervisors_for_schools([s3], on=dt.date.today() + dt.timedelta(days=1))[s3.pk]
        == world.people["SUP2"]
    )


def test_override_form_offers_only_this_districts_supervisors(client: Any, world: Any) -> None:
    client.force_login(world.users["district_admin"])
    form = client.get(_manage(world)).context["override_form"]
    offered = set(form.fields["supervisor"].queryset)
    assert offered == {world.people["SUP1"], world.people["SUP2"], world.people["SUPT"]}


def test_superintendent_supervises_principals_when_no_supervisor_above(world: Any) -> None:
    from edlead.people.models import Position
    from edlead.testing import make_person, make_position

    supt_b = make_person("Bea", "Beta-Superintendent")
    make_position(supt_b, world.orgs["B"], Position.Role.SUPERINTENDENT)
    assert supervisors_for_schools([world.orgs["T1"]])[world.orgs["T1"].pk] == supt_b


def test_organization_list_filters_hold_on_every_page_and_cover_the_district(client: Any, world: Any) -> None:
    from django.urls import reverse

    from edlead.testing import make_school

    for i in range(55):
        make_school(world.orgs["N2"], f"Filler Academy {i:02d}", code=f"991007{i:02d}")
    client.force_login(world.users["school_leader"])  # a principal of N1 sees the district's directory
    url = reverse("orgs:organization-list")
    first = client.get(url + "?q=Filler&kind=school")
    html = first.content.decode()
    assert first.context["page"].paginator.count == 55
    assert "q=Filler" in html.split("Next page")[0].rsplit("href=", 1)[1]
    second = client.get(url + "?q=Filler&kind=school&page=2")
    assert len(second.context["page"].object_list) == 5
    assert "Cedar Elementary" not in client.get(url + "?q=Cedar").content.decode()  # another district
