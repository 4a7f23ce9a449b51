"""Final summative ratings in an EPIMS-like CSV: the export (page and `manage.py export_ratings`) and the
import kind that reads it back (`manage.py import FILE` recognises it by its header; the School Year
column says the year).

Only final ratings travel: a summative evaluation both the evaluator and the educator have signed (the
cycle complete and locked). Re-importing an exported file changes nothing. A row that differs from the
signed evaluation is a correction: it is refused ("reopen the cycle to correct it") unless the importer
may reopen evaluations (HR, the district administrator). Then it goes through the same reopen-with-reason
service as a correction on screen (`services_cycle.summative_correct_from_record` calls `cycle_reopen`
with the reason "Correction from file X" naming the file's ratings, which keeps the signed version), and
the corrected ratings are stored and the cycle locked again as final, audited with the ratings before and
after — so a re-export shows them and importing the same file again changes nothing. Corrected ratings
must pass the summative evaluation's rules (every standard rated, Standard I for Proficient…): a row that
does not is refused with its line and column, and nothing is written. A blank Plan type keeps the plan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db.models import QuerySet

from edlead.access import policy
from edlead.evaluations.models import Assessment, Cycle, PerformanceLevel, PlanType, Rating
from edlead.imports.kinds.base import CellError, Column, Context, ImportKind, Outcome, Plan, choice, fetch_in
from edlead.people.models import Person

STANDARDS = ("I", "II", "III", "IV")
HEADER = (
    "MEPID",
    "Local employee number",
    "School year",
    "Overall rating",
    *(f"Standard {code}" for code in STANDARDS),
    "Plan type",
)
REFUSED_CORRECTION = "rating differs from the signed evaluation; reopen the cycle to correct it"

LEVEL_WORDS = {
    **{str(v): str(v) for v in PerformanceLevel.values},
    **{lv.label: str(lv) for lv in PerformanceLevel},
}
PLAN_WORDS = {**{str(v): str(v) for v in PlanType.values}, **{p.label: str(p) for p in PlanType}}


def year_label(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


def parse_year(value: str) -> int:
    """`2025-26` (or `2025-2026`) → 2025, the year the school year starts in."""
    m = re.fullmatch(r"\s*(\d{4})\s*[-–/]\s*(\d{2}|\d{4})\s*", value)
    if m is None:
        raise CellError(f"“{value[:40]}” is not a school year like 2025-26")
    start, end = int(m.group(1)), int(m.group(2))
    if end % 100 != (start + 1) % 100 or not 1990 <= start <= 2100:
        raise CellError(
            f"“{value[:40]}” is not a school year like 2025-26 (the second year follows the first)"
        )
    return start


def parse_mepid(value: str) -> str:
    """Eight digits, or empty (a person without a MEPID is listed as skipped, not refused)."""
    cleaned = value.strip()
    cleaned = cleaned[:-2] if cleaned.endswith(".0") else cleaned
    if cleaned and not re.fullmatch(r"\d{8}", cleaned):
        raise CellError(f"“{value[:40]}” is not a state staff ID (MEPID has exactly 8 digits)")
    return cleaned


def parse_employee_number(value: str) -> str:
    if len(value) > 40:
        raise CellError("is longer than 40 characters")
    return value.strip()


# --- reading the final ratings --------------------------------------------------------------------------
@dataclass(frozen=True)
class FinalRating:
    """One signed summative evaluation, as the export writes it."""

    cycle_id: int
    person_id: int
    mepid: str
    employee_number: str
    school_year: int
    overall: str
    standards: dict[str, str]
    plan_type: str

    def row(self) -> list[str]:
        return [
            self.mepid,
            self.employee_number,
            year_label(self.school_year),
            PerformanceLevel(self.overall).label if self.overall else "",
            *(PerformanceLevel(self.standards[c]).label if self.standards.get(c) else "" for c in STANDARDS),
            PlanType(self.plan_type).label if self.plan_type else "",
        ]


def final_cycles(cycles: QuerySet[Cycle]) -> QuerySet[Cycle]:
    """Of `cycles`, those whose summative evaluation both have signed."""
    return cycles.filter(
        step=Cycle.Step.DONE,
        assessments__stage=Assessment.Stage.SUMMATIVE,
        assessments__educator_signed_at__isnull=False,
        assessments__evaluator_signed_at__isnull=False,
    )


def final_ratings(cycles: QuerySet[Cycle]) -> list[FinalRating]:
    """The final ratings of `cycles` (already scoped by the caller), ordered by MEPID: two queries."""
    rows = list(
        final_cycles(cycles)
        .order_by("educator__mepid", "educator__last_name", "pk")
        .values_list(
            "pk",
            "educator_id",
            "educator__mepid",
            "educator__local_employee_number",
            "school_year",
            "plan_type",
            "assessments__pk",
            "assessments__overall",
        )
    )
    by_assessment: dict[int, dict[str, str]] = {}
    for assessment_id, code, level in Rating.objects.filter(
        assessment_id__in=[r[6] for r in rows], standard__isnull=False
    ).values_list("assessment_id", "standard__code", "level"):
        by_assessment.setdefault(assessment_id, {})[code] = level
    return [
        FinalRating(pk, person, mepid or "", number or "", year, overall, by_assessment.get(a, {}), plan)
        for pk, person, mepid, number, year, plan, a, overall in rows
    ]


def export_rows(cycles: QuerySet[Cycle]) -> Iterator[list[str]]:
    for r in final_ratings(cycles):
        yield r.row()


def cycles_in_district(school_year: int, district_code: str | None = None) -> QuerySet[Cycle]:
    """Every cycle of `school_year` (the command line: the system reads all, or one district's)."""
    qs = Cycle.objects.filter(school_year=school_year)
    if district_code:
        qs = qs.filter(organization__path__startswith=_district_path(district_code))
    return qs


def _district_path(code: str) -> str:
    from edlead.orgs.models import Organization

    org = Organization.objects.filter(code=code, kind=Organization.Kind.DISTRICT).first()
    if org is None:
        raise ValueError(f"No district has the code {code}.")
    return org.path


# --- the import kind ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Correction:
    cycle: Cycle
    reason: str
    overall: str
    standards: dict[str, str]
    plan_type: str


class CorrectionPlan(Plan):
    """Corrects the signed evaluations whose file ratings differ (only when the importer may reopen them):
    each reopened with its reason and its ratings stored, through the cycle's service."""

    def __init__(self, corrections: list[Correction], ctx: Context) -> None:
        self.corrections, self.ctx = corrections, ctx

    def write(self) -> None:
        from edlead.evaluations.services_cycle import summative_correct_from_record

        for c in self.corrections:
            summative_correct_from_record(
                actor=self.ctx.actor,
                cycle=c.cycle,
                reason=c.reason,
                overall=c.overall,
                ratings=c.standards,
                plan_type=c.plan_type,
            )


def _row_values(row: Any) -> tuple[str, dict[str, str], str]:
    return (
        row.overall,
        {c: getattr(row, f"standard_{c.lower()}") or "" for c in STANDARDS},
        row.plan_type or "",
    )


def _words(overall: str, standards: dict[str, str]) -> str:
    parts = [f"overall {PerformanceLevel(overall).label}"] if overall else []
    parts += [f"Standard {c} {PerformanceLevel(v).label}" for c, v in standards.items() if v]
    return ", ".join(parts)


class FinalRatings(ImportKind):
    slug = "evaluation-ratings"
    label = "Final evaluation ratings (EPIMS-like)"
    description = (
        "Final summative ratings, one row per educator and school year (MEPID, Local employee number, School "
        "year, Overall rating, Standard I–IV, Plan type), as the ratings export writes them. Re-importing an "
        "export changes nothing; a differing row is a correction: the signed evaluation is reopened with the "
        "file's reason and its corrected ratings stored (HR or the district administrator only)."
    )
    priority = 90
    columns: ClassVar[tuple[Column, ...]] = (
        Column("mepid", "MEPID", parse_mepid, required=True, help="8 digits; a row without one is skipped."),
        Column("employee_number", "Local employee number", parse_employee_number, required=True),
        Column("school_year", "School year", parse_year, required=True, needs_value=True, help="2025-26"),
        Column(
            "overall",
            "Overall rating",
            choice(LEVEL_WORDS, "rating"),
            required=True,
            needs_value=True,
            help="Exemplary, Proficient, Needs Improvement or Unsatisfactory.",
        ),
        *(
            Column(f"standard_{c.lower()}", f"Standard {c}", choice(LEVEL_WORDS, "rating"), required=True)
            for c in STANDARDS
        ),
        Column("plan_type", "Plan type", choice(PLAN_WORDS, "plan type"), required=True),
    )
    key_columns = ("mepid", "school_year", "overall", "standard_i")
    natural_key = ("mepid", "employee_number", "school_year")
    template_header: ClassVar[list[str]] = list(HEADER)

    @classmethod
    def plan(cls, rows: list[Any], ctx: Context, outcome: Outcome) -> Plan:
        from edlead.evaluations.services_cycle import CYCLE_MANAGE, correction_problems

        mepids = [r.mepid for r in rows if r.mepid]
        people = {p.mepid: p for p in fetch_in(Person.objects.all(), "mepid", mepids)}
        years = sorted({r.school_year for r in rows})
        cycles = {
            (c.educator_id, c.school_year): c
            for c in Cycle.objects.filter(
                educator_id__in=[p.pk for p in people.values()], school_year__in=years
            ).select_related("educator", "organization")
        }
        finals = {
            (f.person_id, f.school_year): f
            for f in final_ratings(Cycle.objects.filter(pk__in=[c.pk for c in cycles.values()]))
        }
        corrections: list[Correction] = []
        for row in rows:
            if not row.mepid:
                number = f" (employee {row.employee_number})" if row.employee_number else ""
                outcome.skip(row.line, "MEPID", f"no MEPID{number}: a rating is matched by MEPID")
                continue
            person = people.get(row.mepid)
            cycle = cycles.get((person.pk, row.school_year)) if person is not None else None
            if person is None or cycle is None or not ctx.in_scope(cycle.organization.path):
                outcome.skip(
                    row.line, "MEPID", f"{row.mepid}: no evaluation for {year_label(row.school_year)}"
                )
                continue
            final = finals.get((person.pk, row.school_year))
            if final is None:
                outcome.skip(
                    row.line,
                    "MEPID",
                    f"{row.mepid}: the {year_label(row.school_year)} evaluation is not signed",
                )
                continue
            overall, standards, plan_type = _row_values(row)
            plan_type = plan_type or final.plan_type  # a blank plan type keeps the plan
            stored = {c: final.standards.get(c, "") for c in STANDARDS}
            if (overall, standards, plan_type) == (final.overall, stored, final.plan_type):
                outcome.unchanged += 1
                continue
            column = _first_difference(row, final)
            if ctx.actor is None or not policy.can(ctx.actor, CYCLE_MANAGE, cycle):
                outcome.error(row.line, column, REFUSED_CORRECTION)
                continue
            problems = correction_problems(cycle, overall=overall, ratings=standards, plan_type=plan_type)
            if problems:
                outcome.error(row.line, _problem_column(problems[0], column), " ".join(problems))
                continue
            reason = (
                f"Correction from file {ctx.file_name}: {_words(overall, standards)}"
                + (f", plan {PlanType(plan_type).label}" if plan_type else "")
            )[:1000]
            outcome.change(
                "update",
                "evaluation",
                f"{person.display_name} {year_label(row.school_year)}",
                line=row.line,
                detail="reopened with the file's reason and the corrected ratings stored",
            )
            corrections.append(Correction(cycle, reason, overall, standards, plan_type))
        return CorrectionPlan(corrections, ctx)


def _problem_column(problem: str, fallback: str) -> str:
    """The column a rule problem is about: the standard it names, else the overall rating."""
    m = re.search(r"Standard (IV|I{1,3})\b", problem)
    if m:
        return f"Standard {m.group(1)}"
    return "Overall rating" if "verall" in problem else fallback


def _first_difference(row: Any, final: FinalRating) -> str:
    overall, standards, plan_type = _row_values(row)
    plan_type = plan_type or final.plan_type
    if overall != final.overall:
        return "Overall rating"
    for code in STANDARDS:
        if standards[code] != final.standards.get(code, ""):
            return f"Standard {code}"
    return "Plan type"


def header_and_rows(cycles: QuerySet[Cycle]) -> tuple[tuple[str, ...], Iterable[list[str]]]:
    return HEADER, export_rows(cycles)
