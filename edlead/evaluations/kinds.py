"""The import kind for a framework's CSV (one row per descriptor, as the CSV export writes it):
`manage.py import rubric.csv` and the imports page recognise it by its header and create a new draft
framework — the state's from the command line, else one of the importer's district's."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from edlead.evaluations import interchange
from edlead.evaluations.models import Framework, PerformanceLevel
from edlead.imports.kinds.base import CellError, Column, Context, ImportKind, Outcome, Plan, choice, text
from edlead.lib.exports import FORMULA_PREFIXES
from edlead.orgs.models import Organization

_YES = {"yes", "y", "true", "1", "x", "required"}
_NO = {"no", "n", "false", "0", ""}


def exported_text(max_length: int) -> Any:
    """Text as the framework export wrote it: the export puts a quote before text a spreadsheet would run
    as a formula (`'- Rarely…`, see edlead.lib.exports); reading it back takes that quote off again, so
    an exported rubric imports unchanged."""
    parse_text = text(max_length)

    def parse(value: str) -> str:
        if value.startswith("'") and value[1:].lstrip(" \u00a0").startswith(FORMULA_PREFIXES):
            value = value[1:]
        return parse_text(value)

    return parse


def yes_no(value: str) -> bool:
    key = value.strip().lower()
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise CellError(f"“{value[:40]}” is not yes or no")


def framework_code(value: str) -> str:
    if len(value) > 60 or not re.fullmatch(r"[-a-z0-9_]+", value):
        raise CellError(f"“{value[:40]}” is not a framework code (lower-case letters, digits and dashes)")
    return value


def part_code(max_length: int) -> Any:
    def parse(value: str) -> str:
        if len(value) > max_length or not re.fullmatch(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*", value):
            raise CellError(f"“{value[:40]}” is not a code like I, I-A or I-A-1")
        return value

    return parse


_LEVELS = {
    **{str(v): str(v) for v in PerformanceLevel.values},
    **{lv.label: str(lv) for lv in PerformanceLevel},
}
_AUDIENCES = {
    **{str(v): str(v) for v in Framework.Audience.values},
    **{a.label: str(a) for a in Framework.Audience},
}


OWNER = "evaluations.owner"  # Context.shared keys: the owner chosen on the framework page…
CREATED = "evaluations.created"  # …and the frameworks a write created


class FrameworkPlan(Plan):
    def __init__(self, frameworks: list[dict[str, Any]], ctx: Context, owner: Organization | None) -> None:
        self.frameworks, self.ctx, self.owner = frameworks, ctx, owner
        self.created: list[Framework] = []

    def write(self) -> None:
        from edlead.evaluations.services import framework_create_from_data

        for data in self.frameworks:
            self.created.append(
                framework_create_from_data(
                    actor=self.ctx.actor, data=data, organization=self.owner, source=self.ctx.file_name
                )
            )
        self.ctx.shared.setdefault(CREATED, []).extend(self.created)


class FrameworkRubric(ImportKind):
    slug = "evaluation-framework"
    label = "Evaluation framework (rubric)"
    description = (
        "A rubric, one row per descriptor (Framework, Framework code, Audience, Version, Standard, Indicator, "
        "Element, Level, Descriptor…), as the framework page exports it: creates a new draft framework."
    )
    priority = 80
    columns: ClassVar[tuple[Column, ...]] = (
        Column(
            "framework",
            "Framework",
            exported_text(200),
            required=True,
            needs_value=True,
            help="The framework's name.",
        ),
        Column(
            "framework_code",
            "Framework code",
            framework_code,
            required=True,
            needs_value=True,
            help="Names the rubric across versions: lower-case letters, digits and dashes (ma-administrator).",
        ),
        Column(
            "audience",
            "Audience",
            choice(_AUDIENCES, "audience"),
            required=True,
            needs_value=True,
            help="administrator, superintendent or teacher.",
        ),
        Column(
            "version",
            "Version",
            text(40),
            required=True,
            needs_value=True,
            help="The version's label (2024).",
        ),
        Column(
            "standard",
            "Standard",
            part_code(10),
            required=True,
            needs_value=True,
            help="The standard's code: I, II…",
        ),
        Column("standard_name", "Standard name", exported_text(200), required=True, needs_value=True),
        Column(
            "required",
            "Required for proficient",
            yes_no,
            help="yes when Proficient on this standard is needed to be Proficient overall.",
        ),
        Column(
            "indicator",
            "Indicator",
            part_code(20),
            required=True,
            help="The standard's code, a dash, a letter: I-A.",
        ),
        Column("indicator_name", "Indicator name", exported_text(200), required=True),
        Column(
            "element",
            "Element",
            part_code(30),
            required=True,
            help="The indicator's code, a dash, a number: I-A-1.",
        ),
        Column("element_name", "Element name", exported_text(200), required=True),
        Column(
            "level",
            "Level",
            choice(_LEVELS, "performance level"),
            required=True,
            help="Exemplary, Proficient, Needs Improvement or Unsatisfactory.",
        ),
        Column(
            "descriptor",
            "Descriptor",
            exported_text(interchange.TEXT_MAX),
            required=True,
            help="What practice looks like for the element at that level (one row per level).",
        ),
    )
    key_columns = ("framework_code", "standard", "indicator", "element")
    natural_key = ("framework_code", "version", "standard", "indicator", "element", "level")
    template_header: ClassVar[list[str]] = list(interchange.CSV_HEADER)
    template_rows: ClassVar[list[list[str]]] = [
        ["District leader rubric", "district-leader", "administrator", "2025", "I", "Instructional Leadership", "yes",
         "I-A", "Curriculum", "I-A-1", "Unit design", "Proficient", "Ensures units rest on clear, standards-based goals."],
        ["District leader rubric", "district-leader", "administrator", "2025", "I", "Instructional Leadership", "yes",
         "I-A", "Curriculum", "I-A-1", "Unit design", "Exemplary", "Leads staff to design units that others adopt."],
    ]  # fmt: skip

    @classmethod
    def column_docs(cls) -> list[tuple[str, bool, str]]:
        return [(c.header, c.required, c.help) for c in cls.columns]

    @classmethod
    def check_rows(cls, rows: list[Any], outcome: Outcome) -> None:
        frameworks, problems = interchange.rows_to_data(rows)
        for problem in problems:
            outcome.error(problem.line, problem.column, problem.message)
        if problems:
            return
        for data in frameworks:
            for problem in interchange.validate(data)[1]:
                outcome.error(None, None, f"framework {data['code']} {data['version']}: {problem}")

    @classmethod
    def plan(cls, rows: list[Any], ctx: Context, outcome: Outcome) -> Plan:
        """The drafts go to the owner the framework page chose (`ctx.shared[OWNER]`), else the state when
        the importer manages it (the command line does), else the importer's district."""
        from edlead.evaluations.services import manage_targets

        frameworks, _ = interchange.rows_to_data(rows)
        targets = manage_targets(ctx.actor)
        owner = ctx.shared.get(OWNER, targets[0] if targets else None)
        if owner not in targets:
            outcome.error(
                None,
                None,
                "You may not create evaluation frameworks there (a district or state administrator may).",
            )
            return FrameworkPlan([], ctx, None)
        where = owner.name if owner is not None else "the state"
        for data in frameworks:
            outcome.change(
                "create", "framework", f"{data['name']} ({data['version']})", detail=f"a draft for {where}"
            )
        return FrameworkPlan(frameworks, ctx, owner)
