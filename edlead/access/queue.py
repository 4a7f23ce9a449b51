"""Work-queue items about working relationships: a new coachee or evaluator, one that is ending."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Q

from edlead.access.models import Relationship
from edlead.core.workqueue import WorkItem

NEW_DAYS = 14  # a relationship that began this recently is "new for you"
ENDING_DAYS = 30  # … and one that ends this soon is listed with its end as the due date


def relationship_items(user: Any, today: dt.date) -> Iterator[WorkItem]:
    """One query: relationships the person holds or receives that began lately or end soon."""
    pid = getattr(user, "person_id", None)
    if not pid:
        return
    rows = list(
        Relationship.objects.active(today)
        .filter(Q(holder_id=pid) | Q(person_id=pid))
        .filter(
            Q(starts_on__gte=today - dt.timedelta(days=NEW_DAYS))
            | Q(ends_on__lte=today + dt.timedelta(days=ENDING_DAYS))
        )
        .select_related("holder", "person", "organization")
    )
    from edlead.access import groups

    groups.label(rows)  # "member of New Principals Cohort", not its key (a query only when there are groups)
    for rel in rows:
        ending = rel.ends_on is not None and rel.ends_on <= today + dt.timedelta(days=ENDING_DAYS)
        role = rel.get_kind_display().lower()
        if rel.holder_id == pid:
            about = rel.person.display_name if rel.person else rel.group_label  # type: ignore[attr-defined]
            title = f"Your time as {role} of {about} ends" if ending else f"You are now {role} of {about}"
            url = (
                rel.person.get_absolute_url()
                if rel.person
                else (rel.group_url or rel.holder.get_absolute_url())  # type: ignore[attr-defined]
            )
        else:
            title = (
                f"{rel.holder.display_name} stops being your {role}"
                if ending
                else f"{rel.holder.display_name} is now your {role}"
            )
            url = rel.holder.get_absolute_url()
        yield WorkItem(
            title=title,
            url=url,
            source="relationships",
            due=rel.ends_on if ending else None,
            organization=rel.organization.name,
            new=not ending,
        )
