"""The generic DESE report importer: one `ImportKind` per declaration in `dese_reports.REPORTS`.

Reading and validation reuse the import framework (every cell parsed, all errors by line and column,
conflicting duplicate rows refused). On top of it:

- Kind: the header, then the title row, the file name and its folder (the school-level panels of the
  4- and 5-year graduation reports share a header), then `--kind`.
- Year: `--year`, else the title row, else a `Year` column, else the file or folder name. A label like
  `2022-23` is that school year; a single year (`2023 Graduation Rate`, `2017 Per Pupil
  Expenditures`, `2017Staffing Retention Report`) is the school year ending in it, by the report's
  year rule (spring or fiscal). `--year` contradicting the title is refused.
- Values: spaces, thousands separators, `$`, `11.3 to 1`; an empty cell is no fact; DESE's
  placeholders (`N/A`, `NA`, `Not Reported`, `#####` of a too-narrow spreadsheet column) are a fact
  without a value; other text where a number belongs, `Infinity`, and percentages outside 0–100 are
  refused. A row DESE marks “Failed to meet reporting requirements” is skipped and listed.
- Organizations by 8-digit code; `00000000` (State Totals / State) is the state. An unknown school
  whose district is known is added (learned from the file); an unknown district is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from django.db import connection

from edlead.imports.kinds.base import (
    CellError,
    Column,
    Context,
    ImportKind,
    Outcome,
    Plan,
    ProgressFn,
    _show,
    memo_shared,
    org_code,
    text,
)
from edlead.lib.codes import district_code_of, is_district_code
from edlead.lib.schoolyears import SchoolYear, SchoolYearError
from edlead.metrics.facts import FactRow, facts_apply, facts_existing_ids, facts_plan
from edlead.metrics.kinds.dese_reports import REPORTS, Report
from edlead.metrics.models import Metric, StudentGroup
from edlead.orgs import services as org_services
from edlead.orgs.models import Organization

STATE_CODE = "00000000"


class Missing:
    """A cell DESE filled with a marker instead of a value (suppressed, not reported): a fact without a
    value, its `note` keeping the marker as the source wrote it (`*`, `<10`, `N/A`)."""

    __slots__ = ("note",)

    def __init__(self, note: str) -> None:
        self.note = note

    def __repr__(self) -> str:
        return f"Missing({self.note!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Missing) and other.note == self.note

    def __hash__(self) -> int:
        return hash(("Missing", self.note))


NOTE_LENGTH = 20  # Fact.note
# Markers DESE (and spreadsheets) use for a value it does not publish: not reported, not applicable,
# suppressed for a small group (`*`, `<10`, `n<10`, `>95`), a dash, or `#####` of a too-narrow column.
PLACEHOLDERS = {
    "na",
    "n/a",
    "n.a.",
    "nr",
    "dnr",
    "ns",
    "not reported",
    "not available",
    "suppressed",
    "no data",
    "-",
    "--",
    "---",
    "—",
    "–",
    "~",
    ".",
}
_MARKER = re.compile(r"^(\*+|#+(\s*to\s*1)?|n?\s*[<>≤≥]=?\s*\d+(\.\d+)?\s*%?)$", re.IGNORECASE)
_FAILED_TO_REPORT = "failed to meet reporting requirements"


def missing_marker(value: str) -> Missing | None:
    """The `Missing` a DESE marker cell stands for, or None when the cell is something else."""
    cleaned = value.strip()
    if cleaned.casefold() in PLACEHOLDERS or _MARKER.match(cleaned):
        return Missing(cleaned[:NOTE_LENGTH])
    return None


def is_missing(value: Any) -> bool:
    return value.__class__ is Missing


# --- Value parsers --------------------------------------------------------------------------------
def _number(value: str, *, ratio: bool = False) -> Decimal | Missing:
    cleaned = value.strip()
    marker = missing_marker(cleaned)
    if marker is not None:
        return marker
    if ratio:
        cleaned = re.sub(r"(?i)\s*(to|:)\s*1$", "", cleaned)
    cleaned = cleaned.replace(",", "").replace("$", "").replace(" ", "")
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    if not re.fullmatch(r"-?(\d+\.?\d*|\.\d+)", cleaned):
        raise CellError(f"{_show(value)} is not a number")
    number = Decimal(cleaned)
    return -number if negative else number


def _ranged(low: Decimal | None, high: Decimal | None, *, ratio: bool = False, what: str = "") -> Any:
    def parse(value: str) -> Any:
        number = _number(value, ratio=ratio)
        if isinstance(number, Missing):
            return number
        if (low is not None and number < low) or (high is not None and number > high):
            bounds = f"{low}–{high}" if high is not None else f"at least {low}"
            raise CellError(f"{_show(value)} is outside {bounds}{what}")
        if abs(number) >= Decimal("1e13"):
            raise CellError(f"{_show(value)} is too large")
        return number

    return memo_shared(parse)


PARSERS = {
    "pct": _ranged(Decimal(0), Decimal(100), what=" (a percentage)"),
    "pct_any": _ranged(Decimal(0), None),
    "count": _ranged(Decimal(0), None),
    "score": _ranged(Decimal(0), None),
    "number": _ranged(None, None),
    "ratio": _ranged(Decimal(0), None, ratio=True),
}

SUBJECTS = {
    "ela": "ela",
    "englishlanguagearts": "ela",
    "math": "math",
    "mathematics": "math",
    "sci": "science",
    "science": "science",
    "ste": "science",
    "scitech": "science",
}
GROUPS = {
    "all": "all",
    "allstudents": "all",
    "highneeds": "high_needs",
    "lowincome": "low_income",
    "econdisad": "econ_disadvantaged",
    "economicallydisadvantaged": "econ_disadvantaged",
    "el": "el",
    "ell": "el",
    "englishlearners": "el",
    "elandformerel": "el_former_el",
    "swd": "swd",
    "studentswithdisabilities": "swd",
    "amerindalask": "ai_an",
    "americanindianoralaskanative": "ai_an",
    "asian": "asian",
    "afamblack": "black",
    "africanamericanblack": "black",
    "hispanic": "hispanic",
    "hispaniclatino": "hispanic",
    "multiracenonhisp": "multi_race",
    "multiracenonhispanic": "multi_race",
    "nathawpacisl": "nh_pi",
    "nativehawaiianorpacificislander": "nh_pi",
    "white": "white",
    "female": "female",
    "male": "male",
}


def _key(value: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", value.casefold())


@memo_shared
def _subject(value: str) -> str:
    found = SUBJECTS.get(_key(value))
    if found is None:
        raise CellError(f"{_show(value)} is not an MCAS subject (ELA, MATH, SCI)")
    return found


@memo_shared
def _group(value: str) -> str:
    found = GROUPS.get(_key(value))
    if found is None:
        raise CellError(f"{_show(value)} is not a student group EdLead knows (e.g. All, High needs, EL)")
    return found


@memo_shared
def _label(value: str) -> str:
    if re.fullmatch(r"(19|20)\d\d", value):
        return value
    try:
        return SchoolYear.parse(value).label
    except SchoolYearError as exc:
        raise CellError(f"{_show(value)} is not a year like 2017 or 2016-17") from exc


# --- Year rules -----------------------------------------------------------------------------------
_TITLE_SCHOOL_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-–/]\s*(\d\d|\d{4})(?!\d)")
_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def year_from_label(label: str, rule: str) -> SchoolYear | None:
    """A report's year label → the school year. `2022-23` is itself under any rule; a single year is the
    school year ending in it: the spring of a test or graduating class (`spring`), the fiscal year
    July–June (`fiscal`), or the spring that ends a school-year report."""
    match = _TITLE_SCHOOL_YEAR.search(label)
    if match:
        try:
            return SchoolYear.parse(f"{match.group(1)}-{match.group(2)}")
        except SchoolYearError:
            pass
    match = _TITLE_YEAR.search(label)
    if match:
        return SchoolYear(int(match.group(1)) - 1)
    return None


# --- The kind -------------------------------------------------------------------------------------
class ParsedRows(list[Any]):
    """Parsed rows, with the field indexes of the measures the file's header has."""

    present: set[int] | None = None


