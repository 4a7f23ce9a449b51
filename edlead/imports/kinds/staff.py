"""The staff-position CSV: who holds which role where, from a district's HR system.

Columns (header names are matched ignoring case, spaces and punctuation; aliases in brackets):

| Column | Required | Format |
|---|---|---|
| MEPID [State Staff ID] | yes | the 8-digit Massachusetts Education Personnel ID |
| First Name | yes | up to 120 characters |
| Last Name | yes | up to 120 characters |
| E-mail [Email] | no | an e-mail address |
| Org Code | yes | the DESE code of the school or district (leading zeros may be missing) |
| Role | yes | a position role, by value or label: teacher, teacher leader, assistant principal, principal, principal supervisor, director, assistant superintendent, superintendent, coach / mentor, other |
| Title | no | the local title, up to 120 characters (e.g. Instructional coach) |
| Start Date | yes | 2024-07-01 or 7/1/2024 |
| FTE | no | 0 to 1.5, two decimals at most; 1.0 when empty |

People are matched by MEPID; positions by (person, organization, role, start date). An unknown org
code skips the row; an invalid MEPID, date, FTE, role or e-mail refuses the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from edlead.imports.kinds.base import (
    Column,
    Context,
    ImportKind,
    Outcome,
    Plan,
    choice,
    date,
    decimal_range,
    email,
    fetch_in,
    mepid,
    org_code,
    text,
)
from edlead.orgs.models import Organization
from edlead.people import services as people_services
from edlead.people.models import Person, Position

_ROLE_OPTIONS: dict[str, str] = {}
for _value, _label in Position.Role.choices:
    _ROLE_OPTIONS[_value] = _value
    _ROLE_OPTIONS[str(_label)] = _value
_ROLE_OPTIONS.update(
    {"coach": Position.Role.COACH, "mentor": Position.Role.COACH, "AP": Position.Role.ASSISTANT_PRINCIPAL}
)

# (header, required, what to put in it): shown on the import page next to the template download.
COLUMN_DOCS = [
    (
        "MEPID",
        True,
        "The 8-digit Massachusetts Education Personnel ID (state staff ID). Also read as “State Staff ID”.",
    ),
    ("First Name", True, "Up to 120 characters."),
    ("Last Name", True, "Up to 120 characters."),
    ("E-mail", False, "A work e-mail address. Left as it is in EdLead when empty."),
    (
        "Org Code",
        True,
        "The DESE code of the school or district (8 digits; missing leading zeros are restored).",
    ),
    (
        "Role",
        True,
        "One of: "
        + ", ".join(str(label) for _, label in Position.Role.choices)
        + " (the label or its value, any case).",
    ),
    ("Title", False, "The local title, e.g. Instructional coach or Head of school. Up to 120 characters."),
    ("Start Date", True, "When the position started: 2024-07-01 or 7/1/2024."),
    ("FTE", False, "From 0 to 1.5, at most two decimals. 1.0 when empty."),
]

TEMPLATE_HEADER = [
    "MEPID",
    "First Name",
    "Last Name",
    "E-mail",
    "Org Code",
    "Role",
    "Title",
    "Start Date",
    "FTE",
]
TEMPLATE_EXAMPLE = [
    "12345678",
    "Jordan",
    "Example",
    "jordan.example@example.org",
    "99010005",
    "principal",
    "Head of school",
    "2024-07-01",
    "1.0",
]


@dataclass
class StaffPlan(Plan):
    new_people: list[Person] = field(default_factory=list)
    changed_people: list[Person] = field(default_factory=list)
    new_positions: list[Position] = field(default_factory=list)
    changed_positions: list[Position] = field(default_factory=list)

    def write(self) -> None:
        people_services.people_bulk_create(people=self.new_people)
        people_services.people_bulk_update(
            people=self.changed_people, fields=["first_name", "last_name", "email"]
        )
        people_services.positions_bulk_create(positions=self.new_positions)
        people_services.positions_bulk_update(positions=self.changed_positions, fields=["title", "fte"])


class StaffPositions(ImportKind):
    slug = "staff-positions"
    label = "Staff positions"
    description = "A staff-position CSV from HR: one row per person per position (download the template)."
    priority = 50
    columns = (
        Column(
            "mepid",
            "MEPID",
            mepid,
            required=True,
            needs_value=True,
            aliases=("State Staff ID", "State Staff ID (MEPID)", "Staff ID", "MEPID / State Staff ID"),
            help="8-digit state staff ID",
        ),
        Column("first_name", "First Name", text(120), required=True, needs_value=True, aliases=("First",)),
        Column("last_name", "Last Name", text(120), required=True, needs_value=True, aliases=("Last",)),
        Column("email", "E-mail", email, aliases=("Email", "Email Address", "E-mail Address")),
        Column(
            "org_code",
            "Org Code",
            org_code,
            required=True,
            needs_value=True,
            aliases=("Organization Code", "School Code"),
        ),
        Column("role", "Role", choice(_ROLE_OPTIONS, "position role"), required=True, needs_value=True),
        Column("title", "Title", text(120), aliases=("Position Title", "Local Title")),
        Column(
            "starts_on", "Start Date", date, required=True, needs_value=True, aliases=("Start", "Starts On")
        ),
        Column("fte", "FTE", decimal_range(Decimal("0"), Decimal("1.5"))),
    )
    key_columns = ("mepid",)
    natural_key = ("mepid", "org_code", "role", "starts_on")

    @classmethod
    def check_rows(cls, rows: list[Any], outcome: Outcome) -> None:
        """One MEPID, one person: the name and e-mail must agree wherever the MEPID appears."""
        first_seen: dict[str, Any] = {}
        for row in rows:
            earlier = first_seen.setdefault(row.mepid, row)
            if earlier is row:
                continue
            for key, header in (
                ("first_name", "First Name"),
                ("last_name", "Last Name"),
                ("email", "E-mail"),
            ):
                a, b = getattr(earlier, key), getattr(row, key)
                if a and b and a.casefold() != b.casefold():
                    outcome.error(
                        row.line,
                        header,
                        f"MEPID {row.mepid} has a different {header.lower()} on line {earlier.line}",
                    )

    @classmethod
    def plan(cls, rows: list[Any], ctx: Context, outcome: Outcome) -> Plan:
        plan = StaffPlan()
        orgs = {
            o.code: o
            for o in fetch_in(
                Organization.objects.only("id", "code", "name", "path"), "code", (r.org_code for r in rows)
            )
        }
        people = {p.mepid: p for p in fetch_in(Person.objects.all(), "mepid", (r.mepid for r in rows))}
        positions: dict[tuple[int, int, str, Any], Position] = {}
        for pos in fetch_in(Position.objects.all(), "person_id", (p.pk for p in people.values())):
            positions[(pos.person_id, pos.organization_id, pos.role, pos.starts_on)] = pos
        counted_people: set[str] = set()
        for row in rows:
            org = orgs.get(row.org_code)
            if org is None:
                outcome.skip(row.line, "Org Code", f"organization {row.org_code} is not known to EdLead")
                continue
            if not ctx.in_scope(org.path):
                outcome.skip(
                    row.line,
                    "Org Code",
                    f"{org.name} ({row.org_code}) is outside the organizations you may import for",
                )
                continue
            person = people.get(row.mepid)
            label = f"{row.first_name} {row.last_name} ({row.mepid})"
            if person is None:
                person = Person(
                    mepid=row.mepid,
                    first_name=row.first_name,
                    last_name=row.last_name,
                    email=row.email,
                    source=Person.Source.STAFF_IMPORT,
                )
                people[row.mepid] = person
                plan.new_people.append(person)
                outcome.change("create", "person", label, row.line)
                counted_people.add(row.mepid)
            elif row.mepid not in counted_people:
                counted_people.add(row.mepid)
                diff = []
                if person.first_name != row.first_name:
                    diff.append("first_name")
                if person.last_name != row.last_name:
                    diff.append("last_name")
                if row.email and person.email != row.email:
                    diff.append("email")
                if diff:
                    person.first_name, person.last_name = row.first_name, row.last_name
                    person.email = row.email or person.email
                    plan.changed_people.append(person)
                    outcome.change("update", "person", label, row.line, ", ".join(diff))
                else:
                    outcome.unchanged += 1
            fte = row.fte if row.fte != "" else Decimal("1.00")
            where = f"{row.title or Position.Role(row.role).label} at {org.name}"
            existing = positions.get((person.pk, org.pk, row.role, row.starts_on)) if person.pk else None
            if existing is None:
                plan.new_positions.append(
                    Position(
                        person=person,
                        organization=org,
                        role=row.role,
                        title=row.title,
                        starts_on=row.starts_on,
                        fte=fte,
                        source=Position.Source.STAFF_IMPORT,
                    )
                )
                outcome.change(
                    "create", "position", f"{label}, {where}", row.line, f"starts {row.starts_on.isoformat()}"
                )
            elif existing.title != row.title or existing.fte != fte:
                existing.title, existing.fte = row.title, fte
                plan.changed_positions.append(existing)
                outcome.change("update", "position", f"{label}, {where}", row.line, "title / FTE")
            else:
                outcome.unchanged += 1
        return plan
