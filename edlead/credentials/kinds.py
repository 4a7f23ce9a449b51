"""Import kinds of credentials (issue 10, item 7), registered from the app's `ready()`:

- `licence-records`: MEPID, licence number, field, level, stage, issue and expiry dates — a new number
  is recorded, a known one unchanged, renewed (issued later) or corrected, through the credential
  services (history kept, audited);
- `pdp-activities`: a provider's attendance list — MEPID, provider, title, dates, hours — one activity per
  person + provider + title + start date, so importing the same list twice records it once.

People are matched by MEPID among those the importer may record credentials for (HR of their district,
by their current positions); anyone else is skipped and listed, without saying whether they exist. Bad
values refuse the file with line and column, and nothing is written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from edlead.access import policy
from edlead.credentials.models import CredentialType, Licence, PdpActivity
from edlead.imports.kinds.base import (
    CellError,
    Column,
    Context,
    ImportKind,
    Outcome,
    Plan,
    choice,
    date,
    fetch_in,
    mepid,
    text,
)
from edlead.people.models import Person, Position

NOT_FOUND = "MEPID {mepid} is not among the people you may record credentials for; the row was skipped"


def _field_lookup() -> dict[str, CredentialType]:
    """Licence fields by code and by name, lower-cased (read once per import)."""
    found: dict[str, CredentialType] = {}
    for t in CredentialType.objects.filter(kind=CredentialType.Kind.FIELD):
        found[t.code.lower()] = t
        found[" ".join(t.name.lower().split())] = t
    return found


def licence_field(value: str) -> str:
    key = " ".join(value.lower().split())
    fields = _field_lookup()
    if key not in fields:
        raise CellError(
            f"“{value[:60]}” is not a licence field EdLead knows (e.g. Principal/Assistant Principal)"
        )
    return fields[key].code


def state_code(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise CellError(f"“{value[:20]}” is not a two-letter state code (e.g. MA)")
    return code


def hours(value: str) -> Decimal:
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation as exc:
        raise CellError(f"“{value[:20]}” is not a number of hours") from exc
    if not number.is_finite():
        raise CellError(f"“{value[:20]}” is not a number of hours")
    if number <= 0:
        raise CellError(f"{value} hours: an activity lasts more than zero hours")
    limit = PdpActivity.UNIT_MAXIMUM[PdpActivity.Unit.CLOCK_HOUR]
    if number > limit:
        raise CellError(f"{value} hours is more than one activity can be ({limit} at most)")
    if number != number.quantize(Decimal("0.01")):
        raise CellError(f"“{value}” has more than 2 decimal places")
    return number


def category(value: str) -> str:
    from edlead.credentials.services import known_categories

    known = known_categories()
    key = value.strip().lower()
    by_name = {name.lower(): code for code, name in known.items()}
    if key in known:
        return key
    if key in by_name:
        return by_name[key]
    raise CellError(f"“{value[:40]}” is not a renewal category (one of: {', '.join(known)})")


_STAGES = {**{v: v for v in Licence.Stage.values}, **{str(label): v for v, label in Licence.Stage.choices}}


def _editable(ctx: Context, people: dict[str, Person], action: str, today: dt.date) -> set[int]:
    """The people of the file the importer may write for: the policy's rule (HR of their district) and the
    import's scope, by their current positions (3 queries per 10,000 people; all from the command line)."""
    ids = [p.pk for p in people.values()]
    if ctx.actor is not None:
        ids = list(
            fetch_in(
                policy.visible_to(ctx.actor, Person.objects.all(), action).values_list("pk", flat=True),
                "pk",
                ids,
            )
        )
    if ctx.scope_paths is None:
        return set(ids)
    return {
        pid
        for pid, path in fetch_in(
            Position.objects.current(today).values_list("person_id", "organization__path"), "person_id", ids
        )
        if ctx.in_scope(path)
    }


def _people(rows: list[Any]) -> dict[str, Person]:
    return {p.mepid: p for p in fetch_in(Person.objects.all(), "mepid", (r.mepid for r in rows))}


# --- licences ---------------------------------------------------------------------------------------
class LicencePlan(Plan):
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.new: list[dict[str, Any]] = []
        self.renew: list[tuple[Licence, dict[str, Any]]] = []
        self.correct: list[tuple[Licence, dict[str, Any]]] = []

    def write(self) -> None:
        from edlead.credentials import services

        actor = self.ctx.actor
        note = f"Imported from {self.ctx.file_name}"[:255]
        for values in self.new:
            services.licence_add(actor=actor, source=Licence.Source.IMPORT, note=note, **values)
        for licence, values in self.renew:
            services.licence_renew(
                actor=actor,
                licence=licence,
                issued_on=values["issued_on"],
                expires_on=values["expires_on"],
                stage=values["stage"],
                note=note,
            )
        for licence, changes in self.correct:
            services.licence_correct(actor=actor, licence=licence, changes=changes, note=note)