@dataclass
class DesePlan(Plan):
    new_schools: list[Organization] = field(default_factory=list)
    placeholder_ids: dict[int, Organization] = field(default_factory=dict)  # negative id → new org
    inserts: list[Any] = field(default_factory=list)  # FactRows, as plain tuples
    updates: list[tuple[int, FactRow]] = field(default_factory=list)
    deletes: list[int] = field(default_factory=list)
    new_metrics: dict[int, Metric] = field(default_factory=dict)  # negative id → metric to create
    shared: dict[str, Any] = field(default_factory=dict)  # the run's lookups (`Context.shared`)

    def write(self) -> None:
        if self.new_metrics:  # learned from this file (`dese_profile`): created only when applied
            Metric.objects.bulk_create(self.new_metrics.values())
            metric_ids = {tmp: m.pk for tmp, m in self.new_metrics.items()}
            self.inserts = [(*r[:3], metric_ids[r[3]], *r[4:]) if r[3] < 0 else r for r in self.inserts]
        if self.new_schools:
            org_services.organizations_bulk_create(organizations=self.new_schools)
            ids = {tmp: org.pk for tmp, org in self.placeholder_ids.items()}
            self.inserts = [(ids[r[0]], *r[1:]) if r[0] < 0 else r for r in self.inserts]
        facts_apply(self.inserts, self.updates, self.deletes)
        # What this file created is known to the next files of the run.
        if SHARED_METRICS in self.shared:
            self.shared[SHARED_METRICS].update({m.code: m.pk for m in self.new_metrics.values()})
        if SHARED_ORGS in self.shared:
            self.shared[SHARED_ORGS].update({o.code: (o.pk, o.kind) for o in self.new_schools})


