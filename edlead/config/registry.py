"""The settings registry: every app declares its settings in code, from its AppConfig.ready().

    from edlead import config

    config.register("evaluation.cycle_starts", "Evaluation year starts", config.DATE_OF_YEAR, "09-01",
                    "The first day of the evaluation year.", section="Evaluation cycle")

Values live per organization (`SettingValue`): a district's own, else the state's, else this default
(`edlead.config.setting(org, key)`). A `level="state"` setting is the state's rule: only the state
sets it and a district page shows it read-only.

No models are imported here: `register` runs while apps load.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

INT = "int"
BOOL = "bool"
STR = "str"
CHOICE = "choice"
LIST = "list"
DATE_OF_YEAR = "date_of_year"
TYPES = frozenset({INT, BOOL, STR, CHOICE, LIST, DATE_OF_YEAR})

DISTRICT = "district"
STATE = "state"
LEVELS = frozenset({DISTRICT, STATE})

_MONTHS = [dt.date(2000, m, 1).strftime("%B") for m in range(1, 13)]
_MONTH_DAY = re.compile(r"^\s*(\d{1,2})\s*[-/]\s*(\d{1,2})\s*$")


@dataclass(frozen=True, order=True)
class MonthDay:
    """A day of the year without a year ("1 September"), as evaluation calendars are written."""

    month: int
    day: int

    def __post_init__(self) -> None:
        dt.date(2000, self.month, self.day)  # 2000 is a leap year: 29 February is allowed

    @classmethod
    def parse(cls, text: str) -> MonthDay:
        match = _MONTH_DAY.match(text or "")
        if not match:
            raise ValidationError("Enter a month and day as MM-DD, for example 09-01 for 1 September.")
        try:
            return cls(int(match.group(1)), int(match.group(2)))
        except ValueError as exc:
            raise ValidationError("That day does not exist in the year.") from exc

    def in_year(self, year: int) -> dt.date:
        """The date in `year` (28 February in a year without a 29th)."""
        if (self.month, self.day) == (2, 29) and not _leap(year):
            return dt.date(year, 2, 28)
        return dt.date(year, self.month, self.day)

    @property
    def code(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"

    def __str__(self) -> str:
        return f"{self.day} {_MONTHS[self.month - 1]}"


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


@dataclass(frozen=True)
class Definition:
    """One declared setting."""

    key: str
    label: str
    type: str
    default: Any
    help: str = ""
    level: str = DISTRICT
    section: str = "General"
    choices: tuple[tuple[str, str], ...] = ()
    item: str = STR  # the type of a list's items: STR or INT
    minimum: int | None = None
    maximum: int | None = None
    app: str = ""
    order: int = field(default=0, compare=False)

    @property
    def slug(self) -> str:
        """The key as an HTML id and URL part (dots read as class selectors in CSS and htmx)."""
        return self.key.replace(".", "-").replace("_", "-")

    # --- values: stored as JSON, read as Python --------------------------------------------------------
    def parse(self, raw: Any) -> Any:
        """A value from a form (text) or from code, checked; `ValidationError` with a message for a
        person when it is not acceptable. Returns what is stored (JSON)."""
        if self.type == BOOL:
            if isinstance(raw, bool):
                return raw
            return str(raw).strip().lower() in {"1", "true", "on", "yes"}
        if self.type == INT:
            return self._int(raw)
        if self.type == CHOICE:
            value = str(raw or "").strip()
            if value not in {code for code, _ in self.choices}:
                raise ValidationError("Choose one of the options.")
            return value
        if self.type == DATE_OF_YEAR:
            return (raw if isinstance(raw, MonthDay) else MonthDay.parse(str(raw))).code
        if self.type == LIST:
            items: Sequence[Any]
            if isinstance(raw, list | tuple):
                items = raw
            elif self.item == INT:
                items = [p for p in re.split(r"[\s,;]+", str(raw or "")) if p]
            else:
                items = [line for line in str(raw or "").splitlines()]
            if self.item == INT:
                return [self._int(v) for v in items]
            cleaned = [str(v).strip() for v in items if str(v).strip()]
            if len({c.lower() for c in cleaned}) != len(cleaned):
                raise ValidationError("Each name once, please: the list has a repeat.")
            return cleaned
        text = str(raw if raw is not None else "").strip()
        if len(text) > 500:
            raise ValidationError("At most 500 characters.")
        return text

    def _int(self, raw: Any) -> int:
        try:
            value = int(str(raw).strip())
        except (TypeError, ValueError) as exc:
            raise ValidationError("Enter a whole number.") from exc
        if self.minimum is not None and value < self.minimum:
            raise ValidationError(f"At least {self.minimum}.")
        if self.maximum is not None and value > self.maximum:
            raise ValidationError(f"At most {self.maximum}.")
        return value

    def python(self, stored: Any) -> Any:
        """The stored JSON as code reads it (a `MonthDay` for a date of the year)."""
        if self.type == DATE_OF_YEAR:
            return MonthDay.parse(stored)
        if self.type == LIST:
            return list(stored)
        return stored

    def display(self, stored: Any) -> str:
        """The stored JSON as a person reads it."""
        if self.type == BOOL:
            return "Yes" if stored else "No"
        if self.type == CHOICE:
            return dict(self.choices).get(stored, str(stored))
        if self.type == DATE_OF_YEAR:
            return str(MonthDay.parse(stored))
        if self.type == LIST:
            return ", ".join(str(v) for v in stored) if stored else "(none)"
        return str(stored) if stored != "" else "(empty)"

    def as_text(self, stored: Any) -> str:
        """The stored JSON as the form's input shows it."""
        if self.type == LIST:
            return (", " if self.item == INT else "\n").join(str(v) for v in stored)
        if self.type == BOOL:
            return "on" if stored else ""
        return str(stored)


