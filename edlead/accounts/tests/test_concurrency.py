"""One link used from two browsers at the same moment opens one account (the invitation row is locked)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from edlead.access.models import RoleGrant, User
from edlead.access.tests.conftest import World
from edlead.accounts import services
from edlead.accounts.models import Invitation
from edlead.accounts.tests.conftest import last_token
from edlead.core.errors import ApplicationError

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_link_used_twice_at_once_opens_one_account(people: World) -> None:
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:", ":memory:")):
        pytest.skip("needs a database that several connections share (PostgreSQL, or a SQLite file)")
    services.invitation_create(
        actor=people.users["district_admin"],
        role=RoleGrant.Role.SCHOOL_LEADER,
        organization=people.orgs["S3"],
        person=people.people["P3"],
    )
    token = last_token()
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(password: str) -> None:
        try:
            start.wait()
            services.invitation_accept(token=token, password=password)
            outcomes.append("opened")
        except ApplicationError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(f"long-password-{n}-xyz",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["InvitationRefused", "opened"]
    assert User.objects.filter(email="p3@alpha.example.org").count() == 1
    assert RoleGrant.objects.filter(user__email="p3@alpha.example.org").count() == 1
    assert Invitation.objects.get().accepted_at is not None
