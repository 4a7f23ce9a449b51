"""Read CSV and XLSX files into rows of text, streaming, with the mess real users bring.

- CSV encoding: UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, then
  Windows-1252, then Latin-1. The whole file is checked in chunks before any row is read, so a
  stray Windows-1252 byte near the end does not turn the first rows into mojibake.
- The delimiter is the most frequent of `,` `;` tab in the first lines (comma when in doubt).
- XLSX is read with openpyxl in read-only mode (the first worksheet), cells turned into text the way
  a person would type them: whole numbers without `.0`, dates as ISO `YYYY-MM-DD`.
- Refused with a `TabularError` a person can read: an empty file, binary junk, an old `.xls`, a
  damaged workbook, a file that ends inside a quoted cell (truncated).
- Cells are stripped of surrounding blanks; trailing empty cells are dropped. Rows stream from
  `Table.rows()` as `(line_number, cells)`, so a 50 MB file is never held as one list of lists.

`find_header_row` picks the header below an optional title row (DESE exports put one above it).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

# A cell may legitimately hold megabytes (a pasted document); the importer then refuses it by length
# with the row and column named, instead of the csv module failing with "field larger than limit".
csv.field_size_limit(2**31 - 1)

_CHUNK = 1 << 20
_SAMPLE = 64 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other OLE documents)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class TabularError(ValueError):
    """A file that cannot be read as a table; `message` is written for the person who sent it."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Table:
    """An open table. Use as a context manager; iterate `rows()` once."""

    name: str
    format: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ","
    rows_estimate: int = 0  # physical lines (CSV) or worksheet rows (XLSX): for progress bars
    _rows: Callable[[], Iterator[tuple[int, list[str]]]] | None = None
    _close: list[Callable[[], None]] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line number, stripped cells) for every non-blank row, in file order."""
        assert self._rows is not None
        return self._rows()

    def close(self) -> None:
        for closer in self._close:
            closer()
        self._close.clear()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_table(path: Path | str, *, name: str | None = None) -> Table:
    """Open `path` as CSV or XLSX (by content, not by extension). Raises `TabularError`."""
    path = Path(path)
    display = name or path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(_SAMPLE)
    except OSError as exc:
        raise TabularError(f"The file {display} cannot be opened: {exc.strerror or exc}.") from exc
    if size == 0 or not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise TabularError("The file is empty.")
    if head.startswith(_ZIP_MAGIC):
        return _open_xlsx(path, display)
    if head.startswith(_OLE_MAGIC):
        raise TabularError(
            "This is an old Excel .xls workbook (or another binary document). Save it as .xlsx or CSV and try again."
        )
    return _open_csv(path, display, head)


def read_rows(path: Path | str) -> list[list[str]]:
    """Every row of a small file as a list (for tests and little helpers)."""
    with open_table(path) as table:
        return [cells for _, cells in table.rows()]


# --- CSV --------------------------------------------------------------------------------------------
def _detect_encoding(path: Path, head: bytes) -> tuple[str, int]:
    """The encoding to read the whole file with, and its number of line breaks."""
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        with path.open("rb") as fh:
            newlines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(_CHUNK), b""))
        return "utf-16", newlines // 2 or 1
    if b"\x00" in head:
        raise TabularError("This file holds binary data, not text: it is neither CSV nor XLSX.")
    candidates = ["utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8", "cp1252"]
    decoders = {enc: codecs.getincrementaldecoder(enc)() for enc in candidates}
    alive = dict.fromkeys(candidates, True)
    newlines = 0
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            newlines += chunk.count(b"\n")
            if b"\x00" in chunk:
                raise TabularError("This file holds binary data, not text: it is neither CSV nor XLSX.")
            for enc in candidates:
                if alive[enc]:
                    try:
                        decoders[enc].decode(chunk)
                    except UnicodeDecodeError:
                        alive[enc] = False
            if not any(alive.values()):
                break
    for enc in candidates:
        if alive[enc]:
            try:
                decoders[enc].decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return enc, newlines
    return "latin-1", newlines  # every byte is a Latin-1 character: the last resort never fails


def _sniff_delimiter(sample: str) -> str:
    lines = [ln for ln in sample.splitlines()[:30] if ln.strip()]
    counts = {d: sum(ln.count(d) for ln in lines) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _open_csv(path: Path, display: str, head: bytes) -> Table:
    encoding, newlines = _detect_encoding(path, head)
    sample = head.decode(encoding if encoding != "utf-16" else "utf-16", errors="replace")
    if encoding == "utf-8-sig":
        sample = sample.lstrip("\ufeff")
    if not sample.strip():
        raise TabularError("The file is empty.")
    controls = len(_CONTROL.findall(sample))
    if controls > max(8, len(sample) // 100):
        raise TabularError("This file holds binary data, not text: it is neither CSV nor XLSX.")
    delimiter = _sniff_delimiter(sample)
    fh: IO[str] = path.open(encoding=encoding, newline="")
    table = Table(
        name=display, format="csv", encoding=encoding, delimiter=delimiter, rows_estimate=newlines + 1
    )
    table._close.append(fh.close)

    def rows() -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(fh, delimiter=delimiter, strict=True)
        line = 1
        while True:
            start = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if "unexpected end of data" in str(exc):
                    raise TabularError(
                        f"The file ends inside a quoted cell that starts on line {start}: it looks truncated "
                        "(a closing quote is missing).",
                        line=start,
                    ) from exc
                raise TabularError(
                    f"Line {reader.line_num}: this is not valid CSV ({exc}).", line=start
                ) from exc
            line = start
            cells = list(map(str.strip, record))
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                yield line, cells

    table._rows = rows
    return table


# --- XLSX -------------------------------------------------------------------------------------------
def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


# What an XLSX may expand to. A workbook is a zip of XML parts: a few MB can declare gigabytes of shared
# strings, which openpyxl would hold in memory before the first row is read. The sizes are checked from
# the zip's directory before openpyxl opens it (Python's zipfile stops at a member's declared size and
# refuses one whose data runs past it, so a lying directory cannot slip through).
MAX_EXPANDED_BYTES = 256 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
MAX_RATIO = 100  # uncompressed : compressed, for any member over 1 MB


def xlsx_expanded_bytes(
    path: Path | str,
    *,
    max_total: int | None = None,
    max_shared_strings: int | None = None,
    max_ratio: int | None = None,
) -> int:
    """The uncompressed size of an XLSX's parts; raises `TabularError` when it is more than any upload
    may expand to (in total, for the shared strings, or by compression ratio)."""
    import zipfile

    max_total = MAX_EXPANDED_BYTES if max_total is None else max_total
    max_shared_strings = MAX_SHARED_STRINGS_BYTES if max_shared_strings is None else max_shared_strings
    max_ratio = MAX_RATIO if max_ratio is None else max_ratio
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TabularError(
            "This file looks like an XLSX workbook but cannot be read; it may be damaged."
        ) from exc
    total = 0
    refusal = (
        "This workbook expands to {size} when opened, more than EdLead reads from one upload ({limit}). "
        "Save it as CSV, or split it, and try again."
    )
    for member in members:
        total += member.file_size
        if member.file_size > 1_048_576 and member.file_size > max_ratio * max(member.compress_size, 1):
            raise TabularError(
                f"This workbook's part {member.filename[:60]} is compressed {member.file_size // max(member.compress_size, 1):,} "
                f"to 1, far more than a real spreadsheet ({max_ratio} to 1 at most): EdLead does not open it. "
                "Save it as CSV and try again."
            )
        if member.filename.casefold().endswith("sharedstrings.xml") and member.file_size > max_shared_strings:
            raise TabularError(refusal.format(size=_mb(member.file_size), limit=_mb(max_shared_strings)))
    if total > max_total:
        raise TabularError(refusal.format(size=_mb(total), limit=_mb(max_total)))
    return total


def _mb(size: int) -> str:
    return f"{size / 1_048_576:,.0f} MB"


def _open_xlsx(path: Path, display: str) -> Table:
    import zipfile

    from openpyxl import load_workbook

    xlsx_expanded_bytes(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise TabularError(
            "This file looks like an XLSX workbook but cannot be read; it may be damaged."
        ) from exc
    except Exception as exc:  # openpyxl raises its own InvalidFileException and others
        raise TabularError(
            "This file looks like an XLSX workbook but cannot be read; it may be damaged."
        ) from exc
    if not workbook.worksheets:
        workbook.close()
        raise TabularError("The workbook has no worksheet.")
    sheet = workbook.worksheets[0]
    table = Table(name=display, format="xlsx", rows_estimate=int(sheet.max_row or 0))
    table._close.append(workbook.close)

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_cell_text(v) for v in values]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    yield line, cells
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise TabularError("The workbook is damaged and cannot be read to the end.") from exc

    table._rows = rows
    return table


# --- Header -----------------------------------------------------------------------------------------
def normalize_header(text: str) -> str:
    """`Org Code`, `ORG_CODE` and `org-code ` compare equal."""
    return re.sub(r"[^0-9a-z#%]+", "", text.casefold())


@dataclass
class HeaderLayout:
    """Where a header row puts the columns a reader knows (`found`: key → cell index), the cells that
    repeat a column already found (`repeated`) and those that name no known column (`extra`)."""

    found: dict[str, int] = field(default_factory=dict)
    repeated: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)


def map_header(
    names: Sequence[tuple[str, Collection[str]]], header: Sequence[str], *, one_cell_per_key: bool = False
) -> HeaderLayout:
    """The one header reader of every import: `names` lists each column key with the normalized names
    it answers to (`normalize_header`), in declaration order. A cell whose name belongs to several keys
    fills each of them not yet found. A cell is `repeated` when its name was seen before, or, with
    `one_cell_per_key`, when every key it names is already found (two aliases of one column)."""
    by_name = _keys_by_name(names)
    layout = HeaderLayout()
    seen: set[str] = set()
    for index, raw in enumerate(header):
        norm = _normalized(raw)
        if not norm:
            continue
        keys = by_name.get(norm)
        if not keys:
            layout.extra.append(raw)
            seen.add(norm)
            continue
        fresh = [k for k in keys if k not in layout.found]
        if norm in seen or (one_cell_per_key and not fresh):
            layout.repeated.append(raw)
        seen.add(norm)
        for key in fresh:
            layout.found[key] = index
    return layout


_BY_NAME: dict[int, tuple[Any, dict[str, list[str]]]] = {}


def _keys_by_name(names: Sequence[tuple[str, Collection[str]]]) -> dict[str, list[str]]:
    """Normalized name → keys, computed once per `names` object (kinds pass the same list each time)."""
    cached = _BY_NAME.get(id(names))
    if cached is not None and cached[0] is names:
        return cached[1]
    by_name: dict[str, list[str]] = {}
    for key, key_names in names:
        for name in key_names:
            by_name.setdefault(name, []).append(key)
    if len(_BY_NAME) > 4096:
        _BY_NAME.clear()
    _BY_NAME[id(names)] = (names, by_name)
    return by_name


@functools.lru_cache(maxsize=65536)
def normalized_header(name: str) -> str:
    """`normalize_header`, remembered (header cells repeat across kinds and files)."""
    return normalize_header(name)


_normalized = normalized_header


def find_header_row(rows: Sequence[list[str]], score: Callable[[list[str]], float] | None = None) -> int:
    """Index of the header among the first rows: the best-scoring row when `score` is given, else the
    first row that fills at least half as many cells as the widest of the rows after it (a title row
    above the header has one cell)."""
    if not rows:
        return 0
    if score is not None:
        best, best_score = 0, 0.0
        for i, row in enumerate(rows):
            s = score(row)
            if s > best_score:
                best, best_score = i, s
        if best_score > 0:
            return best
    widths = [sum(1 for c in row if c) for row in rows]
    for i, width in enumerate(widths):
        below = max(widths[i:]) if widths[i:] else width
        if width >= 2 and width * 2 >= below:
            return i
    return 0
