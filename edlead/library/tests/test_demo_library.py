"""The demo library (edlead/demo/library.py): ~25 resources of every kind, five case studies, files in
the attachment store, a Riverton draft seen only by its coordinators, links into the demo's programs and
cohorts; a second run adds nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from edlead.access.models import User
from edlead.demo import services as demo
from edlead.demo.demo import RIVERTON_CODE
from edlead.demo.library import library_seed
from edlead.files.models import Attachment
from edlead.learning.models import Program
from edlead.library import selectors
from edlead.library.models import Resource, ResourceLink

pytestmark = pytest.mark.django_db


def _user(key: str) -> Any:
    return User.objects.select_related("person").get(email=demo.persona(key).email)


def test_the_demo_library_gives_the_personas_something_real() -> None:
    report = demo.demo_seed(scale="demo")  # the library runs after the cohorts, which it links into
    assert "Library: 26 resources added." in report.lines
    rows = list(Resource.objects.select_related("organization"))
    assert {r.kind for r in rows} == set(Resource.Kind.values)
    cases = [r for r in rows if r.is_case_study]
    assert len(cases) == 5 and all(
        r.context and r.challenge and r.results and len(r.questions) >= 3 for r in cases
    )
    riverton = [r for r in rows if r.organization is not None]
    assert riverton and all(r.organization.code == RIVERTON_CODE for r in riverton)
    drafts = [r for r in rows if r.status == Resource.Status.DRAFT]
    assert len(drafts) == 1 and drafts[0].organization is not None
    assert Attachment.objects.filter(owner_type__model="resource").count() >= 3
    assert all(r.topics.exists() and r.roles.exists() and r.indicators.exists() for r in rows)

    principal, coordinator = _user("principal"), _user("programs")
    assert set(selectors.readable(principal)) == {r for r in rows if r.status == Resource.Status.PUBLISHED}
    assert drafts[0] in set(selectors.readable(coordinator))

    institute = Program.objects.filter(title="New Principals Institute", organization__isnull=True).first()
    assert institute is not None
    assert ResourceLink.objects.filter(program=institute).count() == 3
    assert ResourceLink.objects.filter(cohort__isnull=False).exists()
    c = Client()
    c.force_login(principal)
    page = c.get(institute.get_absolute_url()).content.decode()
    assert "From the library" in page and "Entry plan template for new principals" in page
    assert c.get("/library/?topic=family-engagement&role=principal").status_code == 200

    assert library_seed() == 0  # a second run adds nothing
