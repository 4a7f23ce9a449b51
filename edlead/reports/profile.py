"""The one-page leader profile (issue 12 item 7): who the leader is and has been — positions, schools led
and their outcomes over each tenure — and what other apps know, each saying only what the reader may see:
credentials, professional learning, the latest evaluation summary (for those the evaluation rule lets
read it). The reports app never imports those apps; each registers a section from its `ready()`:

    from edlead.reports import profile
    profile.register(profile.Section("credentials", "Credentials", 20, credential_lines))

`lines(user, person, today)` answers the section's lines, (label, value) pairs, in a few queries — or
None when the reader may not see it or there is nothing (the section is then left out)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Lines = list[tuple[str, str]]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    order: int
    lines: Callable[[Any, Any, dt.date], Lines | None]


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    _SECTIONS[section.key] = section


def unregister(key: str) -> None:
    _SECTIONS.pop(key, None)


def sections_for(user: Any, person: Any, today: dt.date) -> list[tuple[Section, Lines]]:
    out = []
    for s in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        found = s.lines(user, person, today)
        if found:
            out.append((s, found))
    return out
