"""The coaching items of the work queue: for those who assign mentors (program coordinators, district
administrators), each new principal still without a mentor — due two weeks after their start date,
overdue after. One query."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from edlead.coaching import selectors
from edlead.core import workqueue

SOURCE = "coaching"
LIMIT = 50


def items(user: Any, today: dt.date) -> list[workqueue.WorkItem]:
    waiting = selectors.awaiting_mentor(user, today, limit=LIMIT)
    if not waiting:
        return []
    url = reverse("coaching:matching")
    return [
        workqueue.WorkItem(
            title=f"Assign a mentor to {w.person.display_name}",
            url=url,
            source=SOURCE,
            due=w.due,
            organization=w.school.name,
            detail=f"New principal since {w.started_on:%B} {w.started_on.day}: a mentor within two weeks",
            waiting=True,
        )
        for w in waiting
    ]
