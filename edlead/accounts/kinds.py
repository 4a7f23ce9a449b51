"""The account-invitation CSV: many invitations at once, through the import framework.

| Column | Required | Format |
|---|---|---|
| E-mail [Email] | yes | the address the invitation goes to |
| MEPID [State Staff ID] | no | the person's 8-digit state staff ID |
| Employee Number [Local Employee Number] | no | the district's own number, when there is no MEPID |
| Access Role [EdLead Role, Account Role] | yes | an EdLead role, by value or label (e.g. school_leader, HR / licensure staff) |
| Org Code | yes | the DESE code of the organization the role is on |

The "Access Role" header (not "Role") keeps these files apart from staff-position files, whose roles are
positions. An invalid e-mail, MEPID or role refuses the whole file (line and column named; nothing is
written). Rows are skipped, and listed, when: the org code is unknown or outside the organizations the
importer manages; the MEPID or employee number is not among the people the importer may edit (the
message never says whether EdLead holds it elsewhere); the importer could not grant the role there
directly; the address or person already has an account; or an invitation for the same address, role
and organization is already waiting (unchanged). Applying creates the invitations in one transaction
and e-mails each link once it commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from edlead.access.models import RoleGrant
from edlead.accounts import services
from edlead.accounts.models import Invitation
from edlead.core.errors import ApplicationError
from edlead.imports.kinds.base import (
    CellError,
    Column,
    Context,
    ImportKind,
    Outcome,
    Plan,
    choice,
    email,
    fetch_in,
    mepid,
    org_code,
)
from edlead.orgs.models import Organization
from edlead.people.models import Person

_ROLE_OPTIONS: dict[str, str] = {}
for _value, _label in RoleGrant.Role.choices:
    _ROLE_OPTIONS[_value] = _value
    _ROLE_OPTIONS[str(_label)] = _value
_ROLE_OPTIONS.update({"HR": RoleGrant.Role.HR, "principal": RoleGrant.Role.SCHOOL_LEADER})


def employee_number(value: str) -> str:
    if len(value) > 40 or not re.fullmatch(r"[\w.\-/ ]+", value):
        raise CellError(f"“{value[:40]}” is not an employee number (letters, digits, . - /; up to 40)")
    return value


NOT_YOURS = "{what} {value} is not among the people you may invite; the row was not imported"


@dataclass
class InvitationPlan(Plan):
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    actor: Any = None

    def write(self) -> None:
        for line, values in self.rows:
            try:
                services.invitation_create(actor=self.actor, **values)
            except ApplicationError as exc:  # checked while planning; only a race gets here
                raise ApplicationError(f"Line {line}: {exc.message}") from exc


class AccountInvitations(ImportKind):
    slug = "account-invitations"
    label = "Account invitations"
    description = (
        "One row per invitation: the e-mail address, the person's MEPID or employee number, the EdLead "
        "role and the organization it is on. Each address receives a link to set a password."
    )
    priority = 80  # after staff positions, so one upload can add people and invite them
    columns = (
        Column(
            "email", "E-mail", email, required=True, needs_value=True, aliases=("Email", "E-mail Address")
        ),
        Column("mepid", "MEPID", mepid, aliases=("State Staff ID", "State Staff ID (MEPID)")),
        Column(
            "employee_number",
            "Employee Number",
            employee_number,
            aliases=("Local Employee Number", "Employee ID", "Employee No"),
        ),
        Column(
            "role",
            "Access Role",
            choice(_ROLE_OPTIONS, "role"),
            required=True,
            needs_value=True,
            aliases=("EdLead Role", "Account Role"),
        ),
        Column(
            "org_code",
            "Org Code",
            org_code,
            required=True,
            needs_value=True,
            aliases=("Organization Code", "School Code"),
        ),
    )
    key_columns = ("email", "role")
    natural_key = ("email", "role", "org_code")
    template_header = ["E-mail", "MEPID", "Employee Number", "Access Role", "Org Code"]
    template_rows = [
        ["jordan.example@example.org", "12345678", "", "school_leader", "99010005"],
        ["casey.example@example.org", "", "E-1042", "hr", "99010000"],
    ]
    column_docs = [
        ("E-mail", True, "The address the invitation goes to."),
        ("MEPID", False, "The person's 8-digit state staff ID, to link the account to their record."),
        ("Employee Number", False, "The district's own employee number, when there is no MEPID."),
        (
            "Access Role",
            True,
            "One of: " + ", ".join(f"{v} ({label})" for v, label in RoleGrant.Role.choices) + ".",
        ),
        ("Org Code", True, "The 8-digit DESE code of the school, district or state agency the role is on."),
    ]

    @classmethod
    def check_rows(cls, rows: list[Any], outcome: Outcome) -> None:
        for row in rows:
            if row.mepid and row.employee_number:
                outcome.error(row.line, "Employee Number", "give the MEPID or the employee number, not both")

    @classmethod
    def plan(cls, rows: list[Any], ctx: Context, outcome: Outcome) -> Plan:
        plan = InvitationPlan(actor=ctx.actor)
        orgs = {
            o.code: o
            for o in fetch_in(
                Organization.objects.only("id", "code", "name", "path", "kind", "district_id"),
                "code",
                (r.org_code for r in rows),
            )
        }
        editable = Person.objects.all()
        if ctx.actor is not None:
            from edlead.accounts.selectors import invitable_people

            editable = invitable_people(ctx.actor)
        by_mepid = {p.mepid: p for p in fetch_in(editable, "mepid", (r.mepid for r in rows if r.mepid))}
        by_number: dict[str, list[Person]] = {}
        for p in fetch_in(
            editable, "local_employee_number", (r.employee_number for r in rows if r.employee_number)
        ):
            by_number.setdefault(p.local_employee_number, []).append(p)
        for row in rows:
            org = orgs.get(row.org_code)
            if org is None:
                outcome.skip(row.line, "Org Code", f"organization {row.org_code} is not known to EdLead")
                continue
            if not ctx.in_scope(org.path) or (
                ctx.actor is not None and not services.may_manage_accounts_at(ctx.actor, org)
            ):
                outcome.skip(
                    row.line,
                    "Org Code",
                    f"{org.name} ({row.org_code}) is outside the organizations you manage",
                )
                continue
            person: Person | None = None
            if row.mepid:
                person = by_mepid.get(row.mepid)
                if person is None:
                    outcome.skip(row.line, "MEPID", NOT_YOURS.format(what="MEPID", value=row.mepid))
                    continue
            elif row.employee_number:
                matches = by_number.get(row.employee_number, [])
                if len(matches) != 1:
                    message = (
                        NOT_YOURS.format(what="Employee number", value=row.employee_number)
                        if not matches
                        else f"employee number {row.employee_number} belongs to several people: use the MEPID"
                    )
                    outcome.skip(row.line, "Employee Number", message)
                    continue
                person = matches[0]
            label = f"{row.email} — {RoleGrant.Role(row.role).label} at {org.name}"
            if ctx.actor is not None:
                refusal = services.may_invite(ctx.actor, role=row.role, organization=org, person=person)
                if refusal:
                    outcome.skip(row.line, "Access Role", refusal)
                    continue
            reason = cls._already(row, org, person)
            if reason == "pending":
                outcome.unchanged += 1
                continue
            if reason:
                outcome.skip(row.line, "E-mail", reason)
                continue
            plan.rows.append(
                (row.line, {"role": row.role, "organization": org, "person": person, "email": row.email})
            )
            outcome.change("create", "invitation", label, row.line)
        return plan

    @staticmethod
    def _already(row: Any, org: Organization, person: Person | None) -> str:
        """ "pending" when the same invitation waits; a reason to skip when an account exists; else ""."""
        from edlead.access.models import User

        account = User.objects.filter(email__iexact=row.email).first()
        if account is None and person is not None:
            account = User.objects.filter(person=person).first()
        if account is not None:
            return f"{account.email} already has an account: give it the role on the Access page"
        if Invitation.objects.pending().filter(email=row.email, role=row.role, organization=org).exists():
            return "pending"
        return ""
