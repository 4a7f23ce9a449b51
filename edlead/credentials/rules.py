"""A state's licence rules as data: read and checked here, stored as `StateRules.document`.

A rules file (JSON; edlead/credentials/data/rules/ma.json is Massachusetts, DOMAIN.md §4):

    {"state": "MA", "name": "Massachusetts", "source": "603 CMR 44.00",
     "units": {"clock_hour": 1, "undergraduate_credit": 15, "graduate_credit": 22.5, "audit": 7.5, "ceu": 10},
     "categories": [{"code": "sei", "name": "SEI, ESL or bilingual education"}, ...],
     "stages": {"professional": {"validity_years": 5}, "initial": {"validity_employment_years": 5}, ...},
     "renewals": [{"stages": ["professional"], "fields": "*", "total": 150,
                   "category_minimums": {"sei": 15, ...}, "topic_minimum": 10,
                   "additional_licence": {"total": 30, "category_minimums": {"content": 15}}}]}

`fields` is "*" (every field), a list of field codes, or `{"group": "administrator"}`; the first
renewal entry that matches a licence's stage and field applies. A unit the file does not convert does
not count towards that state's licences. Every mistake is reported with its place in the file, and a
file with any mistake is refused whole.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from edlead.core.errors import ApplicationError

UNITS = ("clock_hour", "undergraduate_credit", "graduate_credit", "audit", "ceu")
STAGES = ("temporary", "provisional", "initial", "professional")
MAX_PDPS = Decimal("1000")  # a renewal needing more than this is a typing mistake


class RulesError(ApplicationError):
    """A rules file that cannot be used; `problems` lists each mistake with its place."""

    def __init__(self, where: str, problems: list[str]) -> None:
        self.problems = problems
        shown = "; ".join(problems[:12]) + ("…" if len(problems) > 12 else "")
        super().__init__(f"The rules in {where} were not loaded: {shown}.")


@dataclass(frozen=True)
class Requirement:
    """PDPs needed: a total and minimums per category."""

    total: Decimal
    category_minimums: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Renewal:
    stages: tuple[str, ...]
    fields: tuple[str, ...] | None  # None: every field
    group: str  # "" or a catalog group ("administrator")
    requirement: Requirement
    topic_minimum: Decimal
    additional: Requirement

    def matches(self, stage: str, field_code: str, field_group: str) -> bool:
        if stage not in self.stages:
            return False
        if self.group:
            return field_group == self.group
        return self.fields is None or field_code in self.fields


@dataclass(frozen=True)
class Validity:
    years: int | None = None
    employment_years: int | None = None


@dataclass(frozen=True)
class StateRuleSet:
    """One state's rules, read from its document."""

    state: str
    name: str
    source: str
    units: dict[str, Decimal]
    categories: dict[str, str]  # code → name, in the file's order
    stages: dict[str, Validity]
    renewals: tuple[Renewal, ...]

    def renewal_for(self, stage: str, field_code: str, field_group: str = "") -> Renewal | None:
        for renewal in self.renewals:
            if renewal.matches(stage, field_code, field_group):
                return renewal
        return None

    def pdps(self, amount: Decimal, unit: str) -> Decimal | None:
        """`amount` of `unit` in this state's PDPs (None: the state does not count that unit)."""
        rate = self.units.get(unit)
        return None if rate is None else amount * rate


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, place: str, text: str) -> None:
        self.problems.append(f"{place}: {text}")

    def number(
        self, place: str, value: Any, *, minimum: Decimal = Decimal("0"), maximum: Decimal = MAX_PDPS
    ) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.problem(place, f"must be a number, not {json.dumps(value)}")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.problem(place, f"must be a number, not {json.dumps(value)}")
            return None
        if not number.is_finite() or number < minimum or number > maximum:
            self.problem(place, f"must be between {minimum} and {maximum}, not {value}")
            return None
        return number

    def whole(self, place: str, value: Any, low: int, high: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(place, f"must be a whole number from {low} to {high}, not {json.dumps(value)}")
            return None
        return value

    def minimums(self, place: str, value: Any, categories: dict[str, str]) -> dict[str, Decimal]:
        found: dict[str, Decimal] = {}
        if value is None:
            return found
        if not isinstance(value, dict):
            self.problem(place, "must map category codes to numbers")
            return found
        for code, raw in value.items():
            if code not in categories:
                known = ", ".join(categories) or "none declared"
                self.problem(f"{place} › {code}", f"is not one of the file's categories ({known})")
                continue
            number = self.number(f"{place} › {code}", raw)
            if number is not None:
                found[code] = number
        return found


def parse(document: Any, *, where: str = "the rules file") -> StateRuleSet:
    """Check a rules document; RulesError listing every mistake, else the rule set."""
    c = _Checker()
    if not isinstance(document, dict):
        raise RulesError(where, ["the file must hold one JSON object"])
    state = document.get("state")
    if not isinstance(state, str) or len(state) != 2 or not state.isalpha() or not state.isupper():
        c.problem("state", f"must be a two-letter state code such as MA, not {json.dumps(state)}")
        state = "??"
    name = document.get("name")
    if not isinstance(name, str) or not name.strip():
        c.problem("name", "the state's name is missing")
        name = ""
    units: dict[str, Decimal] = {}
    raw_units = document.get("units")
    if not isinstance(raw_units, dict):
        c.problem("units", "missing: give at least clock_hour")
    else:
        for unit, rate in raw_units.items():
            if unit not in UNITS:
                c.problem(f"units › {unit}", f"is not a unit ({', '.join(UNITS)})")
                continue
            number = c.number(f"units › {unit}", rate, minimum=Decimal("0.01"), maximum=Decimal("100"))
            if number is not None:
                units[unit] = number
        if "clock_hour" not in raw_units:
            c.problem("units › clock_hour", "missing: how many PDPs (or hours) one clock hour is worth")
    categories: dict[str, str] = {}
    raw_categories = document.get("categories", [])
    if not isinstance(raw_categories, list):
        c.problem("categories", "must be a list of {code, name}")
        raw_categories = []
    for i, cat in enumerate(raw_categories):
        place = f"categories[{i + 1}]"
        if not isinstance(cat, dict) or not isinstance(cat.get("code"), str) or not cat["code"].strip():
            c.problem(place, "needs a code and a name")
            continue
        code = cat["code"].strip()
        if code in categories:
            c.problem(place, f"the category {code} is listed twice")
        categories[code] = str(cat.get("name") or code)
    stages: dict[str, Validity] = {}
    raw_stages = document.get("stages")
    if not isinstance(raw_stages, dict) or not raw_stages:
        c.problem("stages", "missing: the validity of each licence stage")
        raw_stages = {}
    for stage, spec in raw_stages.items():
        place = f"stages › {stage}"
        if stage not in STAGES:
            c.problem(place, f"is not a stage ({', '.join(STAGES)})")
            continue
        if not isinstance(spec, dict) or ("validity_years" in spec) == ("validity_employment_years" in spec):
            c.problem(place, "give either validity_years or validity_employment_years")
            continue
        if "validity_years" in spec:
            years = c.whole(f"{place} › validity_years", spec["validity_years"], 1, 10)
            stages[stage] = Validity(years=years)
        else:
            years = c.whole(f"{place} › validity_employment_years", spec["validity_employment_years"], 1, 10)
            stages[stage] = Validity(employment_years=years)
    renewals: list[Renewal] = []
    raw_renewals = document.get("renewals")
    if not isinstance(raw_renewals, list) or not raw_renewals:
        c.problem("renewals", "missing: at least one renewal requirement")
        raw_renewals = []
    for i, spec in enumerate(raw_renewals):
        place = f"renewals[{i + 1}]"
        if not isinstance(spec, dict):
            c.problem(place, "must be an object")
            continue
        r_stages = spec.get("stages")
        if not isinstance(r_stages, list) or not r_stages or any(s not in STAGES for s in r_stages):
            c.problem(f"{place} › stages", f"must list stages from {', '.join(STAGES)}")
            r_stages = []
        fields_spec = spec.get("fields", "*")
        fields: tuple[str, ...] | None = None
        group = ""
        if fields_spec == "*":
            fields = None
        elif isinstance(fields_spec, list) and all(isinstance(f, str) for f in fields_spec) and fields_spec:
            fields = tuple(fields_spec)
        elif isinstance(fields_spec, dict) and isinstance(fields_spec.get("group"), str):
            group = fields_spec["group"]
        else:
            c.problem(f"{place} › fields", 'must be "*", a list of field codes or {"group": …}')
        total = c.number(f"{place} › total", spec.get("total"), minimum=Decimal("1"))
        minimums = c.minimums(f"{place} › category_minimums", spec.get("category_minimums"), categories)
        if total is not None and sum(minimums.values(), Decimal(0)) > total:
            c.problem(f"{place} › category_minimums", f"add up to more than the total ({total})")
        topic = c.number(f"{place} › topic_minimum", spec.get("topic_minimum", 0))
        extra = spec.get("additional_licence", {"total": 0})
        if not isinstance(extra, dict):
            c.problem(f"{place} › additional_licence", "must be {total, category_minimums}")
            extra = {"total": 0}
        extra_total = c.number(f"{place} › additional_licence › total", extra.get("total", 0))
        extra_min = c.minimums(
            f"{place} › additional_licence › category_minimums", extra.get("category_minimums"), categories
        )
        if extra_total is not None and sum(extra_min.values(), Decimal(0)) > extra_total:
            c.problem(f"{place} › additional_licence", f"category minimums add up to more than {extra_total}")
        for s in r_stages:
            if s not in stages:
                c.problem(f"{place} › stages", f"{s} has no validity under stages")
        if total is not None and topic is not None and extra_total is not None:
            renewals.append(
                Renewal(
                    stages=tuple(r_stages),
                    fields=fields,
                    group=group,
                    requirement=Requirement(total, minimums),
                    topic_minimum=topic,
                    additional=Requirement(extra_total, extra_min),
                )
            )
    if c.problems:
        raise RulesError(where, c.problems)
    return StateRuleSet(
        state=state,
        name=name,
        source=str(document.get("source") or ""),
        units=units,
        categories=categories,
        stages=stages,
        renewals=tuple(renewals),
    )


def read_file(path: Path) -> tuple[dict[str, Any], StateRuleSet]:
    """The document in `path` and its rule set; RulesError naming the file for any mistake."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(path.name, [f"cannot be read ({exc.__class__.__name__})"]) from exc
    except json.JSONDecodeError as exc:
        raise RulesError(path.name, [f"line {exc.lineno}, column {exc.colno}: not JSON ({exc.msg})"]) from exc
    return document, parse(document, where=path.name)
