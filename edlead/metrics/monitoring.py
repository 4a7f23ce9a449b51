"""Student-level in-year monitoring: stream a district SIS export and aggregate it on the fly.

Rows are read one at a time (`edlead.lib.tabular` streams CSV and XLSX) and folded into accumulators
keyed by school × year × period × *combination of student groups* — a few hundred combinations at
most — so a million rows cost one dictionary update each and memory grows with schools × periods,
not with students. At the end each combination is spread over the groups it belongs to.

Privacy (DOMAIN.md §6, issue 4):
- Student names are never read: name columns are recognised, ignored and reported as ignored.
- Student IDs are used only to notice a student listed twice for one school and period. They are
  kept in memory as a 64-bit prefix of HMAC-SHA256 under `settings.EDLEAD_STUDENT_ID_KEY` (never
  `SECRET_KEY`); when that key is empty a random key for this import alone is used, since nothing is
  persisted. `student_id_hash(..., persist=True)` — for any future feature that stores a hash —
  refuses an empty key.
- Nothing student-level reaches the database or the report: messages name the line and column and
  never echo a cell of a student-level file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import operator
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings

from edlead.core.errors import ApplicationError
from edlead.lib.codes import OrgCodeError, normalize_org_code
from edlead.lib.schoolyears import SchoolYear, SchoolYearError
from edlead.lib.tabular import map_header as tabular_map_header
from edlead.lib.tabular import normalize_header
from edlead.metrics.catalog.monitoring import INTERIM_SUBJECTS

if TYPE_CHECKING:
    from edlead.imports.kinds.base import Column, Outcome

ProgressFn = Callable[[str, int], None]
PROGRESS_EVERY = 20_000
MAX_DAYS = 366
HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")

# Headers that hold student names: ignored, and the report says so.
NAME_HEADERS = frozenset(
    normalize_header(h)
    for h in (
        "Name",
        "Student Name",
        "Full Name",
        "First Name",
        "Last Name",
        "Middle Name",
        "Preferred Name",
        "Student First Name",
        "Student Last Name",
        "Student Middle Name",
        "First",
        "Last",
        "Surname",
        "Given Name",
        "Family Name",
        "Legal Name",
    )
)


# --- Student IDs --------------------------------------------------------------------------------------
def student_id_key(*, persist: bool) -> bytes:
    """The HMAC key for student IDs: `settings.EDLEAD_STUDENT_ID_KEY`, never `SECRET_KEY`. An empty key
    is refused when the hash would be stored; for in-memory use a random one-import key stands in."""
    key = str(getattr(settings, "EDLEAD_STUDENT_ID_KEY", "") or "")
    if key:
        return key.encode()
    if persist:
        raise ApplicationError(
            "Keeping hashed student IDs needs a key of its own: set EDLEAD_STUDENT_ID_KEY (a long random "
            "string, not the SECRET_KEY) in the environment and try again."
        )
    return os.urandom(32)


def student_id_hash(student_id: str, *, persist: bool = True, key: bytes | None = None) -> str:
    """HMAC-SHA256 of a student ID (hex)."""
    return hmac.new(key or student_id_key(persist=persist), student_id.encode(), hashlib.sha256).hexdigest()


# --- Cell readers (messages never echo the cell) ------------------------------------------------------
class BadCell(ValueError):
    pass


_TRUE = {"y", "yes", "1", "true", "t", "x"}
_FALSE = {"n", "no", "0", "false", "f"}


def flag(value: str) -> bool:
    low = value.strip().casefold()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise BadCell("is not yes or no (Y/N, Yes/No, 1/0, true/false)")


RACES: dict[str, str] = {}
for _code, _names in {
    "ai_an": (
        "American Indian or Alaska Native",
        "American Indian",
        "Amer. Ind. or Alaska Nat.",
        "AmerInd",
        "AI/AN",
    ),
    "asian": ("Asian",),
    "black": (
        "African American/Black",
        "African American",
        "Black",
        "Black or African American",
        "AfAm/Black",
    ),
    "hispanic": ("Hispanic/Latino", "Hispanic", "Latino", "Hispanic or Latino", "Latinx"),
    "multi_race": (
        "Multi-race, non-Hispanic",
        "Multi-race",
        "Multiracial",
        "Two or more races",
        "Multi-Race, Non-Hisp.",
    ),
    "nh_pi": (
        "Native Hawaiian or Pacific Islander",
        "Native Hawaiian",
        "Pacific Islander",
        "NH/PI",
        "Nat. Haw. or Pac. Isl.",
    ),
    "white": ("White",),
}.items():
    for _name in (_code, *_names):
        RACES[normalize_header(_name)] = _code

GENDERS = {"f": "female", "female": "female", "girl": "female", "m": "male", "male": "male", "boy": "male"}
OTHER_GENDERS = {"n", "x", "nonbinary", "other", "u", "unknown"}


def race(value: str) -> str:
    found = RACES.get(normalize_header(value))
    if found is None:
        raise BadCell(
            "is not a race/ethnicity EdLead knows (American Indian or Alaska Native, Asian, African "
            "American/Black, Hispanic/Latino, Multi-race non-Hispanic, Native Hawaiian or Pacific Islander, White)"
        )
    return found


def gender(value: str) -> str | None:
    low = normalize_header(value)
    if low in GENDERS:
        return GENDERS[low]
    if low in OTHER_GENDERS:
        return None  # counted in All students only: DESE reports female and male groups
    raise BadCell("is not a gender (F, M, N / Female, Male, Nonbinary)")


_NUMBER = re.compile(r"\d+(\.\d{1,2})?|\.\d{1,2}")


def hundredths(value: str, what: str, high: int) -> int:
    """A non-negative number with at most two decimals, in hundredths (exact integer arithmetic)."""
    text = value.strip()
    if text.startswith("-"):
        raise BadCell(f"is negative: {what} cannot be")
    if not _NUMBER.fullmatch(text):
        raise BadCell(f"is not a number of {what} (digits, at most two decimals)")
    whole, _, frac = text.partition(".")
    result = int(whole or "0") * 100 + int((frac + "00")[:2])
    if result > high * 100:
        raise BadCell(f"is more than {high} {what}")
    return result


_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_MONTH_US = re.compile(r"(\d{1,2})/(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def day(value: str) -> dt.date:
    text = value.strip()
    try:
        match = _DATE_ISO.fullmatch(text) or None
        if match:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        match = _DATE_US.fullmatch(text)
        if match:
            return dt.date(int(match.group(3)), int(match.group(1)), int(match.group(2)))
    except ValueError as exc:
        raise BadCell("is not a real date") from exc
    raise BadCell("is not a date like 2024-10-31 or 10/31/2024")


def period_of(value: str) -> tuple[int | None, str]:
    """A Period cell → (school year start or None, period). A month (`2024-10`, `10/2024`) or a date
    gives its month and school year; anything else up to 16 characters is a term label (`Q1`, `T2`)
    whose school year comes from a School Year column or the file."""
    text = value.strip()
    match = _MONTH.fullmatch(text) or _MONTH_US.fullmatch(text)
    if match:
        year, month = (
            (int(match.group(1)), int(match.group(2)))
            if match.re is _MONTH
            else (int(match.group(2)), int(match.group(1)))
        )
        if not 1 <= month <= 12:
            raise BadCell("is not a month like 2024-10")
        return SchoolYear.containing(dt.date(year, month, 1)).start_year, f"{year:04d}-{month:02d}"
    if _DATE_ISO.fullmatch(text) or _DATE_US.fullmatch(text):
        d = day(text)
        return SchoolYear.containing(d).start_year, f"{d.year:04d}-{d.month:02d}"
    if len(text) > 16 or not re.fullmatch(r"[\w .\-/]+", text):
        raise BadCell("is not a period: a month like 2024-10 or a term label like Q1 (up to 16 characters)")
    return None, text


def school_year(value: str) -> int:
    try:
        return SchoolYear.parse(value).start_year
    except SchoolYearError as exc:
        raise BadCell("is not a school year like 2024-25") from exc


def school_code(value: str) -> str:
    try:
        return normalize_org_code(value)
    except OrgCodeError as exc:
        raise BadCell("is not a school code (the DESE code, up to 8 digits)") from exc


SUBJECTS = {normalize_header(k): k for k in INTERIM_SUBJECTS} | {
    normalize_header(v): k for k, v in INTERIM_SUBJECTS.items()
}
SUBJECTS |= {
    "englishlanguagearts": "ela",
    "reading": "ela",
    "english": "ela",
    "literacy": "ela",
    "mathematics": "math",
    "maths": "math",
    "sci": "science",
    "ste": "science",
}
MEETING_LEVELS = {
    normalize_header(v)
    for v in (
        "Meeting",
        "Exceeding",
        "Meeting Expectations",
        "Exceeding Expectations",
        "Proficient",
        "Advanced",
        "Above Proficient",
        "On Track",
        "Met",
        "Exceeded",
        "At Benchmark",
        "Above Benchmark",
        "At/Above Benchmark",
        "On or Above Grade Level",
        "On Grade Level",
        "Above Grade Level",
    )
}
NOT_MEETING_LEVELS = {
    normalize_header(v)
    for v in (
        "Not Meeting",
        "Partially Meeting",
        "Not Meeting Expectations",
        "Partially Meeting Expectations",
        "Below",
        "Below Benchmark",
        "Well Below Benchmark",
        "Warning",
        "Needs Improvement",
        "Basic",
        "Below Basic",
        "Not Met",
        "Partially Met",
        "Approaching",
        "Below Grade Level",
    )
}


def subject(value: str) -> str:
    found = SUBJECTS.get(normalize_header(value))
    if found is None:
        raise BadCell("is not a subject EdLead knows (ELA, Math, Science)")
    return found


def level_meets(value: str) -> bool:
    norm = normalize_header(value)
    if norm in MEETING_LEVELS:
        return True
    if norm in NOT_MEETING_LEVELS:
        return False
    raise BadCell("is not a performance level EdLead knows (e.g. Meeting, Partially Meeting, Proficient)")


def default_benchmark() -> int:
    return int(Decimal(str(getattr(settings, "EDLEAD_INTERIM_DEFAULT_BENCHMARK", 70))) * 100)


# --- Result -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MonitorFact:
    """One aggregated value, keyed by school code (resolved to an organization when planning)."""

    org_code: str
    school_year: int | None  # None: a term label with no school year in the file (the file's year)
    period: str
    metric: str
    group: str
    value: Decimal | None
    n: int | None


@dataclass
class SchoolRows:
    first_line: int
    rows: int = 0


@dataclass
class Aggregate:
    facts: list[MonitorFact]
    schools: dict[str, SchoolRows]  # rows read per school code (unknown codes are skipped by school)


# --- Header -------------------------------------------------------------------------------------------
def map_header(
    columns: Sequence[Column], header: Sequence[str], outcome: Outcome, header_line: int
) -> dict[str, int]:
    """Column key → index; refuses missing and repeated columns; notes name and other ignored columns.
    The header is read by the shared reader (`edlead.lib.tabular.map_header`), as for every import."""
    layout = tabular_map_header([(c.key, c.names()) for c in columns], header, one_cell_per_key=True)
    found = layout.found
    for raw in layout.repeated:
        outcome.error(header_line, raw, "this column appears twice in the header row")
    name_columns = [raw for raw in layout.extra if normalize_header(raw) in NAME_HEADERS]
    extra = [raw for raw in layout.extra if normalize_header(raw) not in NAME_HEADERS]
    for col in columns:
        if col.required and col.key not in found:
            outcome.error(header_line, col.header, "this required column is missing from the header row")
    if not {"date", "period", "school_year"} & found.keys():
        outcome.notes.append(
            "No Date, Period or School Year column: every row counts for the whole school year given when importing."
        )
    if name_columns:
        outcome.notes.append(
            "Student name columns ignored — EdLead never reads or stores student names: "
            + ", ".join(f"“{c[:40]}”" for c in name_columns)
            + "."
        )
    if extra:
        outcome.notes.append("Ignored columns: " + ", ".join(f"“{c[:40]}”" for c in extra[:20]) + ".")
    return found


# --- Streaming aggregation ----------------------------------------------------------------------------
class _Reader:
    """Per-file cell readers with memo tables (dates, codes, flags repeat endlessly in SIS exports)."""

    def __init__(self, columns: Sequence[Column], found: dict[str, int], outcome: Outcome) -> None:
        self.headers = {c.key: c.header for c in columns}
        self.found = found
        self.outcome = outcome
        self.memo: dict[str, dict[Any, Any]] = {}
        # Rows are padded to `width`; a column the header lacks reads the always-empty last cell.
        self.width = max(found.values(), default=-1) + 2
        self.padding = [""] * self.width
        self.index = {c.key: found.get(c.key, self.width - 1) for c in columns}
        self.when_cells = operator.itemgetter(*(self.index[k] for k in ("school_year", "date", "period")))
        self.combo_cells = operator.itemgetter(
            *(
                self.index.get(k, self.width - 1)
                for k in ("low_income", "el", "swd", "high_needs", "race", "gender")
            )
        )

    def pad(self, cells: list[str]) -> list[str]:
        return cells if len(cells) >= self.width else cells + self.padding[len(cells) :]

    def cell(self, cells: list[str], key: str) -> str:
        index = self.found.get(key)
        return cells[index] if index is not None and index < len(cells) else ""

    def read(self, line: int, key: str, raw: str, parse: Callable[[str], Any]) -> Any:
        memo = self.memo.setdefault(key, {})
        if raw in memo:
            return memo[raw]
        try:
            value = parse(raw)
        except BadCell as exc:
            self.bad(line, key, f"the value {exc}")
            raise
        if len(memo) < 10_000:
            memo[raw] = value
        return value

    def bad(self, line: int, key: str, message: str) -> None:
        self.outcome.error(line, self.headers[key], message)


def _when(reader: _Reader, line: int, cells: list[str]) -> tuple[int | None, str]:
    """(school year or None, period) of a row, from Date, Period and School Year."""
    memo_key = reader.when_cells(cells)
    memo = reader.memo.setdefault("_when", {})
    found = memo.get(memo_key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    year_raw, date_raw, period_raw = memo_key
    year = reader.read(line, "school_year", year_raw, school_year) if year_raw else None
    period = ""
    if period_raw:
        period_year, period = reader.read(line, "period", period_raw, period_of)
        if period_year is not None:
            if year is not None and year != period_year:
                reader.bad(
                    line,
                    "period",
                    f"the month is in school year {SchoolYear(period_year).label}, not the row's School Year",
                )
                raise BadCell("disagrees")
            year = period_year
    if date_raw:
        d = reader.read(line, "date", date_raw, day)
        date_year = SchoolYear.containing(d).start_year
        if year is not None and year != date_year:
            reader.bad(
                line,
                "date",
                f"the date is in school year {SchoolYear(date_year).label}, not the row's School Year or Period",
            )
            raise BadCell("disagrees")
        year = date_year
        if not period:
            period = f"{d.year:04d}-{d.month:02d}"
    result = (year, period)
    if len(memo) < 10_000:
        memo[memo_key] = result
    return result


def _combo(reader: _Reader, line: int, cells: list[str]) -> tuple[str, ...]:
    """The student groups a row belongs to, besides All students (a sorted tuple of group codes)."""
    raw = reader.combo_cells(cells)
    memo = reader.memo.setdefault("_combo", {})
    found = memo.get(raw)
    if found is not None:
        return found  # type: ignore[no-any-return]
    li, el, swd, hn, race_raw, gender_raw = raw
    groups: list[str] = []
    flags = {}
    for key, value in (("low_income", li), ("el", el), ("swd", swd), ("high_needs", hn)):
        flags[key] = reader.read(line, key, value, flag) if value else None
        if flags[key]:
            groups.append(key)
    derive_high_needs = "high_needs" not in reader.found and all(
        k in reader.found for k in ("low_income", "el", "swd")
    )
    if derive_high_needs and (flags["low_income"] or flags["el"] or flags["swd"]):
        groups.append("high_needs")
    if race_raw:
        groups.append(reader.read(line, "race", race_raw, race))
    if gender_raw:
        g = reader.read(line, "gender", gender_raw, gender)
        if g:
            groups.append(g)
    result = tuple(sorted(groups))
    memo[raw] = result
    return result


class _Dedupe:
    """Notices a student listed twice for one school and period without keeping their ID: a 64-bit
    prefix of HMAC-SHA256(key, ID + school + period) → the line it was first seen on and a fingerprint
    of the rest of the row. Identical repeats are read once; different ones refuse the file."""

    def __init__(self) -> None:
        self.key = student_id_key(persist=False)
        # Keyed BLAKE2b (a MAC in one pass, about twice as fast as HMAC-SHA256 on short IDs); its key is
        # at most 64 bytes, so it is derived from the configured one.
        self.blake_key = hashlib.sha256(self.key).digest()
        self.seen: dict[int, int] = {}
        self.repeats = 0

    def check(self, reader: _Reader, line: int, student: str, where: str, rest: Any) -> bool:
        """True when the row is new; False for an identical repeat; refuses a conflicting one."""
        token = int.from_bytes(
            hashlib.blake2b(f"{student}\x1f{where}".encode(), key=self.blake_key, digest_size=8).digest(),
            "big",
        )
        fingerprint = hash(rest) & 0xFFFFFFFF
        earlier = self.seen.get(token)
        if earlier is None:
            self.seen[token] = (fingerprint << 32) | line
            return True
        if earlier >> 32 == fingerprint:
            self.repeats += 1
            return False
        reader.bad(
            line,
            "student_id",
            f"the same student, school and period as line {earlier & 0xFFFFFFFF} but different values",
        )
        return False


def _rows_loop(
    columns: Sequence[Column],
    header: Sequence[str],
    rows: Iterable[tuple[int, list[str]]],
    outcome: Outcome,
    progress: ProgressFn | None,
    header_line: int,
) -> Iterator[tuple[_Reader, int, list[str], str, str, int | None, str, tuple[str, ...]]]:
    """Common per-row reading: yields (reader, line, cells, student, school, year, period, groups) for
    rows whose shared columns are valid; errors go to `outcome`."""
    found = map_header(columns, header, outcome, header_line)
    if outcome.refused:
        return
    reader = _Reader(columns, found, outcome)
    count = 0
    student_index = found["student_id"]
    school_index = reader.index["school_code"]
    school_memo = reader.memo.setdefault("school_code", {})
    pad = reader.pad
    for line, cells in rows:
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress("validating", count)
        cells = pad(cells)
        student = cells[student_index]
        if not student:
            reader.bad(line, "student_id", "a value is required")
            continue
        school_raw = cells[school_index]
        if not school_raw:
            reader.bad(line, "school_code", "a value is required")
            continue
        try:
            school = school_memo.get(school_raw) or reader.read(line, "school_code", school_raw, school_code)
            year, period = _when(reader, line, cells)
            groups = _combo(reader, line, cells)
        except BadCell:
            continue
        yield reader, line, cells, student, school, year, period, groups
    outcome.rows_total = count
    if progress is not None:
        progress("validating", count)
    if count == 0 and not outcome.refused:
        outcome.error(header_line, None, "the file has a header row but no data rows")


def _spread(
    combos: dict[tuple[str, int | None, str, tuple[str, ...]], list[int]],
) -> dict[tuple[str, int | None, str, str], list[int]]:
    """Accumulators by group combination → by single group (every row is in All students)."""
    by_group: dict[tuple[str, int | None, str, str], list[int]] = {}
    for (school, year, period, groups), acc in combos.items():
        for group in ("all", *groups):
            target = by_group.get((school, year, period, group))
            if target is None:
                by_group[(school, year, period, group)] = list(acc)
            else:
                for i, v in enumerate(acc):
                    target[i] += v
    return by_group


def _pct(part: int, whole: int) -> Decimal:
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(TWO_PLACES)


def aggregate_attendance(
    columns: Sequence[Column],
    header: Sequence[str],
    rows: Iterable[tuple[int, list[str]]],
    outcome: Outcome,
    progress: ProgressFn | None = None,
    header_line: int = 1,
) -> Aggregate:
    """Stream an attendance file into students enrolled, attendance rate and chronic absence per school
    × year × period × group. Chronically absent: days absent ≥ 10% of days enrolled (exactly 10% counts)."""
    # (school, year, period, groups) → [students, hundredths enrolled, hundredths absent, chronic]
    combos: dict[tuple[str, int | None, str, tuple[str, ...]], list[int]] = {}
    schools: dict[str, SchoolRows] = {}
    dedupe = _Dedupe()
    zero = 0
    i_enrolled = i_absent = -1
    days_memo: dict[str, Any] = {}
    absent_memo: dict[str, Any] = {}
    for reader, line, cells, student, school, year, period, groups in _rows_loop(
        columns, header, rows, outcome, progress, header_line
    ):
        if i_enrolled < 0:
            i_enrolled, i_absent = reader.index["days_enrolled"], reader.index["days_absent"]
            days_memo = reader.memo.setdefault("days_enrolled", {})
            absent_memo = reader.memo.setdefault("days_absent", {})
        enrolled_raw, absent_raw = cells[i_enrolled], cells[i_absent]
        if not enrolled_raw or not absent_raw:
            reader.bad(line, "days_enrolled" if not enrolled_raw else "days_absent", "a value is required")
            continue
        enrolled = days_memo.get(enrolled_raw)
        absent = absent_memo.get(absent_raw)
        if enrolled is None or absent is None:
            try:
                enrolled = reader.read(line, "days_enrolled", enrolled_raw, _days)
                absent = reader.read(line, "days_absent", absent_raw, _days)
            except BadCell:
                continue
        if absent > enrolled:
            reader.bad(line, "days_absent", "more days absent than days enrolled")
            continue
        if outcome.error_count:
            continue  # the file is refused: keep checking, stop counting
        where = f"{school}\x1f{year}\x1f{period}"
        if not dedupe.check(reader, line, student, where, (enrolled, absent, groups)):
            continue
        seen = schools.get(school)
        if seen is None:
            seen = schools[school] = SchoolRows(line)
        seen.rows += 1
        if enrolled == 0:
            zero += 1
            continue
        key = (school, year, period, groups)
        acc = combos.get(key)
        if acc is None:
            acc = combos[key] = [0, 0, 0, 0]
        acc[0] += 1
        acc[1] += enrolled
        acc[2] += absent
        if absent * 10 >= enrolled:
            acc[3] += 1
    del dedupe
    if outcome.refused:
        return Aggregate([], {})
    if zero:
        outcome.notes.append(f"{zero:,} row(s) with 0 days enrolled were read but not counted.")
    facts: list[MonitorFact] = []
    for (school, year, period, group), (students, enrolled, absent, chronic) in sorted(
        _spread(combos).items(), key=lambda item: (item[0][0], item[0][1] or 0, item[0][2], item[0][3])
    ):
        facts += [
            MonitorFact(
                school, year, period, "monitor_students_enrolled", group, Decimal(students), students
            ),
            MonitorFact(
                school,
                year,
                period,
                "monitor_attendance_rate",
                group,
                _pct(enrolled - absent, enrolled),
                students,
            ),
            MonitorFact(
                school, year, period, "monitor_chronic_absence", group, _pct(chronic, students), students
            ),
        ]
    return Aggregate(facts, schools)


def _days(value: str) -> int:
    return hundredths(value, "days", MAX_DAYS)


def _score(value: str) -> int:
    return hundredths(value, "points", 10_000)


def aggregate_interim(
    columns: Sequence[Column],
    header: Sequence[str],
    rows: Iterable[tuple[int, list[str]]],
    outcome: Outcome,
    progress: ProgressFn | None = None,
    header_line: int = 1,
) -> Aggregate:
    """Stream an interim assessment file into students tested, average score and % meeting benchmark
    per school × year × period × subject × group. Meeting: score ≥ the row's Benchmark; without one,
    the Performance Level; without that, the default benchmark."""
    # (school, year, period, (subject, *groups)) → [tested, hundredths of score, meeting]
    combos: dict[tuple[str, int | None, str, tuple[str, ...]], list[int]] = {}
    schools: dict[str, SchoolRows] = {}
    dedupe = _Dedupe()
    fallback = default_benchmark()
    used_default = 0
    for reader, line, cells, student, school, year, period, groups in _rows_loop(
        columns, header, rows, outcome, progress, header_line
    ):
        subject_raw, score_raw = reader.cell(cells, "subject"), reader.cell(cells, "score")
        level_raw, bench_raw = reader.cell(cells, "level"), reader.cell(cells, "benchmark")
        if not subject_raw or not score_raw:
            reader.bad(line, "subject" if not subject_raw else "score", "a value is required")
            continue
        try:
            subj = reader.read(line, "subject", subject_raw, subject)
            score = reader.read(line, "score", score_raw, _score)
            if bench_raw:
                meets = score >= reader.read(line, "benchmark", bench_raw, _score)
            elif level_raw:
                meets = reader.read(line, "level", level_raw, level_meets)
            else:
                meets = score >= fallback
                used_default += 1
        except BadCell:
            continue
        if outcome.error_count:
            continue
        where = f"{school}\x1f{year}\x1f{period}\x1f{subj}"
        if not dedupe.check(reader, line, student, where, (score, meets, groups)):
            continue
        seen = schools.get(school)
        if seen is None:
            seen = schools[school] = SchoolRows(line)
        seen.rows += 1
        key = (school, year, period, (subj, *groups))
        acc = combos.get(key)
        if acc is None:
            acc = combos[key] = [0, 0, 0]
        acc[0] += 1
        acc[1] += score
        acc[2] += 1 if meets else 0
    del dedupe
    if outcome.refused:
        return Aggregate([], {})
    if used_default:
        outcome.notes.append(
            f"{used_default:,} score(s) had no Benchmark or Performance Level: meeting means a score of at "
            f"least {Decimal(fallback) / 100} (the default benchmark)."
        )
    facts: list[MonitorFact] = []
    by_subject: dict[tuple[str, int | None, str, str, str], list[int]] = {}
    for (school, year, period, g), acc in combos.items():
        subj = g[0]
        for group in ("all", *g[1:]):
            target = by_subject.get((school, year, period, subj, group))
            if target is None:
                by_subject[(school, year, period, subj, group)] = list(acc)
            else:
                for i, v in enumerate(acc):
                    target[i] += v
    for (school, year, period, subj, group), (tested, total, meeting) in sorted(
        by_subject.items(), key=lambda item: (item[0][0], item[0][1] or 0, *item[0][2:])
    ):
        prefix = f"monitor_interim_{subj}"
        average = (Decimal(total) / 100 / Decimal(tested)).quantize(TWO_PLACES)
        facts += [
            MonitorFact(school, year, period, f"{prefix}_tested", group, Decimal(tested), tested),
            MonitorFact(school, year, period, f"{prefix}_avg_score", group, average, tested),
            MonitorFact(school, year, period, f"{prefix}_meeting", group, _pct(meeting, tested), tested),
        ]
    return Aggregate(facts, schools)
