"""Licence alerts: licences expiring within 180, 90 and 30 days and renewals short of PDPs. The person
and their district's HR are told once per licence and window (`once_key`), so running the job again
the same day — or any day until the next window — sends nothing. People without an account are not
notified: they reach HR's work queue instead."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from edlead.access import policy
from edlead.access.models import RoleGrant, User
from edlead.core import workqueue
from edlead.credentials.models import Licence
from edlead.credentials.progress import AT_RISK, OVERDUE, Progress, activity_facts, progress_for
from edlead.people.models import Person, Position

WINDOWS = (30, 90, 180)
PEOPLE_PER_BATCH = 1000  # renewal progress is worked out this many people at a time


def window_of(expires_on: dt.date, today: dt.date) -> int | None:
    """The alert window a licence is in (30, 90 or 180 days), None when further away or expired."""
    left = (expires_on - today).days
    if left < 0:
        return None
    return next((w for w in WINDOWS if left <= w), None)


@dataclass(frozen=True)
class Alert:
    licence: Licence
    key: str
    subject: str
    body: str


def _describe(licence: Licence) -> str:
    number = f" no. {licence.number}" if licence.number else ""
    return f"{licence.field.name} licence ({licence.get_stage_display()}, {licence.issuing_state}{number})"


def alerts_due(*, today: dt.date) -> list[Alert]:
    """What to tell about which licence today: one alert per licence at most."""
    from edlead.credentials.services import all_rulesets

    licences = list(
        Licence.objects.current()
        .filter(status=Licence.Status.ACTIVE, expires_on__isnull=False, expires_on__gte=today)
        .select_related("field", "person")
        .order_by("pk")
    )
    # Renewal progress a batch of people at a time, their activities read as values: over every licence
    # of the state (238,000 activities) model instances took the whole budget of the run.
    by_person: dict[int, list[Licence]] = defaultdict(list)
    for lic in licences:
        by_person[lic.person_id].append(lic)
    people = sorted(by_person)
    rulesets = all_rulesets()
    progress: dict[int, Progress] = {}
    for start in range(0, len(people), PEOPLE_PER_BATCH):
        batch = people[start : start + PEOPLE_PER_BATCH]
        progress.update(
            progress_for(
                [lic for pid in batch for lic in by_person[pid]],
                today=today,
                rulesets=rulesets,
                activities=activity_facts(batch),
            )
        )
    result = []
    for lic in licences:
        assert lic.expires_on is not None
        p = progress[lic.pk]
        window = window_of(lic.expires_on, today)
        short = p.short and p.status in (AT_RISK, OVERDUE)
        if window is None and not short:
            continue
        left = (lic.expires_on - today).days
        shortfall = f" Renewal: {p.missing_text} still needed." if p.short else ""
        if window is not None:
            key = f"licence-expiry:{lic.pk}:{window}"
            subject = f"{_describe(lic)} expires in {left} day{'s' if left != 1 else ''}"
        else:
            quarter = f"{today.year}q{(today.month - 1) // 3 + 1}"
            key = f"licence-pdps:{lic.pk}:{quarter}"
            subject = f"Renewal of your {_describe(lic)} is short of PDPs"
        body = f"{lic.person.display_name}: {_describe(lic)} expires on {lic.expires_on:%d %B %Y}.{shortfall}"
        result.append(Alert(lic, key, subject, body))
    return result


def _hr_people(person_ids: Iterable[int], today: dt.date) -> dict[int, list[int]]:
    """Each person's district HR (people with an active account and an HR grant covering a current
    position of theirs): person id → HR person ids (2 queries)."""
    paths: dict[int, set[str]] = defaultdict(set)
    for pid, path in (
        Position.objects.current(today)
        .filter(person_id__in=list(person_ids))
        .values_list("person_id", "organization__path")
    ):
        paths[pid].add(path)
    grants = list(
        RoleGrant.objects.filter(
            role=RoleGrant.Role.HR,
            revoked_at__isnull=True,
            user__is_active=True,
            user__person__isnull=False,
        ).values_list("user__person_id", "organization__path")
    )
    result: dict[int, list[int]] = {}
    for pid, mine in paths.items():
        result[pid] = sorted(
            {hr for hr, gpath in grants if hr != pid and any(p.startswith(gpath) for p in mine)}
        )
    return result


def licence_alerts_send(*, today: dt.date | None = None) -> int:
    """Notify people and their HR of what `alerts_due` finds; returns the notices sent (new ones only)."""
    from edlead.credentials.services import NOTICE_HR, NOTICE_LICENCE
    from edlead.notices.models import Notice
    from edlead.notices.services import notify

    day = today or dt.date.today()
    alerts = alerts_due(today=day)
    if not alerts:
        return 0
    with_account = set(
        User.objects.filter(is_active=True, person_id__in={a.licence.person_id for a in alerts}).values_list(
            "person_id", flat=True
        )
    )
    alerts = [a for a in alerts if a.licence.person_id in with_account]
    hr = _hr_people({a.licence.person_id for a in alerts}, day)
    told = set(
        Notice.objects.filter(once_key__in={a.key for a in alerts}).values_list("person_id", "once_key")
    )
    sent = 0
    for a in alerts:
        person = a.licence.person
        if (person.pk, a.key) not in told:
            notify(
                person=person,
                kind=NOTICE_LICENCE,
                subject=a.subject,
                body=a.body,
                link=reverse("credentials:my-licences"),
                once_key=a.key,
            )
            sent += 1
        for hr_id in hr.get(person.pk, []):
            if (hr_id, a.key) in told:
                continue
            notify(
                person=Person(pk=hr_id),
                kind=NOTICE_HR,
                subject=f"{person.display_name}: {a.subject}",
                body=a.body,
                link=reverse("credentials:person-credentials", args=[person.pk]),
                once_key=a.key,
            )
            told.add((hr_id, a.key))
            sent += 1
    return sent


# --- work queue -------------------------------------------------------------------------------------------
def hr_queue_items(user: Any, today: dt.date) -> list[workqueue.WorkItem]:
    """HR's items: licences in an alert window of people without an account (they get no notice).
    No query at all for a user without an HR grant."""
    grants = [g for g in policy.effective_grants(user) if g.role == RoleGrant.Role.HR]
    if not grants:
        return []
    scope = Q()
    for g in grants:
        scope |= Q(organization__path__startswith=g.path)
    has_account = User.objects.filter(person_id=OuterRef("person_id"))
    window = (
        Licence.objects.current()
        .filter(
            status=Licence.Status.ACTIVE,
            expires_on__gte=today,
            expires_on__lte=today + dt.timedelta(days=max(WINDOWS)),
        )
        .exclude(Exists(has_account))
    )
    # Positions in scope are looked for among the window's people only: asked the other way round (does
    # this licence's person work here?), PostgreSQL walked every current position in the state.
    working = Position.objects.current(today).filter(scope, person_id__in=window.values("person_id"))
    rows = list(
        window.filter(person_id__in=working.values("person_id"))
        .select_related("field", "person")
        .order_by("expires_on", "pk")[:200]
    )
    # The renewal's PDP shortfall is on the page the item opens: working it out here for every listed
    # licence (their activities and rules) cost HR's home page most of its time.
    items = []
    for lic in rows:
        detail = "No account: tell them yourself. Their renewal progress is on the page this opens."
        items.append(
            workqueue.WorkItem(
                title=f"{lic.person.display_name}: {lic.field.name} licence expires",
                url=reverse("credentials:person-credentials", args=[lic.person_id]),
                source="credentials",
                due=lic.expires_on,
                detail=detail,
            )
        )
    return items
