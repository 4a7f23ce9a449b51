"""Builders for communications tests (through the services, as the pages do)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from edlead.communications import services
from edlead.communications.models import NewsletterIssue, Nomination, RecognitionProgram
from edlead.orgs.models import Organization
from edlead.people.models import Person

ITEMS = [
    {
        "headline": "New leadership standards",
        "body": "What changes this year.",
        "link": "https://example.org/a",
    },
    {"headline": "Summer institute", "body": "Registration is open.", "link": ""},
    {"headline": "A principal's reflection", "body": "On feedback cycles.", "link": ""},
]


def make_issue(
    actor: Any, org: Organization, audiences: list[str] | None = None, title: str = "Top three: June"
) -> NewsletterIssue:
    return services.issue_create(
        actor=actor,
        organization=org,
        title=title,
        intro="Three things for you.",
        audiences=audiences or ["principals"],
        items=ITEMS,
    )


def make_program(actor: Any, org: Organization, self_nomination: bool = False) -> RecognitionProgram:
    today = dt.date.today()
    return services.program_create(
        actor=actor,
        organization=org,
        name="Principal of the Year",
        criteria="Instructional leadership.",
        award_title="Principal of the Year",
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=10),
        self_nomination=self_nomination,
    )


def _nomination_by(person: Person) -> Nomination:
    """A nomination `person` made (they are its nominator: the record's person), of a colleague."""
    position = person.positions.select_related("organization").first()
    assert position is not None, "the cast's owner holds a position"
    org = position.organization
    district = org if org.kind == Organization.Kind.DISTRICT else org.district
    assert district is not None
    today = dt.date.today()
    program = RecognitionProgram.objects.create(
        organization=district,
        name="Principal of the Year",
        criteria="c",
        award_title="Principal of the Year",
        opens_on=today,
        closes_on=today,
    )
    nominee = Person.objects.create(first_name="Nora", last_name="Nominee")
    return Nomination.objects.create(
        program=program, panel_key=program.panel_key, nominee=nominee, nominator=person, statement="s"
    )


def record_builders() -> dict[str, Callable[[Person], Any]]:
    """For edlead/access/tests/test_relationships.py: a nomination made by `person`."""
    return {"communications.nomination": _nomination_by}