SHARED_ORGS = "dese.organizations"  # code → (id, kind) of every coded organization
SHARED_METRICS = "dese.metrics"  # code → id of catalog metrics found so far
SHARED_GROUPS = "dese.groups"  # code → id of every student group


def coded_organizations(shared: dict[str, Any]) -> dict[str, tuple[int, str]]:
    """Code → (id, kind) of every organization with a code, read once per run (a few thousand rows, in one
    plain query read with the driver: cheaper than an IN list of the thousands of codes a file names)."""
    found = shared.get(SHARED_ORGS)
    if found is None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT code, id, kind FROM {Organization._meta.db_table} WHERE code IS NOT NULL"  # noqa: S608
            )
            found = shared[SHARED_ORGS] = {code: (pk, kind) for code, pk, kind in cursor.fetchall()}
    return found


def catalog_metric_ids(codes: set[str], shared: dict[str, Any]) -> dict[str, int]:
    """Code → id of those of `codes` in the catalog (each code asked of the database once per run)."""
    known: dict[str, int] = shared.setdefault(SHARED_METRICS, {})
    asked: set[str] = shared.setdefault(SHARED_METRICS + ".asked", set())
    wanted = codes - asked
    if wanted:
        known.update(Metric.objects.filter(code__in=wanted).values_list("code", "pk"))
        asked |= wanted
    return {code: known[code] for code in codes if code in known}


