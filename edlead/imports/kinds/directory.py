"""DESE directory exports: districts (`PublicSchoolDistrict.csv`, `locations.csv`) and schools
(`directory_2016-17.csv`), each naming its superintendent / charter school leader / principal.

Type heuristics, kept simple on purpose (a district admin can correct a type in EdLead):
- District: Org Type "Charter District" (or "Charter" in the name) → charter; a name with
  "Vocational", "Voc", "Technical" or "Agricultural" → regional vocational; "Collaborative" →
  collaborative; otherwise public.
- School: School Type "Charter School" → charter; a name with "Vocational", "Voc" or "Technical" →
  vocational-technical; otherwise public. A type someone set to innovation or alternative is kept.
Names are kept as the file gives them. The file's school year (from --year, the file or folder name,
else today) dates leader changes; an older file never overwrites names or addresses applied from a
newer one (`OrgDirectoryYear`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from edlead.imports.kinds.base import (
    CellError,
    Column,
    Context,
    ImportKind,
    Outcome,
    Plan,
    fetch_in,
    grades,
    org_code,
    postal_code,
    text,
)
from edlead.imports.kinds.leaders import LeaderClaim, LeaderPlan, plan_leaders, split_name
from edlead.imports.models import OrgDirectoryYear
from edlead.lib.codes import is_district_code
from edlead.lib.schoolyears import SchoolYear
from edlead.orgs import services as org_services
from edlead.orgs.models import Organization
from edlead.people.models import Person, Position

Kind = Organization.Kind
DistrictType = Organization.DistrictType
SchoolType = Organization.SchoolType

_VOCATIONAL_DISTRICT = re.compile(r"(?i)\b(vocational|voc|technical|agricultural)\b")
_VOCATIONAL_SCHOOL = re.compile(r"(?i)\b(vocational|voc|technical)\b")
ADDRESS_FIELDS = ("address_line1", "address_line2", "town", "state", "postal_code", "phone", "grades")


def district_type_for(org_type: str, name: str) -> str:
    if "charter" in org_type.casefold() or re.search(r"(?i)\bcharter\b", name):
        return DistrictType.CHARTER
    if "collaborative" in org_type.casefold() or re.search(r"(?i)\bcollaborative\b", name):
        return DistrictType.COLLABORATIVE
    if _VOCATIONAL_DISTRICT.search(name):
        return DistrictType.REGIONAL_VOCATIONAL
    return DistrictType.PUBLIC


def school_type_for(school_type: str, name: str) -> str:
    if "charter" in school_type.casefold():
        return SchoolType.CHARTER
    if _VOCATIONAL_SCHOOL.search(name):
        return SchoolType.VOCATIONAL
    return SchoolType.PUBLIC


_NAME_PART = Person._meta.get_field("first_name").max_length or 120


def contact_name(value: str) -> str:
    """A leader's name as people records keep it: its first and last names fit their fields."""
    value = text(241)(value)
    names = split_name(value)
    if names is not None:
        for part, what in zip(names, ("first name", "last name"), strict=True):
            if len(part) > _NAME_PART:
                raise CellError(
                    f"the {what} read from it has {len(part):,} characters, longer than the {_NAME_PART} a "
                    "person's name holds"
                )
    return value


def _address_columns() -> tuple[Column, ...]:
    return (
        Column("address_line1", "Address 1", text(255), aliases=("Address", "Address Line 1", "Street")),
        Column("address_line2", "Address 2", text(255), aliases=("Address Line 2",)),
        Column("town", "Town", text(120), aliases=("City",)),
        Column("state", "State", text(2)),
        Column("postal_code", "Zip", postal_code, aliases=("Zip Code", "Postal Code")),
        Column("phone", "Phone", text(40), aliases=("Telephone",)),
        Column("grades", "Grade", grades, aliases=("Grades", "Grades Served")),
    )


@dataclass
class DirectoryPlan(Plan):
    new_districts: list[Organization] = field(default_factory=list)
    new_schools: list[Organization] = field(default_factory=list)
    changed: list[Organization] = field(default_factory=list)
    changed_fields: set[str] = field(default_factory=set)
    leaders: LeaderPlan = field(default_factory=LeaderPlan)
    year_of: dict[Any, int] = field(default_factory=dict)  # org object → start year
    start_year: int | None = None

    def write(self) -> None:
        org_services.organizations_bulk_create(organizations=self.new_districts)
        org_services.organizations_bulk_create(organizations=self.new_schools)
        org_services.organizations_bulk_update(organizations=self.changed, fields=sorted(self.changed_fields))
        self.leaders.write()
        if self.start_year is not None:
            orgs = [*self.new_districts, *self.new_schools, *self.year_of]
            ids = {o.pk for o in orgs}
            existing = {
                r.organization_id: r for r in fetch_in(OrgDirectoryYear.objects.all(), "organization_id", ids)
            }
            create, update = [], []
            for org_id in ids:
                row = existing.get(org_id)
                if row is None:
                    create.append(OrgDirectoryYear(organization_id=org_id, start_year=self.start_year))
                elif row.start_year < self.start_year:
                    row.start_year = self.start_year
                    update.append(row)
            OrgDirectoryYear.objects.bulk_create(create, batch_size=500)
            OrgDirectoryYear.objects.bulk_update(update, ["start_year"], batch_size=500)


