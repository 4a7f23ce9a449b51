"""School years run July 1 to June 30 and are written `2024-25`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_LABEL = re.compile(r"^\s*(\d{4})\s*[-/–]\s*(\d{2}|\d{4})\s*$")


class SchoolYearError(ValueError):
    """A value that cannot be read as a school year."""


@dataclass(frozen=True, order=True)
class SchoolYear:
    """A school year identified by the calendar year it starts in (2024 for `2024-25`)."""

    start_year: int

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def starts_on(self) -> dt.date:
        return dt.date(self.start_year, 7, 1)

    @property
    def ends_on(self) -> dt.date:
        return dt.date(self.start_year + 1, 6, 30)

    def __str__(self) -> str:
        return self.label

    @classmethod
    def parse(cls, text: str) -> SchoolYear:
        match = _LABEL.match(text or "")
        if not match:
            raise SchoolYearError(f"{text!r} is not a school year like 2024-25")
        start, end = int(match.group(1)), match.group(2)
        end_year = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
        if end_year % 100 == 0 and len(end) == 2 and start % 100 == 99:
            end_year = start + 1
        if end_year != start + 1:
            raise SchoolYearError(f"{text!r} is not a school year: the second year must follow the first")
        return cls(start)

    @classmethod
    def containing(cls, day: dt.date) -> SchoolYear:
        return cls(day.year if day.month >= 7 else day.year - 1)

    @classmethod
    def current(cls) -> SchoolYear:
        return cls.containing(dt.date.today())
