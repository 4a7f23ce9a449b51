"""Columns that apps add to the principal supervisor's school rows (the home page's "My principals"): one
row per school, and each app says what it knows about the school — the principal's evaluation, the
school's improvement plan, the supervisor's visits, open support requests, the principal's learning and
licences, key figures with their trend. The home page never imports those apps; each registers its
column from its `AppConfig.ready()`:

    from edlead.home import columns
    columns.register(columns.Column("visits", "Last visit", 30, visit_cells))

`cells(user, rows, today)` reads every school of the rows at once — one or two queries whatever their
number — and answers a `Cell` per school it has something to say about (a school it does not name shows
"—"). A column may be offered only to some readers (`allowed`). The rows are exported as CSV with the
same cells. A column may also count what happened in a period across the rows' schools (`period`: the
visits made in a month, the requests opened and resolved) for the network reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Cell:
    """What one column says about one school: its text, how it sorts, where it leads, whether it needs
    the supervisor's attention, a second line, and a trend to draw as a sparkline (with its own words)."""

    text: str
    sort: str | int | float | None = None
    url: str = ""
    attention: bool = False
    note: str = ""
    spark: Sequence[float | None] = ()
    spark_label: str = ""


EMPTY = Cell("—", sort="")


@dataclass(frozen=True)
class Figure:
    """A count over a period across the schools, for a report: "Visits made" 23."""

    label: str
    value: int | float | str


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    order: int
    cells: Callable[[Any, list[Any], dt.date], dict[int, Cell]]
    allowed: Callable[[Any], bool] = field(default=lambda user: True)
    help: str = ""
    period: Callable[[Any, list[Any], dt.date, dt.date], list[Figure]] | None = None


_COLUMNS: dict[str, Column] = {}


def register(column: Column) -> None:
    _COLUMNS[column.key] = column


def unregister(key: str) -> None:
    _COLUMNS.pop(key, None)


def columns_for(user: Any) -> list[Column]:
    return sorted((c for c in _COLUMNS.values() if c.allowed(user)), key=lambda c: (c.order, c.key))


def fill(user: Any, rows: list[Any], today: dt.date) -> list[Column]:
    """Give each row (`orgs.selectors.SchoolRow`) its `cells`, a (column, cell) pair per column the user
    is offered, in order; the columns offered."""
    offered = columns_for(user)
    found = [c.cells(user, rows, today) if rows else {} for c in offered]
    for row in rows:
        row.cells = [
            (c, by_school.get(row.school.pk, EMPTY)) for c, by_school in zip(offered, found, strict=True)
        ]
    return offered


def figures(user: Any, rows: list[Any], start: dt.date, end: dt.date) -> list[tuple[Column, list[Figure]]]:
    """What each column the user is offered counts between `start` and `end` (both days included) across
    the rows' schools: the columns that count something, each with its figures."""
    out = []
    for c in columns_for(user):
        if c.period is not None and rows:
            found = c.period(user, rows, start, end)
            if found:
                out.append((c, found))
    return out
