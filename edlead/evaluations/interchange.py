"""A framework as data: the nested JSON form (export, import, the default rubrics) and the flat CSV form
(one row per descriptor). Pure Python, no database: `validate` checks a nested framework and names where
each problem is; `rows_to_data` turns CSV rows into the nested form, naming the line and column of each
problem. The services build and read frameworks through these."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from edlead.evaluations.models import Framework, PerformanceLevel

FORMAT = "edlead-evaluation-framework"
FORMAT_VERSION = 1
LEVELS = [str(level) for level in PerformanceLevel.ordered()]
LEVEL_LABELS = {str(level): level.label for level in PerformanceLevel.ordered()}
AUDIENCES = {str(value) for value in Framework.Audience.values}

_PART = re.compile(r"^[A-Za-z0-9]+$")
_SLUG = re.compile(r"^[-a-z0-9_]+$")
NAME_MAX = 200
TEXT_MAX = 4000

# The CSV layout, one row per descriptor (an element without descriptors, an indicator without elements
# or a standard without indicators has one row with the rest empty).
CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("framework", "Framework"),
    ("framework_code", "Framework code"),
    ("audience", "Audience"),
    ("version", "Version"),
    ("standard", "Standard"),
    ("standard_name", "Standard name"),
    ("required", "Required for proficient"),
    ("indicator", "Indicator"),
    ("indicator_name", "Indicator name"),
    ("element", "Element"),
    ("element_name", "Element name"),
    ("level", "Level"),
    ("descriptor", "Descriptor"),
)
CSV_HEADER = [header for _, header in CSV_COLUMNS]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (a JSON path, or a line and a column) and what."""

    message: str
    where: str = ""
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        if self.where and self.line is None and not self.column:
            return f"{self.where}: {self.message}"  # a JSON path, as written in the file
        parts = []
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column:
            parts.append(f"column “{self.column}”")
        prefix = ", ".join(parts)
        return f"{prefix[:1].upper()}{prefix[1:]}: {self.message}" if prefix else self.message


# --- nested form -----------------------------------------------------------------------------------
def _text(
    value: Any, where: str, problems: list[Problem], *, required: bool = True, limit: int = NAME_MAX
) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.append(Problem("must be text", where))
        return ""
    value = value.strip()
    if required and not value:
        problems.append(Problem("is missing or empty", where))
    elif len(value) > limit:
        problems.append(Problem(f"is {len(value)} characters long; at most {limit} fit", where))
    return value


def _list(value: Any, where: str, problems: list[Problem]) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(Problem("must be a list", where))
        return []
    return value


def _child_code(code: Any, parent: str, where: str, problems: list[Problem], what: str, limit: int) -> str:
    code = _text(code, where, problems, limit=limit)
    if code and parent:
        prefix = f"{parent}-"
        if not code.startswith(prefix) or not _PART.match(code[len(prefix) :]):
            problems.append(
                Problem(
                    f"{what} code “{code}” must be its parent's code “{parent}”, a dash and a part", where
                )
            )
    return code


