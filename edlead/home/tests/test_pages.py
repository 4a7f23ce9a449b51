"""HTTP-level tests of the spine's pages: each role sees its own home, pages are scoped, counts fixed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from edlead.core.models import AuditEvent
from edlead.people.models import Person, Position
from edlead.testing import make_person, make_position, make_school


def _get(client: Any, user: Any, url: str) -> Any:
    client.force_login(user)
    return client.get(url)


def test_anonymous_is_sent_to_sign_in(client: Any, world: Any) -> None:
    for url in ["/", reverse("orgs:organization-detail", args=[world.orgs["S1"].pk]), reverse("home:search")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_supervisor_home_lists_their_principals(client: Any, world: Any) -> None:
    home = _get(client, world.users["principal_supervisor"], "/").content.decode()
    # The home page loads the section as it opens; without JavaScript the link opens it as a page.
    assert 'hx-get="/principals/"' in home and '<a href="/principals/">' in home
    response = _get(client, world.users["principal_supervisor"], reverse("home:principals"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>My principals</h1>" in html and "My principals: your" in html
    assert "Oak Elementary" in html and "Pat Principal-One" in html
    assert "Elm Middle" in html  # in N1, no principal
    assert "Vacant" in html
    assert "Birch High" not in html  # another network


def test_principal_home_shows_their_school_and_team(client: Any, world: Any) -> None:
    response = _get(client, world.users["school_leader"], "/")
    html = response.content.decode()
    assert "My school:" in html and "Oak Elementary" in html
    assert "Ash Assistant-One" in html
    assert "My principals" not in html
    # The section's own page tells anyone else plainly that there is nothing of theirs to supervise.
    other = _get(client, world.users["school_leader"], reverse("home:principals")).content.decode()
    assert "You do not hold the principal supervisor role" in other and "Oak Elementary" not in other


def test_district_admin_home_shows_district_figures(client: Any, world: Any) -> None:
    html = _get(client, world.users["district_admin"], "/").content.decode()
    assert "Alpha Public Schools" in html
    assert "District administrator" in html
    assert "Beta Regional" not in html


def test_school_page_shows_team_history_and_supervisor(client: Any, world: Any) -> None:
    url = reverse("orgs:organization-detail", args=[world.orgs["S1"].pk])
    html = _get(client, world.users["principal_supervisor"], url).content.decode()
    assert "Leadership team" in html and "Pat Principal-One" in html
    assert "History of principals" in html and "Fran Former" in html
    assert "Sam Supervisor-North" in html


def test_school_of_another_district_is_404_and_own_district_schools_open(client: Any, world: Any) -> None:
    other_district = reverse("orgs:organization-detail", args=[world.orgs["T1"].pk])
    assert _get(client, world.users["principal_supervisor"], other_district).status_code == 404
    assert _get(client, world.users["school_leader"], other_district).status_code == 404
    sibling = reverse("orgs:organization-detail", args=[world.orgs["S3"].pk])
    for role in ("principal_supervisor", "school_leader", "educator", "district_admin"):
        assert _get(client, world.users[role], sibling).status_code == 200, role


def test_person_of_another_district_is_404_like_a_missing_one(client: Any, world: Any) -> None:
    user = world.users["principal_supervisor"]
    other = reverse("people:person-detail", args=[world.people["PT1"].pk])
    missing = reverse("people:person-detail", args=[999999])
    assert _get(client, user, other).status_code == 404
    assert _get(client, user, missing).status_code == 404
    assert b"Page not found" in _get(client, user, missing).content  # the branded page


def test_colleague_outside_record_scope_opens_as_a_directory_card(client: Any, world: Any) -> None:
    """A supervisor of the North quadrant opens a South principal: name, school, supervisor — no
    positions history, no personnel details, nothing audited."""
    user = world.users["principal_supervisor"]
    from edlead.core.models import AuditEvent

    before = AuditEvent.objects.filter(action=AuditEvent.Action.RECORD_VIEWED).count()
    html = _get(client, user, reverse("people:person-detail", args=[world.people["P3"].pk])).content.decode()
    assert "Directory card" in html and "Birch High" in html and "Sky Supervisor-South" in html
    assert "Personnel details" not in html and "Schools led" not in html
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RECORD_VIEWED).count() == before


def test_assistant_principal_does_not_see_their_principals_personnel_details(client: Any, world: Any) -> None:
    user = world.users["assistant_principal"]
    html = _get(client, user, reverse("people:person-detail", args=[world.people["P1"].pk])).content.decode()
    assert "Pat Principal-One" in html and "Personnel details" not in html
    own = _get(client, user, reverse("people:person-detail", args=[world.people["AP1"].pk])).content.decode()
    assert "Personnel details" in own


def test_record_pages_are_not_stored_by_browsers(client: Any, world: Any) -> None:
    response = _get(client, world.users["hr"], reverse("people:person-detail", args=[world.people["P1"].pk]))
    assert "no-store" in response["Cache-Control"]


def test_reading_personnel_details_is_audited(client: Any, world: Any) -> None:
    person = world.people["P1"]
    url = reverse("people:person-detail", args=[person.pk])
    before = AuditEvent.objects.filter(action=AuditEvent.Action.RECORD_VIEWED).count()
    response = _get(client, world.users["principal_supervisor"], url)
    assert response.status_code == 200
    assert "Personnel details" in response.content.decode()
    row = AuditEvent.objects.filter(action=AuditEvent.Action.RECORD_VIEWED).latest("at")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RECORD_VIEWED).count() == before + 1
    assert row.actor == world.users["principal_supervisor"]
    assert row.target_type == "people.person" and row.target_id == str(person.pk)


def test_coach_sees_person_without_personnel_details_and_no_audit_row(client: Any, world: Any) -> None:
    url = reverse("people:person-detail", args=[world.people["P1"].pk])
    before = AuditEvent.objects.filter(action=AuditEvent.Action.RECORD_VIEWED).count()
    html = _get(client, world.users["coach"], url).content.decode()
    assert "Personnel details" not in html
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RECORD_VIEWED).count() == before


def test_person_page_is_the_leader_record(client: Any, world: Any) -> None:
    person = make_person("Lee", "Longitudinal")
    make_position(
        person, world.orgs["S2"], Position.Role.ASSISTANT_PRINCIPAL, dt.date(2015, 7, 1), dt.date(2018, 6, 30)
    )
    make_position(person, world.orgs["S2"], Position.Role.PRINCIPAL, dt.date(2018, 7, 1))
    html = _get(
        client, world.users["district_admin"], reverse("people:person-detail", args=[person.pk])
    ).content.decode()
    assert "Schools led" in html and "Elm Middle" in html
    assert "Assistant principal" in html
    assert "Sam Supervisor-North" in html  # supervised by the network's supervisor


def test_search_finds_only_what_is_visible(client: Any, world: Any) -> None:
    user = world.users["principal_supervisor"]
    html = _get(client, user, reverse("home:search") + "?q=Principal").content.decode()
    assert "Principal-One" in html and "Principal-Three" in html  # colleagues in the district
    assert "Principal-Beta" not in html  # another district
    html = _get(client, user, reverse("home:search") + "?q=Oak").content.decode()
    assert "Oak Elementary" in html
    html = _get(client, user, reverse("home:search") + "?q=Cedar").content.decode()
    assert "Cedar Elementary" not in html


def test_search_by_mepid_only_finds_people_whose_personnel_details_one_may_read(
    client: Any, world: Any
) -> None:
    """A coach cannot test whether a MEPID exists; a supervisor finds their principal by it."""
    world.people["P1"].mepid = "12345678"
    world.people["P1"].save()
    coach = _get(client, world.users["coach"], reverse("home:search") + "?q=12345678").content.decode()
    assert "Principal-One" not in coach
    sup = _get(client, world.users["principal_supervisor"], reverse("home:search") + "?q=12345678")
    assert "Principal-One" in sup.content.decode()
    ap = _get(client, world.users["assistant_principal"], reverse("home:search") + "?q=12345678")
    assert "Principal-One" not in ap.content.decode()


def test_search_by_code_restores_leading_zeros(client: Any, world: Any) -> None:
    html = _get(client, world.users["state_admin"], reverse("home:search") + "?q=99100010").content.decode()
    assert "Oak Elementary" in html


def test_district_page_groups_schools_by_network(client: Any, world: Any) -> None:
    html = _get(
        client, world.users["district_admin"], reverse("orgs:organization-detail", args=[world.orgs["A"].pk])
    ).content.decode()
    assert "North Quadrant" in html and "South Quadrant" in html
    assert html.index("North Quadrant") < html.index("Oak Elementary")
    assert "Manage networks and supervision" in html


def test_district_export_neutralises_formulas(client: Any, world: Any) -> None:
    make_school(world.orgs["N1"], '=HYPERLINK("x")', code="99100099")
    response = _get(
        client,
        world.users["district_admin"],
        reverse("orgs:district-schools-export", args=[world.orgs["A"].pk]),
    )
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "Oak Elementary" in text
    xlsx = _get(
        client,
        world.users["district_admin"],
        reverse("orgs:district-schools-export", args=[world.orgs["A"].pk]) + "?format=xlsx",
    )
    assert xlsx.content[:2] == b"PK"


@pytest.mark.parametrize("extra_schools", [0, 12])
def test_page_query_counts_do_not_grow_with_data(
    client: Any, world: Any, django_assert_num_queries: Any, extra_schools: int
) -> None:
    for i in range(extra_schools):
        school = make_school(world.orgs["N1"], f"Extra School {i}", code=f"991005{i:02d}")
        make_position(make_person("Extra", f"Head{i}"), school, Position.Role.PRINCIPAL)
    sup = world.users["principal_supervisor"]
    admin = world.users["district_admin"]
    pages = [
        # Home: the work queue's providers are a fixed number each (evaluations: one query for the
        # person's open cycles; development plans: one; learning: registrations to approve, surveys to
        # answer, two; school improvement plans: one); the supervisor's schools and flags load from their
        # own page; + support requests (one) and visits: feedback to release and next steps (two); + issue
        # 13: practicum hours to sign and one's pool (two), teacher-leadership actions due (one), nominations
        # to score (one).
        (sup, "/", 27),
        # The supervisor's school rows: + each app's column (edlead/home/columns.py), one to three
        # queries each, whatever the number of schools.
        (sup, reverse("home:principals"), 28),
        (admin, reverse("orgs:organization-detail", args=[world.orgs["A"].pk]), 12),
        # Person pages: + working relationships (2), documents, the inbox count.
        (sup, reverse("people:person-detail", args=[world.people["SUP1"].pk]), 18),
        (sup, reverse("people:person-detail", args=[world.people["P1"].pk]), 19),
        (admin, reverse("home:search") + "?q=Principal", 6),
        (world.users["school_leader"], "/", 33),  # + issue 13's providers (the leader also seats members)
        (world.users["school_leader"], reverse("orgs:organization-detail", args=[world.orgs["S1"].pk]), 14),
    ]
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ContentType.objects.get_for_model(Person)  # the per-process cache a running server has warm
    seen = {}
    for user, url, _expected in pages:
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        seen[(user.email, url)] = len(ctx)
    assert seen == {(user.email, url): expected for user, url, expected in pages}


def test_people_export_holds_only_visible_people_and_no_personnel_fields(client: Any, world: Any) -> None:
    world.people["P1"].mepid = "12345678"
    world.people["P1"].save()
    client.force_login(world.users["principal_supervisor"])
    response = client.get(reverse("people:person-list") + "?format=csv")
    text = response.content.decode("utf-8-sig")
    assert "Principal-One" in text and "Principal-Three" not in text
    assert "12345678" not in text
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORTED, actor=world.users["principal_supervisor"]
    ).exists()
    xlsx = client.get(reverse("people:person-list") + "?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_audit_log_export(client: Any, world: Any) -> None:
    client.force_login(world.users["state_admin"])
    client.get(reverse("people:person-detail", args=[world.people["P1"].pk]))
    response = client.get(reverse("access:audit-list") + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("When,Who,What")
    assert any("Sensitive record viewed" in line and "Principal-One" in line for line in lines[1:])


def test_audit_log_is_closed_to_supervisors(client: Any, world: Any) -> None:
    client.force_login(world.users["principal_supervisor"])
    assert client.get(reverse("access:audit-list")).status_code == 403
