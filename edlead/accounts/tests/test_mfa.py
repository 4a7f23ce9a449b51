"""Two-factor sign-in required by role: the middleware, the setting, and the work-queue item."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from edlead.access.tests.conftest import World
from edlead.accounts import workqueue as account_items
from edlead.testing import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

ACTIVATE = reverse("mfa_activate_totp")


@pytest.fixture
def required(settings: Any) -> Any:
    settings.EDLEAD_MFA_REQUIRED_ROLES = ["state_admin", "district_admin", "superintendent", "hr"]
    return settings


def signed_in(world: World, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def test_the_default_setting_names_administrators_superintendents_and_hr() -> None:
    from edlead.accounts.mfa import DEFAULT_REQUIRED_ROLES

    assert set(DEFAULT_REQUIRED_ROLES) == {"state_admin", "district_admin", "superintendent", "hr"}


@pytest.mark.parametrize("who", ["district_admin", "hr", "state_admin", "superintendent"])
def test_a_required_role_without_an_authenticator_is_sent_to_the_set_up_page(
    world: World, required: Any, who: str
) -> None:
    client = signed_in(world, who)
    for url in (reverse("home:home"), reverse("people:person-list"), reverse("accounts:account-list")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == ACTIVATE, url
    assert client.post(reverse("people:person-list")).status_code == 302


def test_the_superintendent_role_from_a_position_counts(world: World, required: Any) -> None:
    # world's superintendent holds no grant: the role follows from their position.
    assert not world.users["superintendent"].role_grants.exists()
    assert signed_in(world, "superintendent").get(reverse("home:home"))["Location"] == ACTIVATE


def test_set_up_sign_out_and_static_files_stay_open(world: World, required: Any) -> None:
    client = signed_in(world, "district_admin")
    assert client.get(ACTIVATE).status_code in (200, 302)
    if client.get(ACTIVATE).status_code == 302:  # allauth asks for the password first
        assert client.get(ACTIVATE)["Location"].startswith(reverse("account_reauthenticate"))
        assert client.get(reverse("account_reauthenticate")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get("/static/edlead/edlead.css").status_code in (200, 404)  # never redirected
    assert client.get(reverse("account_logout")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_htmx_requests_are_redirected_by_header(world: World, required: Any) -> None:
    response = signed_in(world, "district_admin").get(reverse("home:home"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == ACTIVATE


def test_a_user_with_totp_passes(world: World, required: Any) -> None:
    TOTP.activate(world.users["district_admin"], "JBSWY3DPEHPK3PXP")
    assert signed_in(world, "district_admin").get(reverse("home:home")).status_code == 200


def test_roles_outside_the_setting_are_not_asked(world: World, required: Any) -> None:
    for who in ("school_leader", "principal_supervisor", "educator", "no_role"):
        assert signed_in(world, who).get(reverse("home:home")).status_code == 200, who


def test_an_empty_setting_requires_nobody(world: World, settings: Any) -> None:
    settings.EDLEAD_MFA_REQUIRED_ROLES = []
    assert signed_in(world, "district_admin").get(reverse("home:home")).status_code == 200


def test_the_setting_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    import edlead.settings as edlead_settings

    monkeypatch.setenv("EDLEAD_MFA_REQUIRED_ROLES", "")
    assert importlib.reload(edlead_settings).EDLEAD_MFA_REQUIRED_ROLES == []
    monkeypatch.setenv("EDLEAD_MFA_REQUIRED_ROLES", "hr, state_admin")
    assert importlib.reload(edlead_settings).EDLEAD_MFA_REQUIRED_ROLES == ["hr", "state_admin"]
    monkeypatch.delenv("EDLEAD_MFA_REQUIRED_ROLES")
    assert importlib.reload(edlead_settings).EDLEAD_MFA_REQUIRED_ROLES == [
        "state_admin",
        "district_admin",
        "superintendent",
        "hr",
    ]


def test_signing_in_with_a_password_then_lands_on_the_set_up_page(world: World, required: Any) -> None:
    user = world.users["hr"]
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0].startswith((ACTIVATE, reverse("account_reauthenticate")))


# --- the work-queue item --------------------------------------------------------------------------
def titles(user: Any) -> list[tuple[str, bool, bool]]:
    return [(i.title, i.waiting, i.new) for i in account_items.items(user, dt.date.today())]


def test_queue_asks_a_required_role_to_set_up_two_factor(world: World, required: Any) -> None:
    assert ("Set up two-factor sign-in", True, False) in titles(world.users["district_admin"])


def test_queue_offers_two_factor_to_a_new_account_and_not_an_old_one(world: World, required: Any) -> None:
    leader = world.users["school_leader"]
    assert ("Set up two-factor sign-in", False, True) in titles(leader)
    leader.date_joined = timezone.now() - dt.timedelta(days=90)
    leader.save(update_fields=["date_joined"])
    assert titles(leader) == []


def test_queue_has_no_two_factor_item_once_set_up(world: World, required: Any) -> None:
    TOTP.activate(world.users["district_admin"], "JBSWY3DPEHPK3PXP")
    assert not [t for t in titles(world.users["district_admin"]) if "two-factor" in t[0]]
