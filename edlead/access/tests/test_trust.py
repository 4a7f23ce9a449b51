"""Holes found by an attack on the landed code (issue 7, item 9), each with the test that failed
before the fix: the admin's own sign-in, the audit log scoped by subject, export auditing and
caching, formula cells, production settings, forwarded addresses, and concurrent school moves."""

from __future__ import annotations

import io
import secrets
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from edlead.access import services as access_services
from edlead.access.models import RoleGrant
from edlead.access.tests.test_security import manage, production_env
from edlead.core.middleware import client_ip
from edlead.core.models import AuditEvent, audit_verbs, audit_verbs_register
from edlead.core.services import audit_record
from edlead.lib.exports import neutralize, xlsx_response
from edlead.orgs import services as org_services
from edlead.orgs.models import Organization
from edlead.testing import PASSWORD, make_user

G = RoleGrant.Role
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


# --- The admin site sits behind EdLead's own sign-in ----------------------------------------------


def test_admin_login_form_never_signs_in_with_a_password_alone(client: Client) -> None:
    staff = make_user(email="staff@example.org", is_staff=True, is_superuser=True)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": staff.email, "password": PASSWORD}, follow=False
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_admin_sign_in_is_throttled_like_every_sign_in(client: Client) -> None:
    make_user(email="staff@example.org", is_staff=True, is_superuser=True)
    for _ in range(40):
        client.post(reverse("account_login"), {"login": "staff@example.org", "password": "wrong-password-1"})
    client.post(reverse("account_login"), {"login": "staff@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_THROTTLED).exists()


def test_changes_in_the_admin_reach_the_audit_log(world: Any) -> None:
    from django.contrib.admin.models import CHANGE, LogEntry

    staff = make_user(email="staff@example.org", is_staff=True, is_superuser=True, password=None)
    school = world.orgs["S1"]
    LogEntry.objects.log_actions(
        staff.pk,
        Organization.objects.filter(pk=school.pk),
        CHANGE,
        change_message="Renamed",
        single_object=True,
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.ADMIN_CHANGE)
    assert event.actor == staff and event.target_label == school.name
    assert event.detail["change"] == "changed"
    assert school.path in event.scope


# --- The audit log is scoped by subject, not by actor ---------------------------------------------


def test_district_audit_log_shows_events_about_its_people_whoever_caused_them(
    client: Client, world: Any
) -> None:
    """A position-derived supervisor's read of a principal's personnel record is in the district log."""
    sup = world.users["principal_supervisor"]
    client.force_login(sup)
    client.get(reverse("people:person-detail", args=[world.people["P1"].pk]))
    admin = world.users["district_admin"]
    client.force_login(admin)
    html = client.get(reverse("access:audit-list")).content.decode()
    assert sup.email in html and "Principal-One" in html


def test_granting_a_small_role_does_not_open_another_districts_audit_trail(
    client: Client, world: Any
) -> None:
    beta = world.orgs["B"]
    beta_hr = make_user(email="hr@beta.example.org", grants=[(G.HR, beta)], password=None)
    client.force_login(beta_hr)
    client.get(reverse("people:person-detail", args=[world.people["PT1"].pk]))  # Beta's own record
    assert AuditEvent.objects.filter(actor=beta_hr, action=AuditEvent.Action.RECORD_VIEWED).exists()
    admin_a = world.users["district_admin"]
    access_services.role_grant(user=beta_hr, role=G.EDUCATOR, organization=world.orgs["S1"], actor=admin_a)
    client.force_login(admin_a)
    html = client.get(reverse("access:audit-list")).content.decode()
    assert "Principal-Beta" not in html
    assert "hr@beta.example.org" in html  # the grant itself, made in Alpha, is Alpha's business


def test_audit_verbs_can_be_added_by_an_app_without_a_migration(db: Any) -> None:
    audit_verbs_register({"plan_endorsed": "Improvement plan endorsed"})
    event = audit_record(action="plan_endorsed", target_label="Plan 1")
    assert event.get_action_display() == "Improvement plan endorsed"
    assert ("plan_endorsed", "Improvement plan endorsed") in audit_verbs()


def test_failed_sign_in_is_scoped_to_the_account_it_tried(client: Client, world: Any) -> None:
    user = make_user(person=world.people["P3"], email="p3@example.org")
    client.post(reverse("account_login"), {"login": user.email, "password": "wrong-password-2"})
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN_FAILED)
    assert world.orgs["S3"].path in event.scope


# --- Exports: audited, not cached, formulas inert ---------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    ["orgs:district-schools-export", "access:audit-list", "people:person-list"],
)
def test_every_export_is_audited_and_not_stored(client: Client, world: Any, url_name: str) -> None:
    admin = world.users["district_admin"]
    client.force_login(admin)
    url = (
        reverse(url_name, args=[world.orgs["A"].pk])
        if url_name == "orgs:district-schools-export"
        else reverse(url_name) + "?format=csv"
    )
    before = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).count()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).count() == before + 1