_REGISTRY: dict[str, Definition] = {}


def register(
    key: str,
    label: str,
    type: str,  # noqa: A002 (the declaration reads as the issue writes it)
    default: Any,
    help: str = "",  # noqa: A002
    *,
    level: str = DISTRICT,
    section: str = "General",
    choices: Sequence[tuple[str, str]] = (),
    item: str = STR,
    minimum: int | None = None,
    maximum: int | None = None,
    app: str = "",
) -> Definition:
    """Declare a setting (from an AppConfig.ready()). The default is checked like any value, so a
    wrong declaration fails at start-up, not on a page."""
    if type not in TYPES:
        raise ValueError(f"Setting {key!r}: unknown type {type!r}")
    if level not in LEVELS:
        raise ValueError(f"Setting {key!r}: level is 'district' or 'state'")
    if type == CHOICE and not choices:
        raise ValueError(f"Setting {key!r}: a choice needs choices")
    if len(key) > 100 or not re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+", key):
        raise ValueError(f"Setting {key!r}: keys are dotted lower-case names, e.g. 'workqueue.due_soon_days'")
    definition = Definition(
        key=key,
        label=label,
        type=type,
        default=None,
        help=help,
        level=level,
        section=section,
        choices=tuple((str(c), str(n)) for c, n in choices),
        item=item,
        minimum=minimum,
        maximum=maximum,
        app=app or key.split(".")[0],
        order=_REGISTRY[key].order if key in _REGISTRY else len(_REGISTRY),
    )
    try:
        stored_default = definition.parse(default)
    except ValidationError as exc:
        raise ValueError(f"Setting {key!r}: the default {default!r} is not valid: {exc.messages}") from exc
    definition = Definition(**{**definition.__dict__, "default": stored_default})
    _REGISTRY[key] = definition
    return definition


def definition(key: str) -> Definition:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise KeyError(f"No setting {key!r} is declared (config.register in the app's ready())") from None


def definitions() -> list[Definition]:
    """Every declared setting, in declaration order."""
    return sorted(_REGISTRY.values(), key=lambda d: d.order)
