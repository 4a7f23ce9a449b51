"""DESE profile exports EdLead has not seen: the DESE shape without a declaration.

A file whose header fits no declared kind but has the DESE shape — an organization name and code column
(`District Name, District Code`, `School Name, School Code` or `Org Name, Org Code`) and measure columns,
and no column of a person or an address — imports all the same. Each measure column no declared report
knows becomes a catalog metric (`Metric.learned_from_file`), named from its header, its unit from `%`,
`#` or `$` in the header; an administrator edits its name, unit and direction in the admin, and the
catalog sync never touches it. A column whose cells hold text other than numbers and DESE's markers is
not a measure: it is ignored and the report says so. The year follows the declared reports' rules
(title row, Year column, file or folder name, or the year given), and so do markers (`*`, `<10`, `N/A`:
no value, the marker kept) and re-publications (a cell now blank removes the stored value).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from django.utils.text import slugify

from edlead.imports.kinds.base import CellError, Context, ImportKind, Outcome, ProgressFn
from edlead.lib.tabular import normalize_header
from edlead.metrics.kinds.dese import (
    PARSERS,
    DesePlan,
    DeseReportKind,
    ParsedRows,
    _kind_for,
    catalog_metric_ids,
)
from edlead.metrics.kinds.dese_reports import Measure, Report
from edlead.metrics.models import Metric

LEARNED_PREFIX = "learned-"
MAX_ROWS = 200_000  # a profile export has a few thousand rows; the rows are held to look at each column

# Columns of people, addresses and directories: a file with any of them is not a DESE report export.
NOT_MEASURES = frozenset(
    normalize_header(h)
    for h in (
        "MEPID",
        "Email",
        "E-mail",
        "First Name",
        "Last Name",
        "Contact Name",
        "Contact",
        "Address",
        "Address 1",
        "Address 2",
        "Town",
        "City",
        "State",
        "Zip",
        "Phone",
        "Org Type",
        "School Type",
        "Function",
        "Title",
        "Role",
        "Start Date",
        "End Date",
        "Student ID",
    )
)

_BASE = _kind_for(Report(slug="dese-profile", label="", year_rule="school_year", measures=(), key=()))


def learned_code(header: str) -> str:
    """`% Attending College` → `learned-pct-attending-college` (at most 80 characters)."""
    words = header.replace("%", " pct ").replace("#", " num ").replace("$", " dollars ")
    return (LEARNED_PREFIX + slugify(words))[:80].rstrip("-")


def unit_of(header: str) -> str:
    if "%" in header:
        return Metric.Unit.PERCENT
    if "$" in header:
        return Metric.Unit.DOLLARS
    if "#" in header:
        return Metric.Unit.COUNT
    return Metric.Unit.SCORE  # a plain number; the administrator may say more


def _is_measure_cell(value: str) -> bool:
    try:
        PARSERS["number"](value)
    except CellError:
        return False
    return True


class DeseProfile(DeseReportKind):
    """The fallback for DESE-shaped files no declared report knows (see the module's docstring)."""

    slug = "dese-profile"
    label = "DESE profile export (measures learned from the file)"
    description = (
        "Any DESE School and District Profiles export: organization name and code columns plus measure "
        "columns. Measures no declared report knows become catalog metrics named from their header."
    )
    priority = 65
    report = Report(
        slug="dese-profile", label="DESE profile export", year_rule="school_year", measures=(), key=()
    )
    columns = _BASE.columns
    key_columns = ("org_code", "org_name")
    ignored_columns: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def match_score(cls, header: Sequence[str]) -> float:
        """A little above nothing, so that any declared kind that fits wins."""
        found = cls.header_map(header)
        if "org_code" not in found or "org_name" not in found:
            return 0.0
        used = set(found.values())
        others = [normalize_header(h) for i, h in enumerate(header) if i not in used and normalize_header(h)]
        if not others or any(o in NOT_MEASURES for o in others):
            return 0.0
        return 0.001

    @classmethod
    def parse(
        cls,
        header: Sequence[str],
        rows: Iterable[tuple[int, list[str]]],
        outcome: Outcome,
        progress: ProgressFn | None = None,
        header_line: int = 1,
    ) -> list[Any]:
        held: list[tuple[int, list[str]]] = []
        for item in rows:
            held.append(item)
            if len(held) > MAX_ROWS:
                outcome.error(
                    item[0], None, f"a DESE profile export has at most {MAX_ROWS:,} rows; this one has more"
                )
                return []
        used = set(cls.header_map(header).values())
        measures: list[Measure] = []
        text_columns: list[str] = []
        for index, name in enumerate(header):
            if index in used or not normalize_header(name):
                continue
            cells = (cells[index] for _, cells in held if index < len(cells) and cells[index])
            if all(_is_measure_cell(c) for c in cells):
                measures.append(Measure(name, learned_code(name), "number"))
            else:
                text_columns.append(name)
        if text_columns:
            outcome.notes.append(
                "Columns holding text, not measures, were not imported: "
                + ", ".join(f"“{c[:40]}”" for c in text_columns[:20])
                + "."
            )
        if not measures:
            outcome.error(header_line, None, "the file has no measure columns (columns of numbers) to import")
            return []
        outcome.notes.append(
            f"Read the header on line {header_line} as a DESE profile export with "
            f"{len(measures)} measure column(s): {', '.join(f'“{m.header[:40]}”' for m in measures[:20])}."
        )
        # A slug of its own per set of measures: kinds cache their row type and header names by slug.
        digest = hashlib.sha256("\x1f".join(m.header for m in measures).encode()).hexdigest()[:12]
        report = Report(
            slug=f"{cls.slug}-{digest}",
            label=cls.report.label,
            year_rule=cls.report.year_rule,
            measures=tuple(measures),
            key=(),
        )
        kind = _kind_for(report)
        parsed = kind.parse(header, held, outcome, progress, header_line)
        result = ParsedRows(parsed)
        result.present = getattr(parsed, "present", None)
        result.kind = kind  # type: ignore[attr-defined]
        return result

    @classmethod
    def parsed_dump(cls, rows: Any) -> Any:
        """The rows of the kind made for the file's measures, with the declaration it was made from."""
        kind = getattr(rows, "kind", None)
        return (kind.report, kind.parsed_dump(rows)) if kind is not None else None

    @classmethod
    def parsed_load(cls, data: Any) -> Any:
        if data is None:
            return ParsedRows()
        report, rows = data
        kind = _kind_for(report)
        result = kind.parsed_load(rows)
        result.kind = kind
        return result

    @classmethod
    def plan(cls, rows: list[Any], ctx: Context, outcome: Outcome) -> DesePlan:
        kind = getattr(rows, "kind", None)
        if kind is None:
            return DesePlan()
        bound: Any = type(kind.__name__, (_LearningMixin, kind), {"source_file": ctx.file_name})
        return bound.plan(rows, ctx, outcome)


class _LearningMixin:
    """`_metric_ids` of a profile export: catalog metrics by code, the missing ones learned."""

    source_file: ClassVar[str] = ""
    report: ClassVar[Report]

    @classmethod
    def _metric_ids(cls, codes: set[str], ctx: Context, outcome: Outcome, plan: DesePlan) -> dict[str, int]:
        metric_ids = catalog_metric_ids(codes, ctx.shared)
        headers = {m.metric: m.header for m in cls.report.measures}
        title = (
            re.sub(r"(?<!\d)(19|20)\d\d(\s*[-–/]\s*\d{2,4})?", "", ctx.title).strip(" -–") or ctx.file_name
        )
        for code in sorted(codes - set(metric_ids)):
            temp = -(len(plan.new_metrics) + 1)
            header = headers[code]
            plan.new_metrics[temp] = Metric(
                code=code,
                name=header[:160],
                unit=unit_of(header),
                definition=f"Learned from the column “{header}” of a DESE export no declared report knew.",
                category="Learned from files",
                source_report=title[:160],
                learned_from_file=ctx.file_name[:255],
                sort_order=5000,
            )
            metric_ids[code] = temp
            outcome.change("create", "metric", header[:80], None, f"learned from this file as {code}")
        return metric_ids


PROFILE_KINDS: list[type[ImportKind]] = [DeseProfile]