class DeseReportKind(ImportKind):
    """Base of the generated kinds; `report` is the declaration."""

    report: ClassVar[Report]
    priority = 60
    uses_school_year = True
    state_wide = True
    commits_in_chunks = True  # the plan only reads; facts commit a chunk at a time (edlead.metrics.facts)
    natural_key = ("org_code", "subject", "group", "year")
    ignored_columns: ClassVar[tuple[str, ...]] = ("Org Name",)

    @classmethod
    def hint_score(cls, hints: Sequence[str]) -> float:
        if not cls.report.hints:
            return 0.0
        return 1.0 if any(re.search(cls.report.hints, h, re.IGNORECASE) for h in hints) else 0.0

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
        titled = year_from_label(title, cls.report.year_rule) if title else None
        if titled is not None:
            if given is not None and given != titled:
                outcome.error(
                    title_line,
                    None,
                    f"the year given ({given.label}) contradicts the title row “{title[:80]}”, which is "
                    f"school year {titled.label} (by the {cls.report.year_rule.replace('_', ' ')} rule)",
                )
                return None
            if given is None:
                outcome.notes.append(f"School year {titled.label} read from the title row “{title[:80]}”.")
            return titled
        return given or names_year

    @classmethod
    def parse(
        cls,
        header: Sequence[str],
        rows: Iterable[tuple[int, list[str]]],
        outcome: Outcome,
        progress: ProgressFn | None = None,
        header_line: int = 1,
    ) -> list[Any]:
        width = len(header)
        code_index = cls.header_map(header).get("org_code")

        def checked() -> Iterator[tuple[int, list[str]]]:
            for line, cells in rows:
                if len(cells) > width:
                    outcome.error(
                        line,
                        None,
                        f"the row has {len(cells)} cells but the header names {width} columns: its values "
                        "are shifted, or a cell holds an unquoted comma",
                    )
                    continue
                joined = " ".join(cells)
                if ("eporting" in joined or "EPORTING" in joined) and _FAILED_TO_REPORT in re.sub(
                    r"\s+", " ", joined.casefold()
                ):
                    code = cells[code_index] if code_index is not None and code_index < len(cells) else ""
                    outcome.skip(
                        line,
                        None,
                        f"DESE says {code or 'this organization'} failed to meet reporting requirements: no values",
                    )
                    continue
                yield line, cells

        parsed = ParsedRows(super().parse(header, checked(), outcome, progress, header_line))
        # Which measures the header has (by field index): a blank cell in one of them removes a value
        # stored from an earlier publication; a measure the file lacks leaves stored values alone.
        found = cls.header_map(header)
        fields = ["line", *(c.key for c in cls.columns)]
        parsed.present = {fields.index(key) for key in found if key.startswith("m")}
        return parsed

    @classmethod
    def parsed_dump(cls, rows: Any) -> Any:
        return super().parsed_dump(rows), getattr(rows, "present", None)

    @classmethod
    def parsed_load(cls, data: Any) -> Any:
        plain, present = data
        rows = ParsedRows(super().parsed_load(plain))
        rows.present = present
        return rows

    @classmethod
    def _measure_keys(cls) -> list[tuple[str, str, str]]:
        """(column key, metric code template, n column key) per measure."""
        by_header = {m.header: f"m{i}" for i, m in enumerate(cls.report.measures)}
        return [(f"m{i}", m.metric, by_header.get(m.n_from, "")) for i, m in enumerate(cls.report.measures)]

    @classmethod
    def plan(cls, rows: list[Any], ctx: Context, outcome: Outcome) -> Plan:
        plan = DesePlan(shared=ctx.shared)
        measures = cls._measure_keys()
        # Years: the file's (ctx.year), or each row's Year column by the report's rule.
        row_years: dict[str, int] = {}
        for label in {r.year for r in rows if r.year}:
            year = year_from_label(label, cls.report.year_rule)
            assert year is not None  # the column parser accepted it
            row_years[label] = year.start_year
        if ctx.year is not None:
            for row in rows:
                if row.year and row_years[row.year] != ctx.year.start_year:
                    outcome.error(
                        row.line,
                        "Year",
                        f"{row.year} is school year {SchoolYear(row_years[row.year]).label}, not the "
                        f"{ctx.year.label} the file is imported as",
                    )
                    return plan
        elif any(not r.year for r in rows):
            outcome.error(
                None,
                None,
                "EdLead cannot tell which school year this file describes: it has no title row with a "
                "year, no Year column, and no year in its file or folder name. Give the year (--year 2023-24).",
            )
            return plan
        distinct_years = sorted(set(row_years.values()))
        if len(distinct_years) == 1 and not outcome.school_year:
            # The run records one school year; a file spanning several leaves it blank (each fact has its own).
            outcome.school_year = SchoolYear(distinct_years[0]).label
        # Metrics and groups
        codes = {m for _, m, _ in measures if "{subject}" not in m}
        for subject in {r.subject for r in rows if r.subject}:
            codes |= {m.format(subject=subject) for _, m, _ in measures if "{subject}" in m}
        metric_ids = cls._metric_ids(codes, ctx, outcome, plan)
        if outcome.refused:
            return plan
        group_ids = ctx.shared.get(SHARED_GROUPS)
        if group_ids is None:
            group_ids = ctx.shared[SHARED_GROUPS] = dict(StudentGroup.objects.values_list("code", "pk"))
        # Organizations
        org_ids = cls._organizations(rows, ctx, outcome, plan)
        # Facts: one per filled cell. Plain tuples (FactRow's fields in order) and positional access keep
        # this loop cheap; it runs over a million cells for the whole DESE folder.
        fields = {name: i for i, name in enumerate(rows[0]._fields)} if rows else {}
        layout = [(fields[key], metric, fields[n_key] if n_key else None) for key, metric, n_key in measures]
        i_code, i_year, i_group, i_subject = (
            fields.get(k, 0) for k in ("org_code", "year", "group", "subject")
        )
        counts: dict[Any, int | None] = {}
        file_start = ctx.year.start_year if ctx.year is not None else 0
        present = getattr(rows, "present", None)
        facts: list[Any] = []  # FactRows as plain tuples (a named tuple per value costs a call)
        blanks: list[tuple[int, int, str, int, int]] = []  # cells the file leaves empty
        append = facts.append
        markers: list[str] = []  # the notes of the values DESE did not publish
        # Per subject, the measures a row yields: (field index, metric id, n field index, whether a blank
        # cell removes a stored value). Worked out once, not per cell.
        by_subject: dict[str, list[tuple[int, int, int | None, bool]]] = {}
        for subject in {row[i_subject] for row in rows}:
            entries = by_subject[subject] = []
            for vi, metric, ni in layout:
                if "{" in metric:
                    if not subject:
                        continue
                    metric = metric.format(subject=subject)
                entries.append((vi, metric_ids[metric], ni, present is None or vi in present))
        for row in rows:
            org_id = org_ids.get(row[i_code])
            if org_id is None:
                continue
            start = row_years[row[i_year]] if row[i_year] else file_start
            group_id = group_ids[row[i_group] or "all"]
            for vi, metric_id, ni, blank_removes in by_subject[row[i_subject]]:
                value = row[vi]
                if value.__class__ is str:  # an empty cell: no fact (and none kept from before)
                    if blank_removes and org_id > 0:
                        blanks.append((org_id, start, "", metric_id, group_id))
                    continue
                n_int = None
                if ni is not None:
                    n = row[ni]
                    n_int = counts.get(n, 0)
                    if n_int == 0 and n not in counts:
                        n_int = counts[n] = (
                            int(n) if isinstance(n, Decimal) and n == n.to_integral_value() else None
                        )
                if value.__class__ is Missing:
                    append((org_id, start, "", metric_id, group_id, None, n_int, value.note))
                    markers.append(value.note)
                else:
                    append((org_id, start, "", metric_id, group_id, value, n_int, ""))
        learned = [f for f in facts if f[0] < 0] if plan.new_schools else []
        known = [f for f in facts if f[0] > 0] if learned else facts
        inserts, updates, unchanged = facts_plan(known)
        plan.inserts = inserts + learned
        plan.updates = updates
        plan.deletes = facts_existing_ids(blanks)
        outcome.created += len(plan.inserts)
        outcome.updated += len(updates) + len(plan.deletes)
        outcome.unchanged += unchanged
        if plan.deletes:
            outcome.notes.append(
                f"{len(plan.deletes)} value(s) stored from an earlier publication are blank in this file: "
                "they are removed."
            )
        if markers:
            shown = ", ".join(f"“{m}”" for m in sorted(set(markers))[:8])
            outcome.notes.append(
                f"{len(markers)} value(s) DESE did not publish ({shown}) are kept as facts without a value, "
                "with the marker as the reason."
            )
        return plan

    @classmethod
    def _metric_ids(cls, codes: set[str], ctx: Context, outcome: Outcome, plan: DesePlan) -> dict[str, int]:
        metric_ids = catalog_metric_ids(codes, ctx.shared)
        missing = sorted(codes - set(metric_ids))
        if missing:  # the catalog is synced on migrate; a gap is a bug or an unmigrated database
            outcome.error(
                None, None, f"metrics missing from the catalog (run migrate): {', '.join(missing[:10])}"
            )
        return metric_ids

    @classmethod
    def _organizations(
        cls, rows: list[Any], ctx: Context, outcome: Outcome, plan: DesePlan
    ) -> dict[str, int]:
        codes = {r.org_code for r in rows}
        known = coded_organizations(ctx.shared)
        ids: dict[str, int] = {c: known[c][0] for c in codes if c in known}
        districts: dict[str, Organization] = {}  # loaded whole only when a school is learned in them
        if STATE_CODE in codes:
            ids[STATE_CODE] = ctx.state_root_id()
        for row in rows:
            code = row.org_code
            if code in ids:
                continue
            if is_district_code(code):
                ids_missing = f"district {code} ({row.org_name or 'no name'}) is not known to EdLead: import the district directory first"
                outcome.skip(row.line, cls.column("org_code").header, ids_missing)
                continue
            district_code = district_code_of(code)
            if (
                known.get(district_code, (0, ""))[1] == Organization.Kind.DISTRICT
                and district_code not in districts
            ):
                districts[district_code] = Organization.objects.get(code=district_code)
            district = districts.get(district_code)
            if district is None:
                outcome.skip(
                    row.line,
                    cls.column("org_code").header,
                    f"school {code} ({row.org_name or 'no name'}): its district {district_code_of(code)} is not known to EdLead",
                )
                continue
            name = school_name(row.org_name, district.name) or f"School {code}"
            school = org_services.organization_build(
                kind=Organization.Kind.SCHOOL,
                parent=district,
                code=code,
                name=name[:255],
                source=Organization.Source.LEARNED,
                source_note=ctx.file_name[:255],
            )
            temp = -(len(plan.new_schools) + 1)
            plan.new_schools.append(school)
            plan.placeholder_ids[temp] = school
            ids[code] = temp
            outcome.change(
                "create",
                "organization",
                f"{name} ({code})",
                row.line,
                f"school learned from this file, in {district.name}",
            )
            if len(plan.new_schools) <= 100:
                outcome.notes.append(f"Line {row.line}: learned school {name} ({code}) in {district.name}.")
        if plan.new_schools:
            outcome.notes.append(
                f"Learned {len(plan.new_schools)} school(s) the directory does not have, in districts it has."
            )
        return ids