@pytest.mark.parametrize(
    "text",
    ['\x01=HYPERLINK("http://x","y")', "\x0b+1+1", " =1+1", "\x00@SUM(A1)"],
)
def test_formula_behind_a_control_character_stays_inert_in_xlsx(text: str) -> None:
    from openpyxl import load_workbook

    response = xlsx_response("t.xlsx", ["Name"], [[text]])
    sheet = load_workbook(io.BytesIO(response.content)).active
    value = sheet.cell(row=2, column=1).value
    assert isinstance(value, str) and value.startswith("'")
    assert sheet.cell(row=2, column=1).data_type == "s"
    assert neutralize(text).startswith("'")


# --- Production settings ------------------------------------------------------------------------


def test_production_refuses_a_short_secret_key(tmp_path: Any) -> None:
    env = production_env(tmp_path, DJANGO_SECRET_KEY=secrets.token_urlsafe(16))
    result = manage(env, "check")
    assert result.returncode != 0 and "at least 50 characters" in result.stderr


def test_production_refuses_debug(tmp_path: Any) -> None:
    env = production_env(tmp_path, DJANGO_DEBUG="1")
    result = manage(env, "check")
    assert result.returncode != 0 and "DJANGO_DEBUG=1 is refused" in result.stderr


def test_throttling_counts_are_shared_between_processes() -> None:
    """The cache is the database (or Redis), never one process's memory."""
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend in (
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    )


# --- Behind a reverse proxy ----------------------------------------------------------------------


def test_client_address_is_the_one_the_trusted_proxy_saw(settings: Any) -> None:
    factory = RequestFactory()
    request = factory.get("/", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7", REMOTE_ADDR="10.0.0.2")
    settings.EDLEAD_TRUSTED_PROXIES = 0
    assert client_ip(request) == "10.0.0.2"  # no proxy trusted: a forged header changes nothing
    settings.EDLEAD_TRUSTED_PROXIES = 1
    assert client_ip(request) == "198.51.100.7"
    settings.EDLEAD_TRUSTED_PROXIES = 2
    assert client_ip(request) == "203.0.113.9"
    settings.EDLEAD_TRUSTED_PROXIES = 5
    assert client_ip(request) == "10.0.0.2"


def test_audit_records_the_forwarded_address_behind_a_proxy(client: Client, settings: Any) -> None:
    settings.EDLEAD_TRUSTED_PROXIES = 1
    user = make_user(email="proxy@example.org")
    client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.23",
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN)
    assert event.ip_address == "198.51.100.23"


# --- Two people moving the same school ------------------------------------------------------------


def test_second_of_two_concurrent_school_moves_gets_a_conflict(client: Client, world: Any) -> None:
    admin = world.users["district_admin"]
    other = make_user(grants=[(G.DISTRICT_ADMIN, world.orgs["A"])], password=None)
    url = reverse("orgs:district-manage", args=[world.orgs["A"].pk])
    first, second = Client(), Client()
    first.force_login(admin)
    second.force_login(other)
    seen_first = first.get(url).context["move_form"]["seen_at"].value()
    seen_second = second.get(url).context["move_form"]["seen_at"].value()
    school = world.orgs["S2"]
    moved = first.post(
        url,
        {
            "action": "move",
            "move-school": school.pk,
            "move-to": world.orgs["N2"].pk,
            "move-seen_at": seen_first,
        },
    )
    assert moved.status_code == 302
    response = second.post(
        url,
        {
            "action": "move",
            "move-school": school.pk,
            "move-to": world.orgs["A"].pk,
            "move-seen_at": seen_second,
        },
        follow=True,
    )
    assert "changed by someone else" in response.content.decode()
    assert Organization.objects.get(pk=school.pk).parent_id == world.orgs["N2"].pk
    assert org_services  # the service is what both requests went through


def test_audit_log_filters_hold_on_every_page(client: Client, world: Any) -> None:
    admin = world.users["district_admin"]
    for i in range(105):
        audit_record(action=AuditEvent.Action.EXPORTED, actor=admin, target_label=f"export {i}")
    audit_record(action=AuditEvent.Action.RECORD_VIEWED, actor=admin, target=world.people["P1"])
    client.force_login(admin)
    first = client.get(reverse("access:audit-list") + "?action=exported&who=" + admin.email)
    html = first.content.decode()
    assert "Page 1 of 2" in html
    assert "action=exported" in html.split("Next page")[0].rsplit("href=", 1)[1]
    second = client.get(reverse("access:audit-list") + f"?action=exported&who={admin.email}&page=2")
    assert "Sensitive record viewed" not in second.content.decode().split("<tbody>")[1]
    assert second.context["page"].paginator.count == 105