class LicenceRecords(ImportKind):
    slug = "licence-records"
    label = "Licence records"
    description = (
        "Licences from HR or the state licensure system: MEPID, licence number, field, level, stage, "
        "issue and expiry dates (download the template)."
    )
    priority = 60
    columns = (
        Column("mepid", "MEPID", mepid, required=True, needs_value=True, aliases=("State Staff ID",)),
        Column(
            "number",
            "Licence Number",
            text(40),
            required=True,
            needs_value=True,
            aliases=("License Number", "Licence No", "License No", "License #"),
        ),
        Column(
            "field",
            "Field",
            licence_field,
            required=True,
            needs_value=True,
            aliases=("License Field", "Licence Field"),
        ),
        Column("level", "Level", text(40), aliases=("Grade Level", "Grade Levels")),
        Column(
            "stage",
            "Stage",
            choice(_STAGES, "licence stage"),
            required=True,
            needs_value=True,
            aliases=("License Type", "Licence Type", "Licence Stage", "License Stage"),
        ),
        Column(
            "issued_on",
            "Issue Date",
            date,
            required=True,
            needs_value=True,
            aliases=("Issued", "Effective Date"),
        ),
        Column("expires_on", "Expiry Date", date, aliases=("Expiration Date", "Expires")),
        Column("state", "State", state_code, aliases=("Issuing State",)),
    )
    key_columns = ("mepid", "number")
    natural_key = ("number", "state")
    template_header: ClassVar[list[str]] = [
        "MEPID",
        "Licence Number",
        "Field",
        "Level",
        "Stage",
        "Issue Date",
        "Expiry Date",
        "State",
    ]
    template_rows: ClassVar[list[list[str]]] = [
        [
            "01234567",
            "512345",
            "Principal/Assistant Principal",
            "PreK-6",
            "Professional",
            "2022-07-01",
            "2027-06-30",
            "MA",
        ],
        [
            "01234567",
            "498765",
            "Superintendent/Assistant Superintendent",
            "All levels",
            "Initial",
            "2024-07-01",
            "",
            "MA",
        ],
    ]

    @classmethod
    def check_rows(cls, rows: list[Any], outcome: Outcome) -> None:
        for row in rows:
            if row.expires_on and row.expires_on < row.issued_on:
                outcome.error(
                    row.line, "Expiry Date", f"{row.expires_on} is before the issue date {row.issued_on}"
                )

    @classmethod
    def plan(cls, rows: list[Any], ctx: Context, outcome: Outcome) -> Plan:
        from edlead.credentials.services import all_rulesets

        plan = LicencePlan(ctx)
        today = ctx.as_of
        people = _people(rows)
        from edlead.credentials.services import CREDENTIALS_EDIT

        editable = _editable(ctx, people, CREDENTIALS_EDIT, today)
        fields = {t.code: t for t in CredentialType.objects.filter(kind=CredentialType.Kind.FIELD)}
        existing: dict[tuple[str, str], Licence] = {
            (lic.issuing_state, lic.number): lic
            for lic in fetch_in(
                Licence.objects.current().select_related("field"), "number", (r.number for r in rows)
            )
        }
        rulesets = all_rulesets()
        for row in rows:
            row = row._replace(expires_on=row.expires_on or None)
            state = row.state or "MA"
            person = people.get(row.mepid)
            if person is None or person.pk not in editable:
                outcome.skip(row.line, "MEPID", NOT_FOUND.format(mepid=row.mepid))
                continue
            field = fields[row.field]
            level = row.level.strip()
            if level and field.levels and level not in field.levels:
                outcome.error(
                    row.line, "Level", f"“{level}” is not a level of {field.name} ({', '.join(field.levels)})"
                )
                continue
            if not level and len(field.levels) > 1:
                outcome.error(
                    row.line,
                    "Level",
                    f"give the level of the {field.name} licence ({', '.join(field.levels)})",
                )
                continue
            level = level or (field.levels[0] if field.levels else "")
            if row.expires_on is None:
                ruleset = rulesets.get(state)
                if ruleset is None or ruleset.stages.get(row.stage) is None:
                    outcome.error(
                        row.line,
                        "Expiry Date",
                        f"no rules say how long a {row.stage} licence of {state} lasts: give the expiry date",
                    )
                    continue
            old = existing.get((state, row.number))
            label = f"{person.display_name}: {field.name} {level} no. {row.number}"
            if old is not None and old.person_id != person.pk:
                outcome.error(
                    row.line,
                    "Licence Number",
                    f"licence number {row.number} of {state} is recorded for another person",
                )
                continue
            values = {
                "field": field,
                "grade_level": level,
                "stage": row.stage,
                "issued_on": row.issued_on,
                "expires_on": row.expires_on,
            }
            if old is None:
                outcome.change("create", "licence", label, line=row.line)
                plan.new.append(
                    {
                        "person": person,
                        "number": row.number,
                        "issuing_state": state,
                        "valid_employment_years": None,
                        **values,
                    }
                )
                continue
            if row.expires_on is None:
                values["expires_on"] = old.expires_on
            changed = {k: v for k, v in values.items() if getattr(old, k) != v}
            if not changed:
                outcome.unchanged += 1
            elif row.issued_on > old.issued_on and set(changed) <= {"issued_on", "expires_on", "stage"}:
                outcome.change(
                    "update", "licence", label, line=row.line, detail="renewed (the earlier record kept)"
                )
                plan.renew.append((old, {**values, "expires_on": row.expires_on}))
            else:
                outcome.change(
                    "update",
                    "licence",
                    label,
                    line=row.line,
                    detail=f"corrected: {', '.join(sorted(changed))}",
                )
                plan.correct.append((old, changed))
        return plan