def validate(data: Any) -> tuple[dict[str, Any], list[Problem]]:
    """A nested framework, cleaned (text stripped, descriptors in level order), and its problems."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return {}, [Problem("the file must hold one framework (a JSON object)")]
    out: dict[str, Any] = {
        "code": _text(data.get("code"), "code", problems, limit=60),
        "name": _text(data.get("name"), "name", problems),
        "audience": _text(data.get("audience"), "audience", problems, limit=20),
        "version": _text(data.get("version"), "version", problems, limit=40),
        "description": _text(
            data.get("description"), "description", problems, required=False, limit=TEXT_MAX
        ),
        "standards": [],
    }
    if out["code"] and not _SLUG.match(out["code"]):
        problems.append(
            Problem(f"“{out['code']}” may hold only lower-case letters, digits and dashes", "code")
        )
    if out["audience"] and out["audience"] not in AUDIENCES:
        problems.append(
            Problem(f"“{out['audience']}” is not one of {', '.join(sorted(AUDIENCES))}", "audience")
        )
    seen: dict[str, str] = {}

    def unique(code: str, where: str) -> None:
        if code and code in seen:
            problems.append(Problem(f"code “{code}” is used twice (also at {seen[code]})", where))
        elif code:
            seen[code] = where

    standards = _list(data.get("standards"), "standards", problems)
    if not standards and "standards" not in {p.where for p in problems}:
        problems.append(Problem("a framework needs at least one standard", "standards"))
    for s_index, s in enumerate(standards):
        sw = f"standards[{s_index}]"
        if not isinstance(s, dict):
            problems.append(Problem("must be an object", sw))
            continue
        s_code = _text(s.get("code"), f"{sw}.code", problems, limit=10)
        if s_code and not _PART.match(s_code):
            problems.append(
                Problem(f"“{s_code}” may hold only letters and digits (I, II, III…)", f"{sw}.code")
            )
        unique(s_code, f"{sw}.code")
        required = s.get("required_for_proficient", False)
        if not isinstance(required, bool):
            problems.append(Problem("must be true or false", f"{sw}.required_for_proficient"))
            required = False
        standard: dict[str, Any] = {
            "code": s_code,
            "name": _text(s.get("name"), f"{sw}.name", problems),
            "required_for_proficient": required,
            "indicators": [],
        }
        out["standards"].append(standard)
        for i_index, i in enumerate(_list(s.get("indicators"), f"{sw}.indicators", problems)):
            iw = f"{sw}.indicators[{i_index}]"
            if not isinstance(i, dict):
                problems.append(Problem("must be an object", iw))
                continue
            i_code = _child_code(i.get("code"), s_code, f"{iw}.code", problems, "Indicator", 20)
            unique(i_code, f"{iw}.code")
            indicator: dict[str, Any] = {
                "code": i_code,
                "name": _text(i.get("name"), f"{iw}.name", problems),
                "elements": [],
            }
            standard["indicators"].append(indicator)
            for e_index, e in enumerate(_list(i.get("elements"), f"{iw}.elements", problems)):
                ew = f"{iw}.elements[{e_index}]"
                if not isinstance(e, dict):
                    problems.append(Problem("must be an object", ew))
                    continue
                e_code = _child_code(e.get("code"), i_code, f"{ew}.code", problems, "Element", 30)
                unique(e_code, f"{ew}.code")
                descriptors = e.get("descriptors") or {}
                if not isinstance(descriptors, dict):
                    problems.append(Problem("must map levels to text", f"{ew}.descriptors"))
                    descriptors = {}
                for level in descriptors:
                    if level not in LEVEL_LABELS:
                        problems.append(
                            Problem(
                                f"“{level}” is not a performance level (one of: {', '.join(LEVELS)})",
                                f"{ew}.descriptors",
                            )
                        )
                indicator["elements"].append(
                    {
                        "code": e_code,
                        "name": _text(e.get("name"), f"{ew}.name", problems),
                        "descriptors": {
                            level: _text(
                                descriptors[level], f"{ew}.descriptors.{level}", problems, limit=TEXT_MAX
                            )
                            for level in LEVELS
                            if level in descriptors
                        },
                    }
                )
    return out, problems


def document(framework_data: dict[str, Any]) -> dict[str, Any]:
    """The JSON file of one framework."""
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "framework": framework_data}


def from_document(doc: Any) -> Any:
    """The framework inside a JSON file (a bare framework object is accepted too)."""
    if isinstance(doc, dict) and "framework" in doc:
        if doc.get("format") not in (None, FORMAT):
            return None
        return doc["framework"]
    return doc


# --- flat form -------------------------------------------------------------------------------------
def to_rows(data: dict[str, Any]) -> Iterable[list[Any]]:
    """CSV rows (without the header) of a nested framework."""
    head = [data["name"], data["code"], data["audience"], data["version"]]
    for s in data["standards"]:
        s_cells = [s["code"], s["name"], "yes" if s["required_for_proficient"] else "no"]
        if not s["indicators"]:
            yield [*head, *s_cells, "", "", "", "", "", ""]
        for i in s["indicators"]:
            i_cells = [i["code"], i["name"]]
            if not i["elements"]:
                yield [*head, *s_cells, *i_cells, "", "", "", ""]
            for e in i["elements"]:
                e_cells = [e["code"], e["name"]]
                if not e["descriptors"]:
                    yield [*head, *s_cells, *i_cells, *e_cells, "", ""]
                for level, text in e["descriptors"].items():
                    yield [*head, *s_cells, *i_cells, *e_cells, LEVEL_LABELS[level], text]


@dataclass
class FlatRow:
    """One parsed CSV row (the import kind's row, or any object with these attributes)."""

    line: int
    framework: str
    framework_code: str
    audience: str
    version: str
    standard: str
    standard_name: str
    required: bool | None
    indicator: str
    indicator_name: str
    element: str
    element_name: str
    level: str
    descriptor: str


def _header(key: str) -> str:
    return dict(CSV_COLUMNS)[key]


def rows_to_data(rows: Iterable[Any]) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Nested frameworks (one per framework code + version, in the file's order) from parsed CSV rows,
    and every problem by line and column: a code used with two names, an indicator outside its standard,
    an element outside its indicator, a descriptor without a level, two texts for one level."""
    problems: list[Problem] = []
    frameworks: dict[tuple[str, str], dict[str, Any]] = {}
    first: dict[tuple[str, ...], tuple[int, str]] = {}  # (what, key…) → (line, value) first seen

    def agree(what: tuple[str, ...], value: str, line: int, column: str, label: str) -> None:
        earlier = first.get(what)
        if earlier is None:
            first[what] = (line, value)
        elif earlier[1] != value:
            problems.append(
                Problem(
                    f"{label} is “{value}” here but “{earlier[1]}” on line {earlier[0]}: one code, one value",
                    line=line,
                    column=column,
                )
            )

    parents: dict[tuple[str, str, str], tuple[str, int]] = {}  # (fw, kind, code) → (parent code, line)

    def belongs(key: tuple[str, str, str], parent: str, line: int, column: str, what: str) -> bool:
        earlier = parents.setdefault(key, (parent, line))
        if earlier[0] != parent:
            problems.append(
                Problem(
                    f"{what} “{key[2]}” sits under “{parent}” here but under “{earlier[0]}” on line {earlier[1]}",
                    line=line,
                    column=column,
                )
            )
            return False
        return True

    def place(
        parent: dict[str, Any],
        what: str,
        code: str,
        name: str,
        parent_what: str,
        parent_code: str,
        line: int,
        fw_id: str,
        new: dict[str, Any],
    ) -> dict[str, Any] | None:
        """The indicator (element) `code` under its standard (indicator), `new` on first sight; None when
        its code does not continue its parent's or it sat under another parent on an earlier line."""
        column = _header(what)
        if not code.startswith(f"{parent_code}-"):
            problems.append(
                Problem(
                    f"{what} “{code}” does not belong to {parent_what} “{parent_code}” (its code begins “{parent_code}-”)",
                    line=line,
                    column=column,
                )
            )
            return None
        if not belongs((fw_id, what, code), parent_code, line, column, what.capitalize()):
            return None
        agree((what, fw_id, code), name, line, _header(f"{what}_name"), f"{what.capitalize()} {code}'s name")
        index = parent.setdefault(f"_{what[0]}", {})
        found = index.get(code)
        if found is None:
            found = index[code] = new
            parent[f"{what}s"].append(found)
        return found

    for row in rows:
        line = row.line
        fw_key = (row.framework_code, row.version)
        fw_id = "|".join(fw_key)
        fw = frameworks.get(fw_key)
        if fw is None:
            fw = frameworks[fw_key] = {
                "code": row.framework_code,
                "name": row.framework,
                "audience": row.audience,
                "version": row.version,
                "description": "",
                "standards": [],
                "_s": {},
            }
        agree(("framework", fw_id), row.framework, line, _header("framework"), "The framework's name")
        agree(("audience", fw_id), row.audience, line, _header("audience"), "The audience")
        s_code = row.standard
        agree(
            ("standard", fw_id, s_code),
            row.standard_name,
            line,
            _header("standard_name"),
            f"Standard {s_code}'s name",
        )
        required = bool(row.required)
        agree(
            ("required", fw_id, s_code), str(required), line, _header("required"), f"Standard {s_code}'s rule"
        )
        standard = fw["_s"].get(s_code)
        if standard is None:
            standard = fw["_s"][s_code] = {
                "code": s_code,
                "name": row.standard_name,
                "required_for_proficient": required,
                "indicators": [],
                "_i": {},
            }
            fw["standards"].append(standard)
        if not row.indicator:
            if row.element or row.level or row.descriptor:
                problems.append(
                    Problem(
                        "a row with an element or a descriptor names its indicator",
                        line=line,
                        column=_header("indicator"),
                    )
                )
            continue
        indicator = place(
            standard, "indicator", row.indicator, row.indicator_name, "standard", s_code, line, fw_id,
            {"code": row.indicator, "name": row.indicator_name, "elements": [], "_e": {}},
        )  # fmt: skip
        if indicator is None:
            continue
        if not row.element:
            if row.level or row.descriptor:
                problems.append(
                    Problem("a row with a descriptor names its element", line=line, column=_header("element"))
                )
            continue
        element = place(
            indicator, "element", row.element, row.element_name, "indicator", row.indicator, line, fw_id,
            {"code": row.element, "name": row.element_name, "descriptors": {}},
        )  # fmt: skip
        if element is None:
            continue
        if not row.level:
            if row.descriptor:
                problems.append(
                    Problem("a descriptor needs its performance level", line=line, column=_header("level"))
                )
            continue
        if not row.descriptor:
            problems.append(
                Problem("a level needs its descriptor text", line=line, column=_header("descriptor"))
            )
            continue
        if row.level in element["descriptors"] and element["descriptors"][row.level] != row.descriptor:
            problems.append(
                Problem(
                    f"element {row.element} has a second, different {LEVEL_LABELS[row.level]} descriptor",
                    line=line,
                    column=_header("descriptor"),
                )
            )
            continue
        element["descriptors"][row.level] = row.descriptor
    result = []
    for fw in frameworks.values():
        fw.pop("_s")
        for standard in fw["standards"]:
            standard.pop("_i")
            for indicator in standard["indicators"]:
                indicator.pop("_e")
                for element in indicator["elements"]:
                    element["descriptors"] = {
                        level: element["descriptors"][level]
                        for level in LEVELS
                        if level in element["descriptors"]
                    }
        result.append(fw)
    return result, problems
