"""The one-page leader profile (issue 12 item 7): positions, credentials, learning, the outcomes of the
schools led, and the evaluation summary only for those the evaluation rule lets read it; one PDF page."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from edlead.access.tests.conftest import World
from edlead.credentials.tests.factories import make_licence
from edlead.evaluations.tests.factories import cycle_for

pytestmark = pytest.mark.django_db


def _get(client: Client, world: World, key: str, name: str = "reports:leader-profile") -> Any:
    client.force_login(world.users[key])
    return client.get(reverse(name, args=[world.people["P1"].pk]))


def test_each_reader_sees_what_they_may(world: World, client: Client) -> None:
    make_licence(world.people["P1"], expires_on=dt.date.today() + dt.timedelta(days=400))
    cycle = cycle_for(world.people["P1"], evaluator=world.people["SUP1"])
    page = _get(client, world, "principal_supervisor")
    assert page.status_code == 200
    assert (
        "Credentials" in page.text
        and "Evaluation summary" in page.text
        and cycle.get_step_display() in page.text
    )
    hr = _get(client, world, "hr")
    assert hr.status_code == 200 and "Credentials" in hr.text
    coach = _get(client, world, "coach")  # reads the person, not their evaluation or credentials
    assert (
        coach.status_code == 200
        and "Evaluation summary" not in coach.text
        and "Credentials" not in coach.text
    )
    assert _get(client, world, "educator").status_code == 404  # a colleague's card only
    other = _get(client, world, "principal_supervisor", "reports:leader-profile-pdf")
    assert other.status_code == 200 and other["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(other.content))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) == 1 and world.people["P1"].display_name in text and "Evaluation summary" in text