# --- PDP activities ---------------------------------------------------------------------------------
class ActivityPlan(Plan):
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.new: list[dict[str, Any]] = []

    def write(self) -> None:
        from edlead.credentials import services

        for values in self.new:
            services.pdp_activity_add(actor=self.ctx.actor, **values)


def _norm(value: str) -> str:
    return " ".join(value.split())


class PdpActivities(ImportKind):
    slug = "pdp-activities"
    label = "PDP activities"
    description = (
        "A provider's attendance list of professional development: MEPID, provider, title, dates, hours "
        "(download the template). The same activity imported twice is recorded once."
    )
    priority = 70
    columns = (
        Column("mepid", "MEPID", mepid, required=True, needs_value=True, aliases=("State Staff ID",)),
        Column("provider", "Provider", text(200), required=True, needs_value=True, aliases=("Sponsor",)),
        Column(
            "title",
            "Title",
            text(200),
            required=True,
            needs_value=True,
            aliases=("Activity", "Course", "Activity Title"),
        ),
        Column("starts_on", "Start Date", date, required=True, needs_value=True, aliases=("Start", "Date")),
        Column("ends_on", "End Date", date, aliases=("End",)),
        Column("hours", "Hours", hours, required=True, needs_value=True, aliases=("Clock Hours", "PDPs")),
        Column("category", "Category", category, aliases=("Renewal Category", "Topic Category")),
        Column("topic", "Topic", text(200)),
    )
    key_columns = ("mepid", "provider", "hours")
    natural_key = ("mepid", "provider", "title", "starts_on")
    template_header: ClassVar[list[str]] = [
        "MEPID",
        "Provider",
        "Title",
        "Start Date",
        "End Date",
        "Hours",
        "Category",
        "Topic",
    ]
    template_rows: ClassVar[list[list[str]]] = [
        [
            "01234567",
            "Leadership Academy",
            "Sheltered English Immersion for leaders",
            "2025-10-04",
            "2025-10-05",
            "15",
            "sei",
            "",
        ],
        [
            "01234567",
            "Leadership Academy",
            "Observation and feedback",
            "2026-01-10",
            "",
            "12",
            "pedagogy",
            "",
        ],
    ]

    @classmethod
    def check_rows(cls, rows: list[Any], outcome: Outcome) -> None:
        today = dt.date.today()
        for row in rows:
            if row.ends_on and row.ends_on < row.starts_on:  # an empty end date is the start date
                outcome.error(row.line, "End Date", f"{row.ends_on} is before the start date {row.starts_on}")
            elif (row.ends_on or row.starts_on) > today:
                outcome.error(
                    row.line,
                    "End Date" if row.ends_on else "Start Date",
                    "the activity has not ended yet: import it once it has",
                )

    @classmethod
    def plan(cls, rows: list[Any], ctx: Context, outcome: Outcome) -> Plan:
        from edlead.credentials.services import PDP_ADD

        plan = ActivityPlan(ctx)
        people = _people(rows)
        editable = _editable(ctx, people, PDP_ADD, dt.date.today())
        ids = [p.pk for p in people.values() if p.pk in editable]
        recorded = {
            (a.person_id, a.provider, a.title, a.starts_on)
            for a in fetch_in(
                PdpActivity.objects.only("person_id", "provider", "title", "starts_on"), "person_id", ids
            )
        }
        source = f"Import: {ctx.file_name}"[:120]
        for row in rows:
            person = people.get(row.mepid)
            if person is None or person.pk not in editable:
                outcome.skip(row.line, "MEPID", NOT_FOUND.format(mepid=row.mepid))
                continue
            key = (person.pk, _norm(row.provider), _norm(row.title), row.starts_on)
            if key in recorded:
                outcome.unchanged += 1
                continue
            recorded.add(key)
            outcome.change(
                "create",
                "PDP activity",
                f"{person.display_name}: {_norm(row.title)} ({row.hours} hours)",
                line=row.line,
            )
            plan.new.append(
                {
                    "person": person,
                    "title": row.title,
                    "provider": row.provider,
                    "starts_on": row.starts_on,
                    "ends_on": row.ends_on or row.starts_on,
                    "amount": row.hours,
                    "unit": PdpActivity.Unit.CLOCK_HOUR,
                    "category": row.category or "elective",
                    "topic": row.topic,
                    "source": source,
                }
            )
        return plan
