"""Credential records: history kept on renewal and correction, bad input refused, PDP crediting once,
who may see and change what, and the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from edlead.access import policy
from edlead.access.tests.conftest import World
from edlead.core.errors import ApplicationError
from edlead.core.models import AuditEvent
from edlead.credentials import services
from edlead.credentials.models import Licence, PdpActivity
from edlead.credentials.tests.factories import field, kind, make_activity, make_licence
from edlead.testing import make_person

pytestmark = pytest.mark.django_db
ISSUED = dt.date(2022, 7, 1)


def test_renewal_and_correction_supersede_and_never_overwrite() -> None:
    person = make_person()
    first = make_licence(person, issued_on=ISSUED, number="412345")
    renewed = services.licence_renew(actor=None, licence=first, issued_on=dt.date(2027, 7, 1))
    first.refresh_from_db()
    assert (
        first.superseded_by == renewed
        and first.change == "renewed"
        and first.expires_on == dt.date(2027, 6, 30)
    )
    assert renewed.is_current and renewed.number == "412345" and renewed.expires_on == dt.date(2032, 6, 30)
    fixed = services.licence_correct(
        actor=None, licence=renewed, changes={"grade_level": "9-12"}, note="Level was mistyped"
    )
    renewed.refresh_from_db()
    assert renewed.change == "corrected" and renewed.superseded_by == fixed
    assert list(Licence.objects.current().filter(person=person)) == [fixed]
    assert Licence.objects.filter(person=person).count() == 3
    assert [
        e.action for e in AuditEvent.objects.filter(target_type="credentials.licence").order_by("pk")
    ] == [
        "licence_added",
        "licence_renewed",
        "licence_corrected",
    ]
    with pytest.raises(ApplicationError, match="already renewed, corrected or withdrawn"):
        services.licence_renew(actor=None, licence=first, issued_on=dt.date(2028, 1, 1))
    # Changing nothing writes nothing.
    assert services.licence_correct(actor=None, licence=fixed, changes={"grade_level": "9-12"}) == fixed


def test_bad_licences_are_refused_with_a_plain_message() -> None:
    person, other = make_person(), make_person()
    with pytest.raises(ApplicationError, match="cannot expire before it is issued"):
        make_licence(person, issued_on=ISSUED, expires_on=dt.date(2021, 1, 1))
    with pytest.raises(ApplicationError, match="Grade level “K-12” is not one of"):
        make_licence(person, grade_level="K-12")
    with pytest.raises(ApplicationError, match="is not a licence stage"):
        make_licence(person, stage="eternal")
    make_licence(person, number="500001")
    with pytest.raises(ApplicationError, match="500001 of MA is recorded for another person"):
        make_licence(other, number="500001", code="superintendent")
    with pytest.raises(ApplicationError, match="No rules say how long"):
        make_licence(person, issuing_state="NY")
    assert Licence.objects.filter(person=other).count() == 0


def test_bad_activities_are_refused() -> None:
    person = make_person()
    with pytest.raises(ApplicationError, match="more than one activity can be"):
        make_activity(person, hours=900)
    with pytest.raises(ApplicationError, match="more than zero"):
        make_activity(person, hours=-3)
    with pytest.raises(ApplicationError, match="is not a renewal category"):
        make_activity(person, category="astrology")
    make_activity(person, title="Once")
    with pytest.raises(ApplicationError, match="already recorded"):
        make_activity(person, title="Once")
    assert PdpActivity.objects.filter(person=person).count() == 1


def test_credit_pdps_is_idempotent_on_the_natural_key() -> None:
    person = make_person()
    kwargs: dict[str, Any] = {
        "person": person,
        "provider": "EdLead Aspiring Principals",
        "title": "Cohort 3",
        "starts_on": dt.date(2024, 9, 1),
        "hours": 24,
        "category": "content",
        "source": "learning.program:3",
    }
    first = services.credit_pdps(**kwargs)
    again = services.credit_pdps(**{**kwargs, "hours": 30})
    assert again.pk == first.pk and again.amount == 24
    assert first.status == PdpActivity.Status.APPROVED and first.events.get().action == "credited"
    assert PdpActivity.objects.filter(person=person).count() == 1
    assert AuditEvent.objects.filter(action="pdp_credited").count() == 1


# --- access --------------------------------------------------------------------------------------------
@pytest.fixture
def licences(world: World) -> dict[str, Licence]:
    return {name: make_licence(world.people[name], issued_on=ISSUED) for name in ("P1", "P3", "SUPT")}


def test_a_principal_cannot_see_a_peers_licences(
    world: World, licences: dict[str, Licence], client: Any
) -> None:
    p1 = world.users["school_leader"]
    assert policy.can(p1, services.LICENCE_VIEW, licences["P1"])
    assert not policy.can(p1, services.LICENCE_VIEW, licences["P3"])
    seen = set(policy.visible_to(p1, Licence.objects.all(), services.LICENCE_VIEW))
    assert seen == {licences["P1"]}
    client.force_login(p1)
    assert client.get(reverse("credentials:licence-detail", args=[licences["P3"].pk])).status_code == 404
    assert (
        client.get(reverse("credentials:person-credentials", args=[world.people["P3"].pk])).status_code == 404
    )
    assert client.get(reverse("credentials:licence-add", args=[world.people["P1"].pk])).status_code == 403


def test_chain_and_hr_see_coach_and_other_district_do_not(world: World, licences: dict[str, Licence]) -> None:
    lic = licences["P1"]
    for key in ("principal_supervisor", "superintendent", "hr"):
        assert policy.can(world.users[key], services.LICENCE_VIEW, lic), key
    for key in (
        "coach",
        "assistant_principal",
        "educator",
        "cabinet",
        "program_coordinator",
        "district_admin",
        "no_role",
    ):
        assert not policy.can(world.users[key], services.LICENCE_VIEW, lic), key
    assert policy.can(world.users["hr"], services.CREDENTIALS_EDIT, world.people["P1"])
    assert not policy.can(world.users["principal_supervisor"], services.CREDENTIALS_EDIT, world.people["P1"])
    assert not policy.can(world.users["school_leader"], services.CREDENTIALS_EDIT, world.people["P1"])
    with pytest.raises(ApplicationError):
        services.licence_add(
            actor=world.users["school_leader"],
            person=world.people["P1"],
            field=field(),
            stage="professional",
            issued_on=ISSUED,
            grade_level="PreK-6",
        )


# --- pages ---------------------------------------------------------------------------------------------
def test_my_licences_shows_progress_by_category(
    world: World, licences: dict[str, Licence], client: Any
) -> None:
    person = world.people["P1"]
    make_activity(person, title="SEI for leaders", hours=15, category="sei")
    client.force_login(world.users["school_leader"])
    page = client.get(reverse("credentials:my-licences"))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    text = page.content.decode()
    assert "My licences" in text and "Principal/Assistant Principal" in text
    assert "SEI, ESL or bilingual education" in text and "15 of 150 PDPs" in text
    assert "SEI Administrator (required of a principal)" in text  # the district default
    services.endorsement_add(actor=None, person=person, kind=kind("sei-administrator"))
    assert "required of a principal" not in client.get(reverse("credentials:my-licences")).content.decode()


def test_hr_adds_renews_and_corrects_through_the_forms(world: World, client: Any) -> None:
    hr = world.users["hr"]
    person = world.people["P3"]
    client.force_login(hr)
    url = reverse("credentials:licence-add", args=[person.pk])
    bad = client.post(
        url,
        {
            "issuing_state": "ma",
            "field": field().pk,
            "grade_level": "9-12",
            "stage": "professional",
            "issued_on": "2022-07-01",
            "expires_on": "2021-01-01",
            "status": "active",
        },
    )
    assert bad.status_code == 200 and "cannot expire before it is issued" in bad.content.decode()
    assert not Licence.objects.filter(person=person).exists()
    done = client.post(
        url,
        {
            "issuing_state": "ma",
            "field": field().pk,
            "grade_level": "9-12",
            "stage": "professional",
            "issued_on": "2022-07-01",
            "number": "777",
            "status": "active",
        },
    )
    licence = Licence.objects.get(person=person)
    assert (
        done.status_code == 302
        and licence.issuing_state == "MA"
        and licence.expires_on == dt.date(2027, 6, 30)
    )
    renew = client.post(
        reverse("credentials:licence-renew", args=[licence.pk]),
        {"issued_on": "2027-07-01", "stage": "professional", "note": ""},
    )
    new = Licence.objects.current().get(person=person)
    assert renew.status_code == 302 and new.pk != licence.pk
    page = client.get(reverse("credentials:licence-detail", args=[new.pk])).content.decode()
    assert "History of this licence" in page and "Renewed" in page
    initial = {n: getattr(new, n) for n in services.LICENCE_CORRECTABLE}
    post = {k: ("" if v is None else v) for k, v in initial.items()}
    post.update({"field": new.field_id, "number": "778", "note": "typo"})
    assert client.post(reverse("credentials:licence-correct", args=[new.pk]), post).status_code == 302
    assert Licence.objects.current().get(person=person).number == "778"
    assert AuditEvent.objects.filter(action="credentials_viewed", actor=hr).exists()
    page = client.get(reverse("credentials:person-credentials", args=[person.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "Credentials of" in text and "Add a licence" in text
    assert "Renewal progress: Principal/Assistant Principal" in text


def test_person_adds_an_activity_with_a_split_and_hr_approves(world: World, client: Any) -> None:
    person = world.people["P1"]
    client.force_login(world.users["school_leader"])
    url = reverse("credentials:activity-add", args=[person.pk])
    form = {
        "title": "Inclusion institute",
        "provider": "Collaborative",
        "starts_on": "2024-08-01",
        "ends_on": "2024-08-03",
        "amount": "20",
        "unit": "clock_hour",
        "category": "content",
        "split": "disabilities 12\npedagogy 6",
    }
    refused = client.post(url, form)
    assert "must add up to the activity" in refused.content.decode()
    form["split"] = "disabilities 12\npedagogy 8"
    assert client.post(url, form).status_code == 302
    activity = PdpActivity.objects.get(person=person)
    assert {a.category: a.amount for a in activity.allocations.all()} == {"disabilities": 12, "pedagogy": 8}
    detail = reverse("credentials:activity-detail", args=[activity.pk])
    assert client.post(detail, {"decision": "approve"}).status_code == 403
    client.force_login(world.users["hr"])
    assert client.post(detail, {"decision": "approve", "note": ""}).status_code == 302
    activity.refresh_from_db()
    assert activity.status == "approved" and activity.decided_by == world.users["hr"]
    # A peer principal cannot open it.
    client.force_login(make_peer(world))
    assert client.get(detail).status_code == 404


def make_peer(world: World) -> Any:
    from edlead.testing import make_user

    return make_user(person=world.people["P3"], password=None)


@pytest.mark.parametrize("size", [1, 4])
def test_credential_pages_issue_a_fixed_number_of_queries(
    world: World, client: Any, django_assert_num_queries: Any, size: int
) -> None:
    from django.contrib.contenttypes.models import ContentType

    person = world.people["P1"]
    codes = [
        "principal",
        "supervisor-director",
        "special-education-administrator",
        "school-business-administrator",
    ]
    licences = [make_licence(person, code=c, issued_on=ISSUED) for c in codes[:size]]
    for n in range(size * 5):
        make_activity(person, title=f"Course {n}", hours=12, category="content")
    services.endorsement_add(actor=None, person=person, kind=kind("sei-administrator"))
    ContentType.objects.get_for_model(PdpActivity)  # the per-process cache a running server has warm
    client.force_login(world.users["school_leader"])
    client.get("/")  # the session's first request
    with django_assert_num_queries(20):  # with the development plans
        assert client.get(reverse("credentials:my-licences")).status_code == 200
    client.force_login(world.users["hr"])
    with django_assert_num_queries(12):
        assert client.get(reverse("credentials:licence-detail", args=[licences[0].pk])).status_code == 200
