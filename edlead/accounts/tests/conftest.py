"""Fixtures for account tests: the access world's people with e-mail addresses, and invitation links
read from the e-mails the way the invitee would."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from edlead.access.tests.conftest import World

LINK = re.compile(r"https?://\S+/accounts/manage/invitations/accept/([\w-]+)/")


@pytest.fixture
def people(world: World) -> World:
    """The world, with e-mail addresses on the people who have no account yet."""
    for key in ("P3", "PT1", "SUP2", "FORMER", "P1", "TEA1"):
        person = world.people[key]
        person.email = f"{key.lower()}@alpha.example.org"
        person.save(update_fields=["email"])
    return world


def token_from_mail(message: Any) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def last_token() -> str:
    assert mail.outbox, "no e-mail was sent"
    return token_from_mail(mail.outbox[-1])
