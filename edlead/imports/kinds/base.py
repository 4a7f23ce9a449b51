"""The import framework: one declaration per kind (columns, parsers, natural key) and the report.

A kind declares its `columns`; `ImportKind.parse` maps the header, runs every column's parser on
every row (collecting *all* errors with line and column), drops identical duplicates and refuses
conflicting ones by the kind's natural key. The kind's `plan` then compares the parsed rows with the
database in a few set-based queries and returns a `Plan` whose `write()` applies it with bulk writes.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from edlead.lib.codes import OrgCodeError, normalize_org_code
from edlead.lib.schoolyears import SchoolYear
from edlead.lib.tabular import map_header, normalize_header, normalized_header

LIST_LIMIT = 1000  # errors / skips / changes kept in a report; the counts are always complete
MEMO_LIMIT = 50_000  # parsed values remembered per column (or per shared parser), by their text
_MISSING = object()


class CellError(ValueError):
    """A parser's complaint about one cell, written for the person who made the file."""


# --- Parsers: text → value, or CellError ------------------------------------------------------------
# C0 controls and DEL. Not C1 (U+0080–U+009F): real DESE files hold Windows quotes decoded as those.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text(max_length: int) -> Callable[[str], str]:
    """Text up to `max_length` characters, without control characters (a name holding an escape or
    a NUL is a mistake, and some databases refuse a NUL). Formula-like text (`=HYPERLINK(…)`) is kept
    as written: it is only text here, and exports neutralise it."""

    def parse(value: str) -> str:
        if len(value) > max_length:
            raise CellError(f"{len(value):,} characters, longer than the {max_length} this field holds")
        control = _CONTROL.search(value)
        if control:
            raise CellError(
                f"holds a control character (U+{ord(control.group()):04X}) at position {control.start() + 1}: "
                "remove it"
            )
        return value

    return parse


def org_code(value: str) -> str:
    try:
        return normalize_org_code(value)
    except OrgCodeError as exc:
        raise CellError(f"{_show(value)} is not an organization code (up to 8 digits)") from exc


def memo_shared(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """Mark a parser whose result depends on the text alone: `ImportKind.parse` then remembers its values
    across files (a folder of exports repeats the same codes, labels and numbers), not per file."""
    parse.shared_memo = {}  # type: ignore[attr-defined]
    return parse


memo_shared(org_code)


def mepid(value: str) -> str:
    cleaned = value[:-2] if value.endswith(".0") else value
    if not re.fullmatch(r"\d{8}", cleaned):
        raise CellError(f"{_show(value)} is not a state staff ID (MEPID has exactly 8 digits)")
    return cleaned


_email_validator = EmailValidator()


def email(value: str) -> str:
    if len(value) > 254:
        raise CellError(f"{len(value):,} characters, longer than an e-mail address can be")
    try:
        _email_validator(value)
    except ValidationError as exc:
        raise CellError(f"{_show(value)} is not an e-mail address") from exc
    return value.lower()


def date(value: str) -> dt.date:
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value):
            return dt.date.fromisoformat("-".join(p.zfill(2) for p in value.split("-")))
        match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
        if match:
            return dt.date(int(match.group(3)), int(match.group(1)), int(match.group(2)))
    except ValueError as exc:
        raise CellError(f"{_show(value)} is not a real date") from exc
    raise CellError(f"{_show(value)} is not a date like 2024-07-01 or 7/1/2024")


def decimal_range(low: Decimal, high: Decimal, places: int = 2) -> Callable[[str], Decimal]:
    def parse(value: str) -> Decimal:
        try:
            number = Decimal(value)
        except InvalidOperation as exc:
            raise CellError(f"{_show(value)} is not a number") from exc
        if not number.is_finite() or number < low or number > high:
            raise CellError(f"{_show(value)} is outside {low}–{high}")
        quantized = number.quantize(Decimal(1).scaleb(-places))
        if quantized != number:
            raise CellError(f"{_show(value)} has more than {places} decimal places")
        return quantized

    return parse