def school_name(full: str, district_name: str) -> str:
    """`Abington - Abington High` → `Abington High`: the district's name taken off the front (district
    names hold hyphens too, so the name is matched, not split), with its ` - ` or `-` separator."""
    full = full.strip()
    candidates = [district_name.strip()]
    if not district_name.endswith("(District)"):
        candidates.append(f"{district_name.strip()} (District)")
    for prefix in sorted(candidates, key=len, reverse=True):
        if full.casefold().startswith(prefix.casefold()):
            rest = full[len(prefix) :]
            stripped = re.sub(r"^\s*[-–]\s*", "", rest)
            if stripped != rest or not rest:
                return stripped.strip() or full
    return full


def _kind_for(report: Report) -> type[DeseReportKind]:
    columns = [
        Column("org_name", "District Name", text(255), aliases=("School Name", "Org Name")),
        Column(
            "org_code",
            "District Code",
            org_code,
            required=True,
            needs_value=True,
            aliases=("School Code", "Org Code"),
        ),
        Column("subject", "Subject", _subject, required=report.by_subject, needs_value=report.by_subject),
        Column("group", "Student Group", _group),
        Column("year", "Year", _label),
    ]
    for i, measure in enumerate(report.measures):
        columns.append(Column(f"m{i}", measure.header, PARSERS[measure.type], aliases=measure.aliases))
    header_keys = {m.header: f"m{i}" for i, m in enumerate(report.measures)}
    attrs = {
        "report": report,
        "slug": report.slug,
        "label": report.label,
        "description": f"DESE {report.label.removeprefix('DESE ')} export, district or school level (CSV or XLSX).",
        "columns": tuple(columns),
        "key_columns": ("org_code", *(header_keys[h] for h in report.key)),
        "__module__": __name__,
    }
    class_name = "Dese" + "".join(p.title() for p in re.split(r"[-_]", report.slug.removeprefix("dese-")))
    return type(class_name, (DeseReportKind,), attrs)


DESE_KINDS: list[type[DeseReportKind]] = [_kind_for(r) for r in REPORTS]
