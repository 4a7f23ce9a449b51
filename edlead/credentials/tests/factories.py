"""Factories for credential tests, and the record builders the access matrix uses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from edlead.credentials import services
from edlead.credentials.models import (
    AssessmentPassed,
    CredentialType,
    Degree,
    DevelopmentPlan,
    Licence,
    PdpActivity,
)
from edlead.people.models import Person


def field(code: str = "principal") -> CredentialType:
    return CredentialType.objects.get(kind=CredentialType.Kind.FIELD, code=code)


def kind(code: str, k: str = CredentialType.Kind.ENDORSEMENT) -> CredentialType:
    return CredentialType.objects.get(kind=k, code=code)


def make_licence(
    person: Person,
    *,
    code: str = "principal",
    stage: str = Licence.Stage.PROFESSIONAL,
    issued_on: dt.date = dt.date(2022, 7, 1),
    expires_on: dt.date | None = None,
    grade_level: str = "",
    **extra: Any,
) -> Licence:
    f = field(code)
    return services.licence_add(
        actor=None,
        person=person,
        field=f,
        stage=stage,
        issued_on=issued_on,
        expires_on=expires_on,
        grade_level=grade_level or (f.levels[0] if f.levels else ""),
        **extra,
    )


def make_activity(
    person: Person,
    *,
    title: str = "Leading learning",
    hours: Any = 10,
    category: str | None = "content",
    ends_on: dt.date = dt.date(2024, 3, 1),
    unit: str = PdpActivity.Unit.CLOCK_HOUR,
    **extra: Any,
) -> PdpActivity:
    return services.pdp_activity_add(
        actor=None,
        person=person,
        title=title,
        provider=extra.pop("provider", "Leadership Academy"),
        starts_on=extra.pop("starts_on", ends_on),
        ends_on=ends_on,
        amount=Decimal(str(hours)),
        unit=unit,
        category=category,
        **extra,
    )


def record_builders() -> dict[str, Any]:
    """model label → a record of that model about `person` (edlead/access/tests/test_relationships.py)."""
    today = dt.date.today()

    def licence(person: Person) -> Licence:
        return make_licence(person, issued_on=today - dt.timedelta(days=400))

    return {
        "credentials.licence": licence,
        "credentials.endorsement": lambda p: services.endorsement_add(
            actor=None, person=p, kind=kind("sei-administrator")
        ),
        "credentials.degree": lambda p: Degree.objects.create(
            person=p, level=Degree.Level.MASTER, field="Education", institution="State U", year=2010
        ),
        "credentials.assessmentpassed": lambda p: AssessmentPassed.objects.create(
            person=p, kind=kind("pal", CredentialType.Kind.ASSESSMENT), passed_on=dt.date(2019, 5, 1)
        ),
        "credentials.pdpactivity": lambda p: services.credit_pdps(  # idempotent: one per person
            person=p,
            provider="Leadership Academy",
            title="Leading learning",
            starts_on=today - dt.timedelta(days=10),
            hours=10,
            category="content",
            source="tests",
        ),
        "credentials.developmentplan": lambda p: DevelopmentPlan.objects.create(
            person=p, starts_on=today, ends_on=today + dt.timedelta(days=365 * 5), goals="Grow."
        ),
    }