def choice(options: dict[str, str], what: str) -> Callable[[str], str]:
    """Match a value or a label case- and punctuation-insensitively."""
    lookup = {normalize_header(k): v for k, v in options.items()}

    def parse(value: str) -> str:
        key = normalize_header(value)
        if key not in lookup:
            allowed = ", ".join(sorted({v for v in options.values()}))
            raise CellError(f"{_show(value)} is not a {what} (one of: {allowed})")
        return lookup[key]

    return parse


def grades(value: str) -> str:
    """`PK,K,1,02` → `PK,K,01,02`; `NA` → empty."""
    out: list[str] = []
    for token in re.split(r"[,;\s]+", value.upper()):
        if not token or token in ("NA", "N/A"):
            continue
        if token.isdigit() and 1 <= int(token) <= 12:
            token = f"{int(token):02d}"
        elif token not in ("PK", "K", "SP", "AD"):
            raise CellError(f"{_show(value)} is not a list of grades like PK,K,01,02")
        if token not in out:
            out.append(token)
    result = ",".join(out)
    if len(result) > 80:
        raise CellError("too many grades for one organization")
    return result


def postal_code(value: str) -> str:
    digits = value.replace(" ", "")
    if re.fullmatch(r"\d{3,4}", digits):  # a spreadsheet ate the leading zero of a New England ZIP
        return digits.zfill(5)
    if len(value) > 10:
        raise CellError(f"{_show(value)} is not a postal code")
    return value


def _show(value: str) -> str:
    return f"“{value[:40]}…”" if len(value) > 40 else f"“{value}”"


# --- Declarations -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """One column of a kind: its key in parsed rows, the header people write, and how to read it."""

    key: str
    header: str
    parse: Callable[[str], Any] = field(default=lambda v: v)
    required: bool = False  # the column must be in the file
    needs_value: bool = False  # every row must fill it
    aliases: tuple[str, ...] = ()
    help: str = ""

    def names(self) -> set[str]:
        return {normalize_header(self.header), *(normalize_header(a) for a in self.aliases)}


@dataclass
class Issue:
    line: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column “{self.column}”")
        prefix = ", ".join(where)
        return f"{prefix[:1].upper()}{prefix[1:]}: {self.message}" if prefix else self.message


@dataclass
class Change:
    action: str  # "create", "update", "end"
    record: str  # "organization", "person", "position"
    label: str
    line: int | None = None
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "record": self.record,
            "label": self.label,
            "line": self.line,
            "detail": self.detail,
        }


