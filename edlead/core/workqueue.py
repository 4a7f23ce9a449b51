"""The work queue: one list per person of what is waiting for them, due, overdue or new.

Every app contributes items through a provider it registers from its own `apps.py`:

    from edlead.core import workqueue

    def my_items(user, today):            # a fixed number of queries, whatever the data size
        for row in ...:
            yield workqueue.WorkItem(title=..., url=..., due=row.due_on, organization=row.school.name,
                                     source="evaluations", waiting=True)

    workqueue.register("evaluations", my_items)

The home page of every role opens with `items_for(user)`. The spine never imports a vertical: the
registry is filled by each app's `ready()`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

WAITING = "waiting"
OVERDUE = "overdue"
DUE_SOON = "due"
NEW = "new"
LATER = "later"

STATE_LABELS = {
    OVERDUE: "Overdue",
    WAITING: "Waiting for you",
    DUE_SOON: "Due soon",
    NEW: "New for you",
    LATER: "Coming up",
}
STATE_ORDER = {OVERDUE: 0, WAITING: 1, DUE_SOON: 2, NEW: 3, LATER: 4}
DUE_SOON_DAYS = 14  # the default; a district may set its own (edlead.config)


@dataclass(frozen=True)
class WorkItem:
    """One thing a person should look at. `waiting` marks an item that needs their action now (a form
    to sign, a request to approve); `new` one they have not opened yet."""

    title: str
    url: str
    source: str
    due: dt.date | None = None
    organization: str = ""
    detail: str = ""
    waiting: bool = False
    new: bool = False

    def state(self, today: dt.date, due_soon_days: int = DUE_SOON_DAYS) -> str:
        if self.due is not None and self.due < today:
            return OVERDUE
        if self.waiting:
            return WAITING
        if self.due is not None and (self.due - today).days <= due_soon_days:
            return DUE_SOON
        if self.new:
            return NEW
        return LATER


@dataclass(frozen=True)
class QueueEntry:
    item: WorkItem
    state: str

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def days(self) -> int | None:
        """Days until due (negative when overdue)."""
        return None if self.item.due is None else (self.item.due - dt.date.today()).days

    @property
    def due_text(self) -> str:
        """ "due today", "due in 3 days", "2 days overdue" (empty without a due date)."""
        days = self.days
        if days is None:
            return ""
        if days == 0:
            return "due today"
        if days < 0:
            return f"{-days:,} day{'s' if days != -1 else ''} overdue"
        return f"due in {days:,} day{'s' if days != 1 else ''}"


Provider = Callable[[Any, dt.date], Iterable[WorkItem]]
_PROVIDERS: dict[str, Provider] = {}


def register(source: str, provider: Provider) -> None:
    """Add (or replace, on a second `ready()`) the provider an app contributes under `source`."""
    _PROVIDERS[source] = provider


def providers() -> dict[str, Provider]:
    return dict(_PROVIDERS)


def items_for(
    user: Any, *, today: dt.date | None = None, due_soon_days: int = DUE_SOON_DAYS
) -> list[QueueEntry]:
    """Everything waiting for `user`, most urgent first: overdue, waiting, due soon, new, later."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = today or dt.date.today()
    entries: list[QueueEntry] = []
    for provider in _PROVIDERS.values():
        for item in provider(user, today):
            entries.append(QueueEntry(item, item.state(today, due_soon_days)))
    entries.sort(
        key=lambda e: (STATE_ORDER[e.state], e.item.due or dt.date.max, e.item.title.lower(), e.item.url)
    )
    return entries


def counts(entries: list[QueueEntry]) -> list[tuple[str, str, int]]:
    """(state, label, how many) for the states present, most urgent first: the queue's summary line."""
    seen: dict[str, int] = {}
    for e in entries:
        seen[e.state] = seen.get(e.state, 0) + 1
    return [(s, STATE_LABELS[s], seen[s]) for s in sorted(seen, key=STATE_ORDER.__getitem__)]