class _DirectoryKind(ImportKind):
    uses_school_year = True
    state_wide = True
    org_kind: ClassVar[str]

    @classmethod
    def _org_fields(cls, row: Any) -> dict[str, Any]:
        return {
            "address_line1": row.address_line1,
            "address_line2": row.address_line2,
            "town": row.town,
            "state": row.state or "MA",
            "postal_code": row.postal_code,
            "phone": row.phone,
            "grades": row.grades,
        }

    @classmethod
    def _compare(
        cls,
        org: Organization,
        wanted: dict[str, Any],
        plan: DirectoryPlan,
        outcome: Outcome,
        line: int,
        newer: bool,
    ) -> None:
        """Update `org` to `wanted` unless a newer directory was already applied to it."""
        if newer:
            outcome.unchanged += 1
            return
        diff = [name for name, value in wanted.items() if getattr(org, name) != value]
        if org.source == Organization.Source.LEARNED:
            wanted["source"] = Organization.Source.DESE_DIRECTORY
            diff.append("source")
        if not diff:
            outcome.unchanged += 1
            plan.year_of[org] = plan.start_year or 0
            return
        for name in diff:
            setattr(org, name, wanted[name])
        plan.changed.append(org)
        plan.changed_fields.update(diff)
        plan.year_of[org] = plan.start_year or 0
        outcome.change("update", "organization", f"{org.name} ({org.code})", line, ", ".join(sorted(diff)))

    @classmethod
    def _leader(
        cls, org: Organization, row: Any, role: str, title: str, outcome: Outcome
    ) -> LeaderClaim | None:
        names = split_name(row.contact) if row.contact else None
        if names is None:
            return None
        first, last = names
        return LeaderClaim(org=org, line=row.line, first=first, last=last, role=role, title=title)

    @classmethod
    def _newer_years(cls, org_ids: list[int], start_year: int | None) -> set[int]:
        if start_year is None or not org_ids:
            return set()
        newer = OrgDirectoryYear.objects.filter(start_year__gt=start_year)
        return {row.organization_id for row in fetch_in(newer, "organization_id", org_ids)}


class DistrictDirectory(_DirectoryKind):
    slug = "dese-district-directory"
    label = "DESE district directory"
    description = (
        "DESE's district directory export (PublicSchoolDistrict.csv or locations.csv): creates and updates "
        "districts and their superintendent or charter school leader."
    )
    priority = 10
    org_kind = Kind.DISTRICT
    columns = (
        Column(
            "name",
            "Org Name",
            text(255),
            required=True,
            needs_value=True,
            aliases=("District Name", "Organization Name"),
        ),
        Column("code", "Org Code", org_code, required=True, needs_value=True, aliases=("Organization Code",)),
        Column("org_type", "Org Type", text(80), required=True, aliases=("Organization Type",)),
        Column("function", "Function", text(80)),
        Column("contact", "Contact Name", contact_name, required=True, aliases=("Contact",)),
        *_address_columns(),
    )
    key_columns = ("name", "code")
    natural_key = ("code",)
    ignored_columns = ("Fax", "Title I Status")

    @classmethod
    def plan(cls, rows: list[Any], ctx: Context, outcome: Outcome) -> Plan:
        plan = DirectoryPlan(start_year=(ctx.year or SchoolYear.containing(ctx.as_of)).start_year)
        state = org_services.state_agency_get_or_create()
        existing = {o.code: o for o in fetch_in(Organization.objects.all(), "code", (r.code for r in rows))}
        newer = cls._newer_years([o.pk for o in existing.values()], plan.start_year)
        claims: list[LeaderClaim] = []
        for row in rows:
            org = existing.get(row.code)
            wanted = {
                "name": row.name,
                "district_type": district_type_for(row.org_type, row.name),
                **cls._org_fields(row),
            }
            if org is not None and org.kind != Kind.DISTRICT:
                outcome.skip(
                    row.line,
                    "Org Code",
                    f"code {row.code} belongs to {org.get_kind_display().lower()} {org.name}, not a district",
                )
                continue
            if not is_district_code(row.code):
                outcome.skip(
                    row.line, "Org Code", f"{row.code} is not a district code (district codes end in 0000)"
                )
                continue
            if org is None:
                org = org_services.organization_build(
                    kind=Kind.DISTRICT,
                    parent=state,
                    code=row.code,
                    source=Organization.Source.DESE_DIRECTORY,
                    source_note=ctx.file_name[:255],
                    **wanted,
                )
                plan.new_districts.append(org)
                outcome.change("create", "organization", f"{row.name} ({row.code})", row.line, "district")
            else:
                cls._compare(org, wanted, plan, outcome, row.line, org.pk in newer)
            is_charter = "charter" in (row.function or row.org_type).casefold()
            title = "Charter School Leader" if is_charter else ""
            claim = cls._leader(org, row, Position.Role.SUPERINTENDENT, title, outcome)
            if claim is not None:
                claims.append(claim)
        plan.leaders = plan_leaders(
            claims, as_of=ctx.as_of, source=Person.Source.DESE_DIRECTORY, outcome=outcome
        )
        return plan