@dataclass
class Outcome:
    """What happened to one file (or what would happen, for a dry run)."""

    file_name: str
    kind: str = ""
    kind_label: str = ""
    school_year: str = ""
    rows_total: int = 0
    errors: list[Issue] = field(default_factory=list)
    error_count: int = 0
    skips: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    applied: bool = False

    @property
    def refused(self) -> bool:
        return self.error_count > 0

    def error(self, line: int | None, column: str | None, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < LIST_LIMIT:
            self.errors.append(Issue(line, column, message))

    def skip(self, line: int | None, column: str | None, message: str) -> None:
        self.skipped += 1
        if len(self.skips) < LIST_LIMIT:
            self.skips.append(Issue(line, column, message))

    def change(self, action: str, record: str, label: str, line: int | None = None, detail: str = "") -> None:
        if action == "create":
            self.created += 1
        else:
            self.updated += 1
        if len(self.changes) < LIST_LIMIT:
            self.changes.append(Change(action, record, label, line, detail))

    def counts_line(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, {self.skipped} skipped"

    def report(self) -> dict[str, Any]:
        return {
            "errors": [i.as_dict() for i in self.errors],
            "error_count": self.error_count,
            "skips": [i.as_dict() for i in self.skips],
            "notes": list(self.notes),
            "changes": [c.as_dict() for c in self.changes],
        }


@dataclass
class Context:
    """What a kind needs besides the rows: the year the file describes, who imports it, and where
    they may write (`scope_paths` None means anywhere: the command line, a superuser)."""

    file_name: str
    year: SchoolYear | None
    as_of: dt.date
    actor: Any = None
    scope_paths: tuple[str, ...] | None = None
    title: str = ""  # the text of any title row(s) above the header
    # Lookups a kind may keep across the files of one run (organizations by code, metrics by code): the
    # command line passes one dict for all its files, so a folder of 108 reports resolves them once. A
    # kind adds what its `Plan.write` creates, after it is written.
    shared: dict[str, Any] = field(default_factory=dict)

    def state_root_id(self) -> int:
        """The state agency's id (created when missing), looked up once per run."""
        found = self.shared.get("state_root_id")
        if found is None:
            from edlead.orgs import services as org_services

            found = self.shared["state_root_id"] = org_services.state_agency_get_or_create().pk
        return int(found)

    def in_scope(self, path: str) -> bool:
        return self.scope_paths is None or any(path.startswith(p) for p in self.scope_paths)


class Plan:
    """The writes an import would make. `write()` performs them (inside the caller's transaction)."""

    def write(self) -> None:  # pragma: no cover - every kind overrides
        raise NotImplementedError


ProgressFn = Callable[[str, int], None]


class ImportKind:
    """Base for every import kind. Subclasses declare the class attributes and implement `plan`."""

    slug: ClassVar[str]
    label: ClassVar[str]
    description: ClassVar[str] = ""
    priority: ClassVar[int] = 50  # lower applies first when several files are imported together
    columns: ClassVar[tuple[Column, ...]]
    key_columns: ClassVar[tuple[str, ...]]  # column keys that identify the layout
    natural_key: ClassVar[tuple[str, ...]]  # column keys that identify a row; duplicates must agree
    ignored_columns: ClassVar[tuple[str, ...]] = ()  # known columns deliberately not imported
    uses_school_year: ClassVar[bool] = False
    state_wide: ClassVar[bool] = False  # writes organizations anywhere: needs a state-wide grant
    # A kind whose `plan` only reads and whose `Plan.write` commits in chunks when called outside a
    # transaction (big fact loads): the importer then plans and writes outside one, so a long import
    # never holds the database's write lock for long (SQLite has one). Re-applying completes a write
    # that stopped part-way.
    commits_in_chunks: ClassVar[bool] = False

    _row_types: ClassVar[dict[str, type]] = {}

    # --- hints and year ---
    @classmethod
    def hint_score(cls, hints: Sequence[str]) -> float:
        """How strongly a file's title row, file name or folder name (`hints`) point at this kind. Used
        only to choose between kinds whose headers fit equally well (0 = no opinion)."""
        return 0.0

    @classmethod
    def resolve_year(
        cls,
        *,
        given: SchoolYear | None,
        title: str,
        title_line: int | None,
        names_year: SchoolYear | None,
        outcome: Outcome,
    ) -> SchoolYear | None:
        """The school year a file describes: the one given (`--year`), else the file or folder name's.
        Kinds whose files carry their year (a title row) override this and may refuse a contradiction."""
        return given or names_year

    # --- layout ---
    @classmethod
    def row_type(cls) -> type:
        if cls.slug not in ImportKind._row_types:
            ImportKind._row_types[cls.slug] = namedtuple(
                f"{cls.__name__}Row", ["line", *(c.key for c in cls.columns)]
            )  # type: ignore[misc]
        return ImportKind._row_types[cls.slug]

    _name_lists: ClassVar[dict[str, list[tuple[str, set[str]]]]] = {}
    _key_names: ClassVar[dict[str, list[set[str]]]] = {}

    @classmethod
    def column_names(cls) -> list[tuple[str, set[str]]]:
        """(column key, the normalized names it answers to), in declaration order (computed once)."""
        cached = ImportKind._name_lists.get(cls.slug)
        if cached is None:
            cached = ImportKind._name_lists[cls.slug] = [(c.key, c.names()) for c in cls.columns]
        return cached

    @classmethod
    def header_map(cls, header: Sequence[str]) -> dict[str, int]:
        """Column key → index in the header row, for the columns this kind knows."""
        return map_header(cls.column_names(), header).found

    @classmethod
    def match_score(cls, header: Sequence[str]) -> float:
        """How well a header row fits this kind: 0 when a key column is missing or fewer than half of
        the required columns are there; otherwise the share of known columns present."""
        # A key column is found exactly when some cell bears one of its names: most kinds are ruled out
        # by that set test alone (every kind is tried on the first rows of every file).
        names = _header_names(tuple(header))
        key_names = ImportKind._key_names.get(cls.slug)
        if key_names is None:
            by_key = dict(cls.column_names())
            key_names = ImportKind._key_names[cls.slug] = [by_key[k] for k in cls.key_columns]
        if any(names.isdisjoint(wanted) for wanted in key_names):
            return 0.0
        found = cls.header_map(header)
        if any(k not in found for k in cls.key_columns):
            return 0.0
        required = [c.key for c in cls.columns if c.required]
        if sum(1 for k in required if k in found) * 2 < len(required):
            return 0.0
        return len(found) / len(cls.columns)

    # --- parsing ---
    @classmethod
    def parse(
        cls,
        header: Sequence[str],
        rows: Iterable[tuple[int, list[str]]],
        outcome: Outcome,
        progress: ProgressFn | None = None,
        header_line: int = 1,
    ) -> list[Any]:
        """Validate every row column by column. Returns the parsed rows (a namedtuple per row, with
        `line`); errors go to `outcome`. Identical duplicates by natural key are dropped."""
        header_layout = map_header(cls.column_names(), header)
        found = header_layout.found
        for col in cls.columns:
            if col.required and col.key not in found:
                outcome.error(header_line, col.header, "this required column is missing from the header row")
        known = {n for c in cls.columns for n in c.names()}
        for name in header_layout.repeated:
            if normalize_header(name) in known:
                outcome.error(header_line, name, "this column appears twice in the header row")
        extra = header_layout.extra
        ignored = {normalize_header(n) for n in cls.ignored_columns}
        if extra:
            listed = ", ".join(f"“{e[:40]}”" for e in extra[:20]) + (" …" if len(extra) > 20 else "")
            kind = (
                "Known columns not imported"
                if all(normalize_header(e) in ignored for e in extra)
                else "Ignored columns"
            )
            outcome.notes.append(f"{kind}: {listed}.")
        if outcome.refused:
            return []
        Row = cls.row_type()
        make_row = tuple.__new__  # what the namedtuple's own __new__ calls, without its Python frame
        # Columns the header lacks hold their empty value in every row (`template`); the others are read
        # cell by cell, each text parsed once (`memo`: repeated values share one object; a parser marked
        # `shared_memo` keeps its memo across files, for values that repeat across a folder of exports).
        template: list[Any] = [None]
        reading: list[tuple[int, int, dict[str, Any], Column, Any]] = []
        for position, col in enumerate(cls.columns, start=1):
            cell_index = found.get(col.key)
            if cell_index is None:
                template.append(None if col.needs_value else _empty(col))
                continue
            template.append(None)
            shared = getattr(col.parse, "shared_memo", None)
            reading.append((position, cell_index, shared if shared is not None else {}, col, _empty(col)))
        width = 1 + max((r[1] for r in reading), default=-1)
        padding = [""] * width
        parsed: list[Any] = []
        by_key: dict[tuple[Any, ...], Any] = {}
        key_index = [1 + [c.key for c in cls.columns].index(k) for k in cls.natural_key]
        duplicates = 0
        count = 0
        missing = _MISSING
        for line, cells in rows:
            count += 1
            if progress is not None and count % 500 == 0:
                progress("validating", count)
            if len(cells) < width:
                cells = cells + padding[len(cells) :]
            values = template.copy()
            values[0] = line
            ok = True
            for position, cell_index, memo, col, empty in reading:
                raw = cells[cell_index]
                if raw:
                    value = memo.get(raw, missing)
                    if value is missing:
                        try:
                            value = col.parse(raw)
                        except CellError as exc:
                            outcome.error(line, col.header, str(exc))
                            value, ok = None, False
                        else:
                            if len(memo) < MEMO_LIMIT:
                                memo[raw] = value
                elif col.needs_value:
                    outcome.error(line, col.header, "a value is required")
                    value, ok = None, False
                else:
                    value = empty
                values[position] = value
            if not ok:
                continue
            row: Any = make_row(Row, values)
            key = tuple([values[i] for i in key_index])
            earlier = by_key.get(key)
            if earlier is not None:
                if tuple(earlier)[1:] == tuple(row)[1:]:
                    duplicates += 1
                    continue
                differing = [c.header for c in cls.columns if getattr(earlier, c.key) != getattr(row, c.key)]
                outcome.error(
                    line,
                    cls.column(cls.natural_key[0]).header,
                    f"the same {cls.key_label()} as line {earlier.line} but different values "
                    f"({', '.join(differing[:5])})",
                )
                continue
            by_key[key] = row
            parsed.append(row)
        outcome.rows_total = count
        if progress is not None:
            progress("validating", count)
        if duplicates:
            outcome.notes.append(f"{duplicates} repeated row(s) identical to an earlier one were read once.")
        if count == 0 and not outcome.refused:
            outcome.error(header_line, None, "the file has a header row but no data rows")
        return parsed

    @classmethod
    def parsed_dump(cls, rows: Any) -> Any:
        """A picklable form of what `parse` returned (its rows as plain tuples: the row types are made
        at run time), kept from a preview for its apply; `parsed_load` turns it back."""
        return [tuple(row) for row in rows]

    @classmethod
    def parsed_load(cls, data: Any) -> Any:
        """Rows from `parsed_dump`. Raises ValueError when they no longer fit the kind's columns (kept by
        an earlier version of EdLead): the file is then read again."""
        make, row_type = tuple.__new__, cls.row_type()
        width = 1 + len(cls.columns)  # the line, then a field per column
        if data and len(data[0]) != width:
            raise ValueError(f"kept rows of {len(data[0])} fields; {cls.slug} rows have {width}")
        return [make(row_type, row) for row in data]

    @classmethod
    def column(cls, key: str) -> Column:
        return next(c for c in cls.columns if c.key == key)

    @classmethod
    def key_label(cls) -> str:
        return " + ".join(cls.column(k).header for k in cls.natural_key)

    @classmethod
    def check_rows(cls, rows: list[Any], outcome: Outcome) -> None:
        """Cross-row rules beyond the natural key (override when a kind has them)."""

    @classmethod
    def plan(cls, rows: list[Any], ctx: Context, outcome: Outcome) -> Plan:
        raise NotImplementedError

    @classmethod
    def documented_columns(cls) -> Iterator[Column]:
        return iter(cls.columns)


@functools.lru_cache(maxsize=256)
def _header_names(header: tuple[str, ...]) -> frozenset[str]:
    """The normalized names of a row's cells: every kind is tried on the first rows of every file, so the
    same row is asked about dozens of times."""
    return frozenset(map(normalized_header, header))


def _empty(col: Column) -> Any:
    return ""


def chunked(items: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def fetch_in(queryset: Any, field_name: str, values: Iterable[Any], size: int = 10_000) -> Iterator[Any]:
    """Rows of `queryset` whose `field_name` is in `values`, a few thousand values per query (SQLite
    limits the number of query parameters; a big file can name hundreds of thousands of keys)."""
    unique = sorted({v for v in values if v is not None}, key=str)
    for part in chunked(unique, size):
        yield from queryset.filter(**{f"{field_name}__in": part})
