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
| End Date | no | the last day in the position (empty: still held) |
| Co-Principal | no | yes / no: a principal who shares the school's leadership on purpose |

People are matched by MEPID; positions by (person, organization, role, start date). An unknown org
code skips the row; an invalid MEPID, date, FTE, role or e-mail, or a name with a control character,
refuses the file (line and column named). A name that looks like a formula (`=…`, `+…`) is kept as
text: exports neutralise it.

Writes stay in scope: a row is skipped and listed when its MEPID is not one of the people the importer
may edit (the message says only that the MEPID is not among the people the importer may change, never
whether or where EdLead holds it), and when its position would give access the importer could not grant directly
(`policy.may_confer_position`, e.g. HR recording a superintendent, or anyone a position of their own).
Access that changes because of an imported position is audited as an access change.

A new principal at a school whose principal has no end date: the old principal's position ends the
day before the new one starts (the preview lists that end, so you can check it before applying).
When the old principal started on or after the new one, or their recorded end falls after the new
start, the row is skipped as needing an End Date for the old principal. Mark Co-Principal "yes" on
both rows to keep two principals: a school never has two current principals otherwise.

Every position named in the file is confirmed through the end of the current school year (pages say
"last confirmed" once that passes without a newer file).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from edlead.access import policy
from edlead.imports.kinds.base import (
    CellError,
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
from edlead.lib.schoolyears import SchoolYear
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
    ("End Date", False, "The last day in the position, when it has ended. Empty: still held."),
    (
        "Co-Principal",
        False,
        "yes for a principal who shares the school's leadership on purpose. A new principal (not a "
        "co-principal) at a school whose principal has no end date ends that principal's position the "
        "day before the new start; the preview lists it.",
    ),
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
    "End Date",
    "Co-Principal",
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
    "",
    "",
]


def yes_no(value: str) -> bool:
    key = value.strip().casefold()
    if key in ("yes", "y", "true", "1", "x"):
        return True
    if key in ("no", "n", "false", "0"):
        return False
    raise CellError(f"“{value[:40]}” is not yes or no")


def name_text(max_length: int) -> Any:
    """Text for a name: a control character (a tab, a NUL, an escape) is a cell error, never a refusal
    of the whole import; a formula-like name is kept as text (exports neutralise it)."""
    base = text(max_length)

    def parse(value: str) -> str:
        bad = next((c for c in value if unicodedata.category(c) == "Cc"), None)
        if bad is not None:
            raise CellError(f"contains a control character (U+{ord(bad):04X}); names are plain text")
        return base(value)

    return parse


NOT_YOURS = "MEPID {mepid} is not among the people you may change; the row was not imported"