class SchoolDirectory(_DirectoryKind):
    slug = "dese-school-directory"
    label = "DESE school directory"
    description = (
        "DESE's school directory (School Code, School Name, School Type, Contact Name, District Code…): creates and "
        "updates schools and their principal; districts it names that EdLead lacks are learned from its District "
        "Name and District Code columns."
    )
    priority = 20
    org_kind = Kind.SCHOOL
    columns = (
        Column("code", "School Code", org_code, required=True, needs_value=True),
        Column("name", "School Name", text(255), required=True, needs_value=True),
        Column("school_type", "School Type", text(80), required=True),
        Column("function", "Function", text(80)),
        Column("contact", "Contact Name", contact_name, required=True, aliases=("Contact", "Principal")),
        *_address_columns(),
        Column("district_name", "District Name", text(255)),
        Column("district_code", "District Code", org_code, required=True, needs_value=True),
    )
    key_columns = ("code", "name")
    natural_key = ("code",)
    ignored_columns = ("Fax",)

    @classmethod
    def plan(cls, rows: list[Any], ctx: Context, outcome: Outcome) -> Plan:
        plan = DirectoryPlan(start_year=(ctx.year or SchoolYear.containing(ctx.as_of)).start_year)
        codes = {r.code for r in rows} | {r.district_code for r in rows}
        existing = {
            o.code: o for o in fetch_in(Organization.objects.select_related("district"), "code", codes)
        }
        newer = cls._newer_years([o.pk for o in existing.values()], plan.start_year)
        learned: dict[str, Organization] = {}
        state: Organization | None = None
        claims: list[LeaderClaim] = []
        for row in rows:
            district = existing.get(row.district_code) or learned.get(row.district_code)
            if district is not None and district.kind != Kind.DISTRICT:
                outcome.skip(
                    row.line,
                    "District Code",
                    f"code {row.district_code} belongs to {district.name}, not a district",
                )
                continue
            if district is None:
                if not row.district_name:
                    outcome.skip(
                        row.line,
                        "District Code",
                        f"district {row.district_code} is not known to EdLead and the row gives no District Name to add it",
                    )
                    continue
                if not is_district_code(row.district_code):
                    outcome.skip(
                        row.line,
                        "District Code",
                        f"{row.district_code} is not a district code (ends in 0000)",
                    )
                    continue
                state = state or org_services.state_agency_get_or_create()
                district = org_services.organization_build(
                    kind=Kind.DISTRICT,
                    parent=state,
                    code=row.district_code,
                    name=row.district_name,
                    district_type=district_type_for("", row.district_name),
                    source=Organization.Source.LEARNED,
                    source_note=ctx.file_name[:255],
                )
                learned[row.district_code] = district
                plan.new_districts.append(district)
                outcome.change(
                    "create",
                    "organization",
                    f"{row.district_name} ({row.district_code})",
                    row.line,
                    "district learned from this file",
                )
                outcome.notes.append(
                    f"Learned district {row.district_name} ({row.district_code}) from line {row.line}: no district file names it."
                )
            org = existing.get(row.code)
            if org is not None and org.kind != Kind.SCHOOL:
                outcome.skip(
                    row.line,
                    "School Code",
                    f"code {row.code} belongs to {org.get_kind_display().lower()} {org.name}, not a school",
                )
                continue
            if org is None:
                org = org_services.organization_build(
                    kind=Kind.SCHOOL,
                    parent=district,
                    code=row.code,
                    name=row.name,
                    school_type=school_type_for(row.school_type, row.name),
                    source=Organization.Source.DESE_DIRECTORY,
                    source_note=ctx.file_name[:255],
                    **cls._org_fields(row),
                )
                plan.new_schools.append(org)
                outcome.change("create", "organization", f"{row.name} ({row.code})", row.line, "school")
            else:
                wanted: dict[str, Any] = {"name": row.name, **cls._org_fields(row)}
                if org.school_type not in (SchoolType.INNOVATION, SchoolType.ALTERNATIVE):
                    wanted["school_type"] = school_type_for(row.school_type, row.name)
                if org.district_id != district.pk:  # DESE moved the school to another district
                    wanted["parent"] = district
                    wanted["district"] = district
                cls._compare(org, wanted, plan, outcome, row.line, org.pk in newer and "parent" not in wanted)
            claim = cls._leader(org, row, Position.Role.PRINCIPAL, "", outcome)
            if claim is not None:
                claims.append(claim)
        plan.leaders = plan_leaders(
            claims, as_of=ctx.as_of, source=Person.Source.DESE_DIRECTORY, outcome=outcome
        )
        return plan
