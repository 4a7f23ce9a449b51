"""Readers for credentials: a person's records and renewal progress in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from edlead import config
from edlead.credentials.models import (
    AssessmentPassed,
    Degree,
    DevelopmentPlan,
    Endorsement,
    Licence,
    PdpActivity,
)
from edlead.credentials.progress import Progress, progress_for
from edlead.people.models import Person, Position


@dataclass
class PersonCredentials:
    person: Person
    licences: list[Licence]
    history: list[Licence]
    endorsements: list[Endorsement]
    degrees: list[Degree]
    assessments: list[AssessmentPassed]
    activities: list[PdpActivity]
    progress: dict[int, Progress]
    missing_endorsements: list[str]
    plans: list[DevelopmentPlan] | None = None  # read for the credentials page only (`with_plans`)

    @property
    def rows(self) -> list[tuple[Licence, Progress]]:
        return [(lic, self.progress[lic.pk]) for lic in self.licences]


def required_endorsements(person: Person, *, today: dt.date) -> list[str]:
    """Endorsements the person's current roles require by their district's setting, that they lack."""
    from edlead.credentials.apps import REQUIRED_ENDORSEMENTS

    positions = list(
        Position.objects.current(today).filter(person=person).select_related("organization__district")
    )
    held = {
        e.kind.name.lower()
        for e in Endorsement.objects.current()
        .filter(person=person, status=Endorsement.Status.ACTIVE)
        .select_related("kind")
    }
    missing: list[str] = []
    districts: dict[int, Any] = {}  # settings are read once per district object (one query each)
    for pos in positions:
        org = pos.organization.district or pos.organization
        for line in config.setting(districts.setdefault(org.pk, org), REQUIRED_ENDORSEMENTS):
            role, _, name = str(line).partition(":")
            if role.strip() == pos.role and name.strip() and name.strip().lower() not in held:
                label = f"{name.strip()} (required of a {pos.get_role_display().lower()})"
                if label not in missing:
                    missing.append(label)
    return missing


def person_credentials(
    person: Person, *, today: dt.date | None = None, with_plans: bool = False
) -> PersonCredentials:
    """Everything on a person's credentials page (a fixed number of queries)."""
    day = today or dt.date.today()
    all_licences = list(
        Licence.objects.filter(person=person).select_related("field").order_by("-issued_on", "-pk")
    )
    current = [lic for lic in all_licences if lic.is_current]
    activities = list(
        PdpActivity.objects.filter(person=person).prefetch_related("allocations").order_by("-ends_on", "-pk")
    )
    counting = [a for a in activities if a.status != PdpActivity.Status.REJECTED]
    progress = progress_for(
        current,
        today=day,
        activities={person.pk: sorted(counting, key=lambda a: (a.ends_on, a.pk))},
        others={person.pk: current},
    )
    return PersonCredentials(
        person=person,
        licences=current,
        history=[lic for lic in all_licences if not lic.is_current],
        endorsements=list(Endorsement.objects.current().filter(person=person).select_related("kind")),
        degrees=list(Degree.objects.current().filter(person=person)),
        assessments=list(AssessmentPassed.objects.current().filter(person=person).select_related("kind")),
        activities=activities,
        progress=progress,
        missing_endorsements=required_endorsements(person, today=day),
        plans=list(DevelopmentPlan.objects.filter(person=person).select_related("licence__field"))
        if with_plans
        else None,
    )


def category_names() -> dict[str, Any]:
    from edlead.credentials.services import known_categories

    return known_categories()