@dataclass
class StaffPlan(Plan):
    new_people: list[Person] = field(default_factory=list)
    changed_people: list[Person] = field(default_factory=list)
    new_positions: list[Position] = field(default_factory=list)
    changed_positions: list[Position] = field(default_factory=list)
    ended_positions: list[Position] = field(default_factory=list)  # by this file (old principals, End Date)
    confirmed_positions: list[Position] = field(default_factory=list)
    actor: Any = None

    def write(self) -> None:
        people_services.people_bulk_create(people=self.new_people)
        people_services.people_bulk_update(
            people=self.changed_people, fields=["first_name", "last_name", "email"]
        )
        people_services.positions_bulk_create(positions=self.new_positions)
        people_services.positions_bulk_update(
            positions=self.changed_positions,
            fields=["title", "fte", "ends_on", "is_co_principal", "confirmed_through"],
        )
        confirmed = [p for p in self.confirmed_positions if p not in self.changed_positions]
        if confirmed:
            Position.objects.bulk_update(confirmed, ["confirmed_through"], batch_size=500)
        from edlead.people.forms import audit_access_change

        granted = [p for p in self.new_positions if p.ends_on is None or p.ends_on >= dt.date.today()]
        audit_access_change(positions=granted, actor=self.actor, granted=True, via="staff import")
        audit_access_change(
            positions=self.ended_positions, actor=self.actor, granted=False, via="staff import"
        )


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
        Column(
            "first_name", "First Name", name_text(120), required=True, needs_value=True, aliases=("First",)
        ),
        Column("last_name", "Last Name", name_text(120), required=True, needs_value=True, aliases=("Last",)),
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
        Column("ends_on", "End Date", date, aliases=("End", "Ends On", "Last Day")),
        Column("co_principal", "Co-Principal", yes_no, aliases=("Co Principal", "Coprincipal")),
    )
    key_columns = ("mepid",)
    natural_key = ("mepid", "org_code", "role", "starts_on")

    @classmethod
    def _check_names(cls, rows: list[Any], outcome: Outcome) -> None:
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
    def check_rows(cls, rows: list[Any], outcome: Outcome) -> None:
        cls._check_names(rows, outcome)
        for row in rows:
            if row.ends_on and row.starts_on and row.ends_on < row.starts_on:
                outcome.error(row.line, "End Date", "the position cannot end before it starts")
            if row.co_principal and row.role != Position.Role.PRINCIPAL:
                outcome.error(row.line, "Co-Principal", "only a principal can be a co-principal")

    @classmethod
    def plan(cls, rows: list[Any], ctx: Context, outcome: Outcome) -> Plan:
        plan = StaffPlan(actor=ctx.actor)
        confirmed_through = SchoolYear.containing(ctx.as_of).ends_on
        orgs = {
            o.code: o
            for o in fetch_in(
                Organization.objects.only("id", "code", "name", "path", "kind"),
                "code",
                (r.org_code for r in rows),
            )
        }
        people = {p.mepid: p for p in fetch_in(Person.objects.all(), "mepid", (r.mepid for r in rows))}
        editable = cls._editable(ctx.actor, people)
        positions: dict[tuple[int, int, str, Any], Position] = {}
        for pos in fetch_in(Position.objects.all(), "person_id", (p.pk for p in people.values())):
            positions[(pos.person_id, pos.organization_id, pos.role, pos.starts_on)] = pos
        heads = cls._principals(orgs.values(), {p.pk: p for p in positions.values()})
        counted_people: set[str] = set()
        for row in sorted(rows, key=lambda r: (r.starts_on, r.line)):
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
            if person is not None and person.pk is not None and person.pk not in editable:
                outcome.skip(row.line, "MEPID", NOT_YOURS.format(mepid=row.mepid))
                continue
            if ctx.actor is not None and not policy.may_confer_position(
                ctx.actor, row.role, org, person_id=person.pk if person else None
            ):
                outcome.skip(
                    row.line,
                    "Role",
                    f"a {Position.Role(row.role).label.lower()} position at {org.name} gives access you could "
                    "not grant directly (ask someone who manages roles there)",
                )
                continue
            label = f"{row.first_name} {row.last_name} ({row.mepid})"
            where = f"{row.title or Position.Role(row.role).label} at {org.name}"
            existing = (
                positions.get((person.pk, org.pk, row.role, row.starts_on)) if person and person.pk else None
            )
            if existing is None and row.role == Position.Role.PRINCIPAL:
                blocker = cls._make_way(row, org, person, heads, plan, outcome, ctx)
                if blocker:
                    outcome.skip(row.line, "End Date", blocker)
                    continue
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
                cls._update_person(person, row, label, plan, outcome)
            fte = row.fte if row.fte != "" else Decimal("1.00")
            ends_on = row.ends_on or None
            co = bool(row.co_principal)
            if existing is None:
                new = Position(
                    person=person,
                    organization=org,
                    role=row.role,
                    title=row.title,
                    starts_on=row.starts_on,
                    ends_on=ends_on,
                    fte=fte,
                    is_co_principal=co,
                    source=Position.Source.STAFF_IMPORT,
                    confirmed_through=max(confirmed_through, SchoolYear.containing(row.starts_on).ends_on),
                )
                plan.new_positions.append(new)
                if row.role == Position.Role.PRINCIPAL:
                    heads[org.pk].append(new)
                detail = f"starts {row.starts_on.isoformat()}" + (
                    f", ends {ends_on.isoformat()}" if ends_on else ""
                )
                outcome.change("create", "position", f"{label}, {where}", row.line, detail)
                continue
            diff = [
                name
                for name, old, value in (
                    ("title", existing.title, row.title),
                    ("FTE", existing.fte, fte),
                    ("end date", existing.ends_on, ends_on),
                    ("co-principal", existing.is_co_principal, co),
                )
                if old != value
            ]
            existing.confirmed_through = max(
                existing.confirmed_through or confirmed_through, confirmed_through
            )
            if diff:
                if ends_on and existing.ends_on != ends_on:
                    plan.ended_positions.append(existing)
                existing.title, existing.fte, existing.ends_on, existing.is_co_principal = (
                    row.title,
                    fte,
                    ends_on,
                    co,
                )
                if existing not in plan.changed_positions:
                    plan.changed_positions.append(existing)
                outcome.change("update", "position", f"{label}, {where}", row.line, " / ".join(diff))
            else:
                plan.confirmed_positions.append(existing)
                outcome.unchanged += 1
        return plan

    @staticmethod
    def _editable(actor: Any, people: dict[str, Person]) -> set[int]:
        """The people in the file the importer may edit (1 query per 10,000; all for the command line)."""
        ids = [p.pk for p in people.values()]
        if actor is None:
            return set(ids)
        return set(
            fetch_in(
                policy.visible_to(actor, Person.objects.all(), policy.PERSON_EDIT).values_list(
                    "pk", flat=True
                ),
                "pk",
                ids,
            )
        )

    @staticmethod
    def _principals(orgs: Any, loaded: dict[int, Position]) -> dict[int, list[Position]]:
        """Principal positions at the file's schools (1 query per 10,000 schools), the same objects as
        `loaded` where already read, so one position is never written from two stale copies."""
        heads: dict[int, list[Position]] = defaultdict(list)
        query = Position.objects.filter(role=Position.Role.PRINCIPAL).select_related("person")
        for pos in fetch_in(query, "organization_id", (o.pk for o in orgs)):
            same = loaded.get(pos.pk)
            if same is not None:
                same.person = pos.person
            heads[pos.organization_id].append(same or pos)
        return heads

    @staticmethod
    def _make_way(
        row: Any,
        org: Organization,
        person: Person | None,
        heads: dict[int, list[Position]],
        plan: StaffPlan,
        outcome: Outcome,
        ctx: Context,
    ) -> str:
        """End the open-ended principal a new principal succeeds (the day before the new start), or say
        why the row needs an End Date for them ("" when the way is clear). Co-principals stay."""
        start, end = row.starts_on, row.ends_on or None
        others = [
            p
            for p in heads[org.pk]
            if p.person is not person
            and (person is None or person.pk is None or p.person_id != person.pk)
            and (p.ends_on is None or p.ends_on >= start)
            and (end is None or p.starts_on is None or p.starts_on <= end)
            and not (row.co_principal and p.is_co_principal)
        ]
        for other in others:
            name = f"{other.person.first_name} {other.person.last_name}"
            if row.co_principal:
                return (
                    f"{name} is {org.name}'s principal and not recorded as a co-principal: mark Co-Principal "
                    "yes on their row too, or give them an End Date"
                )
            if end is not None or other.ends_on is not None or (other.starts_on or start) >= start:
                until = f" to {other.ends_on.isoformat()}" if other.ends_on else " with no end date"
                return (
                    f"{org.name}'s principal {name} is recorded from {other.starts_on or 'an unknown date'}"
                    f"{until}, overlapping this row: give them an End Date first (or Co-Principal yes on both)"
                )
            if ctx.actor is not None and not policy.may_confer_position(
                ctx.actor, Position.Role.PRINCIPAL, org, person_id=other.person_id
            ):
                return f"ending {name}'s principal position changes access you could not change directly"
        for other in others:
            other.ends_on = start - dt.timedelta(days=1)
            if other.pk is not None and other not in plan.changed_positions:
                plan.changed_positions.append(other)
            if other.pk is not None:
                plan.ended_positions.append(other)
            outcome.change(
                "end",
                "position",
                f"{other.person.first_name} {other.person.last_name}, principal at {org.name}",
                row.line,
                f"ends {other.ends_on.isoformat()} (the day before the new principal starts)",
            )
        return ""

    @staticmethod
    def _update_person(person: Person, row: Any, label: str, plan: StaffPlan, outcome: Outcome) -> None:
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
